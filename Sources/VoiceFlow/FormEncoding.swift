/// `application/x-www-form-urlencoded` serialization as the WHATWG URL Standard defines it
/// (§5.2 "application/x-www-form-urlencoded serializing"): the UTF-8 bytes of each name and
/// value, 0x20 becomes `+`, `*-._`, digits and ASCII letters stay, every other byte is `%XX`
/// (upper-case hex). This is what browsers, `URLSearchParams`, PHP and Python's
/// `urlencode` produce, so every web framework decodes it.
public enum FormEncoding {
    /// `name=value&name=value…` for `fields`, in order.
    public static func encode(_ fields: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = []
        var capacity = 0
        for (name, value) in fields { capacity += name.utf8.count + value.utf8.count + 2 }
        out.reserveCapacity(capacity + capacity / 4)
        for (index, (name, value)) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: "&")) }
            append(name, to: &out)
            out.append(UInt8(ascii: "="))
            append(value, to: &out)
        }
        return out
    }

    /// `encode(fields)` as a String (it is pure ASCII).
    public static func encodeString(_ fields: [(String, String)]) -> String {
        String(decoding: encode(fields), as: UTF8.self)
    }

    /// Appends the form-encoded UTF-8 bytes of `text` to `out`.
    public static func append(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 {
            if isKept(byte) {
                out.append(byte)
            } else if byte == 0x20 {
                out.append(UInt8(ascii: "+"))
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigit(byte >> 4))
                out.append(hexDigit(byte & 0x0F))
            }
        }
    }

    /// The WHATWG form-urlencoded "unreserved" set: `*-._`, 0-9, A-Z, a-z. Note `~` is NOT kept
    /// (it is in RFC 3986's unreserved set, but the form serializer percent-encodes it).
    @inline(__always)
    static func isKept(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "*"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }

    @inline(__always)
    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
    }
}
