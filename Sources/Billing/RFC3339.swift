/// RFC 3339 §5.6 timestamps in UTC with milliseconds ("2024-05-01T08:30:00.250Z"), computed
/// with integer calendar arithmetic: no formatter objects, no locale, no time zone database.
public enum RFC3339 {
    /// Formats ms since the Unix epoch. Years are clamped to 0000...9999 (RFC 3339 §5.6 has
    /// four-digit years).
    public static func format(ms: Int64) -> String {
        let minMs: Int64 = -62_167_219_200_000   // 0000-01-01T00:00:00Z
        let maxMs: Int64 = 253_402_300_799_999   // 9999-12-31T23:59:59.999Z
        let t = min(max(ms, minMs), maxMs)
        let seconds = floorDiv(t, 1000)
        let millis = t - seconds * 1000
        let days = floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (y, m, d) = civil(daysSinceEpoch: days)
        var out = ""
        out.reserveCapacity(24)
        out += pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
        out += "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        out += "." + pad(millis, 3) + "Z"
        return out
    }

    /// Proleptic Gregorian date for a day count from 1970-01-01, using 400-year eras
    /// (146,097 days each) that start on March 1 so the leap day ends the year.
    static func civil(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSinceEpoch + 719_468            // days since 0000-03-01
        let era = floorDiv(z, 146_097)
        let dayOfEra = z - era * 146_097            // 0...146096
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // from March 1
        let monthIndex = (5 * dayOfYear + 2) / 153  // 0 = March ... 11 = February
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date: the inverse of `civil`.
    public static func days(year y0: Int64, month m: Int64, day d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = floorDiv(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Midnight UTC of the day holding `ms`.
    public static func startOfDay(ms: Int64) -> Int64 { floorDiv(ms, 86_400_000) * 86_400_000 }

    /// Midnight UTC of the first day of the month holding `ms`.
    public static func startOfMonth(ms: Int64) -> Int64 {
        let (y, m, _) = civil(daysSinceEpoch: floorDiv(ms, 86_400_000))
        return days(year: y, month: m, day: 1) * 86_400_000
    }

    /// Parses an RFC 3339 §5.6 `date-time` ("2026-11-29T06:58:35Z", with an optional
    /// fraction, `z`/`t` in either case, or a `±hh:mm` offset) to ms since the epoch. Digits
    /// past milliseconds are dropped. Nil for anything else.
    public static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        func num(_ at: Int, _ n: Int) -> Int64? {
            guard at + n <= b.count else { return nil }
            var v: Int64 = 0
            for k in at..<(at + n) {
                guard b[k] >= 48, b[k] <= 57 else { return nil }
                v = v * 10 + Int64(b[k] - 48)
            }
            return v
        }
        guard b.count >= 20, b.count <= 40, b[4] == 45, b[7] == 45, b[10] | 0x20 == 116, b[13] == 58, b[16] == 58,
              let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2), let s = num(17, 2),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        var i = 19
        var frac: Int64 = 0
        if b[i] == 46 {  // "."
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if digits < 3 { frac = frac * 10 + Int64(b[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in min(digits, 3)..<3 { frac *= 10 }
        }
        guard i < b.count else { return nil }
        var offsetMinutes: Int64 = 0
        if b[i] | 0x20 == 122 {  // "Z" or "z"
            i += 1
        } else if b[i] == 43 || b[i] == 45, b.count == i + 6, b[i + 3] == 58, let oh = num(i + 1, 2), let om = num(i + 4, 2), oh < 24, om < 60 {
            offsetMinutes = (oh * 60 + om) * (b[i] == 45 ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let seconds = days(year: y, month: mo, day: d) * 86_400 + h * 3600 + mi * 60 + s - offsetMinutes * 60
        return seconds * 1000 + frac
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
