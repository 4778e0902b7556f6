/// The SRTP crypto suites SautiPBX can negotiate with SDES (RFC 4568 §6.2).
///
/// `CryptoAttribute.suite` stays a raw string so unknown suites survive a parse/serialize round
/// trip; this enum names only what the media engine (libsrtp) is configured for.
public enum CryptoSuite: String, Sendable, CaseIterable, Hashable {
    /// RFC 4568 §6.2.1: AES-128 counter mode, HMAC-SHA1 with an 80-bit tag.
    case aes128CmSha1_80 = "AES_CM_128_HMAC_SHA1_80"
    /// RFC 4568 §6.2.2: as `_80` but a 32-bit SRTP tag (SRTCP still uses 80 bits).
    case aes128CmSha1_32 = "AES_CM_128_HMAC_SHA1_32"

    /// The order we offer suites in: strongest tag first (RFC 4568 §7.1.1 lists by preference).
    public static let offerOrder: [CryptoSuite] = [.aes128CmSha1_80, .aes128CmSha1_32]

    /// Looks a suite up by its SDP name; RFC 4568 §9.2 names are ABNF literals, so the match
    /// ignores ASCII case.
    public init?(name: some StringProtocol) {
        for suite in CryptoSuite.allCases where Self.equalsIgnoringASCIICase(name, suite.rawValue) {
            self = suite
            return
        }
        return nil
    }

    /// Master key length in bytes (RFC 4568 §6.2.1: 128-bit AES key).
    public var masterKeyLength: Int { 16 }

    /// Master salt length in bytes (RFC 4568 §6.2.1: 112-bit salt).
    public var masterSaltLength: Int { 14 }

    /// Length of the `inline:` key||salt in bytes: 30 for both suites (RFC 4568 §6.2).
    public var keySaltLength: Int { masterKeyLength + masterSaltLength }

    /// SRTP authentication tag length in bytes (RFC 4568 §6.2.1/§6.2.2: 80 or 32 bits).
    public var srtpTagLength: Int {
        switch self {
        case .aes128CmSha1_80: 10
        case .aes128CmSha1_32: 4
        }
    }

    /// SRTCP authentication tag length in bytes: 80 bits for both (RFC 4568 §6.2.2).
    public var srtcpTagLength: Int { 10 }

    private static func equalsIgnoringASCIICase(_ lhs: some StringProtocol, _ rhs: String) -> Bool {
        var left = lhs.utf8.makeIterator()
        var right = rhs.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil):
                return true
            case (let l?, let r?):
                if ASCIIByte.lowercased(l) != ASCIIByte.lowercased(r) { return false }
            default:
                return false
            }
        }
    }
}

/// Small ASCII helpers for the byte-level SDES parser.
enum ASCIIByte {
    static func lowercased(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func isAlpha(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return lower >= 0x61 && lower <= 0x7A
    }

    /// RFC 5234 WSP: space or horizontal tab.
    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// RFC 5234 VCHAR: visible characters 0x21–0x7E.
    static func isVisible(_ byte: UInt8) -> Bool { byte >= 0x21 && byte <= 0x7E }
}
