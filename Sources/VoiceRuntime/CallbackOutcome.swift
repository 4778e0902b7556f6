import VoiceFlow

/// What one callback fetch produced (voice-actions.md §2, §4): the next document's actions,
/// or why there is none. Never thrown: every failure is a value the call can act on
/// (record `callback.failed`, try the fallback URL, else apologise and hang up).
public enum CallbackOutcome: Sendable, Equatable {
    /// A 2xx answer whose body decoded into actions.
    case document(actions: [VoiceAction], elapsedMs: Int, status: Int)
    /// Unreachable, timed out, non-2xx, too large, bad URL or an invalid document.
    case failed(CallbackFailure)

    /// The actions of a `.document`, nil for `.failed`.
    public var actions: [VoiceAction]? {
        if case .document(let actions, _, _) = self { return actions }
        return nil
    }

    /// The failure of a `.failed`, nil for `.document`.
    public var failure: CallbackFailure? {
        if case .failed(let failure) = self { return failure }
        return nil
    }
}

/// Why a callback gave no document; `code` is stable and becomes the `callback.failed`
/// call event's reason, `message` says what to fix.
public struct CallbackFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable failure codes.
    public enum Code {
        /// No connection within the connect timeout, or no whole response within the response timeout.
        public static let timeout = "callback.timeout"
        /// Connection refused or reset, DNS failure, or an answer that is not HTTP.
        public static let unreachable = "callback.unreachable"
        /// A status outside 2xx; 3xx too, since redirects are not followed.
        public static let httpStatus = "callback.http_status"
        /// The body is larger than `DocumentLimits.maxBytes`.
        public static let tooLarge = "callback.too_large"
        /// The URL is not an http/https URL with a host.
        public static let badURL = "callback.bad_url"
        /// The body is not a valid document; the message is the `DocumentError` description.
        public static let documentInvalid = "callback.document_invalid"
        /// The calling task was cancelled (the call ended while we waited).
        public static let cancelled = "callback.cancelled"
    }

    /// One of `Code`'s values.
    public var code: String
    /// Human-readable reason; never echoes the peer's body.
    public var message: String
    /// The HTTP status when a response head arrived.
    public var status: Int?
    /// Milliseconds from the start of the fetch to the failure.
    public var elapsedMs: Int

    /// Creates a failure.
    public init(code: String, message: String, status: Int? = nil, elapsedMs: Int) {
        self.code = code
        self.message = message
        self.status = status
        self.elapsedMs = elapsedMs
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }
}
