/// When to try a failed delivery again: a fixed, roughly exponential ladder with jitter, then a
/// steady interval, giving up once the next try would land more than `maxAge` after the event.
///
/// Pure: the current time and the random jitter fraction are inputs. All times are milliseconds.
public struct RetrySchedule: Sendable, Equatable {
    /// Delay after attempt 1, 2, 3, …: 10 s, 30 s, 1 m, 2 m, 5 m, 10 m, 30 m, 1 h, 2 h, 4 h.
    public var delays: [Int64]
    /// Delay after every attempt past the end of `delays` (4 h).
    public var steadyDelay: Int64
    /// Give up when the next attempt would be later than this after `firstAttemptAt` (24 h).
    public var maxAge: Int64
    /// Jitter adds up to this fraction of the delay (0.2 → up to +20 %), never subtracts, so a
    /// retry is never earlier than the ladder promises and receivers' `Retry-After` stays honoured.
    public var jitterRatio: Double
    /// A receiver's `Retry-After` is honoured up to this long (1 h), so one header cannot park
    /// a delivery for the rest of its life.
    public var retryAfterCap: Int64

    /// The schedule the spec asks for (spec/admin-api.md, Webhooks).
    public static let standard = RetrySchedule()

    /// Creates a schedule; the defaults are `standard`.
    public init(
        delays: [Int64] = [10, 30, 60, 120, 300, 600, 1_800, 3_600, 7_200, 14_400].map { $0 * 1_000 },
        steadyDelay: Int64 = 14_400_000,
        maxAge: Int64 = 86_400_000,
        jitterRatio: Double = 0.2,
        retryAfterCap: Int64 = 3_600_000
    ) {
        self.delays = delays
        self.steadyDelay = steadyDelay
        self.maxAge = maxAge
        self.jitterRatio = jitterRatio
        self.retryAfterCap = retryAfterCap
    }

    /// The ladder delay (no jitter) after attempt `n` (1-based; values below 1 count as 1).
    public func baseDelay(afterAttempt n: Int) -> Int64 {
        let index = max(n, 1) - 1
        return index < delays.count ? max(delays[index], 0) : max(steadyDelay, 0)
    }

    /// When to make attempt `n + 1`, or nil to give up.
    ///
    /// - Parameters:
    ///   - n: attempts made so far, including the one that just failed.
    ///   - firstAttemptAt: when the event was created (ms); the give-up horizon counts from here.
    ///   - now: when attempt `n` finished (ms).
    ///   - jitter: a random fraction in 0..<1 (clamped; NaN counts as 0).
    ///   - retryAfterSeconds: the receiver's `Retry-After`, only when it should be honoured
    ///     (see `retryAfterSeconds(statusCode:headerValue:)`); used when longer than the ladder.
    public func nextAttempt(
        afterAttempt n: Int,
        firstAttemptAt: Int64,
        now: Int64,
        jitter: Double,
        retryAfterSeconds: Int64? = nil
    ) -> Int64? {
        var delay = jittered(baseDelay(afterAttempt: n), jitter: jitter)
        if let retryAfterSeconds {
            // RFC 9110 §10.2.3: the receiver asks us to wait at least this long.
            let asked = retryAfterSeconds.multipliedReportingOverflow(by: 1_000)
            let honoured = asked.overflow ? retryAfterCap : min(max(asked.partialValue, 0), retryAfterCap)
            delay = max(delay, honoured)
        }
        let next = now.addingReportingOverflow(delay)
        let horizon = firstAttemptAt.addingReportingOverflow(maxAge)
        guard !next.overflow, !horizon.overflow, next.partialValue <= horizon.partialValue else { return nil }
        return next.partialValue
    }

    /// `delay` plus `jitter × jitterRatio × delay`, rounded down to whole milliseconds.
    func jittered(_ delay: Int64, jitter: Double) -> Int64 {
        let fraction = jitter.isNaN ? 0 : min(max(jitter, 0), 1)
        let ratio = jitterRatio.isNaN ? 0 : min(max(jitterRatio, 0), 1)
        let extra = (Double(delay) * ratio * fraction).rounded(.down)
        // extra ≤ delay, so the sum can only overflow for absurd custom delays; clamp instead.
        guard extra < Double(Int64.max - delay) else { return Int64.max }
        return delay + Int64(extra)
    }

    /// The `Retry-After` delay in seconds a receiver asked for, when it is one to honour:
    /// only on 429 (RFC 6585 §4) and 503 (RFC 9110 §15.6.4), and only the delay-seconds form
    /// (RFC 9110 §10.2.3). The HTTP-date form is ignored: it depends on the receiver's clock.
    public static func retryAfterSeconds(statusCode: Int?, headerValue: String?) -> Int64? {
        guard statusCode == 429 || statusCode == 503, let headerValue else { return nil }
        var seconds: Int64 = 0
        var digits = 0
        var ended = false  // trailing whitespace seen; only more whitespace may follow
        for byte in headerValue.utf8 {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                ended = digits > 0
                continue
            }
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10, !ended else { return nil }
            digits += 1
            // Saturate: anything this large is capped at `retryAfterCap` anyway.
            if seconds < 1_000_000_000 { seconds = seconds * 10 + Int64(digit) }
        }
        return digits > 0 ? seconds : nil
    }
}
