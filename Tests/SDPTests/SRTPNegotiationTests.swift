import Testing
@testable import SDP

/// SDES-SRTP in offer/answer (RFC 4568 §7 with RFC 3264).
@Suite("SRTP offer/answer")
struct SRTPNegotiationTests {
    let origin = SDPOrigin(username: "sauti", sessionID: 77, sessionVersion: 1, address: "203.0.113.5")
    let ourKey = [UInt8](repeating: 0x11, count: 30)
    let theirKey = [UInt8](repeating: 0x22, count: 30)
    var caps: LocalMediaCapabilities {
        LocalMediaCapabilities(address: "203.0.113.5", port: 30_000, allowSRTP: true, srtpKey: ourKey)
    }

    @Test func savpOfferGetsOurKeyWithTheChosenTag() throws {
        let offer = try SessionDescription.parse(Fixtures.offer("m=audio 49170 RTP/SAVP 0 101", [
            "a=rtpmap:101 telephone-event/8000",
            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(Base64.encode(theirKey))|2^20|1:4",  // MKI: refused
            "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:\(Base64.encode(theirKey))",
        ]))
        let (answer, n) = try OfferAnswer.answer(to: offer, capabilities: caps, origin: origin)
        #expect(answer.media[0].proto == "RTP/SAVP")
        #expect(answer.media[0].attributeValues(named: "crypto") == ["2 AES_CM_128_HMAC_SHA1_32 inline:\(Base64.encode(ourKey))"])
        #expect(n.srtp == NegotiatedCrypto(tag: 2, suite: .aes128CmSha1_32, localKey: ourKey, remoteKey: theirKey))
    }

    @Test func savpWithoutAnAcceptableLineIsNotAccepted() throws {
        let offer = try SessionDescription.parse(Fixtures.offer("m=audio 49170 RTP/SAVP 0", [
            "a=crypto:1 AES_256_CM_HMAC_SHA1_80 inline:\(Base64.encode(theirKey + theirKey))",
        ]))
        #expect(throws: NegotiationError.noCommonMedia) {
            try OfferAnswer.answer(to: offer, capabilities: caps, origin: origin)
        }
        // Without a key to answer with, RTP/SAVP is not supported at all.
        let noKey = LocalMediaCapabilities(address: "203.0.113.5", port: 30_000, allowSRTP: true)
        let good = try SessionDescription.parse(Fixtures.offer("m=audio 49170 RTP/SAVP 0", [
            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(Base64.encode(theirKey))",
        ]))
        #expect(throws: NegotiationError.noCommonMedia) {
            try OfferAnswer.answer(to: good, capabilities: noKey, origin: origin)
        }
    }

    @Test func plainOfferStaysPlainWithoutCrypto() throws {
        let offer = try SessionDescription.parse(Fixtures.offer("m=audio 49170 RTP/AVP 0"))
        let (answer, n) = try OfferAnswer.answer(to: offer, capabilities: caps, origin: origin)
        #expect(answer.media[0].attributeValues(named: "crypto").isEmpty)
        #expect(n.srtp == nil)
    }

    @Test func ourSRTPOfferAndThePeersAnswerGiveMirroredKeys() throws {
        let k1 = [UInt8](repeating: 1, count: 30), k2 = [UInt8](repeating: 2, count: 30)
        let offerCaps = LocalMediaCapabilities(codecs: [.pcmu], address: "203.0.113.5", port: 30_000, srtpOfferKeys: [k1, k2])
        let offer = OfferAnswer.makeOffer(capabilities: offerCaps, origin: origin)
        #expect(offer.media[0].proto == "RTP/SAVP")
        #expect(offer.media[0].attributeValues(named: "crypto").count == 2)
        // The peer answers with our offer, choosing tag 1.
        let peerCaps = LocalMediaCapabilities(address: "198.51.100.7", port: 40_000, allowSRTP: true, srtpKey: theirKey)
        let (answer, peerSide) = try OfferAnswer.answer(to: offer, capabilities: peerCaps, origin: origin)
        let ours = try OfferAnswer.negotiated(offer: offer, answer: answer)
        #expect(ours.srtp?.localKey == k1)
        #expect(ours.srtp?.remoteKey == theirKey)
        #expect(peerSide.srtp?.remoteKey == k1 && peerSide.srtp?.localKey == theirKey)
    }

    @Test func answerWithATagWeNeverOfferedIsRefused() throws {
        let k = [UInt8](repeating: 1, count: 30)
        let offerCaps = LocalMediaCapabilities(codecs: [.pcmu], address: "203.0.113.5", port: 30_000, srtpOfferKeys: [k, k])
        let offer = OfferAnswer.makeOffer(capabilities: offerCaps, origin: origin)
        let answer = try SessionDescription.parse(Fixtures.offer("m=audio 40000 RTP/SAVP 0", [
            "a=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:\(Base64.encode(theirKey))",
        ]))
        #expect(throws: NegotiationError.self) { try OfferAnswer.negotiated(offer: offer, answer: answer) }
    }
}
