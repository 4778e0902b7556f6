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
