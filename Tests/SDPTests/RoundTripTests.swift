import Testing
@testable import SDP

@Suite("SDP serializer and round trip")
struct RoundTripTests {
    @Test(arguments: Fixtures.all.map(\.0))
    func parseSerializeParseIsIdentity(label: String) throws {
        let text = try #require(Fixtures.all.first { $0.0 == label }?.1)
        let sdp = try SessionDescription.parse(text)
        let serialized = sdp.serialize()
        let again = try SessionDescription.parse(serialized)
        #expect(again == sdp)
        #expect(again.serialize() == serialized)
        // Fixtures are written in RFC order with CRLF, so serialization reproduces them exactly.
        #expect(serialized == text)
        #expect(sdp.bytes() == Array(text.utf8))
    }

    @Test func lfInputSerializesWithCRLF() throws {
        let sdp = try SessionDescription.parse(Fixtures.lf(Fixtures.sippPcapLines))
        #expect(sdp.serialize() == Fixtures.sippPcap)
        // Every LF is preceded by CR.
        let bytes = sdp.bytes()
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
            #expect(i > 0 && bytes[i - 1] == UInt8(ascii: "\r"))
        }
    }

    @Test func serializerRestoresRFCOrder() throws {
        // Lines after s= in a non-RFC order come out in RFC 4566 §5 order.
        let scrambled = Fixtures.lf([
            "v=0", "o=- 5 6 IN IP4 10.0.0.1", "s=x", "a=tool:test", "t=0 0", "b=AS:10", "c=IN IP4 10.0.0.1",
            "e=ops@example.com", "i=info",
            "m=audio 4000 RTP/AVP 0", "a=sendonly", "b=AS:64", "c=IN IP4 10.0.0.2", "i=voice",
        ])
        let sdp = try SessionDescription.parse(scrambled)
        #expect(sdp.serialize() == Fixtures.crlf([
            "v=0", "o=- 5 6 IN IP4 10.0.0.1", "s=x", "i=info", "e=ops@example.com", "c=IN IP4 10.0.0.1",
            "b=AS:10", "t=0 0", "a=tool:test",
            "m=audio 4000 RTP/AVP 0", "i=voice", "c=IN IP4 10.0.0.2", "b=AS:64", "a=sendonly",
        ]))
        #expect(try SessionDescription.parse(sdp.serialize()) == sdp)
    }

    @Test func tolerantInputRoundTrips() throws {
        let sdp = try SessionDescription.parse(Fixtures.lf([
            "v=0", "o=-  7 9  IN IP4 10.0.0.1", "s=", "m=audio  4000 RTP/AVP 0  8 ", "a=foo:", "a=bar: x ",
        ]))
        let text = sdp.serialize()
        #expect(text == Fixtures.crlf([
            "v=0", "o=- 7 9 IN IP4 10.0.0.1", "s=", "m=audio 4000 RTP/AVP 0 8", "a=foo:", "a=bar: x ",
        ]))
        #expect(try SessionDescription.parse(text) == sdp)
    }

    @Test func builtModelSerializes() throws {
        var media = MediaDescription(media: "audio", port: 4000, portCount: 2, proto: "RTP/AVP", formats: ["0"],
                                     attributes: [RTPMap(payloadType: 0, encodingName: "PCMU", clockRate: 8000).attribute])
        media.setDirection(.sendonly)
        media.setDirection(.inactive)
        let sdp = SessionDescription(origin: SDPOrigin(sessionID: 42, sessionVersion: 1, address: "192.0.2.9"),
                                     connection: SDPConnection(address: "192.0.2.9"), media: [media])
        #expect(sdp.serialize() == Fixtures.crlf([
            "v=0", "o=- 42 1 IN IP4 192.0.2.9", "s=-", "c=IN IP4 192.0.2.9", "t=0 0",
            "m=audio 4000/2 RTP/AVP 0", "a=rtpmap:0 PCMU/8000", "a=inactive",
        ]))
        #expect(try SessionDescription.parse(sdp.bytes()) == sdp)
        #expect(media.serialize() == "m=audio 4000/2 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=inactive\r\n")
    }
}
