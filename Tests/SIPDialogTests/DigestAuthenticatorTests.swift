import Testing
@testable import SIPDialog

@Suite struct DigestAuthenticatorTests {
    static let rfc7616Base = #"realm="http-auth@example.org", qop="auth, auth-int", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#
    static let rfc7616Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"

    static func answer(
        _ challenge: String, user: String = "Mufasa", password: String, method: String = "GET",
        uri: String = "/dir/index.html", body: [UInt8] = [], cnonce: String, nc: UInt32 = 1
    ) throws -> (header: String, credentials: DigestCredentials) {
        let c = try DigestChallenge.parse(challenge)
        let header = DigestAuthenticator.authorization(
            challenge: c, username: user, password: password, method: method, uri: uri, body: body,
            cnonce: cnonce, nonceCount: nc)
        return (header, try DigestCredentials.parse(header))
    }

    @Test func rfc2617Section3_5Example() throws {
        let (header, creds) = try Self.answer(
            #"Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41""#,
            password: "Circle Of Life", cnonce: "0a4f113b")
        #expect(creds.response == "6629fae49393a05397450978507c4ef1")
        #expect(creds.qop == .auth)
        #expect(creds.nonceCount == 1)
        #expect(header.contains("nc=00000001"))
        #expect(header.contains(#"opaque="5ccc069c403ebaf9f0171e9517f40e41""#))
        #expect(DigestAuthenticator.verify(authorizationValue: header, password: "Circle Of Life", method: "GET"))
        #expect(!DigestAuthenticator.verify(authorizationValue: header, password: "Circle of Life", method: "GET"))
        #expect(!DigestAuthenticator.verify(authorizationValue: header, password: "Circle Of Life", method: "POST"))
    }

    @Test func rfc7616Section3_9_1MD5() throws {
        let (header, _) = try Self.answer(
            "Digest " + Self.rfc7616Base + ", algorithm=MD5", password: "Circle of Life", cnonce: Self.rfc7616Cnonce)
        #expect(header == #"Digest username="Mufasa", realm="http-auth@example.org", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", uri="/dir/index.html", response="8ca523f5e9506fed4657c9700eebdbec", algorithm=MD5, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", qop=auth, nc=00000001"#)
    }

    @Test func rfc7616Section3_9_1SHA256() throws {
        let (header, creds) = try Self.answer(
            "Digest " + Self.rfc7616Base + ", algorithm=SHA-256", password: "Circle of Life", cnonce: Self.rfc7616Cnonce)
        #expect(creds.response == "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")
        #expect(creds.algorithm == .sha256)
        #expect(header.contains("algorithm=SHA-256, "))
        #expect(DigestAuthenticator.verify(authorizationValue: header, password: "Circle of Life", method: "GET"))
    }

    @Test func noQopIsRFC2069Style() throws {
        let (header, creds) = try Self.answer(
            #"Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093""#,
            password: "Circle Of Life", cnonce: "ignored")
        #expect(creds.response == "670fd8c2df070c60b045671b8b24ff02")  // H(HA1:nonce:HA2)
        #expect(!header.contains("qop="))
        #expect(!header.contains("nc="))
        #expect(!header.contains("cnonce="))
        #expect(!header.contains("opaque="))
        #expect(DigestAuthenticator.verify(authorizationValue: header, password: "Circle Of Life", method: "GET"))
    }

    @Test func md5SessBindsHA1ToNonceAndCnonce() throws {
        let (header, creds) = try Self.answer(
            #"Digest realm="testrealm@host.com", qop="auth", algorithm=MD5-sess, nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093""#,
            password: "Circle Of Life", cnonce: "0a4f113b")
        #expect(creds.response == "8e3825c57e897f5a0dec6c2d4e5059d0")
        #expect(header.contains("algorithm=MD5-sess"))
        #expect(DigestAuthenticator.verify(authorizationValue: header, password: "Circle Of Life", method: "GET"))
    }

    @Test func sha256SessResponse() {
        let r = DigestAuthenticator.response(
            algorithm: .sha256Sess, username: "bob", realm: "biloxi.com", password: "zanzibar", nonce: "abc123",
            cnonce: "cn", nonceCount: 1, qop: .auth, method: "REGISTER", uri: "sip:biloxi.com")
        #expect(r == "d1c9cbe0d276246cf74d784c93da69cd356e855d978334c4e5a002ec43fc154f")
    }

    static let sdp = Array(
        "v=0\r\no=alice 2890844526 2890844526 IN IP4 host.atlanta.com\r\ns=-\r\nc=IN IP4 host.atlanta.com\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\n"
            .utf8)

    @Test func authIntHashesTheBodyWhenOnlyAuthIntIsOffered() throws {
        for (alg, expected) in [
            ("MD5", "9ddd35e1e684ac008c415bd201112ba4"),
            ("SHA-256", "869639aef847357ec85f941e6f76d5f5f2e26e1d6465b04e8884694bd32cbde2"),
        ] {
            let (header, creds) = try Self.answer(
                #"Digest realm="biloxi.com", nonce="abc123", qop="auth-int", algorithm="# + alg,
                user: "bob", password: "zanzibar", method: "INVITE", uri: "sip:bob@biloxi.com", body: Self.sdp,
                cnonce: "cn", nc: 42)
            #expect(creds.qop == .authInt)
            #expect(creds.response == expected)
            #expect(header.contains("nc=0000002a"))
            #expect(DigestAuthenticator.verify(authorizationValue: header, password: "zanzibar", method: "INVITE", body: Self.sdp))
            // A rewritten body no longer verifies.
            #expect(!DigestAuthenticator.verify(authorizationValue: header, password: "zanzibar", method: "INVITE", body: []))
        }
    }

    @Test func authIsPreferredOverAuthInt() throws {
        let (_, creds) = try Self.answer(
            #"Digest realm="r", nonce="n", qop="auth-int,auth""#, password: "p", cnonce: "c")
        #expect(creds.qop == .auth)
    }

    /// RFC 7616 §3.9.2 inputs. The RFC's printed userhash and response cannot be reproduced
    /// with real SHA-512/256 (RFC 7616 errata 4897), so the expected values are recomputed with
    /// an independent SHA-512/256 implementation (Python hashlib / OpenSSL).
    @Test func userhashWithSHA512_256() throws {
        let challenge = #"Digest realm="api@example.org", qop="auth", algorithm=SHA-512-256, nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", charset=UTF-8, userhash=true"#
        let (header, creds) = try Self.answer(
            challenge, user: "J\u{e4}s\u{f8}n Doe", password: "Secret, or not?", uri: "/doe.json",
            cnonce: "NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v")
        #expect(creds.username == "793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b")
        #expect(creds.response == "3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5")
        #expect(creds.userhash)
        #expect(header.hasSuffix(", userhash=true"))
        #expect(DigestAuthenticator.verify(
            authorizationValue: header, password: "Secret, or not?", method: "GET", username: "J\u{e4}s\u{f8}n Doe"))
        // HA1 needs the plain name: without it, or with another, userhash credentials fail.
        #expect(!DigestAuthenticator.verify(authorizationValue: header, password: "Secret, or not?", method: "GET"))
        #expect(!DigestAuthenticator.verify(
            authorizationValue: header, password: "Secret, or not?", method: "GET", username: "Jason Doe"))
    }

    @Test func quotedValuesAreEscapedAndRoundTrip() throws {
        let challenge = DigestChallenge(realm: #"we "love" \ realms"#, nonce: "n", qopOptions: [])
        let header = DigestAuthenticator.authorization(
            challenge: challenge, username: "u", password: "p", method: "REGISTER", uri: "sip:x",
            cnonce: "c", nonceCount: 1)
        #expect(header.contains(#"realm="we \"love\" \\ realms""#))
        let creds = try DigestCredentials.parse(header)
        #expect(creds.realm == #"we "love" \ realms"#)
        #expect(creds.response == "c0d2a045b952e1b4b3ce1a11d9911906")
        #expect(DigestAuthenticator.verify(authorizationValue: header, password: "p", method: "REGISTER"))
    }

    @Test func controlCharactersInUserInputCannotBreakTheHeader() {
        let challenge = DigestChallenge(realm: "r", nonce: "n")
        let header = DigestAuthenticator.authorization(
            challenge: challenge, username: "alice\r\nVia: x", password: "p", method: "REGISTER", uri: "sip:x",
            cnonce: "c", nonceCount: 1)
        #expect(!header.utf8.contains(0x0D))
        #expect(!header.utf8.contains(0x0A))
        #expect(header.hasPrefix(#"Digest username="aliceVia: x""#))
    }

    @Test func verifyRejectsTamperingAndGarbage() throws {
        let (header, _) = try Self.answer(
            #"Digest realm="r", nonce="n", qop="auth""#, user: "alice", password: "secret", cnonce: "c")
        #expect(DigestAuthenticator.verify(authorizationValue: header, password: "secret", method: "GET", username: "alice"))
        #expect(!DigestAuthenticator.verify(authorizationValue: header, password: "secret", method: "GET", username: "bob"))
        var changed = try DigestCredentials.parse(header)
        changed.nonce = "m"
        let tampered = changed.headerValue
        #expect(!DigestAuthenticator.verify(authorizationValue: tampered, password: "secret", method: "GET"))
        #expect(!DigestAuthenticator.verify(authorizationValue: "Digest garbage", password: "secret", method: "GET"))
        #expect(!DigestAuthenticator.verify(authorizationValue: #"Basic dXNlcjpwYXNz"#, password: "secret", method: "GET"))
    }

    @Test func credentialsParsingRequiresFields() {
        #expect(throws: DigestError.missingParameter("response")) {
            try DigestCredentials.parse(#"Digest username="a", realm="r", nonce="n", uri="sip:x""#)
        }
        #expect(throws: DigestError.missingParameter("nc")) {
            try DigestCredentials.parse(#"Digest username="a", realm="r", nonce="n", uri="sip:x", response="0", qop=auth, cnonce="c""#)
        }
        #expect(throws: DigestError.malformed("nc 'zz' is not 8 hex digits")) {
            try DigestCredentials.parse(#"Digest username="a", realm="r", nonce="n", uri="sip:x", response="0", qop=auth, cnonce="c", nc=zz"#)
        }
    }

    @Test func sha512_256KnownAnswers() {
        func hex(_ s: String) -> String { DigestAlgorithm.sha512_256.hashHex(Array(s.utf8)) }
        // FIPS 180-4 example ("abc") and two-block message; others cross-checked with OpenSSL.
        #expect(hex("abc") == "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23")
        #expect(hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")
            == "3928e184fb8690f840da3988121d31be65cb9d3ef83ee6146feac861e19b563a")
        #expect(hex("") == "c672b8d1ef56ed28ab87c3622c5114069bdd3ad7b8f9737498d0c01ecef0967a")
        #expect(hex(String(repeating: "x", count: 111)) == "79a6132b3c9df0f7dfcb5c9c3c663d829a6e7f1c26440afa4eb49cfef669c8ea")
        #expect(hex(String(repeating: "x", count: 112)) == "5349e8f46fcc4e650fe93ee6cd1459ff00c27733cc6f86c1925ceef63bece149")
        #expect(hex(String(repeating: "a", count: 1000)) == "40eb4a70d4d69815407a9e272f0101cd67e3d11262a4a0bfc087712749c7fb53")
    }
}
