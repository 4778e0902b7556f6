/// RFC 4648 §4 base64 (standard alphabet, `=` padding) without Foundation.
///
/// RFC 4568 §6.1 carries the SRTP master key and salt as base64 in `inline:`; this is the only
/// place SautiPBX needs base64 on the SDP path, so it is small and byte-oriented.
public enum Base64 {
    /// RFC 4648 Table 1: value → character.
    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Character → value, 0xFF for bytes outside the alphabet (`=` is handled separately).
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, char) in alphabet.enumerated() {
            table[Int(char)] = UInt8(value)
        }
        return table
    }()

    private static let pad = UInt8(ascii: "=")

    /// Encodes bytes as padded standard base64 (RFC 4648 §4).
    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        // Whole 3-byte groups become 4 characters.
        while index + 3 <= bytes.count {
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
                | UInt32(bytes[index + 2])
            out.append(alphabet[Int(group >> 18 & 0x3F)])
            out.append(alphabet[Int(group >> 12 & 0x3F)])
            out.append(alphabet[Int(group >> 6 & 0x3F)])
            out.append(alphabet[Int(group & 0x3F)])
            index += 3
        }
        // RFC 4648 §4 cases (2) and (3): a final 1 or 2 bytes get `==` or `=`.
        let remaining = bytes.count - index
        if remaining == 1 {
            let group = UInt32(bytes[index]) << 16
            out.append(alphabet[Int(group >> 18 & 0x3F)])
            out.append(alphabet[Int(group >> 12 & 0x3F)])
            out.append(pad)
            out.append(pad)
        } else if remaining == 2 {
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out.append(alphabet[Int(group >> 18 & 0x3F)])
            out.append(alphabet[Int(group >> 12 & 0x3F)])
            out.append(alphabet[Int(group >> 6 & 0x3F)])
            out.append(pad)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes standard base64; `nil` on characters outside the alphabet or a bad length.
    public static func decode(_ text: String) -> [UInt8]? {
        decode(text[...])
    }

    /// Decodes standard base64; `nil` on characters outside the alphabet or a bad length.
    ///
    /// Padding may be omitted (some SDES peers strip it), but when present it must complete
    /// the last 4-character quantum and nothing may follow it. Non-zero pad bits are tolerated
    /// (RFC 4648 §3.5 lets decoders choose).
    public static func decode(_ text: Substring) -> [UInt8]? {
        let utf8 = text.utf8
        // Count trailing '=' (at most two are meaningful).
        var end = utf8.endIndex
        var padCount = 0
        while end > utf8.startIndex {
            let before = utf8.index(before: end)
            guard utf8[before] == pad else { break }
            padCount += 1
            end = before
        }
        guard padCount <= 2 else { return nil }
        let dataCount = utf8.distance(from: utf8.startIndex, to: end)
        // A single leftover character carries only 6 bits: never a whole byte.
        guard dataCount % 4 != 1 else { return nil }
        if padCount > 0 && (dataCount + padCount) % 4 != 0 { return nil }

        var out = [UInt8]()
        out.reserveCapacity(dataCount * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        var position = utf8.startIndex
        while position < end {
            let value = decodeTable[Int(utf8[position])]
            guard value != 0xFF else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
            position = utf8.index(after: position)
        }
        return out
    }
}
