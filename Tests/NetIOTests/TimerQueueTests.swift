#if canImport(Glibc)
import Glibc
#endif
import NetIO
import SIPSyntax
import Testing

@Suite struct TimerQueueTests {
    @Test func firesInDeadlineOrderAndHonoursCancelAndReschedule() {
        var q = TimerQueue<String>()
        q.schedule("a", at: 30)
        q.schedule("b", at: 10)
        q.schedule("c", at: 20)
        q.cancel("c")
        q.schedule("a", at: 5) // re-arm earlier: the old entry must not fire again
        #expect(q.nextDeadline() == 5)
        #expect(q.popExpired(now: 15) == ["a", "b"])
        #expect(q.popExpired(now: 100) == [])
        #expect(q.count == 0)
    }

    @Test func lazyCancellationStaysBounded() {
        var q = TimerQueue<Int>()
        for round in 0..<200 {
            for id in 0..<100 { q.schedule(id, at: Int64(round * 1000 + id)) }
        }
        #expect(q.count == 100)
        #expect(q.popExpired(now: Int64.max).count == 100)
    }
}

@Suite struct UDPSocketTests {
    @Test func loopbackDatagramRoundTrip() async throws {
        let a = try UDPSocket(bind: TransportAddress(host: "127.0.0.1", port: 0))
        let b = try UDPSocket(bind: TransportAddress(host: "127.0.0.1", port: 0))
        #expect(a.localAddress.port != 0)
        #expect(a.send(Array("OPTIONS".utf8), to: b.localAddress))
        // Read synchronously with a bounded wait (no Dispatch needed for the check).
        var buf = [UInt8](repeating: 0, count: 64)
        var got = -1
        for _ in 0..<100 where got < 0 {
            got = buf.withUnsafeMutableBytes { recv(b.fd, $0.baseAddress, 64, 0) }
            if got < 0 { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(got == 7)
        #expect(Array(buf[0..<7]) == Array("OPTIONS".utf8))
    }
}

@Suite struct ShrinkTests {
    @Test func timerQueueKeepsWorkingAfterShrink() {
        var q = TimerQueue<Int>()
        for id in 0..<10_000 { q.schedule(id, at: Int64(id)) }
        _ = q.popExpired(now: 9_989)
        q.shrink()
        #expect(q.count == 10)
        #expect(q.popExpired(now: Int64.max) == Array(9_990..<10_000))
    }

    @Test func sparseDictionaryShrinks() {
        var d: [Int: String] = [:]
        for i in 0..<10_000 { d[i] = "v\(i)" }
        let big = d.capacity
        for i in 0..<9_990 { d[i] = nil }
        #expect(d.capacity == big) // Swift never shrinks on its own
        d.shrinkIfSparse()
        #expect(d.capacity < big / 100)
        #expect(d.count == 10 && d[9_999] == "v9999")
    }
}
