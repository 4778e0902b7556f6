import CSRTP

/// Why an SRTP operation failed. Packet errors are normal on the wire (drop the packet and
/// count it by `code`); they never trap.
public enum SRTPError: Error, Sendable, Equatable {
    /// The authentication tag did not verify: wrong key, tampering or garbage (RFC 3711 §3.3).
    case authenticationFailed
    /// The packet index was already seen or is older than the replay window (RFC 3711 §3.3.2).
    case replay
    /// libsrtp refused a parameter (bad policy, or a header it could not use).
    case badParameter
    /// `srtp_init` or stream initialisation failed.
    case initFailed
    /// libsrtp could not allocate memory for a session or stream.
    case allocationFailed
    /// The master key reached its packet limit (RFC 3711 §9.2); re-key with a new offer/answer.
    case keyExpired
    /// The cipher itself failed.
    case cipherFailed
    /// A key||salt has the wrong length for the suite.
    case keyLength(expected: Int, actual: Int)
    /// The packet is shorter than the smallest valid (S)RTP/(S)RTCP packet.
    case truncated(length: Int, minimum: Int)
    /// The packet is not RTP/RTCP version 2, or its header overruns it.
    case malformed(String)
    /// The buffer has no room for the trailer `protect` may write.
    case bufferTooSmall(needed: Int, capacity: Int)
    /// Any other libsrtp status (`srtp_err_status_t` raw value).
    case library(status: UInt32)

    /// Maps a non-ok libsrtp status to an error.
    init(status: srtp_err_status_t) {
        switch status {
        case srtp_err_status_auth_fail: self = .authenticationFailed
        case srtp_err_status_replay_fail, srtp_err_status_replay_old: self = .replay
        case srtp_err_status_bad_param: self = .badParameter
        case srtp_err_status_init_fail: self = .initFailed
        case srtp_err_status_alloc_fail: self = .allocationFailed
        case srtp_err_status_key_expired: self = .keyExpired
        case srtp_err_status_cipher_fail: self = .cipherFailed
        case srtp_err_status_parse_err: self = .malformed("libsrtp could not parse the packet header")
        case srtp_err_status_cant_check:
            // libsrtp: the SRTCP E flag disagrees with the stream's encryption policy.
            self = .malformed("SRTCP encryption flag does not match the negotiated policy")
        default: self = .library(status: status.rawValue)
        }
    }

    /// Stable machine-readable code, e.g. `srtp.auth_fail`.
    public var code: String {
        switch self {
        case .authenticationFailed: "srtp.auth_fail"
        case .replay: "srtp.replay"
        case .badParameter: "srtp.bad_param"
        case .initFailed: "srtp.init"
        case .allocationFailed: "srtp.alloc"
        case .keyExpired: "srtp.key_expired"
        case .cipherFailed: "srtp.cipher_fail"
        case .keyLength: "srtp.key_length"
        case .truncated: "srtp.truncated"
        case .malformed: "srtp.malformed"
        case .bufferTooSmall: "srtp.buffer_too_small"
        case .library: "srtp.library"
        }
    }

    /// Human-readable explanation.
    public var message: String {
        switch self {
        case .authenticationFailed: "SRTP authentication failed (wrong key or altered packet)"
        case .replay: "SRTP replay: packet index already received or too old"
        case .badParameter: "libsrtp rejected a parameter"
        case .initFailed: "libsrtp initialisation failed"
        case .allocationFailed: "libsrtp could not allocate memory"
        case .keyExpired: "SRTP master key exhausted; re-key the session"
        case .cipherFailed: "SRTP cipher failure"
        case .keyLength(let expected, let actual):
            "SRTP key||salt must be \(expected) bytes, got \(actual)"
        case .truncated(let length, let minimum):
            "packet of \(length) bytes is shorter than the minimum \(minimum)"
        case .malformed(let detail): "malformed packet: \(detail)"
        case .bufferTooSmall(let needed, let capacity):
            "buffer capacity \(capacity) is below the \(needed) bytes protect needs"
        case .library(let status): "libsrtp error status \(status)"
        }
    }
}
