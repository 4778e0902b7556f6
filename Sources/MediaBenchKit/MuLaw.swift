/// ITU-T G.711 μ-law encoding of 16-bit linear PCM, for the PCMU payloads the benchmark
/// sends. (The daemon has its own codec in `Codecs`; the benchmark keeps a private copy so it
/// measures the daemon without sharing its code paths.)
public enum MuLaw {
    /// G.711 §3.2: the bias added before finding the segment (33 in 14-bit terms, × 4 here).
    static let bias = 0x84
    /// Largest magnitude before the bias would overflow the top segment.
    static let clip = 32635

    /// One μ-law byte for one linear sample.
    public static func encode(_ sample: Int16) -> UInt8 {
        var magnitude = Int(sample)
        let sign: Int
        if magnitude < 0 {
            magnitude = -magnitude
            sign = 0x80
        } else {
            sign = 0
        }
        magnitude = min(magnitude, clip) + bias
        // Segment = position of the highest set bit above bit 7 (0...7).
        var segment = 7
        var mask = 0x4000
        while segment > 0, magnitude & mask == 0 {
            segment -= 1
            mask >>= 1
        }
        let mantissa = (magnitude >> (segment + 3)) & 0x0F
        // G.711 transmits the one's complement (all bits inverted).
        return UInt8(truncatingIfNeeded: ~(sign | (segment << 4) | mantissa))
    }

    /// The linear value a μ-law byte decodes to (used by tests to check the encoder).
    public static func decode(_ byte: UInt8) -> Int16 {
        let u = Int(~byte)
        let segment = (u >> 4) & 0x07
        let mantissa = u & 0x0F
        let magnitude = ((mantissa << 3) + bias) << segment
        return Int16(u & 0x80 != 0 ? bias - magnitude : magnitude - bias)
    }

    /// Encodes a whole buffer.
    public static func encode(_ pcm: [Int16]) -> [UInt8] { pcm.map(encode) }
}
