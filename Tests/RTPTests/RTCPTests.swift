import PBXTestSupport
import Testing
@testable import RTP

@Suite struct RTCPTests {
    let block = RTCPReportBlock(ssrc: 0xAABB_CCDD, fractionLost: 25, cumulativeLost: -3,
                                extendedHighestSequence: 0x0001_0005, jitter: 77, lastSR: 0x1234_5678,
                                delaySinceLastSR: 0x0002_0000)

    @Test func srCompoundRoundTrip() throws {
        let sr = RTCPSenderReport(ssrc: 1, ntp: NTPTimestamp(seconds: 3_900_000_000, fraction: 0x8000_0000),
                                  rtpTimestamp: 160_000, packetCount: 1000, octetCount: 160_000)
        let bytes = try RTCPBuilder.compound(senderReport: sr, ssrc: 1, reports: [block], cname: "pbx@host")
        #expect(bytes.count % 4 == 0)
        #expect(bytes[0] == 0x81 && bytes[1] == 200)
        #expect(bytes[2] == 0 && bytes[3] == 12)  // (28 + 24) / 4 - 1
        let packets = try RTCPCompound.parse(bytes)
        #expect(packets.count == 2)
        var expected = sr
        expected.reports = [block]
        #expect(packets[0] == .senderReport(expected))
        guard case let .sourceDescription(chunks) = packets[1] else { Issue.record("no SDES"); return }
        #expect(chunks.count == 1)
        #expect(chunks[0].ssrc == 1)
        #expect(chunks[0].cname == "pbx@host")
    }

    @Test func rrCompoundAndCumulativeLostEncoding() throws {
        let bytes = try RTCPBuilder.compound(senderReport: nil, ssrc: 5, reports: [block], cname: "abc")
        // Cumulative lost -3 as 24-bit two's complement after the fraction byte.
        #expect(Array(bytes[12..<16]) == [25, 0xFF, 0xFF, 0xFD])
        let packets = try RTCPCompound.parse(bytes)
        #expect(packets.first == .receiverReport(RTCPReceiverReport(ssrc: 5, reports: [block])))
        // Clamping to 24 bits.
        var big = block
        big.cumulativeLost = 50_000_000
        var out: [UInt8] = []
        try RTCPBuilder.appendReceiverReport(RTCPReceiverReport(ssrc: 5, reports: [big]), to: &out)
        guard case let .receiverReport(rr) = try RTCPCompound.parse(out).first else { Issue.record("no RR"); return }
        #expect(rr.reports.first?.cumulativeLost == 0x7F_FFFF)
    }

    @Test func byeWithReasonAndOtherTypes() throws {
        var out: [UInt8] = []
        try RTCPBuilder.appendReceiverReport(RTCPReceiverReport(ssrc: 5), to: &out)
        try RTCPBuilder.appendBye(RTCPBye(sources: [5, 6], reason: Array("hangup".utf8)), to: &out)
        out += [0x80, 204, 0, 1, 0, 0, 0, 9]  // APP with a 1-word body
        let packets = try RTCPCompound.parse(out)
        #expect(packets.count == 3)
        #expect(packets[1] == .bye(RTCPBye(sources: [5, 6], reason: Array("hangup".utf8))))
        #expect(packets[2] == .other(type: 204, count: 0, body: (out.count - 4)..<out.count))
    }

    @Test func hostileCompounds() throws {
        var good = try RTCPBuilder.compound(senderReport: nil, ssrc: 5, reports: [block], cname: "abc")
        #expect(throws: RTPError.badLength) { try RTCPCompound.parse(Array(good.dropLast(4))) }
        var badVersion = good; badVersion[0] = 0x41
        #expect(throws: RTPError.badVersion(1)) { try RTCPCompound.parse(badVersion) }
        var rcTooBig = good; rcTooBig[0] = 0x80 | 5  // claims 5 blocks, has room for 1
        #expect(throws: RTPError.truncated(needed: 124, available: 28)) { try RTCPCompound.parse(rcTooBig) }
        var hugeLength = good; hugeLength[2] = 0xFF
        #expect(throws: RTPError.badLength) { try RTCPCompound.parse(hugeLength) }
        // SDES item length running past the packet.
        let sdesStart = 32
        good[sdesStart + 9] = 200
        #expect(throws: RTPError.self) { try RTCPCompound.parse(good) }
        #expect(throws: RTPError.truncated(needed: 4, available: 2)) { try RTCPCompound.parse([0x80, 201]) }
        // Random mutation must never trap.
        var rng = SplitMix64(seed: 42)
        let base = try RTCPBuilder.compound(senderReport: nil, ssrc: 5, reports: [block, block], cname: "host")
        for _ in 0..<3000 {
            var m = base
            for _ in 0..<3 { m[Int.random(in: 0..<m.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            m.removeLast(Int.random(in: 0...8, using: &rng))
            _ = try? RTCPCompound.parse(m)
        }
    }

    @Test func reportBlockFromTrackerAndRTT() throws {
        var t = SequenceTracker()
        for s in UInt16(1)...10 where s != 5 {
            _ = t.receive(sequence: s, ssrc: 77, timestamp: UInt32(s) * 160, arrival: UInt32(s) * 160)
        }
        let sr = NTPTimestamp(seconds: 0x0001_0002, fraction: 0x0003_0000)
        #expect(sr.middle32 == 0x0002_0003)
        let b = t.makeReportBlock(lastSR: sr.middle32, delaySinceLastSR: 0x0000_8000)  // 0.5 s
        #expect(b.ssrc == 77 && b.cumulativeLost == 1 && b.extendedHighestSequence == 10)
        #expect(b.fractionLost == UInt8(256 / 9))
        // Arrival 0.75 s after the SR was sent; peer held it 0.5 s -> RTT 0.25 s.
        let arrival = NTPTimestamp(seconds: 0x0001_0002, fraction: 0x0003_0000 + 0xC000_0000)
        #expect(b.roundTripUnits(arrival: arrival) == 0x4000)
        #expect(b.roundTripSeconds(arrival: arrival) == 0.25)
        // Without an SR, or with a negative result, no RTT.
        var noSR = b; noSR.lastSR = 0
        #expect(noSR.roundTripUnits(arrival: arrival) == nil)
        #expect(b.roundTripUnits(arrival: sr) == nil)
    }
}
