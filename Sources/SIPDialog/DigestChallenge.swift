import Crypto

/// Why a Digest challenge or credentials value was refused; `code` is stable for logs and APIs.
public enum DigestError: Error, Equatable, Sendable {
    /// The header value is longer than the 8 KiB we accept.
    case tooLong(Int)
    /// More than 64 auth-params.
    case tooManyParameters
    /// The scheme is not "Digest" (for example "Basic").
    case unsupportedScheme(String)
    /// The value breaks the auth-param grammar.
    case malformed(String)
    /// A quoted-string value never closes.
    case unterminatedQuote(String)
    /// A parameter the scheme requires is absent.
    case missingParameter(String)
    /// A parameter appears twice (RFC 7616 §3.3: each directive at most once).
    case duplicateParameter(String)
    /// The algorithm is not one of MD5, SHA-256, SHA-512-256 and their -sess forms.
    case unsupportedAlgorithm(String)
    /// qop was offered but lists neither "auth" nor "auth-int".
    case unsupportedQop(String)

    /// Stable machine-readable code.
    public var code: String {
        switch self {
        case .tooLong: "digest.too_long"
        case .tooManyParameters: "digest.too_many_parameters"
        case .unsupportedScheme: "digest.unsupported_scheme"
        case .malformed: "digest.malformed"
        case .unterminatedQuote: "digest.unterminated_quote"
        case .missingParameter: "digest.missing_parameter"
        case .duplicateParameter: "digest.duplicate_parameter"
        case .unsupportedAlgorithm: "digest.unsupported_algorithm"
        case .unsupportedQop: "digest.unsupported_qop"
        }
    }

    /// Human-readable message saying what is wrong.
    public var message: String {
        switch self {
        case .tooLong(let n): "auth header value is \(n) bytes; at most \(AuthParamsTokenizer.maxBytes) are accepted"
        case .tooManyParameters: "auth header has more than \(AuthParamsTokenizer.maxParams) parameters"
        case .unsupportedScheme(let s): "unsupported auth scheme '\(s)'; only Digest is supported"
        case .malformed(let why): "malformed auth header: \(why)"
        case .unterminatedQuote(let p): "unterminated quoted value for parameter '\(p)'"
        case .missingParameter(let p): "Digest parameter '\(p)' is required but missing"
        case .duplicateParameter(let p): "Digest parameter '\(p)' appears more than once"
        case .unsupportedAlgorithm(let a): "unsupported algorithm '\(a)'; use MD5, SHA-256 or SHA-512-256 (optionally -sess)"
        case .unsupportedQop(let q): "unsupported qop '\(q)'; only auth and auth-int are supported"
        }
    }
}

/// A Digest algorithm (RFC 7616 §3.3, RFC 8760 §2.3): the hash H and whether HA1 is per-session.
public enum DigestAlgorithm: String, Sendable, CaseIterable {
    /// RFC 2617 MD5, the default when no algorithm is given.
    case md5 = "MD5"
    /// MD5 with HA1 bound to nonce and cnonce.
    case md5Sess = "MD5-sess"
    /// RFC 7616 SHA-256.
    case sha256 = "SHA-256"
    /// SHA-256 with session HA1.
    case sha256Sess = "SHA-256-sess"
    /// RFC 7616 SHA-512/256 (FIPS 180-4).
    case sha512_256 = "SHA-512-256"
    /// SHA-512/256 with session HA1.
    case sha512_256Sess = "SHA-512-256-sess"

    /// Looks an algorithm token up case-insensitively (RFC 7616 §3.3 tokens are case-insensitive).
    public init?(token: String) {
        let lower = token.lowercased()
        guard let found = DigestAlgorithm.allCases.first(where: { $0.rawValue.lowercased() == lower }) else {
            return nil
        }
        self = found
    }

    /// Whether HA1 includes nonce and cnonce (RFC 7616 §3.4.2 "-sess").
    public var isSession: Bool {
        switch self {
        case .md5Sess, .sha256Sess, .sha512_256Sess: true
        case .md5, .sha256, .sha512_256: false
        }
    }

    /// Relative strength of the hash; RFC 7616 §3.7 / RFC 8760 §2.4: use the strongest offered.
    public var strength: Int {
        switch self {
        case .md5, .md5Sess: 1
        case .sha256, .sha256Sess: 2
        case .sha512_256, .sha512_256Sess: 3
        }
    }

    /// H(data) as lowercase hex (RFC 7616 §3.4).
    public func hashHex(_ data: [UInt8]) -> String {
        switch self {
        case .md5, .md5Sess: DigestHex.lowercase(Insecure.MD5.hash(data: data))
        case .sha256, .sha256Sess: DigestHex.lowercase(SHA256.hash(data: data))
        case .sha512_256, .sha512_256Sess: DigestHex.lowercase(SHA512_256.hash(data))
        }
    }
}

/// A quality of protection (RFC 7616 §3.3 qop).
public enum DigestQop: String, Sendable {
    /// Authentication only.
    case auth
    /// Authentication with integrity protection of the body.
    case authInt = "auth-int"
}

/// A parsed Digest challenge from a WWW-Authenticate or Proxy-Authenticate value
/// (RFC 3261 §22.4, RFC 2617 §3.2.1, RFC 7616 §3.3).
public struct DigestChallenge: Sendable, Equatable {
    /// Protection space; part of HA1.
    public var realm: String
    /// URIs in the protection space (space-separated in the header).
    public var domain: [String]
    /// Server nonce.
    public var nonce: String
    /// Opaque data echoed back unchanged.
    public var opaque: String?
    /// The previous request failed only because its nonce was stale (RFC 7616 §3.3).
    public var stale: Bool
    /// Algorithm; MD5 when the challenge names none.
    public var algorithm: DigestAlgorithm
    /// Known qop values offered, in server order; empty means RFC 2069 compatibility mode.
    public var qopOptions: [DigestQop]
    /// The server wants the username hashed (RFC 7616 §3.4.4).
    public var userhash: Bool
    /// Charset the server expects for username and password (RFC 7616 §3.3: only "UTF-8").
    public var charset: String?
    /// Parameters this parser does not interpret, in wire order.
    public var otherParams: [AuthParam]

    /// Creates a challenge (mostly for tests and for a server building its own challenge).
    public init(
        realm: String, nonce: String, algorithm: DigestAlgorithm = .md5, qopOptions: [DigestQop] = [.auth],
        opaque: String? = nil, stale: Bool = false, domain: [String] = [], userhash: Bool = false,
        charset: String? = nil, otherParams: [AuthParam] = []
    ) {
        self.realm = realm
        self.domain = domain
        self.nonce = nonce
        self.opaque = opaque
        self.stale = stale
        self.algorithm = algorithm
        self.qopOptions = qopOptions
        self.userhash = userhash
        self.charset = charset
        self.otherParams = otherParams
    }

    /// Parameters interpreted here; each may appear at most once.
    private static let knownParams: Set<String> = [
        "realm", "domain", "nonce", "opaque", "stale", "algorithm", "qop", "userhash", "charset",
    ]

    /// Parses a WWW-Authenticate / Proxy-Authenticate header value.
    public static func parse(_ headerValue: String) throws(DigestError) -> DigestChallenge {
        let (scheme, params) = try AuthParamsTokenizer.tokenize(headerValue)
        // RFC 7235 §2.1: auth schemes are case-insensitive.
        guard scheme.lowercased() == "digest" else { throw .unsupportedScheme(scheme) }
        var realm: String?, nonce: String?, opaque: String?, charset: String?
        var domain: [String] = [], stale = false, userhash = false
        var algorithm = DigestAlgorithm.md5
        var qop: [DigestQop] = []
        var others: [AuthParam] = []
        var seen = Set<String>()
        for param in params {
            if knownParams.contains(param.name) {
                guard seen.insert(param.name).inserted else { throw .duplicateParameter(param.name) }
            }
            switch param.name {
            case "realm": realm = param.value
            case "nonce": nonce = param.value
            case "opaque": opaque = param.value
            case "charset": charset = param.value
            case "domain": domain = param.value.split(separator: " ").map(String.init)
            case "stale": stale = param.value.lowercased() == "true"
            case "userhash": userhash = param.value.lowercased() == "true"
            case "algorithm":
                // RFC 2617 §3.2.1: an algorithm we do not understand means ignore this challenge.
                guard let found = DigestAlgorithm(token: param.value) else {
                    throw .unsupportedAlgorithm(param.value)
                }
                algorithm = found
            case "qop":
                qop = try parseQopOptions(param.value)
            default:
                others.append(param)
            }
        }
        guard let realm else { throw .missingParameter("realm") }
        guard let nonce else { throw .missingParameter("nonce") }
        return DigestChallenge(
            realm: realm, nonce: nonce, algorithm: algorithm, qopOptions: qop, opaque: opaque,
            stale: stale, domain: domain, userhash: userhash, charset: charset, otherParams: others)
    }

    /// RFC 7616 §3.3: qop is a quoted, comma-separated list; unknown values are ignored, but a
    /// list with nothing we can do is refused (we could not answer it).
    static func parseQopOptions(_ list: String) throws(DigestError) -> [DigestQop] {
        var options: [DigestQop] = []
        for item in list.split(separator: ",") {
            let token = item.trimmingSpaces().lowercased()
            if let qop = DigestQop(rawValue: token), !options.contains(qop) { options.append(qop) }
        }
        guard !options.isEmpty else { throw .unsupportedQop(list) }
        return options
    }

    /// The challenge to answer among several for one realm: the strongest algorithm, first
    /// offered on a tie (RFC 7616 §3.7, RFC 8760 §2.4). Nil when the list is empty.
    public static func best(of challenges: [DigestChallenge]) -> DigestChallenge? {
        var chosen: DigestChallenge?
        for candidate in challenges where candidate.algorithm.strength > (chosen?.algorithm.strength ?? 0) {
            chosen = candidate
        }
        return chosen
    }

    /// Parses every header value, skips the ones that fail (RFC 2617 §3.2.1: ignore a
    /// challenge whose algorithm is not understood) and returns `best(of:)` of the rest.
    public static func best(ofHeaderValues values: [String]) -> DigestChallenge? {
        best(of: values.compactMap { try? parse($0) })
    }

    /// The best challenge for each realm, in order of first appearance: RFC 3261 §22.3 has the
    /// UAC answer every realm (for example, several proxies after forking).
    public static func bestPerRealm(of challenges: [DigestChallenge]) -> [DigestChallenge] {
        var realms: [String] = []
        for c in challenges where !realms.contains(c.realm) { realms.append(c.realm) }
        return realms.compactMap { realm in best(of: challenges.filter { $0.realm == realm }) }
    }
}

/// Lowercase hex encoding through a table (RFC 7616 §3.4: digests are lowercase hex).
enum DigestHex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lowercase hex of a byte sequence.
    static func lowercase<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

fileprivate extension Substring {
    /// The substring without leading and trailing spaces and tabs.
    func trimmingSpaces() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}
