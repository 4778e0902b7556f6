// Energy-based voice activity detection for recording timeouts ("finish after N seconds of
// silence", "no speech started within N seconds").
//
// Per frame (normally 20 ms):
// 1. Energy in dBov: 10·log10(mean(x²) / 32768²) — 0 dBov is a full-scale square wave
//    (ITU-T G.100.1), so a full-scale sine is −3.01 dBov. Digital silence is −∞.
// 2. A frame is "voiced" when its energy exceeds both the noise floor + `marginDb` and the
//    absolute `minimumSpeechDbov` (so a very quiet line never triggers on its own noise).
// 3. The noise floor tracks the minimum: it follows a quieter frame quickly (a fraction
//    `floorFallRate` of the gap per 20 ms) and rises towards a louder one slowly, at most
//    `floorRiseDbPerSecond`. A steady hum therefore becomes the floor after a few seconds
//    while speech, whose pauses keep pulling the floor down, stays above it. The floor is
//    seeded from the first frame that is not digital silence (calls start with line noise,
//    not speech), and all-zero frames (muted legs, jitter-buffer gaps) never move it.
//    The floor never goes below minimumSpeechDbov − marginDb: lower values would change
//    nothing but slow the recovery after a quiet spell.
// 4. Speech starts after `onsetFrames` consecutive voiced frames (a click is not speech) and
//    ends `hangoverMs` after the last voiced frame (short gaps between words are bridged).
//
// Pure value type: no clock — time advances by the duration of each frame processed.

import Foundation

/// Speech segment boundaries reported by `VoiceActivityDetector`.
public enum VADEvent: Sendable, Equatable {
    /// Speech began (reported on the frame that completed the onset).
    case speechStarted
    /// Speech ended (reported when the hangover after the last voiced frame ran out).
    case speechEnded
}

/// Tuning of the voice activity detector.
public struct VADConfiguration: Sendable, Equatable {
    /// How far above the noise floor a frame must be to count as voiced.
    public var marginDb: Double = 9
    /// Absolute energy a voiced frame must exceed.
    public var minimumSpeechDbov: Double = -50
    /// Time speech continues after the last voiced frame.
    public var hangoverMs: Int = 200
    /// Consecutive voiced frames needed to start speech.
    public var onsetFrames: Int = 2
    /// Fastest rise of the noise floor towards louder frames.
    public var floorRiseDbPerSecond: Double = 4
    /// Fraction of the gap to a quieter frame the floor closes per 20 ms.
    public var floorFallRate: Double = 0.25

    /// The defaults described on each property.
    public init() {}
}

/// Energy-based VAD with adaptive noise floor, onset and hangover; feed it every frame.
public struct VoiceActivityDetector: Sendable {
    /// The tuning in use.
    public let configuration: VADConfiguration
    /// True while inside a speech segment (including its hangover).
    public private(set) var isSpeech = false
    /// Current noise floor estimate in dBov; nil until a non-silent frame was seen.
    public private(set) var noiseFloorDbov: Double?
    /// Energy of the last frame in dBov (−infinity for digital silence).
    public private(set) var lastEnergyDbov = -Double.infinity

    private let hangoverUs: Int
    private var silenceUs = 0
    private var speechUs = 0
    private var hangoverLeftUs = 0
    private var onsetCount = 0
    private var onsetUs = 0

    /// Creates a detector; nothing has been heard yet.
    public init(configuration: VADConfiguration = VADConfiguration()) {
        self.configuration = configuration
        hangoverUs = max(0, min(configuration.hangoverMs, AudioTiming.maxMs)) * 1000
    }

    /// Milliseconds since the last voiced frame of a speech segment, or since the start if
    /// there was none; 0 right after speech. Onset candidates that did not become speech
    /// (clicks) do not reset it.
    public var silenceMs: Int { silenceUs / 1000 }
    /// Total duration of voiced frames inside speech segments.
    public var speechMs: Int { speechUs / 1000 }

    /// Classifies one frame and returns a speech boundary if one happened on it.
    public mutating func process(_ frame: UnsafeBufferPointer<Int16>, sampleRate: Int) -> VADEvent? {
        guard !frame.isEmpty, sampleRate > 0 else { return nil }
        let us = AudioTiming.microseconds(samples: frame.count, sampleRate: sampleRate)
        let energy = Self.energyDbov(frame)
        lastEnergyDbov = energy
        let voiced: Bool
        if let floor = noiseFloorDbov {
            voiced = energy > floor + configuration.marginDb && energy > configuration.minimumSpeechDbov
        } else {
            voiced = false
        }
        updateFloor(energy: energy, frameUs: us)

        if isSpeech {
            if voiced {
                hangoverLeftUs = hangoverUs
                silenceUs = 0
                speechUs += us
                return nil
            }
            silenceUs += us
            hangoverLeftUs -= us
            guard hangoverLeftUs <= 0 else { return nil }
            isSpeech = false
            return .speechEnded
        }
        silenceUs += us
        guard voiced else {
            onsetCount = 0
            onsetUs = 0
            return nil
        }
        onsetCount += 1
        onsetUs += us
        guard onsetCount >= max(1, configuration.onsetFrames) else { return nil }
        isSpeech = true
        speechUs += onsetUs
        onsetCount = 0
        onsetUs = 0
        silenceUs = 0
        hangoverLeftUs = hangoverUs
        return .speechStarted
    }

    /// Array convenience for `process(_:sampleRate:)`.
    public mutating func process(_ frame: [Int16], sampleRate: Int) -> VADEvent? {
        frame.withUnsafeBufferPointer { process($0, sampleRate: sampleRate) }
    }

    /// Forgets everything heard (floor, segment, counters).
    public mutating func reset() {
        self = VoiceActivityDetector(configuration: configuration)
    }

    /// Moves the noise floor towards `energy` (fast down, rate-limited up).
    private mutating func updateFloor(energy: Double, frameUs: Int) {
        guard energy.isFinite else { return }  // digital silence says nothing about the line
        let lowest = configuration.minimumSpeechDbov - configuration.marginDb
        guard let floor = noiseFloorDbov else {
            noiseFloorDbov = max(energy, lowest)
            return
        }
        let frames20ms = Double(frameUs) / 20_000
        if energy < floor {
            let fraction = min(1, configuration.floorFallRate * frames20ms)
            noiseFloorDbov = max(floor + (energy - floor) * fraction, lowest)
        } else {
            let step = configuration.floorRiseDbPerSecond * Double(frameUs) / 1_000_000
            noiseFloorDbov = min(energy, floor + step)
        }
    }

    /// Frame energy in dBov (0 dBov = full-scale square wave); −infinity for all zeros.
    public static func energyDbov(_ frame: UnsafeBufferPointer<Int16>) -> Double {
        guard !frame.isEmpty else { return -.infinity }
        var sum: Int64 = 0
        for s in frame {
            let v = Int64(s)
            sum &+= v * v  // ≤ 2^30 per sample: 2^33 samples before overflow
        }
        guard sum > 0 else { return -.infinity }
        let meanSquare = Double(sum) / Double(frame.count)
        return 10 * log10(meanSquare / (32768.0 * 32768.0))
    }
}
