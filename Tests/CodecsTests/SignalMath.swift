// Small signal helpers for the codec tests: tone generation, correlation with lag search,
// single-frequency power (Goertzel) and RMS.

import Foundation

enum SignalMath {
    /// Sum of sines at `frequencies` (Hz), each with `amplitude`, samples `start..<start+count`.
    static func tone(
        _ frequencies: [Double], amplitude: Double, sampleRate: Int, count: Int, start: Int = 0
    ) -> [Int16] {
        (start..<(start + count)).map { n in
            let t = Double(n) / Double(sampleRate)
            let value = frequencies.reduce(0.0) { $0 + amplitude * sin(2 * .pi * $1 * t) }
            return Int16(max(-32768, min(32767, value.rounded())))
        }
    }

    /// Synthetic voiced speech: a glottal pulse train whose pitch (110-200 Hz) and two
    /// formant resonators change every 20 ms, under a 3 Hz syllable envelope. Opus's speech
    /// detector treats it as speech (so in-band FEC is coded), and the frame-to-frame changes
    /// keep extrapolation (PLC) from predicting the next frame.
    static func voiced(frames: Int, sampleRate rate: Int = 48000) -> [Int16] {
        var out: [Int16] = []
        var phase = 0.0
        var y1 = 0.0, y2 = 0.0, z1 = 0.0, z2 = 0.0
        let r = 0.97
        for f in 0..<frames {
            let pitch = 110.0 + Double((f * 37) % 90)
            let f1 = 400.0 + Double((f * 211) % 500)
            let f2 = 1200.0 + Double((f * 389) % 1200)
            let a1 = 2 * r * cos(2 * .pi * f1 / Double(rate))
            let a2 = 2 * r * cos(2 * .pi * f2 / Double(rate))
            for n in 0..<(rate / 50) {
                phase += pitch / Double(rate)
                var pulse = 0.0
                if phase >= 1 {
                    phase -= 1
                    pulse = 1
                }
                let y = pulse + a1 * y1 - r * r * y2
                y2 = y1
                y1 = y
                let z = y + a2 * z1 - r * r * z2
                z2 = z1
                z1 = z
                let t = Double(f * rate / 50 + n) / Double(rate)
                let envelope = 0.55 + 0.45 * sin(2 * .pi * 3 * t)
                out.append(Int16(max(-32000, min(32000, z * 150 * envelope))))
            }
        }
        return out
    }

    /// Normalized cross-correlation of two equally long sequences (0 if either is silent).
    static func correlation(_ a: ArraySlice<Int16>, _ b: ArraySlice<Int16>) -> Double {
        precondition(a.count == b.count, "test helper misuse")
        var ab = 0.0, aa = 0.0, bb = 0.0
        for (x, y) in zip(a, b) {
            ab += Double(x) * Double(y)
            aa += Double(x) * Double(x)
            bb += Double(y) * Double(y)
        }
        guard aa > 0, bb > 0 else { return 0 }
        return ab / (aa * bb).squareRoot()
    }

    /// The delay `lag` in 0...maxLag maximizing corr(output[range], input[range - lag]).
    static func bestLag(
        input: [Int16], output: [Int16], range: Range<Int>, maxLag: Int
    ) -> (lag: Int, correlation: Double) {
        var best = (lag: 0, correlation: -2.0)
        for lag in 0...maxLag where range.lowerBound - lag >= 0 {
            let c = correlation(
                output[range], input[(range.lowerBound - lag)..<(range.upperBound - lag)])
            if c > best.correlation { best = (lag, c) }
        }
        return best
    }

    /// Power of `samples` at `frequency` (Goertzel), normalized by length.
    static func power(
        _ samples: ArraySlice<Int16>, at frequency: Double, sampleRate: Int
    ) -> Double {
        let coefficient = 2 * cos(2 * .pi * frequency / Double(sampleRate))
        var s1 = 0.0, s2 = 0.0
        for x in samples {
            let s0 = Double(x) + coefficient * s1 - s2
            s2 = s1
            s1 = s0
        }
        let n = Double(max(samples.count, 1))
        return (s1 * s1 + s2 * s2 - coefficient * s1 * s2) / (n * n)
    }

    /// Root mean square of `samples` (0 for an empty slice).
    static func rms(_ samples: ArraySlice<Int16>) -> Double {
        guard !samples.isEmpty else { return 0 }
        let sum = samples.reduce(0.0) { $0 + Double($1) * Double($1) }
        return (sum / Double(samples.count)).squareRoot()
    }

    /// Deterministic pseudo-random bytes (xorshift), for garbage input.
    static func garbage(count: Int, seed: inout UInt64) -> [UInt8] {
        (0..<count).map { _ in
            seed ^= seed << 13
            seed ^= seed >> 7
            seed ^= seed << 17
            return UInt8(truncatingIfNeeded: seed >> 24)
        }
    }
}
