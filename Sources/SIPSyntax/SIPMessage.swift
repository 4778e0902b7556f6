/// A SIP request (RFC 3261 §7.1).
public struct SIPRequest: Hashable, Sendable {
    public var method: SIPMethod
    public var uri: SIPURI
    /// "SIP/2.0" normally; anything else is answered 505 (RFC 3261 §8.2.4 via §7.1).
    public var version: String
    public var headers: SIPHeaders
    public var body: [UInt8]

    public init(method: SIPMethod, uri: SIPURI, version: String = "SIP/2.0", headers: SIPHeaders = SIPHeaders(), body: [UInt8] = []) {
        self.method = method
        self.uri = uri
        self.version = version
        self.headers = headers
        self.body = body
    }
}

/// A SIP response (RFC 3261 §7.2).
public struct SIPResponse: Hashable, Sendable {
    public var statusCode: Int
    public var reason: String
    public var version: String
    public var headers: SIPHeaders
    public var body: [UInt8]

    public init(statusCode: Int, reason: String? = nil, version: String = "SIP/2.0", headers: SIPHeaders = SIPHeaders(), body: [UInt8] = []) {
        self.statusCode = statusCode
        self.reason = reason ?? SIPStatus.reason(statusCode)
        self.version = version
        self.headers = headers
        self.body = body
    }

    public var isProvisional: Bool { statusCode < 200 }
    public var isSuccess: Bool { statusCode >= 200 && statusCode < 300 }
    public var isFinal: Bool { statusCode >= 200 }
}

/// Either kind of SIP message.
public enum SIPMessage: Hashable, Sendable {
    case request(SIPRequest)
    case response(SIPResponse)

    public var headers: SIPHeaders {
        switch self {
        case .request(let r): r.headers
        case .response(let r): r.headers
        }
    }
}

/// Typed access to the headers every transaction and dialog needs. Each accessor parses on
/// demand and returns nil when the header is absent or malformed; `RequestValidator` has
/// already rejected malformed mandatory headers before the upper layers see a request.
public protocol SIPHeaderAccess {
    var headers: SIPHeaders { get set }
}

extension SIPHeaderAccess {
    public var callID: String? { headers["Call-ID"] }
    public var cseq: CSeq? { headers["CSeq"].flatMap { try? CSeq.parse($0) } }
    public var from: NameAddr? { headers["From"].flatMap { try? NameAddr.parse($0) } }
    public var to: NameAddr? { headers["To"].flatMap { try? NameAddr.parse($0) } }
    /// The From tag, read without parsing the address (hot path).
    public var fromTag: String? { headers["From"].flatMap(HeaderText.tagParameter) }
    /// The To tag, read without parsing the address (hot path).
    public var toTag: String? { headers["To"].flatMap(HeaderText.tagParameter) }
    /// The first (top-most) Via element.
    public var topVia: Via? { headers.values("Via").first.flatMap { try? Via.parse($0) } }
    public var vias: [Via] { headers.values("Via").compactMap { try? Via.parse($0) } }
    public var contacts: [NameAddr] { headers.values("Contact").compactMap { try? NameAddr.parse($0) } }
    public var contentType: String? { headers["Content-Type"] }
    public var maxForwards: Int? { headers["Max-Forwards"].flatMap { Int(HeaderText.trim($0)) } }
    /// Option tags of Require / Supported / Proxy-Require (RFC 3261 §20.32), lower-cased.
    public func optionTags(_ header: String) -> [String] { headers.values(header).map { $0.lowercased() } }
}

extension SIPRequest: SIPHeaderAccess {}
extension SIPResponse: SIPHeaderAccess {}

/// Reason phrases for the status codes this stack sends (RFC 3261 §21 and extensions).
public enum SIPStatus {
    public static func reason(_ code: Int) -> String {
        switch code {
        case 100: "Trying"
        case 180: "Ringing"
        case 181: "Call Is Being Forwarded"
        case 182: "Queued"
        case 183: "Session Progress"
        case 200: "OK"
        case 202: "Accepted"
        case 301: "Moved Permanently"
        case 302: "Moved Temporarily"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 407: "Proxy Authentication Required"
        case 408: "Request Timeout"
        case 410: "Gone"
        case 413: "Request Entity Too Large"
        case 414: "Request-URI Too Long"
        case 415: "Unsupported Media Type"
        case 416: "Unsupported URI Scheme"
        case 420: "Bad Extension"
        case 421: "Extension Required"
        case 422: "Session Interval Too Small"
        case 423: "Interval Too Brief"
        case 480: "Temporarily Unavailable"
        case 481: "Call/Transaction Does Not Exist"
        case 482: "Loop Detected"
        case 483: "Too Many Hops"
        case 484: "Address Incomplete"
        case 486: "Busy Here"
        case 487: "Request Terminated"
        case 488: "Not Acceptable Here"
        case 491: "Request Pending"
        case 500: "Server Internal Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Server Time-out"
        case 505: "Version Not Supported"
        case 513: "Message Too Large"
        case 600: "Busy Everywhere"
        case 603: "Decline"
        case 604: "Does Not Exist Anywhere"
        case 606: "Not Acceptable"
        default: code < 200 ? "Progress" : code < 300 ? "OK" : code < 400 ? "Redirect" : code < 500 ? "Client Error" : code < 600 ? "Server Error" : "Global Failure"
        }
    }
}
