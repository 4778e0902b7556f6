/// A callback document the PBX cannot run (voice-actions.md §2, §4): the path names where,
/// the message says what to fix, e.g. `actions[3].getDigits.nested[0]: only say and play are
/// allowed here`. It becomes a `callback.failed` call event; the fallback URL is tried next.
public struct DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(_ path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }

    /// The call event reason code.
    public var code: String { "voice.document_invalid" }
}

/// The spec's document limits.
public enum DocumentLimits {
    /// A document is at most 64 KiB.
    public static let maxBytes = 64 * 1024
    /// At most 50 actions.
    public static let maxActions = 50
    /// `say.text` is at most 4000 characters.
    public static let maxSayCharacters = 4000
}

/// A parsed JSON value (RFC 8259), kept only long enough to validate a document.
indirect enum JSONTree: Decodable, Equatable {
    case null, bool(Bool), int(Int64), double(Double), string(String), array([JSONTree]), object([String: JSONTree])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null } else if let b = try? c.decode(Bool.self) { self = .bool(b) } else if let i = try? c.decode(Int64.self) {
            self = .int(i)
        } else if let d = try? c.decode(Double.self) { self = .double(d) } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONTree].self) { self = .array(a) } else { self = .object(try c.decode([String: JSONTree].self)) }
    }

    /// What the value is, for messages ("got a number").
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "true/false"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
