/// Why a session description was refused by the parser.
///
/// Every case carries the 1-based line number (where one applies) so that the SIP layer can
/// answer 400/488 with a message that tells the peer's operator what to fix. `code` strings are
/// stable and may be matched on by callers and logs; `message` is for humans and may change.
public enum SDPError: Error, Sendable, Hashable {
    /// The body has no lines at all.
    case empty
    /// The body is larger than the parser accepts (bytes seen, limit).
    case tooLarge(bytes: Int, limit: Int)
    /// A line does not have the `<type>=<value>` form, or holds forbidden bytes.
    case badLine(line: Int, detail: String)
    /// The first line is not `v=` (RFC 4566 §5: v= comes first).
    case missingVersion(line: Int)
    /// The `v=` line holds something other than `0` (RFC 4566 §5.1).
    case badVersion(line: Int, detail: String)
    /// The second line is not `o=` (RFC 4566 §5).
    case missingOrigin(line: Int)
    /// The `o=` line is malformed (RFC 4566 §5.2).
    case badOrigin(line: Int, detail: String)
    /// The third line is not `s=` (RFC 4566 §5).
    case missingSessionName(line: Int)
    /// A type letter that RFC 4566 does not define (RFC 4566 §5: such descriptions are refused).
    case unknownLineType(line: Int, type: String)
    /// A known line in a place RFC 4566 §5 does not allow (duplicate, wrong section, r= without t=).
    case unexpectedLine(line: Int, detail: String)
    /// The `c=` line is malformed (RFC 4566 §5.7).
    case badConnection(line: Int, detail: String)
    /// The `b=` line is malformed (RFC 4566 §5.8).
    case badBandwidth(line: Int, detail: String)
    /// The `t=` or `r=` line is malformed (RFC 4566 §5.9, §5.10).
    case badTiming(line: Int, detail: String)
    /// The `m=` line is malformed (RFC 4566 §5.14).
    case badMedia(line: Int, detail: String)
    /// The `a=` line is malformed (RFC 4566 §5.13).
    case badAttribute(line: Int, detail: String)
    /// An `a=rtpmap` attribute is malformed or names a payload type not on the m= line (RFC 4566 §6).
    case badRTPMap(line: Int, detail: String)
    /// An `a=fmtp` attribute is malformed or names a format not on the m= line (RFC 4566 §6).
    case badFmtp(line: Int, detail: String)
    /// More m= sections than the parser accepts.
    case tooManyMedia(line: Int, limit: Int)
    /// More a= lines in one section than the parser accepts.
    case tooManyAttributes(line: Int, limit: Int)

    /// Stable machine-readable code, e.g. `sdp.bad_media`.
    public var code: String {
        switch self {
        case .empty: "sdp.empty"
        case .tooLarge: "sdp.too_large"
        case .badLine: "sdp.bad_line"
        case .missingVersion: "sdp.missing_version"
        case .badVersion: "sdp.bad_version"
        case .missingOrigin: "sdp.missing_origin"
        case .badOrigin: "sdp.bad_origin"
        case .missingSessionName: "sdp.missing_session_name"
        case .unknownLineType: "sdp.unknown_line_type"
        case .unexpectedLine: "sdp.unexpected_line"
        case .badConnection: "sdp.bad_connection"
        case .badBandwidth: "sdp.bad_bandwidth"
        case .badTiming: "sdp.bad_timing"
        case .badMedia: "sdp.bad_media"
        case .badAttribute: "sdp.bad_attribute"
        case .badRTPMap: "sdp.bad_rtpmap"
        case .badFmtp: "sdp.bad_fmtp"
        case .tooManyMedia: "sdp.too_many_media"
        case .tooManyAttributes: "sdp.too_many_attributes"
        }
    }

    /// The 1-based line number the error refers to, when there is one.
    public var line: Int? {
        switch self {
        case .empty, .tooLarge: nil
        case .badLine(let line, _), .missingVersion(let line), .badVersion(let line, _),
             .missingOrigin(let line), .badOrigin(let line, _), .missingSessionName(let line),
             .unknownLineType(let line, _), .unexpectedLine(let line, _),
             .badConnection(let line, _), .badBandwidth(let line, _), .badTiming(let line, _),
             .badMedia(let line, _), .badAttribute(let line, _), .badRTPMap(let line, _),
             .badFmtp(let line, _), .tooManyMedia(let line, _), .tooManyAttributes(let line, _):
            line
        }
    }

    /// Human-readable explanation naming the line and what to fix.
    public var message: String {
        switch self {
        case .empty:
            return "SDP body is empty; expected at least v=, o=, s= and t= lines"
        case .tooLarge(let bytes, let limit):
            return "SDP body is \(bytes) bytes; at most \(limit) bytes are accepted"
        case .badLine(let line, let detail):
            return "line \(line): \(detail)"
        case .missingVersion(let line):
            return "line \(line): expected v=0 as the first line (RFC 4566 §5)"
        case .badVersion(let line, let detail):
            return "line \(line): \(detail); only v=0 is defined (RFC 4566 §5.1)"
        case .missingOrigin(let line):
            return "line \(line): expected o= as the second line (RFC 4566 §5)"
        case .badOrigin(let line, let detail):
            return "line \(line): bad o= line: \(detail)"
        case .missingSessionName(let line):
            return "line \(line): expected s= as the third line (RFC 4566 §5)"
        case .unknownLineType(let line, let type):
            return "line \(line): unknown line type '\(type)=' (RFC 4566 §5 defines v o s i u e p c b t r z k a m)"
        case .unexpectedLine(let line, let detail):
            return "line \(line): \(detail)"
        case .badConnection(let line, let detail):
            return "line \(line): bad c= line: \(detail)"
        case .badBandwidth(let line, let detail):
            return "line \(line): bad b= line: \(detail)"
        case .badTiming(let line, let detail):
            return "line \(line): bad timing line: \(detail)"
        case .badMedia(let line, let detail):
            return "line \(line): bad m= line: \(detail)"
        case .badAttribute(let line, let detail):
            return "line \(line): bad a= line: \(detail)"
        case .badRTPMap(let line, let detail):
            return "line \(line): bad a=rtpmap: \(detail)"
        case .badFmtp(let line, let detail):
            return "line \(line): bad a=fmtp: \(detail)"
        case .tooManyMedia(let line, let limit):
            return "line \(line): more than \(limit) m= sections"
        case .tooManyAttributes(let line, let limit):
            return "line \(line): more than \(limit) a= lines in one section"
        }
    }
}

extension SDPError: CustomStringConvertible {
    /// `code: message`, for logs.
    public var description: String { "\(code): \(message)" }
}
