/// Why a message could not be parsed or accepted. `kind` is stable; `reason` is for humans and
/// is sent as the reason phrase or a Warning so the peer knows what to fix.
public struct SIPParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case empty = "sip.empty"
        case tooLarge = "sip.too_large"
        case badStartLine = "sip.bad_start_line"
        case badHeader = "sip.bad_header"
        case badVia = "sip.bad_via"
        case badURI = "sip.bad_uri"
        case badContentLength = "sip.bad_content_length"
        case truncatedBody = "sip.truncated_body"
        case tooManyHeaders = "sip.too_many_headers"
        case missingHeader = "sip.missing_header"
        case badEncoding = "sip.bad_encoding"
    }

    public var kind: Kind
    public var reason: String

    public init(_ kind: Kind, _ reason: String) { self.kind = kind; self.reason = reason }

    public var description: String { "\(kind.rawValue): \(reason)" }
}

/// A datagram that failed to parse, with what could be recovered so that a request can still
/// be answered with 400 (RFC 3261 §8.2: a UAS answers malformed requests when it can route
/// the response, which needs Via, From, To, Call-ID and CSeq).
public struct SIPParseFailure: Error, Sendable {
    public var error: SIPParseError
    /// True when the start line looked like a request (so a response may be owed).
    public var isRequest: Bool
    /// Headers parsed before or despite the error, when the header section was readable.
    public var headers: SIPHeaders?
    public var method: SIPMethod?
}
