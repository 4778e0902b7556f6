/// Our own messages exercising every case of RFC 4475 (SIP torture tests), one static message
/// per case, named after the RFC section. They are written from the RFC's descriptions with
/// our own hosts and values, not copied from it.
///
/// Lines are joined with CRLF; a line starting with SP/HT is a folded continuation. `{len}` in
/// a header line is replaced by the body length so valid messages stay framed correctly.
enum TortureMessages {
    /// Joins header lines with CRLF, adds the empty line and the body.
    static func message(_ lines: [String], body: [UInt8] = []) -> [UInt8] {
        var out: [UInt8] = []
        for line in lines {
            out += Array(line.replacing("{len}", with: String(body.count)).utf8)
            out += [0x0D, 0x0A]
        }
        out += [0x0D, 0x0A]
        return out + body
    }

    /// A small SDP offer used as a body (LF-only lines on purpose: bodies are opaque).
    static let sdp = Array("v=0\no=kamau 4711 4712 IN IP4 198.51.100.7\ns=-\nc=IN IP4 198.51.100.7\nt=0 0\nm=audio 40000 RTP/AVP 0 8\na=rtpmap:8 PCMA/8000\n".utf8)

    // MARK: - §3.1.1 valid messages

    /// §3.1.1.1 A short tortuous INVITE: folding everywhere, escapes in a quoted display name,
    /// compact and odd-case names, LWS around ':' '/' ';' '=', leading zeros, an empty header.
    static let tortuousInvite = message([
        "INVITE sip:wanjiru@pbx-core.example.com;oddparam SIP/2.0",
        "TO :",
        " sip:wanjiru@pbx-core.example.com ;   tag    = 7731x",
        #"from   : "Otieno \\\""       <sip:otieno@example.org>"#,
        "  ;",
        "  tag = 55qq1",
        "MaX-fOrWaRdS: 0042",
        "Call-ID: tortuous.aa81@198.51.100.2",
        "Content-Length   : {len}",
        "cseq: 0012",
        "  INVITE",
        "Via  : SIP  /   2.0",
        " /UDP",
        "    198.51.100.2;branch=z9hG4bKtort1",
        "s :",
        "SomeNewHeader:   a new value",
        "  that continues here",
        "OddHeaderWithStrangeValue: ;;,,;;,;",
        "Content-Type: application/sdp",
        "Route:",
        "  <sip:edge.example.com;lr;mystery=value;mystery-flag>",
        "v:  SIP  / 2.0  / TCP     relay.example.net   ;",
        "  branch  =   z9hG4bKrel9  ,",
        " SIP  /    2.0   / UDP  203.0.113.250   ; branch=",
        " z9hG4bKlast3",
        #"m:"A \"quoted\" name" <sip:otieno@example.org> ; freshparam ="#,
        "\tfreshvalue ;",
        " otherparam ; q = 0.25",
    ], body: sdp)

    /// §3.1.1.2 Wide range of valid characters: every token character in the method, user
    /// characters (`?` `;` `/` `,`) in the URI user part, odd password characters, escaped
    /// BEL/NUL/DEL in a quoted string, UTF-8 in a quoted parameter and an extension header.
    static let wideRangeOfCharacters: [UInt8] = {
        let method = "~odd.Method-0987654321_*+`'%!"
        let user = "7_strange.User~(is-it!ok)&can't+be$/real?,/;;*"
        let password = "&pass+word=2,odd!*$~_.(x)'"
        var head = Array("\(method) sip:\(user):\(password)@example.com SIP/2.0\r\n".utf8)
        head += Array("Via: SIP/2.0/UDP odd.example.com;branch=z9hG4bK-.!%42*_+`'~\r\n".utf8)
        // Quoted display name with escaped control octets (RFC 3261 §25.1 quoted-pair).
        head += Array(#"To: "BEL:\"#.utf8) + [0x07] + Array(#" NUL:\"#.utf8) + [0x00]
            + Array(#" DEL:\"#.utf8) + [0x7F] + Array("\" <sip:\(user)@example.com>\r\n".utf8)
        head += Array("From: tok1~` tok2'+_ tok3*%!.- <sip:plain@example.com>;fancy''~+*_!.-%=\"Habari ya dunia \u{2013} \u{4F60}\u{597D}\";tag=_tag~1'+`*%!-.\r\n".utf8)
        head += Array("Call-ID: widerange.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{\r\n".utf8)
        head += Array("CSeq: 271828 \(method)\r\n".utf8)
        head += Array("Max-Forwards: 255\r\n".utf8)
        head += Array("extensionHeader-!.%*+_`'~:".utf8) + [0xEF, 0xBB, 0xBF] + Array("\u{5927}\u{5C71}\u{96F2}\r\n".utf8)
        head += Array("Content-Length: 0\r\n\r\n".utf8)
        return head
    }()

    /// §3.1.1.3 Valid use of % escaping: escaped ':' and '@' in the user part, escaped plain
    /// letters, escaped spaces, escapes in URI parameter names and values.
    static let validEscapes = message([
        "INVITE sip:sips%3Ajane%40example.org@example.net SIP/2.0",
        "To: sip:%6Aane@example.com",
        "From: <sip:I%20have%20spaces@example.net>;tag=e5c1",
        "Max-Forwards: 70",
        "Call-ID: escapes.q81n@198.51.100.3",
        "CSeq: 3 INVITE",
        "Via: SIP/2.0/UDP host3.example.net;branch=z9hG4bKesc1",
        "Contact: <sip:cal%6Cer@host3.example.net;%6C%72;n%61me=v%61lue%25%34%31>",
        "Content-Type: application/sdp",
        "Content-Length: {len}",
    ], body: sdp)

    /// §3.1.1.4 Escaped nulls in URIs, and a compact name with no space after ':'.
    static let escapedNulls = message([
        "REGISTER sip:example.com SIP/2.0",
        "To: sip:zero-%00-zero@example.com",
        "From: sip:zero-%00-zero@example.com;tag=n0n0",
        "Max-Forwards: 70",
        "Call-ID: escnull.77ab@198.51.100.4",
        "CSeq: 9 REGISTER",
        "Via: SIP/2.0/UDP host4.example.com;branch=z9hG4bKnull",
        "Contact: <sip:%00@host4.example.com>",
        "Contact: <sip:%00%00@host4.example.com>",
        "L:0",
    ])

    /// §3.1.1.5 `%` that is not an escape: an unknown method `RE%47IST%45R` (not REGISTER),
    /// `"%Z%45"` display names, an unknown header `C%6Fntact`, `%qz` inside a branch token.
    static let percentNotEscape = message([
        "RE%47IST%45R sip:registrar.example.com SIP/2.0",
        #"To: "%Z%45" <sip:someone@example.com>"#,
        #"From: "%Z%45" <sip:someone@example.com>;tag=pc1"#,
        "Call-ID: pctnotesc.02@198.51.100.5",
        "Via: SIP/2.0/TCP host5.example.com;branch=z9hG4bK77%qz11",
        "CSeq: 41 RE%47IST%45R",
        "Max-Forwards: 70",
        "Contact: <sip:alias-a@host-a.example.com>",
        "C%6Fntact: <sip:alias-b@host-b.example.com>",
        "Contact: <sip:alias-c@host-c.example.com>",
        "l: 0",
    ])

    /// §3.1.1.6 No LWS between the display name and `<`.
    static let noSpaceBeforeAngle = message([
        "OPTIONS sip:user@example.com SIP/2.0",
        "To: sip:user@example.com",
        "From: caller<sip:caller@example.com>;tag=ns1",
        "Max-Forwards: 70",
        "Call-ID: nolws.9@198.51.100.6",
        "CSeq: 2 OPTIONS",
        "Via: SIP/2.0/UDP host6.example.com;branch=z9hG4bKnolws",
        "Content-Length: 0",
    ])

    /// §3.1.1.7 Long values: long display name, parameter names/values, user, tag, Call-ID,
    /// an unknown header with long name and value, and 36 Via fields in three spellings.
    static let longValues: [UInt8] = {
        let r = { (s: String, n: Int) in String(repeating: s, count: n) }
        var lines = [
            "INVITE sip:user@example.com SIP/2.0",
            "To: \"A name of \(r("enormous ", 12))size\" <sip:user@example.com:6000;mystery=very\(r("long", 25))value;long\(r("name", 30))=short;very\(r("long", 30))FlagParam>",
            "From: sip:\(r("remarkablylongusername", 6))@example.net;tag=12\(r("987", 60))4;odd\(r("long", 20))name=odd\(r("long", 20))value;flag\(r("name", 12))",
            "Call-ID: longvalues.\(r("really", 30))long@198.51.100.7",
            "CSeq: 31415 INVITE",
            "Unknown-\(r("Long", 25))-Name: unknown-\(r("long", 25))-value; unknown-\(r("long", 25))-param = unknown-\(r("long", 25))-pval",
        ]
        for i in stride(from: 36, to: 0, by: -1) {
            let name = ["Via", "v", "V"][i % 3]
            lines.append("\(name): SIP/2.0/TCP relay\(i).example.com;branch=z9hG4bKlong\(i)")
        }
        lines += [
            "Max-Forwards: 60",
            "Contact: <sip:\(r("remarkablylongusername", 6))@host7.example.net>",
            "Content-Type: application/sdp",
            "Content-Length: {len}",
        ]
        return message(lines, body: sdp)
    }()

    /// §3.1.1.8 Extra trailing octets in a UDP datagram: a whole second request follows a
    /// message whose Content-Length is 0; it must be ignored.
    static let trailingOctets = message([
        "REGISTER sip:example.com SIP/2.0",
        "To: sip:user@example.com",
        "From: sip:user@example.com;tag=dbl1",
        "Max-Forwards: 70",
        "Call-ID: trailing.1@198.51.100.8",
        "CSeq: 2 REGISTER",
        "Via: SIP/2.0/UDP host8.example.com;branch=z9hG4bKdbl",
        "Contact: <sip:user@host8.example.com>",
        "L: 0",
    ], body: message([
        "INVITE sip:user@example.com SIP/2.0",
        "To: sip:user@example.com",
        "From: sip:other@example.com;tag=dbl2",
        "Call-ID: trailing.2@198.51.100.8",
        "CSeq: 1 INVITE",
        "Via: SIP/2.0/UDP host8.example.com;branch=z9hG4bKdbl2",
        "Content-Length: 0",
    ]))

    /// §3.1.1.9 Semicolon-separated parameters in the URI user part.
    static let semicolonUser = message([
        "OPTIONS sip:user;par=u%40example.net@example.com SIP/2.0",
        "To: sip:j_user@example.com",
        "From: sip:caller@example.org;tag=semi1",
        "Max-Forwards: 70",
        "Call-ID: semiuri.42@198.51.100.9",
        "CSeq: 8 OPTIONS",
        "Via: SIP/2.0/UDP host9.example.com;branch=z9hG4bKsemi",
        "Content-Length: 0",
    ])

    /// §3.1.1.10 Varied and unknown transport types in Via.
    static let variedTransports = message([
        "OPTIONS sip:user@example.com SIP/2.0",
        "To: sip:user@example.com",
        "From: <sip:caller@example.com>;tag=tr1",
        "Max-Forwards: 70",
        "Call-ID: transports.zz9@198.51.100.10",
        "CSeq: 60 OPTIONS",
        "Via: SIP/2.0/UDP t1.example.com;branch=z9hG4bKtr1",
        "Via: SIP/2.0/SCTP t2.example.com;branch=z9hG4bKtr2",
        "Via: SIP/2.0/TLS t3.example.com;branch=z9hG4bKtr3",
        "Via: SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKtr4",
        "Via: SIP/2.0/TLS-SCTP t5.example.com;branch=z9hG4bKtr5",
        "Via: SIP/2.0/ws t6.example.com;branch=z9hG4bKtr6",
        "Content-Length: 0",
    ])

    /// The multipart body of §3.1.1.11: text part plus a binary part holding every octet value
    /// (NUL, bare CR, bare LF, CRLF CRLF and 0x80-0xFF), which must come through untouched.
    static let multipartBody: [UInt8] = {
        var b = Array("--sautiboundary42\r\nContent-Type: text/plain\r\n\r\nMambo!\r\n--sautiboundary42\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n".utf8)
        b += (0...255).map { UInt8($0) }
        b += [0x0D, 0x0A, 0x0D, 0x0A, 0x0A, 0x0D, 0x00]
        b += Array("\r\n--sautiboundary42--\r\n".utf8)
        return b
    }()

    /// §3.1.1.11 Multipart MIME message with a binary part.
    static let multipartMessage = message([
        "MESSAGE sip:amina@example.org SIP/2.0",
        "Via: SIP/2.0/UDP 198.51.100.11;branch=z9hG4bKmime",
        "To: <sip:amina@example.org>",
        "From: <sip:baraka@example.com>;tag=mp1",
        "Call-ID: multipart.7@198.51.100.11",
        "CSeq: 1 MESSAGE",
        "Max-Forwards: 70",
        #"Content-Type: multipart/mixed;boundary="sautiboundary42""#,
        "Content-Length: {len}",
    ], body: multipartBody)

    /// §3.1.1.12 Unusual reason phrase: UTF-8 and reserved characters.
    static let unusualReason = message([
        "SIP/2.0 200 = 2**3 * 5**2 \u{0441}\u{0442}\u{043E} \u{0434}\u{0435}\u{0432}\u{044F}\u{043D}\u{043E}\u{0441}\u{0442}\u{043E} \u{043E}\u{0434}\u{0438}\u{043D} - \u{4E00}\u{767E}",
        "Via: SIP/2.0/UDP 198.51.100.12;branch=z9hG4bKunr",
        "Call-ID: unreason.1@198.51.100.12",
        "CSeq: 35 INVITE",
        "From: sip:user@example.com;tag=ur1",
        "To: <sip:user@example.com>;tag=ur2",
        "Contact: <sip:user@host12.example.com>",
        "Content-Type: application/sdp",
        "Content-Length: {len}",
    ], body: sdp)

    /// §3.1.1.13 Empty reason phrase (the SP after the code is still there).
    static let emptyReason = message([
        "SIP/2.0 100 ",
        "Via: SIP/2.0/UDP 198.51.100.13;branch=z9hG4bKnor",
        "Call-ID: noreason.1@198.51.100.13",
        "CSeq: 35 INVITE",
        "From: <sip:user@example.com>;tag=nr1",
        "To: <sip:user@example.com>",
        "Content-Length: 0",
    ])

    // MARK: - §3.1.2 invalid messages

    /// §3.1.2.1 Extraneous header field separators: empty Via elements and empty parameters.
    static let extraneousSeparators = message([
        "INVITE sip:user@example.com SIP/2.0",
        "To: sip:j.user@example.com",
        "From: sip:caller@example.net;tag=xs1",
        "Max-Forwards: 7",
        "Call-ID: badsep.1@198.51.100.20",
        "CSeq: 8 INVITE",
        "Via: SIP/2.0/UDP 198.51.100.20;;,;,,",
        #"Contact: "Juma" <sip:juma@example.org>;;;;"#,
        "Content-Type: application/sdp",
        "Content-Length: {len}",
    ], body: sdp)

    /// §3.1.2.2 Content-Length larger than the message.
    static let contentLengthTooLarge = message([
        "INVITE sip:user@example.com SIP/2.0",
        "Max-Forwards: 80",
        "To: sip:j.user@example.com",
        "From: sip:caller@example.net;tag=cl1",
        "Call-ID: clerr.1@198.51.100.21",
        "CSeq: 8 INVITE",
        "Via: SIP/2.0/UDP host21.example.com;branch=z9hG4bKclerr",
        "Content-Type: application/sdp",
        "Content-Length: 9999",
    ], body: sdp)

    /// §3.1.2.3 Negative Content-Length.
    static let negativeContentLength = message([
        "INVITE sip:user@example.com SIP/2.0",
        "Max-Forwards: 254",
        "To: sip:j.user@example.com",
        "From: sip:caller@example.net;tag=ncl1",
        "Call-ID: ncl.1@198.51.100.22",
        "CSeq: 0 INVITE",
        "Via: SIP/2.0/UDP 198.51.100.22;branch=z9hG4bKncl",
        "Content-Type: application/sdp",
        "Content-Length: -999",
    ], body: sdp)

    /// §3.1.2.4 Request scalar fields with overlarge values (CSeq > 2**32, Max-Forwards > 255,
    /// huge Expires and expires parameter).
    static let overlargeRequestScalars = message([
        "REGISTER sip:example.com SIP/2.0",
        "Via: SIP/2.0/TCP host23.example.com;branch=z9hG4bKscal",
        "To: <sip:user@example.com>",
        "From: <sip:user@example.com>;tag=sc1",
        "CSeq: 73786976294838206464 REGISTER",
        "Call-ID: scalar.1@198.51.100.23",
        "Max-Forwards: 300",
        "Expires: 1" + String(repeating: "0", count: 90),
        "Contact: <sip:user@host23.example.com>;expires=560595193265630",
        "Content-Length: 0",
    ])

    /// §3.1.2.5 Response scalar fields with overlarge values (CSeq, Retry-After, Warning code).
    static let overlargeResponseScalars = message([
        "SIP/2.0 503 Service Unavailable",
        "Via: SIP/2.0/TCP host24.example.com;branch=z9hG4bKscalr;received=198.51.100.24",
        "To: <sip:user@example.com>;tag=sr2",
        "From: <sip:other@example.net>;tag=sr1",
        "CSeq: 18446744073709551617 OPTIONS",
        "Call-ID: scalarlg.1@198.51.100.24",
        "Retry-After: 838299284758203948573049281",
        #"Warning: 2718 overture "In Progress""#,
        "Content-Length: 0",
    ])

    /// §3.1.2.6 Unterminated quoted string in a display name.
    static let unterminatedQuote = message([
        "INVITE sip:user@example.com SIP/2.0",
        #"To: "Mr. J. User <sip:j.user@example.com>"#,
        "From: sip:caller@example.net;tag=uq1",
        "Max-Forwards: 10",
        "Call-ID: quotbal.1@198.51.100.25",
        "CSeq: 8 INVITE",
        "Via: SIP/2.0/UDP 198.51.100.25:5050;branch=z9hG4bKquot",
        "Content-Type: application/sdp",
        "Content-Length: {len}",
    ], body: sdp)

    /// §3.1.2.7 `<>` enclosing the Request-URI.
    static let angleBracketRequestURI = message([
        "INVITE <sip:user@example.com> SIP/2.0",
        "To: sip:user@example.com",
        "From: sip:caller@example.net;tag=lt1",
        "Max-Forwards: 23",
        "Call-ID: ltgt.1@198.51.100.26",
        "CSeq: 1 INVITE",
        "Via: SIP/2.0/UDP 198.51.100.26",
        "Content-Length: 0",
    ])

    /// §3.1.2.8 Malformed Request-URI: embedded LWS before a parameter.
    static let lwsInRequestURI = message([
        "INVITE sip:user@example.com; lr SIP/2.0",
        "To: sip:user@example.com;tag=lw2",
        "From: sip:caller@example.net;tag=lw1",
        "Max-Forwards: 5",
        "Call-ID: lwsruri.1@198.51.100.27",
        "CSeq: 2130706432 INVITE",
        "Via: SIP/2.0/UDP 198.51.100.27:5060;branch=z9hG4bKlwsr",
        "Content-Length: 0",
    ])

    /// §3.1.2.9 Multiple SP separating Request-Line elements.
    static let multipleSPRequestLine = message([
        "INVITE  sip:user@example.com  SIP/2.0",
        "Max-Forwards: 8",
        "To: sip:user@example.com",
        "From: sip:caller@example.net;tag=ms1",
        "Call-ID: lwsstart.1@198.51.100.28",
        "CSeq: 1893 INVITE",
        "Via: SIP/2.0/UDP host28.example.com;branch=z9hG4bKmsp",
        "Content-Length: 0",
    ])

    /// §3.1.2.10 SP characters at the end of the Request-Line.
    static let trailingSPRequestLine = message([
        "OPTIONS sip:remote@example.com SIP/2.0  ",
        "Via: SIP/2.0/TCP host29.example.com;branch=z9hG4bKtrws",
        "To: <sip:remote@example.com>",
        "From: <sip:local@example.com>;tag=tw1",
        "Call-ID: trws.1@198.51.100.29",
        "CSeq: 238 OPTIONS",
        "Max-Forwards: 70",
        "Content-Length: 0",
    ])

    /// §3.1.2.11 Escaped headers in the SIP Request-URI.
    static let escapedHeadersInRequestURI = message([
        "INVITE sip:user@example.com?Route=%3Csip:example.com%3E SIP/2.0",
        "To: sip:user@example.com",
        "From: sip:caller@example.net;tag=eh1",
        "Max-Forwards: 7",
        "Call-ID: escruri.1@198.51.100.30",
        "CSeq: 149 INVITE",
        "Via: SIP/2.0/UDP host30.example.com;branch=z9hG4bKescr",
        "Content-Length: 0",
    ])

    /// §3.1.2.12 Invalid time zone in Date (not GMT); may be accepted.
    static let invalidTimeZoneDate = message([
        "INVITE sip:user@example.com SIP/2.0",
        "To: sip:user@example.com",
        "From: sip:caller@example.net;tag=dt1",
        "Max-Forwards: 70",
        "Call-ID: baddate.1@198.51.100.31",
        "CSeq: 1392 INVITE",
        "Via: SIP/2.0/UDP host31.example.com;branch=z9hG4bKdate",
        "Date: Sat, 13 Nov 2010 23:29:00 EAT",
        "Content-Length: 0",
    ])

    /// §3.1.2.13 Failure to enclose a name-addr URI carrying `?` in `<>`.
    static let unenclosedContactURI = message([
        "REGISTER sip:example.com SIP/2.0",
        "To: sip:user@example.com",
        "From: sip:user@example.com;tag=ue1",
        "Max-Forwards: 70",
        "Call-ID: regbadct.1@198.51.100.32",
        "CSeq: 1 REGISTER",
        "Via: SIP/2.0/UDP 198.51.100.32:5060;branch=z9hG4bKrbct",
        "Contact: sip:user@example.com?Route=%3Csip:edge.example.com%3E",
        "l: 0",
    ])

    /// §3.1.2.14 Spaces within an addr-spec inside `<>`.
    static let spacesInAddrSpec = message([
        "OPTIONS sip:user@example.org SIP/2.0",
        "Via: SIP/2.0/UDP host33.example.com:5060;branch=z9hG4bKasp",
        "Max-Forwards: 70",
        #"From: "Njoroge, Peter" <sip:p.njoroge@example.com>;tag=as1"#,
        #"To: "Achieng, Mary" < sip:m.achieng@example.org >"#,
        "Call-ID: badaspec.1@198.51.100.33",
        "CSeq: 3923 OPTIONS",
        "l: 0",
    ])

    /// §3.1.2.15 Non-token characters (`,`) in an unquoted display name.
    static let nonTokenDisplayName = message([
        "OPTIONS sip:m.achieng@example.org SIP/2.0",
        "Via:     SIP/2.0/UDP c.example.com:5060;branch=z9hG4bKbdn",
        "Max-Forwards:      70",
        "From:    Njoroge, Peter <sip:p.njoroge@example.com>;tag=dn1",
        "To:      Achieng, Mary <sip:m.achieng@example.org>",
        "Call-ID: baddn.1@c.example.com",
        "CSeq:    3923 OPTIONS",
        "l: 0",
    ])

    /// §3.1.2.16 Unknown protocol version (SIP/7.0 in the Request-Line and the Via).
    static let unknownProtocolVersion = message([
        "OPTIONS sip:m.achieng@example.org SIP/7.0",
        "Via:     SIP/7.0/UDP c.example.com;branch=z9hG4bKbver",
        "Max-Forwards:     70",
        "From:    P. Njoroge <sip:p.njoroge@example.com>;tag=bv1",
        "To:      M. Achieng <sip:m.achieng@example.org>",
        "Call-ID: badvers.1@c.example.com",
        "CSeq:    1 OPTIONS",
        "l: 0",
    ])

    /// §3.1.2.17 Start line and CSeq method mismatch.
    static let cseqMethodMismatch = message([
        "OPTIONS sip:user@example.com SIP/2.0",
        "To: sip:j.user@example.com",
        "From: sip:caller@example.net;tag=mm1",
        "Max-Forwards: 6",
        "Call-ID: mismatch01.1@198.51.100.34",
        "CSeq: 8 INVITE",
        "Via: SIP/2.0/UDP host34.example.com;branch=z9hG4bKmm1",
        "l: 0",
    ])

    /// §3.1.2.18 Unknown method with CSeq method mismatch.
    static let unknownMethodMismatch = message([
        "NEWMETHOD sip:user@example.com SIP/2.0",
        "To: sip:j.user@example.com",
        "From: sip:caller@example.net;tag=mm2",
        "Max-Forwards: 6",
        "Call-ID: mismatch02.1@198.51.100.35",
        "CSeq: 8 INVITE",
        "Via: SIP/2.0/UDP host35.example.net;branch=z9hG4bKmm2",
        "Content-Type: application/sdp",
        "l: {len}",
    ], body: sdp)

    /// §3.1.2.19 Overlarge response code.
    static let overlargeResponseCode = message([
        "SIP/2.0 4294967302 this should not break anything",
        "Via: SIP/2.0/UDP 198.51.100.36;branch=z9hG4bKbig",
        "Call-ID: bigcode.1@198.51.100.36",
        "CSeq: 3534 INVITE",
        "From: <sip:user@example.com>;tag=bc1",
        "To: <sip:user@example.edu>;tag=bc2",
        "Content-Length: 0",
    ])
}
