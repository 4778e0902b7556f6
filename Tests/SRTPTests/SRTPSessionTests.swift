import SDP
import Testing
@testable import SRTP

@Suite("SRTPSession (libsrtp)")
struct SRTPSessionTests {
    static let keyA = (0..<30).map { UInt8($0 &* 7 &+ 1) }
    static let keyB = (0..<30).map { UInt8(0xF0 &- $0) }
    static let payload = (0..<160).map { UInt8(truncatingIfNeeded: $0 &* 13) }

    /// Two ends of one call: A's local key is B's remote key and vice versa.
    static func pair(_ suite: CryptoSuite) throws -> (a: SRTPSession, b: SRTPSession) {
        (try SRTPSession(suite: suite, localKey: keyA, remoteKey: keyB),
         try SRTPSession(suite: suite, localKey: keyB, remoteKey: keyA))
    }

    static func protect(_ session: SRTPSession, _ buffer: PacketBuffer) throws {
        buffer.length = try session.protectRTP(buffer.pointer, length: buffer.length, capacity: buffer.capacity)
    }

    static func unprotect(_ session: SRTPSession, _ buffer: PacketBuffer) throws {
        buffer.length = try session.unprotectRTP(buffer.pointer, length: buffer.length)
    }

    @Test("A protects, B unprotects: original bytes back, tag size per suite",
          arguments: [(CryptoSuite.aes128CmSha1_80, 10), (CryptoSuite.aes128CmSha1_32, 4)])
    func roundTrip(suite: CryptoSuite, tag: Int) throws {
        let (a, b) = try Self.pair(suite)
        #expect(a.rtpOverhead == tag)
        for seq in UInt16(1000)..<1010 {
            let plain = rtpPacket(seq: seq, payload: Self.payload)
            let buffer = PacketBuffer(plain)
            try Self.protect(a, buffer)
            #expect(buffer.length == plain.count + tag)
            #expect(Array(buffer.bytes.prefix(12)) == Array(plain.prefix(12)))  // header in clear
            #expect(Array(buffer.bytes[12..<plain.count]) != Array(plain[12...]))  // payload encrypted
            try Self.unprotect(b, buffer)
            #expect(buffer.bytes == plain)
        }
        // And the other direction uses the other key.
        let plain = rtpPacket(seq: 7, ssrc: 0xABCD, payload: Self.payload)
        let back = PacketBuffer(plain)
        try Self.protect(b, back)
        try Self.unprotect(a, back)
        #expect(back.bytes == plain)
    }

    @Test("a flipped bit anywhere fails authentication", arguments: [0, 5, 12, 100, 171])
    func flippedBit(offset: Int) throws {
        let (a, b) = try Self.pair(.aes128CmSha1_80)
        let buffer = PacketBuffer(rtpPacket(seq: 1, payload: Self.payload))
        try Self.protect(a, buffer)
        #expect(buffer.length == 182)
        buffer.flip(byte: offset, mask: offset == 0 ? 0x01 : 0x80)  // keep V=2 at byte 0
        #expect(throws: SRTPError.authenticationFailed) { try Self.unprotect(b, buffer) }
        #expect(SRTPError.authenticationFailed.code == "srtp.auth_fail")
    }

    @Test("the wrong key fails authentication")
    func wrongKey() throws {
        let a = try SRTPSession(suite: .aes128CmSha1_80, localKey: Self.keyA, remoteKey: Self.keyB)
        let c = try SRTPSession(suite: .aes128CmSha1_80, localKey: Self.keyB, remoteKey: Self.keyB)
        let buffer = PacketBuffer(rtpPacket(seq: 1, payload: Self.payload))
        try Self.protect(a, buffer)
        #expect(throws: SRTPError.authenticationFailed) { try Self.unprotect(c, buffer) }
    }

    @Test("the same packet unprotected twice is a replay")
    func replay() throws {
        let (a, b) = try Self.pair(.aes128CmSha1_80)
        let buffer = PacketBuffer(rtpPacket(seq: 42, payload: Self.payload))
        try Self.protect(a, buffer)
        let wire = buffer.bytes
        try Self.unprotect(b, buffer)
        let again = PacketBuffer(wire)
        #expect(throws: SRTPError.replay) { try Self.unprotect(b, again) }
        #expect(SRTPError.replay.code == "srtp.replay")
    }

    @Test("a retransmitted equal packet protects again to the same bytes (allow_repeat_tx)")
    func repeatTx() throws {
        let (a, _) = try Self.pair(.aes128CmSha1_80)
        let plain = rtpPacket(seq: 9, payload: Self.payload)
        let first = PacketBuffer(plain)
        let second = PacketBuffer(plain)
        try Self.protect(a, first)
        try Self.protect(a, second)
        #expect(first.bytes == second.bytes)
    }

    @Test("SRTCP round trip adds the 4-byte index and a 10-byte tag for both suites",
          arguments: CryptoSuite.allCases)
    func srtcpRoundTrip(suite: CryptoSuite) throws {
        let (a, b) = try Self.pair(suite)
        #expect(a.rtcpOverhead == 14)
        let plain = rtcpPacket(body: Array(repeating: 0x55, count: 24))
        for index in 1...3 {
            let buffer = PacketBuffer(plain)
            buffer.length = try a.protectRTCP(buffer.pointer, length: buffer.length, capacity: buffer.capacity)
            #expect(buffer.length == plain.count + 14)
            // RFC 3711 §3.4: E flag set, then the 31-bit SRTCP index counting from 1.
            #expect(Array(buffer.bytes[plain.count..<plain.count + 4]) == [0x80, 0, 0, UInt8(index)])
            let wire = buffer.bytes
            buffer.length = try b.unprotectRTCP(buffer.pointer, length: buffer.length)
            #expect(buffer.bytes == plain)
            let replayed = PacketBuffer(wire)
            #expect(throws: SRTPError.replay) {
                _ = try b.unprotectRTCP(replayed.pointer, length: replayed.length)
            }
        }
        let tampered = PacketBuffer(plain)
        tampered.length = try a.protectRTCP(tampered.pointer, length: tampered.length, capacity: tampered.capacity)
        tampered.flip(byte: 10)
        #expect(throws: SRTPError.authenticationFailed) {
            _ = try b.unprotectRTCP(tampered.pointer, length: tampered.length)
        }
    }
}

@Suite("SRTPSession: streams and flags")
struct SRTPStreamTests {
    @Test("one session sends and receives several SSRCs (wildcard templates)")
    func severalSSRCs() throws {
        let (a, b) = try SRTPSessionTests.pair(.aes128CmSha1_80)
        for ssrc: UInt32 in [1, 0xDEAD_BEEF, 77] {
            for seq: UInt16 in [10, 11, 13] {
                let plain = rtpPacket(seq: seq, ssrc: ssrc, payload: SRTPSessionTests.payload)
                let buffer = PacketBuffer(plain)
                try SRTPSessionTests.protect(a, buffer)
                try SRTPSessionTests.unprotect(b, buffer)
                #expect(buffer.bytes == plain)
            }
        }
    }

    @Test("late but unseen packets inside the replay window are accepted")
    func reordered() throws {
        let (a, b) = try SRTPSessionTests.pair(.aes128CmSha1_32)
        var wire: [[UInt8]] = []
        for seq: UInt16 in 100..<110 {
            let buffer = PacketBuffer(rtpPacket(seq: seq, payload: [1, 2, 3, 4]))
            try SRTPSessionTests.protect(a, buffer)
            wire.append(buffer.bytes)
        }
        for index in [0, 2, 1, 9, 5, 3, 4, 8, 6, 7] {
            let buffer = PacketBuffer(wire[index])
            try SRTPSessionTests.unprotect(b, buffer)
            #expect(buffer.bytes == rtpPacket(seq: 100 + UInt16(index), payload: [1, 2, 3, 4]))
        }
    }

    @Test("an SRTCP packet with the E flag clear is refused as malformed")
    func clearEFlag() throws {
        let (a, b) = try SRTPSessionTests.pair(.aes128CmSha1_80)
        let plain = rtcpPacket(body: Array(repeating: 9, count: 8))
        let buffer = PacketBuffer(plain)
        buffer.length = try a.protectRTCP(buffer.pointer, length: buffer.length, capacity: buffer.capacity)
        buffer.flip(byte: plain.count, mask: 0x80)
        do {
            _ = try b.unprotectRTCP(buffer.pointer, length: buffer.length)
            Issue.record("accepted a clear E flag")
        } catch {
            #expect(error.code == "srtp.malformed")
        }
    }
}
