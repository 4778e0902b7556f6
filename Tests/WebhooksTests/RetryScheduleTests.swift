import Testing

@testable import Webhooks

@Suite struct RetryScheduleTests {
    let schedule = RetrySchedule.standard
    let second: Int64 = 1_000
    let hour: Int64 = 3_600_000
    let t0: Int64 = 1_700_000_000_000

    @Test func ladderThenEveryFourHours() {
        let expected: [Int64] = [10, 30, 60, 120, 300, 600, 1_800, 3_600, 7_200, 14_400, 14_400, 14_400]
        for (index, seconds) in expected.enumerated() {
            #expect(schedule.baseDelay(afterAttempt: index + 1) == seconds * second, "attempt \(index + 1)")
        }
        #expect(schedule.baseDelay(afterAttempt: 50) == 4 * hour)
        #expect(schedule.baseDelay(afterAttempt: 0) == 10 * second)  // nonsense input counts as 1
        #expect(schedule.baseDelay(afterAttempt: -3) == 10 * second)
    }

    @Test func nextAttemptWithoutJitterIsNowPlusLadder() {
        #expect(schedule.nextAttempt(afterAttempt: 1, firstAttemptAt: t0, now: t0, jitter: 0) == t0 + 10 * second)
        #expect(schedule.nextAttempt(afterAttempt: 2, firstAttemptAt: t0, now: t0 + 10 * second, jitter: 0) == t0 + 40 * second)
        #expect(schedule.nextAttempt(afterAttempt: 11, firstAttemptAt: t0, now: t0 + 9 * hour, jitter: 0) == t0 + 13 * hour)
    }

    @Test func fullSequenceWalksToGiveUpWithin24Hours() {
        // Simulate a receiver that is down for good, each attempt answered instantly.
        var now = t0
        var attempts = 0
        var times: [Int64] = []
        while let next = schedule.nextAttempt(afterAttempt: attempts + 1, firstAttemptAt: t0, now: now, jitter: 0) {
            attempts += 1
            times.append(next - t0)
            now = next
        }
        attempts += 1  // the attempt whose retry was refused
        // 10 s … 4 h sums to 28,120 s (7 h 48 m 40 s); then +4 h while ≤ 24 h: 11h48, 15h48, 19h48, 23h48.
        let expectedSeconds: [Int64] = [10, 40, 100, 220, 520, 1_120, 2_920, 6_520, 13_720, 28_120, 42_520, 56_920, 71_320, 85_720]
        #expect(times == expectedSeconds.map { $0 * second })
        #expect(attempts == 15)
        #expect(times.allSatisfy { $0 <= 24 * hour })
    }

    @Test func giveUpExactlyAtTheHorizon() {
        // Next at exactly firstAttemptAt + 24 h is allowed; one millisecond later is not.
        let now = t0 + 24 * hour - 10 * second
        #expect(schedule.nextAttempt(afterAttempt: 1, firstAttemptAt: t0, now: now, jitter: 0) == t0 + 24 * hour)
        #expect(schedule.nextAttempt(afterAttempt: 1, firstAttemptAt: t0, now: now + 1, jitter: 0) == nil)
        #expect(schedule.nextAttempt(afterAttempt: 12, firstAttemptAt: t0, now: t0 + 21 * hour, jitter: 0) == nil)
    }

    @Test func jitterOnlyAddsUpToTwentyPercent() {
        for attempt in 1...14 {
            let base = schedule.baseDelay(afterAttempt: attempt)
            let low = schedule.nextAttempt(afterAttempt: attempt, firstAttemptAt: t0, now: t0, jitter: 0)
            let mid = schedule.nextAttempt(afterAttempt: attempt, firstAttemptAt: t0, now: t0, jitter: 0.5)
            let high = schedule.nextAttempt(afterAttempt: attempt, firstAttemptAt: t0, now: t0, jitter: 0.999_999)
            #expect(low == t0 + base)
            #expect(mid == t0 + base + base / 10)
            let highDelay = (high ?? 0) - t0
            #expect(highDelay >= base && highDelay < base + base / 5, "attempt \(attempt)")
        }
        // Out-of-range jitter is clamped, NaN counts as none.
        #expect(schedule.nextAttempt(afterAttempt: 1, firstAttemptAt: t0, now: t0, jitter: -5) == t0 + 10 * second)
        #expect(schedule.nextAttempt(afterAttempt: 1, firstAttemptAt: t0, now: t0, jitter: 7) == t0 + 12 * second)
        #expect(schedule.nextAttempt(afterAttempt: 1, firstAttemptAt: t0, now: t0, jitter: .nan) == t0 + 10 * second)
    }

    @Test func jitterCanPushPastHorizon() {
        let now = t0 + 24 * hour - 10 * second
        #expect(schedule.nextAttempt(afterAttempt: 1, firstAttemptAt: t0, now: now, jitter: 0) != nil)
        #expect(schedule.nextAttempt(afterAttempt: 1, firstAttemptAt: t0, now: now, jitter: 0.5) == nil)
    }

    @Test func retryAfterHonouredWhenLongerCappedAtOneHour() {
        // Longer than the ladder: used.
        #expect(schedule.nextAttempt(afterAttempt: 1, firstAttemptAt: t0, now: t0, jitter: 0, retryAfterSeconds: 120) == t0 + 120 * second)
        // Shorter than the ladder: the ladder wins.
        #expect(schedule.nextAttempt(afterAttempt: 3, firstAttemptAt: t0, now: t0, jitter: 0, retryAfterSeconds: 5) == t0 + 60 * second)
        // Capped at 1 h, however large (including overflow-sized values).
        #expect(schedule.nextAttempt(afterAttempt: 1, firstAttemptAt: t0, now: t0, jitter: 0, retryAfterSeconds: 86_400) == t0 + hour)
        #expect(schedule.nextAttempt(afterAttempt: 1, firstAttemptAt: t0, now: t0, jitter: 0, retryAfterSeconds: Int64.max) == t0 + hour)
        // The ladder beyond 1 h is not shortened by a smaller Retry-After.
        #expect(schedule.nextAttempt(afterAttempt: 10, firstAttemptAt: t0, now: t0, jitter: 0, retryAfterSeconds: 86_400) == t0 + 4 * hour)
        // Negative is ignored; still subject to the 24 h horizon.
        #expect(schedule.nextAttempt(afterAttempt: 1, firstAttemptAt: t0, now: t0, jitter: 0, retryAfterSeconds: -50) == t0 + 10 * second)
        #expect(schedule.nextAttempt(afterAttempt: 1, firstAttemptAt: t0, now: t0 + 23 * hour + 1, jitter: 0, retryAfterSeconds: 3_600) == nil)
    }

    @Test func retryAfterParsingOnlyFor429And503DelaySeconds() {
        #expect(RetrySchedule.retryAfterSeconds(statusCode: 429, headerValue: "120") == 120)
        #expect(RetrySchedule.retryAfterSeconds(statusCode: 503, headerValue: " 30 ") == 30)
        #expect(RetrySchedule.retryAfterSeconds(statusCode: 503, headerValue: "0") == 0)
        #expect(RetrySchedule.retryAfterSeconds(statusCode: 500, headerValue: "120") == nil)
        #expect(RetrySchedule.retryAfterSeconds(statusCode: nil, headerValue: "120") == nil)
        #expect(RetrySchedule.retryAfterSeconds(statusCode: 429, headerValue: nil) == nil)
        #expect(RetrySchedule.retryAfterSeconds(statusCode: 429, headerValue: "") == nil)
        #expect(RetrySchedule.retryAfterSeconds(statusCode: 429, headerValue: "Wed, 21 Oct 2015 07:28:00 GMT") == nil)
        #expect(RetrySchedule.retryAfterSeconds(statusCode: 429, headerValue: "-5") == nil)
        #expect(RetrySchedule.retryAfterSeconds(statusCode: 429, headerValue: "1.5") == nil)
        #expect(RetrySchedule.retryAfterSeconds(statusCode: 429, headerValue: "12 34") == nil)
        let huge = RetrySchedule.retryAfterSeconds(statusCode: 429, headerValue: String(repeating: "9", count: 400))
        #expect((huge ?? 0) >= 3_600)  // saturates instead of overflowing
    }

    @Test func overflowGivesUpInsteadOfTrapping() {
        let weird = RetrySchedule(delays: [Int64.max], steadyDelay: Int64.max, maxAge: Int64.max)
        #expect(weird.nextAttempt(afterAttempt: 1, firstAttemptAt: 0, now: 1, jitter: 0.9) == nil)
        #expect(schedule.nextAttempt(afterAttempt: 1, firstAttemptAt: Int64.max, now: 0, jitter: 0) == nil)
    }
}
