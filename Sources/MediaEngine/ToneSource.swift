// Multi-frequency tone generator (call progress tones, in-band DTMF).
//
// Level mapping (ITU-T G.711): the "digital milliwatt" (Tables 5 and 6) is a 1 kHz sine at
// 0 dBm0, and a full-scale sine of the codec is +3.17 dBm0 (μ-law; A-law is +3.14).
// We take the 16-bit full-scale sine (peak 32767) as +3.17 dBm0, so
//     peak(L dBm0) = 32767 · 10^((L − 3.17) / 20)
// 0 dBm0 → peak 22 748, RMS 16 085 = −6.18 dBov (0 dBov = full-scale square wave, G.100.1),
// which matches the decoded μ-law digital milliwatt sequence within 0.05 dB.
//
// Synthesis: each frequency is a recursive (Goertzel-style) oscillator
//     y[n] = 2·cos(ω)·y[n−1] − y[n−2]
// — one multiply and one subtract per sample, no sin() in the hot loop. Rounding makes the
// recursion's amplitude and phase drift slowly (in Double far below 1 LSB over minutes, but
// unbounded over an endless tone), so every `renormInterval` samples of a burst
// the two state values are re-seeded from the exact sine. The re-seed points are counted
// from the start of each burst, not per read, so any split of reads produces bit-identical
// output (phase-continuous across reads of any size).
//
// Each "on" period of a cadence starts at phase 0 (sin 0 = 0), so bursts begin without a
// click and every burst is identical.

import Foundation

/// One sine component of a tone: frequency and level.
public struct ToneComponent: Sendable, Equatable {
    /// Frequency in Hz (must be below half the sample rate).
    public var frequency: Double
    /// Level in dBm0 (ITU-T G.711 mapping, see the file comment).
    public var levelDbm0: Double

    /// Creates a component.
    public init(frequency: Double, levelDbm0: Double) {
        self.frequency = frequency
        self.levelDbm0 = levelDbm0
    }

    /// Peak amplitude in 16-bit units for a level in dBm0 (+3.17 dBm0 = full-scale sine).
    public static func peakAmplitude(dbm0: Double) -> Double {
        32767 * pow(10, (dbm0 - ToneSource.fullScaleDbm0) / 20)
    }
}

/// Typed errors for tone construction; `code` strings are stable.
public enum ToneError: Error, Sendable, Equatable {
    /// No frequency, or more than `ToneSource.maxComponents`.
    case componentCount(Int)
    /// A frequency not in (0, sampleRate/2), or not finite.
    case invalidFrequency(Double)
    /// A level that is not finite or exceeds +3.17 dBm0 (full scale).
    case invalidLevel(Double)
    /// A sample rate that is not positive.
    case invalidSampleRate(Int)
    /// A cadence with an odd number of entries, negative times, or no "on" time at all.
    case invalidCadence
    /// A DTMF key outside 0-9, *, #, A-D.
    case invalidDTMFKey(Character)

    /// Stable machine-readable code.
    public var code: String {
        switch self {
        case .componentCount: "tone.component-count"
        case .invalidFrequency: "tone.invalid-frequency"
        case .invalidLevel: "tone.invalid-level"
        case .invalidSampleRate: "tone.invalid-sample-rate"
        case .invalidCadence: "tone.invalid-cadence"
        case .invalidDTMFKey: "tone.invalid-dtmf-key"
        }
    }

    /// Human-readable message saying what to fix.
    public var message: String {
        switch self {
        case .componentCount(let n): "a tone needs 1 to \(ToneSource.maxComponents) frequencies, got \(n)"
        case .invalidFrequency(let f): "tone frequency \(f) Hz must be above 0 and below half the sample rate"
        case .invalidLevel(let l): "tone level \(l) dBm0 must be finite and at most +3.17 dBm0"
        case .invalidSampleRate(let r): "sample rate \(r) must be positive"
        case .invalidCadence: "a cadence is a non-empty list of on/off pairs in ms, none negative, with some on time"
        case .invalidDTMFKey(let k): "'\(k)' is not a DTMF key (0-9, *, #, A-D)"
        }
    }
}

/// On/off timing of a tone, repeated until the tone's duration ends.
public struct ToneCadence: Sendable, Equatable {
    /// Alternating on, off, on, off… durations in ms; empty = continuously on.
    public let pattern: [Int]

    /// A steady tone (no interruption).
    public static let continuous = ToneCadence(uncheckedPattern: [])

    /// Creates a cadence from on/off pairs in ms (e.g. [1000, 4000] for ETSI ring-back).
    public init(onOffMs pattern: [Int]) throws(ToneError) {
        guard !pattern.isEmpty, pattern.count % 2 == 0, pattern.allSatisfy({ $0 >= 0 }),
              pattern.enumerated().contains(where: { $0.offset % 2 == 0 && $0.element > 0 })
        else { throw .invalidCadence }
        self.pattern = pattern.map { min($0, AudioTiming.maxMs) }
    }

    private init(uncheckedPattern: [Int]) { pattern = uncheckedPattern }
}

/// Sum of up to four sines at given dBm0 levels, with optional cadence and duration.
public struct ToneSource: AudioSource {
    /// Most sine components in one tone (ITU-T E.180 tones use at most 3; DTMF 2).
    public static let maxComponents = 4
    /// dBm0 level of a full-scale (peak 32767) sine: ITU-T G.711 μ-law value.
    public static let fullScaleDbm0 = 3.17
    /// Re-seed period of the recursive oscillators, in samples.
    static let renormInterval = 256

    /// Samples per second of the produced audio.
    public let sampleRate: Int
    /// The sine components.
    public let components: [ToneComponent]
    /// The on/off cadence.
    public let cadence: ToneCadence

    /// Per-component peak amplitude and oscillator coefficient 2cos(ω).
    private let amplitudes: [Double]
    private let coefficients: [Double]
    /// Per-component normalised frequency f/fs, for exact re-seeding.
    private let cyclesPerSample: [Double]
    /// Cadence segment lengths in samples (alternating on/off); one "on" entry if continuous.
    private let segmentSamples: [Int]
    /// Oscillator states y[n−1] and y[n−2], one pair per component.
    private var state1: [Double]
    private var state2: [Double]
    /// Samples still to produce overall; nil = endless.
    private var remaining: Int?
    /// Current cadence segment and samples left in it.
    private var segment = 0
    private var segmentLeft: Int
    /// Sample index since the start of the current "on" burst.
    private var burstIndex = 0

    /// Creates a tone of `components` with a cadence, lasting `durationMs` (nil = endless).
    public init(sampleRate: Int, components: [ToneComponent], cadence: ToneCadence = .continuous,
                durationMs: Int?) throws(ToneError) {
        guard sampleRate > 0 else { throw .invalidSampleRate(sampleRate) }
        guard (1...Self.maxComponents).contains(components.count) else {
            throw .componentCount(components.count)
        }
        let nyquist = Double(sampleRate) / 2
        for c in components {
            guard c.frequency.isFinite, c.frequency > 0, c.frequency < nyquist else {
                throw .invalidFrequency(c.frequency)
            }
            guard c.levelDbm0.isFinite, c.levelDbm0 <= Self.fullScaleDbm0 + 1e-9 else {
                throw .invalidLevel(c.levelDbm0)
            }
        }
        self.sampleRate = sampleRate
        self.components = components
        self.cadence = cadence
        amplitudes = components.map { ToneComponent.peakAmplitude(dbm0: $0.levelDbm0) }
        cyclesPerSample = components.map { $0.frequency / Double(sampleRate) }
        coefficients = cyclesPerSample.map { 2 * cos(2 * Double.pi * $0) }
        state1 = Array(repeating: 0, count: components.count)
        state2 = Array(repeating: 0, count: components.count)
        // Segment boundaries come from cumulative ms so rounding never accumulates in a cycle.
        if cadence.pattern.isEmpty {
            segmentSamples = [Int.max]
        } else {
            var cumulativeMs = 0, previous = 0, lengths: [Int] = []
            for ms in cadence.pattern {
                cumulativeMs += ms
                let boundary = AudioTiming.samples(ms: cumulativeMs, sampleRate: sampleRate)
                lengths.append(boundary - previous)
                previous = boundary
            }
            segmentSamples = lengths
        }
        segmentLeft = segmentSamples[0]
        remaining = durationMs.map { AudioTiming.samples(ms: $0, sampleRate: sampleRate) }
    }

    /// Creates a tone of equal-level `frequencies` (e.g. 425 Hz at −10 dBm0 for ring-back).
    public init(sampleRate: Int, frequencies: [Double], levelDbm0: Double,
                cadence: ToneCadence = .continuous, durationMs: Int?) throws(ToneError) {
        try self.init(sampleRate: sampleRate,
                      components: frequencies.map { ToneComponent(frequency: $0, levelDbm0: levelDbm0) },
                      cadence: cadence, durationMs: durationMs)
    }

    /// Writes the next samples; see `AudioSource.read(into:)`.
    public mutating func read(into out: UnsafeMutableBufferPointer<Int16>) -> Int {
        guard let base = out.baseAddress else { return 0 }
        var filled = 0
        while filled < out.count {
            if remaining == 0 { break }
            if segmentLeft == 0 {
                segment = (segment + 1) % segmentSamples.count
                segmentLeft = segmentSamples[segment]
                burstIndex = 0
                continue  // zero-length segments are skipped
            }
            var n = min(out.count - filled, segmentLeft)
            if let r = remaining { n = min(n, r) }
            if segment % 2 == 0 {
                synthesize(into: base + filled, count: n)
            } else {
                (base + filled).update(repeating: 0, count: n)
            }
            filled += n
            segmentLeft -= n
            if let r = remaining { remaining = r - n }
        }
        return filled
    }

    /// Runs the oscillators for `count` samples of the current burst.
    private mutating func synthesize(into out: UnsafeMutablePointer<Int16>, count: Int) {
        let k = components.count
        var done = 0
        while done < count {
            let phaseInBlock = burstIndex % Self.renormInterval
            if phaseInBlock == 0 { reseed() }
            let n = min(count - done, Self.renormInterval - phaseInBlock)
            coefficients.withUnsafeBufferPointer { c in
                state1.withUnsafeMutableBufferPointer { s1 in
                    state2.withUnsafeMutableBufferPointer { s2 in
                        for i in 0..<n {
                            var sum = 0.0
                            for j in 0..<k {
                                let y = c[j] * s1[j] - s2[j]
                                s2[j] = s1[j]
                                s1[j] = y
                                sum += y
                            }
                            out[done + i] = AudioTiming.clampToInt16(sum)
                        }
                    }
                }
            }
            done += n
            burstIndex += n
        }
    }

    /// Sets y[n−1], y[n−2] to the exact sine at the current burst index.
    private mutating func reseed() {
        for j in 0..<components.count {
            state1[j] = exactSample(component: j, index: burstIndex - 1)
            state2[j] = exactSample(component: j, index: burstIndex - 2)
        }
    }

    /// A·sin(2π·f/fs·n) with the phase reduced to one cycle first, for long bursts.
    private func exactSample(component j: Int, index n: Int) -> Double {
        let cycles = (cyclesPerSample[j] * Double(n)).truncatingRemainder(dividingBy: 1)
        return amplitudes[j] * sin(2 * Double.pi * cycles)
    }
}

extension ToneSource {
    /// ITU-T Q.23 low-group (row) frequencies in Hz.
    public static let dtmfRowFrequencies: [Double] = [697, 770, 852, 941]
    /// ITU-T Q.23 high-group (column) frequencies in Hz.
    public static let dtmfColumnFrequencies: [Double] = [1209, 1336, 1477, 1633]
    /// Keypad layout: row-major, matching the two frequency tables.
    static let dtmfKeypad: [Character] = ["1", "2", "3", "A", "4", "5", "6", "B",
                                          "7", "8", "9", "C", "*", "0", "#", "D"]

    /// One in-band DTMF digit: `onMs` of the Q.23 pair then `offMs` of silence, then the end.
    /// Levels: high group −6 dBm0, low group −8 dBm0 (the usual 2 dB positive twist, which
    /// offsets the line's higher loss at the column frequencies).
    public static func dtmf(_ key: Character, sampleRate: Int, onMs: Int = 100, offMs: Int = 50,
                            highLevelDbm0: Double = -6, lowLevelDbm0: Double = -8) throws(ToneError) -> ToneSource {
        guard let (row, column) = dtmfPosition(of: key) else { throw .invalidDTMFKey(key) }
        let components = [
            ToneComponent(frequency: dtmfRowFrequencies[row], levelDbm0: lowLevelDbm0),
            ToneComponent(frequency: dtmfColumnFrequencies[column], levelDbm0: highLevelDbm0),
        ]
        let on = min(max(0, onMs), AudioTiming.maxMs), off = min(max(0, offMs), AudioTiming.maxMs)
        guard on > 0 else { throw .invalidCadence }
        return try ToneSource(sampleRate: sampleRate, components: components,
                              cadence: ToneCadence(onOffMs: [on, off]), durationMs: on + off)
    }

    /// Row and column of a DTMF key (0-9, *, #, A-D; letters case-insensitive).
    static func dtmfPosition(of key: Character) -> (row: Int, column: Int)? {
        let upper: Character = key == "a" ? "A" : key == "b" ? "B" : key == "c" ? "C" : key == "d" ? "D" : key
        guard let index = dtmfKeypad.firstIndex(of: upper) else { return nil }
        return (index / 4, index % 4)
    }
}
