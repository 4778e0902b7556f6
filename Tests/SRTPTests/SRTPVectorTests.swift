import SDP
import Testing
@testable import SRTP

/// Known-answer tests. The reference packets are the ones libsrtp's test driver checks
/// (srtp_validate), and were re-derived independently from the RFC 3711 formulas (§4.3.1 key
/// derivation with labels 0–5, §4.1.1 AES-CM IV = (k_s·2^16) XOR (SSRC·2^64) XOR (i·2^16),
/// §4.2.1 HMAC-SHA1 over packet || ROC, SRTCP E||index) before being written here.
@Suite("SRTP known-answer vectors")
struct SRTPVectorTests {
    static let masterKeySalt = hex("e1f97a0d3e018be0d64fa32c06de4139 0ec675ad498afeebb6960b3aabe6")
    static let rtpPlain = hex("800f1234decafbadcafebabe" + String(repeating: "ab", count: 16))
    static let srtp80 = hex(
        "800f1234decafbadcafebabe 4e55dc4ce79978d88ca4d215949d2402 b78d6acc99ea179b8dbb")
    static let rtcpPlain = hex("81c8000bcafebabe" + String(repeating: "ab", count: 16))
    static let srtcp = hex(
        "81c8000bcafebabe 7128035be487b9bdbef89041f977a5a8 80000001 993e08cd54d6c1230798")
    static let otherKey = Array(repeating: UInt8(0x11), count: 30)

    @Test("AES_CM_128_HMAC_SHA1_80 protect matches the reference and unprotects back")
    func aes80() throws {
        let sender = try SRTPSession(suite: .aes128CmSha1_80, localKey: Self.masterKeySalt, remoteKey: Self.otherKey)
        let buffer = PacketBuffer(Self.rtpPlain)
        buffer.length = try sender.protectRTP(buffer.pointer, length: buffer.length, capacity: buffer.capacity)
        #expect(buffer.bytes == Self.srtp80)

        let receiver = try SRTPSession(suite: .aes128CmSha1_80, localKey: Self.otherKey, remoteKey: Self.masterKeySalt)
        let wire = PacketBuffer(Self.srtp80)
        wire.length = try receiver.unprotectRTP(wire.pointer, length: wire.length)
        #expect(wire.bytes == Self.rtpPlain)
    }

    @Test("AES_CM_128_HMAC_SHA1_32: same ciphertext, tag truncated to 4 bytes")
    func aes32() throws {
        let sender = try SRTPSession(suite: .aes128CmSha1_32, localKey: Self.masterKeySalt, remoteKey: Self.otherKey)
        let buffer = PacketBuffer(Self.rtpPlain)
        buffer.length = try sender.protectRTP(buffer.pointer, length: buffer.length, capacity: buffer.capacity)
        #expect(buffer.bytes == Array(Self.srtp80.prefix(32)))
    }

    @Test("SRTCP protect matches the reference (index 1, 80-bit tag) and unprotects back")
    func srtcpVector() throws {
        let sender = try SRTPSession(suite: .aes128CmSha1_80, localKey: Self.masterKeySalt, remoteKey: Self.otherKey)
        let buffer = PacketBuffer(Self.rtcpPlain)
        buffer.length = try sender.protectRTCP(buffer.pointer, length: buffer.length, capacity: buffer.capacity)
        #expect(buffer.bytes == Self.srtcp)

        let receiver = try SRTPSession(suite: .aes128CmSha1_32, localKey: Self.otherKey, remoteKey: Self.masterKeySalt)
        let wire = PacketBuffer(Self.srtcp)
        wire.length = try receiver.unprotectRTCP(wire.pointer, length: wire.length)
        #expect(wire.bytes == Self.rtcpPlain)
    }
}
