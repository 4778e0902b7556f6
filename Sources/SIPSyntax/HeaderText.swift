/// Low-level lexical helpers for header values (RFC 3261 §25.1): comma lists, parameters,
/// quoted strings. They work on UTF-8 bytes because SIP's grammar is byte-oriented and Swift
/// treats "\r\n" as one Character.
public enum HeaderText {
    static let comma = UInt8(ascii: ","), semicolon = UInt8(ascii: ";"), equals = UInt8(ascii: "=")
    static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
    static let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">")

    @inline(__always) static func isWS(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }

    /// Trims SP/HTAB/CR/LF at both ends.
    public static func trim<S: StringProtocol>(_ s: S) -> String {
        // Walks the UTF-8 view from both ends and copies once (no intermediate [UInt8]).
        let sub = Substring(s)
        let u = sub.utf8
        var lo = u.startIndex, hi = u.endIndex
        while lo < hi, isWS(u[lo]) { lo = u.index(after: lo) }
        while lo < hi {
            let last = u.index(before: hi)
            guard isWS(u[last]) else { break }
            hi = last
        }
        return String(sub[lo..<hi])
    }

    /// Splits on commas that are outside quoted strings and angle brackets
    /// (RFC 3261 §7.3.1). Empty elements are dropped.
    public static func splitList(_ value: String) -> [String] {
        let u = Array(value.utf8)
        if !u.contains(comma) { let t = trim(value); return t.isEmpty ? [] : [t] }
        return split(u, on: comma).compactMap { slice in
            let t = trim(String(decoding: slice, as: UTF8.self))
            return t.isEmpty ? nil : t
        }
    }

    /// Splits bytes on a separator outside quotes and <...>.
    static func split(_ u: [UInt8], on sep: UInt8) -> [ArraySlice<UInt8>] {
        var parts: [ArraySlice<UInt8>] = []
        var start = 0, i = 0, inQuote = false, inAngle = false
        while i < u.count {
            let b = u[i]
            if inQuote {
                if b == backslash { i += 2; continue }
                if b == quote { inQuote = false }
            } else if b == quote {
                inQuote = true
            } else if b == lt {
                inAngle = true
            } else if b == gt {
                inAngle = false
            } else if b == sep && !inAngle {
                parts.append(u[start..<i])
                start = i + 1
            }
            i += 1
        }
        parts.append(u[start..<min(u.count, max(start, u.count))])
        return parts
    }

    /// Parses `;name=value;flag` parameters. Names are lower-cased (RFC 3261 §19.1.4, §20:
    /// parameter names compare case-insensitively); quoted values are unquoted.
    public static func parseParams(_ s: Substring) -> [SIPParam] {
        let u = Array(s.utf8)
        var out: [SIPParam] = []
        for part in splitParams(u) {
            let text = String(decoding: part, as: UTF8.self)
            let trimmed = trim(text)
            if trimmed.isEmpty { continue }
            if let eq = trimmed.utf8.firstIndex(of: equals) {
                let name = trim(trimmed[trimmed.startIndex..<eq]).lowercased()
                var value = trim(trimmed[trimmed.index(after: eq)...])
                if value.utf8.first == quote { value = unquote(value) }
                out.append(SIPParam(name: name, value: value))
            } else {
                out.append(SIPParam(name: trimmed.lowercased(), value: nil))
            }
        }
        return out
    }

    /// Splits parameters on ';'. A quoted-string can only be a whole value (RFC 3261 §25.1
    /// gen-value), so a '"' opens one only as the first non-LWS byte after '='; a stray '"' or
    /// '<' in a name cannot swallow the parameters after it (found by fuzzing: the serializer
    /// then split the same text differently).
    static func splitParams(_ u: [UInt8]) -> [ArraySlice<UInt8>] {
        var parts: [ArraySlice<UInt8>] = []
        var start = 0, i = 0
        var afterEquals = false, inQuote = false
        while i < u.count {
            let b = u[i]
            if inQuote {
                if b == backslash { i += 2; continue }
                if b == quote { inQuote = false }
            } else if b == semicolon {
                parts.append(u[start..<i])
                start = i + 1
                afterEquals = false
            } else if b == equals && !afterEquals {
                afterEquals = true
                var j = i + 1
                while j < u.count, u[j] == 0x20 || u[j] == 0x09 { j += 1 }
                if j < u.count, u[j] == quote { inQuote = true; i = j }
            }
            i += 1
        }
        parts.append(u[min(start, u.count)...])
        return parts
    }

    /// Serializes parameters as `;name=value`, quoting values that are not tokens.
    public static func formatParams(_ params: [SIPParam]) -> String {
        var s = ""
        for p in params {
            s += ";" + p.name
            if let v = p.value { s += "=" + (isToken(v) || isHostLike(v) ? v : quoted(v)) }
        }
        return s
    }

    /// Removes surrounding quotes and backslash escapes (RFC 3261 §25.1 quoted-pair).
    public static func unquote(_ s: String) -> String {
        var u = Array(s.utf8)
        guard u.count >= 2, u.first == quote, u.last == quote else { return s }
        u = Array(u[1..<(u.count - 1)])
        var out: [UInt8] = []
        out.reserveCapacity(u.count)
        var i = 0
        while i < u.count {
            if u[i] == backslash, i + 1 < u.count { out.append(u[i + 1]); i += 2; continue }
            out.append(u[i]); i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Wraps in quotes, escaping `"` and `\`.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            if ch == "\"" || ch == "\\" { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(ch)
        }
        return out + "\""
    }

    /// RFC 3261 §25.1 token characters.
    @inline(__always) public static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "%"),
             UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "`"),
             UInt8(ascii: "'"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    public static func isToken<S: StringProtocol>(_ s: S) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy(isTokenByte)
    }

    /// IPv6 references and host:port values are written bare in Via parameters.
    static func isHostLike(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { isTokenByte($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "]") }
    }
}

/// A `name=value` or bare `name` parameter (RFC 3261 §25.1 generic-param).
public struct SIPParam: Hashable, Sendable {
    public var name: String
    public var value: String?
    public init(name: String, value: String?) { self.name = name; self.value = value }
}

extension Array where Element == SIPParam {
    /// The value of a parameter; `""` for a flag present without value; nil when absent.
    public func value(_ name: String) -> String? {
        for p in self where p.name == name { return p.value ?? "" }
        return nil
    }
    public func has(_ name: String) -> Bool { contains { $0.name == name } }
    /// Sets or adds a parameter, keeping position when it exists.
    public mutating func set(_ name: String, _ value: String?) {
        if let i = firstIndex(where: { $0.name == name }) { self[i].value = value } else { append(SIPParam(name: name, value: value)) }
    }
    public mutating func remove(_ name: String) { removeAll { $0.name == name } }
}

extension HeaderText {
    /// The `tag` parameter of a From/To value, read without parsing the URI: dialog and
    /// transaction matching need only the tag, on every message (RFC 3261 §12, §17.2.3).
    /// Header parameters follow the `>` of a name-addr, or the first `;` of a bare addr-spec
    /// (§20.10), exactly as `NameAddr.parse` splits them.
    public static func tagParameter(_ value: String) -> String? {
        var rest = Substring(value)
        if let gt = rest.utf8.lastIndex(of: gt) {
            rest = rest[rest.utf8.index(after: gt)...]
        } else if let semi = rest.utf8.firstIndex(of: semicolon) {
            rest = rest[semi...]
        } else {
            return nil
        }
        for part in rest.split(separator: ";") {
            let p = part.drop { $0 == " " || $0 == "\t" }
            guard p.utf8.count > 4, let eq = p.utf8.firstIndex(of: equals) else { continue }
            let name = p[p.startIndex..<eq]
            guard name.utf8.count >= 3, name.lowercased().trimmingTrailingWhitespace() == "tag" else { continue }
            let v = trim(p[p.index(after: eq)...])
            return v.isEmpty ? nil : v
        }
        return nil
    }
}

extension String {
    fileprivate func trimmingTrailingWhitespace() -> String {
        var s = Substring(self)
        while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
