import Testing
@testable import SDP

/// UAS side: answering offers (RFC 3264 §6).
@Suite("Answering offers")
struct AnswerTests {
    let caps = LocalMediaCapabilities(address: "203.0.113.5", port: 30_000)
    let origin = SDPOrigin(username: "sauti", sessionID: 77, sessionVersion: 1, address: "203.0.113.5")

    func respond(_ body: String, caps: LocalMediaCapabilities? = nil,
                local: MediaDirection = .sendrecv) throws -> (answer: SessionDescription, negotiated: NegotiatedAudio) {
        let offer = try SessionDescription.parse(body)
        return try OfferAnswer.answer(to: offer, capabilities: caps ?? self.caps, origin: origin,
                                      localDirectionPreference: local)
    }

    @Test func g711OfferWithEventsAt8000() throws {
        let (answer, n) = try respond(Fixtures.offer("m=audio 49170 RTP/AVP 0 8 101", [
            "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-15",
        ]))
        #expect(answer.serialize() == Fixtures.crlf([
            "v=0", "o=sauti 77 1 IN IP4 203.0.113.5", "s=-", "c=IN IP4 203.0.113.5", "t=0 0",
            "m=audio 30000 RTP/AVP 0 101",
            "a=rtpmap:0 PCMU/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-15",
            "a=ptime:20", "a=sendrecv",
        ]))
        #expect(n == NegotiatedAudio(
            mediaIndex: 0, proto: "RTP/AVP",
            codec: NegotiatedCodec(codec: .pcmu, payloadType: 0, fmtp: nil),
            telephoneEvent: NegotiatedTelephoneEvent(payloadType: 101, clockRate: 8000, events: "0-15"),
            remoteAddress: "198.51.100.7", remotePort: 49170,
            remoteRTCPAddress: "198.51.100.7", remoteRTCPPort: 49171,
            direction: .sendrecv, isHold: false, ptime: 20))
        #expect(n.canSend && n.canReceive)
    }

    @Test func offererPreferenceWinsOverOurs() throws {
        let pcmaFirst = LocalMediaCapabilities(codecs: [.pcma, .pcmu], address: "203.0.113.5", port: 30_000)
        let (_, n) = try respond(Fixtures.offer("m=audio 49170 RTP/AVP 0 8"), caps: pcmaFirst)
        #expect(n.codec.codec == .pcmu)
        #expect(n.codec.payloadType == 0)
        #expect(n.telephoneEvent == nil)
    }

    @Test func sippPcapOfferPCMAAndEvents() throws {
        let (answer, n) = try respond(Fixtures.sippPcap)
        #expect(n.codec == NegotiatedCodec(codec: .pcma, payloadType: 8))
        #expect(n.telephoneEvent == NegotiatedTelephoneEvent(payloadType: 101, clockRate: 8000, events: "0-11,16"))
        #expect(n.remoteAddress == "127.0.0.1")
        #expect(n.remotePort == 6000)
        let audio = try #require(answer.media.first)
        #expect(audio.formats == ["8", "101"])
        #expect(audio.fmtp(for: 101 as UInt8) == "0-11,16")
    }

    @Test func staticPayloadTypesWithoutRTPMap() throws {
        let (answer, n) = try respond(Fixtures.offer("m=audio 49170 RTP/AVP 18 8"))
        // G.729 (18) is not ours; PT 8 is PCMA by RFC 3551 even without rtpmap.
        #expect(n.codec == NegotiatedCodec(codec: .pcma, payloadType: 8))
        #expect(answer.media.first?.attributes.first == SDPAttribute("rtpmap", "8 PCMA/8000"))
    }

    @Test func opusWithEventsAt48000And8000() throws {
        let body = Fixtures.offer("m=audio 50000 RTP/AVP 111 0 8 110 126", [
            "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:110 telephone-event/48000", "a=rtpmap:126 telephone-event/8000",
        ])
        let (answer, n) = try respond(body)
        #expect(n.codec == NegotiatedCodec(codec: .opus, payloadType: 111, fmtp: "minptime=10;useinbandfec=1"))
        #expect(n.telephoneEvent == NegotiatedTelephoneEvent(payloadType: 110, clockRate: 48000, events: nil))
        #expect(answer.media.first?.formats == ["111", "110"])
        #expect(answer.media.first?.rtpMap(for: 111)?.encodingName == "opus")

        let g711Only = LocalMediaCapabilities(codecs: [.pcmu, .pcma], address: "203.0.113.5", port: 30_000)
        let (answer2, n2) = try respond(body, caps: g711Only)
        #expect(n2.codec == NegotiatedCodec(codec: .pcmu, payloadType: 0))
        #expect(n2.telephoneEvent == NegotiatedTelephoneEvent(payloadType: 126, clockRate: 8000))
        #expect(answer2.media.first?.formats == ["0", "126"])
    }

    @Test func eventsAtPayloadType96() throws {
        let (answer, n) = try respond(Fixtures.offer("m=audio 49170 RTP/AVP 0 96", [
            "a=rtpmap:96 telephone-event/8000", "a=fmtp:96 0-16",
        ]))
        #expect(n.telephoneEvent == NegotiatedTelephoneEvent(payloadType: 96, clockRate: 8000, events: "0-16"))
        #expect(answer.media.first?.formats == ["0", "96"])
    }

    @Test func eventsAreNeverAssumedAt101() throws {
        // PT 101 without an rtpmap is meaningless (dynamic range, RFC 3551 §3).
        let (answer, n) = try respond(Fixtures.offer("m=audio 49170 RTP/AVP 0 101"))
        #expect(n.telephoneEvent == nil)
        #expect(answer.media.first?.formats == ["0"])
        // Events at a clock rate other than the codec's are not used either (RFC 4733 §2.1).
        let (_, n2) = try self.respond(Fixtures.offer("m=audio 49170 RTP/AVP 0 101", ["a=rtpmap:101 telephone-event/48000"]))
        #expect(n2.telephoneEvent == nil)
    }

    @Test func eventsLeftOutWhenWeDoNotSupportThem() throws {
        let noEvents = LocalMediaCapabilities(telephoneEvent: false, address: "203.0.113.5", port: 30_000)
        let (answer, n) = try respond(Fixtures.sippPcap, caps: noEvents)
        #expect(n.telephoneEvent == nil)
        #expect(answer.media.first?.formats == ["8"])
    }

    @Test func dynamicNumberForAStaticCodecIsKept() throws {
        let (_, n) = try respond(Fixtures.offer("m=audio 49170 RTP/AVP 98", ["a=rtpmap:98 pcmu/8000"]))
        #expect(n.codec == NegotiatedCodec(codec: .pcmu, payloadType: 98))
    }

    @Test func noCommonCodecThrows() throws {
        let offer = try SessionDescription.parse(Fixtures.offer("m=audio 49170 RTP/AVP 18 9 96", [
            "a=rtpmap:18 G729/8000", "a=rtpmap:96 telephone-event/8000",
        ]))
        #expect(throws: NegotiationError.noCommonMedia) {
            try OfferAnswer.answer(to: offer, capabilities: caps, origin: origin)
        }
        #expect(NegotiationError.noCommonMedia.code == "sdp.no_common_media")
    }

    @Test func sendonlyOfferIsHold() throws {
        let (answer, n) = try respond(Fixtures.offer("m=audio 49170 RTP/AVP 0", ["a=sendonly"]))
        #expect(answer.media.first?.direction == .recvonly)
        #expect(n.direction == .recvonly)
        #expect(n.isHold)
        #expect(!n.canSend && n.canReceive)
    }

    @Test func inactiveOfferIsHold() throws {
        let (answer, n) = try respond(Fixtures.offer("m=audio 49170 RTP/AVP 0", [], session: ["a=inactive"]))
        #expect(answer.media.first?.direction == .inactive)
        #expect(n.isHold)
        #expect(!n.canSend && !n.canReceive)
    }

    @Test func recvonlyOfferIsNotHold() throws {
        let (answer, n) = try respond(Fixtures.offer("m=audio 49170 RTP/AVP 0", ["a=recvonly"]))
        #expect(answer.media.first?.direction == .sendonly)
        #expect(!n.isHold)
        #expect(n.canSend && !n.canReceive)
    }

    @Test func zeroAddressIsRFC2543Hold() throws {
        let (answer, n) = try respond(Fixtures.offer("m=audio 49170 RTP/AVP 0", [], address: "0.0.0.0"))
        #expect(n.isHold)
        #expect(!n.canSend)
        #expect(n.remoteAddress == "0.0.0.0")
        #expect(answer.media.first?.direction == .recvonly)
    }

    @Test func localHoldNarrowsTheDirection() throws {
        let (a1, n1) = try respond(Fixtures.offer("m=audio 49170 RTP/AVP 0"), local: .sendonly)
        #expect(a1.media.first?.direction == .sendonly)
        #expect(!n1.isHold)  // we hold them; they did not hold us
        let (a2, _) = try respond(Fixtures.offer("m=audio 49170 RTP/AVP 0", ["a=sendonly"]), local: .sendonly)
        #expect(a2.media.first?.direction == .inactive)
        let (a3, _) = try respond(Fixtures.offer("m=audio 49170 RTP/AVP 0"), local: .inactive)
        #expect(a3.media.first?.direction == .inactive)
    }

    @Test func videoIsRejectedAudioAccepted() throws {
        let body = Fixtures.offer("m=video 51372 RTP/AVP 31 99", ["a=rtpmap:99 H264/90000", "m=audio 49170 RTP/AVP 0"])
        let (answer, n) = try respond(body)
        #expect(answer.media.count == 2)
        #expect(answer.media.first == MediaDescription(media: "video", port: 0, proto: "RTP/AVP", formats: ["31", "99"]))
        #expect(answer.media.last?.port == 30_000)
        #expect(n.mediaIndex == 1)
        #expect(try SessionDescription.parse(answer.serialize()) == answer)
    }

    @Test func onlyTheFirstAcceptableAudioStreamIsAccepted() throws {
        let body = Fixtures.offer("m=audio 49170 RTP/AVP 18", [
            "m=audio 49172 RTP/AVP 8", "m=audio 49174 RTP/AVP 0", "m=audio 0 RTP/AVP 0",
        ])
        let (answer, n) = try respond(body)
        #expect(answer.media.map(\.port) == [0, 30_000, 0, 0])
        #expect(answer.media.map(\.formats) == [["18"], ["8"], ["0"], ["0"]])
        #expect(n.mediaIndex == 1)
        #expect(n.remotePort == 49172)
    }

    @Test func srtpNeedsPermission() throws {
        let key = Base64.encode([UInt8](repeating: 9, count: 30))
        let body = Fixtures.offer("m=audio 49170 RTP/SAVP 0", ["a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(key)"])
        let offer = try SessionDescription.parse(body)
        #expect(throws: NegotiationError.noCommonMedia) {
            try OfferAnswer.answer(to: offer, capabilities: caps, origin: origin)
        }
        var srtp = caps
        srtp.allowSRTP = true
        srtp.srtpKey = [UInt8](repeating: 1, count: 30)
        let (answer, n) = try OfferAnswer.answer(to: offer, capabilities: srtp, origin: origin)
        #expect(n.proto == "RTP/SAVP")
        #expect(answer.media.first?.proto == "RTP/SAVP")
        // With a plain stream offered next to it, the plain one is taken when SRTP is off.
        let both = try SessionDescription.parse(Fixtures.offer("m=audio 49170 RTP/SAVP 0", ["m=audio 49172 RTP/AVP 0"]))
        let (a2, n2) = try OfferAnswer.answer(to: both, capabilities: caps, origin: origin)
        #expect(n2.mediaIndex == 1)
        #expect(a2.media.first?.port == 0)
        #expect(a2.media.first?.proto == "RTP/SAVP")
    }

    @Test func webRTCOfferIsNotSupported() throws {
        let offer = try SessionDescription.parse(Fixtures.webRTC)
        #expect(throws: NegotiationError.noCommonMedia) {
            try OfferAnswer.answer(to: offer, capabilities: caps, origin: origin)
        }
    }

    @Test func baresipOfferTakesOpusWithoutEvents() throws {
        let (answer, n) = try respond(Fixtures.baresip)
        #expect(n.codec == NegotiatedCodec(codec: .opus, payloadType: 96, fmtp: "stereo=1;sprop-stereo=1"))
        // Its events are at 8000 Hz only, so none at opus's 48000 (RFC 4733 §2.1).
        #expect(n.telephoneEvent == nil)
        #expect(n.remoteRTCPPort == 10711)
        #expect(answer.media.first?.formats == ["96"])
    }

    @Test func offerPtimeAndRTCPAreHonoured() throws {
        let body = Fixtures.offer("m=audio 49170 RTP/AVP 8", ["a=ptime:30", "a=rtcp:53020 IN IP4 198.51.100.99"])
        let (answer, n) = try respond(body)
        #expect(n.ptime == 30)
        #expect(answer.media.first?.ptime == 30)
        #expect(n.remoteRTCPPort == 53020)
        #expect(n.remoteRTCPAddress == "198.51.100.99")
        let noPtime = LocalMediaCapabilities(address: "203.0.113.5", port: 30_000, ptime: nil)
        let (a2, n2) = try respond(Fixtures.offer("m=audio 65535 RTP/AVP 8"), caps: noPtime)
        #expect(a2.media.first?.ptime == nil)
        #expect(n2.ptime == 20)
        #expect(n2.remoteRTCPPort == 65535)
    }

    @Test func answerCopiesTheOfferTimingAndUsesIPv6() throws {
        let v6 = LocalMediaCapabilities(address: "2001:db8::5", port: 30_000)
        let (answer, n) = try respond(Fixtures.ipv6Full, caps: v6)
        #expect(answer.times == [SDPTiming(start: 2_873_397_496, stop: 2_873_404_696, repeats: ["7d 1h 0 25h"]),
                                 SDPTiming()])
        #expect(answer.connection == SDPConnection(netType: "IN", addrType: "IP6", address: "2001:db8::5"))
        #expect(n.remoteAddress == "2001:db8::2")
        // Session-level a=recvonly in the offer → we send only.
        #expect(n.direction == .sendonly)
        #expect(answer.media.map(\.port) == [30_000, 0])
        #expect(answer.media.last?.portCount == nil)
    }

    @Test func streamWithoutAddressIsRejected() throws {
        let offer = try SessionDescription.parse(Fixtures.lf(["v=0", "o=- 1 1 IN IP4 h", "s=-", "t=0 0",
                                                              "m=audio 5000 RTP/AVP 0"]))
        #expect(throws: NegotiationError.noCommonMedia) {
            try OfferAnswer.answer(to: offer, capabilities: caps, origin: origin)
        }
    }
}
