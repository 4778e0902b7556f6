/// Byte-level helpers shared by the parser and the accessors.
///
/// SDP is ASCII-structured text; working on UTF-8 bytes avoids Swift's grapheme rules (where
/// "\r\n" is one Character) and keeps parsing allocation-light.
enum ASCII {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let equals = UInt8(ascii: "=")
    static let colon = UInt8(ascii: ":")
    static let slash = UInt8(ascii: "/")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")

    /// Lower-cases one ASCII letter, leaves every other byte alone.
    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 {
        (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) ? b | 0x20 : b
    }

    /// Compares two strings ignoring ASCII case, byte by byte.
    static func equalsIgnoringCase(_ a: String, _ b: String) -> Bool {
        equalsIgnoringCase(a.utf8, b.utf8)
    }

    /// Compares two byte sequences ignoring ASCII case.
    static func equalsIgnoringCase<A: Collection<UInt8>, B: Collection<UInt8>>(_ a: A, _ b: B) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where lower(x) != lower(y) { return false }
        return true
    }

    /// RFC 4566 §9 token-char: printable ASCII except separators such as space, `"`, `(`, `)`,
    /// `,`, `/`, `:`, `;`, `<`, `=`, `>`, `?`, `@`, `[`, `\`, `]`.
    static func isTokenChar(_ b: UInt8) -> Bool {
        switch b {
        case 0x21, 0x23...0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x30...0x39, 0x41...0x5A, 0x5E...0x7E:
            return true
        default:
            return false
        }
    }

    /// True for a non-empty sequence of token chars.
    static func isToken<C: Collection<UInt8>>(_ bytes: C) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy(isTokenChar)
    }

    /// RFC 4566 §9 non-ws-string: visible ASCII or UTF-8 continuation bytes, no space/control.
    static func isNonWhitespace<C: Collection<UInt8>>(_ bytes: C) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy { $0 > 0x20 && $0 != 0x7F }
    }

    /// Parses an unsigned decimal with overflow detection; nil for empty, signs or non-digits.
    static func parseUInt64<C: Collection<UInt8>>(_ bytes: C) -> UInt64? {
        // 20 digits is UInt64's width; longer inputs may still be leading zeros, so overflow is
        // checked per digit instead of by length.
        guard !bytes.isEmpty else { return nil }
        var value: UInt64 = 0
        for b in bytes {
            guard b >= zero && b <= nine else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(b - zero))
            if o1 || o2 { return nil }
            value = sum
        }
        return value
    }

    /// Parses a decimal that must lie in `range`; nil otherwise.
    static func parseInt<C: Collection<UInt8>>(_ bytes: C, in range: ClosedRange<Int>) -> Int? {
        guard let v = parseUInt64(bytes), v <= UInt64(Int.max) else { return nil }
        let i = Int(v)
        return range.contains(i) ? i : nil
    }

    /// Splits on runs of spaces (and tabs), dropping empty pieces; tolerant of doubled or
    /// trailing spaces that some user agents emit.
    static func fields(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        var start: Int? = nil
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == space || b == tab {
                if let s = start { out.append(bytes[s..<i]); start = nil }
            } else if start == nil {
                start = i
            }
            i += 1
        }
        if let s = start { out.append(bytes[s..<bytes.endIndex]) }
        return out
    }

    /// Same as `fields` over a String's UTF-8 view, giving Substrings.
    static func fields(_ text: Substring) -> [Substring] {
        var out: [Substring] = []
        let utf8 = text.utf8
        var start: String.Index? = nil
        var i = utf8.startIndex
        while i < utf8.endIndex {
            let b = utf8[i]
            if b == space || b == tab {
                if let s = start { out.append(text[s..<i]); start = nil }
            } else if start == nil {
                start = i
            }
            i = utf8.index(after: i)
        }
        if let s = start { out.append(text[s..<text.endIndex]) }
        return out
    }

    /// Decodes bytes as UTF-8, replacing invalid sequences (free text such as s= may carry
    /// another charset per RFC 4566 §5.3; refusing a call over it would be unhelpful).
    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Printable rendering of a byte for error messages.
    static func describe(_ b: UInt8) -> String {
        (b > 0x20 && b < 0x7F) ? String(UnicodeScalar(b)) : "0x" + String(b, radix: 16)
    }
}
