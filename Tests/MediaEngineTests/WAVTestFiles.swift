// Builders for WAV test inputs and small signal-analysis helpers shared by the decoder tests.

@testable import MediaEngine

/// WAV files assembled in memory for tests.
enum WAVTestFiles {
    /// A canonical WAV (mono or stereo) built with `WAVHeader.build` around `payload`.
    static func wav(_ format: WAVFormat, channels: Int, rate: Int, payload: [UInt8]) throws -> [UInt8] {
        var out = try WAVHeader.build(format: format, channels: channels, sampleRate: rate, dataByteCount: payload.count)
        out += payload
        if payload.count % 2 == 1 { out.append(0) }
        return out
    }

    /// A 16-bit PCM WAV of interleaved `samples`.
    static func pcm16(_ samples: [Int16], channels: Int, rate: Int) throws -> [UInt8] {
        try wav(.pcm16, channels: channels, rate: rate, payload: le16(samples))
    }

    /// A WAV with a hand-written 16-byte fmt chunk (any tag, channel count and bit depth).
    static func raw(tag: Int, channels: Int, rate: Int, bits: Int, payload: [UInt8]) -> [UInt8] {
        let blockAlign = channels * bits / 8
        var out: [UInt8] = Array("RIFF".utf8) + le32(4 + 24 + 8 + payload.count) + Array("WAVEfmt ".utf8) + le32(16)
        out += le16raw(tag) + le16raw(channels) + le32(rate) + le32(rate * blockAlign) + le16raw(blockAlign) + le16raw(bits)
        out += Array("data".utf8) + le32(payload.count) + payload
        return out
    }

    /// Little-endian bytes of Int16 samples.
    static func le16(_ samples: [Int16]) -> [UInt8] {
        samples.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
    }

    static func le16raw(_ v: Int) -> [UInt8] { [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)] }

    static func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

    /// `count` samples of a sine of `hz` at `rate` with peak `amplitude`.
    static func sine(hz: Double, rate: Int, count: Int, amplitude: Double = 12_000) -> [Int16] {
        (0..<count).map { Int16((amplitude * sin(2 * Double.pi * hz * Double($0) / Double(rate))).rounded()) }
    }
}

/// Estimated frequency of a tone from its rising zero crossings (ignores the first and last 10 %
/// of the buffer, where encoder priming and padding live).
func toneFrequency(_ samples: [Int16], rate: Int) -> Double {
    let start = samples.count / 10
    let end = samples.count - samples.count / 10
    guard end - start > 2 else { return 0 }
    var crossings = 0
    for i in (start + 1)..<end where samples[i - 1] < 0 && samples[i] >= 0 { crossings += 1 }
    return Double(crossings) * Double(rate) / Double(end - start)
}

/// Root mean square of `samples`.
func rms(_ samples: [Int16]) -> Double {
    guard !samples.isEmpty else { return 0 }
    return (samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count)).squareRoot()
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
