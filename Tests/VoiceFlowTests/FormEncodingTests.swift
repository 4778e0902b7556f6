import Testing
@testable import VoiceFlow

/// WHATWG application/x-www-form-urlencoded serializer vectors.
@Suite struct FormEncodingTests {
    static func enc(_ text: String) -> String { FormEncoding.encodeString([("k", text)]) }

    @Test(arguments: [
        ("", "k="),
        ("plain", "k=plain"),
        ("a b  c", "k=a+b++c"),
        ("1+1=2", "k=1%2B1%3D2"),
        ("a&b", "k=a%26b"),
        ("*-._", "k=*-._"),
        ("~!'()", "k=%7E%21%27%28%29"),
        ("/?#[]@:", "k=%2F%3F%23%5B%5D%40%3A"),
        ("%", "k=%25"),
        ("caf\u{E9}", "k=caf%C3%A9"),
        ("Habari, dunia!", "k=Habari%2C+dunia%21"),
        ("\u{1F600}", "k=%F0%9F%98%80"),
        ("\u{20AC}1", "k=%E2%82%AC1"),
        ("line\r\nnext", "k=line%0D%0Anext"),
        ("AZaz09", "k=AZaz09"),
    ])
    func vectors(input: String, expected: String) {
        #expect(Self.enc(input) == expected)
    }

    @Test func namesAreEncodedAndOrderKept() {
        let body = FormEncoding.encode([("a b", "1"), ("c&d", "x=y"), ("a b", "2")])
        #expect(String(decoding: body, as: UTF8.self) == "a+b=1&c%26d=x%3Dy&a+b=2")
    }

    @Test func emptyFieldListIsEmptyBody() {
        #expect(FormEncoding.encode([]).isEmpty)
    }

    @Test func everyByteIsKeptOrEscaped() {
        // All 128 ASCII code points: kept ones pass through, space is '+', the rest %XX.
        for byte in UInt8(0)...UInt8(127) {
            let text = String(decoding: [byte], as: UTF8.self)
            let out = Self.enc(text).dropFirst(2)
            if FormEncoding.isKept(byte) {
                #expect(out == Substring(text))
            } else if byte == 0x20 {
                #expect(out == "+")
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                #expect(out == "%" + (hex.count == 1 ? "0" + hex : hex))
            }
        }
    }
}
