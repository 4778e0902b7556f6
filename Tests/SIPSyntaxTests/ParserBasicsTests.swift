import Testing
@testable import SIPSyntax

@Suite struct ParserBasicsTests {
    let invite = """
    INVITE sip:+254700000001@127.0.0.1:5060 SIP/2.0\r
    Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-1-0;rport\r
    From: "Alice" <sip:alice@127.0.0.1:5061>;tag=abc\r
    To: <sip:+254700000001@127.0.0.1:5060>\r
    Call-ID: 1-123@127.0.0.1\r
    CSeq: 1 INVITE\r
    Contact: <sip:alice@127.0.0.1:5061>\r
    Max-Forwards: 70\r
    Content-Type: application/sdp\r
    Content-Length: 4\r
    \r
    v=0\n
    """

    @Test func parsesInvite() throws {
        let msg = try SIPParser().parse(invite).get()
        guard case .request(let r) = msg else { Issue.record("not a request"); return }
        #expect(r.method == .invite)
        #expect(r.uri.user == "+254700000001")
        #expect(r.uri.port == 5060)
        #expect(r.callID == "1-123@127.0.0.1")
        #expect(r.cseq == CSeq(1, .invite))
        #expect(r.from?.tag == "abc")
        #expect(r.from?.displayName == "Alice")
        #expect(r.to?.tag == nil)
        #expect(r.topVia?.branch == "z9hG4bK-1-0")
        #expect(r.topVia?.wantsRport == true)
        #expect(r.body == Array("v=0\n".utf8))
        #expect(RequestValidator.validate(r, supportedExtensions: []) == nil)
    }

    @Test func roundTrips() throws {
        let msg = try SIPParser().parse(invite).get()
        let again = try SIPParser().parse(SIPSerializer.serialize(msg)).get()
        #expect(again == msg)
    }

    @Test func compactFormsExpand() throws {
        let text = "OPTIONS sip:a@b SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bKx\r\nf: <sip:x@y>;tag=1\r\nt: sip:a@b\r\ni: cid\r\nCSeq: 2 OPTIONS\r\nl: 0\r\n\r\n"
        guard case .request(let r) = try SIPParser().parse(text).get() else { Issue.record("no request"); return }
        #expect(r.headers["Call-ID"] == "cid")
        #expect(r.headers.fields.map(\.name) == ["Via", "From", "To", "Call-ID", "CSeq", "Content-Length"])
        #expect(r.to?.uri.host == "b")
    }

    @Test func responseBuiltFromRequestAddsTag() throws {
        guard case .request(let r) = try SIPParser().parse(invite).get() else { return }
        let resp = SIPResponse(to: r, statusCode: 180, toTag: "srv1")
        #expect(resp.to?.tag == "srv1")
        #expect(resp.topVia?.branch == "z9hG4bK-1-0")
        let trying = SIPResponse(to: r, statusCode: 100, toTag: "srv1")
        #expect(trying.to?.tag == nil)
    }
}
