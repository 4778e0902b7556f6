/// Reads one JSON object's fields strictly: each field is typed and range-checked, and any
/// field left unread at `finish()` is an error (voice-actions.md §2: typos must not pass).
struct JSONFields {
    let object: [String: JSONTree]
    let path: String
    private var read: Set<String> = []

    init(_ value: JSONTree, path: String) throws(DocumentError) {
        guard case .object(let o) = value else { throw DocumentError(path, "expected an object, got \(value.kind)") }
        object = o
        self.path = path
    }

    func at(_ key: String) -> String { "\(path).\(key)" }

    mutating func raw(_ key: String) -> JSONTree? {
        read.insert(key)
        guard let v = object[key], v != .null else { return nil }
        return v
    }

    mutating func string(_ key: String, required: Bool = false, maxLength: Int = 2048) throws(DocumentError) -> String? {
        guard let v = raw(key) else {
            if required { throw DocumentError(at(key), "is required") }
            return nil
        }
        guard case .string(let s) = v else { throw DocumentError(at(key), "expected a string, got \(v.kind)") }
        guard s.count <= maxLength else { throw DocumentError(at(key), "at most \(maxLength) characters") }
        if required && s.isEmpty { throw DocumentError(at(key), "must not be empty") }
        return s
    }

    mutating func int(_ key: String, _ range: ClosedRange<Int>) throws(DocumentError) -> Int? {
        guard let v = raw(key) else { return nil }
        let n: Int64
        switch v {
        case .int(let i): n = i
        case .double(let d) where d.rounded() == d && abs(d) < 1e15: n = Int64(d)
        // Africa's Talking apps often send numbers as strings ("5"); accept whole ones.
        case .string(let s):
            guard let i = Int64(s) else { throw DocumentError(at(key), "expected a whole number, got a string") }
            n = i
        default: throw DocumentError(at(key), "expected a whole number, got \(v.kind)")
        }
        guard n >= Int64(range.lowerBound), n <= Int64(range.upperBound) else {
            throw DocumentError(at(key), "must be \(range.lowerBound) to \(range.upperBound)")
        }
        return Int(n)
    }

    mutating func bool(_ key: String) throws(DocumentError) -> Bool? {
        guard let v = raw(key) else { return nil }
        switch v {
        case .bool(let b): return b
        case .string("true"): return true
        case .string("false"): return false
        default: throw DocumentError(at(key), "expected true or false, got \(v.kind)")
        }
    }

    /// A DTMF key: one of 0-9 * # A-D; `""` means none (`.some(nil)`); absent is nil.
    mutating func key(_ key: String) throws(DocumentError) -> Character?? {
        guard let s = try string(key) else { return nil }
        if s.isEmpty { return .some(nil) }
        guard s.count == 1, let c = s.first, "0123456789*#ABCD".contains(c) else {
            throw DocumentError(at(key), "one key of 0-9, *, #, A-D, or \"\" for none")
        }
        return .some(c)
    }

    /// An absolute http(s) URL, or (where `relative`) a path resolved against the document.
    mutating func url(_ key: String, required: Bool = false, schemes: [String] = ["http", "https"], relative: Bool = false) throws(DocumentError) -> String? {
        guard let s = try string(key, required: required) else { return nil }
        let lower = s.lowercased()
        let absolute = schemes.contains { lower.hasPrefix($0 + "://") && lower.count > $0.count + 3 }
        guard absolute || (relative && !s.contains("://") && !s.contains(" ")) else {
            throw DocumentError(at(key), relative ? "a URL (absolute \(schemes.joined(separator: "/")), or relative to this document)"
                                                  : "an absolute \(schemes.joined(separator: " or ")) URL")
        }
        return s
    }

    mutating func strings(_ key: String) throws(DocumentError) -> [String]? {
        guard let v = raw(key) else { return nil }
        guard case .array(let items) = v else { throw DocumentError(at(key), "expected an array of strings, got \(v.kind)") }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item else { throw DocumentError("\(at(key))[\(i)]", "expected a string, got \(item.kind)") }
            out.append(s)
        }
        return out
    }

    /// Every field must have been read: anything else is unknown.
    func finish(allowed verb: String) throws(DocumentError) {
        if let unknown = object.keys.sorted().first(where: { !read.contains($0) }) {
            throw DocumentError(at(unknown), "unknown field of \(verb); allowed: \(read.sorted().joined(separator: ", "))")
        }
    }
}
