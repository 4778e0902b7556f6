import Testing
@testable import SDP

@Suite("a=crypto attribute (RFC 4568 §9)")
struct CryptoAttributeTests {
    /// RFC 4568 §9.1-style example key: 40 base64 characters = 30 bytes.
    static let rfcKey = "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"

    @Test("parses an RFC 4568 example with lifetime and MKI")
    func parsesExample() throws {
        let attribute = try CryptoAttribute.parse("1 AES_CM_128_HMAC_SHA1_80 inline:\(Self.rfcKey)|2^20|1:32")
        #expect(attribute.tag == 1)
        #expect(attribute.suite == "AES_CM_128_HMAC_SHA1_80")
        #expect(attribute.cryptoSuite == .aes128CmSha1_80)
        #expect(attribute.sessionParams.isEmpty)
        let key = try #require(attribute.keyParams.first)
        #expect(attribute.keyParams.count == 1)
        #expect(key.keySalt.count == 30)
        #expect(key.keySalt.prefix(4) == [0x3D, 0x2D, 0x6E, 0x40])  // "PS1uQC..." decoded
        #expect(key.lifetime == 1 << 20)
        #expect(key.mki == MKI(value: 1, length: 32))
    }

    @Test("parses a key without lifetime or MKI, and the _32 suite")
    func parsesBareKey() throws {
        let attribute = try CryptoAttribute.parse("12 AES_CM_128_HMAC_SHA1_32 inline:\(Self.rfcKey)")
        #expect(attribute.tag == 12)
        #expect(attribute.cryptoSuite == .aes128CmSha1_32)
        #expect(attribute.keyParams == [KeyParam(keySalt: try #require(Base64.decode(Self.rfcKey)))])
    }

    @Test("lifetime: decimal form, 2^n form, and MKI without lifetime")
    func lifetimeForms() throws {
        let decimal = try CryptoAttribute.parse("1 AES_CM_128_HMAC_SHA1_80 inline:\(Self.rfcKey)|1048576")
        #expect(decimal.keyParams.first?.lifetime == 1_048_576)
        #expect(decimal.keyParams.first?.mki == nil)
        let odd = try CryptoAttribute.parse("1 AES_CM_128_HMAC_SHA1_80 inline:\(Self.rfcKey)|1000")
        #expect(odd.keyParams.first?.lifetime == 1000)
        let big = try CryptoAttribute.parse("1 AES_CM_128_HMAC_SHA1_80 inline:\(Self.rfcKey)|2^63")
        #expect(big.keyParams.first?.lifetime == 1 << 63)
        let mkiOnly = try CryptoAttribute.parse("1 AES_CM_128_HMAC_SHA1_80 inline:\(Self.rfcKey)|7:1")
        #expect(mkiOnly.keyParams.first?.lifetime == nil)
        #expect(mkiOnly.keyParams.first?.mki == MKI(value: 7, length: 1))
    }

    @Test("keeps unknown suites, several keys and session parameters (RFC 4568 §4 example)")
    func unknownSuiteAndParams() throws {
        let value = "2 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm|2^20|1:4;"
            + "inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:4 FEC_ORDER=FEC_SRTP"
        let attribute = try CryptoAttribute.parse(value)
        #expect(attribute.tag == 2)
        #expect(attribute.suite == "F8_128_HMAC_SHA1_80")
        #expect(attribute.cryptoSuite == nil)
        #expect(attribute.keyParams.count == 2)
        #expect(attribute.keyParams.map(\.mki) == [MKI(value: 1, length: 4), MKI(value: 2, length: 4)])
        #expect(attribute.keyParams[0].keySalt == Array("123456789ABCDE0123456789ABcdef".utf8))
        #expect(attribute.sessionParams == ["FEC_ORDER=FEC_SRTP"])
        #expect(attribute.value == value)
    }

    @Test("tolerates extra spaces and tabs, and an ASCII-case variant of the suite and method")
    func whitespaceAndCase() throws {
        let attribute = try CryptoAttribute.parse("  3\taes_cm_128_hmac_sha1_80   INLINE:\(Self.rfcKey)  KDR=0 ")
        #expect(attribute.tag == 3)
        #expect(attribute.cryptoSuite == .aes128CmSha1_80)
        #expect(attribute.sessionParams == ["KDR=0"])
    }

    @Test("value round-trips", arguments: [
        "1 AES_CM_128_HMAC_SHA1_80 inline:\(rfcKey)|2^20|1:32",
        "1 AES_CM_128_HMAC_SHA1_80 inline:\(rfcKey)",
        "2 AES_CM_128_HMAC_SHA1_32 inline:\(rfcKey)|2^31 KDR=0 WSH=128",
        "9 AES_CM_128_HMAC_SHA1_80 inline:\(rfcKey)|1000|255:1 UNENCRYPTED_SRTCP",
        "123456789 AEAD_AES_256_GCM inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVmMTIz",
    ])
    func roundTrip(value: String) throws {
        let attribute = try CryptoAttribute.parse(value)
        #expect(attribute.value == value)
        #expect(try CryptoAttribute.parse(attribute.value) == attribute)
    }

    @Test("decimal power-of-two lifetimes are written as 2^n")
    func lifetimeNormalised() throws {
        let attribute = try CryptoAttribute.parse("1 AES_CM_128_HMAC_SHA1_80 inline:\(Self.rfcKey)|1048576")
        #expect(attribute.value == "1 AES_CM_128_HMAC_SHA1_80 inline:\(Self.rfcKey)|2^20")
    }

    static let badLines: [(String, String)] = [
        ("", "sdp.crypto_syntax"),
        ("1 AES_CM_128_HMAC_SHA1_80", "sdp.crypto_syntax"),
        ("1 AES-CM inline:\(rfcKey)", "sdp.crypto_syntax"),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(rfcKey)\r", "sdp.crypto_syntax"),
        ("1 AES_CM_128_HMAC_SHA1_80 \(rfcKey)", "sdp.crypto_syntax"),
        ("1 AES_CM_128_HMAC_SHA1_80 :\(rfcKey)", "sdp.crypto_syntax"),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(rfcKey);", "sdp.crypto_syntax"),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(rfcKey)||1:4", "sdp.crypto_syntax"),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(rfcKey)|2^20|1:4|x", "sdp.crypto_syntax"),
        ("x AES_CM_128_HMAC_SHA1_80 inline:\(rfcKey)", "sdp.crypto_tag"),
        ("1234567890 AES_CM_128_HMAC_SHA1_80 inline:\(rfcKey)", "sdp.crypto_tag"),
        ("-1 AES_CM_128_HMAC_SHA1_80 inline:\(rfcKey)", "sdp.crypto_tag"),
        ("1 AES_CM_128_HMAC_SHA1_80 uri:\(rfcKey)", "sdp.crypto_key_method"),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:PS1u!CVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR", "sdp.crypto_key_encoding"),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:Zm9vYmFy", "sdp.crypto_key_length"),
        ("1 AES_CM_128_HMAC_SHA1_32 inline:\(rfcKey)AAAA", "sdp.crypto_key_length"),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(rfcKey)|2^64", "sdp.crypto_lifetime"),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(rfcKey)|2^", "sdp.crypto_lifetime"),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(rfcKey)|0", "sdp.crypto_lifetime"),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(rfcKey)|99999999999999999999", "sdp.crypto_lifetime"),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(rfcKey)|2^20|1:0", "sdp.crypto_mki"),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(rfcKey)|2^20|1:129", "sdp.crypto_mki"),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(rfcKey)|2^20|256:1", "sdp.crypto_mki"),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(rfcKey)|2^20|4294967296:4", "sdp.crypto_mki"),
        ("1 AES_CM_128_HMAC_SHA1_80 inline:\(rfcKey)|2^20|1:2:3", "sdp.crypto_mki"),
    ]

    @Test("rejects bad lines with the right code", arguments: badLines)
    func rejects(value: String, code: String) {
        do {
            let attribute = try CryptoAttribute.parse(value)
            Issue.record("parsed unexpectedly: \(attribute)")
        } catch {
            #expect(error.code == code, "\(error.message)")
            #expect(error.message.hasPrefix("a=crypto: "))
        }
    }

    @Test("the key-length error names the suite and both lengths")
    func keyLengthMessage() {
        #expect(throws: CryptoAttributeError.keyLength(suite: "AES_CM_128_HMAC_SHA1_80", expected: 30, actual: 6)) {
            try CryptoAttribute.parse("1 AES_CM_128_HMAC_SHA1_80 inline:Zm9vYmFy")
        }
        let error = CryptoAttributeError.keyLength(suite: "AES_CM_128_HMAC_SHA1_80", expected: 30, actual: 6)
        #expect(error.message.contains("AES_CM_128_HMAC_SHA1_80"))
        #expect(error.message.contains("30") && error.message.contains("6 bytes"))
    }

    @Test("caps the number of key-params")
    func tooManyKeys() {
        let keys = Array(repeating: "inline:\(Self.rfcKey)|2^20|1:4", count: 17).joined(separator: ";")
        #expect(throws: CryptoAttributeError.self) {
            try CryptoAttribute.parse("1 AES_CM_128_HMAC_SHA1_80 \(keys)")
        }
    }

    @Test("suite facts (RFC 4568 §6.2)")
    func suiteFacts() {
        #expect(CryptoSuite.aes128CmSha1_80.keySaltLength == 30)
        #expect(CryptoSuite.aes128CmSha1_32.keySaltLength == 30)
        #expect(CryptoSuite.aes128CmSha1_80.srtpTagLength == 10)
        #expect(CryptoSuite.aes128CmSha1_32.srtpTagLength == 4)
        #expect(CryptoSuite.aes128CmSha1_32.srtcpTagLength == 10)
        #expect(CryptoSuite(name: "AES_CM_128_HMAC_SHA1_8") == nil)
        #expect(CryptoSuite(name: "AES_CM_128_HMAC_SHA1_800") == nil)
    }
}
