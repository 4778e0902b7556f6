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

    /// Checks a parsed request. `supportedExtensions` are the option tags we implement
    /// (compared case-insensitively, RFC 3261 §7.3.1: tokens are case-insensitive).
    public static func validate(_ r: SIPRequest, supportedExtensions: Set<String>) -> Rejection? {
        // §8.1.1: mandatory headers. Max-Forwards is tolerated when missing (older UAs).
        for name in ["Via", "From", "To", "Call-ID", "CSeq"] where r.headers[name] == nil {
            return Rejection(400, "Missing \(name) header")
        }
        // The version decides how everything else is read, so it goes first: a SIP/7.0
        // request is answered 505, not 400 for its SIP/7.0 Via (RFC 4475 §3.1.2.16).
        guard r.version.uppercased() == "SIP/2.0" else { return Rejection(505, "Version Not Supported") }
        for v in r.headers.values("Via") {
            do { _ = try Via.parse(v) } catch { return Rejection(400, "Bad Via: \(error.reason)") }
        }
        do { _ = try NameAddr.parse(r.headers["From"] ?? "") } catch { return Rejection(400, "Bad From: \(error.reason)") }
        do { _ = try NameAddr.parse(r.headers["To"] ?? "") } catch { return Rejection(400, "Bad To: \(error.reason)") }
        // RFC 4475 §3.3.8: single-value headers that appear twice make the request ambiguous.
        for name in ["Call-ID", "From", "To", "CSeq", "Max-Forwards"] where r.headers.rawValues(name).count > 1 {
            return Rejection(400, "Multiple \(name) headers")
        }
        // §25.1 callid = word ["@" word]: not empty and no LWS.
        let callID = r.headers["Call-ID"] ?? ""
        guard !callID.isEmpty, !callID.utf8.contains(where: { $0 == 0x20 || $0 == 0x09 }) else {
            return Rejection(400, "Bad Call-ID")
        }
        guard let cseq = try? CSeq.parse(r.headers["CSeq"] ?? "") else { return Rejection(400, "Bad CSeq") }
        // §8.2 / RFC 4475 §3.1.2.17: the CSeq method must match the request method.
        guard cseq.method == r.method else { return Rejection(400, "CSeq method does not match request method") }
        if cseq.sequence >= 1 << 31 { return Rejection(400, "CSeq number out of range") }
        if let mf = r.headers["Max-Forwards"] {
            let t = HeaderText.trim(mf)
            // 1*DIGIT, leading zeros allowed (RFC 4475 §3.1.1.1 sends 0068); at most 255 (§20.22).
            guard !t.isEmpty, t.utf8.count <= 9, t.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let n = Int(t), n <= 255 else { return Rejection(400, "Bad Max-Forwards") }
        }
        // §19.1.1 table: headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11).
        if r.uri.headers != nil { return Rejection(400, "Request-URI must not contain headers") }
        // Contact is read by dialogs and the registrar; `*` is only meaningful in REGISTER
        // (§10.2.2), where the registrar checks its Expires.
        for c in r.headers.values("Contact") where !(c == "*" && r.method == .register) {
            do { _ = try NameAddr.parse(c) } catch { return Rejection(400, "Bad Contact: \(error.reason)") }
        }
        // §8.2.2.1: the URI scheme.
        if case .other = r.uri.scheme { return Rejection(416, "Unsupported URI Scheme") }
        // §8.2.2.3: unknown option tags in Require (not for ACK/CANCEL, §8.2.2.3 last para).
        // The tags are echoed as the client wrote them.
        if r.method != .ack && r.method != .cancel {
            let supported = Set(supportedExtensions.map { $0.lowercased() })
            let unknown = r.headers.values("Require").filter { !supported.contains($0.lowercased()) }
            if !unknown.isEmpty {
                return Rejection(420, "Bad Extension", headers: [("Unsupported", unknown.joined(separator: ", "))])
            }
        }
        return nil
    }

    /// Checks a parsed response before it reaches a client transaction. Malformed responses
    /// are discarded, never answered (RFC 3261 §18.1.2; RFC 4475 §3.1.2.5 and §3.1.2.19).
    /// Returns why the response must be dropped, or nil when it is usable.
    public static func check(_ r: SIPResponse) -> SIPParseError? {
        guard r.version.uppercased() == "SIP/2.0" else { return SIPParseError(.badStartLine, "unsupported version '\(r.version.prefix(20))'") }
        for name in ["Via", "From", "To", "Call-ID", "CSeq"] {
            let count = r.headers.rawValues(name).count
            if count == 0 { return SIPParseError(.missingHeader, "missing \(name) header") }
            if count > 1 && name != "Via" { return SIPParseError(.badHeader, "multiple \(name) headers") }
        }
        // §18.1.2: the top Via says which transport and transaction the response is for.
        guard let top = r.headers.values("Via").first else { return SIPParseError(.badVia, "empty Via") }
        do { _ = try Via.parse(top) } catch { return error }
        for name in ["From", "To"] {
            do { _ = try NameAddr.parse(r.headers[name] ?? "") } catch { return error }
        }
        do { _ = try CSeq.parse(r.headers["CSeq"] ?? "") } catch { return error }
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
