/// The UAS checks of RFC 3261 §8.2.1–§8.2.2 that need no dialog state, in the order the RFC
/// gives them, each mapped to the response that tells the client what to fix.
public enum RequestValidator {
    /// A rejection: status code, reason phrase and extra headers (e.g. Unsupported for 420).
    public struct Rejection: Error, Hashable, Sendable {
        public var statusCode: Int
        public var reason: String
        public var headers: [(String, String)]
        public init(_ statusCode: Int, _ reason: String, headers: [(String, String)] = []) {
            self.statusCode = statusCode
            self.reason = reason
            self.headers = headers
        }
        public static func == (a: Rejection, b: Rejection) -> Bool {
            a.statusCode == b.statusCode && a.reason == b.reason && a.headers.map { "\($0.0):\($0.1)" } == b.headers.map { "\($0.0):\($0.1)" }
        }
        public func hash(into h: inout Hasher) { h.combine(statusCode); h.combine(reason) }
    }

    /// Whether a request has enough for a response to be routed back (Via, From, To,
    /// Call-ID, CSeq). Without them the request is silently dropped.
    public static func canRespond(_ headers: SIPHeaders) -> Bool {
        guard let via = headers.values("Via").first, (try? Via.parse(via)) != nil else { return false }
        return headers["From"] != nil && headers["To"] != nil && headers["Call-ID"] != nil && headers["CSeq"] != nil
    }

    /// Checks a parsed request. `supportedExtensions` are the option tags we implement.
    public static func validate(_ r: SIPRequest, supportedExtensions: Set<String>) -> Rejection? {
        // §8.1.1: mandatory headers. Max-Forwards is tolerated when missing (older UAs).
        for name in ["Via", "From", "To", "Call-ID", "CSeq"] where r.headers[name] == nil {
            return Rejection(400, "Missing \(name) header")
        }
        for v in r.headers.values("Via") {
            do { _ = try Via.parse(v) } catch { return Rejection(400, "Bad Via: \(error.reason)") }
        }
        do { _ = try NameAddr.parse(r.headers["From"] ?? "") } catch { return Rejection(400, "Bad From: \(error.reason)") }
        do { _ = try NameAddr.parse(r.headers["To"] ?? "") } catch { return Rejection(400, "Bad To: \(error.reason)") }
        if r.headers.rawValues("Call-ID").count > 1 { return Rejection(400, "Multiple Call-ID headers") }
        if r.headers.rawValues("From").count > 1 || r.headers.rawValues("To").count > 1 {
            return Rejection(400, "Multiple From or To headers")
        }
        guard let cseq = try? CSeq.parse(r.headers["CSeq"] ?? "") else { return Rejection(400, "Bad CSeq") }
        // §8.2 / RFC 4475 §3.1.2.6: the CSeq method must match the request method.
        guard cseq.method == r.method else { return Rejection(400, "CSeq method does not match request method") }
        if cseq.sequence >= 1 << 31 { return Rejection(400, "CSeq number out of range") }
        if let mf = r.headers["Max-Forwards"] {
            guard let n = Int(HeaderText.trim(mf)), n >= 0, n <= 255 else { return Rejection(400, "Bad Max-Forwards") }
        }
        // §8.2.2.1 after §7.1: version, then the URI scheme.
        guard r.version.uppercased() == "SIP/2.0" else { return Rejection(505, "Version Not Supported") }
        if case .other = r.uri.scheme { return Rejection(416, "Unsupported URI Scheme") }
        // §8.2.2.3: unknown option tags in Require (not for ACK/CANCEL, §8.2.2.3 last para).
        if r.method != .ack && r.method != .cancel {
            let unknown = r.optionTags("Require").filter { !supportedExtensions.contains($0) }
            if !unknown.isEmpty {
                return Rejection(420, "Bad Extension", headers: [("Unsupported", unknown.joined(separator: ", "))])
            }
        }
        return nil
    }
}

extension SIPResponse {
    /// Builds a response to a request per RFC 3261 §8.2.6.2: Via, From, To, Call-ID and CSeq
    /// are copied; a To tag is added when given and the To header has none (never for 100).
    public init(to request: SIPRequest, statusCode: Int, reason: String? = nil, toTag: String? = nil) {
        var h = SIPHeaders()
        for f in request.headers.fields where f.key == "via" { h.append(f) }
        if let f = request.headers["From"] { h.add("From", f) }
        if var to = request.headers["To"] {
            if statusCode != 100, let tag = toTag, var addr = try? NameAddr.parse(to), addr.tag == nil {
                addr.tag = tag
                to = addr.description
            }
            h.add("To", to)
        }
        if let c = request.headers["Call-ID"] { h.add("Call-ID", c) }
        if let c = request.headers["CSeq"] { h.add("CSeq", c) }
        // §8.2.6.1: a 100 Trying copies Timestamp.
        if statusCode == 100, let ts = request.headers["Timestamp"] { h.add("Timestamp", ts) }
        self.init(statusCode: statusCode, reason: reason, headers: h)
    }

    /// A response built from whatever headers a failed parse recovered.
    public init?(toUnparsable headers: SIPHeaders, statusCode: Int, reason: String) {
        guard RequestValidator.canRespond(headers) else { return nil }
        var h = SIPHeaders()
        for f in headers.fields where ["via", "from", "to", "call-id", "cseq"].contains(f.key) { h.append(f) }
        self.init(statusCode: statusCode, reason: reason, headers: h)
    }
}
