import MediaEngine
import SIPSyntax
import Testing
@testable import MediaEngine

@Suite struct SourceLatchTests {
    let phone = TransportAddress(host: "198.51.100.7", port: 4000)
    let stranger = TransportAddress(host: "203.0.113.66", port: 9999)

    @Test func aSourceIsAdoptedAfterThreePacketsAndStrangersAreThenIgnored() {
        var l = SourceLatch()
        let a = l.accept(phone, nowMs: 0), lockedAfterOne = l.locked
        let b = l.accept(phone, nowMs: 20)
        let c = l.accept(phone, nowMs: 40)
        #expect(a && b && c)  // early packets still count
        #expect(lockedAfterOne == nil && l.locked == phone)
        var strangerAccepted = 0, phoneAccepted = 0
        for t in stride(from: Int64(60), to: 2000, by: 20) {
            if l.accept(stranger, nowMs: t) { strangerAccepted += 1 }  // while the phone is alive
            if l.accept(phone, nowMs: t) { phoneAccepted += 1 }
        }
        #expect(strangerAccepted == 0 && phoneAccepted == 97)
        #expect(l.locked == phone)
    }

    @Test func aSilentSourceCanBeReplacedTheSameStrictWay() {
        var l = SourceLatch()
        for t in [0, 20, 40] as [Int64] { _ = l.accept(phone, nowMs: t) }
        // The phone's NAT binding changed: its packets now come from a new port.
        let rebound = TransportAddress(host: "198.51.100.7", port: 40222)
        let early = l.accept(rebound, nowMs: 1000)  // too soon: the old source may be alive
        let first = l.accept(rebound, nowMs: 2100)
        let second = l.accept(rebound, nowMs: 2120)
        let third = l.accept(rebound, nowMs: 2140)
        #expect(!early && !first && !second && third)
        #expect(l.locked == rebound)
    }

    @Test func theSDPAddressIsTrustedAtOnceAndInterleavingCannotResetLearning() {
        var sdp = SourceLatch(expected: phone)
        let first = sdp.accept(phone, nowMs: 0)
        #expect(first && sdp.locked == phone)

        // Behind NAT the phone's address differs from its SDP; a stranger interleaves from
        // the first packet on. Counts are per source, so the phone (first to 3) wins.
        let natted = TransportAddress(host: "192.0.2.200", port: 61000)
        var l = SourceLatch(expected: phone)
        for t in 0..<3 {
            _ = l.accept(natted, nowMs: Int64(t * 20))
            _ = l.accept(stranger, nowMs: Int64(t * 20 + 5))
        }
        #expect(l.locked == natted)
    }

    @Test func aHijackerCannotTakeAnEchoCallOver() throws {
        var s = MediaSession(mode: .echo, parameters: .init(payloadType: 0, codec: .g711(.muLaw), telephoneEventPayloadType: 101,
                                                            remote: phone),
                             ssrc: 1, initialSequence: 0, initialTimestamp: 0)
        var echoedPayloads: [[UInt8]] = []
        for i in 0..<50 {
            RTPTest.packet(seq: UInt16(i), ts: UInt32(i * 160), payload: [UInt8](repeating: 0x11, count: 160))
                .withUnsafeBytes { s.receive($0, from: phone, nowMs: Int64(i * 20)) }
            // The stranger sprays well-formed packets of its own at the port.
            RTPTest.packet(seq: UInt16(5000 + i), ts: UInt32(900_000 + i * 160), payload: [UInt8](repeating: 0x99, count: 160))
                .withUnsafeBytes { s.receive($0, from: stranger, nowMs: Int64(i * 20 + 5)) }
            echoedPayloads += RTPTest.payloads(s.tick(nowMs: Int64(i * 20)).rtp)
        }
        #expect(s.sendTo == phone)
        #expect(!echoedPayloads.contains { $0.first == 0x99 })
    }
}
