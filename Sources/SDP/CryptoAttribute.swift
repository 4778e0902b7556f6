/// One SDES `a=crypto` attribute (RFC 4568 §9.1, SRTP specifics §9.2):
/// `<tag> <crypto-suite> <key-params> [<session-params>]`.
///
/// The suite and session parameters are kept as raw strings so that lines we do not support
/// still parse and serialize unchanged; `CryptoNegotiation` decides what is acceptable.
public struct CryptoAttribute: Sendable, Equatable {
    /// RFC 4568 §4.1: 1–9 digits; the answer echoes the accepted offer line's tag.
    public var tag: Int
    /// The crypto-suite name exactly as written (e.g. `AES_CM_128_HMAC_SHA1_80`).
    public var suite: String
    /// One or more `inline:` keys (RFC 4568 §6.1); more than one only makes sense with MKIs.
    public var keyParams: [KeyParam]
    /// Session parameters as written, e.g. `KDR=0`, `UNENCRYPTED_SRTCP`, `FEC_ORDER=FEC_SRTP`.
    public var sessionParams: [String]

    /// Creates an attribute from its parts.
    public init(tag: Int, suite: String, keyParams: [KeyParam], sessionParams: [String] = []) {
        self.tag = tag
        self.suite = suite
        self.keyParams = keyParams
        self.sessionParams = sessionParams
    }

    /// Creates an attribute for a suite we support.
    public init(tag: Int, suite: CryptoSuite, keyParams: [KeyParam], sessionParams: [String] = []) {
        self.init(tag: tag, suite: suite.rawValue, keyParams: keyParams, sessionParams: sessionParams)
    }

    /// The suite as a `CryptoSuite` when it is one we support, else `nil`.
    public var cryptoSuite: CryptoSuite? { CryptoSuite(name: suite) }

    /// The attribute value as written after `a=crypto:` (lifetimes that are powers of two are
    /// written in `2^n` form).
    public var value: String {
        var text = String(tag)
        text += " "
        text += suite
        text += " "
        for (index, key) in keyParams.enumerated() {
            if index > 0 { text += ";" }
            text += key.value
        }
        for param in sessionParams {
            text += " "
            text += param
        }
        return text
    }
}

/// A Master Key Identifier (RFC 4568 §6.1): the value and how many bytes it occupies in packets.
public struct MKI: Sendable, Equatable, Hashable {
    /// The MKI value carried in each SRTP packet.
    public var value: UInt32
    /// The MKI field length in bytes (1–128).
    public var length: Int

    /// Creates an MKI.
    public init(value: UInt32, length: Int) {
        self.value = value
        self.length = length
    }
}

/// One `inline:<key||salt>[|lifetime][|mki:length]` key parameter (RFC 4568 §6.1).
public struct KeyParam: Sendable, Equatable {
    /// The concatenated master key and master salt (30 bytes for the AES_CM_128 suites).
    public var keySalt: [UInt8]
    /// Maximum packets protected with this key (`2^20` → 1_048_576), when given.
    public var lifetime: UInt64?
    /// The MKI, when the line uses MKIs.
    public var mki: MKI?

    /// Creates a key parameter.
    public init(keySalt: [UInt8], lifetime: UInt64? = nil, mki: MKI? = nil) {
        self.keySalt = keySalt
        self.lifetime = lifetime
        self.mki = mki
    }

    /// The key parameter as written in SDP.
    public var value: String {
        var text = "inline:"
        text += Base64.encode(keySalt)
        if let lifetime {
            text += "|"
            // RFC 4568 §6.1 allows both forms; `2^n` is what peers usually write.
            if lifetime != 0 && lifetime & (lifetime - 1) == 0 {
                text += "2^" + String(lifetime.trailingZeroBitCount)
            } else {
                text += String(lifetime)
            }
        }
        if let mki {
            text += "|" + String(mki.value) + ":" + String(mki.length)
        }
        return text
    }
}

extension CryptoAttribute {
    /// Most keys one line may carry; a bound against hostile input (libsrtp's own
    /// SRTP_MAX_NUM_MASTER_KEYS is also 16).
    public static let maxKeyParams = 16

    /// Parses the value that follows `a=crypto:` (RFC 4568 §9.1/§9.2).
    ///
    /// Unknown suites and session parameters are accepted here; for the two suites in
    /// `CryptoSuite` every key must have the suite's key||salt length.
    public static func parse(_ value: String) throws(CryptoAttributeError) -> CryptoAttribute {
        let fields = try splitFields(Substring(value))
        guard fields.count >= 3 else {
            throw .syntax("need a tag, a crypto-suite and key-params, found \(fields.count) field(s)")
        }
        let tag = try parseTag(fields[0])
        let suite = try parseSuite(fields[1])
        let keyParams = try parseKeyParams(fields[2])
        if let known = CryptoSuite(name: suite) {
            // RFC 4568 §6.2.1: the inline key is exactly master key || master salt.
            for key in keyParams where key.keySalt.count != known.keySaltLength {
                throw .keyLength(suite: suite, expected: known.keySaltLength, actual: key.keySalt.count)
            }
        }
        let sessionParams = fields.dropFirst(3).map { String($0) }
        return CryptoAttribute(tag: tag, suite: suite, keyParams: keyParams, sessionParams: sessionParams)
    }

    /// Splits on runs of SP/HTAB after checking every byte is WSP or VCHAR (RFC 4568 §9.1).
    private static func splitFields(_ text: Substring) throws(CryptoAttributeError) -> [Substring] {
        var fields: [Substring] = []
        let utf8 = text.utf8
        var fieldStart: Substring.UTF8View.Index?
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            if ASCIIByte.isWhitespace(byte) {
                if let start = fieldStart {
                    fields.append(Substring(utf8[start..<index]))
                    fieldStart = nil
                }
            } else if ASCIIByte.isVisible(byte) {
                if fieldStart == nil { fieldStart = index }
            } else {
                throw .syntax("contains a control or non-ASCII byte (0x\(String(byte, radix: 16)))")
            }
            index = utf8.index(after: index)
        }
        if let start = fieldStart {
            fields.append(Substring(utf8[start..<utf8.endIndex]))
        }
        return fields
    }

    /// RFC 4568 §9.1: `tag = 1*9DIGIT`.
    private static func parseTag(_ field: Substring) throws(CryptoAttributeError) -> Int {
        guard field.utf8.count <= 9, let tag = decimal(field), tag <= UInt64(Int.max) else {
            throw .badTag(String(field))
        }
        return Int(tag)
    }

    /// RFC 4568 §9.2: `srtp-crypto-suite = 1*(ALPHA / DIGIT / "_")`.
    private static func parseSuite(_ field: Substring) throws(CryptoAttributeError) -> String {
        for byte in field.utf8
        where !(ASCIIByte.isAlpha(byte) || ASCIIByte.isDigit(byte) || byte == UInt8(ascii: "_")) {
            throw .syntax("crypto-suite '\(field)' may only hold letters, digits and '_'")
        }
        return String(field)
    }

    /// RFC 4568 §9.1: `key-params = key-param *(";" key-param)`.
    private static func parseKeyParams(_ field: Substring) throws(CryptoAttributeError) -> [KeyParam] {
        var keys: [KeyParam] = []
        for piece in field.split(separator: ";", omittingEmptySubsequences: false) {
            guard keys.count < maxKeyParams else {
                throw .syntax("more than \(maxKeyParams) key-params")
            }
            keys.append(try parseKeyParam(piece))
        }
        return keys
    }

    /// RFC 4568 §9.2: `"inline:" key-salt ["|" lifetime] ["|" mki]`.
    private static func parseKeyParam(_ piece: Substring) throws(CryptoAttributeError) -> KeyParam {
        guard let colon = piece.utf8.firstIndex(of: UInt8(ascii: ":")) else {
            throw .syntax("key-param '\(piece)' has no 'method:' prefix")
        }
        let method = Substring(piece.utf8[piece.utf8.startIndex..<colon])
        guard !method.isEmpty else { throw .syntax("key-param '\(piece)' has an empty key method") }
        // ABNF literals are case-insensitive (RFC 5234 §2.3).
        guard method.utf8.count == 6, method.utf8.map(ASCIIByte.lowercased).elementsEqual("inline".utf8)
        else { throw .unsupportedKeyMethod(String(method)) }

        let info = Substring(piece.utf8[piece.utf8.index(after: colon)...])
        let parts = info.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count <= 3, parts.allSatisfy({ !$0.isEmpty }) else {
            throw .syntax("key-info '\(info)' must be key-salt[|lifetime][|mki:length]")
        }
        guard let keySalt = Base64.decode(parts[0]), !keySalt.isEmpty else { throw .badKeyEncoding }
        var key = KeyParam(keySalt: keySalt)
        if parts.count == 3 {
            key.lifetime = try parseLifetime(parts[1])
            key.mki = try parseMKI(parts[2])
        } else if parts.count == 2 {
            // One optional field: RFC 4568 §6.1 tells them apart by the MKI's ':'.
            if parts[1].utf8.contains(UInt8(ascii: ":")) {
                key.mki = try parseMKI(parts[1])
            } else {
                key.lifetime = try parseLifetime(parts[1])
            }
        }
        return key
    }

    /// RFC 4568 §6.1: `lifetime = ["2^"] 1*(DIGIT)`.
    private static func parseLifetime(_ text: Substring) throws(CryptoAttributeError) -> UInt64 {
        if text.hasPrefix("2^") {
            guard let exponent = decimal(text.dropFirst(2)), exponent <= 63 else {
                throw .badLifetime(String(text))
            }
            return 1 << exponent
        }
        guard let lifetime = decimal(text), lifetime > 0 else { throw .badLifetime(String(text)) }
        return lifetime
    }

    /// RFC 4568 §6.1: `mki = mki-value ":" mki-length`, length 1–128 bytes.
    private static func parseMKI(_ text: Substring) throws(CryptoAttributeError) -> MKI {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let value = decimal(parts[0]), value <= UInt64(UInt32.max),
              parts[1].utf8.count <= 3, let length = decimal(parts[1]), (1...128).contains(length)
        else { throw .badMKI(String(text)) }
        // The value must fit in the advertised number of bytes.
        if length < 4 && value >= UInt64(1) << (8 * length) { throw .badMKI(String(text)) }
        return MKI(value: UInt32(value), length: Int(length))
    }

    /// Parses 1+ ASCII digits into a UInt64; `nil` when empty, not all digits or overflowing.
    private static func decimal(_ text: Substring) -> UInt64? {
        guard !text.isEmpty else { return nil }
        var result: UInt64 = 0
        for byte in text.utf8 {
            guard ASCIIByte.isDigit(byte) else { return nil }
            let (times10, overflow1) = result.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - 0x30))
            guard !overflow1, !overflow2 else { return nil }
            result = sum
        }
        return result
    }
}
