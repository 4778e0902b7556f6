// In-band DTMF detector (ITU-T Q.23 tones, Q.24-style acceptance) for 16-bit linear PCM.
//
// Samples arrive in chunks of any size; they are gathered into fixed frames of 13.25 ms
// (106 samples at 8 kHz, see DTMFFrameAnalyzer for why) and each frame is classified.
// Timing rules on the per-frame results:
// - a key is accepted after `minimumFrames` (3 → 39.75 ms ≈ Q.24's 40 ms) consecutive
//   frames of the same key, so 20 ms bursts and short talk-off blips are ignored;
// - it ends at the first frame that does not carry it (silence or another key), so one
//   absent frame (fits in a 20 ms inter-digit pause) separates two presses of the same key;
// - it is reported once, when it ends, with its measured duration.

/// One detected key press.
public struct DetectedKey: Sendable, Equatable {
    /// The key: one of 0-9, *, #, A-D.
    public let key: Character
    /// How long the key was present, in milliseconds (multiple of the frame length).
    public let durationMs: Int

    /// Creates a detected key.
    public init(key: Character, durationMs: Int) {
        self.key = key
        self.durationMs = durationMs
    }
}

/// Streaming Goertzel DTMF detector; pure value type, keeps state across `process` calls.
public struct DTMFDetector: Sendable {
    /// Samples per analysis frame (106 at 8 kHz, scaled for other rates).
    public let frameLength: Int
    /// The sample rate the detector was built for.
    public let sampleRate: Int
    /// Consecutive frames a key must be present for before it is accepted.
    public let minimumFrames: Int
    /// The key currently held down and already accepted (≥ minimum duration), if any.
    public private(set) var activeKey: Character?

    private let analyzer: DTMFFrameAnalyzer
    /// Partially filled frame (Float so the Goertzel loop needs no conversion).
    private var frame: [Float]
    private var filled = 0
    /// Key seen in the most recent frames and for how many consecutive frames.
    private var candidate: Character?
    private var candidateFrames = 0

    /// Creates a detector for `sampleRate` Hz mono PCM (8000 by default).
    public init(sampleRate: Int = 8000, thresholds: DTMFThresholds = DTMFThresholds()) {
        let rate = max(sampleRate, 1000)
        self.sampleRate = rate
        // 13.25 ms frames: 106 samples at 8 kHz.
        frameLength = max(16, (rate * 106 + 4000) / 8000)
        minimumFrames = 3
        analyzer = DTMFFrameAnalyzer(sampleRate: rate, frameLength: frameLength, thresholds: thresholds)
        frame = [Float](repeating: 0, count: frameLength)
    }

    /// Feeds samples; returns keys that ended within them, in order.
    public mutating func process(_ samples: UnsafeBufferPointer<Int16>) -> [DetectedKey] {
        var detected: [DetectedKey] = []
        var index = 0
        while index < samples.count {
            let take = min(frameLength - filled, samples.count - index)
            frame.withUnsafeMutableBufferPointer { buffer in
                for i in 0..<take { buffer[filled + i] = Float(samples[index + i]) }
            }
            filled += take
            index += take
            if filled == frameLength {
                filled = 0
                let key = frame.withUnsafeBufferPointer { analyzer.classify($0) }
                if let ended = advance(with: key) { detected.append(ended) }
            }
        }
        return detected
    }

    /// Ends the stream: reports a key still held (if accepted) and resets the state.
    public mutating func finish() -> [DetectedKey] {
        let ended = advance(with: nil)
        filled = 0
        return ended.map { [$0] } ?? []
    }

    /// Applies one frame's classification to the timing state machine.
    private mutating func advance(with key: Character?) -> DetectedKey? {
        if let key, key == candidate {
            candidateFrames += 1
            if candidateFrames >= minimumFrames { activeKey = key }
            return nil
        }
        var ended: DetectedKey?
        if let held = activeKey {
            ended = DetectedKey(key: held, durationMs: candidateFrames * frameLength * 1000 / sampleRate)
        }
        activeKey = nil
        candidate = key
        candidateFrames = key == nil ? 0 : 1
        return ended
    }
}
