import Foundation
import Testing
@testable import Codecs

@Suite struct G711Tests {
    @Test func muLawDecodeThenEncodeIsIdentityExceptNegativeZero() {
        for code in 0...255 {
            let c = UInt8(code)
            let back = G711.muLawEncode(G711.muLawDecode(c))
            if c == 0x7F {
                // 0x7F is "negative zero": it decodes to 0, and 0 encodes to positive zero 0xFF.
                #expect(G711.muLawDecode(c) == 0)
                #expect(back == 0xFF)
            } else {
                #expect(back == c, "code \(code)")
            }
        }
    }

    @Test func aLawDecodeThenEncodeIsIdentityForAllCodes() {
        for code in 0...255 {
            let c = UInt8(code)
            #expect(G711.aLawEncode(G711.aLawDecode(c)) == c, "code \(code)")
        }
    }

    @Test func referenceValues() {
        #expect(G711.muLawDecode(0xFF) == 0)
        #expect(G711.muLawDecode(0x7F) == 0)
        #expect(G711.muLawDecode(0x00) == -32124)
        #expect(G711.muLawDecode(0x80) == 32124)
        #expect(G711.muLawDecode(0xFE) == 8)
        #expect(G711.muLawDecode(0x7E) == -8)
        #expect(G711.aLawDecode(0xD5) == 8)
        #expect(G711.aLawDecode(0x55) == -8)
        #expect(G711.aLawDecode(0xAA) == 32256)
        #expect(G711.aLawDecode(0x2A) == -32256)
        #expect(G711.muLawEncode(0) == 0xFF)
        #expect(G711.aLawEncode(0) == 0xD5)
        #expect(G711.aLawEncode(-1) == 0x55)
        // Table matches the reference formula entry by entry.
        for code in 0...255 {
            #expect(G711.muLawDecodeTable[code] == G711.muLawDecodeFormula(UInt8(code)))
            #expect(G711.aLawDecodeTable[code] == G711.aLawDecodeFormula(UInt8(code)))
        }
    }

    @Test func decodeIsMonotonic() {
        // μ-law negatives 0x00...0x7F run from most negative to zero; positives 0xFF...0x80
        // from zero to loudest. Ordering codes by level must give strictly increasing output.
        let muOrder = Array((0x00...0x7F).map { UInt8($0) }) + Array((0x80...0xFF).reversed().map { UInt8($0) })
        let mu = muOrder.map { Int(G711.muLawDecode($0)) }
        for i in 1..<mu.count where muOrder[i] != 0xFF {
            #expect(mu[i] > mu[i - 1], "μ-law at \(muOrder[i])")
        }
        #expect(mu.first == -32124)
        #expect(mu.last == 32124)
        // The only tie is the negative-zero/positive-zero pair 0x7F/0xFF.
        #expect(mu[127] == 0 && mu[128] == 0)
        // A-law: after removing the 0x55 inversion, sign bit set = positive, magnitude = low 7 bits.
        let aOrder = (0..<256).map { i -> UInt8 in
            let raw = i < 128 ? UInt8(127 - i) : UInt8(i)  // negatives loudest first, then positives
            return raw ^ 0x55
        }
        let a = aOrder.map { Int(G711.aLawDecode($0)) }
        for i in 1..<a.count { #expect(a[i] > a[i - 1], "A-law at \(aOrder[i])") }
    }

    @Test func encodeExtremes() {
        #expect(G711.muLawEncode(32767) == 0x80)
        #expect(G711.muLawEncode(-32767) == 0x00)
        #expect(G711.muLawEncode(-32768) == 0x00)
        #expect(G711.aLawEncode(32767) == 0xAA)
        #expect(G711.aLawEncode(-32767) == 0x2A)
        #expect(G711.aLawEncode(-32768) == 0x2A)
    }

    @Test func encodeQuantisesToNearestSegmentStepForEveryInput() {
        // Every linear value must decode back to within half a step of the segment it fell in.
        for v in Int(Int16.min)...Int(Int16.max) {
            let s = Int16(v)
            let mu = Int(G711.muLawDecode(G711.muLawEncode(s)))
            let a = Int(G711.aLawDecode(G711.aLawEncode(s)))
            let clipped = max(-32635, min(32635, v))
            #expect(abs(mu - clipped) <= max(8, abs(clipped) / 16 + 8))
            #expect(abs(a - v) <= max(16, abs(v) / 16 + 16))
        }
    }

    @Test(arguments: [G711Law.muLaw, G711Law.aLaw])
    func toneRoundTripIsBitExact(law: G711Law) {
        // 1 kHz at 8 kHz, near full scale: encode → decode → encode must reproduce the codes.
        let n = 800
        let pcm = (0..<n).map { i in Int16((30000.0 * sin(2.0 * Double.pi * 1000.0 * Double(i) / 8000.0 + 0.3)).rounded()) }
        var codes = [UInt8](repeating: 0, count: n)
        var decoded = [Int16](repeating: 0, count: n)
        var codes2 = [UInt8](repeating: 0xEE, count: n)
        pcm.withUnsafeBufferPointer { p in
            codes.withUnsafeMutableBufferPointer { #expect(G711.encode(p, into: $0, law: law) == n) }
        }
        codes.withUnsafeBufferPointer { c in
            decoded.withUnsafeMutableBufferPointer { #expect(G711.decode(c, into: $0, law: law) == n) }
        }
        decoded.withUnsafeBufferPointer { d in
            codes2.withUnsafeMutableBufferPointer { #expect(G711.encode(d, into: $0, law: law) == n) }
        }
        #expect(codes2 == codes)
        // Bulk and scalar paths agree, and the decoded tone tracks the input (SNR-ish bound).
        for i in 0..<n {
            #expect(codes[i] == G711.encode(pcm[i], law: law))
            #expect(decoded[i] == G711.decode(codes[i], law: law))
            #expect(abs(Int(decoded[i]) - Int(pcm[i])) <= 1100)
        }
    }

    @Test func bulkStopsAtShorterBuffer() {
        let pcm: [Int16] = [0, 100, -100, 2000]
        var out = [UInt8](repeating: 0x11, count: 2)
        let written = pcm.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { G711.encode(p, into: $0, law: .aLaw) }
        }
        #expect(written == 2)
        #expect(out == [G711.aLawEncode(0), G711.aLawEncode(100)])
    }
}
