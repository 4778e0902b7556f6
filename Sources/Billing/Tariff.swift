/// How a call is priced (admin-api.md "Billing", from the seed's cost calculation): only
/// answered calls cost anything; the billed duration runs from answer to hangup with any
/// started second counted; the workspace's per-minute rate for the call's direction is
/// charged per started increment (60 s by default, configurable).
public struct Tariff: Sendable, Equatable {
    /// Per-minute rates in minor units (KES cents).
    public var inboundPerMinuteMinor: Int64
    public var outboundPerMinuteMinor: Int64
    /// Seconds per billing increment (60 = per started minute).
    public var incrementSeconds: Int64

    /// The seed's defaults: inbound free, outbound KES 3.00 per minute, per started minute.
    public init(inboundPerMinuteMinor: Int64 = 0, outboundPerMinuteMinor: Int64 = 300, incrementSeconds: Int64 = 60) {
        self.inboundPerMinuteMinor = max(0, inboundPerMinuteMinor)
        self.outboundPerMinuteMinor = max(0, outboundPerMinuteMinor)
        self.incrementSeconds = max(1, incrementSeconds)
    }

    public enum Direction: String, Sendable, Equatable { case inbound, outbound }

    /// The rate that applies to a call in `direction` (fixed at call time on the record).
    public func ratePerMinute(_ direction: Direction) -> Int64 {
        direction == .inbound ? inboundPerMinuteMinor : outboundPerMinuteMinor
    }

    /// Billed seconds between answer and hangup: any started second counts, so 0.2 s is 1 s
    /// and exactly 60.000 s is 60 s. Nil answer (never answered) is 0.
    public static func billedSeconds(answeredAtMs: Int64?, endedAtMs: Int64) -> Int64 {
        guard let a = answeredAtMs, endedAtMs > a else { return 0 }
        return (endedAtMs - a + 999) / 1000
    }

    /// `ceil(duration / increment)` increments, each `increment / 60` minutes at the rate,
    /// rounded up to a whole minor unit. With the default 60 s increment this is exactly the
    /// spec's `ceil(duration_seconds / 60) * rate_per_minute_minor`.
    public func costMinor(durationSeconds: Int64, ratePerMinuteMinor: Int64) -> Int64 {
        guard durationSeconds > 0, ratePerMinuteMinor > 0 else { return 0 }
        let increments = (durationSeconds + incrementSeconds - 1) / incrementSeconds
        let perIncrement = incrementSeconds.multipliedReportingOverflow(by: ratePerMinuteMinor)
        let numerator = increments.multipliedReportingOverflow(by: perIncrement.partialValue)
        guard !perIncrement.overflow, !numerator.overflow, numerator.partialValue <= Int64.max - 59 else { return Int64.max }
        return (numerator.partialValue + 59) / 60
    }
}
