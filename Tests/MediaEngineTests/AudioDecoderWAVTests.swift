// AudioDecoder on WAV input: PCM, G.711 expansion, downmixing, limits and error classes.

import Testing
@testable import MediaEngine

@Suite struct AudioDecoderWAVTests {
    @Test(arguments: [8_000, 16_000, 44_100])
    func pcm16MonoIsCopiedExactly(rate: Int) throws {
        let tone = WAVTestFiles.sine(hz: 440, rate: rate, count: rate / 10)
        let decoded = try AudioDecoder.decode(WAVTestFiles.pcm16(tone, channels: 1, rate: rate))
        #expect(decoded.sampleRate == rate)
        #expect(decoded.samples == tone)
        #expect(decoded.durationMs == 100)
    }

    @Test(arguments: [8_000, 16_000, 44_100])
    func pcm16StereoIsAveraged(rate: Int) throws {
        let left: [Int16] = [1000, -32768, 32767, 7, -7, 0]
        let right: [Int16] = [3000, -32768, 32767, 0, 0, 1]
        let interleaved = zip(left, right).flatMap { [$0, $1] }
        let decoded = try AudioDecoder.decode(WAVTestFiles.pcm16(interleaved, channels: 2, rate: rate))
        #expect(decoded.sampleRate == rate)
        #expect(decoded.samples == [2000, -32768, 32767, 3, -3, 0])
    }

    @Test func muLawUsesG711Expansion() throws {
        let decoded = try AudioDecoder.decode(WAVTestFiles.wav(.muLaw, channels: 1, rate: 8000, payload: [0xFF, 0x00, 0x7F, 0x80, 0xEF]))
        // ITU-T G.711 μ-law (×4 to 16 bits): 0xFF → 0, 0x00 → −32124, 0x7F → −0, 0x80 → +32124,
        // 0xEF (segment 1, step 0) → (2·33 − 33)·4 = 132.
        #expect(decoded.samples == [0, -32124, 0, 32124, 132])
        #expect(decoded.sampleRate == 8000)
    }

    @Test func aLawUsesG711Expansion() throws {
        let decoded = try AudioDecoder.decode(WAVTestFiles.wav(.aLaw, channels: 1, rate: 8000, payload: [0xD5, 0x55, 0xAA, 0x2A]))
        // ITU-T G.711 A-law: 0xD5 → +8, 0x55 → −8, 0xAA → +32256, 0x2A → −32256.
        #expect(decoded.samples == [8, -8, 32256, -32256])
    }

    @Test func stereoMuLawIsExpandedThenAveraged() throws {
        let decoded = try AudioDecoder.decode(WAVTestFiles.wav(.muLaw, channels: 2, rate: 16000, payload: [0x00, 0x80, 0x00, 0xFF]))
        #expect(decoded.samples == [0, -16062])
        #expect(decoded.sampleRate == 16000)
    }

    @Test func fourChannelPCMIsAveraged() throws {
        let frames: [Int16] = [100, 200, 300, 400, -4, -4, -4, -5]
        let bytes = WAVTestFiles.raw(tag: 1, channels: 4, rate: 48_000, bits: 16, payload: WAVTestFiles.le16(frames))
        let decoded = try AudioDecoder.decode(bytes)
        #expect(decoded.samples == [250, -4])
        #expect(decoded.sampleRate == 48_000)
    }

    @Test func nineChannelsAndOddEncodingsAreUnsupported() {
        let nine = WAVTestFiles.raw(tag: 1, channels: 9, rate: 8000, bits: 16, payload: [UInt8](repeating: 0, count: 18))
        let eightBit = WAVTestFiles.raw(tag: 1, channels: 1, rate: 8000, bits: 8, payload: [1, 2, 3, 4])
        let float = WAVTestFiles.raw(tag: 3, channels: 1, rate: 8000, bits: 32, payload: [0, 0, 0, 0])
        for file in [nine, eightBit, float] {
            #expect(code(of: file) == "audio.unsupported_format")
        }
    }

    @Test func emptyInputsAreEmpty() throws {
        #expect(code(of: []) == "audio.empty")
        #expect(code(of: try WAVTestFiles.pcm16([], channels: 1, rate: 8000)) == "audio.empty")
    }

    @Test func garbageAndOtherContainersAreUnsupported() {
        #expect(code(of: Array("hello, world, not audio".utf8)) == "audio.unsupported_format")
        #expect(code(of: Array("RIFF\u{4}\0\0\0AVI LIST".utf8)) == "audio.unsupported_format")
        #expect(code(of: [0x4F, 0x67, 0x67, 0x53, 0, 2, 0, 0]) == "audio.unsupported_format")  // Ogg
    }

    @Test func truncatedWAVIsCorrupt() throws {
        let file = try WAVTestFiles.pcm16(WAVTestFiles.sine(hz: 300, rate: 8000, count: 800), channels: 1, rate: 8000)
        #expect(code(of: Array(file.prefix(600))) == "audio.corrupt")
        #expect(code(of: Array(file.prefix(30))) == "audio.corrupt")
    }

    @Test func longerThanTheCapIsTooLong() throws {
        let file = try WAVTestFiles.pcm16([Int16](repeating: 1, count: 8001), channels: 1, rate: 8000)
        #expect(throws: AudioDecodeError.self) { try AudioDecoder.decode(file, maxDurationSeconds: 1) }
        #expect(code(of: file, maxSeconds: 1) == "audio.too_long")
        #expect(try AudioDecoder.decode(file, maxDurationSeconds: 2).samples.count == 8001)
    }

    @Test func sniffRecognisesContainers() {
        #expect(AudioDecoder.sniff(Array("RIFF\0\0\0\0WAVE".utf8)) == .wav)
        #expect(AudioDecoder.sniff(Array("ID3\u{4}\0\0\0\0\0\0".utf8)) == .mp3)
        #expect(AudioDecoder.sniff([0xFF, 0xFB, 0x90, 0x64]) == .mp3)   // MPEG-1 layer III 128k 44.1k
        #expect(AudioDecoder.sniff([0xFF, 0xF1, 0x50, 0x80]) == nil)    // AAC ADTS (layer bits 00)
        #expect(AudioDecoder.sniff([0xFF, 0xFB, 0xF0, 0x64]) == nil)    // bitrate index 15
    }

    @Test func randomMutationsNeverCrash() throws {
        let base = try WAVTestFiles.wav(.muLaw, channels: 2, rate: 8000, payload: [UInt8](repeating: 0x55, count: 64))
            + Array("LIST\u{4}\0\0\0abcd".utf8)
        var rng = LCG(seed: 0x5A17)
        var outcomes: Set<String> = []
        for _ in 0..<2_000 {
            var file = base
            for _ in 0..<(1 + rng.next() % 4) {
                let index = rng.next() % file.count
                file[index] = UInt8(truncatingIfNeeded: rng.next())
            }
            if rng.next() % 5 == 0 { file.removeLast(rng.next() % file.count) }
            outcomes.insert(code(of: file) ?? "ok")
        }
        #expect(outcomes.isSubset(of: ["ok", "audio.corrupt", "audio.unsupported_format", "audio.empty", "audio.too_long"]))
        #expect(outcomes.contains("ok"))
        #expect(outcomes.contains("audio.corrupt"))
    }
}

/// The error code `decode` throws for `bytes`, or nil on success.
func code(of bytes: [UInt8], maxSeconds: Int = AudioDecoder.defaultMaxDurationSeconds) -> String? {
    do {
        _ = try AudioDecoder.decode(bytes, maxDurationSeconds: maxSeconds)
        return nil
    } catch {
        return error.code
    }
}

/// Deterministic 64-bit linear congruential generator (Knuth MMIX constants) for fuzzing.
struct LCG {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// The next non-negative pseudo-random Int.
    mutating func next() -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int(truncatingIfNeeded: state >> 33)
    }
}
