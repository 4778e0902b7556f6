/// SplitMix64 (Steele, Lea, Flood 2014): the one small deterministic PRNG every test target
/// uses for mutation, fuzz-like and noise tests, so a failure replays from its seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in 0..<bound (bound > 0).
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// A uniform value in -amplitude..<amplitude.
    public mutating func symmetric(_ amplitude: Double) -> Double {
        (Double(next() >> 11) / Double(1 << 53)) * 2 * amplitude - amplitude
    }
}
