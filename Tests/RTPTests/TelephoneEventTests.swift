import Testing
@testable import RTP

@Suite struct TelephoneEventTests {
    func header(ts: UInt32, marker: Bool = false, pt: UInt8 = 101, ssrc: UInt32 = 1) -> RTPHeader {
        RTPHeader(marker: marker, payloadType: pt, sequence: 0, timestamp: ts, ssrc: ssrc)
    }

    @Test func payloadCodec() throws {
        let p = TelephoneEventPayload(event: 11, end: true, volume: 63, duration: 0x0320)
        #expect(p.bytes == [11, 0xBF, 0x03, 0x20])
        #expect(try TelephoneEventPayload.parse(p.bytes) == p)
        #expect(try TelephoneEventPayload.parse([5, 0x4A, 0, 1]) ==
                TelephoneEventPayload(event: 5, end: false, reserved: true, volume: 10, duration: 1))
        #expect(throws: RTPError.truncated(needed: 4, available: 3)) { try TelephoneEventPayload.parse([1, 2, 3]) }
        var buf = [UInt8](repeating: 0, count: 4)
        _ = try buf.withUnsafeMutableBytes { try p.write(into: $0) }
        #expect(buf == p.bytes)
        #expect(DTMFKey.character(for: 10) == "*" && DTMFKey.character(for: 15) == "D")
        #expect(DTMFKey.character(for: 16) == nil)
        #expect(DTMFKey.event(for: "#") == 11 && DTMFKey.event(for: "b") == 13 && DTMFKey.event(for: "x") == nil)
    }

    @Test func senderShape() throws {
        let pkts = try TelephoneEventSender.packets(key: "5", durationMs: 100, intervalMs: 20, clockRate: 8000)
        #expect(pkts.map(\.payload.duration) == [160, 320, 480, 640, 800, 800, 800])
        #expect(pkts.map(\.marker) == [true, false, false, false, false, false, false])
        #expect(pkts.map(\.payload.end) == [false, false, false, false, true, true, true])
        #expect(pkts.allSatisfy { $0.timestampOffset == 0 && $0.payload.event == 5 })
        #expect(pkts.map(\.sendOffsetMs) == [0, 20, 40, 60, 100, 120, 140])
        #expect(throws: RTPError.self) { try TelephoneEventSender.packets(key: "x", durationMs: 100, intervalMs: 20, clockRate: 8000) }
    }

    func roundTrip(key: Character, ms: Int, rate: Int, dropFirst: Bool = false) throws -> [TelephoneEventReport] {
        var rx = TelephoneEventReceiver()
        var pkts = try TelephoneEventSender.packets(key: key, durationMs: ms, intervalMs: 20, clockRate: rate)
        if dropFirst { pkts.removeFirst() }
        var reports: [TelephoneEventReport] = []
        for p in pkts {
            reports += rx.receive(header: header(ts: 5000 &+ p.timestampOffset, marker: p.marker), payload: p.payload.bytes, clockRate: rate)
        }
        #expect(rx.flush() == nil)  // already reported
        return reports
    }

    @Test(arguments: [8000, 48000])
    func roundTripReportsOnce(rate: Int) throws {
        let r = try roundTrip(key: "#", ms: 120, rate: rate)
        #expect(r.count == 1)
        #expect(r.first?.key == "#")
        #expect(r.first?.durationMs == 120)
        #expect(r.first?.sawEnd == true)
        #expect(r.first?.timestamp == 5000)
    }

    @Test func lostFirstPacketStillReported() throws {
        let r = try roundTrip(key: "7", ms: 200, rate: 8000, dropFirst: true)
        #expect(r.map(\.key) == ["7"])
        #expect(r.first?.durationMs == 200)
    }

    @Test func longEventSegmentsAt48k() throws {
        // 2 s at 48 kHz = 96000 units > 0xFFFF: RFC 4733 §2.5.1.3 segments.
        let pkts = try TelephoneEventSender.packets(key: "1", durationMs: 2000, intervalMs: 20, clockRate: 48000)
        #expect(pkts.contains { $0.timestampOffset == 0xFFFF })
        #expect(pkts.filter(\.marker).count == 1)
        let r = try roundTrip(key: "1", ms: 2000, rate: 48000)
        #expect(r.count == 1)
        #expect(r.first?.durationMs == 2000)
    }

    @Test func newEventWithoutEndReportsPrevious() {
        var rx = TelephoneEventReceiver()
        var out: [TelephoneEventReport] = []
        out += rx.receive(header: header(ts: 100, marker: true), payload: [1, 10, 0, 160], clockRate: 8000)
        out += rx.receive(header: header(ts: 100), payload: [1, 10, 1, 64], clockRate: 8000)  // 320
        #expect(out.isEmpty)
        out += rx.receive(header: header(ts: 2000, marker: true), payload: [2, 10, 0, 160], clockRate: 8000)
        #expect(out.count == 1)
        #expect(out.first?.key == "1" && out.first?.durationMs == 40 && out.first?.sawEnd == false)
        // Late end for the old event is stale: ignored.
        #expect(rx.receive(header: header(ts: 100), payload: [1, 0x8A, 1, 144], clockRate: 8000).isEmpty)
        // Flush reports the in-progress event exactly once.
        #expect(rx.flush()?.key == "2")
        #expect(rx.flush() == nil)
    }

    @Test func retransmittedEndsIgnoredAndMalformedSkipped() {
        var rx = TelephoneEventReceiver()
        let end: [UInt8] = [12, 0x8A, 0x03, 0x20]  // 'A', 800 units
        #expect(rx.receive(header: header(ts: 1), payload: end, clockRate: 8000).map(\.durationMs) == [100])
        for _ in 0..<5 { #expect(rx.receive(header: header(ts: 1), payload: end, clockRate: 8000).isEmpty) }
        #expect(rx.receive(header: header(ts: 1), payload: [1, 2], clockRate: 8000).isEmpty)
        #expect(rx.receive(header: header(ts: 9), payload: end, clockRate: 0).isEmpty)
        // Same timestamp from another SSRC is a different event.
        #expect(rx.receive(header: header(ts: 1, ssrc: 2), payload: end, clockRate: 8000).map(\.key) == ["A"])
    }
}

@Suite struct TelephoneEventSplicedStreamTests {
    @Test func markedEventWithEarlierTimestampIsANewKey() {
        var r = TelephoneEventReceiver()
        func send(_ event: UInt8, ts: UInt32, marker: Bool, end: Bool, duration: UInt16) -> [TelephoneEventReport] {
            let h = RTPHeader(marker: marker, payloadType: 101, sequence: 0, timestamp: ts, ssrc: 7)
            return r.receive(header: h, event: TelephoneEventPayload(event: event, end: end, volume: 10, duration: duration), clockRate: 8000)
        }
        _ = send(0, ts: 17632, marker: true, end: false, duration: 160)
        #expect(send(0, ts: 17632, marker: false, end: true, duration: 2240).map(\.key) == ["0"])
        // The next capture starts earlier in timestamp space, marker set: a new key.
        _ = send(1, ts: 13280, marker: true, end: false, duration: 160)
        #expect(send(1, ts: 13280, marker: false, end: true, duration: 2240).map(\.key) == ["1"])
        // A late unmarked packet of an old event stays ignored.
        #expect(send(0, ts: 12000, marker: false, end: true, duration: 2240).isEmpty)
    }
}
