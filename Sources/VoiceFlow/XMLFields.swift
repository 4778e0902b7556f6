/// Reads one XML element's attributes and content strictly, the XML twin of `JSONFields`:
/// every attribute is typed and range-checked, and any attribute left unread at `finish()`
/// is an error naming its path (voice-actions.md §2: typos must not pass silently).
struct XMLFields {
    let element: XMLElement
    /// The element's path, e.g. `Response/GetDigits[1]`.
    let path: String
    private var read: [String] = []

    init(_ element: XMLElement, path: String) {
        self.element = element
        self.path = path
    }

    /// The path of attribute `name`: `Response/Say[1]/@voice`.
    func at(_ name: String) -> String { "\(path)/@\(name)" }

    mutating func raw(_ name: String) -> String? {
        if !read.contains(name) { read.append(name) }
        return element.attribute(name)
    }

    /// Whether the attribute is present (and marks it read).
    mutating func has(_ name: String) -> Bool { raw(name) != nil }

    /// Accepts attributes the PBX has no use for (validated by the caller if at all).
    mutating func ignore(_ names: String...) {
        for n in names { _ = raw(n) }
    }

    mutating func string(_ name: String, required: Bool = false, maxLength: Int = 2048) throws(DocumentError) -> String? {
        guard let s = raw(name) else {
            if required { throw DocumentError(at(name), "is required") }
            return nil
        }
        guard s.count <= maxLength else { throw DocumentError(at(name), "at most \(maxLength) characters") }
        if required && s.isEmpty { throw DocumentError(at(name), "must not be empty") }
        return s
    }

    mutating func int(_ name: String, _ range: ClosedRange<Int>) throws(DocumentError) -> Int? {
        guard let s = raw(name) else { return nil }
        guard let n = Int(Self.trimmed(s)) else {
            throw DocumentError(at(name), "expected a whole number, got \"\(s.prefix(20))\"")
        }
        guard range.contains(n) else { throw DocumentError(at(name), "must be \(range.lowerBound) to \(range.upperBound)") }
        return n
    }

    /// Booleans are exactly `true` or `false`, as in both dialects' documentation.
    mutating func bool(_ name: String) throws(DocumentError) -> Bool? {
        guard let s = raw(name) else { return nil }
        switch s {
        case "true": return true
        case "false": return false
        default: throw DocumentError(at(name), "expected true or false, got \"\(s.prefix(20))\"")
        }
    }

    /// A DTMF key: one of 0-9 * # A-D; `""` means none (`.some(nil)`); absent is nil.
    /// `anyKeySet`: also accept TwiML's "every key" set (`1234567890*#`) as none-specific.
    mutating func key(_ name: String, anyKeySet: Bool = false) throws(DocumentError) -> Character?? {
        guard let s = raw(name) else { return nil }
        if s.isEmpty { return .some(nil) }
        if anyKeySet && s.count == 12 && Set(s) == Set("0123456789*#") { return .some(nil) }
        guard s.count == 1, let c = s.first, "0123456789*#ABCD".contains(c) else {
            throw DocumentError(at(name), "one key of 0-9, *, #, A-D, or \"\" for none")
        }
        return .some(c)
    }

    /// A URL attribute, with the same rules as JSON (`XMLFields.url(_:path:)`).
    mutating func url(_ name: String, required: Bool = false, relative: Bool = false) throws(DocumentError) -> String? {
        guard let s = try string(name, required: required) else { return nil }
        return try Self.url(s, path: at(name), relative: relative)
    }

    /// `method`: GET or POST (default POST).
    mutating func method() throws(DocumentError) -> String {
        guard let m = raw("method") else { return "POST" }
        guard m.uppercased() == "POST" || m.uppercased() == "GET" else { throw DocumentError(at("method"), "GET or POST") }
        return m.uppercased()
    }

    /// Every attribute must have been read: anything else is unknown.
    func finish(_ what: String) throws(DocumentError) {
        if let unknown = element.attributes.first(where: { !read.contains($0.name) }) {
            let allowed = read.isEmpty ? "none" : read.sorted().joined(separator: ", ")
            throw DocumentError(at(unknown.name), "unknown attribute of \(what); allowed: \(allowed)")
        }
    }

    // MARK: Content

    /// The element's text, trimmed; it may hold no elements. Nil when empty and not required.
    func text(required: Bool, maxLength: Int = 2048, what: String, hint: String = "") throws(DocumentError) -> String? {
        if let child = firstElementPath {
            throw DocumentError(child, "\(element.name) holds only text, no elements\(hint)")
        }
        let t = Self.trimmed(element.text)
        if t.isEmpty {
            if required { throw DocumentError(path, "\(what) is required as the element's text") }
            return nil
        }
        guard t.count <= maxLength else { throw DocumentError(path, "text at most \(maxLength) characters") }
        return t
    }

    /// The element holds nothing but white space, or only elements when `elements`.
    func noText(elements: Bool) throws(DocumentError) {
        if !elements, let child = firstElementPath {
            throw DocumentError(child, "\(element.name) holds no elements")
        }
        let t = Self.trimmed(element.text)
        if !t.isEmpty { throw DocumentError(path, "unexpected text \"\(t.prefix(30))\" in \(element.name)") }
    }

    /// The path of the first element child (always the first of its name: `[1]`).
    var firstElementPath: String? {
        for case .element(let e) in element.children { return "\(path)/\(e.name)[1]" }
        return nil
    }

    // MARK: Shared checks

    /// An absolute http(s) URL, or (where `relative`) a path resolved against the document:
    /// the same rule `JSONFields.url` applies, so both formats accept the same values.
    static func url(_ s: String, path: String, relative: Bool) throws(DocumentError) -> String {
        let lower = s.lowercased()
        let absolute = ["http", "https"].contains { lower.hasPrefix($0 + "://") && lower.count > $0.count + 3 }
        guard absolute || (relative && !s.isEmpty && !s.contains("://") && !s.contains(" ")) else {
            throw DocumentError(path, relative ? "a URL (absolute http/https, or relative to this document)" : "an absolute http or https URL")
        }
        return s
    }

    /// XML white space (§2.3 S) trimmed from both ends.
    static func trimmed(_ s: String) -> String {
        let u = s.utf8
        guard let first = u.firstIndex(where: { !XMLScanner.isSpace($0) }),
              let last = u.lastIndex(where: { !XMLScanner.isSpace($0) }) else { return "" }
        return String(decoding: u[first...last], as: UTF8.self)
    }
}
