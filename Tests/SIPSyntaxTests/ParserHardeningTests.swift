import Testing
@testable import SIPSyntax

/// Framing, limits and line-break safety of the parser and serializer.
@Suite struct ParserHardeningTests {
    let head = [
        "OPTIONS sip:a@example.com SIP/2.0",
        "Via: SIP/2.0/UDP h.example.com;branch=z9hG4bKh1",
        "From: <sip:b@example.com>;tag=1",
        "To: <sip:a@example.com>",
        "Call-ID: harden.1",
        "CSeq: 1 OPTIONS",
    ]

    func failure(_ bytes: [UInt8], _ parser: SIPParser = SIPParser()) -> SIPParseFailure? {
        if case .failure(let f) = parser.parse(bytes) { return f }
        return nil
    }

    @Test func bareCRInStartLineIsRejected() {
        var bytes = TortureMessages.message(head)
        bytes.insert(0x0D, at: 7) // "OPTIONS\r sip:..."
        #expect(failure(bytes)?.error.kind == .badStartLine)
        let status = TortureMessages.message(["SIP/2.0 200 O\rK"] + head.dropFirst())
        #expect(failure(status)?.error.kind == .badStartLine)
    }

    @Test func bareCRInHeaderValueBecomesSpace() throws {
        let r = try Torture.request(TortureMessages.message(head + ["X-Odd: a\rb\r", "Subject: x\r\r"]))
        #expect(r.headers["X-Odd"] == "a b")
        #expect(r.headers["Subject"] == "x")
    }

    @Test func serializerNeverWritesALineBreakInsideALine() throws {
        var resp = SIPResponse(statusCode: 400, reason: "bad\r\nVia: SIP/2.0/UDP evil")
        resp.headers.add("X-App", "v1\r\nInjected: yes")
        let wire = SIPSerializer.serialize(resp)
        let parsed = try Torture.response(wire)
        #expect(parsed.reason == "bad  Via: SIP/2.0/UDP evil")
        #expect(parsed.headers["X-App"] == "v1  Injected: yes" && parsed.headers["Injected"] == nil)
        #expect(parsed.headers.fields.map(\.name) == ["X-App", "Content-Length"])
    }

    @Test func contentLengthIsNormalisedInPlace() throws {
        let bytes = TortureMessages.message(head + ["Content-Length: 0004", "Content-Length:4", "Max-Forwards: 70"], body: Array("abcdXYZ".utf8))
        let r = try Torture.request(bytes)
        #expect(r.body == Array("abcd".utf8))
        #expect(r.headers.rawValues("Content-Length") == ["4"])
        #expect(r.headers.fields.map(\.name).suffix(2) == ["Content-Length", "Max-Forwards"])
        let wire = String(decoding: SIPSerializer.serialize(r), as: UTF8.self)
        #expect(wire.contains("CSeq: 1 OPTIONS\r\nContent-Length: 4\r\nMax-Forwards: 70\r\n\r\nabcd"))
        #expect(Torture.roundTrips(.request(r)))
    }

    @Test func contentLengthLimits() {
        let huge = TortureMessages.message(head + ["Content-Length: 1234567890"])
        #expect(failure(huge)?.error.kind == .badContentLength)
        let notNumber = TortureMessages.message(head + ["Content-Length: 4 4"], body: Array("abcd".utf8))
        #expect(failure(notNumber)?.error.kind == .badContentLength)
        let empty = TortureMessages.message(head + ["Content-Length:"])
        #expect(failure(empty)?.error.kind == .badContentLength)
    }

    @Test func sizeAndCountLimits() {
        let big = TortureMessages.message(head + ["X-Big: " + String(repeating: "a", count: 70_000)])
        #expect(failure(big)?.error.kind == .tooLarge)
        let many = TortureMessages.message(head + (0..<300).map { "X-H\($0): v" })
        let f = failure(many)
        #expect(f?.error.kind == .tooManyHeaders && f?.headers?.count == 256)
        #expect(failure(many, SIPParser(maxMessageBytes: 65535, maxHeaders: 400)) == nil)
    }

    @Test func emptyAndMalformedFraming() {
        #expect(failure([])?.error.kind == .empty)
        #expect(failure(Array("\r\n\r\n\n".utf8))?.error.kind == .empty)
        #expect(failure(TortureMessages.message(["OPTIONS sip:a@b SIP/2.0", " folded-first: x"] + head.dropFirst()))?.error.kind == .badHeader)
        #expect(failure(TortureMessages.message(head + ["NoColonHere"]))?.error.kind == .badHeader)
        #expect(failure(TortureMessages.message(head + ["Bad Name: x"]))?.error.kind == .badHeader)
        #expect(failure(TortureMessages.message(head + [": no name"]))?.error.kind == .badHeader)
        for line in ["SIP/2.0 99 Low", "SIP/2.0 700 High", "SIP/2.0 2000 X", "SIP/2.0 +20 X", "SIP/2.0"] {
            #expect(failure(TortureMessages.message([line] + head.dropFirst()))?.error.kind == .badStartLine, "\(line)")
        }
        for line in ["OPTIONS sip:a@b", "OPTIONS sip:a@b HTTP/1.1", "OPT<IONS sip:a@b SIP/2.0", " sip:a@b SIP/2.0"] {
            #expect(failure(TortureMessages.message([line] + head.dropFirst()))?.error.kind == .badStartLine, "\(line)")
        }
    }

    @Test func headersWithoutBlankLineHaveNoBody() throws {
        var bytes = Array(head.joined(separator: "\r\n").utf8)
        bytes += Array("\r\nContent-Length: 0".utf8)
        let r = try Torture.request(bytes)
        #expect(r.body.isEmpty && r.callID == "harden.1")
    }

    @Test func responseCheckRequiresRoutingHeaders() throws {
        let ok = try Torture.response(TortureMessages.message(["SIP/2.0 180 Ringing"] + head.dropFirst()))
        #expect(RequestValidator.check(ok) == nil)
        var noVia = ok
        noVia.headers.remove("Via")
        #expect(RequestValidator.check(noVia)?.kind == .missingHeader)
        var twoCallIDs = ok
        twoCallIDs.headers.add("Call-ID", "other")
        #expect(RequestValidator.check(twoCallIDs)?.kind == .badHeader)
        var oldVersion = ok
        oldVersion.version = "SIP/1.0"
        #expect(RequestValidator.check(oldVersion)?.kind == .badStartLine)
    }

    @Test func validatorScalarChecks() throws {
        let base = try Torture.request(TortureMessages.message(head + ["Max-Forwards: 70"]))
        #expect(RequestValidator.validate(base, supportedExtensions: []) == nil)
        for (name, value) in [("Max-Forwards", "256"), ("Max-Forwards", "+5"), ("Max-Forwards", "7 0"),
                              ("CSeq", "2147483648 OPTIONS"), ("Call-ID", ""), ("Call-ID", "a b")] {
            var r = base
            r.headers.set(name, value)
            #expect(RequestValidator.validate(r, supportedExtensions: [])?.statusCode == 400, "\(name): \(value)")
        }
        var contact = base
        contact.headers.add("Contact", "*")
        #expect(RequestValidator.validate(contact, supportedExtensions: [])?.statusCode == 400)
    }

    /// Found by FuzzSIP (minimized): a '"' in a URI parameter name used to open a quoted
    /// string that swallowed the next parameter, and the serialized text split differently.
    @Test func quoteInParameterNameDoesNotSwallowTheNextParameter() throws {
        let found = Array("E sip:1;\"=; SIP/".utf8)
        let message = try SIPParser().parse(found).get()
        #expect(Torture.roundTrips(message))
        let u = try SIPURI.parse("sip:user@h;a\"b;transport=udp;q=\"x;y\"")
        #expect(u.params.map(\.name) == ["a\"b", "transport", "q"])
        #expect(u.transport == "udp" && u.params.value("q") == "x;y")
        #expect(try SIPURI.parse(u.description) == u)
        let addr = try NameAddr.parse("<sip:a@b>;x\"y;tag=1;label = \"a;b\"")
        #expect(addr.tag == "1" && addr.params.value("label") == "a;b")
    }
}
