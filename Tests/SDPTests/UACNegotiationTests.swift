import Testing
@testable import SDP

/// UAC side: reading the answer to our offer (RFC 3264 §6, §7).
@Suite("Reading answers")
struct UACNegotiationTests {
    let caps = LocalMediaCapabilities(address: "203.0.113.5", port: 30_000)
    let origin = SDPOrigin(username: "sauti", sessionID: 5, sessionVersion: 1, address: "203.0.113.5")
    var offer: SessionDescription { OfferAnswer.makeOffer(capabilities: caps, origin: origin) }

    func answer(_ mLine: String, _ attributes: [String] = [], address: String = "198.51.100.7",
                extra: [String] = []) throws -> SessionDescription {
        try SessionDescription.parse(Fixtures.offer(mLine, attributes + extra, address: address))
    }

    func negotiate(_ answer: SessionDescription, offer: SessionDescription? = nil) throws(NegotiationError) -> NegotiatedAudio {
        try OfferAnswer.negotiated(offer: offer ?? self.offer, answer: answer)
    }

    @Test func pcmaWithEvents() throws {
        let n = try negotiate(answer("m=audio 7078 RTP/AVP 8 101", [
            "a=rtpmap:8 PCMA/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-15",
        ]))
        #expect(n.codec == NegotiatedCodec(codec: .pcma, payloadType: 8))
        #expect(n.telephoneEvent == NegotiatedTelephoneEvent(payloadType: 101, clockRate: 8000, events: "0-15"))
        #expect(n.remoteAddress == "198.51.100.7")
        #expect(n.remotePort == 7078)
        #expect(n.remoteRTCPPort == 7079)
        #expect(n.direction == .sendrecv)
        #expect(!n.isHold)
        #expect(n.ptime == 20)  // from our offer; the answer has none
    }

    @Test func answererMayRenumberOpus() throws {
        let n = try negotiate(answer("m=audio 7078 RTP/AVP 120 121", [
            "a=rtpmap:120 OPUS/48000/2", "a=fmtp:120 useinbandfec=1", "a=rtpmap:121 telephone-event/48000", "a=ptime:40",
        ]))
        #expect(n.codec == NegotiatedCodec(codec: .opus, payloadType: 120, fmtp: "useinbandfec=1"))
        #expect(n.telephoneEvent == NegotiatedTelephoneEvent(payloadType: 121, clockRate: 48000))
        #expect(n.ptime == 40)
    }

    @Test func answerWithoutRTPMapForOurDynamicNumber() throws {
        let n = try negotiate(answer("m=audio 7078 RTP/AVP 96"))
        #expect(n.codec == NegotiatedCodec(codec: .opus, payloadType: 96))
    }

    @Test func codecWeDidNotOfferIsRefused() throws {
        let a = try answer("m=audio 7078 RTP/AVP 18", ["a=rtpmap:18 G729/8000"])
        #expect(throws: NegotiationError.codecNotOffered(index: 0)) { try negotiate(a) }
        let g711Offer = OfferAnswer.makeOffer(
            capabilities: LocalMediaCapabilities(codecs: [.pcmu], address: "203.0.113.5", port: 30_000), origin: origin)
        let opus = try answer("m=audio 7078 RTP/AVP 96", ["a=rtpmap:96 opus/48000/2"])
        #expect(throws: NegotiationError.codecNotOffered(index: 0)) { try negotiate(opus, offer: g711Offer) }
    }

    @Test func eventsNotOfferedAreIgnored() throws {
        let noEvents = OfferAnswer.makeOffer(
            capabilities: LocalMediaCapabilities(telephoneEvent: false, address: "203.0.113.5", port: 30_000), origin: origin)
        let n = try negotiate(answer("m=audio 7078 RTP/AVP 0 101", ["a=rtpmap:101 telephone-event/8000"]), offer: noEvents)
        #expect(n.telephoneEvent == nil)
    }

    @Test func mediaCountMustMatch() throws {
        let a = try answer("m=audio 7078 RTP/AVP 0", ["m=video 0 RTP/AVP 31"])
        #expect(throws: NegotiationError.mediaCountMismatch(offered: 1, answered: 2)) { try negotiate(a) }
    }

    @Test func allStreamsRejectedMeansNoMedia() throws {
        #expect(throws: NegotiationError.noCommonMedia) { try negotiate(answer("m=audio 0 RTP/AVP 0")) }
    }

    @Test func protocolAndTypeMustMatch() throws {
        let savp = try answer("m=audio 7078 RTP/SAVP 0")
        let error = #expect(throws: NegotiationError.self) { try negotiate(savp) }
        #expect(error?.code == "sdp.media_mismatch")
        #expect(error?.message.contains("RTP/SAVP") == true)
        let video = try answer("m=video 7078 RTP/AVP 0")
        #expect((#expect(throws: NegotiationError.self) { try negotiate(video) })?.code == "sdp.media_mismatch")
    }

    @Test func answerCannotEnableADisabledStream() throws {
        var disabled = offer
        disabled.media[0].port = 0
        let error = #expect(throws: NegotiationError.self) {
            try negotiate(answer("m=audio 7078 RTP/AVP 0"), offer: disabled)
        }
        #expect(error?.code == "sdp.media_mismatch")
    }

    @Test func answerWithoutConnectionIsRefused() throws {
        let a = try SessionDescription.parse(Fixtures.lf(["v=0", "o=- 1 1 IN IP4 h", "s=-", "t=0 0", "m=audio 7078 RTP/AVP 0"]))
        #expect(throws: NegotiationError.missingConnection(index: 0)) { try negotiate(a) }
    }

    @Test func directionsFromOurSide() throws {
        // Peer answers sendonly: it refuses to receive what we offered to send → hold.
        let held = try negotiate(answer("m=audio 7078 RTP/AVP 0", ["a=sendonly"]))
        #expect(held.direction == .recvonly)
        #expect(held.isHold)
        // Peer answers recvonly: we send, it does not; not a hold of us.
        let listening = try negotiate(answer("m=audio 7078 RTP/AVP 0", ["a=recvonly"]))
        #expect(listening.direction == .sendonly)
        #expect(!listening.isHold)
        // We offered sendonly (we hold them); their recvonly answer is not a hold of us.
        let ourHold = OfferAnswer.makeOffer(capabilities: caps, origin: origin, direction: .sendonly)
        let mine = try negotiate(answer("m=audio 7078 RTP/AVP 0", ["a=recvonly"]), offer: ourHold)
        #expect(mine.direction == .sendonly)
        #expect(!mine.isHold)
        // A sendrecv answer to our sendonly offer is narrowed to what we offered.
        let narrowed = try negotiate(answer("m=audio 7078 RTP/AVP 0"), offer: ourHold)
        #expect(narrowed.direction == .sendonly)
        // RFC 2543 hold address in the answer.
        let zero = try negotiate(answer("m=audio 7078 RTP/AVP 0", address: "0.0.0.0"))
        #expect(zero.isHold)
        #expect(!zero.canSend)
    }

    @Test func backToBackWithOurOwnAnswerer() throws {
        // Our UAC offer answered by our UAS logic: both sides agree on codec and events.
        let other = LocalMediaCapabilities(codecs: [.pcma, .opus], address: "192.0.2.99", port: 40_000, ptime: 30)
        let theirOrigin = SDPOrigin(sessionID: 9, sessionVersion: 1, address: "192.0.2.99")
        let (answer, uas) = try OfferAnswer.answer(to: offer, capabilities: other, origin: theirOrigin)
        let wire = try SessionDescription.parse(answer.bytes())
        let uac = try negotiate(wire)
        // Our offer lists PCMU first; they lack it, so PCMA (the offer's next) wins on both sides.
        #expect(uas.codec.codec == .pcma)
        #expect(uac.codec.codec == .pcma)
        #expect(uac.codec.payloadType == uas.codec.payloadType)
        #expect(uac.telephoneEvent?.payloadType == 101)
        #expect(uas.telephoneEvent?.events == "0-16")
        #expect(uac.remoteAddress == "192.0.2.99")
        #expect(uac.remotePort == 40_000)
        #expect(uas.remotePort == 30_000)
        // Our offer said ptime 20; they echo it, and both sides use it.
        #expect(uas.ptime == 20 && uac.ptime == 20)
    }
}
