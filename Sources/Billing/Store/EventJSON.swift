import Foundation

/// A JSON value for event payloads and webhook data, built from dictionaries so absent
/// fields can be explicit `null`s (receivers see every key on every event of a type).
/// Internal: other modules have their own JSON types and must not collide with this one.
enum EventJSON: Encodable, Equatable, Sendable {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case null
    case array([EventJSON])
    case object([String: EventJSON])

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .object(let members):
            try members.encode(to: encoder)
        case .array(let items):
            try items.encode(to: encoder)
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .int(let i):
            var c = encoder.singleValueContainer()
            try c.encode(i)
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        }
    }

    /// `.string` or `.null`.
    static func string(_ s: String?) -> EventJSON { s.map(EventJSON.string) ?? .null }
    /// `.int` or `.null`.
    static func int(_ i: Int64?) -> EventJSON { i.map(EventJSON.int) ?? .null }
    /// `.int` or `.null`.
    static func int(_ i: Int?) -> EventJSON { i.map { .int(Int64($0)) } ?? .null }
    /// An RFC 3339 UTC timestamp string, or `.null`.
    static func time(_ ms: Int64?) -> EventJSON { ms.map { .string(RFC3339.format(ms: $0)) } ?? .null }

    /// Compact JSON text with sorted keys (stable bytes for tests and signatures).
    static func text(_ members: [String: EventJSON]) -> String {
        EventJSON.object(members).text
    }

    /// Compact JSON text of this value with sorted keys.
    var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, integers and nested containers of them cannot fail.
        guard let data = try? encoder.encode(self) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Whether `text` parses as JSON (any value, fragments allowed).
    static func isValid(_ text: String) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) != nil
    }
}

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

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
