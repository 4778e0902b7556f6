import Testing
@testable import SDP

@Suite("SDES offer/answer (RFC 4568 §7.1)")
struct CryptoNegotiationTests {
    static let peerKey = Array(1...30).map { UInt8($0) }
    static let ourKey = Array(repeating: UInt8(0xA5), count: 30)
    static var peerB64: String { Base64.encode(peerKey) }

    @Test("answers the first acceptable line with its tag and suite and our key")
    func picksSupportedLine() throws {
        let offer = [
            "1 F8_128_HMAC_SHA1_80 inline:\(Self.peerB64)",                      // unknown suite
            "2 AES_CM_128_HMAC_SHA1_80 inline:\(Self.peerB64)|2^20|1:4",         // MKI
            "3 AES_CM_128_HMAC_SHA1_80 inline:\(Self.peerB64) UNENCRYPTED_SRTP", // no encryption
            "4 AES_CM_128_HMAC_SHA1_80 inline:\(Self.peerB64) KDR=10",           // re-keying
            "5 AES_CM_128_HMAC_SHA1_80 inline:\(Self.peerB64) FOO_BAR",          // unknown mandatory
            "6 AES_CM_128_HMAC_SHA1_32 inline:\(Self.peerB64)|2^31 FEC_ORDER=FEC_SRTP WSH=64 -EXT",
            "7 AES_CM_128_HMAC_SHA1_80 inline:\(Self.peerB64)",
        ]
        let answer = try CryptoNegotiation.answer(offerValues: offer, localKey: Self.ourKey)
        #expect(answer.attribute.tag == 6)
        #expect(answer.attribute.suite == "AES_CM_128_HMAC_SHA1_32")
        #expect(answer.attribute.keyParams == [KeyParam(keySalt: Self.ourKey)])
        #expect(answer.attribute.sessionParams.isEmpty)
        #expect(answer.attribute.value == "6 AES_CM_128_HMAC_SHA1_32 inline:\(Base64.encode(Self.ourKey))")
        #expect(answer.negotiated == NegotiatedCrypto(
            tag: 6, suite: .aes128CmSha1_32, localKey: Self.ourKey, remoteKey: Self.peerKey))
    }

    @Test("prefers offer order: the first usable line wins even if a later one is stronger")
    func offerOrder() throws {
        let offer = [
            try CryptoAttribute.parse("9 AES_CM_128_HMAC_SHA1_32 inline:\(Self.peerB64) KDR=0"),
            try CryptoAttribute.parse("1 AES_CM_128_HMAC_SHA1_80 inline:\(Self.peerB64)"),
        ]
        let answer = try CryptoNegotiation.answer(offer: offer, localKey: Self.ourKey)
        #expect(answer.negotiated.tag == 9)
        #expect(answer.negotiated.suite == .aes128CmSha1_32)
    }

    @Test("skips lines that do not parse")
    func skipsUnparseable() throws {
        let answer = try CryptoNegotiation.answer(
            offerValues: ["1 AES_CM_128_HMAC_SHA1_80 inline:Zm9v", "2 AES_CM_128_HMAC_SHA1_80 inline:\(Self.peerB64)"],
            localKey: Self.ourKey)
        #expect(answer.negotiated.tag == 2)
    }

    @Test("refuses when nothing is acceptable, naming each line's problem")
    func refuses() {
        let offer = [
            "1 AES_256_CM_HMAC_SHA1_80 inline:\(Base64.encode(Array(repeating: 7, count: 46)))",
            "2 AES_CM_128_HMAC_SHA1_80 inline:\(Self.peerB64)|2^20|1:4;inline:\(Self.peerB64)|2^20|2:4",
            "3 AES_CM_128_HMAC_SHA1_80 inline:\(Self.peerB64) UNAUTHENTICATED_SRTP",
            "4 AES_CM_128_HMAC_SHA1_80 inline:!!",
        ]
        do {
            _ = try CryptoNegotiation.answer(offerValues: offer, localKey: Self.ourKey)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.code == "sdp.crypto_not_acceptable")
            guard case .noAcceptableCrypto(let reasons) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(reasons.count == 4)
            #expect(reasons.contains { $0.contains("AES_256_CM_HMAC_SHA1_80") })
            #expect(reasons.contains { $0.contains("tag 2") && $0.contains("2 keys") })
            #expect(reasons.contains { $0.contains("UNAUTHENTICATED_SRTP") })
            #expect(reasons.contains { $0.contains("base64") })
            #expect(error.message.contains("AES_CM_128_HMAC_SHA1_80"))
        }
    }

    @Test("refuses an empty offer")
    func emptyOffer() {
        #expect(throws: CryptoNegotiationError.noAcceptableCrypto(reasons: ["the offer has no a=crypto line"])) {
            try CryptoNegotiation.answer(offer: [], localKey: Self.ourKey)
        }
    }

    @Test("reports a wrong-length local key instead of trapping")
    func badLocalKey() {
        #expect(throws: CryptoNegotiationError.localKeyLength(expected: 30, actual: 16)) {
            try CryptoNegotiation.answer(
                offerValues: ["1 AES_CM_128_HMAC_SHA1_80 inline:\(Self.peerB64)"], localKey: Array(repeating: 1, count: 16))
        }
    }

    @Test("makeOffer: tag 1 _80 and tag 2 _32 with the given keys")
    func makeOffer() throws {
        let key2 = Array(repeating: UInt8(0x5A), count: 30)
        let lines = try CryptoNegotiation.makeOffer(keys: [Self.ourKey, key2])
        #expect(lines.map(\.value) == [
            "1 AES_CM_128_HMAC_SHA1_80 inline:\(Base64.encode(Self.ourKey))",
            "2 AES_CM_128_HMAC_SHA1_32 inline:\(Base64.encode(key2))",
        ])
        #expect(throws: CryptoNegotiationError.keyCount(expected: 2, actual: 1)) {
            try CryptoNegotiation.makeOffer(keys: [Self.ourKey])
        }
        #expect(throws: CryptoNegotiationError.localKeyLength(expected: 30, actual: 29)) {
            try CryptoNegotiation.makeOffer(keys: [Self.ourKey, Array(key2.dropLast())])
        }
    }

    @Test("offer → answer → acceptAnswer agree on mirrored keys")
    func fullExchange() throws {
        let key2 = Array(repeating: UInt8(0x5A), count: 30)
        let offer = try CryptoNegotiation.makeOffer(keys: [Self.ourKey, key2])
        // The peer prefers _32: it drops our first line.
        let answer = try CryptoNegotiation.answer(offerValues: [offer[1].value], localKey: Self.peerKey)
        let ours = try CryptoNegotiation.acceptAnswer(answerValues: [answer.attribute.value], offer: offer)
        #expect(ours == NegotiatedCrypto(tag: 2, suite: .aes128CmSha1_32, localKey: key2, remoteKey: Self.peerKey))
        #expect(ours.localKey == answer.negotiated.remoteKey)
        #expect(ours.remoteKey == answer.negotiated.localKey)
    }

    @Test("acceptAnswer refuses answers that do not match the offer", arguments: [
        "3 AES_CM_128_HMAC_SHA1_80 inline:\(peerB64)",                   // tag not offered
        "1 AES_CM_128_HMAC_SHA1_32 inline:\(peerB64)",                   // suite changed
        "1 AES_CM_128_HMAC_SHA1_80 inline:\(peerB64)|2^20|1:4",          // MKI
        "1 AES_CM_128_HMAC_SHA1_80 inline:\(peerB64) UNENCRYPTED_SRTCP", // refused parameter
        "1 AES_CM_128_HMAC_SHA1_80 inline:Zm9v",                         // bad key
    ])
    func badAnswers(line: String) throws {
        let offer = try CryptoNegotiation.makeOffer(keys: [Self.ourKey, Self.ourKey])
        do {
            _ = try CryptoNegotiation.acceptAnswer(answerValues: [line], offer: offer)
            Issue.record("accepted \(line)")
        } catch {
            #expect(error.code == "sdp.crypto_bad_answer")
        }
    }

    @Test("acceptAnswer wants exactly one line")
    func answerCount() throws {
        let offer = try CryptoNegotiation.makeOffer(keys: [Self.ourKey, Self.ourKey])
        #expect(throws: CryptoNegotiationError.self) {
            try CryptoNegotiation.acceptAnswer(answer: [], offer: offer)
        }
        #expect(throws: CryptoNegotiationError.self) {
            try CryptoNegotiation.acceptAnswer(answer: [offer[0], offer[0]], offer: offer)
        }
    }
}
