import Testing
@testable import MediaBenchKit

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

let answerSDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 20002 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"

func response(_ code: Int, _ reason: String, cseq: String, toTag: String? = "pbx1", body: String = "") -> SIPMessageView {
    var s = "SIP/2.0 \(code) \(reason)\r\nVia: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bK-x;rport=40000\r\n"
    s += "From: <sip:mediabench@127.0.0.1:40000>;tag=mbt7\r\n"
    s += "To: <sip:+254709999999@127.0.0.1:5060>\(toTag.map { ";tag=\($0)" } ?? "")\r\n"
    s += "Call-ID: mb-run-7@127.0.0.1\r\nCSeq: \(cseq)\r\nContact: <sip:pbx@127.0.0.1:5060;transport=udp>\r\n"
    s += "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    return try! SIPMessageView(parsing: bytes(s))
}

@Suite struct SIPMessageViewTests {
    @Test func parsesCompactFormsFoldingAndContentLength() throws {
        let raw = "SIP/2.0 200 OK\nv: SIP/2.0/UDP a;branch=z9hG4bK1\r\nv: SIP/2.0/UDP b;branch=z9hG4bK2\r\n"
            + "i: abc\r\nt: <sip:x@y>\r\n ;tag=folded\r\nl: 4\r\nCSeq:  2   BYE \r\n\r\nbodyEXTRA"
        let m = try SIPMessageView(parsing: bytes(raw))
        #expect(m.statusCode == 200)
        #expect(m.method == nil)
        #expect(m.all("via").count == 2)
        #expect(m.header("call-id") == "abc")
        #expect(m.header("to").flatMap(SIPMessageView.tag(in:)) == "folded")
        #expect(m.body == bytes("body"))
        #expect(m.cseq?.number == 2)
        #expect(m.cseq?.method == "BYE")
    }

    @Test func requestsAndTheirResponses() throws {
        let raw = "BYE sip:mediabench@127.0.0.1:40000 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKa\r\n"
            + "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKb\r\nFrom: <sip:pbx@x>;tag=p\r\nTo: <sip:mb@y>;tag=m\r\n"
            + "Call-ID: mb-r-3@127.0.0.1\r\nCSeq: 9 BYE\r\nContent-Length: 0\r\n\r\n"
        let m = try SIPMessageView(parsing: bytes(raw))
        #expect(m.method == "BYE")
        let text = String(decoding: m.response(status: 200, reason: "OK", userAgent: "t"), as: UTF8.self)
        #expect(text.hasPrefix("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKa\r\nVia: SIP/2.0/UDP 10.0.0.1;"))
        #expect(text.contains("\r\nCSeq: 9 BYE\r\n"))
        #expect(text.contains("\r\nTo: <sip:mb@y>;tag=m\r\n"))
        #expect(text.hasSuffix("Content-Length: 0\r\n\r\n"))
    }

    @Test func malformedMessagesThrowInsteadOfCrashing() {
        for raw in ["", "SIP/2.0 abc OK\r\n\r\n", "SIP/2.0 200 OK\r\nno colon here\r\n\r\n", "INVITE sip:x\r\n\r\n",
                    "SIP/2.0 200 OK\r\nTo: x\r\n", "SIP/2.0 99 Low\r\n\r\n"] {
            #expect(throws: BenchError.self) { try SIPMessageView(parsing: bytes(raw)) }
        }
    }

    @Test func tagsAndURIs() {
        #expect(SIPMessageView.tag(in: "<sip:a@b;tag=no>;tag=yes") == "yes")
        #expect(SIPMessageView.tag(in: "sip:a@b;TAG=x1") == "x1")
        #expect(SIPMessageView.tag(in: "<sip:a@b>") == nil)
        #expect(SIPMessageView.tag(in: "<sip:a@b>;tag=") == nil)
        #expect(SIPMessageView.uri(in: "\"PBX\" <sip:pbx@127.0.0.1:5060;transport=udp>;expires=3") == "sip:pbx@127.0.0.1:5060;transport=udp")
        #expect(SIPMessageView.uri(in: "sip:pbx@h;expires=3") == "sip:pbx@h")
        #expect(SIPMessageView.uri(in: "*") == nil)
    }
}

@Suite struct BenchSDPTests {
    @Test func pcmuOffer() {
        let o = BenchSDP.offer(codec: .pcmu, address: "127.0.0.1", port: 40002, sessionID: 8)
        #expect(o.contains("\r\nc=IN IP4 127.0.0.1\r\n"))
        #expect(o.contains("\r\nm=audio 40002 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"))
        #expect(o.hasSuffix("a=ptime:20\r\na=sendrecv\r\n"))
    }

    @Test func opusOffer() {
        let o = BenchSDP.offer(codec: .opus, address: "127.0.0.1", port: 40004, sessionID: 8)
        #expect(o.contains("\r\nm=audio 40004 RTP/AVP 111 101\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 useinbandfec=1\r\n"))
        #expect(o.contains("a=rtpmap:101 telephone-event/48000\r\n"))
        #expect(BenchCodec.opus.samplesPerPacket == 960)
        #expect(BenchCodec.pcmu.samplesPerPacket == 160)
    }

    @Test func answerAddressAndPort() throws {
        let m = try BenchSDP.parseAnswer(bytes(answerSDP), codec: .pcmu)
        #expect(m == RemoteMedia(address: "127.0.0.1", port: 20002, payloadType: 0))
        // A media-level c= wins over the session-level one (RFC 4566 §5.7); LF-only lines work.
        let media = "v=0\nc=IN IP4 127.0.0.9\nm=audio 30000 RTP/AVP 111\nc=IN IP4 127.0.0.2\n"
        #expect(try BenchSDP.parseAnswer(bytes(media), codec: .opus).address == "127.0.0.2")
    }

    @Test func unusableAnswersAreErrors() {
        let cases = [
            "v=0\r\nc=IN IP4 127.0.0.1\r\n",                                  // no m=
            "v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio 0 RTP/AVP 0\r\n",           // rejected stream
            "v=0\r\nm=audio 20000 RTP/AVP 0\r\n",                             // no c=
            "v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio 20000 RTP/AVP 8\r\n",       // PCMA, not what we offered
            "v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio 99999 RTP/AVP 0\r\n",       // bad port
        ]
        for c in cases {
            #expect(throws: BenchError.self) { try BenchSDP.parseAnswer(bytes(c), codec: .pcmu) }
        }
    }
}
