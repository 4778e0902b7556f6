/// One header field as it appears on the wire, with its name normalised.
public struct SIPHeaderField: Hashable, Sendable {
    /// Canonical spelling (compact forms expanded), used by the serializer.
    public var name: String
    /// Lower-cased name, used for matching (RFC 3261 §7.3.1: names are case-insensitive).
    public var key: String
    /// The value with leading/trailing whitespace removed and folding collapsed.
    public var value: String

    public init(name: String, value: String) {
        let n = HeaderName.normalize(name)
        self.name = n.name
        self.key = n.key
        self.value = value
    }
}

/// The ordered header fields of a message. Order is preserved because it matters for Via,
/// Route and Record-Route (RFC 3261 §7.3.1: relative order of same-name fields is significant).
public struct SIPHeaders: Hashable, Sendable, Sequence {
    public private(set) var fields: [SIPHeaderField] = []

    public init() {}
    public init(_ pairs: [(String, String)]) {
        fields.reserveCapacity(pairs.count)
        for (n, v) in pairs { add(n, v) }
    }

    public func makeIterator() -> IndexingIterator<[SIPHeaderField]> { fields.makeIterator() }
    public var count: Int { fields.count }

    /// The first value of the header, or nil.
    public subscript(_ name: String) -> String? {
        let key = HeaderName.normalize(name).key
        for f in fields where f.key == key { return f.value }
        return nil
    }

    /// Every field value of that header, unsplit, in order.
    public func rawValues(_ name: String) -> [String] {
        let key = HeaderName.normalize(name).key
        return fields.compactMap { $0.key == key ? $0.value : nil }
    }

    /// Every element of that header: each field split on top-level commas when the header is
    /// a list (RFC 3261 §7.3.1: `Route: a, b` is the same as two Route fields).
    public func values(_ name: String) -> [String] {
        let key = HeaderName.normalize(name).key
        var out: [String] = []
        for f in fields where f.key == key {
            if HeaderName.isList(key) {
                out.append(contentsOf: HeaderText.splitList(f.value))
            } else {
                out.append(f.value)
            }
        }
        return out
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }

    /// Appends a field after the existing ones.
    public mutating func add(_ name: String, _ value: String) {
        fields.append(SIPHeaderField(name: name, value: value))
    }

    /// Inserts a field before every other field of that name (used for Via, RFC 3261 §16.6).
    public mutating func prepend(_ name: String, _ value: String) {
        let field = SIPHeaderField(name: name, value: value)
        let idx = fields.firstIndex { $0.key == field.key } ?? fields.count
        fields.insert(field, at: idx)
    }

    /// Replaces every field of that name with one field (or removes them for nil).
    public mutating func set(_ name: String, _ value: String?) {
        let field = SIPHeaderField(name: name, value: value ?? "")
        guard let first = fields.firstIndex(where: { $0.key == field.key }) else {
            if value != nil { fields.append(field) }
            return
        }
        fields.removeAll { $0.key == field.key }
        if value != nil { fields.insert(field, at: Swift.min(first, fields.count)) }
    }

    public mutating func remove(_ name: String) { set(name, nil) }

    /// Removes the first element of a list header (e.g. the top Via or Route).
    public mutating func removeFirstElement(_ name: String) {
        let key = HeaderName.normalize(name).key
        guard let idx = fields.firstIndex(where: { $0.key == key }) else { return }
        var parts = HeaderText.splitList(fields[idx].value)
        if parts.count <= 1 {
            fields.remove(at: idx)
        } else {
            parts.removeFirst()
            fields[idx].value = parts.joined(separator: ", ")
        }
    }

    /// Appends a field without normalising (the parser has done it already).
    mutating func append(_ field: SIPHeaderField) { fields.append(field) }
}
