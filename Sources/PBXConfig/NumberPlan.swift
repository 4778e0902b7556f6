/// What the PBX does with a call to a configured number.
///
/// To add a route: add a case here (its raw value is the word used in YAML); the config
/// parser, its error messages and the sample file's list of routes all come from `allCases`.
public enum NumberRoute: String, Sendable, Equatable, Hashable, CaseIterable {
    /// Answer the call and keep it up with no media of interest (a held call).
    case hold
    /// Answer and send the caller's own audio back (an echo test).
    case echo
    /// Answer and run the built-in demo voice application.
    case appDemo = "app:demo"
}

/// One `numbers:` entry: a dialable user part and what to do with calls to it.
public struct NumberEntry: Sendable, Equatable, Hashable {
    /// Normalized number: "+" and digits for E.164 (spaces removed), or a plain SIP user.
    public let number: String
    /// What to do with calls to this number.
    public let route: NumberRoute
    /// Optional human label, e.g. "Demo line".
    public let name: String?

    /// Creates an entry from text as written in YAML; nil when `number` is not a valid number.
    public init?(number: String, route: NumberRoute, name: String? = nil) {
        guard let normalized = NumberEntry.normalize(number) else { return nil }
        self.number = normalized
        self.route = route
        self.name = name
    }

    /// Whether the number is an E.164 number ("+" and digits) rather than a plain SIP user.
    public var isE164: Bool { number.utf8.first == UInt8(ascii: "+") }

    /// The key used to match Request-URI user parts: the number without its leading "+".
    public var matchKey: Substring { NumberEntry.matchKey(forUser: number) }

    /// Normalizes a configured number: E.164 ("+", 1-15 digits, first digit 1-9, spaces
    /// allowed and removed) or a plain SIP user ([A-Za-z0-9._-]+); nil when it is neither.
    public static func normalize(_ text: String) -> String? {
        if text.utf8.first == UInt8(ascii: "+") {
            // ITU-T E.164 §6: at most 15 digits, and a country code never starts with 0.
            var digits: [UInt8] = [UInt8(ascii: "+")]
            for byte in text.utf8.dropFirst() where byte != UInt8(ascii: " ") {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                digits.append(byte)
            }
            guard (2...16).contains(digits.count), digits[1] != UInt8(ascii: "0") else { return nil }
            return String(decoding: digits, as: UTF8.self)
        }
        guard !text.isEmpty, text.utf8.allSatisfy(isPlainUserByte) else { return nil }
        return text
    }

    /// The lookup key for a Request-URI user part: a leading "+" is dropped, so
    /// "+254700000001" and "254700000001" find the same entry. SIP users compare
    /// case-sensitively (RFC 3261 §19.1.4), so nothing else is folded.
    public static func matchKey(forUser user: String) -> Substring {
        user.utf8.first == UInt8(ascii: "+") ? user.dropFirst() : Substring(user)
    }
}

/// Bytes allowed in a plain SIP user number: [A-Za-z0-9._-].
private func isPlainUserByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
         UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
        return true
    default:
        return false
    }
}

/// The configured numbers with an index for constant-time routing of incoming calls.
public struct NumberPlan: Sendable, Equatable {
    /// Entries in file order.
    public let entries: [NumberEntry]
    /// matchKey -> index into `entries`. Derived from `entries`, so equality stays consistent.
    private let index: [Substring: Int]

    /// An empty plan: every call is unrouted.
    public init() {
        entries = []
        index = [:]
    }

    /// Builds a plan; on two entries with the same match key, returns the indices of the clash.
    public static func build(_ entries: [NumberEntry]) -> Result<NumberPlan, NumberPlanConflict> {
        var index: [Substring: Int] = [:]
        index.reserveCapacity(entries.count)
        for (position, entry) in entries.enumerated() {
            if let earlier = index[entry.matchKey] {
                return .failure(NumberPlanConflict(first: earlier, duplicate: position))
            }
            index[entry.matchKey] = position
        }
        return .success(NumberPlan(entries: entries, index: index))
    }

    private init(entries: [NumberEntry], index: [Substring: Int]) {
        self.entries = entries
        self.index = index
    }

    /// The entry for a Request-URI user part ("+254700000001", "254700000001" or "echo").
    public func entry(forUser user: String) -> NumberEntry? {
        guard let position = index[NumberEntry.matchKey(forUser: user)] else { return nil }
        return entries[position]
    }

    /// The route for a Request-URI user part, or nil when the number is not configured.
    public func route(forUser user: String) -> NumberRoute? {
        entry(forUser: user)?.route
    }
}

/// Two plan entries that match the same user part.
public struct NumberPlanConflict: Error, Sendable, Equatable {
    /// Index of the entry that came first.
    public let first: Int
    /// Index of the later entry that duplicates it.
    public let duplicate: Int
}
