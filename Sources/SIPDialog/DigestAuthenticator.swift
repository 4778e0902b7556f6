/// Digest computations (RFC 3261 §22, RFC 2617 §3.2.2, RFC 7616 §3.4, RFC 8760): answering a
/// challenge as a client, and checking credentials as a server. Pure: the cnonce and the
/// nonce-count are inputs, chosen by the caller.
public enum DigestAuthenticator {
    /// The full Authorization / Proxy-Authorization value answering `challenge`.
    public static func authorization(
        challenge: DigestChallenge, username: String, password: String, method: String,
        uri: String, body: [UInt8] = [], cnonce: String, nonceCount: UInt32
    ) -> String {
        credentials(
            challenge: challenge, username: username, password: password, method: method, uri: uri,
            body: body, cnonce: cnonce, nonceCount: nonceCount
        ).headerValue
    }

    /// The credentials answering `challenge`, before serialization.
    public static func credentials(
        challenge: DigestChallenge, username: String, password: String, method: String,
        uri: String, body: [UInt8] = [], cnonce: String, nonceCount: UInt32
    ) -> DigestCredentials {
        let qop = chooseQop(challenge.qopOptions)
        // RFC 2617 §3.2.2: cnonce and nc only with qop; but -sess needs a cnonce for HA1
        // (RFC 7616 §3.4.2), so it is sent then as well.
        let sendsCnonce = qop != nil || challenge.algorithm.isSession
        let digest = response(
            algorithm: challenge.algorithm, username: username, realm: challenge.realm,
            password: password, nonce: challenge.nonce, cnonce: sendsCnonce ? cnonce : nil,
            nonceCount: qop == nil ? nil : nonceCount, qop: qop, method: method, uri: uri, body: body)
        // RFC 7616 §3.4.4: with userhash the username field carries H(username:realm).
        let sentUsername = challenge.userhash
            ? hashedUsername(username, realm: challenge.realm, algorithm: challenge.algorithm)
            : username
        return DigestCredentials(
            username: sentUsername, realm: challenge.realm, nonce: challenge.nonce, uri: uri,
            response: digest, algorithm: challenge.algorithm, cnonce: sendsCnonce ? cnonce : nil,
            opaque: challenge.opaque, qop: qop, nonceCount: qop == nil ? nil : nonceCount,
            userhash: challenge.userhash)
    }

    /// RFC 7616 §3.3: prefer plain auth (SIP bodies may be rewritten by B2BUAs, and auth-int
    /// costs a body hash); fall back to auth-int only when that is all that is offered.
    static func chooseQop(_ options: [DigestQop]) -> DigestQop? {
        if options.contains(.auth) { return .auth }
        if options.contains(.authInt) { return .authInt }
        return nil
    }

    /// RFC 7616 §3.4.4: H(unq(username) ":" unq(realm)).
    public static func hashedUsername(_ username: String, realm: String, algorithm: DigestAlgorithm) -> String {
        algorithm.hashHex(joined([username, realm]))
    }

    /// The request-digest (RFC 7616 §3.4.1): lowercase hex.
    ///
    /// With qop: H(HA1:nonce:nc:cnonce:qop:HA2); without (RFC 2069): H(HA1:nonce:HA2).
    /// HA1 = H(user:realm:pass), for -sess H(H(user:realm:pass):nonce:cnonce) (§3.4.2).
    /// HA2 = H(method:uri), for auth-int H(method:uri:H(body)) (§3.4.3).
    public static func response(
        algorithm: DigestAlgorithm, username: String, realm: String, password: String,
        nonce: String, cnonce: String?, nonceCount: UInt32?, qop: DigestQop?, method: String,
        uri: String, body: [UInt8] = []
    ) -> String {
        var ha1 = algorithm.hashHex(joined([username, realm, password]))
        if algorithm.isSession {
            ha1 = algorithm.hashHex(joined([ha1, nonce, cnonce ?? ""]))
        }
        let ha2: String
        if qop == .authInt {
            ha2 = algorithm.hashHex(joined([method, uri, algorithm.hashHex(body)]))
        } else {
            ha2 = algorithm.hashHex(joined([method, uri]))
        }
        guard let qop else { return algorithm.hashHex(joined([ha1, nonce, ha2])) }
        let nc = DigestCredentials.nonceCountText(nonceCount ?? 0)
        return algorithm.hashHex(joined([ha1, nonce, nc, cnonce ?? "", qop.rawValue, ha2]))
    }

    /// Server side: parses an Authorization value and checks its response against `password`.
    ///
    /// `username`, when given, must match the credentials (hashed when they use userhash); it is
    /// required for userhash credentials, since HA1 is computed over the plain name. Checking
    /// realm, nonce freshness, nc replay and that `uri` is the Request-URI is the caller's job.
    public static func verify(
        authorizationValue: String, password: String, method: String, body: [UInt8] = [],
        username: String? = nil
    ) -> Bool {
        guard let credentials = try? DigestCredentials.parse(authorizationValue) else { return false }
        return verify(credentials: credentials, password: password, method: method, body: body, username: username)
    }

    /// Server side: checks already-parsed credentials against `password`.
    public static func verify(
        credentials: DigestCredentials, password: String, method: String, body: [UInt8] = [],
        username: String? = nil
    ) -> Bool {
        let plainName: String
        if credentials.userhash {
            guard let username,
                credentials.username.lowercased()
                    == hashedUsername(username, realm: credentials.realm, algorithm: credentials.algorithm)
            else { return false }
            plainName = username
        } else {
            if let username, username != credentials.username { return false }
            plainName = credentials.username
        }
        if credentials.algorithm.isSession && credentials.cnonce == nil { return false }
        let expected = response(
            algorithm: credentials.algorithm, username: plainName, realm: credentials.realm,
            password: password, nonce: credentials.nonce, cnonce: credentials.cnonce,
            nonceCount: credentials.nonceCount, qop: credentials.qop, method: method,
            uri: credentials.uri, body: body)
        return constantTimeEqual(expected, credentials.response.lowercased())
    }

    /// Compares without an early exit so timing does not reveal how many leading bytes match.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    /// The UTF-8 bytes of `parts` joined by ":" (RFC 7616 §3.4: charset UTF-8 is the only one).
    static func joined(_ parts: [String]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(parts.reduce(parts.count) { $0 + $1.utf8.count })
        for (i, part) in parts.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ":")) }
            out.append(contentsOf: part.utf8)
        }
        return out
    }
}
