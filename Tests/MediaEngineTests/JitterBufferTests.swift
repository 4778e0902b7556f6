import PBXTestSupport
import Testing
@testable import MediaEngine

/// One simulated RTP packet; the payload is its index in the generated stream.
struct Pkt {
    var index: Int
    var seq: UInt16
    var ts: UInt32
    var arrival: Int64
    var marker = false
    var ssrc: UInt32 = 0x1234
}

/// What one tick produced.
struct TickLog {
    var tick: Int64
    var items: [JitterOutput<Int>]
}

/// A regular stream: `count` packets, `spp` samples each, sent every `sendMs` (may differ from
/// the timestamp spacing to model clock drift), constant network delay plus optional jitter.
func stream(count: Int, firstSeq: UInt16 = 1000, firstTs: UInt32 = 5000, spp: UInt32 = 160,
            sendMs: Double = 20, delay: Double = 50, jitter: (Int) -> Double = { _ in 0 }) -> [Pkt] {
    (0..<count).map { i in
        Pkt(index: i, seq: firstSeq &+ UInt16(truncatingIfNeeded: i), ts: firstTs &+ UInt32(i) &* spp,
            arrival: Int64((Double(i) * sendMs + delay + jitter(i)).rounded()))
    }
}

/// Drives the buffer in virtual time: before each tick, put every packet that has arrived,
/// then drain `get` until `.empty`. Stops after the packet with index `stopAfter` is played.
func simulate(_ jb: inout JitterBuffer<Int>, _ packets: [Pkt], tickPhase: Int64 = 5,
              until end: Int64, stopAfter: Int? = nil, onTick: (JitterBuffer<Int>) -> Void = { _ in }) -> [TickLog] {
    let sorted = packets.enumerated().sorted { ($0.element.arrival, $0.offset) < ($1.element.arrival, $1.offset) }.map(\.element)
    var next = 0
    var logs: [TickLog] = []
    var tick = tickPhase
    while tick <= end {
        while next < sorted.count, sorted[next].arrival <= tick {
            let p = sorted[next]
            jb.put(p.index, sequence: p.seq, timestamp: p.ts, ssrc: p.ssrc, marker: p.marker, arrivalMs: p.arrival)
            next += 1
        }
        var items: [JitterOutput<Int>] = []
        var done = false
        while true {
            let out = jb.get(nowMs: tick)
            if case .empty = out { break }
            items.append(out)
            if case .packet(let v, _, _, _) = out, v == stopAfter { done = true; break }
        }
        logs.append(TickLog(tick: tick, items: items))
        onTick(jb)
        if done { break }
        tick += 20
    }
    return logs
}

func played(_ logs: [TickLog]) -> [Int] {
    logs.flatMap(\.items).compactMap { if case .packet(let v, _, _, _) = $0 { return v } else { return nil } }
}

func missing(_ logs: [TickLog]) -> [UInt16] {
    logs.flatMap(\.items).compactMap { if case .missing(let s) = $0 { return s } else { return nil } }
}

@Suite struct JitterBufferOrderingTests {
    @Test func inOrderStreamPlaysInOrderWithConstantDelay() {
        var jb = JitterBuffer<Int>()
        let pkts = stream(count: 100)
        let logs = simulate(&jb, pkts, until: 5000, stopAfter: 99)
        #expect(played(logs) == Array(0..<100))
        #expect(missing(logs).isEmpty)
        var delays = Set<Int64>()
        for log in logs {
            for case .packet(let v, _, _, _) in log.items { delays.insert(log.tick - pkts[v].arrival) }
        }
        #expect(delays.count == 1)
        #expect(jb.statistics.received == 100)
        #expect(jb.statistics.lost == 0)
        #expect(jb.statistics.late == 0)
    }

    @Test func reorderedPairsComeOutInOrder() {
        var jb = JitterBuffer<Int>(configuration: .init(minDelayMs: 60))
        var pkts = stream(count: 100)
        for k in 1..<50 {  // swap every pair after the first: 2k+1 arrives 1 ms before 2k
            pkts[2 * k].arrival = pkts[2 * k + 1].arrival + 1
        }
        let logs = simulate(&jb, pkts, until: 5000, stopAfter: 99)
        #expect(played(logs) == Array(0..<100))
        #expect(missing(logs).isEmpty)
        #expect(jb.statistics.reordered == 49)
        #expect(jb.statistics.late == 0)
    }

    @Test func duplicatesAreDroppedOnce() {
        var jb = JitterBuffer<Int>()
        var pkts = stream(count: 40)
        for i in 10..<20 {
            var d = pkts[i]; d.arrival += 1; pkts.append(d)
        }
        var old = pkts[5]; old.arrival = 600; pkts.append(old)  // duplicate of a packet already played
        let logs = simulate(&jb, pkts, until: 5000, stopAfter: 39)
        #expect(played(logs) == Array(0..<40))
        #expect(jb.statistics.duplicates == 11)
        #expect(jb.statistics.late == 0)
        #expect(jb.statistics.received == 51)
    }

    @Test func sequenceWrapAt65535() {
        var jb = JitterBuffer<Int>()
        let pkts = stream(count: 20, firstSeq: 65530, firstTs: UInt32.max - 800)
        let logs = simulate(&jb, pkts, until: 5000, stopAfter: 19)
        #expect(played(logs) == Array(0..<20))
        let seqs = logs.flatMap(\.items).compactMap { if case .packet(_, let s, _, _) = $0 { return s } else { return nil } }
        #expect(seqs.prefix(8) == [65530, 65531, 65532, 65533, 65534, 65535, 0, 1])
        #expect(missing(logs).isEmpty)
        #expect(jb.statistics.resyncs == 1)
    }

    @Test func thirtyMsPacketsWithTwentyMsTicks() {
        var jb = JitterBuffer<Int>()
        let pkts = stream(count: 200, spp: 240, sendMs: 30)
        var fifoMs = 0.0
        var started = false
        var starved = 0
        var maxPerTick = 0
        var wrongDuration = 0
        let logs = simulate(&jb, pkts, until: 10000, stopAfter: 199)
        for log in logs {
            let n = log.items.count
            maxPerTick = max(maxPerTick, n)
            for case .packet(let v, _, _, let d) in log.items {
                fifoMs += 30; started = true
                if v > 0 && d != 240 { wrongDuration += 1 }  // packet 0 plays before the ptime is known
            }
            if started && log.items.last.map({ if case .packet(let v, _, _, _) = $0 { return v != 199 } else { return true } }) ?? true {
                if fifoMs < 20 { starved += 1 }
                fifoMs -= 20
            }
        }
        #expect(played(logs) == Array(0..<200))
        #expect(missing(logs).isEmpty)
        #expect(jb.packetTimeMs == 30)
        #expect(maxPerTick == 1)
        #expect(starved == 0)
        #expect(wrongDuration == 0)
    }
}
