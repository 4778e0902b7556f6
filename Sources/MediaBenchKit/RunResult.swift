/// What one run measured, and its one-line rendering (key=value pairs: easy to grep, to
/// parse with `read`/awk, and still readable).
public struct RunResult: Sendable, Equatable {
    public var codec: BenchCodec
    /// Calls asked for.
    public var legs: Int
    /// Calls that got no usable 200 within 5 s.
    public var failed: Int
    /// Window length in seconds (wall clock).
    public var windowSeconds: Double
    /// Daemon CPU over the window, in clock ticks of `ticksPerSecond`.
    public var daemonTicks: Int
    public var ticksPerSecond: Int
    /// Busiest daemon thread over the window, % of one core.
    public var daemonTopThreadPercent: Double
    /// Daemon VmRSS before any call and during the steady window, KiB.
    public var rssBeforeKB: Int
    public var rssSteadyKB: Int
    /// Packets sent in the window, echoes received for them, payload mismatches.
    public var sent: Int
    public var received: Int
    public var mismatched: Int
    /// |inter-arrival − 20 ms| of the echoes over the window.
    public var p99JitterNs: Int64
    public var maxJitterNs: Int64
    /// Generator CPU over the window, % of one core: whole process, sender and receiver thread.
    public var generatorPercent: Double
    public var senderPercent: Double
    public var receiverPercent: Double
    /// 20 ms ticks the sender started more than 2 ms late (generator saturation).
    public var lateTicks: Int
    /// Kernel UDP buffer drops over the window, whole machine.
    public var udpDrops: Int
    /// Calls whose BYE got no final response.
    public var byeFailed: Int
    /// Busy CPU of the whole machine over the window, in clock ticks (all cores together):
    /// what neither the daemon nor the generator used shows other load that skews the run.
    public var machineBusyTicks: Int

    public init(codec: BenchCodec, legs: Int, failed: Int, windowSeconds: Double, daemonTicks: Int, ticksPerSecond: Int,
                daemonTopThreadPercent: Double, rssBeforeKB: Int, rssSteadyKB: Int, sent: Int, received: Int,
                mismatched: Int, p99JitterNs: Int64, maxJitterNs: Int64, generatorPercent: Double, senderPercent: Double,
                receiverPercent: Double, lateTicks: Int, udpDrops: Int, byeFailed: Int, machineBusyTicks: Int) {
        self.codec = codec
        self.legs = legs
        self.failed = failed
        self.windowSeconds = windowSeconds
        self.daemonTicks = daemonTicks
        self.ticksPerSecond = ticksPerSecond
        self.daemonTopThreadPercent = daemonTopThreadPercent
        self.rssBeforeKB = rssBeforeKB
        self.rssSteadyKB = rssSteadyKB
        self.sent = sent
        self.received = received
        self.mismatched = mismatched
        self.p99JitterNs = p99JitterNs
        self.maxJitterNs = maxJitterNs
        self.generatorPercent = generatorPercent
        self.senderPercent = senderPercent
        self.receiverPercent = receiverPercent
        self.lateTicks = lateTicks
        self.udpDrops = udpDrops
        self.byeFailed = byeFailed
        self.machineBusyTicks = machineBusyTicks
    }

    /// Legs that carried media.
    public var activeLegs: Int { max(0, legs - failed) }
    /// Daemon CPU over the window, % of one core.
    public var cpuTotalPercent: Double {
        windowSeconds > 0 ? Double(daemonTicks) / Double(max(1, ticksPerSecond)) / windowSeconds * 100 : 0
    }
    /// Daemon CPU per leg, % of one core.
    public var cpuPerLegPercent: Double { activeLegs > 0 ? cpuTotalPercent / Double(activeLegs) : 0 }
    /// Legs one core could carry at this cost (the target reads "≥ 1,000 per core").
    public var legsPerCore: Int { cpuPerLegPercent > 0 ? Int(100 / cpuPerLegPercent) : 0 }
    /// RSS growth per leg, KiB.
    public var rssPerLegKB: Double { activeLegs > 0 ? Double(rssSteadyKB - rssBeforeKB) / Double(activeLegs) : 0 }
    /// Machine CPU used by neither the daemon nor the generator, % of one core (0 = a quiet
    /// machine; tens of percent = someone else's load distorted the figures).
    public var otherPercent: Double {
        guard windowSeconds > 0 else { return 0 }
        let machine = Double(machineBusyTicks) / Double(max(1, ticksPerSecond)) / windowSeconds * 100
        return max(0, machine - cpuTotalPercent - generatorPercent)
    }
    /// Packets sent in the window that never came back.
    public var lost: Int { max(0, sent - received) }

    /// One line, e.g. `codec=pcmu legs=1000 failed=0 cpu_per_leg=0.041% … gen_cpu=55%`.
    public var line: String {
        "codec=\(codec.rawValue) legs=\(legs) failed=\(failed)"
            + " cpu_per_leg=\(fixed(cpuPerLegPercent, 4))% cpu_total=\(fixed(cpuTotalPercent, 1))%"
            + " legs_per_core=\(legsPerCore) daemon_top_thread=\(fixed(daemonTopThreadPercent, 1))%"
            + " rss_per_leg=\(fixed(rssPerLegKB, 1))KB rss_mb=\(fixed(Double(rssSteadyKB) / 1024, 1))"
            + " sent=\(sent) lost=\(lost) mismatched=\(mismatched)"
            + " p99_jitter_ms=\(fixed(Double(p99JitterNs) / 1e6, 2)) max_jitter_ms=\(fixed(Double(maxJitterNs) / 1e6, 2))"
            + " gen_cpu=\(fixed(generatorPercent, 0))% gen_send=\(fixed(senderPercent, 0))%"
            + " gen_recv=\(fixed(receiverPercent, 0))% late_ticks=\(lateTicks) udp_drops=\(udpDrops) bye_failed=\(byeFailed)"
            + " other_cpu=\(fixed(otherPercent, 0))%"
    }
}

/// Fixed-point formatting without Foundation (`String(format:)`), rounding half away from zero.
func fixed(_ x: Double, _ decimals: Int) -> String {
    guard x.isFinite else { return "nan" }
    var scale = 1.0
    for _ in 0..<max(0, decimals) { scale *= 10 }
    let scaled = (abs(x) * scale).rounded()
    guard scaled < 9e15 else { return String(x) }
    let n = Int(scaled)
    let sign = x < 0 && n != 0 ? "-" : ""
    if decimals <= 0 { return sign + String(n) }
    let p = Int(scale)
    var frac = String(n % p)
    while frac.count < decimals { frac = "0" + frac }
    return "\(sign)\(n / p).\(frac)"
}
