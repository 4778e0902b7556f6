import Testing
@testable import SIPSyntax

/// Field-level checks for the RFC 4475 cases, so that no case passes for the wrong reason.
@Suite struct RFC4475DetailTests {
    typealias M = TortureMessages

    func rejection(_ bytes: [UInt8]) throws -> RequestValidator.Rejection? {
        RequestValidator.validate(try Torture.request(bytes), supportedExtensions: Torture.extensions)
    }

    @Test func tortuousInviteIsUnderstood() throws {
        let r = try Torture.request(M.tortuousInvite)
        #expect(r.method == .invite)
        #expect(r.uri.user == "wanjiru" && r.uri.host == "pbx-core.example.com" && r.uri.params.has("oddparam"))
        #expect(r.to?.uri.user == "wanjiru" && r.to?.tag == "7731x")
        #expect(r.from?.displayName == #"Otieno \""#)
        #expect(r.from?.tag == "55qq1")
        #expect(r.maxForwards == 42)
        #expect(r.cseq == CSeq(12, .invite))
        #expect(r.vias.map(\.branch) == ["z9hG4bKtort1", "z9hG4bKrel9", "z9hG4bKlast3"])
        #expect(r.vias.map(\.transport) == ["UDP", "TCP", "UDP"])
        #expect(r.vias.map(\.host) == ["198.51.100.2", "relay.example.net", "203.0.113.250"])
        #expect(r.headers["Subject"] == "")
        #expect(r.headers["SomeNewHeader"] == "a new value   that continues here")
        #expect(r.headers["OddHeaderWithStrangeValue"] == ";;,,;;,;")
        #expect(r.headers["Route"] == "<sip:edge.example.com;lr;mystery=value;mystery-flag>")
        let contact = try #require(r.contacts.first)
        #expect(contact.displayName == #"A "quoted" name"#)
        #expect(contact.params.value("freshparam") == "freshvalue")
        #expect(contact.params.has("otherparam") && contact.params.value("q") == "0.25")
        #expect(r.body == M.sdp)
        #expect(r.headers["Content-Length"] == String(M.sdp.count))
    }

    @Test func wideRangeOfCharactersIsKept() throws {
        let r = try Torture.request(M.wideRangeOfCharacters)
        #expect(r.method == .other("~odd.Method-0987654321_*+`'%!"))
        #expect(r.uri.user == "7_strange.User~(is-it!ok)&can't+be$/real?,/;;*")
        #expect(r.uri.password == "&pass+word=2,odd!*$~_.(x)'")
        #expect(r.uri.host == "example.com" && r.uri.headers == nil && r.uri.params.isEmpty)
        #expect(r.to?.displayName == "BEL:\u{07} NUL:\u{00} DEL:\u{7F}")
        #expect(r.to?.uri.user == r.uri.user)
        #expect(r.from?.displayName == "tok1~` tok2'+_ tok3*%!.-")
        #expect(r.from?.params.value("fancy''~+*_!.-%") == "Habari ya dunia \u{2013} \u{4F60}\u{597D}")
        #expect(r.from?.tag == "_tag~1'+`*%!-.")
        #expect(r.callID == #"widerange.word%ZK-!.*_+'@word`~)(><:\/"][?}{"#)
        #expect(r.cseq == CSeq(271828, r.method))
        #expect(r.topVia?.branch == "z9hG4bK-.!%42*_+`'~")
        #expect(Array((r.headers["extensionHeader-!.%*+_`'~"] ?? "").utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
    }

    @Test func escapesAreDecodedInUserParts() throws {
        let r = try Torture.request(M.validEscapes)
        #expect(r.uri.user == "sips:jane@example.org" && r.uri.host == "example.net")
        #expect(r.to?.uri.user == "jane")
        #expect(r.from?.uri.user == "I have spaces")
        let contact = try #require(r.contacts.first)
        #expect(contact.uri.user == "caller")
        // Parameters keep their escapes (names lower-cased); only user/password are decoded.
        #expect(contact.uri.params.map(\.name) == ["%6c%72", "n%61me"])
        #expect(contact.uri.params.value("n%61me") == "v%61lue%25%34%31")
        let line = String(decoding: SIPSerializer.serialize(r).prefix(while: { $0 != 0x0D }), as: UTF8.self)
        #expect(line == "INVITE sip:sips%3Ajane%40example.org@example.net SIP/2.0")
    }

    @Test func escapedNullsDecodeToNUL() throws {
        let r = try Torture.request(M.escapedNulls)
        #expect(r.from?.uri.user == "zero-\u{0}-zero" && r.to?.uri.user == "zero-\u{0}-zero")
        #expect(r.contacts.map(\.uri.user) == ["\u{0}", "\u{0}\u{0}"])
    }

    @Test func percentThatIsNotAnEscape() throws {
        let r = try Torture.request(M.percentNotEscape)
        #expect(r.method == .other("RE%47IST%45R") && r.method != .register)
        #expect(r.to?.displayName == "%Z%45" && r.from?.displayName == "%Z%45")
        #expect(r.contacts.count == 2)
        #expect(r.headers["C%6Fntact"] == "<sip:alias-b@host-b.example.com>")
        #expect(r.topVia?.branch == "z9hG4bK77%qz11")
    }

    @Test func displayNameWithoutSpaceBeforeAngle() throws {
        let r = try Torture.request(M.noSpaceBeforeAngle)
        #expect(r.from?.displayName == "caller" && r.from?.tag == "ns1")
    }

    @Test func longValuesSurvive() throws {
        let r = try Torture.request(M.longValues)
        #expect(r.vias.count == 36 && r.vias.first?.host == "relay36.example.com")
        #expect(r.to?.uri.port == 6000 && r.to?.uri.params.count == 3)
        #expect(r.to?.displayName == "A name of " + String(repeating: "enormous ", count: 12) + "size")
        #expect(r.from?.tag == "12" + String(repeating: "987", count: 60) + "4")
        #expect(r.callID?.utf8.count == "longvalues.".utf8.count + 180 + "long@198.51.100.7".utf8.count)
        #expect(r.body == M.sdp)
    }

    @Test func trailingOctetsAreIgnored() throws {
        let r = try Torture.request(M.trailingOctets)
        #expect(r.method == .register && r.body.isEmpty && r.callID == "trailing.1@198.51.100.8")
    }

    @Test func semicolonsInUserPart() throws {
        let r = try Torture.request(M.semicolonUser)
        #expect(r.uri.user == "user;par=u@example.net" && r.uri.host == "example.com" && r.uri.params.isEmpty)
        #expect(r.uri.description == "sip:user;par=u%40example.net@example.com")
    }

    @Test func transportsAreKeptAsWritten() throws {
        let r = try Torture.request(M.variedTransports)
        #expect(r.vias.map(\.transport) == ["UDP", "SCTP", "TLS", "UNKNOWN", "TLS-SCTP", "WS"])
    }

    @Test func multipartBodyIsByteIdentical() throws {
        let r = try Torture.request(M.multipartMessage)
        #expect(r.body == M.multipartBody)
        let wire = SIPSerializer.serialize(r)
        #expect(Array(wire.suffix(M.multipartBody.count)) == M.multipartBody)
        #expect(try Torture.request(wire).body == M.multipartBody)
    }

    @Test func reasonPhrases() throws {
        let unusual = try Torture.response(M.unusualReason)
        #expect(unusual.statusCode == 200)
        #expect(unusual.reason.hasPrefix("= 2**3 * 5**2 \u{0441}\u{0442}\u{043E}") && unusual.reason.hasSuffix("\u{4E00}\u{767E}"))
        let empty = try Torture.response(M.emptyReason)
        #expect(empty.statusCode == 100 && empty.reason == "")
        #expect(SIPSerializer.serialize(empty).starts(with: Array("SIP/2.0 100 \r\n".utf8)))
    }

    @Test func rejectionReasonsNameTheFault() throws {
        #expect(try rejection(M.extraneousSeparators)?.reason.hasPrefix("Bad Via") == true)
        #expect(try rejection(M.overlargeRequestScalars)?.reason == "Bad CSeq")
        #expect(try rejection(M.unterminatedQuote)?.reason.hasPrefix("Bad To") == true)
        #expect(try rejection(M.escapedHeadersInRequestURI)?.reason == "Request-URI must not contain headers")
        #expect(try rejection(M.unenclosedContactURI)?.reason.hasPrefix("Bad Contact") == true)
        #expect(try rejection(M.spacesInAddrSpec)?.reason.hasPrefix("Bad To") == true)
        #expect(try rejection(M.nonTokenDisplayName)?.reason.hasPrefix("Bad From") == true)
        #expect(try rejection(M.cseqMethodMismatch)?.reason == "CSeq method does not match request method")
        #expect(try rejection(M.unknownMethodMismatch)?.reason == "CSeq method does not match request method")
        #expect(try rejection(M.multipleSingleValues)?.reason == "Multiple Call-ID headers")
        #expect(try rejection(M.missingRequiredHeaders)?.reason == "Missing From header")
    }

    @Test func unknownVersionIsAnswered505WithItsVia() throws {
        let r = try Torture.request(M.unknownProtocolVersion)
        #expect(r.version == "SIP/7.0")
        #expect(r.topVia?.protocolVersion == "7.0" && r.topVia?.branch == "z9hG4bKbver")
        #expect(RequestValidator.canRespond(r.headers))
        let v7 = try Torture.request(M.version7Request)
        #expect(RequestValidator.validate(v7, supportedExtensions: [])?.statusCode == 505)
    }

    @Test func unknownRequireListsOnlyRequireTags() throws {
        let rej = try #require(try rejection(M.unknownRequire))
        #expect(rej.statusCode == 420)
        #expect(rej.headers.map(\.0) == ["Unsupported"])
        #expect(rej.headers.map(\.1) == ["noOneSupportsThis, norThisOne"])
        // ACK and CANCEL are never rejected for Require (RFC 3261 §8.2.2.3).
        var ack = try Torture.request(M.unknownRequire)
        ack.method = .ack
        ack.headers.set("CSeq", "8 ACK")
        #expect(RequestValidator.validate(ack, supportedExtensions: []) == nil)
    }

    @Test func missingHeadersCannotBeAnswered() throws {
        let r = try Torture.request(M.missingRequiredHeaders)
        #expect(!RequestValidator.canRespond(r.headers))
        #expect(SIPResponse(toUnparsable: r.headers, statusCode: 400, reason: "Bad Request") == nil)
    }

    @Test func responsesThatMustBeDropped() throws {
        let scalars = try Torture.response(M.overlargeResponseScalars)
        #expect(RequestValidator.check(scalars)?.reason.hasPrefix("CSeq") == true)
        guard case .failure(let f) = SIPParser().parse(M.overlargeResponseCode) else {
            Issue.record("4294967302 parsed"); return
        }
        #expect(!f.isRequest && f.headers == nil)
        let bcast = try Torture.response(M.brokenViaResponse)
        #expect(bcast.vias.map(\.host) == ["198.51.100.51", "255.255.255.255"])
    }

    @Test func applicationLayerCasesKeepWhatTheApplicationNeeds() throws {
        #expect(try Torture.request(M.missingBranchID).topVia?.branch == "z9hG4bK")
        #expect(try Torture.request(M.missingBranchID).topVia?.hasMagicCookie == true)
        #expect(try Torture.request(M.zeroMaxForwards).maxForwards == 0)
        let star = try Torture.request(M.registerContactStar)
        #expect(star.headers.values("Contact") == ["*"] && star.contacts.isEmpty)
        let headerParam = try #require(try Torture.request(M.registerContactParam).contacts.first)
        #expect(headerParam.params.has("unknownparam") && headerParam.uri.params.isEmpty)
        #expect(headerParam.uri.user == "+254722000111")
        let uriParam = try #require(try Torture.request(M.registerContactURIParam).contacts.first)
        #expect(uriParam.uri.params.has("unknownparam") && uriParam.params.isEmpty)
        let escaped = try #require(try Torture.request(M.registerEscapedHeader).contacts.first)
        #expect(escaped.uri.headers == "Route=%3Csip:edge.example.com%3E")
        let auth = try Torture.request(M.unknownAuthScheme)
        #expect(auth.headers.values("Authorization") == [#"NoOneKnowsThisScheme opaque-data=here, more="a, b""#])
        let unknownType = try Torture.request(M.unknownContentType)
        #expect(unknownType.contentType == "application/unknownformat")
        #expect(unknownType.body == [0x3C, 0x00, 0xFF, 0x3E] + Array("<some-weird-format/>\r\n".utf8))
        let schemes = try Torture.request(M.unknownSchemesInHeaders)
        #expect(schemes.to?.uri.scheme == .other("isbn") && schemes.from?.uri.scheme == .other("http"))
        #expect(schemes.contacts.first?.uri.opaque == "Wanjiku_Kamau")
        #expect(try Torture.request(M.unacceptableAccept).headers["Accept"] == "text/nobodyKnowsThis")
    }

    @Test func rfc2543InviteFallsBackGracefully() throws {
        let r = try Torture.request(M.rfc2543Invite)
        #expect(r.topVia?.branch == nil && r.topVia?.hasMagicCookie == false)
        #expect(r.from?.tag == nil && r.maxForwards == nil)
        #expect(r.body == M.sdp)
        #expect(r.headers["Content-Length"] == String(M.sdp.count))
        #expect(r.headers.fields.last?.name == "Content-Length")
    }

    @Test func bareLFKeepAliveAndIPv6Via() throws {
        let r = try Torture.request(M.bareLFAndKeepAlive)
        #expect(r.method == .bye && r.cseq == CSeq(2, .bye))
        #expect(r.uri.port == 5070 && r.uri.transport == "udp")
        #expect(r.topVia?.host == "[2001:db8::58]" && r.topVia?.port == 5060 && r.topVia?.wantsRport == true)
    }
}
