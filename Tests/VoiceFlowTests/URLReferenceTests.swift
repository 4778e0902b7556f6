import Testing
@testable import VoiceFlow

/// RFC 3986 §5.4 reference resolution examples (base `http://a/b/c/d;p?q`).
@Suite struct URLReferenceTests {
    static let base = "http://a/b/c/d;p?q"

    /// §5.4.1 normal examples; `g:h` resolves to a non-http URL, so it is refused (nil).
    @Test(arguments: [
        ("g:h", nil),
        ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"),
        ("/g", "http://a/g"), ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"),
        ("g?y", "http://a/b/c/g?y"), ("#s", "http://a/b/c/d;p?q#s"), ("g#s", "http://a/b/c/g#s"),
        ("g?y#s", "http://a/b/c/g?y#s"), (";x", "http://a/b/c/;x"), ("g;x", "http://a/b/c/g;x"),
        ("g;x?y#s", "http://a/b/c/g;x?y#s"), ("", "http://a/b/c/d;p?q"), (".", "http://a/b/c/"),
        ("./", "http://a/b/c/"), ("..", "http://a/b/"), ("../", "http://a/b/"), ("../g", "http://a/b/g"),
        ("../..", "http://a/"), ("../../", "http://a/"), ("../../g", "http://a/g"),
    ] as [(String, String?)])
    func normal(reference: String, expected: String?) {
        #expect(URLReference.resolve(reference, against: Self.base) == expected)
    }

    /// §5.4.2 abnormal examples (strict parser: `http:g` has no host, so it is refused).
    @Test(arguments: [
        ("../../../g", "http://a/g"), ("../../../../g", "http://a/g"), ("/./g", "http://a/g"),
        ("/../g", "http://a/g"), ("g.", "http://a/b/c/g."), (".g", "http://a/b/c/.g"),
        ("g..", "http://a/b/c/g.."), ("..g", "http://a/b/c/..g"), ("./../g", "http://a/b/g"),
        ("./g/.", "http://a/b/c/g/"), ("g/./h", "http://a/b/c/g/h"), ("g/../h", "http://a/b/c/h"),
        ("g;x=1/./y", "http://a/b/c/g;x=1/y"), ("g;x=1/../y", "http://a/b/c/y"),
        ("g?y/./x", "http://a/b/c/g?y/./x"), ("g?y/../x", "http://a/b/c/g?y/../x"),
        ("g#s/./x", "http://a/b/c/g#s/./x"), ("g#s/../x", "http://a/b/c/g#s/../x"), ("http:g", nil),
    ] as [(String, String?)])
    func abnormal(reference: String, expected: String?) {
        #expect(URLReference.resolve(reference, against: Self.base) == expected)
    }

    @Test func onlyWebURLsWithAHost() {
        let base = "https://app.example/voice/start"
        #expect(URLReference.resolve("https://other.example/x", against: base) == "https://other.example/x")
        #expect(URLReference.resolve("HTTPS://Other.example/a/../b", against: base) == "https://Other.example/b")
        #expect(URLReference.resolve("next", against: base) == "https://app.example/voice/next")
        #expect(URLReference.resolve("//cdn.example/x", against: base) == "https://cdn.example/x")
        #expect(URLReference.resolve("ftp://files.example/x", against: base) == nil)
        #expect(URLReference.resolve("mailto:ops@example.com", against: base) == nil)
        #expect(URLReference.resolve("javascript:alert(1)", against: base) == nil)
        #expect(URLReference.resolve("http+unix://%2Frun%2Fx.sock/", against: base) == nil)
        #expect(URLReference.resolve("http:///nohost", against: base) == nil)
        #expect(URLReference.resolve("g", against: "ftp://a/b") == nil)
        #expect(URLReference.resolve("/g", against: "") == nil)
        #expect(URLReference.resolve("/g", against: "not a url") == nil)
    }

    @Test func emptyBasePathMergesWithSlash() {
        #expect(URLReference.resolve("g", against: "http://a") == "http://a/g")
        #expect(URLReference.resolve("g", against: "http://a?q") == "http://a/g")
    }

    @Test func whitespaceAndControlBytes() {
        #expect(URLReference.resolve("  /next \n", against: Self.base) == "http://a/next")
        #expect(URLReference.resolve("/a b/caf\u{E9}", against: Self.base) == "http://a/a%20b/caf%C3%A9")
        #expect(URLReference.resolve("/a\r\nX-Evil: 1", against: Self.base) == nil)
        #expect(URLReference.resolve("/a\u{7F}", against: Self.base) == nil)
    }

    @Test func removeDotSegmentsRFCExamples() {
        // RFC 3986 §5.2.4's two worked examples.
        #expect(URLReference.removeDotSegments(Array("/a/b/c/./../../g".utf8)) == Array("/a/g".utf8))
        #expect(URLReference.removeDotSegments(Array("mid/content=5/../6".utf8)) == Array("mid/6".utf8))
    }
}
