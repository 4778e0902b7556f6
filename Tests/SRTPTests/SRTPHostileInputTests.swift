import SDP
import Testing
@testable import SRTP

@Suite("SRTPSession: bad input is an error, never a crash")
struct SRTPHostileInputTests {
    static let key = (0..<30).map { UInt8($0) }

    static func session(_ suite: CryptoSuite = .aes128CmSha1_80) throws -> SRTPSession {
        try SRTPSession(suite: suite, localKey: key, remoteKey: key)
    }

    @Test("short SRTP packets are truncated errors", arguments: [0, 1, 11, 12, 21])
    func shortSRTP(length: Int) throws {
        let buffer = PacketBuffer([0x80] + Array(repeating: 0, count: max(0, length - 1)))
        buffer.length = length
        #expect(throws: SRTPError.truncated(length: length, minimum: 22)) {
            _ = try Self.session().unprotectRTP(buffer.pointer, length: length)
        }
    }

    @Test("short RTP cannot be protected")
    func shortRTP() throws {
        let buffer = PacketBuffer([0x80, 0, 0, 1])
        #expect(throws: SRTPError.truncated(length: 4, minimum: 12)) {
            _ = try Self.session().protectRTP(buffer.pointer, length: 4, capacity: buffer.capacity)
        }
    }

    @Test("short SRTCP packets are truncated errors", arguments: [0, 7, 8, 21])
    func shortSRTCP(length: Int) throws {
        let buffer = PacketBuffer([0x80] + Array(repeating: 0, count: 40))
        #expect(throws: SRTPError.truncated(length: length, minimum: 22)) {
            _ = try Self.session().unprotectRTCP(buffer.pointer, length: length)
        }
    }

    @Test("wrong version, CSRC overrun and extension overrun are malformed")
    func malformed() throws {
        let session = try Self.session()
        let cases: [[UInt8]] = [
            [0x40] + Array(repeating: 0, count: 40),                  // version 1
            [0x8F] + Array(repeating: 0, count: 40),                  // 15 CSRCs need 72 bytes
            [0x90] + Array(repeating: 0, count: 11) + [0xBE, 0xDE, 0xFF, 0xFF] + Array(repeating: 0, count: 20),
        ]
        for bytes in cases {
            let buffer = PacketBuffer(bytes)
            do {
                _ = try session.unprotectRTP(buffer.pointer, length: buffer.length)
                Issue.record("accepted \(bytes.prefix(4))")
            } catch {
                #expect(error.code == "srtp.malformed", "\(error.message)")
            }
            do {
                _ = try session.protectRTP(buffer.pointer, length: buffer.length, capacity: buffer.capacity)
                Issue.record("protected \(bytes.prefix(4))")
            } catch {
                #expect(error.code == "srtp.malformed", "\(error.message)")
            }
        }
    }

    @Test("random garbage of plausible size fails authentication or is malformed")
    func garbage() throws {
        let session = try Self.session(.aes128CmSha1_32)
        var state: UInt32 = 0x1234_5678
        for round in 0..<200 {
            let length = 22 + round % 180
            var bytes = [UInt8]()
            for _ in 0..<length {
                state = state &* 1_664_525 &+ 1_013_904_223  // LCG, deterministic
                bytes.append(UInt8(truncatingIfNeeded: state >> 24))
            }
            bytes[0] = 0x80 | (bytes[0] & 0x3F)
            let buffer = PacketBuffer(bytes)
            do {
                _ = try session.unprotectRTP(buffer.pointer, length: buffer.length)
                Issue.record("garbage authenticated")
            } catch {
                #expect(["srtp.auth_fail", "srtp.malformed"].contains(error.code))
            }
            do {
                _ = try session.unprotectRTCP(buffer.pointer, length: buffer.length)
                Issue.record("garbage SRTCP authenticated")
            } catch {
                #expect(["srtp.auth_fail", "srtp.replay", "srtp.malformed"].contains(error.code), "\(error)")
            }
        }
    }

    @Test("protect refuses a buffer without room for the trailer")
    func noRoom() throws {
        let plain = rtpPacket(seq: 1, payload: Array(repeating: 1, count: 160))
        let buffer = PacketBuffer(plain, capacity: plain.count + 10)
        let needed = plain.count + SRTPSession.trailerBytes
        #expect(SRTPSession.trailerBytes == 148)
        #expect(throws: SRTPError.bufferTooSmall(needed: needed, capacity: plain.count + 10)) {
            _ = try Self.session().protectRTP(buffer.pointer, length: buffer.length, capacity: buffer.capacity)
        }
        #expect(throws: SRTPError.bufferTooSmall(needed: 8 + SRTPSession.trailerBytes, capacity: 20)) {
            let rtcp = PacketBuffer(rtcpPacket(), capacity: 20)
            _ = try Self.session().protectRTCP(rtcp.pointer, length: rtcp.length, capacity: rtcp.capacity)
        }
    }

    @Test("negative, oversized lengths and misaligned buffers are refused")
    func badArguments() throws {
        let session = try Self.session()
        let buffer = PacketBuffer(rtpPacket(seq: 1, payload: Array(repeating: 0, count: 40)))
        #expect(throws: SRTPError.self) { _ = try session.unprotectRTP(buffer.pointer, length: -1) }
        #expect(throws: SRTPError.self) { _ = try session.unprotectRTP(buffer.pointer, length: 70_000) }
        #expect(throws: SRTPError.badParameter) {
            _ = try session.protectRTP(buffer.pointer + 1, length: 30, capacity: 1400)
        }
    }

    @Test("keys of the wrong length are refused")
    func keyLength() {
        #expect(throws: SRTPError.keyLength(expected: 30, actual: 16)) {
            _ = try SRTPSession(suite: .aes128CmSha1_80, localKey: Array(Self.key.prefix(16)), remoteKey: Self.key)
        }
        #expect(throws: SRTPError.keyLength(expected: 30, actual: 0)) {
            _ = try SRTPSession(suite: .aes128CmSha1_32, localKey: Self.key, remoteKey: [])
        }
    }

    @Test("every error has a distinct stable code")
    func codes() {
        let errors: [SRTPError] = [
            .authenticationFailed, .replay, .badParameter, .initFailed, .allocationFailed, .keyExpired,
            .cipherFailed, .keyLength(expected: 30, actual: 1), .truncated(length: 1, minimum: 2),
            .malformed("x"), .bufferTooSmall(needed: 2, capacity: 1), .library(status: 99),
        ]
        let codes = errors.map(\.code)
        #expect(Set(codes).count == codes.count)
        #expect(codes.allSatisfy { $0.hasPrefix("srtp.") })
        #expect(codes.contains("srtp.bad_param") && codes.contains("srtp.init"))
        #expect(errors.allSatisfy { !$0.message.isEmpty })
    }
}
