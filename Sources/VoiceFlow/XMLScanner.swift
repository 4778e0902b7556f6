/// A syntax error found while scanning XML bytes; `XMLTree` turns it into a `DocumentError`
/// naming the element path (it knows the open elements, the scanner does not).
struct XMLSyntaxError: Error {
    var message: String
    /// Byte offset into the document where the problem is.
    var offset: Int
    /// Set when the problem is in one attribute of the element being opened.
    var attribute: String?

    init(_ message: String, at offset: Int, attribute: String? = nil) {
        self.message = message
        self.offset = offset
        self.attribute = attribute
    }
}

/// A forward-only cursor over a UTF-8 XML document (XML 1.0 Fifth Edition). All reads are
/// bounds-checked through `peek`, so hostile input can only produce an `XMLSyntaxError`.
/// The bytes are validated as UTF-8 once (`validateUTF8`) before scanning, which is why
/// slices can become `String`s with `String(decoding:as:)` without replacement characters.
struct XMLScanner {
    let bytes: [UInt8]
    var pos = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { pos >= bytes.count }

    /// The byte `offset` ahead of the cursor, nil past the end.
    func peek(_ offset: Int = 0) -> UInt8? {
        let i = pos + offset
        return i < bytes.count ? bytes[i] : nil
    }

    /// Whether the bytes at the cursor are `literal` (ASCII).
    func looking(at literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard pos + count <= bytes.count else { return false }
        let lit = literal.utf8Start
        for k in 0..<count where bytes[pos + k] != lit[k] { return false }
        return true
    }

    /// Consumes `literal` if it is at the cursor.
    mutating func skip(_ literal: StaticString) -> Bool {
        guard looking(at: literal) else { return false }
        pos += literal.utf8CodeUnitCount
        return true
    }

    /// XML 1.0 §2.3 production [3] S: space, tab, CR, LF.
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// Skips white space; returns whether there was any.
    @discardableResult
    mutating func skipSpace() -> Bool {
        let start = pos
        while let b = peek(), Self.isSpace(b) { pos += 1 }
        return pos > start
    }

    /// Moves past the next `terminator`; false (cursor at end) if there is none.
    mutating func skip(past terminator: StaticString) -> Bool {
        while !atEnd {
            if skip(terminator) { return true }
            pos += 1
        }
        return false
    }

    // MARK: UTF-8

    /// Checks that `bytes[from...]` is well-formed UTF-8 (RFC 3629 §4: no overlong forms, no
    /// surrogates, nothing past U+10FFFF) holding only XML characters (XML 1.0 §2.2 [2] Char:
    /// no C0 controls except tab/CR/LF, no U+FFFE/U+FFFF).
    static func validateUTF8(_ bytes: [UInt8], from start: Int) -> XMLSyntaxError? {
        var i = start
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D {
                    return XMLSyntaxError("control character \(hex(UInt32(b))) is not allowed in XML", at: i)
                }
                i += 1
                continue
            }
            let length: Int
            var scalar: UInt32
            switch b {
            case 0xC2...0xDF: length = 2; scalar = UInt32(b & 0x1F)
            case 0xE0...0xEF: length = 3; scalar = UInt32(b & 0x0F)
            case 0xF0...0xF4: length = 4; scalar = UInt32(b & 0x07)
            default: return XMLSyntaxError("invalid UTF-8", at: i)
            }
            guard i + length <= n else { return XMLSyntaxError("invalid UTF-8 (truncated sequence)", at: i) }
            for k in 1..<length {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { return XMLSyntaxError("invalid UTF-8", at: i) }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if (length == 3 && scalar < 0x800) || (length == 4 && scalar < 0x1_0000) || scalar > 0x10_FFFF
                || (0xD800...0xDFFF).contains(scalar) {
                return XMLSyntaxError("invalid UTF-8", at: i)
            }
            if scalar == 0xFFFE || scalar == 0xFFFF {
                return XMLSyntaxError("character \(hex(scalar)) is not allowed in XML", at: i)
            }
            i += length
        }
        return nil
    }

    static func hex(_ v: UInt32) -> String {
        let digits = String(v, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    // MARK: Names

    /// XML 1.0 §2.3 [4] NameStartChar, ASCII part; every non-ASCII scalar is accepted as a
    /// name character (a simplification: the document is already valid UTF-8).
    static func isNameStart(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F || b == 0x3A || b >= 0x80
    }

    /// §2.3 [4a] NameChar: adds digits, '-' and '.'.
    static func isNameChar(_ b: UInt8) -> Bool {
        isNameStart(b) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E
    }

    /// Reads a Name at the cursor; nil (cursor unmoved) when none starts here.
    mutating func name() -> String? {
        guard let first = peek(), Self.isNameStart(first) else { return nil }
        let start = pos
        pos += 1
        while let b = peek(), Self.isNameChar(b) { pos += 1 }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    // MARK: Character data and attribute values

    /// Reads character data up to the next '<' (or the end) into `out`, expanding
    /// references and normalising line ends (§2.11: CR LF and lone CR become LF).
    mutating func charData(into out: inout [UInt8]) throws(XMLSyntaxError) {
        var runStart = pos
        while let b = peek(), b != 0x3C {
            switch b {
            case 0x26:  // '&'
                out.append(contentsOf: bytes[runStart..<pos])
                try reference(into: &out)
                runStart = pos
            case 0x0D:
                out.append(contentsOf: bytes[runStart..<pos])
                out.append(0x0A)
                pos += peek(1) == 0x0A ? 2 : 1
                runStart = pos
            case 0x5D where looking(at: "]]>"):
                // §2.4: the literal "]]>" may not appear in content.
                throw XMLSyntaxError("']]>' is not allowed in text; write ]]&gt;", at: pos)
            default:
                pos += 1
            }
        }
        out.append(contentsOf: bytes[runStart..<pos])
    }

    /// Reads a quoted attribute value (§3.1 [10] AttValue), expanding references and
    /// normalising literal white space to spaces (§3.3.3).
    mutating func attributeValue() throws(XMLSyntaxError) -> String {
        guard let quote = peek(), quote == 0x22 || quote == 0x27 else {
            throw XMLSyntaxError("attribute value must be quoted", at: pos)
        }
        pos += 1
        var out: [UInt8] = []
        var runStart = pos
        while true {
            guard let b = peek() else { throw XMLSyntaxError("unterminated attribute value", at: pos) }
            switch b {
            case quote:
                out.append(contentsOf: bytes[runStart..<pos])
                pos += 1
                return String(decoding: out, as: UTF8.self)
            case 0x3C:  // §3.1 WFC "No < in Attribute Values"
                throw XMLSyntaxError("'<' is not allowed in an attribute value; write &lt;", at: pos)
            case 0x26:
                out.append(contentsOf: bytes[runStart..<pos])
                try reference(into: &out)
                runStart = pos
            case 0x09, 0x0A, 0x0D:
                out.append(contentsOf: bytes[runStart..<pos])
                out.append(0x20)
                pos += (b == 0x0D && peek(1) == 0x0A) ? 2 : 1
                runStart = pos
            default:
                pos += 1
            }
        }
    }

    /// Expands one reference at '&' (§4.1): the five predefined entities (§4.6) and
    /// character references to XML characters. Every other entity is refused: there is no
    /// DTD, so there is nothing to expand (and no entity bomb to detonate).
    mutating func reference(into out: inout [UInt8]) throws(XMLSyntaxError) {
        let start = pos
        pos += 1  // '&'
        if peek() == 0x23 {  // '#'
            pos += 1
            let hexForm = peek() == 0x78  // 'x'; §4.1 [66]: lowercase only
            if hexForm { pos += 1 }
            var value: UInt32 = 0
            var digits = 0
            while let b = peek(), b != 0x3B {
                let d: UInt32
                switch b {
                case 0x30...0x39: d = UInt32(b - 0x30)
                case 0x61...0x66 where hexForm: d = UInt32(b - 0x61 + 10)
                case 0x41...0x46 where hexForm: d = UInt32(b - 0x41 + 10)
                default: throw XMLSyntaxError("bad character reference; use &#NNN; or &#xHHHH;", at: start)
                }
                digits += 1
                // Past 0x10FFFF nothing is valid; stop before UInt32 could overflow.
                if value <= 0x10_FFFF { value = value * (hexForm ? 16 : 10) + d }
                pos += 1
            }
            guard peek() == 0x3B, digits > 0 else {
                throw XMLSyntaxError("bad character reference; use &#NNN; or &#xHHHH;", at: start)
            }
            pos += 1
            // §2.2 [2] Char: the referenced character must itself be allowed in XML.
            let allowed = value == 0x09 || value == 0x0A || value == 0x0D || (0x20...0xD7FF).contains(value)
                || (0xE000...0xFFFD).contains(value) || (0x1_0000...0x10_FFFF).contains(value)
            guard allowed, let scalar = Unicode.Scalar(value) else {
                throw XMLSyntaxError("character reference to a character not allowed in XML", at: start)
            }
            UTF8.encode(scalar) { out.append($0) }
            return
        }
        guard let entity = name(), peek() == 0x3B else {
            throw XMLSyntaxError("'&' must start a reference such as &amp;", at: start)
        }
        pos += 1
        switch entity {
        case "lt": out.append(0x3C)
        case "gt": out.append(0x3E)
        case "amp": out.append(0x26)
        case "quot": out.append(0x22)
        case "apos": out.append(0x27)
        default:
            throw XMLSyntaxError("unknown entity &\(entity.prefix(40));"
                                 + " (only &lt; &gt; &amp; &quot; &apos; and &#...; are allowed)", at: start)
        }
    }
}
