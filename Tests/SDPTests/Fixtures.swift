/// Real-world-shaped SDP bodies used across the tests.
enum Fixtures {
    /// Joins lines with CRLF and a final CRLF, as SIP bodies carry them.
    static func crlf(_ lines: [String]) -> String {
        lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Joins lines with bare LF.
    static func lf(_ lines: [String]) -> String {
        lines.joined(separator: "\n") + "\n"
    }

    /// SIPp 3.6.1 `uac_pcap` offer (scenario text with the keywords filled in).
    static let sippPcapLines = [
        "v=0",
        "o=user1 53655765 2353687637 IN IP4 127.0.0.1",
        "s=-",
        "c=IN IP4 127.0.0.1",
        "t=0 0",
        "m=audio 6000 RTP/AVP 8 101",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-11,16",
    ]
    static var sippPcap: String { crlf(sippPcapLines) }

    /// SIPp 3.6.1 `uac` offer: PCMU only.
    static let sippUAC = crlf([
        "v=0",
        "o=user1 53655765 2353687637 IN IP4 127.0.0.1",
        "s=-",
        "c=IN IP4 127.0.0.1",
        "t=0 0",
        "m=audio 6000 RTP/AVP 0",
        "a=rtpmap:0 PCMU/8000",
    ])

    /// A baresip-style offer: opus first, G.711, telephone-event at 8000 only, extra attributes.
    static let baresip = crlf([
        "v=0",
        "o=- 1180453843 2108478120 IN IP4 192.168.1.23",
        "s=-",
        "c=IN IP4 192.168.1.23",
        "t=0 0",
        "a=tool:baresip 1.0.0",
        "m=audio 10710 RTP/AVP 96 0 8 101",
        "b=AS:128",
        "a=rtpmap:96 opus/48000/2",
        "a=fmtp:96 stereo=1;sprop-stereo=1",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-15",
        "a=rtcp:10711",
        "a=sendrecv",
        "a=label:1",
        "a=ssrc:1719622941 cname:9e7b1a0c-3c6f-4d2b",
        "a=rtcp-rsize",
        "a=ptime:20",
    ])

    /// A WebRTC-style offer (browser shape): ICE, DTLS, BUNDLE, extmaps, RED, two te formats.
    static let webRTC = crlf([
        "v=0",
        "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE 0",
        "a=extmap-allow-mixed",
        "a=msid-semantic: WMS 7d4c1b3e",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
        "c=IN IP4 0.0.0.0",
        "a=rtcp:9 IN IP4 0.0.0.0",
        "a=ice-ufrag:Ab3x",
        "a=ice-pwd:5XEhKs2zFrQ0uNnD7l3lqYxG",
        "a=ice-options:trickle",
        "a=fingerprint:sha-256 8A:1F:2C:33:4D:5E:6F:70:81:92:A3:B4:C5:D6:E7:F8:09:1A:2B:3C:4D:5E:6F:70:81:92:A3:B4:C5:D6:E7:F8",
        "a=setup:actpass",
        "a=mid:0",
        "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
        "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
        "a=sendrecv",
        "a=msid:7d4c1b3e 0f5e8a2d",
        "a=rtcp-mux",
        "a=rtpmap:111 opus/48000/2",
        "a=rtcp-fb:111 transport-cc",
        "a=fmtp:111 minptime=10;useinbandfec=1",
        "a=rtpmap:63 red/48000/2",
        "a=fmtp:63 111/111",
        "a=rtpmap:9 G722/8000",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:13 CN/8000",
        "a=rtpmap:110 telephone-event/48000",
        "a=rtpmap:126 telephone-event/8000",
        "a=ssrc:3570614608 cname:4TOk42mSjXCkVIa6",
        "a=ssrc:3570614608 msid:7d4c1b3e 0f5e8a2d",
        "a=candidate:1 1 udp 2122260223 192.0.2.10 54400 typ host generation 0",
    ])

    /// IPv6 with every optional session line RFC 4566 defines, and a second (video) stream.
    static let ipv6Full = crlf([
        "v=0",
        "o=alice 2890844526 2890844527 IN IP6 2001:db8::1",
        "s=Call",
        "i=A call over IPv6",
        "u=http://example.com/call",
        "e=alice@example.com (Alice)",
        "p=+1 617 555-6011",
        "c=IN IP6 2001:db8::1",
        "b=CT:128",
        "t=2873397496 2873404696",
        "r=7d 1h 0 25h",
        "t=0 0",
        "z=2882844526 -1h 2898848070 0",
        "k=prompt",
        "a=recvonly",
        "m=audio 49170 RTP/AVP 0 8",
        "i=voice",
        "c=IN IP6 2001:db8::2",
        "b=AS:64",
        "k=prompt",
        "a=rtpmap:0 PCMU/8000",
        "m=video 51372/2 RTP/AVP 99",
        "a=rtpmap:99 h263-1998/90000",
    ])

    /// All round-trip fixtures, with a label for failure messages.
    static let all: [(String, String)] = [
        ("sipp uac_pcap", sippPcap), ("sipp uac", sippUAC), ("baresip", baresip),
        ("webrtc", webRTC), ("ipv6", ipv6Full),
    ]

    /// An audio offer built from an m= line and attribute lines, with c= at session level.
    static func offer(_ mLine: String, _ attributes: [String] = [], address: String = "198.51.100.7",
                      session: [String] = []) -> String {
        crlf(["v=0", "o=peer 1 1 IN IP4 \(address)", "s=-", "c=IN IP4 \(address)", "t=0 0"]
            + session + [mLine] + attributes)
    }
}
