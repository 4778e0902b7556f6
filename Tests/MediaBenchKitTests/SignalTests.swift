import Testing
@testable import MediaBenchKit

@Suite struct SpeechSignalTests {
    @Test func oneSecondAtEachRateHasTheRightLengthAndLevel() {
        for rate in [8000, 48000] {
            let pcm = SpeechSignal.samples(sampleRate: rate)
            #expect(pcm.count == rate)
            let peak = pcm.map { abs(Int($0)) }.max() ?? 0
            // Around −6 dBFS: loud enough to be speech, never clipping.
            #expect(peak > 8000)
            #expect(peak < 32767)
        }
    }

    @Test func isDeterministic() {
        #expect(SpeechSignal.samples(sampleRate: 8000) == SpeechSignal.samples(sampleRate: 8000))
    }

    @Test func everyFrameCarriesSoundAndTheEnvelopeMoves() {
        let frames = SpeechSignal.frames(SpeechSignal.samples(sampleRate: 8000), frameSamples: 160)
        #expect(frames.count == 50)
        let energies = frames.map { f in f.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(f.count) }
        #expect(energies.allSatisfy { $0 > 1000 }) // the envelope floor: no silent frame
        let loudest = energies.max() ?? 0
        let quietest = energies.min() ?? 1
        #expect(loudest / quietest > 10) // syllables: a real amplitude envelope
    }

    @Test func muLawFramesAreAllDistinctSoEchoesCanBeMatched() throws {
        let frames = SpeechSignal.frames(SpeechSignal.samples(sampleRate: 8000), frameSamples: 160).map(MuLaw.encode)
        let ring = try PayloadRing(frames)
        #expect(ring.count == 50)
        #expect(ring.maxPayloadBytes == 160)
    }

    @Test func framesDropATrailingPartialFrame() {
        let f = SpeechSignal.frames([Int16](repeating: 1, count: 350), frameSamples: 160)
        #expect(f.count == 2)
        #expect(SpeechSignal.frames([1, 2], frameSamples: 0).isEmpty)
    }
}

@Suite struct MuLawTests {
    @Test func knownCodes() {
        // G.711: zero encodes as 0xFF, full-scale positive as 0x80, full-scale negative as 0x00.
        #expect(MuLaw.encode(0) == 0xFF)
        #expect(MuLaw.encode(32767) == 0x80)
        #expect(MuLaw.encode(-32768) == 0x00)
        #expect(MuLaw.encode(-1) == 0x7F)
    }

    @Test func roundTripStaysWithinTheSegmentStep() {
        var x = -32768
        while x <= 32767 {
            let s = Int16(x)
            let back = Int(MuLaw.decode(MuLaw.encode(s)))
            let magnitude = min(abs(x), 32635)
            // Step of the segment the magnitude falls in, plus the clipping at 32635.
            let step = max(8, (magnitude + 132) >> 4)
            #expect(abs(back - x) <= step + max(0, abs(x) - 32635), "sample \(x) came back as \(back)")
            x += 37
        }
    }

    @Test func encodingIsMonotonicInMagnitude() {
        var last = Int(MuLaw.decode(MuLaw.encode(0)))
        for x in stride(from: 0, through: 32767, by: 5) {
            let v = Int(MuLaw.decode(MuLaw.encode(Int16(x))))
            #expect(v >= last)
            last = v
        }
    }
}

@Suite struct PayloadRingTests {
    @Test func matchesExactPayloadsOnly() throws {
        let ring = try PayloadRing([[1, 2, 3], [4, 5, 6, 7], [9]])
        #expect([UInt8]([4, 5, 6, 7]).withUnsafeBytes { ring.match($0) } == 1)
        #expect([UInt8]([9]).withUnsafeBytes { ring.match($0) } == 2)
        #expect([UInt8]([4, 5, 6, 8]).withUnsafeBytes { ring.match($0) } == nil)
        #expect([UInt8]([1, 2]).withUnsafeBytes { ring.match($0) } == nil)
        #expect([UInt8]().withUnsafeBytes { ring.match($0) } == nil)
    }

    @Test func refusesDuplicatesAndEmptyRings() {
        #expect(throws: BenchError.self) { try PayloadRing([[1], [2], [1]]) }
        #expect(throws: BenchError.self) { try PayloadRing([]) }
    }

    @Test func echoIndexFollowsTheRingAcrossLossesAndWraps() {
        // First echo: the ring position is the packet index.
        #expect(EchoIndex.absolute(phase: 0, after: -1, ringSize: 50) == 0)
        #expect(EchoIndex.absolute(phase: 3, after: -1, ringSize: 50) == 3)
        // In order, across the wrap.
        #expect(EchoIndex.absolute(phase: 0, after: 49, ringSize: 50) == 50)
        #expect(EchoIndex.absolute(phase: 11, after: 110, ringSize: 50) == 111)
        // Two lost packets: 112 and 113 missing, 114 arrives.
        #expect(EchoIndex.absolute(phase: 14, after: 111, ringSize: 50) == 114)
        // 49 lost in a row is still unambiguous.
        #expect(EchoIndex.absolute(phase: 10, after: 10, ringSize: 50) == 60)
        #expect(EchoIndex.absolute(phase: 4, after: 7, ringSize: 0) == 8)
    }
}
