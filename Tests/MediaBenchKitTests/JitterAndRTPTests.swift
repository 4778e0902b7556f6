import Testing
@testable import MediaBenchKit

@Suite struct JitterHistogramTests {
    @Test func percentilesUseBucketUpperEdges() {
        var h = JitterHistogram()
        for _ in 0..<990 { h.record(interArrivalNs: 20_003_000, expectedNs: 20_000_000) } // 3 µs → bucket 0
        for _ in 0..<10 { h.record(interArrivalNs: 18_500_000, expectedNs: 20_000_000) }  // 1.5 ms early
        #expect(h.count == 1000)
        #expect(h.percentileNs(0.99) == 10_000)
        #expect(h.percentileNs(0.995) == 1_500_000) // bucket 150 ends at 1.51 ms, capped by the max
        #expect(h.maxNs == 1_500_000)
        #expect(h.percentileNs(1) == 1_500_000)
    }

    @Test func overflowKeepsTheExactMaximum() {
        var h = JitterHistogram()
        h.record(deviationNs: 5_000)
        h.record(deviationNs: 350_000_000)
        #expect(h.percentileNs(1) == 350_000_000)
        #expect(h.percentileNs(0.5) == 10_000) // upper edge of the 0–10 µs bucket
        #expect(JitterHistogram().percentileNs(0.99) == 0)
    }

    @Test func mergeAddsCountsAndMaxima() {
        var a = JitterHistogram()
        var b = JitterHistogram()
        a.record(deviationNs: 100_000)
        b.record(deviationNs: 900_000)
        b.record(deviationNs: 900_000)
        a.merge(b)
        #expect(a.count == 3)
        #expect(a.maxNs == 900_000)
        #expect(a.percentileNs(0.34) == 900_000)
        var other = JitterHistogram(bucketNs: 1_000)
        other.record(deviationNs: 1)
        a.merge(other) // different geometry: ignored, not mixed up
        #expect(a.count == 3)
    }
}

@Suite struct RTPWireTests {
    @Test func headerRoundTrip() {
        var bytes = [UInt8](repeating: 0xEE, count: 20)
        bytes.withUnsafeMutableBytes {
            RTPWire.writeHeader($0.baseAddress!, payloadType: 111, marker: true, sequence: 0xBEEF,
                                timestamp: 0x0102_0304, ssrc: 0xCAFE_BABE)
        }
        #expect(Array(bytes[0..<12]) == [0x80, 0xEF, 0xBE, 0xEF, 1, 2, 3, 4, 0xCA, 0xFE, 0xBA, 0xBE])
        let parsed = bytes.withUnsafeBytes { RTPWire.parse($0) }
        #expect(parsed?.payloadType == 111)
        #expect(parsed?.payload == 12..<20)
    }

    @Test func skipsCSRCsExtensionAndPadding() {
        // V=2, P=1, X=1, CC=1; PT 0.
        var p: [UInt8] = [0xB1, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]
        p += [9, 9, 9, 9]                   // one CSRC
        p += [0xBE, 0xDE, 0, 1, 7, 7, 7, 7] // extension: one 32-bit word
        p += [0x55, 0x66]                   // payload
        p += [0, 0, 3]                      // three padding octets
        let parsed = p.withUnsafeBytes { RTPWire.parse($0) }
        #expect(parsed?.payload == 24..<26)
    }

    @Test func refusesWhatIsNotRTP() {
        #expect([UInt8](repeating: 0, count: 11).withUnsafeBytes { RTPWire.parse($0) } == nil)
        #expect(([0x40] + [UInt8](repeating: 0, count: 15)).withUnsafeBytes { RTPWire.parse($0) } == nil) // version 1
        #expect(([0x8F] + [UInt8](repeating: 0, count: 15)).withUnsafeBytes { RTPWire.parse($0) } == nil) // 15 CSRCs
        var pad: [UInt8] = [0xA0, 0] + [UInt8](repeating: 0, count: 10) + [1, 200]
        #expect(pad.withUnsafeBytes { RTPWire.parse($0) } == nil) // padding longer than the packet
        pad[13] = 2
        #expect(pad.withUnsafeBytes { RTPWire.parse($0) }?.payload == 12..<12)
    }
}
