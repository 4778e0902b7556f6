// AudioDecoder on MP3 input (libmpg123): rate, duration and pitch of LAME-made tones,
// stereo mixdown, mid-stream rate changes, limits and damaged streams.

import Testing
@testable import MediaEngine

@Suite struct AudioDecoderMP3Tests {
    @Test func monoToneKeepsRateDurationAndPitch() throws {
        let mp3 = MP3Fixtures.tone500Hz16kMono
        #expect(AudioDecoder.sniff(mp3) == .mp3)
        let decoded = try AudioDecoder.decode(mp3)
        #expect(decoded.sampleRate == 16_000)
        // 1.0 s of audio plus encoder delay/padding (feed mode does not trim it: < 100 ms).
        #expect(decoded.durationMs >= 1000 && decoded.durationMs <= 1100)
        #expect(abs(toneFrequency(decoded.samples, rate: 16_000) - 500) < 10)
        #expect(rms(decoded.samples) > 8000)  // 0.5 full scale sine ≈ 11585 RMS
    }

    @Test func stereoToneIsMixedToMono() throws {
        let decoded = try AudioDecoder.decode(MP3Fixtures.tone1kHz44kStereo)
        #expect(decoded.sampleRate == 44_100)
        #expect(decoded.durationMs >= 400 && decoded.durationMs <= 480)
        #expect(abs(toneFrequency(decoded.samples, rate: 44_100) - 1000) < 20)
        #expect(rms(decoded.samples) > 8000)  // both channels carry the same tone: no cancellation
    }

    @Test func rateChangeMidStreamIsResampledToTheFirstRate() throws {
        let joined = MP3Fixtures.tone500Hz16kMono + MP3Fixtures.tone1kHz44kStereo
        let decoded = try AudioDecoder.decode(joined)
        #expect(decoded.sampleRate == 16_000)
        // The second file's 0.4 s arrives resampled to 16 kHz after the first second.
        #expect(decoded.durationMs >= 1400 && decoded.durationMs <= 1580)
        let tail = Array(decoded.samples.suffix(6000))
        #expect(abs(toneFrequency(tail, rate: 16_000) - 1000) < 30)
    }

    @Test func capOnDurationIsEnforced() {
        #expect(code(of: MP3Fixtures.tone500Hz16kMono, maxSeconds: 0) == "audio.too_long")
    }

    @Test func truncatedStreamDecodesWhatIsThere() throws {
        let half = Array(MP3Fixtures.tone500Hz16kMono.prefix(MP3Fixtures.tone500Hz16kMono.count / 2))
        let decoded = try AudioDecoder.decode(half)
        #expect(decoded.sampleRate == 16_000)
        #expect(decoded.durationMs > 300 && decoded.durationMs < 700)
    }

    @Test func syncWordFollowedByJunkIsCorrupt() {
        var junk: [UInt8] = [0xFF, 0xFB, 0x90, 0x64]
        var rng = LCG(seed: 42)
        for _ in 0..<3000 { junk.append(UInt8(truncatingIfNeeded: rng.next() & 0x7F)) }
        #expect(code(of: junk) == "audio.corrupt")
        #expect(code(of: Array("ID3\u{4}\0\0\0\0\0\u{10}".utf8) + [UInt8](repeating: 0, count: 16)) == "audio.corrupt")
    }

    @Test func randomMutationsNeverCrash() {
        let base = MP3Fixtures.tone1kHz44kStereo
        var rng = LCG(seed: 0xC0FFEE)
        var outcomes: Set<String> = []
        for _ in 0..<2_000 {
            var file = base
            for _ in 0..<(1 + rng.next() % 8) {
                let index = rng.next() % file.count
                file[index] = UInt8(truncatingIfNeeded: rng.next())
            }
            if rng.next() % 4 == 0 { file.removeLast(rng.next() % file.count) }
            outcomes.insert(code(of: file) ?? "ok")
        }
        #expect(outcomes.isSubset(of: ["ok", "audio.corrupt", "audio.unsupported_format", "audio.empty", "audio.too_long"]))
        #expect(outcomes.contains("ok"))
    }
}
