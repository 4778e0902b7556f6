import PBXTestSupport
import Testing
@testable import RTP

@Suite struct RTPHeaderTests {
    func sample(csrcs: [UInt32] = [], payload: [UInt8] = [1, 2, 3, 4]) throws -> [UInt8] {
        var out: [UInt8] = []
        let h = RTPHeader(marker: true, payloadType: 96, sequence: 0xBEEF, timestamp: 0x1234_5678, ssrc: 0xCAFE_BABE)
        try h.append(to: &out, csrcs: csrcs)
        out += payload
        return out
    }

    @Test func roundTripBasic() throws {
        let bytes = try sample()
        #expect(bytes.prefix(2) == [0x80, 0xE0])
        let v = try RTPPacketView.parse(bytes)
        #expect(v.header.marker)
        #expect(v.header.payloadType == 96)
        #expect(v.header.sequence == 0xBEEF)
        #expect(v.header.timestamp == 0x1234_5678)
        #expect(v.header.ssrc == 0xCAFE_BABE)
        #expect(v.payloadRange == 12..<16)
        #expect(Array(bytes[v.payloadRange]) == [1, 2, 3, 4])
    }

    @Test func writeIntoBufferMatchesAppend() throws {
        let h = RTPHeader(payloadType: 0, sequence: 7, timestamp: 160, ssrc: 42)
        var appended: [UInt8] = []
        try h.append(to: &appended, csrcs: [9, 10])
        var buf = [UInt8](repeating: 0xFF, count: 40)
        let n = try buf.withUnsafeMutableBytes { try h.write(into: $0, csrcs: [9, 10]) }
        #expect(n == 20)
        #expect(Array(buf[0..<n]) == appended)
        var small = [UInt8](repeating: 0, count: 11)
        #expect(throws: RTPError.bufferTooSmall(needed: 12, available: 11)) {
            try small.withUnsafeMutableBytes { try h.write(into: $0) }
        }
        #expect(throws: RTPError.invalidValue("more than 15 CSRCs")) {
            try buf.withUnsafeMutableBytes { try h.write(into: $0, csrcs: Array(repeating: 1, count: 16)) }
        }
    }

    @Test func csrcsExtensionAndPadding() throws {
        var bytes = try sample(csrcs: [0x11, 0x22], payload: [])
        bytes[0] |= 0x30  // P and X
        bytes += [0xBE, 0xDE, 0x00, 0x01, 0xAA, 0xBB, 0xCC, 0xDD]  // extension: 1 word
        bytes += [9, 8, 7]  // payload
        bytes += [0, 0, 3]  // 3 bytes of padding
        let v = try RTPPacketView.parse(bytes)
        #expect(v.header.csrcCount == 2)
        #expect(v.extensionProfile == 0xBEDE)
        #expect(Array(bytes[v.extensionRange]) == [0xAA, 0xBB, 0xCC, 0xDD])
        #expect(Array(bytes[v.payloadRange]) == [9, 8, 7])
        #expect(v.paddingLength == 3)
        bytes.withUnsafeBytes { buf in
            #expect(v.csrc(0, in: buf) == 0x11)
            #expect(v.csrc(1, in: buf) == 0x22)
            #expect(v.csrc(2, in: buf) == nil)
        }
    }

    @Test func hostilePackets() throws {
        #expect(throws: RTPError.truncated(needed: 12, available: 3)) { try RTPPacketView.parse([0x80, 0, 0]) }
        var v1 = try sample(); v1[0] = 0x40
        #expect(throws: RTPError.badVersion(1)) { try RTPPacketView.parse(v1) }
        var cc = try sample(payload: []); cc[0] = 0x8F  // 15 CSRCs claimed, none present
        #expect(throws: RTPError.truncated(needed: 72, available: 12)) { try RTPPacketView.parse(cc) }
        var ext = try sample(payload: [0xBE, 0xDE, 0xFF, 0xFF]); ext[0] |= 0x10
        #expect(throws: RTPError.truncated(needed: 16 + 4 * 0xFFFF, available: 16)) { try RTPPacketView.parse(ext) }
        var extShort = try sample(payload: [0xBE, 0xDE]); extShort[0] |= 0x10
        #expect(throws: RTPError.truncated(needed: 16, available: 14)) { try RTPPacketView.parse(extShort) }
        var pad = try sample(payload: [1, 2, 200]); pad[0] |= 0x20
        #expect(throws: RTPError.badPadding(200)) { try RTPPacketView.parse(pad) }
        var pad0 = try sample(payload: [1, 0]); pad0[0] |= 0x20
        #expect(throws: RTPError.badPadding(0)) { try RTPPacketView.parse(pad0) }
        var padAll = try sample(payload: []); padAll[0] |= 0x20
        #expect(throws: RTPError.badPadding(0)) { try RTPPacketView.parse(padAll) }
        // Padding covering the whole payload is legal: empty payload.
        var padExact = try sample(payload: [0, 0, 3]); padExact[0] |= 0x20
        #expect(try RTPPacketView.parse(padExact).payloadRange.isEmpty)
    }

    @Test func randomMutationNeverTrapsAndRangesStayInBounds() throws {
        var rng = SplitMix64(seed: 0x9E37_79B9_7F4A_7C15)
        var base = try sample(csrcs: [1, 2, 3], payload: Array(0..<40))
        base[0] |= 0x10
        base.insert(contentsOf: [0x10, 0x00, 0x00, 0x02, 1, 2, 3, 4, 5, 6, 7, 8], at: 24)
        _ = try RTPPacketView.parse(base)
        var accepted = 0, rejected = 0
        for _ in 0..<5000 {
            var m = base
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: m[Int.random(in: 0..<m.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                case 1: m.removeLast(Int.random(in: 0...min(20, m.count), using: &rng))
                default: if !m.isEmpty { m[0] ^= 1 << UInt8.random(in: 0..<8, using: &rng) }
                }
                if m.isEmpty { break }
            }
            do {
                let v = try RTPPacketView.parse(m)
                #expect(v.payloadRange.lowerBound >= 12 && v.payloadRange.upperBound <= m.count)
                #expect(v.extensionRange.upperBound <= v.payloadRange.lowerBound)
                accepted += 1
            } catch {
                #expect(!error.code.isEmpty)
                rejected += 1
            }
        }
        #expect(accepted > 0 && rejected > 0)
    }
}
