import Testing
@testable import SDP

@Suite("Base64 (RFC 4648)")
struct Base64Tests {
    /// RFC 4648 §10 test vectors.
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    @Test("encodes the RFC 4648 §10 vectors", arguments: vectors)
    func encodesVectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
    }

    @Test("decodes the RFC 4648 §10 vectors", arguments: vectors)
    func decodesVectors(plain: String, encoded: String) {
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test("tolerates missing padding")
    func missingPadding() {
        #expect(Base64.decode("Zg") == Array("f".utf8))
        #expect(Base64.decode("Zm8") == Array("fo".utf8))
        #expect(Base64.decode("Zm9vYg") == Array("foob".utf8))
    }

    @Test("decodes a Substring slice")
    func substring() {
        let text = "inline:Zm9vYmFy|2^20"
        let start = text.index(text.startIndex, offsetBy: 7)
        let end = text.index(start, offsetBy: 8)
        #expect(Base64.decode(text[start..<end]) == Array("foobar".utf8))
    }

    @Test("uses the standard alphabet: '+' and '/' (not URL-safe '-' '_')")
    func standardAlphabet() {
        #expect(Base64.encode([0xFB, 0xFF]) == "+/8=")
        #expect(Base64.decode("+/8=") == [0xFB, 0xFF])
        #expect(Base64.decode("-_8=") == nil)
    }

    @Test("rejects bad input", arguments: [
        "Zm9v!", "Zm 9v", "Zm9v\n", "Zg=", "Z", "Zm9vY", "Zm9v=", "Zg===", "====", "Zg==Zg==",
        "=Zg=", "Zm9v\u{00E9}",
    ])
    func rejectsBadInput(text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test("round-trips every length 0...64 and every byte value")
    func roundTrip() {
        let all = (0...255).map { UInt8($0) }
        #expect(Base64.decode(Base64.encode(all)) == all)
        for length in 0...64 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let encoded = Base64.encode(bytes)
            #expect(encoded.utf8.count == (length + 2) / 3 * 4)
            #expect(Base64.decode(encoded) == bytes)
        }
    }
}
