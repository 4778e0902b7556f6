import Testing
@testable import SIPSyntax

/// SIP, SIPS and tel URIs (RFC 3261 §19.1, §25.1; RFC 3966; RFC 5118 for IPv6).
@Suite struct URITests {
    /// A parsed URI must print to text that parses back to the same value.
    func reparses(_ uri: SIPURI) -> Bool { (try? SIPURI.parse(uri.description)) == uri }

    @Test func sipsWithPortAndTransport() throws {
        let u = try SIPURI.parse("sips:alice@example.com:5061;transport=tcp")
        #expect(u.scheme == .sips && u.user == "alice" && u.host == "example.com" && u.port == 5061)
        #expect(u.transport == "tcp" && u.isSIP)
        #expect(u.description == "sips:alice@example.com:5061;transport=tcp" && reparses(u))
    }

    @Test func telWithPhoneContext() throws {
        let local = try SIPURI.parse("tel:7042;phone-context=example.com")
        #expect(local.scheme == .tel && local.user == "7042" && local.host == "")
        #expect(local.params.value("phone-context") == "example.com")
        #expect(local.description == "tel:7042;phone-context=example.com" && reparses(local))
        let global = try SIPURI.parse("tel:+254-20-555-0123")
        #expect(global.user == "+254-20-555-0123" && global.params.isEmpty && reparses(global))
        let numericContext = try SIPURI.parse("tel:863-1234;phone-context=+1-914-555")
        #expect(numericContext.params.value("phone-context") == "+1-914-555" && reparses(numericContext))
        #expect(throws: SIPParseError.self) { try SIPURI.parse("tel:;phone-context=x") }
    }

    @Test(arguments: [
        ("sip:alice@[2001:db8::10]:5070", "[2001:db8::10]", 5070 as Int?),
        ("sip:alice@[2001:db8::10]", "[2001:db8::10]", nil),
        ("sip:[::1];transport=udp", "[::1]", nil),
        ("sips:[::ffff:192.0.2.1]:5061", "[::ffff:192.0.2.1]", 5061),
        ("sip:bob@192.0.2.4:5060", "192.0.2.4", 5060),
    ])
    func hostReferences(_ text: String, _ host: String, _ port: Int?) throws {
        let u = try SIPURI.parse(text)
        #expect(u.host == host && u.port == port)
        #expect(u.description == text && reparses(u))
    }

    @Test(arguments: [
        "sip:alice@[2001:db8::1", "sip:alice@[2001:db8::1]x", "sip:[zz::1]", "sip:[]", "sip:[1.2.3.4]",
        "sip:[::1]:99999", "sip:[::1]:", "sip:host:", "sip:host:65536", "sip:host:12x", "sip:ho st",
        "sip:", "sip:@host", "sip:a@", "sip:a%zz@host", "sip:a%4@host", "1sip:x", "nocolon",
        "<sip:a@b>", "sip:a@b:c:d", "sip:a@under_score.example",
    ])
    func malformedURIsThrow(_ text: String) {
        #expect(throws: SIPParseError.self) { try SIPURI.parse(text) }
    }

    @Test func escapedUserAndSemicolonParamsInUserPart() throws {
        let u = try SIPURI.parse("sip:user;par=u%40example.net@example.com")
        #expect(u.user == "user;par=u@example.net" && u.host == "example.com" && u.params.isEmpty)
        let rfc = try SIPURI.parse("sip:alice;day=tuesday@atlanta.com")
        #expect(rfc.user == "alice;day=tuesday" && rfc.host == "atlanta.com")
        let spaced = try SIPURI.parse("sip:I%20have%20spaces@example.net")
        #expect(spaced.user == "I have spaces" && spaced.description == "sip:I%20have%20spaces@example.net")
        for u in [u, rfc, spaced] { #expect(reparses(u)) }
    }

    @Test func passwordIsSplitAndDecoded() throws {
        let u = try SIPURI.parse("sip:alice:s3cr%65t@example.com;transport=udp")
        #expect(u.user == "alice" && u.password == "s3cret" && u.host == "example.com")
        #expect(u.description == "sip:alice:s3cret@example.com;transport=udp" && reparses(u))
        let empty = try SIPURI.parse("sip:alice:@example.com")
        #expect(empty.password == "" && reparses(empty))
    }

    @Test func uppercaseSchemeIsCaseInsensitive() throws {
        let u = try SIPURI.parse("SIP:ALICE@AtLanTa.CoM;Transport=UDP")
        #expect(u.scheme == .sip && u.user == "ALICE" && u.host == "AtLanTa.CoM")
        #expect(u.params.map(\.name) == ["transport"] && u.transport == "udp")
        #expect(u.description == "sip:ALICE@AtLanTa.CoM;transport=UDP" && reparses(u))
        #expect(try SIPURI.parse("SiPs:x@y").scheme == .sips && SIPURI.parse("TEL:+1").scheme == .tel)
    }

    @Test func uriHeadersAfterQuestionMark() throws {
        let u = try SIPURI.parse("sips:alice@atlanta.com?subject=project%20x&priority=urgent")
        #expect(u.headers == "subject=project%20x&priority=urgent" && u.params.isEmpty && u.user == "alice")
        let noUser = try SIPURI.parse("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com")
        #expect(noUser.user == nil && noUser.host == "biloxi.com")
        #expect(noUser.params.map(\.name) == ["transport", "method"] && noUser.headers == "to=sip:bob%40biloxi.com")
        // '?' before the '@' belongs to the user part (RFC 3261 §25.1 user-unreserved).
        let q = try SIPURI.parse("sip:what?ever@example.com?h=v")
        #expect(q.user == "what?ever" && q.headers == "h=v")
        for u in [u, noUser, q] { #expect(reparses(u)) }
    }

    @Test func otherSchemesStayOpaque() throws {
        let u = try SIPURI.parse("urn:service:sos")
        #expect(u.scheme == .other("urn") && u.opaque == "service:sos" && !u.isSIP && reparses(u))
        let beep = try SIPURI.parse("soap.beep://192.0.2.103:3002")
        #expect(beep.scheme == .other("soap.beep") && beep.opaque == "//192.0.2.103:3002")
    }

    @Test func delimitersAreFoundOnBytesNotCharacters() throws {
        // ':' followed by a combining mark is one Character; the byte scan still splits there.
        let u = try SIPURI.parse("sip:bob:\u{301}pw@example.com")
        #expect(u.user == "bob" && u.password == "\u{301}pw" && u.host == "example.com")
        #expect(throws: SIPParseError.self) { try SIPURI.parse("sip:bob@\u{301}example.com") }
        #expect(reparses(u))
    }

    @Test func nameAddrForms() throws {
        let quoted = try NameAddr.parse(#""Kamau \"KK\" Njoroge" <sip:kk@example.com>;tag=9"#)
        #expect(quoted.displayName == #"Kamau "KK" Njoroge"# && quoted.tag == "9")
        let tokens = try NameAddr.parse("Amina  Yusuf <sip:amina@example.com>")
        #expect(tokens.displayName == "Amina  Yusuf")
        let utf8 = try NameAddr.parse("Zaïna <sip:z@example.com>")
        #expect(utf8.displayName == "Zaïna")
        let spec = try NameAddr.parse("sip:a@example.com ; tag = 7 ;x")
        #expect(spec.uri.user == "a" && spec.tag == "7" && spec.params.has("x") && spec.uri.params.isEmpty)
        let empty = try NameAddr.parse(#""" <sip:a@b>"#)
        #expect(empty.displayName == nil)
        #expect(try NameAddr.parse("<sip:a@[2001:db8::1]:5060;lr>").uri.port == 5060)
    }

    @Test(arguments: [
        #""open <sip:a@b>"#, #""a"b" <sip:a@b>"#, #""a\" <sip:a@b>"#, "Last, First <sip:a@b>",
        "a@b <sip:a@b>", "<sip:a@b> junk", "<sip:a@b", "sip:a@b?x=1", "sip:a@b,sip:c@d", "sip:a b@c",
        "< sip:a@b >", "", "   ",
    ])
    func malformedAddressesThrow(_ text: String) {
        #expect(throws: SIPParseError.self) { try NameAddr.parse(text) }
    }

    @Test func viaForms() throws {
        let v6 = try Via.parse("SIP/2.0/UDP [2001:db8::9]:5062;branch=z9hG4bK1;received=[2001:db8::2];rport=5070")
        #expect(v6.host == "[2001:db8::9]" && v6.port == 5062 && v6.received == "[2001:db8::2]" && v6.rport == 5070)
        #expect(try Via.parse(v6.description) == v6)
        let lws = try Via.parse("SIP / 2.0 / tcp host.example.com : 5070 ; branch = z9hG4bK2")
        #expect(lws.transport == "TCP" && lws.port == 5070 && lws.branch == "z9hG4bK2")
        let future = try Via.parse("SIP/3.0/UDP h;branch=z9hG4bK3")
        #expect(future.protocolVersion == "3.0" && future.description.hasPrefix("SIP/3.0/UDP h"))
        for bad in ["SIP/2.0 host", "XMPP/2.0/UDP h", "SIP/2.0/UDP", "SIP/2.0/UDP host:99999", "SIP/2 0/UDP h"] {
            #expect(throws: SIPParseError.self) { try Via.parse(bad) }
        }
    }

    @Test func cseqIsDigitsThenToken() throws {
        #expect(try CSeq.parse(" 4294967295\tINVITE ") == CSeq(4_294_967_295, .invite))
        for bad in ["+5 INVITE", "-1 INVITE", "4294967296 INVITE", "5", "5 INVITE x", "5 INV,ITE", "0x10 BYE"] {
            #expect(throws: SIPParseError.self) { try CSeq.parse(bad) }
        }
    }
}

@Suite struct TagParameterTests {
    @Test func agreesWithFullParse() throws {
        let values = [
            "<sip:a@b>;tag=abc", "\"Bob >\" <sip:b@c;tag=no>;x=1; TAG = zz ", "sip:a@b;tag=t1;x",
            "<sip:a@b>", "sip:a@b", "Alice <sip:a@b>;tagx=1;tag=real", "<sip:a@b;tag=uri-param>",
        ]
        for v in values {
            let full = try NameAddr.parse(v).tag
            #expect(HeaderText.tagParameter(v) == (full?.isEmpty == true ? nil : full), "\(v)")
        }
    }
}
