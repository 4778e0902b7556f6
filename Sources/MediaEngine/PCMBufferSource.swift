// Plays samples already in memory (synthesized speech, a decoded prompt, a cached file).
//
// The sample array is shared copy-on-write, so one decoded prompt can back many concurrent
// players without copying; each player only carries its own cursor and loop counter.

/// Plays an in-memory `[Int16]` once, a number of times, or forever.
public struct PCMBufferSource: AudioSource {
    /// Samples per second of the samples.
    public let sampleRate: Int
    /// The samples played (mono, at `sampleRate`).
    public let samples: [Int16]
    /// Total plays requested; 0 = forever.
    public let loop: Int
    /// Index of the next sample within the current play.
    public private(set) var position = 0
    /// Plays completed so far.
    public private(set) var completedPlays = 0

    /// Creates a player; `loop` is the number of plays (0 = forever, negative counts as 1).
    /// An empty buffer is finished immediately even when looping forever.
    public init(samples: [Int16], sampleRate: Int, loop: Int = 1) {
        self.samples = samples
        self.sampleRate = sampleRate
        self.loop = loop < 0 ? 1 : loop
    }

    /// True once every requested play has been produced.
    public var isFinished: Bool {
        samples.isEmpty || (loop > 0 && completedPlays >= loop)
    }

    /// Duration of one play in milliseconds.
    public var durationMs: Int {
        AudioTiming.milliseconds(samples: samples.count, sampleRate: sampleRate)
    }

    /// Copies the next samples, wrapping to the start between plays; see `AudioSource.read(into:)`.
    public mutating func read(into out: UnsafeMutableBufferPointer<Int16>) -> Int {
        guard let base = out.baseAddress, !isFinished else { return 0 }
        var filled = 0
        samples.withUnsafeBufferPointer { src in
            guard let srcBase = src.baseAddress else { return }
            while filled < out.count, !isFinished {
                let n = min(out.count - filled, src.count - position)
                (base + filled).update(from: srcBase + position, count: n)
                filled += n
                position += n
                if position == src.count {
                    position = 0
                    completedPlays += 1
                }
            }
        }
        return filled
    }

    /// Restarts from the first sample of the first play.
    public mutating func rewind() {
        position = 0
        completedPlays = 0
    }
}
