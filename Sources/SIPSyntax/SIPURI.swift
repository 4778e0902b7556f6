/// A SIP, SIPS or tel URI (RFC 3261 §19.1, RFC 3966), or any other absolute URI kept opaque so
/// that the UAS can answer 416 Unsupported URI Scheme (RFC 3261 §8.2.2.1).
public struct SIPURI: Hashable, Sendable, CustomStringConvertible {
    public enum Scheme: Hashable, Sendable {
        case sip, sips, tel
        case other(String)
        public var name: String {
            switch self {
            case .sip: "sip"
            case .sips: "sips"
            case .tel: "tel"
            case .other(let s): s
            }
        }
    }

    public var scheme: Scheme
    /// User part, percent-decoded (RFC 3261 §19.1.2). For tel URIs, the telephone number.
    public var user: String?
    public var password: String?
    /// Host as written; IPv6 references keep their brackets (`[::1]`). Empty for tel and other.
    public var host: String
    public var port: Int?
    /// URI parameters in order; names lower-cased.
    public var params: [SIPParam]
    /// `?name=value&...` headers, raw.
    public var headers: String?
    /// For `.other` schemes, everything after the colon.
    public var opaque: String?

    public init(scheme: Scheme = .sip, user: String? = nil, host: String, port: Int? = nil,
                params: [SIPParam] = [], headers: String? = nil) {
        self.scheme = scheme
        self.user = user
        self.password = nil
        self.host = host
        self.port = port
        self.params = params
        self.headers = headers
        self.opaque = nil
    }

    public var isSIP: Bool { scheme == .sip || scheme == .sips }

    /// The transport parameter, lower-cased; nil when absent.
    public var transport: String? { params.value("transport")?.lowercased() }

    /// The `host[:port]` part.
    public var hostPort: String { port.map { "\(host):\($0)" } ?? host }

    /// Parses a URI. Throws for SIP/SIPS URIs that break RFC 3261 §25.1; any other
    /// `scheme:rest` parses as `.other` (or `.tel`). Delimiters are found on UTF-8 bytes, never
    /// on Characters, so a combining mark after ':' or '@' cannot hide the delimiter.
    public static func parse<S: StringProtocol>(_ text: S) throws(SIPParseError) -> SIPURI {
        let s = Substring(text)
        let u = s.utf8
        guard let colon = u.firstIndex(of: UInt8(ascii: ":")) else {
            throw SIPParseError(.badURI, "URI '\(s.prefix(80))' has no scheme")
        }
        let schemeText = s[s.startIndex..<colon]
        guard let first = schemeText.utf8.first, Self.isAlpha(first),
              schemeText.utf8.allSatisfy({ isAlpha($0) || isDigit($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E })
        else { throw SIPParseError(.badURI, "URI '\(s.prefix(80))' has an invalid scheme") }
        let rest = s[u.index(after: colon)...]
        switch schemeText.lowercased() {
        case "sip": return try parseSIP(rest, scheme: .sip)
        case "sips": return try parseSIP(rest, scheme: .sips)
        case "tel":
            // RFC 3966: tel:+254700000001;phone-context=...
            let semi = rest.utf8.firstIndex(of: UInt8(ascii: ";"))
            let number = rest[rest.startIndex..<(semi ?? rest.endIndex)]
            guard !number.isEmpty else { throw SIPParseError(.badURI, "tel URI has no number") }
            var uri = SIPURI(scheme: .tel, user: String(number), host: "")
            if let semi { uri.params = HeaderText.parseParams(rest[rest.utf8.index(after: semi)...]) }
            return uri
        default:
            var uri = SIPURI(scheme: .other(schemeText.lowercased()), host: "")
            uri.opaque = String(rest)
            return uri
        }
    }

    private static func parseSIP(_ rest: Substring, scheme: Scheme) throws(SIPParseError) -> SIPURI {
        var body = rest
        var user: String?, password: String?
        // RFC 3261 §25.1: '@' may not appear unescaped in user, password, params or headers,
        // while '?', ';', '/' and ',' may appear in the user part (RFC 4475 §3.1.1.2, §3.1.1.9).
        // So the userinfo ends at the first '@', and only after it do ';' and '?' delimit.
        if let at = body.utf8.firstIndex(of: UInt8(ascii: "@")) {
            let userinfo = body[body.startIndex..<at]
            body = body[body.utf8.index(after: at)...]
            if let c = userinfo.utf8.firstIndex(of: UInt8(ascii: ":")) {
                user = try percentDecode(userinfo[userinfo.startIndex..<c])
                password = try percentDecode(userinfo[userinfo.utf8.index(after: c)...])
            } else {
                user = try percentDecode(userinfo)
            }
            if user?.isEmpty == true { throw SIPParseError(.badURI, "SIP URI has an empty user part") }
        }
        var headers: String?
        if let q = body.utf8.firstIndex(of: UInt8(ascii: "?")) {
            headers = String(body[body.utf8.index(after: q)...])
            body = body[body.startIndex..<q]
        }
        var hostport = body
        var params: [SIPParam] = []
        if let semi = body.utf8.firstIndex(of: UInt8(ascii: ";")) {
            hostport = body[body.startIndex..<semi]
            params = HeaderText.parseParams(body[body.utf8.index(after: semi)...])
        }
        let (host, port) = try parseHostPort(hostport)
        var uri = SIPURI(scheme: scheme, user: user, host: host, port: port, params: params, headers: headers)
        uri.password = password
        return uri
    }

    /// Parses `host[:port]` where host is a hostname, IPv4 address or `[IPv6]` reference
    /// (RFC 3261 §25.1 hostport). Works on bytes; the host is returned as written.
    public static func parseHostPort(_ s: Substring) throws(SIPParseError) -> (String, Int?) {
        let u = s.utf8
        guard let first = u.first else { throw SIPParseError(.badURI, "URI has no host") }
        var host: Substring, portText: Substring?
        if first == UInt8(ascii: "[") {
            guard let close = u.firstIndex(of: UInt8(ascii: "]")) else {
                throw SIPParseError(.badURI, "unterminated IPv6 reference")
            }
            let afterClose = u.index(after: close)
            host = s[s.startIndex..<afterClose]
            let after = s[afterClose...]
            if let c = after.utf8.first {
                guard c == UInt8(ascii: ":") else { throw SIPParseError(.badURI, "junk after IPv6 reference") }
                portText = after[after.utf8.index(after: after.startIndex)...]
            }
            // RFC 3261 §25.1 IPv6reference: hex digits, ':' and a trailing dotted quad.
            let inner = host.utf8.dropFirst().dropLast()
            guard !inner.isEmpty, inner.contains(UInt8(ascii: ":")),
                  inner.allSatisfy({ isHex($0) || $0 == 0x3A || $0 == 0x2E }) else {
                throw SIPParseError(.badURI, "invalid IPv6 reference '\(host.prefix(80))'")
            }
        } else {
            if let c = u.firstIndex(of: UInt8(ascii: ":")) {
                host = s[s.startIndex..<c]
                portText = s[u.index(after: c)...]
            } else {
                host = s
            }
            // hostname / IPv4address: alphanumerics, '-' and '.' only.
            guard !host.isEmpty, host.utf8.allSatisfy({ isAlpha($0) || isDigit($0) || $0 == 0x2D || $0 == 0x2E }) else {
                throw SIPParseError(.badURI, "invalid host '\(host.prefix(80))'")
            }
        }
        var port: Int?
        if let p = portText {
            guard !p.isEmpty, p.utf8.count <= 5, p.utf8.allSatisfy(isDigit), let n = Int(p), n <= 65535 else {
                throw SIPParseError(.badURI, "invalid port '\(p.prefix(20))'")
            }
            port = n
        }
        return (String(host), port)
    }

    static func percentDecode(_ s: Substring) throws(SIPParseError) -> String {
        let u = Array(s.utf8)
        guard u.contains(0x25) else { return String(s) }
        var out: [UInt8] = []
        var i = 0
        while i < u.count {
            if u[i] == 0x25 {
                guard i + 2 < u.count, let hi = hexValue(u[i + 1]), let lo = hexValue(u[i + 2]) else {
                    throw SIPParseError(.badURI, "bad percent escape in '\(s.prefix(80))'")
                }
                out.append(hi << 4 | lo); i += 3
            } else { out.append(u[i]); i += 1 }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// RFC 3261 §25.1 `user` unreserved characters; everything else is escaped on output.
    static func percentEncodeUser(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            if isAlpha(b) || isDigit(b) || "-_.!~*'()&=+$,;?/".utf8.contains(b) {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(b >> 4)], hex[Int(b & 15)]], as: UTF8.self)
            }
        }
        return out
    }

    public var description: String {
        switch scheme {
        case .other(let name): return name + ":" + (opaque ?? "")
        case .tel: return "tel:" + (user ?? "") + HeaderText.formatParams(params)
        case .sip, .sips:
            var s = scheme.name + ":"
            if let u = user {
                s += Self.percentEncodeUser(u)
                if let p = password { s += ":" + Self.percentEncodeUser(p) }
                s += "@"
            }
            s += hostPort + HeaderText.formatParams(params)
            if let h = headers { s += "?" + h }
            return s
        }
    }

    @inline(__always) static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) static func isHex(_ b: UInt8) -> Bool { hexValue(b) != nil }
    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x37
        case 0x61...0x66: return b - 0x57
        default: return nil
        }
    }
}
