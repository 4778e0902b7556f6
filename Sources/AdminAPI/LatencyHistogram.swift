/// Counts of durations in fixed buckets, for a Prometheus histogram (text format 0.0.4:
/// cumulative `_bucket{le=...}` lines, `_sum` and `_count`). The voice runtime fills one with
/// the time each callback request takes, as the daemon sees it.
public struct LatencyHistogram: Sendable, Equatable {
    /// Upper bounds in microseconds (the last bucket, +Inf, is implicit).
    public static let boundsMicros: [Int64] = [500, 1_000, 2_000, 3_000, 4_000, 5_000, 7_500, 10_000, 25_000, 50_000,
                                               100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000]
    /// Per-bucket counts (not cumulative), one more than `boundsMicros` for +Inf.
    public private(set) var counts = [Int64](repeating: 0, count: LatencyHistogram.boundsMicros.count + 1)
    public private(set) var sumMicros: Int64 = 0
    public private(set) var count: Int64 = 0

    public init() {}

    public mutating func record(micros: Int64) {
        let v = max(0, micros)
        let i = Self.boundsMicros.firstIndex { v <= $0 } ?? Self.boundsMicros.count
        counts[i] += 1
        sumMicros += v
        count += 1
    }

    /// The exposition lines for metric `name` (seconds, as Prometheus expects).
    func exposition(name: String, help: String) -> String {
        var out = "# HELP \(name) \(help)\n# TYPE \(name) histogram\n"
        var cumulative: Int64 = 0
        for (i, bound) in Self.boundsMicros.enumerated() {
            cumulative += counts[i]
            out += "\(name)_bucket{le=\"\(Self.seconds(bound))\"} \(cumulative)\n"
        }
        out += "\(name)_bucket{le=\"+Inf\"} \(count)\n\(name)_sum \(Self.seconds(sumMicros))\n\(name)_count \(count)\n"
        return out
    }

    static func seconds(_ micros: Int64) -> String {
        let whole = micros / 1_000_000, frac = micros % 1_000_000
        guard frac != 0 else { return "\(whole)" }
        var f = String(frac)
        f = String(repeating: "0", count: 6 - f.count) + f
        while f.hasSuffix("0") { f.removeLast() }
        return "\(whole).\(f)"
    }
}
