/// `name-addr` / `addr-spec` with header parameters, the value of From, To, Contact, Route,
/// Record-Route, Refer-To and P-Asserted-Identity (RFC 3261 §20.10, §25.1).
public struct NameAddr: Hashable, Sendable, CustomStringConvertible {
    public var displayName: String?
    public var uri: SIPURI
    /// Header parameters (after the `>`), e.g. `tag`, `expires`, `q`.
    public var params: [SIPParam]

    public init(displayName: String? = nil, uri: SIPURI, params: [SIPParam] = []) {
        self.displayName = displayName
        self.uri = uri
        self.params = params
    }

    /// The `tag` parameter (RFC 3261 §19.3).
    public var tag: String? {
        get { params.value("tag") }
        set { if let v = newValue { params.set("tag", v) } else { params.remove("tag") } }
    }

    public static func parse<S: StringProtocol>(_ text: S) throws(SIPParseError) -> NameAddr {
        let s = HeaderText.trim(text)
        let u = Array(s.utf8)
        guard !u.isEmpty else { throw SIPParseError(.badHeader, "empty address") }
        var display: String?
        var i = 0
        if let lt = indexOfAngle(u) {
            // name-addr: [display-name] <addr-spec> *(;param)
            var d = HeaderText.trim(String(decoding: u[0..<lt], as: UTF8.self))
            if d.utf8.first == HeaderText.quote {
                guard d.utf8.count >= 2, d.utf8.last == HeaderText.quote else {
                    throw SIPParseError(.badHeader, "unterminated quoted display name")
                }
                d = HeaderText.unquote(d)
            }
            display = d.isEmpty ? nil : d
            guard let gt = u[(lt + 1)...].firstIndex(of: HeaderText.gt) else {
                throw SIPParseError(.badHeader, "missing '>' in address")
            }
            let uri = try SIPURI.parse(String(decoding: u[(lt + 1)..<gt], as: UTF8.self))
            i = gt + 1
            let rest = String(decoding: u[i...], as: UTF8.self)
            let trimmed = HeaderText.trim(rest)
            guard trimmed.isEmpty || trimmed.utf8.first == HeaderText.semicolon else {
                throw SIPParseError(.badHeader, "junk after '>' in address")
            }
            return NameAddr(displayName: display, uri: uri, params: HeaderText.parseParams(Substring(trimmed)))
        }
        // addr-spec without brackets: every ';' belongs to the header, not the URI (§20.10).
        guard !u.contains(0x20) && !u.contains(0x09) else {
            throw SIPParseError(.badHeader, "address with spaces needs <...>")
        }
        if let semi = u.firstIndex(of: HeaderText.semicolon) {
            let uri = try SIPURI.parse(String(decoding: u[0..<semi], as: UTF8.self))
            return NameAddr(uri: uri, params: HeaderText.parseParams(Substring(String(decoding: u[(semi + 1)...], as: UTF8.self))))
        }
        return NameAddr(uri: try SIPURI.parse(s))
    }

    /// Finds the `<` that opens the addr-spec, skipping a quoted display name.
    private static func indexOfAngle(_ u: [UInt8]) -> Int? {
        var inQuote = false, i = 0
        while i < u.count {
            let b = u[i]
            if inQuote {
                if b == HeaderText.backslash { i += 2; continue }
                if b == HeaderText.quote { inQuote = false }
            } else if b == HeaderText.quote { inQuote = true } else if b == HeaderText.lt { return i }
            i += 1
        }
        return nil
    }

    public var description: String {
        var s = ""
        if let d = displayName {
            s = (HeaderText.isToken(d.filter { $0 != " " }) ? d : HeaderText.quoted(d)) + " "
        }
        return s + "<" + uri.description + ">" + HeaderText.formatParams(params)
    }
}

/// The `sent-by` and parameters of one Via element (RFC 3261 §20.42, RFC 3581).
public struct Via: Hashable, Sendable, CustomStringConvertible {
    /// "UDP", "TCP", "TLS", "WS", "WSS", upper-cased.
    public var transport: String
    public var host: String
    public var port: Int?
    public var params: [SIPParam]

    public init(transport: String = "UDP", host: String, port: Int?, branch: String, rport: Bool = true) {
        self.transport = transport
        self.host = host
        self.port = port
        self.params = [SIPParam(name: "branch", value: branch)]
        if rport { params.append(SIPParam(name: "rport", value: nil)) }
    }

    public var branch: String? { params.value("branch") }
    public var received: String? { params.value("received") }
    /// `rport` with a value, as filled in by the server (RFC 3581 §4).
    public var rport: Int? { params.value("rport").flatMap { Int($0) } }
    /// Whether the client asked for rport (RFC 3581 §3).
    public var wantsRport: Bool { params.has("rport") }
    public var maddr: String? { params.value("maddr") }

    /// Whether the branch carries the RFC 3261 magic cookie, so the branch alone identifies
    /// the transaction (§17.2.3); otherwise the RFC 2543 matching rules apply.
    public var hasMagicCookie: Bool { branch?.hasPrefix("z9hG4bK") ?? false }

    public static func parse<S: StringProtocol>(_ text: S) throws(SIPParseError) -> Via {
        let s = HeaderText.trim(text)
        // sent-protocol: SIP / 2.0 / UDP — LWS is allowed around the slashes (RFC 4475 §3.1.1.1).
        let parts = s.split(separator: "/", maxSplits: 2)
        guard parts.count == 3,
              HeaderText.trim(parts[0]).uppercased() == "SIP",
              HeaderText.trim(parts[1]) == "2.0" else {
            throw SIPParseError(.badVia, "Via '\(s.prefix(80))' does not start with SIP/2.0/transport")
        }
        let rest = HeaderText.trim(parts[2])
        var u = Substring(rest)
        // transport LWS sent-by
        guard let sp = u.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
            throw SIPParseError(.badVia, "Via has no sent-by")
        }
        let transport = u[u.startIndex..<sp].uppercased()
        u = u[sp...].drop { $0 == " " || $0 == "\t" }
        var sentBy = u, paramText: Substring = ""
        if let semi = u.firstIndex(of: ";") {
            sentBy = u[u.startIndex..<semi]
            paramText = u[u.index(after: semi)...]
        }
        // LWS is allowed around ':' in sent-by.
        let compact = Substring(sentBy.filter { $0 != " " && $0 != "\t" })
        guard HeaderText.isToken(transport) else { throw SIPParseError(.badVia, "Via transport '\(transport)' is not a token") }
        let (host, port): (String, Int?)
        do { (host, port) = try SIPURI.parseHostPort(compact) } catch {
            throw SIPParseError(.badVia, "Via sent-by: \(error.reason)")
        }
        var via = Via(transport: transport, host: host, port: port, branch: "", rport: false)
        via.params = HeaderText.parseParams(paramText)
        return via
    }

    public var description: String {
        "SIP/2.0/\(transport) \(host)\(port.map { ":\($0)" } ?? "")" + HeaderText.formatParams(params)
    }
}

/// The CSeq header: sequence number and method (RFC 3261 §20.16).
public struct CSeq: Hashable, Sendable, CustomStringConvertible {
    public var sequence: UInt32
    public var method: SIPMethod

    public init(_ sequence: UInt32, _ method: SIPMethod) { self.sequence = sequence; self.method = method }

    public static func parse<S: StringProtocol>(_ text: S) throws(SIPParseError) -> CSeq {
        let parts = HeaderText.trim(text).split(whereSeparator: { $0 == " " || $0 == "\t" })
        // §8.1.1.5: the sequence number is a 32-bit unsigned integer below 2**31 when chosen.
        guard parts.count == 2, parts[0].count <= 10, let n = UInt32(parts[0]), HeaderText.isToken(parts[1]) else {
            throw SIPParseError(.badHeader, "CSeq '\(String(text).prefix(60))' is not '<number> <method>'")
        }
        return CSeq(n, SIPMethod(String(parts[1])))
    }

    public var description: String { "\(sequence) \(method)" }
}
