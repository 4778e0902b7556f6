/// RFC 4475 §3.2 (transaction layer), §3.3 (application layer) and §3.4 (backward
/// compatibility) messages, plus a few extra ranges. Split from TortureMessages.swift to keep
/// files under the house size limit.
extension TortureMessages {
    // MARK: - §3.2 transaction layer

    /// §3.2.1 Missing transaction identifier: the branch is the magic cookie alone.
    static let missingBranchID = message([
        "OPTIONS sip:user@example.com SIP/2.0",
        "To: sip:user@example.com",
        "From: sip:caller@example.org;tag=mb1",
        "Max-Forwards: 3",
        "Via: SIP/2.0/UDP 198.51.100.40;branch=z9hG4bK",
        "Accept: application/sdp",
        "Call-ID: badbranch.1@198.51.100.40",
        "CSeq: 8 OPTIONS",
        "l: 0",
    ])

    // MARK: - §3.3 application layer

    /// §3.3.1 Missing required header fields (no Call-ID, From, To, Max-Forwards).
    static let missingRequiredHeaders = message([
        "INVITE sip:user@example.com SIP/2.0",
        "CSeq: 19394 INVITE",
        "Via: SIP/2.0/UDP 198.51.100.41;branch=z9hG4bKinsuf",
        "Content-Type: application/sdp",
        "l: {len}",
    ], body: sdp)

    /// A Require header that is present but lists no option tags.
    static let emptyRequire = message([
        "OPTIONS sip:user@example.com SIP/2.0",
        "To: sip:user@example.com",
        "From: sip:caller@example.org;tag=er1",
        "Max-Forwards: 70",
        "Require:",
        "Call-ID: emptyreq.1@198.51.100.42",
        "CSeq: 4 OPTIONS",
        "Via: SIP/2.0/UDP 198.51.100.42;branch=z9hG4bKereq",
        "Content-Length: 0",
    ])

    /// §3.3.2 Request-URI with an unknown scheme.
    static let unknownRequestURIScheme = message([
        "OPTIONS totallyUnknownScheme:opaque-stuff-here SIP/2.0",
        "To: sip:user@example.com",
        "From: sip:caller@example.net;tag=us1",
        "Max-Forwards: 7",
        "Call-ID: unkscm.1@198.51.100.43",
        "CSeq: 3923 OPTIONS",
        "Via: SIP/2.0/UDP 198.51.100.43;branch=z9hG4bKunks",
        "l: 0",
    ])

    /// §3.3.3 Request-URI with a known but atypical scheme.
    static let novelRequestURIScheme = message([
        "OPTIONS soap.beep://198.51.100.44:3002 SIP/2.0",
        "To: sip:user@example.com",
        "From: sip:caller@example.net;tag=ns1",
        "Max-Forwards: 7",
        "Call-ID: novelsc.1@198.51.100.44",
        "CSeq: 3923 OPTIONS",
        "Via: SIP/2.0/UDP 198.51.100.44;branch=z9hG4bKnovl",
        "l: 0",
    ])

    /// §3.3.4 Unknown URI schemes in header fields (To, From, Contact).
    static let unknownSchemesInHeaders = message([
        "REGISTER sip:example.com SIP/2.0",
        "To: isbn:9780262510875",
        "From: <http://www.example.com>;tag=uh1",
        "Max-Forwards: 70",
        "Call-ID: unksm2.1@198.51.100.45",
        "CSeq: 3 REGISTER",
        "Via: SIP/2.0/UDP 198.51.100.45;branch=z9hG4bKunk2",
        "Contact: <name:Wanjiku_Kamau>",
        "l: 0",
    ])

    /// §3.3.5 Unknown option tags in Require and Proxy-Require.
    static let unknownRequire = message([
        "OPTIONS sip:user@example.com SIP/2.0",
        "To: sip:j_user@example.com",
        "From: sip:caller@example.net;tag=ur1",
        "Max-Forwards: 6",
        "Call-ID: bext01.1@198.51.100.46",
        "Require: noOneSupportsThis, timer, norThisOne",
        "Proxy-Require: noProxySupportsThis",
        "CSeq: 8 OPTIONS",
        "Via: SIP/2.0/TLS edge.example.com;branch=z9hG4bKbext",
        "Content-Length: 0",
    ])

    /// §3.3.6 Unknown Content-Type (answered 415 by the application, not the validator).
    static let unknownContentType = message([
        "INVITE sip:user@example.com SIP/2.0",
        "Contact: <sip:caller@host47.example.net>",
        "To: sip:j.user@example.com",
        "From: sip:caller@example.net;tag=ct1",
        "Max-Forwards: 7",
        "Call-ID: invut.1@198.51.100.47",
        "CSeq: 9 INVITE",
        "Via: SIP/2.0/UDP 198.51.100.47;branch=z9hG4bKinvu",
        "Content-Type: application/unknownformat",
        "Content-Length: {len}",
    ], body: [0x3C, 0x00, 0xFF, 0x3E] + Array("<some-weird-format/>\r\n".utf8))

    /// §3.3.7 Unknown authorization scheme (answered by the auth layer).
    static let unknownAuthScheme = message([
        "REGISTER sip:example.com SIP/2.0",
        "To: sip:j.user@example.com",
        "From: sip:j.user@example.com;tag=au1",
        "Max-Forwards: 70",
        "Call-ID: regaut01.1@198.51.100.48",
        "CSeq: 2 REGISTER",
        "Contact: <sip:j.user@host48.example.com>",
        "Authorization: NoOneKnowsThisScheme opaque-data=here, more=\"a, b\"",
        "Via: SIP/2.0/UDP 198.51.100.48;branch=z9hG4bKraut",
        "l: 0",
    ])

    /// §3.3.8 Multiple values in single-value header fields.
    static let multipleSingleValues = message([
        "INVITE sip:user@example.com SIP/2.0",
        "Contact: <sip:caller@host49.example.net>",
        "Via: SIP/2.0/UDP 198.51.100.49;branch=z9hG4bKmul",
        "Max-Forwards: 70",
        "CSeq: 5 INVITE",
        "Call-ID: multi01.1@198.51.100.49",
        "CSeq: 59 INVITE",
        "Call-ID: multi01.2@198.51.100.49",
        "From: sip:caller@example.com;tag=ml1",
        "To: sip:user@example.com",
        "To: sip:other@example.net",
        "From: sip:caller@example.net;tag=ml2",
        "Content-Length: 0",
        "Max-Forwards: 5",
    ])

    /// §3.3.9 Multiple, conflicting Content-Length values.
    static let multipleContentLengths = message([
        "OPTIONS sip:user@example.com SIP/2.0",
        "Via: SIP/2.0/UDP host50.example.net;branch=z9hG4bKmcl",
        "To: sip:user@example.com",
        "From: sip:caller@example.net;tag=mc1",
        "Call-ID: mcl01.1@198.51.100.50",
        "Max-Forwards: 70",
        "CSeq: 1 OPTIONS",
        "Content-Length: 0",
        "Content-Length: 12",
        "l: 25",
    ], body: Array("123456789012345678901234567890".utf8))

    /// §3.3.10 200 OK whose second Via is a broadcast address (well formed; the transaction
    /// layer only looks at the top Via).
    static let brokenViaResponse = message([
        "SIP/2.0 200 OK",
        "Via: SIP/2.0/UDP 198.51.100.51;branch=z9hG4bKbc1",
        "Via: SIP/2.0/UDP 255.255.255.255;branch=z9hG4bKbc2",
        "Call-ID: bcast.1@198.51.100.51",
        "CSeq: 35 INVITE",
        "From: sip:user@example.com;tag=bc1",
        "To: sip:user@example.edu;tag=bc2",
        "Content-Type: application/sdp",
        "Contact: <sip:user@host51.example.com>",
        "Content-Length: {len}",
    ], body: sdp)

    /// §3.3.11 Max-Forwards of zero (a UAS answers it normally; a proxy would send 483).
    static let zeroMaxForwards = message([
        "OPTIONS sip:user@example.com SIP/2.0",
        "To: sip:user@example.com",
        "From: sip:caller@example.net;tag=zm1",
        "Max-Forwards: 0",
        "Call-ID: zeromf.1@198.51.100.52",
        "CSeq: 39 OPTIONS",
        "Via: SIP/2.0/UDP host52.example.com;branch=z9hG4bKzmf",
        "Content-Length: 0",
    ])

    /// REGISTER removing every binding with `Contact: *` and `Expires: 0` (RFC 3261 §10.2.2).
    static let registerContactStar = message([
        "REGISTER sip:example.com SIP/2.0",
        "Via: SIP/2.0/UDP host53.example.com:5060;branch=z9hG4bKstar",
        "Max-Forwards: 70",
        "From: <sip:watoto@example.com>;tag=st1",
        "To: <sip:watoto@example.com>",
        "Call-ID: star.1@198.51.100.53",
        "CSeq: 7 REGISTER",
        "Contact: *",
        "Expires: 0",
        "Content-Length: 0",
    ])

    /// §3.3.12 REGISTER with a Contact header parameter (addr-spec form).
    static let registerContactParam = message([
        "REGISTER sip:example.com SIP/2.0",
        "Via: SIP/2.0/UDP saturn.example.com:5060;branch=z9hG4bKcp1",
        "Max-Forwards: 70",
        "From: sip:watson@example.com;tag=cp1",
        "To: sip:watson@example.com",
        "Call-ID: cparam01.1@saturn.example.com",
        "CSeq: 2 REGISTER",
        "Contact: sip:+254722000111@gw1.example.net;unknownparam",
        "l: 0",
    ])

    /// §3.3.13 REGISTER with a URI parameter inside `<>`.
    static let registerContactURIParam = message([
        "REGISTER sip:example.com SIP/2.0",
        "Via: SIP/2.0/UDP saturn.example.com:5060;branch=z9hG4bKcp2",
        "Max-Forwards: 70",
        "From: sip:watson@example.com;tag=cp2",
        "To: sip:watson@example.com",
        "Call-ID: cparam02.1@saturn.example.com",
        "CSeq: 3 REGISTER",
        "Contact: <sip:+254722000111@gw1.example.net;unknownparam>",
        "l: 0",
    ])

    /// §3.3.14 REGISTER with an escaped header in a Contact URI inside `<>`.
    static let registerEscapedHeader = message([
        "REGISTER sip:example.com SIP/2.0",
        "To: sip:user@example.com",
        "From: sip:user@example.com;tag=re1",
        "Max-Forwards: 70",
        "Call-ID: regescrt.1@198.51.100.54",
        "CSeq: 1 REGISTER",
        "Via: SIP/2.0/UDP 198.51.100.54:5060;branch=z9hG4bKresc",
        "Contact: <sip:user@example.com?Route=%3Csip:edge.example.com%3E>",
        "l: 0",
    ])

    /// §3.3.15 Unacceptable Accept offering (answered 406/488 by the application).
    static let unacceptableAccept = message([
        "INVITE sip:user@example.com SIP/2.0",
        "To: sip:j_user@example.com",
        "Contact: <sip:caller@host55.example.net>",
        "From: sip:caller@example.net;tag=ua1",
        "Max-Forwards: 70",
        "Call-ID: sdp01.1@198.51.100.55",
        "CSeq: 3 INVITE",
        "Via: SIP/2.0/UDP host55.example.net;branch=z9hG4bKsdp",
        "Accept: text/nobodyKnowsThis",
        "Content-Type: application/sdp",
        "Content-Length: {len}",
    ], body: sdp)

    /// A SIP/7.0 request whose Via is a plain SIP/2.0 one: still 505, never 400.
    static let version7Request = message([
        "INVITE sip:user@example.com SIP/7.0",
        "Via: SIP/2.0/UDP 198.51.100.56;branch=z9hG4bKv7",
        "To: sip:user@example.com",
        "From: sip:caller@example.net;tag=v71",
        "Call-ID: version7.1@198.51.100.56",
        "CSeq: 1 INVITE",
        "Max-Forwards: 70",
        "Content-Length: 0",
    ])

    // MARK: - §3.4 backward compatibility

    /// §3.4.1 INVITE in RFC 2543 style: no branch cookie, no From tag, no Max-Forwards, no
    /// Content-Length (UDP: the body runs to the end of the datagram).
    static let rfc2543Invite: [UInt8] = {
        let head = message([
            "INVITE sip:UserB@example.com SIP/2.0",
            "Via: SIP/2.0/UDP gw57.example.com",
            "From: <sip:+254733111222@ift.example.net;user=phone>",
            "Record-Route: <sip:UserB@example.com;maddr=ss1.example.com>",
            "To: sip:+254733999888@ss1.example.net;user=phone",
            "Call-ID: inv2543.1@ift.example.com",
            "CSeq: 56 INVITE",
            "Content-Type: application/sdp",
        ])
        return head + sdp
    }()

    // MARK: - extra ranges

    /// Leading CRLF keep-alives before the start line, LF-only line ends, tab folding.
    static let bareLFAndKeepAlive: [UInt8] = Array(("\r\n\r\n" + [
        "BYE sip:user@198.51.100.58:5070;transport=udp SIP/2.0",
        "Via: SIP/2.0/UDP [2001:db8::58]:5060;branch=z9hG4bKlf;rport",
        "To: <sip:user@example.com>;tag=lf2",
        "From: <sip:caller@example.net>;tag=lf1",
        "Call-ID: barelf.1@198.51.100.58",
        "CSeq: 2",
        "\tBYE",
        "Content-Length: 0",
        "", "",
    ].joined(separator: "\n")).utf8)
}
