// Plays a WAV file: 16-bit PCM, or G.711 A-law / μ-law decoded here, mono or stereo.
//
// The file is read once into memory (bounded, default 100 MB) and decoded on the fly in
// `read`, so memory stays at the file size and a copied source shares the bytes. Stereo
// is downmixed to mono as (L + R) / 2, which cannot clip. The source keeps the file's own
// rate; the media worker resamples when it differs from the leg's codec rate.

/// An `AudioSource` over a WAV file's audio data.
public struct WAVFileSource: AudioSource {
    /// Default bound on the size of a file loaded from disk.
    public static let defaultMaxBytes = 100 * 1024 * 1024

    /// The parsed header of the file.
    public let header: WAVHeader
    /// The whole file.
    private let bytes: [UInt8]
    /// Index of the next frame to produce.
    public private(set) var frameIndex = 0

    /// Samples per second of the file (not resampled).
    public var sampleRate: Int { header.sampleRate }
    /// Total frames (mono output samples) in the file.
    public var frameCount: Int { header.frameCount }
    /// Duration of the file in milliseconds.
    public var durationMs: Int { header.durationMs }

    /// Loads and parses the WAV file at `path`, refusing files over `maxBytes`.
    public init(path: String, maxBytes: Int = defaultMaxBytes) throws(WAVError) {
        try self.init(bytes: AudioFileIO.readFile(path: path, maxBytes: maxBytes))
    }

    /// Parses an in-memory WAV file.
    public init(bytes: [UInt8]) throws(WAVError) {
        header = try WAVHeader.parse(bytes)
        self.bytes = bytes
    }

    /// Decodes the next frames to mono PCM; see `AudioSource.read(into:)`.
    public mutating func read(into out: UnsafeMutableBufferPointer<Int16>) -> Int {
        let n = min(out.count, frameCount - frameIndex)
        guard n > 0, let dst = out.baseAddress else { return 0 }
        let header = header
        let start = header.dataOffset + frameIndex * header.blockAlign
        bytes.withUnsafeBytes { raw in
            // The parser proved dataOffset + dataByteCount ≤ file size, and frameIndex + n ≤
            // frameCount, so every byte touched below is inside `raw`.
            guard let base = raw.baseAddress else { return }
            let src = base + start
            switch (header.format, header.channels) {
            case (.pcm16, 1):
                for i in 0..<n { dst[i] = Self.pcm(src, 2 * i) }
            case (.pcm16, _):
                for i in 0..<n { dst[i] = Self.mix(Self.pcm(src, 4 * i), Self.pcm(src, 4 * i + 2)) }
            case (.muLaw, _), (.aLaw, _):
                let table = header.format == .muLaw ? WAVCompanding.muLaw : WAVCompanding.aLaw
                table.withUnsafeBufferPointer { t in
                    let bytePtr = src.assumingMemoryBound(to: UInt8.self)
                    if header.channels == 1 {
                        for i in 0..<n { dst[i] = t[Int(bytePtr[i])] }
                    } else {
                        for i in 0..<n { dst[i] = Self.mix(t[Int(bytePtr[2 * i])], t[Int(bytePtr[2 * i + 1])]) }
                    }
                }
            }
        }
        frameIndex += n
        return n
    }

    /// Restarts playback from the first frame.
    public mutating func rewind() { frameIndex = 0 }

    /// Little-endian Int16 at byte offset `i` (no alignment assumed).
    @inline(__always)
    private static func pcm(_ p: UnsafeRawPointer, _ i: Int) -> Int16 {
        Int16(littleEndian: p.loadUnaligned(fromByteOffset: i, as: Int16.self))
    }

    /// Stereo to mono: the mean of both channels (never overflows Int16).
    @inline(__always)
    private static func mix(_ l: Int16, _ r: Int16) -> Int16 {
        Int16(truncatingIfNeeded: (Int32(l) + Int32(r)) / 2)
    }
}

/// G.711 expansion tables (ITU-T G.711 Tables 1a/2a), scaled to 16-bit linear.
enum WAVCompanding {
    /// μ-law code → linear sample (−32124 … 32124).
    static let muLaw: [Int16] = (0...255).map { muLawDecode(UInt8($0)) }
    /// A-law code → linear sample (−32256 … 32256).
    static let aLaw: [Int16] = (0...255).map { aLawDecode(UInt8($0)) }

    /// G.711 μ-law: bits are transmitted inverted; magnitude = ((2·mantissa + 33) << exponent) − 33
    /// in 14-bit units, here pre-shifted by 2 (hence the 0x84 = 33 << 2 bias).
    static func muLawDecode(_ code: UInt8) -> Int16 {
        let u = ~code
        let exponent = Int((u >> 4) & 0x07)
        let mantissa = Int(u & 0x0F)
        let magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84
        return Int16(u & 0x80 != 0 ? -magnitude : magnitude)
    }

    /// G.711 A-law: even bits are inverted (XOR 0x55); segment 0 is linear, then each segment
    /// doubles the step; the decoder returns the middle of the quantisation interval.
    static func aLawDecode(_ code: UInt8) -> Int16 {
        let a = code ^ 0x55
        let exponent = Int((a >> 4) & 0x07)
        let mantissa = Int(a & 0x0F)
        let magnitude = exponent == 0
            ? (mantissa << 4) + 8
            : ((mantissa << 4) + 0x108) << (exponent - 1)
        // A-law sign bit 1 = positive.
        return Int16(a & 0x80 != 0 ? magnitude : -magnitude)
    }
}
