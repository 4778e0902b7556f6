/// A deterministic speech-like test signal: a voiced source (a gliding pitch with decaying
/// harmonics shaped by two formant bumps) under a syllable-rate amplitude envelope, plus a
/// little seeded noise. Codecs and echo paths see something closer to a voice than a pure
/// tone, and every 20 ms frame of the one-second cycle differs from the others, so an echoed
/// frame can be recognised by its contents alone.
public enum SpeechSignal {
    /// Fundamental frequency at rest, in Hz (a low male voice).
    static let basePitchHz = 120.0
    /// Pitch glide depth in Hz and rate in Hz: intonation.
    static let pitchGlideHz = 25.0
    static let pitchGlideRateHz = 0.7
    /// Syllables per second (spoken language runs at about 4–5).
    static let syllableRateHz = 4.0
    /// Envelope floor: never fully silent, so no two frames collapse into the same bytes.
    static let envelopeFloor = 0.15
    /// Peak amplitude as a fraction of full scale (about −6 dBFS).
    static let peak = 0.5

    /// `seconds` of mono 16-bit PCM at `sampleRate`.
    public static func samples(sampleRate: Int, seconds: Double = 1) -> [Int16] {
        let n = max(0, Int(Double(sampleRate) * seconds))
        let rate = Double(max(1, sampleRate))
        let nyquist = rate / 2
        var out = [Int16](repeating: 0, count: n)
        var phase = 0.0
        var noise = NoiseSource(seed: 0x5A07_1BB5)
        for i in 0..<n {
            let t = Double(i) / rate
            let f0 = basePitchHz + pitchGlideHz * sin(2 * .pi * pitchGlideRateHz * t)
            phase += 2 * .pi * f0 / rate
            if phase > 2 * .pi { phase -= 2 * .pi }
            var voiced = 0.0
            var k = 1.0
            while k <= 12, k * f0 < nyquist {
                voiced += formantGain(k * f0) / k * sin(k * phase)
                k += 1
            }
            let s = sin(2 * .pi * syllableRateHz * t)
            let envelope = envelopeFloor + (1 - envelopeFloor) * s * s
            let sample = peak * envelope * (0.55 * voiced + 0.03 * noise.next())
            out[i] = Int16(clamping: Int((sample * 32767).rounded()))
        }
        return out
    }

    /// Two vowel-like resonances (around 500 Hz and 1.5 kHz) on top of a flat floor.
    static func formantGain(_ hz: Double) -> Double {
        func bump(_ centre: Double, _ width: Double) -> Double {
            let d = (hz - centre) / width
            return exp(-d * d)
        }
        return 0.35 + 1.2 * bump(500, 200) + 0.8 * bump(1500, 300)
    }

    /// Splits `pcm` into consecutive frames of `frameSamples` (a trailing partial frame is dropped).
    public static func frames(_ pcm: [Int16], frameSamples: Int) -> [[Int16]] {
        guard frameSamples > 0 else { return [] }
        return stride(from: 0, to: pcm.count - frameSamples + 1, by: frameSamples).map {
            Array(pcm[$0..<($0 + frameSamples)])
        }
    }
}

/// Seeded noise in [-1, 1): a 64-bit LCG (no global random state, same bytes every run).
struct NoiseSource {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53) * 2 - 1
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
