import Testing
@testable import SIPDialog

@Suite struct DigestChallengeTests {
    /// RFC 7616 §3.9.1 challenge (SHA-256 variant).
    static let rfc7616 = #"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#

    @Test func parsesRFC7616Challenge() throws {
        let c = try DigestChallenge.parse(Self.rfc7616)
        #expect(c.realm == "http-auth@example.org")
        #expect(c.nonce == "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v")
        #expect(c.opaque == "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS")
        #expect(c.algorithm == .sha256)
        #expect(c.qopOptions == [.auth, .authInt])
        #expect(c.stale == false)
        #expect(c.userhash == false)
        #expect(c.otherParams.isEmpty)
    }

    @Test func defaultsToMD5AndKeepsAllFields() throws {
        let c = try DigestChallenge.parse(
            #"dIgEsT  REALM = "biloxi.com" ,domain="sip:biloxi.com sip:ss1.biloxi.com",nonce="n1",STALE=TRUE,"#
                + #" charset=UTF-8, userhash=true, qop=auth, x-vendor="a\"b""#)
        #expect(c.algorithm == .md5)
        #expect(c.realm == "biloxi.com")
        #expect(c.domain == ["sip:biloxi.com", "sip:ss1.biloxi.com"])
        #expect(c.stale)
        #expect(c.userhash)
        #expect(c.charset == "UTF-8")
        #expect(c.qopOptions == [.auth])  // unquoted qop tolerated
        #expect(c.otherParams == [AuthParam(name: "x-vendor", value: #"a"b"#, wasQuoted: true)])
    }

    @Test func rfc2069ChallengeHasNoQop() throws {
        let c = try DigestChallenge.parse(#"Digest realm="atlanta.com", nonce="84a4cc6f3082121f32b42a2187831a9e""#)
        #expect(c.qopOptions.isEmpty)
        #expect(c.opaque == nil)
    }

    @Test func algorithmsAreCaseInsensitive() throws {
        for (token, expected) in [
            ("md5", DigestAlgorithm.md5), ("MD5-SESS", .md5Sess), ("sha-256", .sha256),
            ("SHA-256-sess", .sha256Sess), ("SHA-512-256", .sha512_256), ("sha-512-256-SESS", .sha512_256Sess),
        ] {
            let c = try DigestChallenge.parse(#"Digest realm="r", nonce="n", algorithm="# + token)
            #expect(c.algorithm == expected)
        }
    }

    @Test func unknownQopValuesAreIgnoredButNoneKnownIsRefused() throws {
        let c = try DigestChallenge.parse(#"Digest realm="r", nonce="n", qop="auth-conf,auth-int""#)
        #expect(c.qopOptions == [.authInt])
        #expect(throws: DigestError.unsupportedQop("auth-conf")) {
            try DigestChallenge.parse(#"Digest realm="r", nonce="n", qop="auth-conf""#)
        }
    }

    @Test func malformedChallengesThrowTypedErrors() {
        #expect(throws: DigestError.unterminatedQuote("nonce")) {
            try DigestChallenge.parse(#"Digest realm="r", nonce="abc"#)
        }
        #expect(throws: DigestError.missingParameter("nonce")) {
            try DigestChallenge.parse(#"Digest realm="r", qop="auth""#)
        }
        #expect(throws: DigestError.missingParameter("realm")) {
            try DigestChallenge.parse(#"Digest nonce="n""#)
        }
        #expect(throws: DigestError.unsupportedScheme("Basic")) {
            try DigestChallenge.parse(#"Basic realm="WallyWorld""#)
        }
        #expect(throws: DigestError.unsupportedAlgorithm("SHA-1")) {
            try DigestChallenge.parse(#"Digest realm="r", nonce="n", algorithm=SHA-1"#)
        }
        #expect(throws: DigestError.duplicateParameter("nonce")) {
            try DigestChallenge.parse(#"Digest realm="r", nonce="a", nonce="b""#)
        }
        #expect(throws: DigestError.malformed("parameter 'nonce' has no '=' and value")) {
            try DigestChallenge.parse(#"Digest realm="r", nonce"#)
        }
        #expect(throws: DigestError.malformed("expected ',' after parameter 'realm'")) {
            try DigestChallenge.parse(#"Digest realm="r" nonce="n""#)
        }
        #expect(throws: DigestError.malformed("the value does not start with an auth scheme")) {
            try DigestChallenge.parse("   ")
        }
        #expect(throws: DigestError.malformed("control character in quoted value of 'realm'")) {
            try DigestChallenge.parse("Digest realm=\"a\r\nVia: evil\", nonce=\"n\"")
        }
    }

    @Test func boundsAreEnforced() {
        let long = "Digest realm=\"r\", nonce=\"" + String(repeating: "a", count: 9000) + "\""
        #expect(throws: DigestError.tooLong(long.utf8.count)) { try DigestChallenge.parse(long) }
        let many = "Digest realm=\"r\", nonce=\"n\"" + (0..<63).map { ", p\($0)=x" }.joined()
        #expect(throws: DigestError.tooManyParameters) { try DigestChallenge.parse(many) }
        let justEnough = "Digest realm=\"r\", nonce=\"n\"" + (0..<62).map { ", p\($0)=x" }.joined()
        #expect((try? DigestChallenge.parse(justEnough))?.otherParams.count == 62)
    }

    @Test func errorsHaveStableCodesAndMessages() {
        #expect(DigestError.unsupportedAlgorithm("X").code == "digest.unsupported_algorithm")
        #expect(DigestError.unsupportedAlgorithm("X").message.contains("unsupported algorithm 'X'"))
        #expect(DigestError.missingParameter("nonce").message == "Digest parameter 'nonce' is required but missing")
    }

    @Test func bestPrefersTheStrongestAlgorithm() throws {
        let md5 = try DigestChallenge.parse(#"Digest realm="r", nonce="1", algorithm=MD5, qop="auth""#)
        let sha256 = try DigestChallenge.parse(#"Digest realm="r", nonce="2", algorithm=SHA-256, qop="auth""#)
        let sha512 = try DigestChallenge.parse(#"Digest realm="r", nonce="3", algorithm=SHA-512-256, qop="auth""#)
        #expect(DigestChallenge.best(of: [md5, sha256]) == sha256)
        #expect(DigestChallenge.best(of: [sha256, md5]) == sha256)
        #expect(DigestChallenge.best(of: [md5, sha512, sha256]) == sha512)
        #expect(DigestChallenge.best(of: [md5]) == md5)
        #expect(DigestChallenge.best(of: []) == nil)
    }

    @Test func bestOfHeaderValuesSkipsChallengesItCannotAnswer() throws {
        let best = DigestChallenge.best(ofHeaderValues: [
            #"Digest realm="r", nonce="1", algorithm=MD5"#,
            #"Digest realm="r", nonce="2", algorithm=SHA3-256"#,
            #"Basic realm="r""#,
            #"Digest realm="r", nonce="3", algorithm=SHA-256"#,
        ])
        #expect(best?.nonce == "3")
        #expect(best?.algorithm == .sha256)
    }

    @Test func bestPerRealmAnswersEveryRealm() throws {
        let all = try [
            #"Digest realm="a", nonce="1", algorithm=MD5"#,
            #"Digest realm="b", nonce="2""#,
            #"Digest realm="a", nonce="3", algorithm=SHA-256"#,
        ].map { value throws(DigestError) in try DigestChallenge.parse(value) }
        #expect(DigestChallenge.bestPerRealm(of: all).map(\.nonce) == ["3", "2"])
    }

    @Test func everyPrefixParsesOrThrowsWithoutTrapping() {
        // House style: feed parsers byte by byte. Besides the whole value, only the prefixes
        // ending just after nonce's closing quote (plus the ", " that follows) are complete.
        let bytes = Array(Self.rfc7616.utf8)
        var parsed = 0
        for n in 0...bytes.count {
            let prefix = String(decoding: bytes[..<n], as: UTF8.self)
            if (try? DigestChallenge.parse(prefix)) != nil { parsed += 1 }
            _ = try? DigestCredentials.parse(prefix)
            _ = try? SessionExpires.parse(prefix)
        }
        #expect(parsed == 4)
    }
}
