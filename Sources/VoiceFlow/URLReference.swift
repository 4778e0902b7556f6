/// Resolves the URLs a document gives (`redirect.url`, `record.action`, `getDigits.callbackUrl`,
/// …) against the current document URL, as RFC 3986 §5.2 says. The result must be an http or
/// https URL with a host: anything else (`mailto:`, `file:`, `http+unix:`, no base to resolve
/// against) is nil, so a document can never point the PBX at something that is not the web.
public enum URLReference {
    /// `reference` resolved against `base` (RFC 3986 §5.2.2, strict), or nil when the result is
    /// not an http/https URL with a non-empty authority, or either string holds control bytes.
    ///
    /// Leading and trailing spaces / control bytes are trimmed; spaces and non-ASCII bytes inside
    /// are percent-encoded (what browsers do), since RFC 3986 does not allow them raw.
    public static func resolve(_ reference: String, against base: String) -> String? {
        guard let r = Parts(clean(reference)) else { return nil }
        var t = Parts()
        // RFC 3986 §5.2.2: transform references.
        if let scheme = r.scheme {
            t.scheme = scheme
            t.authority = r.authority
            t.path = removeDotSegments(r.path)
            t.query = r.query
        } else {
            guard let b = Parts(clean(base)), let baseScheme = b.scheme else { return nil }
            t.scheme = baseScheme
            if let authority = r.authority {
                t.authority = authority
                t.path = removeDotSegments(r.path)
                t.query = r.query
            } else {
                t.authority = b.authority
                if r.path.isEmpty {
                    t.path = b.path
                    t.query = r.query ?? b.query
                } else {
                    t.path = r.path.first == UInt8(ascii: "/") ? removeDotSegments(r.path) : removeDotSegments(merge(base: b, r.path))
                    t.query = r.query
                }
            }
        }
        t.fragment = r.fragment
        // Only web URLs with a host are usable callback targets.
        guard let scheme = t.scheme, scheme == Array("http".utf8) || scheme == Array("https".utf8),
            let authority = t.authority, !authority.isEmpty
        else { return nil }
        return String(decoding: t.recomposed(), as: UTF8.self)
    }

    /// The five components of RFC 3986 Appendix B; nil components were absent (which differs
    /// from present but empty, e.g. `http://a/b?` has an empty query).
    struct Parts {
        var scheme: [UInt8]?
        var authority: [UInt8]?
        var path: [UInt8] = []
        var query: [UInt8]?
        var fragment: [UInt8]?

        init() {}

        /// Splits `bytes` like the Appendix B expression; the scheme is lower-cased
        /// (§3.1: schemes are case-insensitive, lower case is canonical).
        init?(_ bytes: [UInt8]?) {
            guard let bytes else { return nil }
            var i = 0
            let n = bytes.count
            // scheme ":" only when the part before the first ":" is a valid scheme (§3.1) and
            // no "/", "?" or "#" comes first; otherwise it is a relative reference (§4.2).
            var j = 0
            while j < n, bytes[j] != UInt8(ascii: ":"), bytes[j] != UInt8(ascii: "/"), bytes[j] != UInt8(ascii: "?"), bytes[j] != UInt8(ascii: "#") {
                j += 1
            }
            if j < n, bytes[j] == UInt8(ascii: ":"), URLReference.isScheme(bytes[0..<j]) {
                scheme = bytes[0..<j].map { $0 | (($0 >= 0x41 && $0 <= 0x5A) ? 0x20 : 0) }
                i = j + 1
            }
            if i + 1 < n, bytes[i] == UInt8(ascii: "/"), bytes[i + 1] == UInt8(ascii: "/") {
                var k = i + 2
                while k < n, bytes[k] != UInt8(ascii: "/"), bytes[k] != UInt8(ascii: "?"), bytes[k] != UInt8(ascii: "#") { k += 1 }
                authority = Array(bytes[(i + 2)..<k])
                i = k
            }
            var k = i
            while k < n, bytes[k] != UInt8(ascii: "?"), bytes[k] != UInt8(ascii: "#") { k += 1 }
            path = Array(bytes[i..<k])
            i = k
            if i < n, bytes[i] == UInt8(ascii: "?") {
                k = i + 1
                while k < n, bytes[k] != UInt8(ascii: "#") { k += 1 }
                query = Array(bytes[(i + 1)..<k])
                i = k
            }
            if i < n, bytes[i] == UInt8(ascii: "#") {
                fragment = Array(bytes[(i + 1)...])
            }
        }

        /// RFC 3986 §5.3: component recomposition.
        func recomposed() -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(path.count + (authority?.count ?? 0) + (query?.count ?? 0) + 16)
            if let scheme { out += scheme; out.append(UInt8(ascii: ":")) }
            if let authority { out += [UInt8(ascii: "/"), UInt8(ascii: "/")]; out += authority }
            out += path
            if let query { out.append(UInt8(ascii: "?")); out += query }
            if let fragment { out.append(UInt8(ascii: "#")); out += fragment }
            return out
        }
    }

    /// RFC 3986 §3.1: `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
    static func isScheme(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, isAlpha(first) else { return false }
        return bytes.allSatisfy { isAlpha($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }

    static func isAlpha(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

    /// RFC 3986 §5.2.3: merge a relative-path reference with the base path.
    static func merge(base: Parts, _ path: [UInt8]) -> [UInt8] {
        if base.authority != nil && base.path.isEmpty { return [UInt8(ascii: "/")] + path }
        guard let slash = base.path.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return Array(base.path[...slash]) + path
    }

    /// RFC 3986 §5.2.4: remove_dot_segments, step by step as the RFC writes it. The input
    /// buffer is `input[start...]`; "replace prefix with /" moves `start` and writes a "/".
    static func removeDotSegments(_ path: [UInt8]) -> [UInt8] {
        var input = path
        var start = 0
        var output: [UInt8] = []
        output.reserveCapacity(path.count)
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")

        func has(_ literal: [UInt8]) -> Bool {
            input.count - start >= literal.count && input[start..<(start + literal.count)].elementsEqual(literal)
        }
        func isExactly(_ literal: [UInt8]) -> Bool { input.count - start == literal.count && has(literal) }
        func removeLastOutputSegment() {
            if let last = output.lastIndex(of: slash) { output.removeSubrange(last...) } else { output.removeAll() }
        }

        while start < input.count {
            if has([dot, dot, slash]) {                               // A: "../"
                start += 3
            } else if has([dot, slash]) {                             // A: "./"
                start += 2
            } else if has([slash, dot, slash]) {                      // B: "/./" -> "/"
                start += 2
            } else if isExactly([slash, dot]) {                       // B: "/." -> "/"
                start += 1
                input[start] = slash
            } else if has([slash, dot, dot, slash]) {                 // C: "/../" -> "/", pop
                start += 3
                removeLastOutputSegment()
            } else if isExactly([slash, dot, dot]) {                  // C: "/.." -> "/", pop
                start += 2
                input[start] = slash
                removeLastOutputSegment()
            } else if isExactly([dot]) || isExactly([dot, dot]) {     // D
                start = input.count
            } else {                                                  // E: move one segment
                var end = start + (input[start] == slash ? 1 : 0)
                while end < input.count, input[end] != slash { end += 1 }
                output += input[start..<end]
                start = end
            }
        }
        return output
    }

    /// Trims surrounding C0 controls and spaces; nil when a control byte (or DEL) is left inside
    /// (it could split a request line); percent-encodes inner spaces and non-ASCII bytes.
    static func clean(_ text: String) -> [UInt8]? {
        var bytes = Array(text.utf8)
        while let last = bytes.last, last <= 0x20 { bytes.removeLast() }
        let lead = bytes.firstIndex { $0 > 0x20 } ?? bytes.endIndex
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for byte in bytes[lead...] {
            if byte < 0x20 || byte == 0x7F { return nil }
            if byte == 0x20 || byte >= 0x80 {
                out.append(UInt8(ascii: "%"))
                out.append(FormEncoding.hexDigit(byte >> 4))
                out.append(FormEncoding.hexDigit(byte & 0x0F))
            } else {
                out.append(byte)
            }
        }
        return out
    }
}
