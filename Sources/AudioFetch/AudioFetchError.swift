// Why a `play` prompt could not be fetched or decoded.
//
// voice-actions §3/§4: a file that cannot be fetched or decoded becomes a call event and
// the verb is skipped, so callers only need a stable `code` for the event and a message a
// customer can act on ("HTTP 404 from prompts.example.com", not a NIO error dump).

import MediaEngine

/// A failed prompt fetch; `code` is stable (`play.*`), `message` is for humans and logs.
public struct AudioFetchError: Error, Sendable, Equatable {
    /// The failure class.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// Not an absolute http(s) URL with a host.
        case badURL = "play.bad_url"
        /// The URL's host (or a redirect's) is outside the workspace allow-list.
        case hostNotAllowed = "play.host_not_allowed"
        /// The body exceeds the configured byte limit.
        case tooLarge = "play.too_large"
        /// The whole fetch took longer than the configured time limit.
        case timeout = "play.timeout"
        /// The origin answered with a non-2xx status (or a redirect chain that is too long).
        case httpStatus = "play.http_status"
        /// The origin could not be connected to (DNS, refused, connect timeout, reset).
        case unreachable = "play.unreachable"
        /// The body was fetched but is not playable audio; the message carries the `audio.*` code.
        case decodeFailed = "play.decode_failed"
    }

    /// The failure class.
    public var kind: Kind
    /// Human-readable detail.
    public var message: String
    /// The HTTP status for `.httpStatus`, else nil.
    public var status: Int?

    /// Creates an error of `kind` with `message`.
    public init(_ kind: Kind, _ message: String, status: Int? = nil) {
        self.kind = kind
        self.message = message
        self.status = status
    }

    /// Wraps a decoder failure as `play.decode_failed`.
    public init(decoding error: AudioDecodeError) {
        self.init(.decodeFailed, "\(error.code): \(error.message)")
    }

    /// Stable machine-readable code, e.g. `play.timeout`.
    public var code: String { kind.rawValue }

    /// True for failures where serving a stale cached copy is better than silence
    /// (the origin is down or slow, or answered 5xx; RFC 5861 §4 "stale-if-error").
    var allowsStaleFallback: Bool {
        switch kind {
        case .unreachable, .timeout: true
        case .httpStatus: (status ?? 0) >= 500
        default: false
        }
    }
}

extension AudioFetchError: CustomStringConvertible {
    /// Code and message, for logs.
    public var description: String { "\(code): \(message)" }
}
