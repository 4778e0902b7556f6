// ITU-T G.711 companding: μ-law (North America/Japan, RTP PT 0 "PCMU") and
// A-law (rest of world, RTP PT 8 "PCMA"), between 16-bit linear PCM and 8-bit codes.
//
// Design choices:
// - Decode is a 256-entry table per law (512 bytes each, stays in L1 cache). The tables are
//   `static let`, i.e. built once, lazily and thread-safely, from the reference formula below,
//   and immutable afterwards (no global mutable state).
// - Encode uses the segment search via `leadingZeroBitCount` (a single LZCNT/BSR instruction)
//   instead of a 16K-entry table: a 16 KB table per law would evict far more useful cache lines
//   in a media worker than the handful of ALU ops the arithmetic path costs, and it is
//   branch-light, so it is at least as fast in practice.
// - Linear samples are in the 16-bit domain: G.711 μ-law is defined on 14-bit and A-law on
//   13-bit magnitudes; we scale by 4 and 8 respectively (the usual convention, so full-scale
//   codes decode to ±32124 for μ-law and ±32256 for A-law).

/// The two G.711 companding laws.
public enum G711Law: Sendable, Equatable {
    /// μ-law (PCMU, RTP static payload type 0).
    case muLaw
    /// A-law (PCMA, RTP static payload type 8).
    case aLaw
}

/// G.711 μ-law and A-law encoders/decoders (scalar and allocation-free bulk forms).
public enum G711 {
    // MARK: Scalar

    /// Encodes one 16-bit linear sample to a μ-law code.
    @inlinable
    public static func muLawEncode(_ sample: Int16) -> UInt8 {
        let x = Int32(sample)
        let sign: UInt32 = x < 0 ? 0x80 : 0
        // Magnitude (no overflow in Int32: -32768 → 32768), clipped at 32635 so that adding the
        // bias 0x84 (33 in the 14-bit domain) keeps it below 2^15, i.e. in segment 7.
        var magnitude = x < 0 ? -x : x
        if magnitude > 32635 { magnitude = 32635 }
        let biased = UInt32(magnitude + 0x84)  // 132 ... 32767: bit 7 is always the floor
        // Segment = position of the highest set bit above bit 7 (0...7).
        let exponent = UInt32(31 - biased.leadingZeroBitCount) - 7
        let mantissa = (biased >> (exponent + 3)) & 0x0F
        // G.711 transmits μ-law codes with all bits inverted.
        return UInt8(truncatingIfNeeded: ~(sign | (exponent << 4) | mantissa))
    }

    /// Decodes one μ-law code to a 16-bit linear sample.
    @inlinable
    public static func muLawDecode(_ code: UInt8) -> Int16 {
        muLawDecodeTable[Int(code)]
    }

    /// Encodes one 16-bit linear sample to an A-law code.
    @inlinable
    public static func aLawEncode(_ sample: Int16) -> UInt8 {
        // A-law has no zero code: negative values use one's complement (-1 → magnitude 0),
        // as in the ITU-T G.191 reference, so the full Int16 range maps without clipping.
        let sign: UInt32 = sample >= 0 ? 0x80 : 0
        let magnitude = UInt32(sample >= 0 ? Int32(sample) : Int32(~sample))  // 0 ... 32767
        let code: UInt32
        if magnitude < 256 {
            code = sign | (magnitude >> 4)  // segment 0 is linear
        } else {
            let exponent = UInt32(31 - magnitude.leadingZeroBitCount) - 7  // 1 ... 7
            code = sign | (exponent << 4) | ((magnitude >> (exponent + 3)) & 0x0F)
        }
        // G.711 transmits A-law codes with even bits inverted (XOR 0x55).
        return UInt8(truncatingIfNeeded: code ^ 0x55)
    }

    /// Decodes one A-law code to a 16-bit linear sample.
    @inlinable
    public static func aLawDecode(_ code: UInt8) -> Int16 {
        aLawDecodeTable[Int(code)]
    }

    /// Encodes one sample with the given law.
    @inlinable
    public static func encode(_ sample: Int16, law: G711Law) -> UInt8 {
        law == .muLaw ? muLawEncode(sample) : aLawEncode(sample)
    }

    /// Decodes one code with the given law.
    @inlinable
    public static func decode(_ code: UInt8, law: G711Law) -> Int16 {
        law == .muLaw ? muLawDecode(code) : aLawDecode(code)
    }

    // MARK: Bulk (no allocation)

    /// Encodes `min(input.count, output.count)` samples; returns how many were written.
    @discardableResult
    public static func encode(
        _ input: UnsafeBufferPointer<Int16>, into output: UnsafeMutableBufferPointer<UInt8>,
        law: G711Law
    ) -> Int {
        let count = min(input.count, output.count)
        switch law {
        case .muLaw:
            for i in 0..<count { output[i] = muLawEncode(input[i]) }
        case .aLaw:
            for i in 0..<count { output[i] = aLawEncode(input[i]) }
        }
        return count
    }

    /// Decodes `min(input.count, output.count)` codes; returns how many were written.
    @discardableResult
    public static func decode(
        _ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<Int16>,
        law: G711Law
    ) -> Int {
        let count = min(input.count, output.count)
        let table = law == .muLaw ? muLawDecodeTable : aLawDecodeTable
        table.withUnsafeBufferPointer { lookup in
            // A UInt8 index into a 256-entry table can never be out of range.
            for i in 0..<count { output[i] = lookup[Int(input[i])] }
        }
        return count
    }

    // MARK: Tables

    /// μ-law decode table, index = code.
    public static let muLawDecodeTable: [Int16] = (0...255).map { muLawDecodeFormula(UInt8($0)) }

    /// A-law decode table, index = code.
    public static let aLawDecodeTable: [Int16] = (0...255).map { aLawDecodeFormula(UInt8($0)) }

    /// Reference μ-law expansion (G.711 Table 2a, scaled ×4 to 16 bits).
    static func muLawDecodeFormula(_ code: UInt8) -> Int16 {
        let u = Int32(~code)
        let exponent = (u >> 4) & 0x07
        let mantissa = u & 0x0F
        // Segment midpoint: ((2m + 33) · 2^e − 33) in 14 bits, ×4 here.
        let magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84
        return Int16(u & 0x80 != 0 ? -magnitude : magnitude)
    }

    /// Reference A-law expansion (G.711 Table 1a, scaled ×8 to 16 bits).
    static func aLawDecodeFormula(_ code: UInt8) -> Int16 {
        let a = Int32(code ^ 0x55)
        let exponent = (a >> 4) & 0x07
        let mantissa = a & 0x0F
        // Segment 0 is linear (2m + 1); others are (2m + 33) · 2^(e−1), in 13 bits, ×8 here.
        let magnitude = exponent == 0
            ? (mantissa << 4) + 8
            : ((mantissa << 4) + 0x108) << (exponent - 1)
        return Int16(a & 0x80 != 0 ? magnitude : -magnitude)
    }
}
