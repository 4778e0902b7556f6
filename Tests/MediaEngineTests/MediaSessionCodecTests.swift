import Codecs
import Foundation
import MediaEngine
import RTP
import SDP
import SIPSyntax
import SRTP
import Testing

/// Opus and SRTP legs, end to end through a session on a manual clock.
@Suite struct MediaSessionCodecTests {
    let peer = TransportAddress(host: "127.0.0.1", port: 41000)

    @Test func opusEchoComesBackCorrelatedWithWhatWasSent() throws {
        var s = MediaSession(mode: .echo, parameters: .init(payloadType: 111, codec: .opus(fmtp: "useinbandfec=1"),
                                                            telephoneEventPayloadType: 101, telephoneEventClockRate: 48000,
                                                            remote: peer),
                             ssrc: 5, initialSequence: 0, initialTimestamp: 0)
        let encoder = try OpusEncoder()
        let decoder = try OpusDecoder()
        var sent: [Int16] = []
        var got: [Int16] = []
        var out = [UInt8](repeating: 0, count: 1500)
        var pcm = [Int16](repeating: 0, count: 5760)
        var packets = 0
        for k in 0..<150 {
            let frame = RTPTest.toneFrame(k, rate: 48000)
            sent += frame
            let n = try frame.withUnsafeBufferPointer { f in try out.withUnsafeMutableBytes { try encoder.encode(f, into: $0) } }
            RTPTest.packet(seq: UInt16(k), ts: UInt32(k * 960), payload: Array(out[0..<n]), pt: 111)
                .withUnsafeBytes { s.receive($0, from: peer, nowMs: Int64(k * 20)) }
            for p in s.tick(nowMs: Int64(k * 20)).rtp {
                let view = try RTPPacketView.parse(p)
                #expect(view.header.payloadType == 111)
                packets += 1
                let m = try p.withUnsafeBytes { b in
                    try pcm.withUnsafeMutableBufferPointer { try decoder.decode(UnsafeRawBufferPointer(rebasing: b[view.payloadRange]), into: $0) }
                }
                got += pcm[0..<m]
            }
        }
        #expect(packets >= 140)
        // Two Opus passes and the jitter buffer delay the signal; the shape must survive.
        let best = RTPTest.bestCorrelation(Array(sent[9600..<28800]), got, maxLag: 9600)
        #expect(best.value > 0.9, "correlation \(best.value) at lag \(best.lag)")
    }

    @Test func srtpEchoIsBitExactThroughProtectAndUnprotect() throws {
        let ourKey = (0..<30).map { UInt8($0) }, theirKey = (0..<30).map { UInt8(100 + $0) }
        var s = MediaSession(mode: .echo, parameters: .init(payloadType: 0, codec: .g711(.muLaw), telephoneEventPayloadType: 101,
                                                            remote: peer,
                                                            srtp: NegotiatedCrypto(tag: 1, suite: .aes128CmSha1_80, localKey: ourKey, remoteKey: theirKey)),
                             ssrc: 7, initialSequence: 100, initialTimestamp: 0)
        // The peer: its outbound key is `theirKey`, it decrypts ours.
        let phone = try SRTPSession(suite: .aes128CmSha1_80, localKey: theirKey, remoteKey: ourKey)
        var sentPayloads: [[UInt8]] = []
        var back: [[UInt8]] = []
        var events: [MediaSession.Event] = []
        for k in 0..<50 {
            let payload = (0..<160).map { UInt8(truncatingIfNeeded: $0 * 3 + k) }
            sentPayloads.append(payload)
            var buf = RTPTest.packet(seq: UInt16(k), ts: UInt32(k * 160), payload: payload)
            let plain = buf.count
            buf += [UInt8](repeating: 0, count: SRTPSession.trailerBytes)
            let n = try buf.withUnsafeMutableBytes { try phone.protectRTP($0.baseAddress!, length: plain, capacity: $0.count) }
            #expect(n == plain + 10)
            Array(buf[0..<n]).withUnsafeBytes { s.receive($0, from: peer, nowMs: Int64(k * 20)) }
            for var p in s.tick(nowMs: Int64(k * 20)).rtp {
                let len = try p.withUnsafeMutableBytes { try phone.unprotectRTP($0.baseAddress!, length: $0.count) }
                back.append(Array(p[0..<len]))
            }
            events += s.takeEvents()
        }
        for t in 50..<60 { for var p in s.tick(nowMs: Int64(t * 20)).rtp {
            let len = try p.withUnsafeMutableBytes { try phone.unprotectRTP($0.baseAddress!, length: $0.count) }
            back.append(Array(p[0..<len]))
        } }
        #expect(RTPTest.payloads(back) == sentPayloads)
        #expect(events.isEmpty)

        // A tampered packet is refused, reported once, and is not media.
        var bad = RTPTest.packet(seq: 60, ts: 9600, payload: [UInt8](repeating: 1, count: 160))
        bad += [UInt8](repeating: 0, count: 10)
        let before = s.packetsReceived
        bad.withUnsafeBytes { s.receive($0, from: peer, nowMs: 1300) }
        #expect(s.packetsReceived == before)
        #expect(s.takeEvents() == [.srtpFailure(code: "srtp.auth_fail")])
    }

    @Test func newKeysOnReInviteTakeEffectAndOldOnesStopWorking() throws {
        // RFC 4568 §7.1.4: a re-INVITE may bring new keys; the leg must switch to them.
        let ours = [UInt8](repeating: 1, count: 30), first = [UInt8](repeating: 2, count: 30), second = [UInt8](repeating: 3, count: 30)
        var p = MediaSession.Parameters(payloadType: 0, codec: .g711(.muLaw), telephoneEventPayloadType: nil, remote: peer,
                                        srtp: NegotiatedCrypto(tag: 1, suite: .aes128CmSha1_80, localKey: ours, remoteKey: first))
        var s = MediaSession(mode: .silent, parameters: p, ssrc: 7, initialSequence: 0, initialTimestamp: 0)
        func deliver(_ key: [UInt8], seq: UInt16) throws {
            let phone = try SRTPSession(suite: .aes128CmSha1_80, localKey: key, remoteKey: ours)
            var buf = RTPTest.packet(seq: seq, ts: UInt32(seq) * 160, payload: [UInt8](repeating: 0x55, count: 160))
            let plain = buf.count
            buf += [UInt8](repeating: 0, count: SRTPSession.trailerBytes)
            let n = try buf.withUnsafeMutableBytes { try phone.protectRTP($0.baseAddress!, length: plain, capacity: $0.count) }
            Array(buf[0..<n]).withUnsafeBytes { s.receive($0, from: peer, nowMs: Int64(seq) * 20) }
        }
        try deliver(first, seq: 1)
        #expect(s.packetsReceived == 1)
        p.srtp = NegotiatedCrypto(tag: 1, suite: .aes128CmSha1_80, localKey: ours, remoteKey: second)
        s.update(mode: .silent, parameters: p, nowMs: 40)
        try deliver(first, seq: 2)
        #expect(s.packetsReceived == 1)  // the old key no longer authenticates
        #expect(s.takeEvents() == [.srtpFailure(code: "srtp.auth_fail")])
        try deliver(second, seq: 3)
        #expect(s.packetsReceived == 2)
    }

    @Test func srtcpReportsAreProtectedAndReadable() throws {
        let ourKey = [UInt8](repeating: 3, count: 30), theirKey = [UInt8](repeating: 4, count: 30)
        var s = MediaSession(mode: .silent, parameters: .init(payloadType: 0, codec: .g711(.muLaw), telephoneEventPayloadType: nil,
                                                              remote: peer,
                                                              srtp: NegotiatedCrypto(tag: 1, suite: .aes128CmSha1_32, localKey: ourKey, remoteKey: theirKey)),
                             ssrc: 7, initialSequence: 0, initialTimestamp: 0)
        let phone = try SRTPSession(suite: .aes128CmSha1_32, localKey: theirKey, remoteKey: ourKey)
        var reports: [[UInt8]] = []
        for t in 0..<200 { reports += s.tick(nowMs: Int64(t * 20)).rtcp.map(\.bytes) }
        var r = try #require(reports.first)
        let n = try r.withUnsafeMutableBytes { try phone.unprotectRTCP($0.baseAddress!, length: $0.count) }
        let packets = try RTCPCompound.parse(Array(r[0..<n]))
        guard case .receiverReport(let rr) = packets.first else { Issue.record("expected RR"); return }
        #expect(rr.ssrc == 7)
    }
}
