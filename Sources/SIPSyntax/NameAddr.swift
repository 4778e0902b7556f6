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
        if let lt = indexOfAngle(u) {
            // name-addr: [display-name] <addr-spec> *(;param)
            let display = try parseDisplayName(u[0..<lt])
            guard let gt = u[(lt + 1)...].firstIndex(of: HeaderText.gt) else {
                throw SIPParseError(.badHeader, "missing '>' in address")
            }
            let uri = try SIPURI.parse(String(decoding: u[(lt + 1)..<gt], as: UTF8.self))
            let rest = String(decoding: u[(gt + 1)...], as: UTF8.self)
            let trimmed = HeaderText.trim(rest)
            guard trimmed.isEmpty || trimmed.utf8.first == HeaderText.semicolon else {
                throw SIPParseError(.badHeader, "junk after '>' in address")
            }
            return NameAddr(displayName: display, uri: uri, params: HeaderText.parseParams(Substring(trimmed)))
        }
        // addr-spec without brackets: every ';' belongs to the header, not the URI, and LWS
        // may surround it (RFC 3261 §20.10, §25.1 SEMI; RFC 4475 §3.1.1.1 To header).
        let semi = u.firstIndex(of: HeaderText.semicolon) ?? u.count
        var end = semi
        while end > 0, HeaderText.isWS(u[end - 1]) { end -= 1 }
        let spec = u[0..<end]
        guard !spec.contains(0x20) && !spec.contains(0x09) else {
            throw SIPParseError(.badHeader, "address with spaces needs <...>")
        }
        // §20.10: a URI containing ',', '?' or ';' MUST be enclosed in <> (RFC 4475 §3.1.2.13).
        guard !spec.contains(HeaderText.comma) && !spec.contains(UInt8(ascii: "?")) else {
            throw SIPParseError(.badHeader, "address with ',' or '?' needs <...>")
        }
        let uri = try SIPURI.parse(String(decoding: spec, as: UTF8.self))
        let params = semi < u.count
            ? HeaderText.parseParams(Substring(String(decoding: u[(semi + 1)...], as: UTF8.self))) : []
        return NameAddr(uri: uri, params: params)
    }

    /// display-name = *(token LWS) / quoted-string (RFC 3261 §25.1). Unquoted names may not
    /// carry separators such as ',' (RFC 4475 §3.1.2.15); UTF-8 octets are tolerated because
    /// deployed phones send them unquoted. A quoted name must be one closed quoted-string.
    private static func parseDisplayName(_ d: ArraySlice<UInt8>) throws(SIPParseError) -> String? {
        var lo = d.startIndex, hi = d.endIndex
        while lo < hi, HeaderText.isWS(d[lo]) { lo += 1 }
        while hi > lo, HeaderText.isWS(d[hi - 1]) { hi -= 1 }
        guard lo < hi else { return nil }
        let name = d[lo..<hi]
        if name[lo] == HeaderText.quote {
            var i = lo + 1
            var closed = false
            while i < hi {
                if name[i] == HeaderText.backslash { i += 2; continue }
                if name[i] == HeaderText.quote { closed = i == hi - 1; break }
                i += 1
            }
            guard closed else { throw SIPParseError(.badHeader, "unterminated or malformed quoted display name") }
            let text = HeaderText.unquote(String(decoding: name, as: UTF8.self))
            return text.isEmpty ? nil : text
        }
        guard name.allSatisfy({ HeaderText.isTokenByte($0) || $0 == 0x20 || $0 == 0x09 || $0 >= 0x80 }) else {
            throw SIPParseError(.badHeader, "display name has non-token characters and must be quoted")
        }
        return String(decoding: name, as: UTF8.self)
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
    /// The protocol-version of sent-protocol, "2.0" normally. Kept rather than rejected so a
    /// `SIP/7.0` request can still be routed a 505 (RFC 4475 §3.1.2.16).
    public var protocolVersion: String = "2.0"
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

    /// Parses one via-parm on bytes: `SIP / version / transport LWS sent-by *(;param)`.
    /// LWS is allowed around '/' (RFC 4475 §3.1.1.1) and around the ':' of sent-by (§25.1
    /// COLON), nowhere else in sent-by.
    public static func parse<S: StringProtocol>(_ text: S) throws(SIPParseError) -> Via {
        var c = ByteCursor(Array(text.utf8))
        func bad(_ why: String) -> SIPParseError {
            SIPParseError(.badVia, "Via '\(String(text).prefix(80))' \(why)")
        }
        c.skipLWS()
        let name = c.token()
        c.skipLWS()
        guard c.eat(UInt8(ascii: "/")) else { throw bad("does not start with SIP/version/transport") }
        c.skipLWS()
        let version = c.token()
        c.skipLWS()
        guard c.eat(UInt8(ascii: "/")) else { throw bad("does not start with SIP/version/transport") }
        c.skipLWS()
        let transport = c.token()
        guard name.uppercased() == "SIP", !version.isEmpty, !transport.isEmpty else {
            throw bad("does not start with SIP/version/transport")
        }
        guard c.skipLWS() else { throw bad("has no sent-by") }
        // sent-by runs to the first ';'; inside it, LWS may only touch the ':' before the port.
        var sentBy: [UInt8] = []
        var sawLWS = false
        while let b = c.peek, b != HeaderText.semicolon {
            c.advance()
            if HeaderText.isWS(b) { sawLWS = true; continue }
            if sawLWS && !sentBy.isEmpty && b != UInt8(ascii: ":") && sentBy.last != UInt8(ascii: ":") {
                throw bad("has spaces inside sent-by")
            }
            sawLWS = false
            sentBy.append(b)
        }
        let (host, port): (String, Int?)
        do { (host, port) = try SIPURI.parseHostPort(Substring(String(decoding: sentBy, as: UTF8.self))) } catch {
            throw SIPParseError(.badVia, "Via sent-by: \(error.reason)")
        }
        var via = Via(transport: transport.uppercased(), host: host, port: port, branch: "", rport: false)
        via.protocolVersion = version
        via.params = c.eat(HeaderText.semicolon) ? HeaderText.parseParams(Substring(c.rest)) : []
        return via
    }

    public var description: String {
        "SIP/\(protocolVersion)/\(transport) \(host)\(port.map { ":\($0)" } ?? "")" + HeaderText.formatParams(params)
    }
}

/// A forward-only reader over header bytes. A struct with mutating methods, not closures over
/// a captured index, so no per-byte dynamic exclusivity checks are paid.
struct ByteCursor {
    let bytes: [UInt8]
    var i = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var peek: UInt8? { i < bytes.count ? bytes[i] : nil }
    mutating func advance() { i += 1 }
    /// Consumes `b` when it is next.
    mutating func eat(_ b: UInt8) -> Bool {
        guard i < bytes.count, bytes[i] == b else { return false }
        i += 1
        return true
    }
    /// Skips SP/HT/CR/LF; returns whether any was skipped.
    @discardableResult mutating func skipLWS() -> Bool {
        let start = i
        while i < bytes.count, HeaderText.isWS(bytes[i]) { i += 1 }
        return i > start
    }
    /// Consumes a (possibly empty) run of token characters.
    mutating func token() -> String {
        let start = i
        while i < bytes.count, HeaderText.isTokenByte(bytes[i]) { i += 1 }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }
    /// Everything not yet consumed.
    var rest: String { String(decoding: bytes[min(i, bytes.count)...], as: UTF8.self) }
}

/// The CSeq header: sequence number and method (RFC 3261 §20.16).
public struct CSeq: Hashable, Sendable, CustomStringConvertible {
    public var sequence: UInt32
    public var method: SIPMethod

    public init(_ sequence: UInt32, _ method: SIPMethod) { self.sequence = sequence; self.method = method }

    public static func parse<S: StringProtocol>(_ text: S) throws(SIPParseError) -> CSeq {
        let parts = HeaderText.trim(text).split(whereSeparator: { $0 == " " || $0 == "\t" })
        // §8.1.1.5: the sequence number is a 32-bit unsigned integer below 2**31 when chosen.
        // Digits only: UInt32("+5") would accept a sign the grammar does not (§25.1 1*DIGIT).
        guard parts.count == 2, parts[0].utf8.count <= 10, parts[0].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let n = UInt32(parts[0]), HeaderText.isToken(parts[1]) else {
            throw SIPParseError(.badHeader, "CSeq '\(String(text).prefix(60))' is not '<number> <method>'")
        }
        return CSeq(n, SIPMethod(String(parts[1])))
    }

    public var description: String { "\(sequence) \(method)" }
}
