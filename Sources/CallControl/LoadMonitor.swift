/// Decides when the signalling queue is overloaded, from how late its periodic tick runs.
///
/// A tick scheduled every `period` that arrives late means the queue had more work than time.
/// One late tick (a dictionary resize, a scheduler hiccup) must not turn calls away, so the
/// lag is smoothed (EWMA, weight 1/8) and shedding starts only when the smoothed lag passes
/// `shedAbove`, and stops below `clearBelow` (hysteresis, so it does not flap).
public struct LoadMonitor: Sendable {
    public let period: Int64
    public let shedAbove: Int64
    public let clearBelow: Int64
    private var lastTick: Int64?
    /// Smoothed lag in nanoseconds.
    public private(set) var smoothedLag: Int64 = 0
    public private(set) var overloaded = false

    public init(period: Int64 = 10_000_000, shedAbove: Int64 = 25_000_000, clearBelow: Int64 = 8_000_000) {
        self.period = period
        self.shedAbove = shedAbove
        self.clearBelow = clearBelow
    }

    /// Records a tick at `now` (nanoseconds); returns true when the overload state changed.
    public mutating func tick(now: Int64) -> Bool {
        defer { lastTick = now }
        guard let last = lastTick else { return false }
        let lag = max(0, now - last - period)
        smoothedLag += (lag - smoothedLag) / 8
        let was = overloaded
        if !overloaded && smoothedLag > shedAbove { overloaded = true }
        if overloaded && smoothedLag < clearBelow { overloaded = false }
        return was != overloaded
    }
}
