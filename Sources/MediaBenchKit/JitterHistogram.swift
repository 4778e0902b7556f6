/// A fixed histogram of |inter-arrival − packet time| deviations: 10 µs buckets up to 200 ms
/// and one overflow bucket. Recording never allocates, so it can sit in the receive loop, and
/// memory does not grow with the run length (a sorted array of samples would).
public struct JitterHistogram: Sendable, Equatable {
    /// Width of one bucket in nanoseconds.
    public let bucketNs: Int64
    /// Deviations at or above this go to the overflow bucket (their maximum is still exact).
    public let limitNs: Int64
    private var buckets: [UInt64]
    /// Samples recorded.
    public private(set) var count: UInt64 = 0
    /// Largest deviation recorded, in nanoseconds.
    public private(set) var maxNs: Int64 = 0

    /// Defaults: 10 µs buckets up to 200 ms (20,001 counters, 160 KB).
    public init(bucketNs: Int64 = 10_000, limitNs: Int64 = 200_000_000) {
        self.bucketNs = max(1, bucketNs)
        self.limitNs = max(self.bucketNs, limitNs)
        buckets = [UInt64](repeating: 0, count: Int(self.limitNs / self.bucketNs) + 1)
    }

    /// Records one inter-arrival time against the expected packet time.
    public mutating func record(interArrivalNs: Int64, expectedNs: Int64) {
        record(deviationNs: abs(interArrivalNs - expectedNs))
    }

    /// Records one deviation (negative values count as their magnitude).
    public mutating func record(deviationNs: Int64) {
        let d = deviationNs == .min ? .max : abs(deviationNs)
        let i = d >= limitNs ? buckets.count - 1 : Int(d / bucketNs)
        buckets[i] &+= 1
        count &+= 1
        if d > maxNs { maxNs = d }
    }

    /// Adds another histogram of the same geometry (e.g. one per receiver thread).
    public mutating func merge(_ other: JitterHistogram) {
        guard other.bucketNs == bucketNs, other.buckets.count == buckets.count else { return }
        for i in buckets.indices { buckets[i] &+= other.buckets[i] }
        count &+= other.count
        maxNs = max(maxNs, other.maxNs)
    }

    /// The deviation below which `fraction` (0...1) of the samples fall, as the upper edge
    /// of its bucket (so it never understates); the exact maximum for the overflow bucket;
    /// 0 with no samples.
    public func percentileNs(_ fraction: Double) -> Int64 {
        guard count > 0 else { return 0 }
        let f = min(max(fraction, 0), 1)
        let rank = max(1, UInt64((Double(count) * f).rounded(.up)))
        var seen: UInt64 = 0
        for (i, c) in buckets.enumerated() where c > 0 {
            seen += c
            if seen >= rank {
                return i == buckets.count - 1 ? maxNs : min(Int64(i + 1) * bucketNs, maxNs)
            }
        }
        return maxNs
    }
}
