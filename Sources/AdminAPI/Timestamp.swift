/// RFC 3339 timestamps (UTC, milliseconds) for the wire, and the `from`/`to` query forms the
/// spec accepts (RFC 3339 or unix seconds). Times are ms since the Unix epoch everywhere else.
public enum Timestamp {
    /// `2026-11-29T06:58:35.123Z`.
    public static func format(ms: Int64) -> String {
        let (days, msOfDay) = ms.quotientAndRemainderFloor(86_400_000)
        let (y, m, d) = civil(fromDays: days)
        let s = msOfDay / 1000, frac = msOfDay % 1000
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(s / 3600, 2)):\(pad(s / 60 % 60, 2)):\(pad(s % 60, 2)).\(pad(frac, 3))Z"
    }

    static func format(_ ms: Int64?) -> JSONValue { ms.map { .string(format(ms: $0)) } ?? .null }

    /// Parses RFC 3339 (`2026-11-29T06:58:35Z`, fractions and offsets allowed) or a whole
    /// number of unix seconds. Nil when it is neither.
    public static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        if !b.isEmpty, b.count <= 12, b.allSatisfy({ $0 >= 48 && $0 <= 57 }), let secs = Int64(text) { return secs * 1000 }
        guard b.count >= 20, b[4] == 45, b[7] == 45, b[10] == 84 || b[10] == 116, b[13] == 58, b[16] == 58,
              let y = num(b, 0, 4), let mo = num(b, 5, 2), let d = num(b, 8, 2),
              let h = num(b, 11, 2), let mi = num(b, 14, 2), let s = num(b, 17, 2),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        var i = 19
        var frac: Int64 = 0
        if i < b.count, b[i] == 46 {
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
        var offsetMin: Int64 = 0
        if b[i] == 90 || b[i] == 122 {
            i += 1
        } else if b[i] == 43 || b[i] == 45, b.count == i + 6, b[i + 3] == 58, let oh = num(b, i + 1, 2), let om = num(b, i + 4, 2) {
            offsetMin = (oh * 60 + om) * (b[i] == 45 ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = daysFromCivil(y, mo, d)
        return ((days * 86_400 + h * 3600 + mi * 60 + s) - offsetMin * 60) * 1000 + frac
    }

    private static func num(_ b: [UInt8], _ at: Int, _ n: Int) -> Int64? {
        var v: Int64 = 0
        for k in at..<(at + n) {
            guard k < b.count, b[k] >= 48, b[k] <= 57 else { return nil }
            v = v * 10 + Int64(b[k] - 48)
        }
        return v
    }

    private static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

extension Int64 {
    /// Division rounding toward negative infinity (times before 1970 still format).
    func quotientAndRemainderFloor(_ d: Int64) -> (Int64, Int64) {
        let (q, r) = quotientAndRemainder(dividingBy: d)
        return r < 0 ? (q - 1, r + d) : (q, r)
    }
}
