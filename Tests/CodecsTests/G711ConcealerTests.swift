import Testing

@testable import Codecs

extension G711Concealer {
    /// Test convenience: feeds a good frame and returns it as it should be played.
    mutating func good(_ frame: [Int16]) -> [Int16] {
        var copy = frame
        copy.withUnsafeMutableBufferPointer { good($0) }
        return copy
    }

    /// Test convenience: conceals one frame of `count` samples.
    mutating func conceal(count: Int) -> [Int16] {
        var out = [Int16](repeating: 1234, count: count)
        let written = out.withUnsafeMutableBufferPointer { conceal(into: $0) }
        #expect(written == count)
        return out
    }
}

@Suite("G.711 packet loss concealment")
struct G711ConcealerTests {
    /// 20 ms frames of a 440 Hz tone at 8 kHz.
    static func toneFrame(_ index: Int) -> [Int16] {
        SignalMath.tone([440], amplitude: 10000, sampleRate: 8000, count: 160, start: index * 160)
    }

    @Test("a lost frame continues the tone, then fades 20% per frame to silence after 60 ms")
    func fadesToSilence() {
        var concealer = G711Concealer()
        for i in 0..<3 { _ = concealer.good(Self.toneFrame(i)) }
        let goodLevel = SignalMath.rms(Self.toneFrame(2)[...])

        let lost = (0..<5).map { _ in concealer.conceal(count: 160) }
        let levels = lost.map { SignalMath.rms($0[...]) }
        #expect(concealer.isConcealing)
        // Frame 1 is ~90% (1.0 -> 0.8), frame 2 ~70%, frame 3 below 50%, then silence.
        #expect(levels[0] > 0.8 * goodLevel && levels[0] < 0.95 * goodLevel)
        #expect(levels[1] > 0.6 * goodLevel && levels[1] < 0.8 * goodLevel)
        #expect(levels[2] > 0.3 * goodLevel && levels[2] < 0.5 * goodLevel)
        #expect(lost[2].last == 0)  // faded to zero exactly at 60 ms
        #expect(lost[3].allSatisfy { $0 == 0 })
        #expect(lost[4].allSatisfy { $0 == 0 })
        // Pitch repetition: the first lost frame has the shape of the real continuation.
        let truth = Self.toneFrame(3)
        #expect(SignalMath.correlation(lost[0][...], truth[...]) > 0.9)
        // And it joins the last good sample without a jump.
        let previous = Double(Self.toneFrame(2).last ?? 0)
        #expect(abs(Double(lost[0][0]) - previous) < 3000)  // one 440 Hz step is ~3400 max
    }

    @Test("good audio after a gap is crossfaded in over 4 ms, then untouched")
    func crossfade() {
        var concealer = G711Concealer()
        let high = [Int16](repeating: 10000, count: 160)
        _ = concealer.good(high)
        _ = concealer.good(high)
        let concealed = concealer.conceal(count: 160)
        #expect(concealed.allSatisfy { $0 > 7000 && $0 <= 10000 })

        let low = [Int16](repeating: -10000, count: 160)
        let played = concealer.good(low)
        #expect(!concealer.isConcealing)
        // Starts near the synthetic continuation (~0.8 × 10000), not at -10000...
        #expect(played[0] > 6000)
        // ...moves monotonically to the real signal over 32 samples (4 ms at 8 kHz)...
        for i in 1..<32 { #expect(played[i] < played[i - 1]) }
        // ...and the rest of the frame is exactly the received audio.
        #expect(played[32...].allSatisfy { $0 == -10000 })

        // Without a preceding gap a good frame is never modified.
        #expect(concealer.good(high) == high)
    }

    @Test("a gap that reached silence fades the next good frame in from zero")
    func fadeInAfterSilence() {
        var concealer = G711Concealer()
        _ = concealer.good([Int16](repeating: 10000, count: 160))
        for _ in 0..<4 { _ = concealer.conceal(count: 160) }
        let played = concealer.good([Int16](repeating: 8000, count: 160))
        #expect(played[0] < 300)
        #expect(played[31] > 7000)
        #expect(played[32...].allSatisfy { $0 == 8000 })
    }

    @Test("timing is in samples, so 30 ms frames are silent from 60 ms on")
    func thirtyMillisecondFrames() {
        var concealer = G711Concealer()
        let frame = SignalMath.tone([300], amplitude: 9000, sampleRate: 8000, count: 240)
        _ = concealer.good(frame)
        let first = concealer.conceal(count: 240)  // 0-30 ms
        let second = concealer.conceal(count: 240)  // 30-60 ms
        let third = concealer.conceal(count: 240)  // 60-90 ms
        #expect(SignalMath.rms(first[...]) > SignalMath.rms(second[...]))
        #expect(SignalMath.rms(second[...]) > 0)
        #expect(second.last == 0)
        #expect(third.allSatisfy { $0 == 0 })
    }

    @Test("with no audio yet, or after reset, concealment is silence")
    func silenceWithoutHistory() {
        var concealer = G711Concealer()
        #expect(concealer.conceal(count: 160).allSatisfy { $0 == 0 })
        _ = concealer.good(Self.toneFrame(0))
        concealer.reset()
        #expect(!concealer.isConcealing)
        #expect(concealer.conceal(count: 160).allSatisfy { $0 == 0 })
        // Odd sizes (including empty and one sample) are fine.
        #expect(concealer.conceal(count: 0).isEmpty)
        #expect(concealer.conceal(count: 1).count == 1)
    }

    @Test("full-scale input and large frames stay in range and never trap")
    func extremes() {
        var concealer = G711Concealer()
        let loud = (0..<2000).map { $0 % 2 == 0 ? Int16.max : Int16.min }
        _ = concealer.good(loud)
        let out = concealer.conceal(count: 2000)
        #expect(out.prefix(10).contains { $0 != 0 })
        let back = concealer.good(loud.reversed())
        #expect(back.count == 2000)
    }
}
