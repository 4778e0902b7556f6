import Codecs
import MediaEngine
import RTP
import SIPSyntax
import Testing

/// Keys reach the session's key stream from RFC 4733 events (any PT, any clock) and from
/// in-band tones when no telephone-event was negotiated.
@Suite struct MediaSessionKeyTests {
    let src = TransportAddress(host: "127.0.0.1", port: 40000)

    @Test(arguments: [(UInt8(101), 8000), (UInt8(96), 48000)])
    func rfc4733KeysAtAnyPayloadTypeAndClock(pt: UInt8, clock: Int) throws {
        var s = MediaSession(mode: .silent, parameters: .init(payloadType: 111, codec: .opus(fmtp: nil), telephoneEventPayloadType: pt,
                                                              telephoneEventClockRate: clock, remote: src),
                             ssrc: 1, initialSequence: 0, initialTimestamp: 0)
        var seq: UInt16 = 0
        var found: [MediaSession.KeyPress] = []
        for (n, key) in ["4", "#"].enumerated() {
            for p in try TelephoneEventSender.packets(key: Character(key), durationMs: 120, intervalMs: 20, clockRate: clock) {
                var b: [UInt8] = []
                try RTPHeader(marker: p.marker, payloadType: pt, sequence: seq, timestamp: UInt32(n * 100_000) &+ p.timestampOffset, ssrc: 9).append(to: &b)
                b += p.payload.bytes
                seq &+= 1
                b.withUnsafeBytes { s.receive($0, from: src, nowMs: Int64(seq) * 20) }
            }
            found += PcapSessionReplay.keys(s.takeEvents())
        }
        #expect(found.map(\.key) == ["4", "#"]) // the three redundant end packets count once
        #expect(found.allSatisfy { $0.durationMs == 120 && $0.source == .rfc4733 })
    }

    @Test func inBandToneOnG711WithoutTelephoneEvent() throws {
        var s = MediaSession(mode: .silent, parameters: .init(payloadType: 8, codec: .g711(.aLaw), telephoneEventPayloadType: nil,
                                                              remote: src),
                             ssrc: 1, initialSequence: 0, initialTimestamp: 0)
        var tone = ToneGenerator()
        tone.silence(ms: 40)
        tone.key("7", ms: 100)
        tone.silence(ms: 60)
        let codes = tone.samples.map { G711.aLawEncode($0) }
        var found: [MediaSession.KeyPress] = []
        for (i, start) in stride(from: 0, to: codes.count - 159, by: 160).enumerated() {
            var b: [UInt8] = []
            try RTPHeader(payloadType: 8, sequence: UInt16(i), timestamp: UInt32(start), ssrc: 9).append(to: &b)
            b += codes[start..<(start + 160)]
            b.withUnsafeBytes { s.receive($0, from: src, nowMs: Int64(i) * 20) }
            found += PcapSessionReplay.keys(s.takeEvents())
        }
        #expect(found.map(\.key) == ["7"])
        #expect(found.first?.source == .inband)
    }
}
