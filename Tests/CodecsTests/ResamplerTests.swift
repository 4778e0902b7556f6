import Testing

@testable import Codecs

/// Feeds `input` through `resampler` in chunks of `chunk` samples; returns output and the
/// per-call output counts.
private func run(_ resampler: Resampler, _ input: [Int16], chunk: Int) -> ([Int16], [Int]) {
    var output: [Int16] = []
    var counts: [Int] = []
    var buffer = [Int16](repeating: 0, count: resampler.maxOutput(for: chunk))
    for start in stride(from: 0, to: input.count, by: chunk) {
        let end = min(start + chunk, input.count)
        let n = input[start..<end].withUnsafeBufferPointer { pcm in
            buffer.withUnsafeMutableBufferPointer { resampler.process(pcm, into: $0) }
        }
        counts.append(n)
        output += buffer[0..<n]
    }
    return (output, counts)
}

@Suite("speexdsp resampler")
struct ResamplerTests {
    @Test("8k -> 48k -> 8k in 20 ms frames keeps a 1 kHz tone and the sample counts")
    func roundTrip() throws {
        let up = try Resampler(from: 8000, to: 48000)
        let down = try Resampler(from: 48000, to: 8000)
        let input = SignalMath.tone([1000], amplitude: 10000, sampleRate: 8000, count: 8000)

        let (wide, upCounts) = run(up, input, chunk: 160)
        #expect(upCounts.count == 50)
        #expect(upCounts.allSatisfy { abs($0 - 960) <= 1 })
        #expect(abs(wide.count - 48000) <= 1)
        // At 48 kHz the energy is still at 1 kHz.
        let steady = wide[4800..<48000]
        let at1k = SignalMath.power(steady, at: 1000, sampleRate: 48000)
        #expect(at1k > 1000 * SignalMath.power(steady, at: 3000, sampleRate: 48000))
        #expect(at1k > 1000 * SignalMath.power(steady, at: 7000, sampleRate: 48000))

        let (back, downCounts) = run(down, wide, chunk: 960)
        #expect(downCounts.allSatisfy { abs($0 - 160) <= 1 })
        #expect(abs(back.count - 8000) <= 1)

        let match = SignalMath.bestLag(
            input: input, output: back, range: 800..<7800, maxLag: 200)
        #expect(match.correlation > 0.95)
        let gain = SignalMath.rms(back[800..<7800]) / SignalMath.rms(input[800..<7800])
        #expect(gain > 0.9 && gain < 1.1)
    }

    @Test("the round-trip delay is the two filters' reported latencies")
    func latency() throws {
        let up = try Resampler(from: 8000, to: 48000)
        let down = try Resampler(from: 48000, to: 8000)
        // Not periodic (unlike a pure tone), so the best lag is the true delay.
        let input = SignalMath.voiced(frames: 50, sampleRate: 8000)
        let (wide, _) = run(up, input, chunk: 160)
        let (back, _) = run(down, wide, chunk: 960)
        let match = SignalMath.bestLag(input: input, output: back, range: 800..<7800, maxLag: 200)
        #expect(match.correlation > 0.95)
        #expect(abs(match.lag - (up.inputLatency + down.outputLatency)) <= 1)
    }

    @Test("frame-by-frame equals one-shot processing; totals are exact", arguments: [
        (8000, 48000, 160), (48000, 8000, 960), (22050, 8000, 441), (44100, 48000, 441),
        (16000, 48000, 320), (48000, 16000, 960),
    ])
    func streamingMatchesOneShot(from: Int, to: Int, chunk: Int) throws {
        let input = SignalMath.tone([300, 900], amplitude: 6000, sampleRate: from, count: chunk * 50)
        let (framed, counts) = run(try Resampler(from: from, to: to), input, chunk: chunk)
        let (whole, _) = run(try Resampler(from: from, to: to), input, chunk: input.count)
        #expect(framed == whole)
        // All input consumed every call: the long-run count is the exact rate ratio.
        let expected = Double(input.count) * Double(to) / Double(from)
        #expect(abs(Double(framed.count) - expected) <= 1)
        let perFrame = Double(chunk) * Double(to) / Double(from)
        #expect(counts.allSatisfy { abs(Double($0) - perFrame) <= 1 })
    }

    @Test("maxOutput bounds odd chunk sizes, and a short buffer never overruns")
    func outputBound() throws {
        let resampler = try Resampler(from: 22050, to: 48000)
        #expect(resampler.maxOutput(for: 0) == 0)
        #expect(resampler.maxOutput(for: 441) == 962)  // ceil(441 * 48000 / 22050) + 2
        #expect(Resampler.maxOutput(for: 160, from: 8000, to: 48000, channels: 2) == 964)
        let input = SignalMath.tone([500], amplitude: 6000, sampleRate: 22050, count: 22050)
        var consumedTotal = 0
        var producedTotal = 0
        var chunk = 1
        while consumedTotal < input.count {
            let end = min(consumedTotal + chunk, input.count)
            var out = [Int16](repeating: 0, count: resampler.maxOutput(for: end - consumedTotal))
            producedTotal += input[consumedTotal..<end].withUnsafeBufferPointer { pcm in
                out.withUnsafeMutableBufferPointer { resampler.process(pcm, into: $0) }
            }
            consumedTotal = end
            chunk = chunk * 7 % 997 + 1  // deterministic odd sizes 1...997
        }
        #expect(abs(producedTotal - 48000) <= 1)
        // Output capacity smaller than needed: truncated, never written past the end.
        var small = [Int16](repeating: 0, count: 10)
        let n = input[0..<441].withUnsafeBufferPointer { pcm in
            small.withUnsafeMutableBufferPointer { resampler.process(pcm, into: $0) }
        }
        #expect(n == 10)
    }

    @Test("reset makes the resampler behave like a new one")
    func resetClearsHistory() throws {
        let used = try Resampler(from: 8000, to: 48000)
        let noise = SignalMath.tone([1234], amplitude: 9000, sampleRate: 8000, count: 1600)
        _ = run(used, noise, chunk: 160)
        used.reset()
        let input = SignalMath.tone([440], amplitude: 9000, sampleRate: 8000, count: 1600)
        let (afterReset, _) = run(used, input, chunk: 160)
        let (fresh, _) = run(try Resampler(from: 8000, to: 48000), input, chunk: 160)
        #expect(afterReset == fresh)
    }

    @Test("stereo is interleaved and both channels are resampled")
    func stereo() throws {
        let resampler = try Resampler(from: 8000, to: 16000, channels: 2)
        let left = SignalMath.tone([500], amplitude: 8000, sampleRate: 8000, count: 1600)
        var interleaved: [Int16] = []
        for sample in left { interleaved += [sample, 0] }
        let (out, _) = run(resampler, interleaved, chunk: 320)
        #expect(abs(out.count - 6400) <= 2)
        let rightChannel = stride(from: 1, to: out.count, by: 2).map { out[$0] }
        let leftChannel = stride(from: 0, to: out.count, by: 2).map { out[$0] }
        #expect(rightChannel.allSatisfy { $0 == 0 })
        #expect(SignalMath.rms(leftChannel[400...]) > 5000)
    }

    @Test("invalid settings throw a typed resampler error")
    func invalidSettings() {
        #expect(throws: CodecError.resampler(code: 3)) { try Resampler(from: 0, to: 8000) }
        #expect(throws: CodecError.resampler(code: 3)) { try Resampler(from: 8000, to: -1) }
        #expect(throws: CodecError.resampler(code: 3)) {
            try Resampler(from: 8000, to: 48000, quality: 11)
        }
        #expect(throws: CodecError.resampler(code: 3)) {
            try Resampler(from: 8000, to: 48000, channels: 0)
        }
        let error = CodecError.resampler(code: 3)
        #expect(error.code == "codec.resampler_error")
        #expect(error.description.contains("Invalid argument"))
    }
}
