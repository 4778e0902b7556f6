import Testing
@testable import MediaEngine

@Suite struct SilenceSourceTests {
    @Test func fixedDurationGivesExactSampleCountThenEnds() {
        var s = SilenceSource(sampleRate: 8000, durationMs: 50)  // 400 samples
        #expect(AudioTestKit.readSizes(&s, size: 160) == [160, 160, 80, 0])
        var again = [Int16](repeating: 7, count: 160)
        #expect(again.withUnsafeMutableBufferPointer { s.read(into: $0) } == 0)
        #expect(again.allSatisfy { $0 == 7 })  // nothing written after the end
    }

    @Test func writesZerosOverPreviousContent() {
        var s = SilenceSource(sampleRate: 48000, durationMs: 20)
        var buffer = [Int16](repeating: 1234, count: 1000)
        let n = buffer.withUnsafeMutableBufferPointer { s.read(into: $0) }
        #expect(n == 960)
        #expect(buffer[0..<960].allSatisfy { $0 == 0 })
        #expect(buffer[960...].allSatisfy { $0 == 1234 })  // short read leaves the tail alone
    }

    @Test func endlessNeverEnds() {
        var s = SilenceSource(sampleRate: 8000, durationMs: nil)
        let sizes = AudioTestKit.readSizes(&s, size: 160, maxReads: 500)
        #expect(sizes.count == 500)
        #expect(sizes.allSatisfy { $0 == 160 })
        #expect(s.remainingSamples == nil)
    }

    @Test func degenerateInputsFinishImmediately() {
        var negative = SilenceSource(sampleRate: 8000, durationMs: -5)
        #expect(AudioTestKit.readSizes(&negative, size: 160) == [0])
        var zeroRate = SilenceSource(sampleRate: 0, durationMs: nil)
        #expect(AudioTestKit.readSizes(&zeroRate, size: 160) == [0])
        var huge = SilenceSource(sampleRate: 8000, durationMs: Int.max)  // saturates, no trap
        #expect(AudioTestKit.readSizes(&huge, size: 160, maxReads: 3) == [160, 160, 160])
    }

    @Test func timingArithmeticRoundsDownAndSaturates() {
        #expect(AudioTiming.samples(ms: 20, sampleRate: 8000) == 160)
        #expect(AudioTiming.samples(ms: 20, sampleRate: 48000) == 960)
        #expect(AudioTiming.samples(ms: 1, sampleRate: 44100) == 44)
        #expect(AudioTiming.samples(ms: Int.max, sampleRate: 8000) == AudioTiming.maxMs * 8)
        #expect(AudioTiming.milliseconds(samples: 12345, sampleRate: 8000) == 1543)
        #expect(AudioTiming.microseconds(samples: 160, sampleRate: 8000) == 20_000)
        #expect(AudioTiming.clampToInt16(40000) == 32767)
        #expect(AudioTiming.clampToInt16(-40000) == -32768)
        #expect(AudioTiming.clampToInt16(.nan) == 0)
        #expect(AudioTiming.clampToInt16(-2.5) == -3)
    }
}

@Suite struct PCMBufferSourceTests {
    let ramp: [Int16] = (0..<250).map { Int16($0) }

    @Test func playsOnceThenShortReadThenZero() {
        var s = PCMBufferSource(samples: ramp, sampleRate: 8000)
        #expect(AudioTestKit.readSizes(&s, size: 160) == [160, 90, 0])
        var again = PCMBufferSource(samples: ramp, sampleRate: 8000)
        #expect(AudioTestKit.drain(&again) == ramp)
        #expect(again.isFinished)
        #expect(again.completedPlays == 1)
    }

    @Test func loopsTheRequestedNumberOfTimesAcrossReadBoundaries() {
        var s = PCMBufferSource(samples: ramp, sampleRate: 8000, loop: 3)
        let out = AudioTestKit.drain(&s, chunks: [160, 7, 333])
        #expect(out == ramp + ramp + ramp)
        #expect(s.completedPlays == 3)
    }

    @Test func loopZeroPlaysForever() {
        var s = PCMBufferSource(samples: ramp, sampleRate: 8000, loop: 0)
        let out = AudioTestKit.drain(&s, chunks: [160], limit: 250 * 40 + 17)
        #expect(out.count == 250 * 40 + 17)
        #expect(out[250 * 39 ..< 250 * 40].elementsEqual(ramp))
        #expect(out[250 * 40 ..< 250 * 40 + 17].elementsEqual(ramp[0..<17]))
        #expect(!s.isFinished)
    }

    @Test func emptyBufferEndsEvenWhenLoopingForever() {
        var s = PCMBufferSource(samples: [], sampleRate: 8000, loop: 0)
        #expect(AudioTestKit.readSizes(&s, size: 160) == [0])
    }

    @Test func negativeLoopPlaysOnceAndRewindRestarts() {
        var s = PCMBufferSource(samples: ramp, sampleRate: 16000, loop: -4)
        #expect(s.loop == 1)
        #expect(s.durationMs == 15)
        #expect(AudioTestKit.drain(&s).count == 250)
        s.rewind()
        #expect(AudioTestKit.drain(&s, chunks: [100]) == ramp)
    }

    @Test func copiesAreIndependentCursors() {
        var a = PCMBufferSource(samples: ramp, sampleRate: 8000)
        _ = AudioTestKit.drain(&a, chunks: [100], limit: 100)
        var b = a  // copy mid-play
        #expect(AudioTestKit.drain(&a) == Array(ramp[100...]))
        #expect(AudioTestKit.drain(&b) == Array(ramp[100...]))
    }
}
