import Billing
import Testing

/// admin-api.md "Billing": only answered calls cost; started seconds and started increments count.
@Suite struct TariffTests {
    let tariff = Tariff()  // inbound 0, outbound 300 (KES 3.00) per started minute

    @Test(arguments: [(0, 0), (1, 300), (59, 300), (60, 300), (61, 600), (90, 600), (3600, 18000)] as [(Int64, Int64)])
    func outboundCostPerStartedMinute(seconds: Int64, cost: Int64) {
        #expect(tariff.costMinor(durationSeconds: seconds, ratePerMinuteMinor: tariff.ratePerMinute(.outbound)) == cost)
    }

    @Test func inboundIsFreeByDefaultAndRatesArePerWorkspace() {
        #expect(tariff.costMinor(durationSeconds: 600, ratePerMinuteMinor: tariff.ratePerMinute(.inbound)) == 0)
        let other = Tariff(inboundPerMinuteMinor: 50, outboundPerMinuteMinor: 450)
        #expect(other.costMinor(durationSeconds: 61, ratePerMinuteMinor: other.ratePerMinute(.inbound)) == 100)
        #expect(other.costMinor(durationSeconds: 61, ratePerMinuteMinor: other.ratePerMinute(.outbound)) == 900)
    }

    @Test func anyStartedSecondCountsAndUnansweredCallsAreZero() {
        #expect(Tariff.billedSeconds(answeredAtMs: nil, endedAtMs: 90_000) == 0)
        #expect(Tariff.billedSeconds(answeredAtMs: 1_000, endedAtMs: 1_000) == 0)
        #expect(Tariff.billedSeconds(answeredAtMs: 1_000, endedAtMs: 1_001) == 1)
        #expect(Tariff.billedSeconds(answeredAtMs: 1_000, endedAtMs: 61_000) == 60)
        #expect(Tariff.billedSeconds(answeredAtMs: 1_000, endedAtMs: 61_001) == 61)
        #expect(Tariff.billedSeconds(answeredAtMs: 5_000, endedAtMs: 4_000) == 0)  // clock skew is not negative
    }

    @Test func configurableIncrement() {
        let perSecond = Tariff(outboundPerMinuteMinor: 300, incrementSeconds: 1)
        #expect(perSecond.costMinor(durationSeconds: 1, ratePerMinuteMinor: 300) == 5)
        #expect(perSecond.costMinor(durationSeconds: 90, ratePerMinuteMinor: 300) == 450)
        let halfMinute = Tariff(outboundPerMinuteMinor: 300, incrementSeconds: 30)
        #expect(halfMinute.costMinor(durationSeconds: 31, ratePerMinuteMinor: 300) == 300)
        #expect(halfMinute.costMinor(durationSeconds: 30, ratePerMinuteMinor: 300) == 150)
        // Absurd inputs saturate rather than trap.
        #expect(Tariff(incrementSeconds: Int64.max / 2).costMinor(durationSeconds: 5, ratePerMinuteMinor: 1_000) == Int64.max)
        // Fractions of a minor unit round up: 1 s at 7 cents a minute is 1 cent.
        #expect(Tariff(incrementSeconds: 1).costMinor(durationSeconds: 1, ratePerMinuteMinor: 7) == 1)
    }
}
