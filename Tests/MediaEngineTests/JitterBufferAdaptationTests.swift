import PBXTestSupport
import Testing
@testable import MediaEngine

@Suite struct JitterBufferLossTests {
    @Test func singleLossYieldsExactlyOneMissing() {
        var jb = JitterBuffer<Int>()
        var pkts = stream(count: 40)
        pkts.remove(at: 10)
        let logs = simulate(&jb, pkts, until: 5000, stopAfter: 39)
        let items = logs.flatMap(\.items)
        #expect(missing(logs) == [1010])
        #expect(played(logs) == Array(0..<10) + Array(11..<40))
        // The concealment slot sits exactly between packets 9 and 11.
        let pos = items.firstIndex { if case .missing = $0 { return true } else { return false } }
        #expect(pos == 10)
        #expect(jb.statistics.lost == 1)
    }

    @Test func burstOfFiveLost() {
        var jb = JitterBuffer<Int>()
        var pkts = stream(count: 40)
        pkts.removeSubrange(10..<15)
        let logs = simulate(&jb, pkts, until: 5000, stopAfter: 39)
        #expect(missing(logs) == [1010, 1011, 1012, 1013, 1014])
        #expect(played(logs) == Array(0..<10) + Array(15..<40))
        #expect(jb.statistics.lost == 5)
        // One concealment per tick, not a backlog in one tick.
        #expect(logs.allSatisfy { $0.items.count <= 1 })
    }

    @Test func lateArrivalIsCountedAndNotPlayed() {
        var jb = JitterBuffer<Int>()
        var pkts = stream(count: 40)
        pkts[10].arrival += 300
        let logs = simulate(&jb, pkts, until: 5000, stopAfter: 39)
        #expect(missing(logs) == [1010])
        #expect(!played(logs).contains(10))
        #expect(played(logs).count == 39)
        #expect(jb.statistics.late == 1)
        #expect(jb.statistics.lost == 1)
    }

    @Test func talkSpurtAfterSilenceIsNotLoss() {
        var jb = JitterBuffer<Int>()
        var pkts = stream(count: 40)
        for i in 20..<40 {  // 2 s of DTX silence: timestamps jump, sequence numbers do not
            pkts[i].ts &+= 16000
            pkts[i].arrival += 2000
        }
        pkts[20].marker = true
        let logs = simulate(&jb, pkts, until: 10000, stopAfter: 39)
        #expect(played(logs) == Array(0..<40))
        #expect(jb.statistics.lost == 0)
        #expect(jb.statistics.late == 0)
        #expect(missing(logs).count == JitterBufferConfiguration().maxConcealedPackets)
    }

    @Test func ssrcChangeResets() {
        var jb = JitterBuffer<Int>()
        var pkts = stream(count: 30)
        var b = stream(count: 30, firstSeq: 30000, firstTs: 123_456_789, delay: 50 + 30 * 20 + 100)
        for i in b.indices { b[i].index += 100; b[i].ssrc = 0xBEEF }
        pkts += b
        let logs = simulate(&jb, pkts, until: 10000, stopAfter: 129)
        #expect(played(logs) == Array(0..<30) + Array(100..<130))
        #expect(jb.statistics.ssrcChanges == 1)
        #expect(jb.statistics.late == 0)
        #expect(jb.statistics.duplicates == 0)
        // After the reset, stream B plays gap-free: no concealment between its packets.
        let items = logs.flatMap(\.items)
        let firstB = items.firstIndex { if case .packet(100, _, _, _) = $0 { return true } else { return false } }
        #expect(firstB.map { items[$0...].count } == 30)
    }

    @Test func ssrcChangeFlushesOldStream() {
        var jb = JitterBuffer<Int>()
        for i in 0..<5 { jb.put(i, sequence: UInt16(i), timestamp: UInt32(i * 160), ssrc: 1, arrivalMs: Int64(i * 20)) }
        #expect(jb.count == 5)
        #expect(jb.put(99, sequence: 7000, timestamp: 42, ssrc: 2, arrivalMs: 100) == .resynced)
        #expect(jb.count == 1)
        #expect(jb.statistics.ssrcChanges == 1)
        #expect(jb.get(nowMs: 1000) == .packet(99, sequence: 7000, timestamp: 42, durationSamples: 160))
    }

    @Test func sourceRestartWithoutMarkerResyncs() {
        var jb = JitterBuffer<Int>()
        var pkts = stream(count: 20)
        var b = stream(count: 20, firstSeq: 1020, firstTs: 5000 + 8000 * 3600, delay: 50 + 20 * 20 + 100)
        for i in b.indices { b[i].index += 100 }  // same SSRC, timestamp jumps by an hour
        pkts += b
        let logs = simulate(&jb, pkts, until: 5000, stopAfter: 119)
        #expect(played(logs) == Array(0..<20) + Array(100..<120))
        #expect(jb.statistics.resyncs == 2)
        #expect(jb.statistics.late == 0)
    }

    @Test func inconsistentSequenceJumpDoesNotBurstConcealment() {
        var jb = JitterBuffer<Int>()
        var pkts = stream(count: 40)
        for i in 20..<40 { pkts[i].seq &+= 30 }  // sequence skips 30 while timestamps run on
        let logs = simulate(&jb, pkts, until: 5000, stopAfter: 39)
        #expect(played(logs) == Array(0..<40))
        #expect(logs.allSatisfy { $0.items.count <= 1 })
        #expect(missing(logs).isEmpty)
        #expect(jb.statistics.lost == 30)
    }

    @Test func overflowStaysBounded() {
        var jb = JitterBuffer<Int>()
        for i in 0..<200 {  // a burst with nobody calling get
            jb.put(i, sequence: UInt16(i), timestamp: UInt32(i * 160), ssrc: 1, arrivalMs: Int64(i))
            #expect(jb.count <= 50)
        }
        #expect(jb.statistics.overflowDropped == 150)
        #expect(jb.statistics.maxBufferLevel == 50)
        var out: [Int] = []
        var tick: Int64 = 200
        for _ in 0..<100 {
            while case .packet(let v, _, _, _) = jb.get(nowMs: tick) { out.append(v) }
            tick += 20
        }
        #expect(out.first.map { $0 >= 150 } == true)
        #expect(out == out.sorted())
        #expect(Set(out).count == out.count)
    }
}

@Suite struct JitterBufferAdaptationTests {
    @Test func jitterRaisesTargetFastAndCalmLowersItSlowly() {
        var jb = JitterBuffer<Int>()
        var rng = SplitMix64(seed: 42)
        let jitterCount = 500, calmCount = 3000  // 10 s of ±40 ms jitter, then 60 s calm
        let offsets = (0..<(jitterCount + calmCount)).map { i in i < jitterCount ? rng.symmetric(40) : 0 }
        let pkts = stream(count: jitterCount + calmCount, delay: 100, jitter: { offsets[$0] })
        var targetAt: [Int64: Double] = [:]
        let checkpoints: Set<Int64> = [2005, 10005, 11005, 70005]
        var tick: Int64 = 5
        _ = simulate(&jb, pkts, until: 71000) { jb in
            if checkpoints.contains(tick) { targetAt[tick] = jb.targetDelayMs }
            tick += 20
        }
        let early = targetAt[2005] ?? 0, peak = targetAt[10005] ?? 0
        let afterCalm1s = targetAt[11005] ?? 0, afterCalm60s = targetAt[70005] ?? 0
        #expect(early > 50)
        #expect(peak > 60)
        #expect(afterCalm1s > 0.6 * peak)
        #expect(afterCalm60s < 25)
        // With the adapted delay, only a small share of jittered packets misses its slot.
        #expect(jb.statistics.late < 25)
    }

    @Test func fastSenderClockStaysBounded() {
        var jb = JitterBuffer<Int>()
        let count = 30_300  // 10 minutes at 19.8 ms (sender clock 1% fast)
        let pkts = stream(count: count, sendMs: 19.8)
        var maxLevel = 0
        let logs = simulate(&jb, pkts, until: 601_000, stopAfter: count - 1) { jb in maxLevel = max(maxLevel, jb.count) }
        let out = played(logs)
        #expect(maxLevel <= 6)
        #expect(out == out.sorted())
        #expect(out.count + jb.statistics.skipped == count)
        #expect(jb.statistics.skipped > 250)
        #expect(jb.statistics.lost == 0)
        #expect(jb.statistics.late == 0)
    }

    @Test func slowSenderClockStretchesWithoutLoss() {
        var jb = JitterBuffer<Int>()
        let count = 15_000  // 5 minutes at 20.2 ms (sender clock 1% slow)
        let pkts = stream(count: count, sendMs: 20.2)
        var maxLevel = 0
        let logs = simulate(&jb, pkts, until: 400_000, stopAfter: count - 1) { jb in maxLevel = max(maxLevel, jb.count) }
        let out = played(logs)
        #expect(out.count == count)
        #expect(out == out.sorted())
        #expect(maxLevel <= 6)
        #expect(jb.statistics.stretched > 100)
        #expect(jb.statistics.lost == 0)
    }
}
