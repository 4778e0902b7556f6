import Testing
@testable import SDP

@Suite("Offer building and codecs")
struct OfferTests {
    let origin = SDPOrigin(username: "sauti", sessionID: 1_700_000_000, sessionVersion: 1, address: "203.0.113.5")

    @Test func defaultOfferNumbersCodecsPerRFC3551() throws {
        let caps = LocalMediaCapabilities(address: "203.0.113.5", port: 30_000)
        let offer = OfferAnswer.makeOffer(capabilities: caps, origin: origin)
        #expect(offer.serialize() == Fixtures.crlf([
            "v=0",
            "o=sauti 1700000000 1 IN IP4 203.0.113.5",
            "s=-",
            "c=IN IP4 203.0.113.5",
            "t=0 0",
            "m=audio 30000 RTP/AVP 0 8 96 101 97",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:96 opus/48000/2",
            "a=rtpmap:101 telephone-event/8000",
            "a=fmtp:101 0-16",
            "a=rtpmap:97 telephone-event/48000",
            "a=fmtp:97 0-16",
            "a=ptime:20",
            "a=sendrecv",
        ]))
        #expect(try SessionDescription.parse(offer.serialize()) == offer)
    }

    @Test func holdOfferOverIPv6WithoutEvents() {
        let caps = LocalMediaCapabilities(codecs: [.pcma], telephoneEvent: false, address: "2001:db8::10",
                                          port: 30_002, ptime: nil)
        let offer = OfferAnswer.makeOffer(capabilities: caps, origin: origin, direction: .sendonly)
        #expect(offer.connection == SDPConnection(netType: "IN", addrType: "IP6", address: "2001:db8::10"))
        let audio = offer.media.first
        #expect(audio?.formats == ["8"])
        #expect(audio?.attributes == [SDPAttribute("rtpmap", "8 PCMA/8000"), SDPAttribute("sendonly")])
        #expect(audio?.ptime == nil)
        #expect(offer.effectiveDirection(ofMediaAt: 0) == .sendonly)
    }

    @Test func opusOnlyGetsEventsAt48000NotAt101() {
        let caps = LocalMediaCapabilities(codecs: [.opus], address: "203.0.113.5", port: 30_004)
        let audio = OfferAnswer.makeOffer(capabilities: caps, origin: origin).media.first
        #expect(audio?.formats == ["96", "97"])
        #expect(audio?.rtpMap(for: 97) == RTPMap(payloadType: 97, encodingName: "telephone-event", clockRate: 48000))
        #expect(audio?.rtpMap(for: 101) == nil)
    }

    @Test func emptyOrEventOnlyCodecListStillGivesAValidOffer() throws {
        let caps = LocalMediaCapabilities(codecs: [.telephoneEvent8000], address: "203.0.113.5", port: 30_006)
        let offer = OfferAnswer.makeOffer(capabilities: caps, origin: origin)
        #expect(offer.media.first?.formats == ["0", "101"])
        #expect(try SessionDescription.parse(offer.bytes()) == offer)
    }

    @Test func manyDynamicCodecsStayWithinPayloadTypeRange() throws {
        let codecs = (0..<40).map { AudioCodec(name: "X\($0)", clockRate: 8000) }
        let caps = LocalMediaCapabilities(codecs: codecs, address: "203.0.113.5", port: 30_008)
        let audio = try #require(OfferAnswer.makeOffer(capabilities: caps, origin: origin).media.first)
        // 96...127 minus 101 for events: 31 dynamic codecs, then 101.
        #expect(audio.formats.count == 32)
        #expect(audio.payloadTypes.allSatisfy { $0 >= 96 && $0 <= 127 })
        #expect(Set(audio.payloadTypes).count == 32)
        #expect(audio.rtpMap(for: 101)?.encodingName == "telephone-event")
    }

    @Test func originVersionGrows() {
        let next = origin.nextVersion()
        #expect(next.sessionVersion == 2)
        #expect(next.sessionID == origin.sessionID)
        #expect(next.nextVersion().sessionVersion == 3)
        #expect(next.isNewVersion(of: origin))
        #expect(!origin.isNewVersion(of: origin))
        var max = origin
        max.sessionVersion = .max
        #expect(max.nextVersion().sessionVersion == .max)
    }

    @Test func codecMatching() {
        #expect(AudioCodec.pcmu.matches(RTPMap(payloadType: 0, encodingName: "pcmu", clockRate: 8000)))
        #expect(AudioCodec.pcmu.matches(RTPMap(payloadType: 0, encodingName: "PCMU", clockRate: 8000, channels: 1)))
        #expect(!AudioCodec.pcmu.matches(RTPMap(payloadType: 0, encodingName: "PCMU", clockRate: 8000, channels: 2)))
        #expect(!AudioCodec.pcmu.matches(RTPMap(payloadType: 0, encodingName: "PCMU", clockRate: 16000)))
        #expect(AudioCodec.opus.matches(RTPMap(payloadType: 111, encodingName: "OPUS", clockRate: 48000, channels: 2)))
        #expect(AudioCodec.opus.matches(RTPMap(payloadType: 111, encodingName: "opus", clockRate: 48000)))
        #expect(!AudioCodec.opus.matches(RTPMap(payloadType: 111, encodingName: "opus", clockRate: 16000)))
        #expect(AudioCodec.telephoneEvent8000.isTelephoneEvent)
        #expect(!AudioCodec.telephoneEvent8000.matches(RTPMap(payloadType: 101, encodingName: "telephone-event", clockRate: 48000)))
        #expect(AudioCodec.staticRTPMap(payloadType: 8)?.encodingName == "PCMA")
        #expect(AudioCodec.staticRTPMap(payloadType: 101) == nil)
        #expect(AudioCodec.staticRTPMap(payloadType: 96) == nil)
        #expect(AudioCodec(rtpMap: RTPMap(payloadType: 0, encodingName: "pcmu", clockRate: 8000)) == .pcmu)
        #expect(AudioCodec(rtpMap: RTPMap(payloadType: 9, encodingName: "G722", clockRate: 8000)).staticPayloadType == 9)
        #expect(AudioCodec(rtpMap: RTPMap(payloadType: 98, encodingName: "G722", clockRate: 8000)).staticPayloadType == nil)
        #expect(AudioCodec.opus.description == "opus/48000/2")
    }

    @Test func directionAlgebra() {
        #expect(MediaDirection.sendonly.reversed == .recvonly)
        #expect(MediaDirection.inactive.reversed == .inactive)
        #expect(MediaDirection.sendrecv.intersection(.sendonly) == .sendonly)
        #expect(MediaDirection.sendonly.intersection(.recvonly) == .inactive)
        #expect(MediaDirection(attribute: SDPAttribute("RECVONLY")) == .recvonly)
        #expect(MediaDirection(attribute: SDPAttribute("sendonly", "x")) == nil)
    }
}
