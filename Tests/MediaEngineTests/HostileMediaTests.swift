@testable import MediaEngine
import PBXTestSupport
import RTP
import SDP
import SIPSyntax
import Testing

/// RTP and RTCP garbage (random bytes, mutated real packets, absurd header fields) never
/// crashes a leg, is never media on an SRTP leg, and leaves the leg working for the real
/// stream.
@Suite struct HostileMediaTests {
    let peer = TransportAddress(host: "127.0.0.1", port: 45000)
    let attacker = TransportAddress(host: "127.0.0.1", port: 45555)

    func legs() -> [MediaSession] {
        let key = [UInt8](repeating: 5, count: 30)
        return [
            MediaSession(mode: .echo, parameters: .init(payloadType: 0, codec: .g711(.muLaw), telephoneEventPayloadType: 101, remote: peer),
                         ssrc: 1, initialSequence: 0, initialTimestamp: 0),
            MediaSession(mode: .silent, parameters: .init(payloadType: 8, codec: .g711(.aLaw), telephoneEventPayloadType: nil, remote: peer),
                         ssrc: 2, initialSequence: 0, initialTimestamp: 0),
            MediaSession(mode: .echo, parameters: .init(payloadType: 111, codec: .opus(fmtp: "useinbandfec=1"), telephoneEventPayloadType: 96,
                                                        telephoneEventClockRate: 48000, remote: peer),
                         ssrc: 3, initialSequence: 0, initialTimestamp: 0),
            MediaSession(mode: .echo, parameters: .init(payloadType: 0, codec: .g711(.muLaw), telephoneEventPayloadType: 101, remote: peer,
                                                        srtp: NegotiatedCrypto(tag: 1, suite: .aes128CmSha1_80, localKey: key, remoteKey: key)),
                         ssrc: 4, initialSequence: 0, initialTimestamp: 0),
        ]
    }

    @Test func twentyThousandHostileDatagramsPerLegChangeNothing() {
        var rng = SplitMix64(seed: 0x5A17)
        let valid = RTPTest.packet(seq: 1, ts: 160, payload: [UInt8](repeating: 0xD5, count: 160))
        for var s in legs() {
            var keysSeen = 0
            for i in 0..<20_000 {
                var bytes: [UInt8]
                switch i % 4 {
                case 0:  // random length and bytes, version bits often 2
                    bytes = (0..<Int.random(in: 0...1600, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                    if !bytes.isEmpty, Bool.random(using: &rng) { bytes[0] = (bytes[0] & 0x3F) | 0x80 }
                case 1:  // a real packet with a few bytes flipped
                    bytes = valid
                    for _ in 0..<Int.random(in: 1...6, using: &rng) {
                        bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                    }
                case 2:  // absurd CSRC count, extension length or padding with tiny bodies
                    bytes = [0x80 | 0x3F, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9] + (0..<Int.random(in: 0...8, using: &rng)).map { _ in 0xFF }
                default:  // truncated real packets
                    bytes = Array(valid.prefix(Int.random(in: 0...valid.count, using: &rng)))
                }
                bytes.withUnsafeBytes {
                    s.receive($0, from: attacker, nowMs: Int64(i / 50))
                    s.receiveRTCP($0, from: attacker, nowMs: Int64(i / 50), ntp: MediaSession.testNTP)
                }
                if i % 50 == 0 {
                    _ = s.tick(nowMs: Int64(i / 50) * 20)
                    for e in s.takeEvents() { if case .keys(let k) = e { keysSeen += k.count } }
                }
            }
            // On an SRTP leg nothing unauthenticated is media (RFC 3711 §3.3).
            if s.parameters.srtp != nil { #expect(s.packetsReceived == 0) }
            // Garbage raises no keys from nowhere beyond what flipped bytes could spell.
            #expect(keysSeen < 50)
            // The leg still works for the real peer afterwards.
            let before = s.packetsReceived
            for k in 0..<20 {
                RTPTest.packet(seq: UInt16(1000 + k), ts: UInt32(500_000 + k * 160), payload: [UInt8](repeating: 0xD5, count: 160),
                               pt: s.parameters.payloadType)
                    .withUnsafeBytes { s.receive($0, from: peer, nowMs: 10_000 + Int64(k) * 20) }
            }
            if s.parameters.srtp == nil {
                // Garbage that parsed as RTP may have been latched as the source; the real
                // peer takes over after the latch's learning packets (see SourceLatch).
                #expect(s.packetsReceived >= before + 20 - SourceLatch.learnPackets)
                #expect(s.sendTo == peer)
            }
        }
    }
}
