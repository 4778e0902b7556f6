/// Typed error for malformed RTP/RTCP/telephone-event input; `code` is stable for logs and metrics.
public enum RTPError: Error, Equatable, Sendable {
    /// Buffer shorter than the structure being parsed.
    case truncated(needed: Int, available: Int)
    /// Version field is not 2 (RFC 3550 §5.1).
    case badVersion(UInt8)
    /// Padding count is zero or longer than the packet (RFC 3550 §5.1).
    case badPadding(UInt8)
    /// RTCP length field does not fit the compound packet (RFC 3550 §6.4.1).
    case badLength
    /// Output buffer too small for serialization.
    case bufferTooSmall(needed: Int, available: Int)
    /// A value that cannot be encoded (e.g. more than 15 CSRCs, 31 report blocks).
    case invalidValue(String)

    /// Stable machine-readable code.
    public var code: String {
        switch self {
        case .truncated: return "rtp.truncated"
        case .badVersion: return "rtp.bad_version"
        case .badPadding: return "rtp.bad_padding"
        case .badLength: return "rtp.bad_length"
        case .bufferTooSmall: return "rtp.buffer_too_small"
        case .invalidValue: return "rtp.invalid_value"
        }
    }

    /// Human-readable message.
    public var message: String {
        switch self {
        case let .truncated(n, a): return "truncated packet: need \(n) bytes, have \(a)"
        case let .badVersion(v): return "unsupported RTP version \(v)"
        case let .badPadding(p): return "invalid padding count \(p)"
        case .badLength: return "RTCP length field inconsistent with packet size"
        case let .bufferTooSmall(n, a): return "output buffer too small: need \(n), have \(a)"
        case let .invalidValue(s): return "invalid value: \(s)"
        }
    }
}
