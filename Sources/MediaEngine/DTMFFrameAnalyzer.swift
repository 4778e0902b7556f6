// Per-frame DTMF classification with the Goertzel algorithm.
//
// Frame length: 106 samples at 8 kHz (13.25 ms). With a rectangular window the first null of
// a Goertzel filter lies fs/N away from its centre; the closest DTMF pairs are the low-group
// tones 697/770/852/941 Hz (73–89 Hz apart). N = 106 puts fs/N = 75.5 Hz, so each row tone
// sits within 0.97–1.18 bins of its neighbour, i.e. close to that null (about −29 dB leakage
// 697→770), the best separation available in the 102–106 range. Three frames (39.75 ms) give
// the ≥ 40 ms minimum tone duration of ITU-T Q.24. We use exact-frequency coefficients
// (cos 2πf/fs), so N need not be a multiple of any tone period.

import Foundation

/// Thresholds used to accept a frame as carrying one DTMF key.
public struct DTMFThresholds: Sendable, Equatable {
    /// Minimum peak amplitude of each tone, in 16-bit linear units (≈ −33 dBm0 for G.711).
    public var minToneAmplitude: Float = 500
    /// Maximum dB the high (column) tone may exceed the low (row) tone ("normal twist").
    public var normalTwistDb: Float = 8
    /// Maximum dB the low (row) tone may exceed the high (column) tone ("reverse twist").
    public var reverseTwistDb: Float = 4
    /// dB by which each tone must exceed every other tone of its own group.
    public var relativePeakDb: Float = 6
    /// Minimum share of the frame energy that the two tones must carry (rejects speech/noise).
    public var minToneEnergyRatio: Float = 0.5
    /// Maximum ratio of 2nd-harmonic power to fundamental power, summed over both tones.
    public var maxHarmonicRatio: Float = 0.15

    /// Q.24-style defaults.
    public init() {}
}

/// Goertzel analysis of one frame: which key (if any) it contains.
struct DTMFFrameAnalyzer: Sendable {
    static let rowFrequencies: [Float] = [697, 770, 852, 941]
    static let columnFrequencies: [Float] = [1209, 1336, 1477, 1633]
    /// Keypad layout: keys[row][column].
    static let keys: [[Character]] = [
        ["1", "2", "3", "A"],
        ["4", "5", "6", "B"],
        ["7", "8", "9", "C"],
        ["*", "0", "#", "D"],
    ]

    let frameLength: Int
    let thresholds: DTMFThresholds
    /// Goertzel coefficients 2cos(2πf/fs): 4 rows then 4 columns.
    let coefficients: [Float]
    /// Coefficients at the 2nd harmonics, same order.
    let harmonicCoefficients: [Float]
    let minTonePower: Float
    let normalTwist: Float
    let reverseTwist: Float
    let relativePeak: Float

    init(sampleRate: Int, frameLength: Int, thresholds: DTMFThresholds) {
        self.frameLength = frameLength
        self.thresholds = thresholds
        let fs = Double(max(sampleRate, 1))
        let all = Self.rowFrequencies + Self.columnFrequencies
        coefficients = all.map { 2 * Float(cos(2 * Double.pi * Double($0) / fs)) }
        harmonicCoefficients = all.map { 2 * Float(cos(4 * Double.pi * Double($0) / fs)) }
        // Goertzel power of a sine of amplitude A over N samples ≈ (A·N/2)².
        let n = Float(frameLength)
        minTonePower = (thresholds.minToneAmplitude * n / 2) * (thresholds.minToneAmplitude * n / 2)
        normalTwist = Float.dbToPower(thresholds.normalTwistDb)
        reverseTwist = Float.dbToPower(thresholds.reverseTwistDb)
        relativePeak = Float.dbToPower(thresholds.relativePeakDb)
    }

    /// Goertzel power |X(f)|² of `frame` for coefficient `c`.
    @inline(__always)
    static func power(_ frame: UnsafeBufferPointer<Float>, coefficient c: Float) -> Float {
        var s1: Float = 0
        var s2: Float = 0
        for x in frame {
            let s0 = x + c * s1 - s2
            s2 = s1
            s1 = s0
        }
        return s1 * s1 + s2 * s2 - c * s1 * s2
    }

    /// Returns the key present in `frame` (exactly `frameLength` samples), or nil.
    func classify(_ frame: UnsafeBufferPointer<Float>) -> Character? {
        var energy: Float = 0
        for x in frame { energy += x * x }
        guard energy > 0 else { return nil }

        // Stack scratch for the 8 powers: no heap allocation per frame.
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: 8) { p in
            for i in 0..<8 { p[i] = Self.power(frame, coefficient: coefficients[i]) }
            return decide(UnsafeBufferPointer(p), frame: frame, energy: energy)
        }
    }

    /// Applies level, twist, relative-peak, energy and harmonic checks to the 8 tone powers.
    private func decide(
        _ p: UnsafeBufferPointer<Float>, frame: UnsafeBufferPointer<Float>, energy: Float
    ) -> Character? {
        let row = Self.strongest(p, from: 0)
        let column = Self.strongest(p, from: 4)
        let rowPower = p[row]
        let columnPower = p[4 + column]

        // Signal level: both tones above the minimum.
        guard rowPower >= minTonePower, columnPower >= minTonePower else { return nil }
        // Twist (Q.24): high group may be louder by normalTwist, low group by reverseTwist.
        guard columnPower <= rowPower * normalTwist, rowPower <= columnPower * reverseTwist else {
            return nil
        }
        // Relative peaks: each tone dominates the others of its group.
        for i in 0..<4 {
            if i != row, p[i] * relativePeak > rowPower { return nil }
            if i != column, p[4 + i] * relativePeak > columnPower { return nil }
        }
        // Total energy: a sine of amplitude A carries N·A²/2 energy and (A·N/2)² Goertzel
        // power, so (2/N)·power is that tone's share of the frame energy.
        let toneEnergy = (rowPower + columnPower) * 2 / Float(frameLength)
        guard toneEnergy >= energy * thresholds.minToneEnergyRatio else { return nil }
        // Second harmonics: voiced speech is rich in them, DTMF generators are not. The limit
        // is loose because 2×row lands near column tones (2·697 = 1394 vs 1336 Hz) and picks up
        // their leakage (≈ −11 dB at N = 106), worst with 8 dB normal twist.
        let harmonics = Self.power(frame, coefficient: harmonicCoefficients[row])
            + Self.power(frame, coefficient: harmonicCoefficients[4 + column])
        guard harmonics <= (rowPower + columnPower) * thresholds.maxHarmonicRatio else { return nil }

        return Self.keys[row][column]
    }

    /// Index (0...3) of the largest of p[from ..< from+4].
    static func strongest(_ p: UnsafeBufferPointer<Float>, from start: Int) -> Int {
        var best = 0
        for i in 1..<4 where p[start + i] > p[start + best] { best = i }
        return best
    }
}

extension Float {
    /// dB (power) to a linear power ratio.
    static func dbToPower(_ db: Float) -> Float { Float(pow(10.0, Double(db) / 10)) }
}
