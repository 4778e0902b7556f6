import CallControl
import Testing

@Suite struct LoadMonitorTests {
    let ms: Int64 = 1_000_000

    @Test func oneStallDoesNotShed() {
        var m = LoadMonitor()
        var t: Int64 = 0
        for _ in 0..<100 { t += 10 * ms; _ = m.tick(now: t) }
        t += 150 * ms // a single 140 ms hiccup
        _ = m.tick(now: t)
        #expect(!m.overloaded)
    }

    @Test func sustainedLagShedsThenRecovers() {
        var m = LoadMonitor()
        var t: Int64 = 0
        var changes = 0
        for _ in 0..<50 { t += 50 * ms; if m.tick(now: t) { changes += 1 } } // ticks 40 ms late
        #expect(m.overloaded)
        for _ in 0..<100 { t += 10 * ms; if m.tick(now: t) { changes += 1 } }
        #expect(!m.overloaded)
        #expect(changes == 2) // once on, once off: no flapping
    }
}
