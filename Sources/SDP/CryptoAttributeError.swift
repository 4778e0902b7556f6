/// Why an `a=crypto` attribute value (RFC 4568 §9.1/§9.2) was refused.
///
/// `code` is stable (logs, metrics, tests may match it); `message` says what to fix and may
/// change. A refused line is not fatal for an offer: the negotiator skips it and tries the next.
public enum CryptoAttributeError: Error, Sendable, Equatable {
    /// The value does not have the `<tag> <crypto-suite> <key-params> [<session-params>]` shape.
    case syntax(String)
    /// The tag is not 1–9 decimal digits (RFC 4568 §9.1).
    case badTag(String)
    /// A key method other than `inline` (the only one registered, RFC 4568 §6.1/§10.3.1).
    case unsupportedKeyMethod(String)
    /// The key-salt is not valid base64 (RFC 4568 §6.1 / RFC 4648).
    case badKeyEncoding
    /// The decoded key||salt has the wrong length for a known suite (RFC 4568 §6.2).
    case keyLength(suite: String, expected: Int, actual: Int)
    /// The lifetime is neither `2^n` (n ≤ 63) nor a decimal that fits 64 bits (RFC 4568 §6.1).
    case badLifetime(String)
    /// The MKI is not `value:length` with a 32-bit value and a length of 1–128 (RFC 4568 §6.1).
    case badMKI(String)

    /// Stable machine-readable code, e.g. `sdp.crypto_key_length`.
    public var code: String {
        switch self {
        case .syntax: "sdp.crypto_syntax"
        case .badTag: "sdp.crypto_tag"
        case .unsupportedKeyMethod: "sdp.crypto_key_method"
        case .badKeyEncoding: "sdp.crypto_key_encoding"
        case .keyLength: "sdp.crypto_key_length"
        case .badLifetime: "sdp.crypto_lifetime"
        case .badMKI: "sdp.crypto_mki"
        }
    }

    /// Human-readable explanation naming the offending part of the attribute.
    public var message: String {
        switch self {
        case .syntax(let detail):
            "a=crypto: \(detail); expected '<tag> <crypto-suite> inline:<key||salt>[|lifetime][|mki:len]'"
        case .badTag(let tag):
            "a=crypto: tag '\(tag)' must be 1 to 9 decimal digits"
        case .unsupportedKeyMethod(let method):
            "a=crypto: key method '\(method)' is not supported; only 'inline' is"
        case .badKeyEncoding:
            "a=crypto: the inline key is not valid base64"
        case .keyLength(let suite, let expected, let actual):
            "a=crypto: \(suite) needs a \(expected)-byte key||salt, the inline key has \(actual) bytes"
        case .badLifetime(let text):
            "a=crypto: lifetime '\(text)' must be '2^n' (n <= 63) or a decimal number"
        case .badMKI(let text):
            "a=crypto: MKI '\(text)' must be '<value>:<length>' with a 32-bit value and length 1-128"
        }
    }
}
