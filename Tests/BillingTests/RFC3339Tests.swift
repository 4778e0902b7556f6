import Billing
import Foundation
import Testing

/// RFC 3339 §5.6 parsing (API query times) against our formatter and Foundation's parser.
@Suite struct RFC3339Tests {
    @Test func parseInvertsFormatOverAWideRange() {
        var state: UInt64 = 3339
        for _ in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let ms = Int64(state >> 20) % 8_000_000_000_000 - 1_000_000_000_000  // 1938 ... 2223
            #expect(RFC3339.parse(RFC3339.format(ms: ms)) == ms, "\(ms)")
        }
    }

    @Test func offsetsFractionsAndFoundationAgree() throws {
        #expect(RFC3339.parse("2026-11-29T06:58:35Z") == 1_795_935_515_000)
        #expect(RFC3339.parse("2026-11-29T09:58:35+03:00") == 1_795_935_515_000)  // Nairobi
        #expect(RFC3339.parse("2026-11-29t06:58:35.5z") == 1_795_935_515_500)
        #expect(RFC3339.parse("2026-11-29T06:58:35.123456Z") == 1_795_935_515_123)
        #expect(RFC3339.parse("2026-11-28T23:58:35-07:00") == 1_795_935_515_000)
        let f = ISO8601DateFormatter()
        let d = try #require(f.date(from: "2000-02-29T12:00:00+01:30"))
        #expect(RFC3339.parse("2000-02-29T12:00:00+01:30") == Int64(d.timeIntervalSince1970 * 1000))
    }

    @Test(arguments: ["", "2026-11-29", "2026-11-29T06:58Z", "2026-13-01T00:00:00Z", "2026-11-29T24:00:00Z",
                      "2026-11-29T06:58:35", "2026-11-29T06:58:35.Z", "2026-11-29T06:58:35+0300", "2026-11-29T06:58:35Zjunk",
                      "yesterday", "２０２６-11-29T06:58:35Z"])
    func garbageIsNil(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test func dayAndMonthStarts() {
        let t = RFC3339.parse("2024-02-29T23:59:59.999Z") ?? 0
        #expect(RFC3339.format(ms: RFC3339.startOfDay(ms: t)) == "2024-02-29T00:00:00.000Z")
        #expect(RFC3339.format(ms: RFC3339.startOfMonth(ms: t)) == "2024-02-01T00:00:00.000Z")
        #expect(RFC3339.format(ms: RFC3339.startOfDay(ms: -1)) == "1969-12-31T00:00:00.000Z")
    }
}
