import Testing
@testable import SDP

@Suite("SDP parser")
struct ParserTests {
    @Test func parsesSIPpPcapOffer() throws {
        let sdp = try SessionDescription.parse(Fixtures.sippPcap)
        #expect(sdp.version == 0)
        #expect(sdp.origin == SDPOrigin(username: "user1", sessionID: 53_655_765, sessionVersion: 2_353_687_637,
                                        netType: "IN", addrType: "IP4", address: "127.0.0.1"))
        #expect(sdp.sessionName == "-")
        #expect(sdp.connection == SDPConnection(netType: "IN", addrType: "IP4", address: "127.0.0.1"))
        #expect(sdp.times == [SDPTiming(start: 0, stop: 0)])
        let audio = try #require(sdp.media.first)
        #expect(sdp.media.count == 1)
        #expect(audio.media == "audio")
        #expect(audio.port == 6000)
        #expect(audio.portCount == nil)
        #expect(audio.proto == "RTP/AVP")
        #expect(audio.formats == ["8", "101"])
        #expect(audio.payloadTypes == [8, 101])
        #expect(audio.rtpMap(for: 101) == RTPMap(payloadType: 101, encodingName: "telephone-event", clockRate: 8000))
        #expect(audio.rtpMap(for: 8) == RTPMap(payloadType: 8, encodingName: "PCMA", clockRate: 8000))
        #expect(audio.fmtp(for: 101 as UInt8) == "0-11,16")
        #expect(audio.fmtp(for: 8 as UInt8) == nil)
        #expect(audio.ptime == nil)
        #expect(audio.direction == nil)
        #expect(sdp.effectiveDirection(ofMediaAt: 0) == .sendrecv)
    }

    @Test func bareLFAndCRLFGiveTheSameModel() throws {
        let crlf = try SessionDescription.parse(Fixtures.crlf(Fixtures.sippPcapLines))
        let lf = try SessionDescription.parse(Fixtures.lf(Fixtures.sippPcapLines))
        let noFinalNewline = try SessionDescription.parse(Fixtures.sippPcapLines.joined(separator: "\r\n"))
        let trailingBlank = try SessionDescription.parse(Fixtures.sippPcap + "\r\n\r\n")
        #expect(crlf == lf)
        #expect(crlf == noFinalNewline)
        #expect(crlf == trailingBlank)
    }

    @Test func parsesBytesLikeString() throws {
        let fromBytes = try SessionDescription.parse(Array(Fixtures.baresip.utf8))
        let fromString = try SessionDescription.parse(Fixtures.baresip)
        #expect(fromBytes == fromString)
    }

    @Test func keepsEveryOptionalLine() throws {
        let sdp = try SessionDescription.parse(Fixtures.ipv6Full)
        #expect(sdp.origin.addrType == "IP6")
        #expect(sdp.origin.address == "2001:db8::1")
        #expect(sdp.origin.sessionVersion == 2_890_844_527)
        #expect(sdp.info == "A call over IPv6")
        #expect(sdp.uri == "http://example.com/call")
        #expect(sdp.emails == ["alice@example.com (Alice)"])
        #expect(sdp.phones == ["+1 617 555-6011"])
        #expect(sdp.bandwidths == [SDPBandwidth(type: "CT", value: 128)])
        #expect(sdp.times == [SDPTiming(start: 2_873_397_496, stop: 2_873_404_696, repeats: ["7d 1h 0 25h"]),
                              SDPTiming(start: 0, stop: 0)])
        #expect(sdp.timeZones == "2882844526 -1h 2898848070 0")
        #expect(sdp.encryptionKey == "prompt")
        #expect(sdp.direction == .recvonly)
        #expect(sdp.media.count == 2)
        let audio = try #require(sdp.media.first)
        #expect(audio.info == "voice")
        #expect(audio.connection?.address == "2001:db8::2")
        #expect(audio.bandwidths == [SDPBandwidth(type: "AS", value: 64)])
        #expect(audio.encryptionKey == "prompt")
        let video = try #require(sdp.media.last)
        #expect(video.port == 51372)
        #expect(video.portCount == 2)
        #expect(video.rtpMap(for: 99)?.clockRate == 90000)
        // Session-level a=recvonly applies to media without their own direction.
        #expect(sdp.effectiveDirection(ofMediaAt: 1) == .recvonly)
        #expect(sdp.effectiveConnection(ofMediaAt: 0)?.address == "2001:db8::2")
        #expect(sdp.effectiveConnection(ofMediaAt: 1)?.address == "2001:db8::1")
    }

    @Test func parsesWebRTCAttributes() throws {
        let sdp = try SessionDescription.parse(Fixtures.webRTC)
        #expect(sdp.connection == nil)
        #expect(sdp.attributes.count == 3)
        #expect(sdp.attributes[2] == SDPAttribute("msid-semantic", " WMS 7d4c1b3e"))
        #expect(sdp.attributes[1] == SDPAttribute("extmap-allow-mixed"))
        let audio = try #require(sdp.media.first)
        #expect(audio.proto == "UDP/TLS/RTP/SAVPF")
        #expect(audio.isRTP)
        #expect(audio.payloadTypes == [111, 63, 9, 0, 8, 13, 110, 126])
        #expect(audio.rtpMap(for: 111) == RTPMap(payloadType: 111, encodingName: "opus", clockRate: 48000, channels: 2))
        #expect(audio.rtpMap(for: 110)?.clockRate == 48000)
        #expect(audio.fmtp(for: 111 as UInt8) == "minptime=10;useinbandfec=1")
        #expect(audio.fmtp(for: 63 as UInt8) == "111/111")
        #expect(audio.rtcp == RTCPAttribute(port: 9, connection: SDPConnection(addrType: "IP4", address: "0.0.0.0")))
        #expect(audio.rtcpMux)
        #expect(audio.direction == .sendrecv)
        #expect(audio.attributeValues(named: "ssrc").count == 2)
        #expect(audio.firstAttributeValue(named: "setup") == "actpass")
        #expect(audio.connection?.isUnspecifiedAddress == true)
    }

    @Test func accessorsForPtimeCryptoAndDirection() throws {
        let sdp = try SessionDescription.parse(Fixtures.offer("m=audio 5000 RTP/SAVP 0", [
            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4",
            "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^20|1:32",
            "a=PTIME:30.0",
            "a=maxptime:60",
            "a=SendOnly",
        ], session: ["a=inactive"]))
        let audio = try #require(sdp.media.first)
        #expect(audio.cryptoLines.count == 2)
        #expect(audio.cryptoLines.first?.hasPrefix("1 AES_CM_128_HMAC_SHA1_80 inline:") == true)
        #expect(audio.ptime == 30)
        #expect(audio.maxptime == 60)
        // Attribute names compare case-insensitively; media overrides the session's inactive.
        #expect(audio.direction == .sendonly)
        #expect(sdp.direction == .inactive)
        #expect(sdp.effectiveDirection(ofMediaAt: 0) == .sendonly)
        // Static PT 0 has no rtpmap but resolves through the RFC 3551 table.
        #expect(audio.rtpMap(for: 0) == nil)
        #expect(AudioCodec.resolve(payloadType: 0, in: audio)?.encodingName == "PCMU")
    }

    @Test func sessionDirectionAppliesWhenMediaHasNone() throws {
        let sdp = try SessionDescription.parse(Fixtures.offer("m=audio 5000 RTP/AVP 0", [], session: ["a=sendonly"]))
        #expect(sdp.media.first?.direction == nil)
        #expect(sdp.effectiveDirection(ofMediaAt: 0) == .sendonly)
        #expect(sdp.media.first?.effectiveDirection(sessionDirection: sdp.direction) == .sendonly)
    }

    @Test func toleratesHarmlessDeviations() throws {
        // t= before c=, doubled spaces, a trailing space, empty s=, no t= at all, unknown attributes.
        let sdp = try SessionDescription.parse(Fixtures.lf([
            "v=0",
            "o=-  7 9  IN IP4 10.0.0.1",
            "s=",
            "a=x-vendor-thing:yes",
            "c=IN IP4 10.0.0.1",
            "m=audio  4000 RTP/AVP 0  8 ",
            "a=rtpmap:0 PCMU/8000 ",
            "a=foo:",
        ]))
        #expect(sdp.origin.sessionID == 7)
        #expect(sdp.sessionName == "")
        #expect(sdp.times.isEmpty)
        #expect(sdp.media.first?.formats == ["0", "8"])
        #expect(sdp.media.first?.rtpMap(for: 0)?.encodingName == "PCMU")
        #expect(sdp.media.first?.attributes.last == SDPAttribute("foo", ""))
        #expect(sdp.attributes == [SDPAttribute("x-vendor-thing", "yes")])
    }

    @Test func nonRTPMediaKeepsTokenFormats() throws {
        let sdp = try SessionDescription.parse(Fixtures.offer("m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
                                                              ["a=fmtp:webrtc-datachannel max-message-size=262144"]))
        let app = try #require(sdp.media.first)
        #expect(!app.isRTP)
        #expect(app.formats == ["webrtc-datachannel"])
        #expect(app.payloadTypes.isEmpty)
        #expect(app.fmtp(for: "webrtc-datachannel") == "max-message-size=262144")
    }

    @Test func errorsNameTheLine() throws {
        let body = Fixtures.offer("m=audio 5000 RTP/AVP 0", ["a=rtpmap:0 PCMU"])
        let error = #expect(throws: SDPError.self) { try SessionDescription.parse(body) }
        #expect(error?.code == "sdp.bad_rtpmap")
        #expect(error?.line == 7)
        #expect(error?.message.hasPrefix("line 7: bad a=rtpmap:") == true)
    }

    @Test func rtpMapValueParsing() {
        #expect(RTPMap(attributeValue: "111 opus/48000/2") == RTPMap(payloadType: 111, encodingName: "opus", clockRate: 48000, channels: 2))
        #expect(RTPMap(attributeValue: "0 PCMU/8000")?.channels == nil)
        #expect(RTPMap(attributeValue: "0 PCMU") == nil)
        #expect(RTPMap(attributeValue: "128 PCMU/8000") == nil)
        #expect(RTPMap(attributeValue: "0 PCMU/0") == nil)
        #expect(RTPMap(attributeValue: "0 PCMU/8000/0") == nil)
        #expect(RTPMap(attributeValue: "x PCMU/8000") == nil)
        #expect(RTPMap(attributeValue: "0 /8000") == nil)
        #expect(RTPMap(attributeValue: "0 PCMU/8000/1/1") == nil)
        #expect(FormatParameters(attributeValue: "101 0-15") == FormatParameters(format: "101", parameters: "0-15"))
        #expect(FormatParameters(attributeValue: "101") == FormatParameters(format: "101", parameters: ""))
        #expect(FormatParameters(attributeValue: "") == nil)
        #expect(RTCPAttribute(attributeValue: "53021") == RTCPAttribute(port: 53021))
        #expect(RTCPAttribute(attributeValue: "70000") == nil)
        #expect(RTCPAttribute(attributeValue: "5 IN IP4") == nil)
    }

    @Test func rtpProfilesAreRecognized() {
        for proto in ["RTP/AVP", "RTP/SAVP", "rtp/avpf", "UDP/TLS/RTP/SAVPF", "TCP/RTP/AVP", "RTP"] {
            #expect(MediaDescription.isRTPProto(proto), "\(proto)")
        }
        for proto in ["udp", "UDP/DTLS/SCTP", "RTPX/AVP", "XRTP/AVP", "RT/AVP", "", "/", "TCP/MSRP"] {
            #expect(!MediaDescription.isRTPProto(proto), "\(proto)")
        }
    }

    @Test func connectionHelpers() {
        #expect(SDPConnection(address: "2001:db8::5").addrType == "IP6")
        #expect(SDPConnection(address: "192.0.2.1").addrType == "IP4")
        #expect(SDPConnection(addrType: "IP4", address: "224.2.1.1/127/3").host == "224.2.1.1")
        #expect(SDPConnection(addrType: "IP4", address: "0.0.0.0").isUnspecifiedAddress)
        #expect(SDPConnection(addrType: "IP6", address: "::").isUnspecifiedAddress)
        #expect(!SDPConnection(addrType: "IP4", address: "10.0.0.1").isUnspecifiedAddress)
    }
}

@Suite struct LenientAttributeTests {
    @Test func rtpmapAndFmtpForUnlistedPayloadTypesAreIgnored() throws {
        let text = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\na=rtpmap:96 opus/48000/2\r\na=fmtp:101 0-15\r\n"
        let sdp = try SessionDescription.parse(text)
        #expect(sdp.media.first?.formats == ["0"])
    }
}

