import Yams

/// A YAML node together with its key path, with strict typed accessors.
///
/// Every accessor fails with a `ConfigIssue` naming the key path, so a wrong type
/// (`port_min: abc`) or a typo'd key never passes silently.
struct ConfigNode {
    let node: Node
    /// Dotted key path with list indices, e.g. `sip.listen[1]`; empty for the document root.
    let path: String

    var line: Int? { node.mark?.line }

    /// A problem with this node's value.
    func issue(_ problem: String) -> ConfigIssue {
        ConfigIssue(at: path, problem, line: line)
    }

    /// Whether the value is an explicit YAML null (`~`, `null`, or nothing after the colon).
    var isNull: Bool {
        if case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any {
            return node.null != nil
        }
        return false
    }

    /// A short description of the value for error messages.
    var shown: String {
        switch node {
        case .scalar(let scalar): return isNull ? "null" : quoted(scalar.string)
        case .mapping: return "a map"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// An integer in `range`, written as a plain YAML integer (`"30"` in quotes is a string).
    func int(in range: ClosedRange<Int>) throws(ConfigIssue) -> Int {
        guard case .scalar(let scalar) = node, !isNull, let value = Int.construct(from: scalar) else {
            throw issue("expected an integer, got \(shown)")
        }
        guard range.contains(value) else {
            throw issue("must be \(range.lowerBound)-\(range.upperBound), got \(value)")
        }
        return value
    }

    /// An integer of at least `minimum`.
    func int(atLeast minimum: Int) throws(ConfigIssue) -> Int {
        guard case .scalar(let scalar) = node, !isNull, let value = Int.construct(from: scalar) else {
            throw issue("expected an integer, got \(shown)")
        }
        guard value >= minimum else { throw issue("must be at least \(minimum), got \(value)") }
        return value
    }

    /// A boolean: `true`/`false` (YAML 1.1 `yes`/`no`/`on`/`off` too), unquoted.
    func bool() throws(ConfigIssue) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any,
              let value = Bool.construct(from: scalar) else {
            throw issue("expected true or false, got \(shown)")
        }
        return value
    }

    /// A string. Plain scalars keep their exact text, so `+254700000001` (which YAML would
    /// call an integer) stays a string with its "+".
    func string() throws(ConfigIssue) -> String {
        guard case .scalar(let scalar) = node, !isNull else {
            throw issue("expected a string, got \(shown)")
        }
        return scalar.string
    }

    /// A non-empty string.
    func nonEmptyString() throws(ConfigIssue) -> String {
        let value = try string()
        guard !value.isEmpty else { throw issue("must not be empty") }
        return value
    }

    /// The items of a list, each with its indexed path; null counts as an empty list.
    func list() throws(ConfigIssue) -> [ConfigNode] {
        if isNull { return [] }
        guard case .sequence(let sequence) = node else {
            throw issue("expected a list, got \(shown)")
        }
        var items: [ConfigNode] = []
        items.reserveCapacity(sequence.count)
        for (index, item) in sequence.enumerated() {
            items.append(ConfigNode(node: item, path: "\(path)[\(index)]"))
        }
        return items
    }

    /// The entries of a map whose keys must all be in `allowedKeys`; null counts as an empty map.
    func map(allowedKeys: [String]) throws(ConfigIssue) -> ConfigMap {
        if isNull { return ConfigMap(path: path, line: line, entries: [:]) }
        guard case .mapping(let mapping) = node else {
            throw issue("expected a map of keys, got \(shown)")
        }
        var entries: [String: ConfigNode] = [:]
        // Keys are checked in document order so the first typo in the file is the one reported.
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                throw ConfigIssue(at: path, "keys must be plain words, got \(ConfigNode(node: keyNode, path: path).shown)",
                                  line: keyNode.mark?.line ?? line)
            }
            let key = keyScalar.string
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            guard allowedKeys.contains(key) else {
                throw ConfigIssue(keyPath: childPath,
                                  message: unknownKeyMessage(childPath, key: key, allowedKeys: allowedKeys),
                                  line: keyNode.mark?.line ?? line)
            }
            entries[key] = ConfigNode(node: valueNode, path: childPath)
        }
        return ConfigMap(path: path, line: line, entries: entries)
    }

    private func unknownKeyMessage(_ childPath: String, key: String, allowedKeys: [String]) -> String {
        var message = "unknown key \(quoted(childPath))"
        let close = allowedKeys.filter { editDistance($0, key) <= 2 }
        if let suggestion = close.first {
            let suggestedPath = path.isEmpty ? suggestion : "\(path).\(suggestion)"
            message += " (did you mean \(quoted(suggestedPath))?)"
        } else {
            message += " (known keys: \(allowedKeys.joined(separator: ", ")))"
        }
        return message
    }
}

/// The entries of one YAML map, looked up by key; absent keys fall back to defaults.
struct ConfigMap {
    let path: String
    let line: Int?
    let entries: [String: ConfigNode]

    subscript(key: String) -> ConfigNode? { entries[key] }

    /// The value at `key`, or a problem saying that the key is required.
    func required(_ key: String) throws(ConfigIssue) -> ConfigNode {
        guard let node = entries[key] else {
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            throw ConfigIssue(at: childPath, "is required", line: line)
        }
        return node
    }

    func int(_ key: String, default value: Int, in range: ClosedRange<Int>) throws(ConfigIssue) -> Int {
        guard let node = entries[key] else { return value }
        return try node.int(in: range)
    }

    func int(_ key: String, default value: Int, atLeast minimum: Int) throws(ConfigIssue) -> Int {
        guard let node = entries[key] else { return value }
        return try node.int(atLeast: minimum)
    }

    func bool(_ key: String, default value: Bool) throws(ConfigIssue) -> Bool {
        guard let node = entries[key] else { return value }
        return try node.bool()
    }

    func nonEmptyString(_ key: String, default value: String) throws(ConfigIssue) -> String {
        guard let node = entries[key] else { return value }
        return try node.nonEmptyString()
    }

    /// A value from a fixed set of words (an enum with String raw values).
    func choice<T: RawRepresentable & CaseIterable>(_ key: String, default value: T) throws(ConfigIssue) -> T
    where T.RawValue == String {
        guard let node = entries[key] else { return value }
        return try node.choice(T.self)
    }
}

extension ConfigNode {
    /// A value from a fixed set of words; the error lists the allowed words.
    func choice<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws(ConfigIssue) -> T
    where T.RawValue == String {
        let text = try string()
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw issue("\(quoted(text)) is not one of \(allowed)")
        }
        return value
    }
}

/// The text in double quotes, as config error messages show values.
func quoted(_ text: String) -> String { "\"\(text)\"" }

/// Levenshtein distance on Unicode scalars; keys are short, so O(n·m) is fine.
func editDistance(_ a: String, _ b: String) -> Int {
    let lhs = Array(a.unicodeScalars)
    let rhs = Array(b.unicodeScalars)
    if lhs.isEmpty { return rhs.count }
    if rhs.isEmpty { return lhs.count }
    var previous = Array(0...rhs.count)
    var current = [Int](repeating: 0, count: rhs.count + 1)
    for i in 1...lhs.count {
        current[0] = i
        for j in 1...rhs.count {
            let cost = lhs[i - 1] == rhs[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return previous[rhs.count]
}
