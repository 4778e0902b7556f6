// Pull-based audio sources for the media workers.
//
// Every source produces mono 16-bit linear PCM at its own `sampleRate`; the media worker
// pulls one 20 ms frame per tick (160 samples at 8 kHz, 960 at 48 kHz) into a buffer it
// owns, so `read` never allocates. Sources are value types: copying one (for example a
// cached prompt) gives an independent play cursor that shares the immutable sample data.
//
// Read contract:
// - `read` fills out[0 ..< n] and returns n, 0 ≤ n ≤ out.count;
// - n < out.count means the source has ended (a short read is the end; out[n...] is left
//   untouched, the caller pads with silence if it needs a full frame);
// - after the end every further read returns 0.

/// A pull-based producer of mono 16-bit PCM samples at a fixed rate.
public protocol AudioSource: Sendable {
    /// Samples per second of the produced audio.
    var sampleRate: Int { get }

    /// Fills up to `out.count` samples and returns how many were written (0 = finished;
    /// fewer than `out.count` = this was the last piece).
    mutating func read(into out: UnsafeMutableBufferPointer<Int16>) -> Int
}

/// Digital silence (all-zero samples) for a fixed duration or forever.
public struct SilenceSource: AudioSource {
    /// Samples per second of the produced audio.
    public let sampleRate: Int
    /// Samples still to produce; nil while the source is endless.
    public private(set) var remainingSamples: Int?

    /// Creates silence of `durationMs` milliseconds (nil = endless); negative durations and
    /// a non-positive rate give an already finished source.
    public init(sampleRate: Int, durationMs: Int?) {
        self.sampleRate = sampleRate
        if let durationMs {
            remainingSamples = AudioTiming.samples(ms: durationMs, sampleRate: sampleRate)
        } else {
            remainingSamples = sampleRate > 0 ? nil : 0
        }
    }

    /// Writes zeros; see `AudioSource.read(into:)`.
    public mutating func read(into out: UnsafeMutableBufferPointer<Int16>) -> Int {
        var n = out.count
        if let remaining = remainingSamples {
            n = min(n, remaining)
            remainingSamples = remaining - n
        }
        guard n > 0, let base = out.baseAddress else { return 0 }
        base.update(repeating: 0, count: n)
        return n
    }
}

/// Sample-count arithmetic shared by the sources, recorder and VAD.
enum AudioTiming {
    /// Upper bound on any duration we turn into samples: 30 days, far beyond a call, and
    /// small enough that ms × rate cannot overflow a 64-bit Int for rates up to 384 kHz.
    static let maxMs = 30 * 24 * 3_600_000

    /// Number of samples in `ms` milliseconds at `sampleRate`, rounded down; 0 for
    /// negative inputs, saturating at `maxMs` so hostile durations cannot trap.
    static func samples(ms: Int, sampleRate: Int) -> Int {
        guard ms > 0, sampleRate > 0 else { return 0 }
        let (product, overflow) = min(ms, maxMs).multipliedReportingOverflow(by: sampleRate)
        return overflow ? Int.max / 1000 : product / 1000
    }

    /// Milliseconds covered by `samples` samples at `sampleRate`, rounded down.
    static func milliseconds(samples: Int, sampleRate: Int) -> Int {
        guard samples > 0, sampleRate > 0 else { return 0 }
        let (product, overflow) = samples.multipliedReportingOverflow(by: 1000)
        return overflow ? samples / sampleRate * 1000 : product / sampleRate
    }

    /// Microseconds covered by `samples` samples at `sampleRate`, rounded down.
    static func microseconds(samples: Int, sampleRate: Int) -> Int {
        guard samples > 0, sampleRate > 0 else { return 0 }
        let (product, overflow) = samples.multipliedReportingOverflow(by: 1_000_000)
        return overflow ? samples / sampleRate * 1_000_000 : product / sampleRate
    }

    /// Rounds and saturates a floating-point sample to Int16 (NaN becomes 0).
    @inline(__always)
    static func clampToInt16(_ x: Double) -> Int16 {
        guard x == x else { return 0 }
        if x >= 32767 { return .max }
        if x <= -32768 { return .min }
        return Int16(x.rounded())
    }
}
