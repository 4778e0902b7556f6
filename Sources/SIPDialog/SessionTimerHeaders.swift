/// Which end of the dialog refreshes the session (RFC 4028 §4 refresher-param), named by its
/// role in the transaction that negotiated the timer.
public enum SessionRefresher: String, Sendable {
    /// The UAC of the INVITE/UPDATE that set the interval.
    case uac
    /// The UAS of that request.
    case uas
}

/// A Session-Expires or Min-SE value the peer sent that we cannot read.
public enum SessionTimerError: Error, Equatable, Sendable {
    /// The value breaks the RFC 4028 §4/§5 grammar; `header` names the field.
    case malformed(header: String, reason: String)

    /// Stable machine-readable code.
    public var code: String { "session_timer.malformed" }

    /// Human-readable message saying what is wrong.
    public var message: String {
        switch self {
        case .malformed(let header, let reason): "malformed \(header) header: \(reason)"
        }
    }
}

/// A Session-Expires value (RFC 4028 §4): `delta-seconds *(SEMI se-params)`. The compact header
/// name "x" is mapped to Session-Expires by the header layer, so only the value is parsed here.
public struct SessionExpires: Sendable, Equatable {
    /// Session interval in seconds.
    public var interval: UInt32
    /// Who refreshes; nil when the sender left the choice open.
    public var refresher: SessionRefresher?

    /// Creates a value.
    public init(interval: UInt32, refresher: SessionRefresher? = nil) {
        self.interval = interval
        self.refresher = refresher
    }

    /// Parses a Session-Expires header value such as "1800;refresher=uac".
    public static func parse(_ value: String) throws(SessionTimerError) -> SessionExpires {
        let (interval, params) = try DeltaSecondsValue.parse(value, header: "Session-Expires")
        var refresher: SessionRefresher?
        var sawRefresher = false
        for (name, paramValue) in params where name == "refresher" {
            guard !sawRefresher else {
                throw .malformed(header: "Session-Expires", reason: "refresher appears twice")
            }
            sawRefresher = true
            // RFC 3261 §25: quoted literals in the ABNF ("uac") are case-insensitive.
            guard let text = paramValue, let role = SessionRefresher(rawValue: text.lowercased()) else {
                throw .malformed(header: "Session-Expires", reason: "refresher must be uac or uas")
            }
            refresher = role
        }
        return SessionExpires(interval: interval, refresher: refresher)
    }

    /// The header value, for example "1800;refresher=uas".
    public var headerValue: String {
        guard let refresher else { return String(interval) }
        return "\(interval);refresher=\(refresher.rawValue)"
    }
}

/// A Min-SE value (RFC 4028 §5): `delta-seconds *(SEMI generic-param)`.
public struct MinSE: Sendable, Equatable {
    /// RFC 4028 §4/§5: the smallest session interval anyone may use, and the value meant when
    /// Min-SE is absent.
    public static let floor: UInt32 = 90

    /// Minimum session interval in seconds.
    public var interval: UInt32

    /// Creates a value.
    public init(interval: UInt32) { self.interval = interval }

    /// Parses a Min-SE header value such as "90".
    public static func parse(_ value: String) throws(SessionTimerError) -> MinSE {
        MinSE(interval: try DeltaSecondsValue.parse(value, header: "Min-SE").seconds)
    }

    /// The header value, for example "90".
    public var headerValue: String { String(interval) }
}

/// Byte-level parser for `delta-seconds *(SEMI generic-param)` (RFC 3261 §25.1).
enum DeltaSecondsValue {
    /// Longest value accepted: these headers are a number and a parameter or two.
    static let maxBytes = 1024

    /// Returns the seconds and the parameters (lower-cased names; value nil for a bare name).
    static func parse(
        _ value: String, header: String
    ) throws(SessionTimerError) -> (seconds: UInt32, params: [(String, String?)]) {
        guard value.utf8.count <= maxBytes else {
            throw .malformed(header: header, reason: "value longer than \(maxBytes) bytes")
        }
        var copy = value
        let result = copy.withUTF8 { bytes in
            Result { () throws(SessionTimerError) in try scan(bytes, header: header) }
        }
        return try result.get()
    }

    @inline(__always)
    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }

    private static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, header: String
    ) throws(SessionTimerError) -> (seconds: UInt32, params: [(String, String?)]) {
        var i = 0
        func skipSpaces() { while i < bytes.count, isSpace(bytes[i]) { i += 1 } }
        skipSpaces()
        var seconds: UInt64 = 0
        let digitsStart = i
        while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
            seconds = seconds * 10 + UInt64(bytes[i] - UInt8(ascii: "0"))
            guard seconds <= UInt64(UInt32.max) else {
                throw .malformed(header: header, reason: "delta-seconds out of range")
            }
            i += 1
        }
        guard i > digitsStart else { throw .malformed(header: header, reason: "expected delta-seconds") }
        var params: [(String, String?)] = []
        while true {
            skipSpaces()
            guard i < bytes.count else { break }
            guard bytes[i] == UInt8(ascii: ";") else {
                throw .malformed(header: header, reason: "unexpected text after delta-seconds")
            }
            i += 1
            skipSpaces()
            let nameStart = i
            while i < bytes.count, AuthParamsTokenizer.isTokenByte(bytes[i]) { i += 1 }
            guard i > nameStart else { throw .malformed(header: header, reason: "empty parameter name") }
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<i]), as: UTF8.self)
                .lowercased()
            skipSpaces()
            var paramValue: String?
            if i < bytes.count, bytes[i] == UInt8(ascii: "=") {
                i += 1
                skipSpaces()
                let valueStart = i
                if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
                    // gen-value may be a quoted-string; skip it, honouring quoted-pairs.
                    i += 1
                    while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                        i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1
                    }
                    guard i < bytes.count else {
                        throw .malformed(header: header, reason: "unterminated quoted parameter value")
                    }
                    i += 1
                } else {
                    // gen-value = token / host: tokens plus the host characters ':' '[' ']'.
                    while i < bytes.count,
                        AuthParamsTokenizer.isTokenByte(bytes[i]) || bytes[i] == UInt8(ascii: ":")
                            || bytes[i] == UInt8(ascii: "[") || bytes[i] == UInt8(ascii: "]")
                    {
                        i += 1
                    }
                }
                guard i > valueStart else {
                    throw .malformed(header: header, reason: "parameter '\(name)' has an empty value")
                }
                paramValue = String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<i]), as: UTF8.self)
            }
            params.append((name, paramValue))
        }
        return (UInt32(seconds), params)
    }
}
