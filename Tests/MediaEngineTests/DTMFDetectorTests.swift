import Codecs
import Testing
@testable import MediaEngine

/// Runs `samples` through a fresh detector in chunks of the given sizes (cycled), then finishes.
func detect(_ samples: [Int16], chunks: [Int] = [160]) -> [DetectedKey] {
    var detector = DTMFDetector()
    var out: [DetectedKey] = []
    var start = 0
    var c = 0
    samples.withUnsafeBufferPointer { all in
        while start < all.count {
            let size = min(max(chunks[c % chunks.count], 1), all.count - start)
            out += detector.process(UnsafeBufferPointer(rebasing: all[start..<(start + size)]))
            start += size
            c += 1
        }
    }
    return out + detector.finish()
}

@Suite struct DTMFDetectorTests {
    static let allKeys: [Character] = Array("0123456789*#ABCD")

    @Test func frameLengthIs106At8kHz() {
        #expect(DTMFDetector().frameLength == 106)
        #expect(DTMFDetector(sampleRate: 16000).frameLength == 212)
    }

    @Test(arguments: [[160], [1], [7, 333, 20, 1000], [106]])
    func everyKeyDetectedOnceInOrder(chunks: [Int]) {
        var g = ToneGenerator()
        g.silence(ms: 30)
        for k in Self.allKeys {
            g.key(k, ms: 80)
            g.silence(ms: 60)
        }
        let keys = detect(g.samples, chunks: chunks)
        #expect(keys.map(\.key) == Self.allKeys)
        for k in keys {
            // 80 ms = 6.04 frames; boundary frames may or may not count.
            #expect(k.durationMs >= 53 && k.durationMs <= 93, "\(k)")
        }
    }

    @Test func keyHeldAcrossStreamEndReportedByFinish() {
        var g = ToneGenerator()
        g.key("5", ms: 100)
        #expect(detect(g.samples).map(\.key) == ["5"])
    }

    @Test(arguments: [0, 13, 27, 53, 80, 105])
    func twentyMillisecondKeyIsIgnored(offsetSamples: Int) {
        var g = ToneGenerator()
        var samples = [Int16](repeating: 0, count: offsetSamples)
        g.key("8", ms: 20)
        g.silence(ms: 100)
        samples += g.samples
        #expect(detect(samples).isEmpty)
    }

    @Test func twistWithinLimitsAccepted() {
        var g = ToneGenerator()
        g.key("1", ms: 80, twistDb: 6)    // high group 6 dB louder (normal twist)
        g.silence(ms: 60)
        g.key("D", ms: 80, twistDb: -3)   // low group 3 dB louder (reverse twist)
        g.silence(ms: 60)
        g.key("0", ms: 80, twistDb: 7.5)  // 697-row 2nd harmonic near 1336 column still passes
        g.silence(ms: 60)
        #expect(detect(g.samples).map(\.key) == ["1", "D", "0"])
    }

    @Test(arguments: [10.0, -6.0, 14.0, -10.0])
    func twistBeyondLimitsRejected(twistDb: Double) {
        var g = ToneGenerator()
        for k in Self.allKeys {
            g.key(k, ms: 80, twistDb: twistDb)
            g.silence(ms: 60)
        }
        #expect(detect(g.samples).isEmpty)
    }

    @Test func twistLimitIsWhatRejects() {
        var thresholds = DTMFThresholds()
        thresholds.normalTwistDb = 12
        var detector = DTMFDetector(thresholds: thresholds)
        var g = ToneGenerator()
        g.key("6", ms: 80, twistDb: 10)
        g.silence(ms: 60)
        let keys = g.samples.withUnsafeBufferPointer { detector.process($0) }
        #expect(keys.map(\.key) == ["6"])
    }

    @Test func strongSecondHarmonicsRejected() {
        // Key "5" plus 2nd harmonics 4 dB below each tone, as a voiced-speech-like signal.
        var g = ToneGenerator()
        let a = ToneGenerator.minus10dBm0
        g.tones([(770, a), (1336, a), (1540, a * 0.63), (2672, a * 0.63)], ms: 200)
        g.silence(ms: 60)
        g.key("5", ms: 80)
        g.silence(ms: 60)
        #expect(detect(g.samples).map(\.key) == ["5"])
    }

    @Test func keyBuriedInBroadbandEnergyRejected() {
        // Same key, but most of the frame energy is elsewhere (speech-like): fails energy ratio.
        var g = ToneGenerator()
        let a = ToneGenerator.minus10dBm0
        g.tones([(852, a), (1477, a), (300, 2 * a), (500, 1.5 * a), (2200, a)], ms: 200)
        g.silence(ms: 60)
        #expect(detect(g.samples).isEmpty)
    }

    @Test func twoToneInOneGroupRejectedByRelativePeak() {
        // 697 + 770 (2 dB lower) + 1209: two row tones at once are not a valid key.
        var g = ToneGenerator()
        let a = ToneGenerator.minus10dBm0
        g.tones([(697, a), (770, a * 0.79), (1209, a)], ms: 200)
        g.silence(ms: 60)
        g.tones([(852, a), (1209, a), (1336, a * 0.79)], ms: 200)
        g.silence(ms: 60)
        #expect(detect(g.samples).isEmpty)
    }

    @Test func reportedDurationTracksToneLength() {
        var g = ToneGenerator()
        g.key("#", ms: 400)
        g.silence(ms: 60)
        let keys = detect(g.samples)
        #expect(keys.count == 1)
        #expect((380...413).contains(keys.first?.durationMs ?? 0))
    }

    @Test func quietKeyRejectedLoudKeyAccepted() {
        var g = ToneGenerator()
        g.key("3", ms: 80, level: 200)  // ≈ −41 dBm0 per tone
        g.silence(ms: 60)
        g.key("3", ms: 80, level: 16000)
        g.silence(ms: 60)
        #expect(detect(g.samples).map(\.key) == ["3"])
    }

    @Test func singleSinesAndDialToneNeverDetected() {
        var g = ToneGenerator()
        g.tones([(350, 10000), (440, 10000)], ms: 2000)  // North American dial tone
        g.tones([(1000, 20000)], ms: 2000)
        g.tones([(425, 15000)], ms: 1000)                // European dial tone
        for f in [697.0, 941.0, 1209.0, 1633.0] { g.tones([(f, 15000)], ms: 500) }
        #expect(detect(g.samples).isEmpty)
    }

    @Test func whiteNoiseNeverDetected() {
        var seed: UInt64 = 0xC0FFEE
        var g = ToneGenerator()
        for peak in [300.0, 3000.0, 20000.0] { g.noise(ms: 3000, peak: peak, seed: &seed) }
        #expect(detect(g.samples).isEmpty)
    }

    @Test(arguments: [G711Law.muLaw, G711Law.aLaw])
    func survivesG711(law: G711Law) {
        var g = ToneGenerator()
        for k in Self.allKeys {
            g.key(k, ms: 80)
            g.silence(ms: 60)
        }
        let pcm = g.samples
        var codes = [UInt8](repeating: 0, count: pcm.count)
        var decoded = [Int16](repeating: 0, count: pcm.count)
        pcm.withUnsafeBufferPointer { p in
            codes.withUnsafeMutableBufferPointer { _ = G711.encode(p, into: $0, law: law) }
        }
        codes.withUnsafeBufferPointer { c in
            decoded.withUnsafeMutableBufferPointer { _ = G711.decode(c, into: $0, law: law) }
        }
        #expect(decoded != pcm)
        #expect(detect(decoded).map(\.key) == Self.allKeys)
    }

    @Test(arguments: [0, 31, 59, 97])
    func twentyMillisecondGapStillSeparatesKeys(offsetSamples: Int) {
        var g = ToneGenerator()
        g.key("7", ms: 50)
        g.silence(ms: 20)
        g.key("7", ms: 50)
        g.silence(ms: 20)
        g.key("9", ms: 50)
        g.silence(ms: 60)
        let samples = [Int16](repeating: 0, count: offsetSamples) + g.samples
        #expect(detect(samples).map(\.key) == ["7", "7", "9"])
    }

    @Test func keysInNoiseStillDetected() {
        var seed: UInt64 = 42
        var g = ToneGenerator()
        g.key("4", ms: 80)
        var noise = ToneGenerator()
        noise.noise(ms: 80, peak: 600, seed: &seed)
        let mixed = zip(g.samples, noise.samples).map { $0 &+ $1 }
        #expect(detect(mixed + [Int16](repeating: 0, count: 480)).map(\.key) == ["4"])
    }
}
