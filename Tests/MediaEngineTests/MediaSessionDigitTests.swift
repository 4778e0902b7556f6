import Codecs
import MediaEngine
import RTP
import SIPSyntax
import Testing

/// Keys a leg sends: RFC 4733 events when negotiated, in-band tones otherwise. Each is checked
/// by the receiving side of our own stack (the receiver and the Q.24 detector).
@Suite struct MediaSessionDigitTests {
    let peer = TransportAddress(host: "127.0.0.1", port: 44000)

    @Test(arguments: [(UInt8(101), 8000), (UInt8(96), 48000)])
    func rfc4733EventsAtTheNegotiatedTypeAndClock(pt: UInt8, clock: Int) throws {
        let codec: MediaSession.Codec = clock == 8000 ? .g711(.muLaw) : .opus(fmtp: nil)
        var s = MediaSession(mode: .silent, parameters: .init(payloadType: clock == 8000 ? 0 : 111, codec: codec,
                                                              telephoneEventPayloadType: pt, telephoneEventClockRate: clock,
                                                              remote: peer),
                             ssrc: 3, initialSequence: 10, initialTimestamp: 5000)
        s.sendDigits("1#x9", durationMs: 100, gapMs: 60)
        var receiver = TelephoneEventReceiver()
        var keys: [(Character, Int)] = []
        var sequences: [UInt16] = []
        var endPackets = 0
        for t in 0..<60 {
            for p in s.tick(nowMs: Int64(t * 20)).rtp {
                let view = try RTPPacketView.parse(p)
                #expect(view.header.payloadType == pt)
                sequences.append(view.header.sequence)
                let payload = p.withUnsafeBytes { UnsafeRawBufferPointer(rebasing: $0[view.payloadRange]) }
                if try TelephoneEventPayload.parse(Array(payload)).end { endPackets += 1 }
                let reports = p.withUnsafeBytes {
                    receiver.receive(header: view.header, payload: UnsafeRawBufferPointer(rebasing: $0[view.payloadRange]), clockRate: clock)
                }
                for r in reports { if let k = r.key { keys.append((k, r.durationMs)) } }
            }
        }
        #expect(keys.map(\.0) == ["1", "#", "9"])  // "x" is not a key
        #expect(keys.allSatisfy { $0.1 == 100 })
        #expect(endPackets == 9)  // three per key (RFC 4733 §2.5.1.4)
        #expect(zip(sequences, sequences.dropFirst()).allSatisfy { $1 == $0 &+ 1 })
    }

    @Test func inBandTonesWhenNoTelephoneEvent() throws {
        var s = MediaSession(mode: .silent, parameters: .init(payloadType: 8, codec: .g711(.aLaw), telephoneEventPayloadType: nil,
                                                              remote: peer),
                             ssrc: 3, initialSequence: 0, initialTimestamp: 0)
        s.sendDigits("58*")
        var detector = DTMFDetector()
        var found: [Character] = []
        for t in 0..<40 {
            for p in s.tick(nowMs: Int64(t * 20)).rtp {
                let view = try RTPPacketView.parse(p)
                let pcm = p[view.payloadRange].map { G711.aLawDecode($0) }
                found += pcm.withUnsafeBufferPointer { detector.process($0) }.map(\.key)
            }
        }
        #expect(found == ["5", "8", "*"])
    }
}
