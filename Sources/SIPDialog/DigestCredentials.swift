/// The Digest credentials of an Authorization / Proxy-Authorization value
/// (RFC 3261 §22.4, RFC 2617 §3.2.2, RFC 7616 §3.4).
public struct DigestCredentials: Sendable, Equatable {
    /// The username as sent: the plain name, or H(username:realm) when `userhash` is true.
    public var username: String
    /// Protection space copied from the challenge.
    public var realm: String
    /// Server nonce copied from the challenge.
    public var nonce: String
    /// The digest-uri: the Request-URI of the request (RFC 3261 §22.4).
    public var uri: String
    /// request-digest as lowercase hex.
    public var response: String
    /// Algorithm used.
    public var algorithm: DigestAlgorithm
    /// Client nonce; present with qop, and with -sess algorithms.
    public var cnonce: String?
    /// Opaque copied from the challenge.
    public var opaque: String?
    /// The qop chosen; nil in RFC 2069 compatibility mode.
    public var qop: DigestQop?
    /// nonce-count (`nc`); present with qop.
    public var nonceCount: UInt32?
    /// Whether `username` is hashed (RFC 7616 §3.4.4).
    public var userhash: Bool
    /// Parameters not interpreted here, in wire order.
    public var otherParams: [AuthParam]

    /// Creates credentials.
    public init(
        username: String, realm: String, nonce: String, uri: String, response: String,
        algorithm: DigestAlgorithm = .md5, cnonce: String? = nil, opaque: String? = nil,
        qop: DigestQop? = nil, nonceCount: UInt32? = nil, userhash: Bool = false,
        otherParams: [AuthParam] = []
    ) {
        self.username = username
        self.realm = realm
        self.nonce = nonce
        self.uri = uri
        self.response = response
        self.algorithm = algorithm
        self.cnonce = cnonce
        self.opaque = opaque
        self.qop = qop
        self.nonceCount = nonceCount
        self.userhash = userhash
        self.otherParams = otherParams
    }

    /// The header value: `Digest username="..", realm="..", ...`. Quoted values are escaped;
    /// algorithm, qop and nc are tokens (RFC 7616 §3.4: never quoted).
    public var headerValue: String {
        var out = "Digest username="
        out.reserveCapacity(256)
        AuthParamsTokenizer.appendQuoted(username, to: &out)
        out.append(", realm=")
        AuthParamsTokenizer.appendQuoted(realm, to: &out)
        out.append(", nonce=")
        AuthParamsTokenizer.appendQuoted(nonce, to: &out)
        out.append(", uri=")
        AuthParamsTokenizer.appendQuoted(uri, to: &out)
        out.append(", response=")
        AuthParamsTokenizer.appendQuoted(response, to: &out)
        out.append(", algorithm=")
        out.append(algorithm.rawValue)
        if let cnonce {
            out.append(", cnonce=")
            AuthParamsTokenizer.appendQuoted(cnonce, to: &out)
        }
        if let opaque {
            out.append(", opaque=")
            AuthParamsTokenizer.appendQuoted(opaque, to: &out)
        }
        if let qop {
            out.append(", qop=")
            out.append(qop.rawValue)
        }
        if let nonceCount {
            out.append(", nc=")
            out.append(DigestCredentials.nonceCountText(nonceCount))
        }
        if userhash { out.append(", userhash=true") }
        return out
    }

    /// RFC 7616 §3.4: nc is exactly 8 lowercase hex digits.
    static func nonceCountText(_ count: UInt32) -> String {
        let hex = String(count, radix: 16, uppercase: false)
        return String(repeating: "0", count: 8 - hex.utf8.count) + hex
    }

    /// Parameters interpreted here; each may appear at most once.
    private static let knownParams: Set<String> = [
        "username", "realm", "nonce", "uri", "response", "algorithm", "cnonce", "opaque", "qop", "nc",
        "userhash",
    ]

    /// Parses an Authorization / Proxy-Authorization header value.
    public static func parse(_ headerValue: String) throws(DigestError) -> DigestCredentials {
        let (scheme, params) = try AuthParamsTokenizer.tokenize(headerValue)
        guard scheme.lowercased() == "digest" else { throw .unsupportedScheme(scheme) }
        var fields: [String: String] = [:]
        var others: [AuthParam] = []
        for param in params {
            guard knownParams.contains(param.name) else {
                others.append(param)
                continue
            }
            guard fields.updateValue(param.value, forKey: param.name) == nil else {
                throw .duplicateParameter(param.name)
            }
        }
        func required(_ name: String) throws(DigestError) -> String {
            guard let value = fields[name] else { throw .missingParameter(name) }
            return value
        }
        var algorithm = DigestAlgorithm.md5
        if let token = fields["algorithm"] {
            guard let found = DigestAlgorithm(token: token) else { throw .unsupportedAlgorithm(token) }
            algorithm = found
        }
        var qop: DigestQop?
        var nonceCount: UInt32?
        if let token = fields["qop"] {
            guard let found = DigestQop(rawValue: token.lowercased()) else { throw .unsupportedQop(token) }
            qop = found
            // RFC 2617 §3.2.2: cnonce and nc MUST be present when qop is.
            let nc = try required("nc")
            guard (1...8).contains(nc.utf8.count), let count = UInt32(nc, radix: 16) else {
                throw .malformed("nc '\(nc)' is not 8 hex digits")
            }
            nonceCount = count
            _ = try required("cnonce")
        }
        return DigestCredentials(
            username: try required("username"), realm: try required("realm"),
            nonce: try required("nonce"), uri: try required("uri"), response: try required("response"),
            algorithm: algorithm, cnonce: fields["cnonce"], opaque: fields["opaque"], qop: qop,
            nonceCount: nonceCount, userhash: fields["userhash"]?.lowercased() == "true",
            otherParams: others)
    }
}
