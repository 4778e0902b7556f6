import Foundation
import PBXTestSupport

/// Test signal builder: DTMF pairs, arbitrary sines, silence and seeded noise at 8 kHz.
struct ToneGenerator {
    static let rate = 8000.0
    /// Peak amplitude of one tone at ≈ −10 dBm0 (0 dBm0 ≈ 22 700 peak in G.711's 16-bit scale).
    static let minus10dBm0 = 7180.0

    static let rows: [Character: Double] = [
        "1": 697, "2": 697, "3": 697, "A": 697, "4": 770, "5": 770, "6": 770, "B": 770,
        "7": 852, "8": 852, "9": 852, "C": 852, "*": 941, "0": 941, "#": 941, "D": 941,
    ]
    static let columns: [Character: Double] = [
        "1": 1209, "4": 1209, "7": 1209, "*": 1209, "2": 1336, "5": 1336, "8": 1336, "0": 1336,
        "3": 1477, "6": 1477, "9": 1477, "#": 1477, "A": 1633, "B": 1633, "C": 1633, "D": 1633,
    ]

    private(set) var samples: [Int16] = []
    private var phase = 0

    /// Appends a sum of sines (frequency, peak amplitude) lasting `ms` milliseconds.
    mutating func tones(_ parts: [(Double, Double)], ms: Int) {
        let n = ms * 8
        for _ in 0..<n {
            let t = Double(phase) / Self.rate
            var v = 0.0
            for (f, a) in parts { v += a * sin(2 * Double.pi * f * t + f / 100) }
            samples.append(Int16(max(-32768, min(32767, v.rounded()))))
            phase += 1
        }
    }

    /// Appends DTMF `key`, with the column tone `twistDb` dB louder than the row tone.
    mutating func key(_ key: Character, ms: Int, level: Double = minus10dBm0, twistDb: Double = 0) {
        let row = Self.rows[key] ?? 0
        let column = Self.columns[key] ?? 0
        let colLevel = level * pow(10, twistDb / 40)
        let rowLevel = level * pow(10, -twistDb / 40)
        tones([(row, rowLevel), (column, colLevel)], ms: ms)
    }

    /// Appends silence.
    mutating func silence(ms: Int) {
        samples.append(contentsOf: repeatElement(0, count: ms * 8))
        phase += ms * 8
    }

    /// Appends uniform white noise of the given peak from a SplitMix64 stream.
    mutating func noise(ms: Int, peak: Double, seed: inout UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<(ms * 8) {
            samples.append(Int16(rng.symmetric(peak).rounded()))
            phase += 1
        }
        seed = rng.state
    }
}
