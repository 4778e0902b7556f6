// RIFF/WAVE header: pure builder and parser.
//
// Layout (Microsoft "Multimedia Programming Interface and Data Specifications 1.0", the
// WAVE form described in RFC 2361 §3/§4): "RIFF" <size = file length − 8> "WAVE", then
// chunks of <4-byte id><UInt32 LE size><payload padded to an even length>. We need
// "fmt " (format tag, channels, rate, byte rate, block align, bits) and "data"; anything
// else (LIST, fact, cue, bext…) is skipped. All numbers are little-endian.
//
// Format tags (RFC 2361 appendix A): 1 = PCM, 6 = ITU G.711 A-law, 7 = ITU G.711 μ-law,
// 0xFFFE = WAVE_FORMAT_EXTENSIBLE, whose sub-format GUID starts with the real tag.
//
// The parser validates every size against the bytes actually present before using it,
// so truncated or hostile files produce a `WAVError` instead of an out-of-bounds read.

/// Sample encodings a WAV file may use here.
public enum WAVFormat: Int, Sendable, Equatable {
    /// 16-bit signed little-endian linear PCM (format tag 1).
    case pcm16 = 1
    /// ITU-T G.711 A-law, 8 bits per sample (format tag 6).
    case aLaw = 6
    /// ITU-T G.711 μ-law, 8 bits per sample (format tag 7).
    case muLaw = 7

    /// Bits per sample of this encoding.
    public var bitsPerSample: Int { self == .pcm16 ? 16 : 8 }
}

/// The parsed (or to-be-written) description of a WAV file's audio.
public struct WAVHeader: Sendable, Equatable {
    /// Sample encoding.
    public var format: WAVFormat
    /// 1 (mono) or 2 (stereo, interleaved left/right).
    public var channels: Int
    /// Frames per second.
    public var sampleRate: Int
    /// Byte offset of the first sample in the file.
    public var dataOffset: Int
    /// Length of the audio data in bytes.
    public var dataByteCount: Int

    /// Highest sample rate accepted (keeps byte rates far inside UInt32).
    public static let maxSampleRate = 768_000
    /// Size of the canonical PCM header written by `build` and `WAVRecorder`.
    public static let pcmHeaderSize = 44

    /// Creates a header description.
    public init(format: WAVFormat, channels: Int, sampleRate: Int, dataOffset: Int, dataByteCount: Int) {
        self.format = format
        self.channels = channels
        self.sampleRate = sampleRate
        self.dataOffset = dataOffset
        self.dataByteCount = dataByteCount
    }

    /// Bytes per frame (one sample of every channel).
    public var blockAlign: Int { channels * format.bitsPerSample / 8 }
    /// Whole frames in the data chunk (a trailing partial frame is ignored).
    public var frameCount: Int { blockAlign > 0 ? dataByteCount / blockAlign : 0 }
    /// Duration in milliseconds, rounded down.
    public var durationMs: Int { AudioTiming.milliseconds(samples: frameCount, sampleRate: sampleRate) }

    // MARK: Building

    /// Header bytes for `dataByteCount` bytes of audio: 44 bytes for PCM; for A-law/μ-law an
    /// 18-byte fmt chunk plus the "fact" chunk non-PCM formats need (58 bytes). An odd data
    /// length is counted with its RIFF pad byte, which the caller writes after the data.
    public static func build(format: WAVFormat, channels: Int, sampleRate: Int,
                             dataByteCount: Int) throws(WAVError) -> [UInt8] {
        guard channels == 1 || channels == 2 else { throw .unsupportedChannels(channels) }
        guard sampleRate > 0, sampleRate <= maxSampleRate else { throw .invalidSampleRate(sampleRate) }
        let headerSize = format == .pcm16 ? pcmHeaderSize : 58
        let padded = dataByteCount + (dataByteCount & 1)
        guard dataByteCount >= 0, padded <= Int(UInt32.max) - headerSize else {
            throw .dataTooLarge(dataByteCount)
        }
        let blockAlign = channels * format.bitsPerSample / 8
        var out: [UInt8] = []
        out.reserveCapacity(headerSize)
        out.wavAppendFourCC("RIFF")
        out.wavAppendLE32(headerSize - 8 + padded)
        out.wavAppendFourCC("WAVE")
        out.wavAppendFourCC("fmt ")
        out.wavAppendLE32(format == .pcm16 ? 16 : 18)
        out.wavAppendLE16(format.rawValue)
        out.wavAppendLE16(channels)
        out.wavAppendLE32(sampleRate)
        out.wavAppendLE32(sampleRate * blockAlign)
        out.wavAppendLE16(blockAlign)
        out.wavAppendLE16(format.bitsPerSample)
        if format != .pcm16 {
            out.wavAppendLE16(0)  // cbSize: no extra format bytes
            // RFC 2361 / MS spec: non-PCM files carry a "fact" chunk with the frame count.
            out.wavAppendFourCC("fact")
            out.wavAppendLE32(4)
            out.wavAppendLE32(dataByteCount / blockAlign)
        }
        out.wavAppendFourCC("data")
        out.wavAppendLE32(dataByteCount)
        return out
    }

    // MARK: Parsing

    /// Parses a complete WAV file (or at least everything up to the end of its audio data).
    public static func parse(_ bytes: [UInt8]) throws(WAVError) -> WAVHeader {
        try bytes.withWAVBytes { raw throws(WAVError) in try parse(raw) }
    }

    /// Parses a complete WAV file held in `bytes`; skips unknown chunks. The media path takes
    /// mono or stereo; `parseMultichannel` widens `maxChannels` for decoding prompts.
    public static func parse(_ bytes: UnsafeRawBufferPointer, maxChannels: Int = 2) throws(WAVError) -> WAVHeader {
        let count = bytes.count
        guard count >= 12 else {
            throw count >= 4 && !bytes.wavHasFourCC("RIFF", at: 0) ? .notRIFF : .truncatedHeader
        }
        guard bytes.wavHasFourCC("RIFF", at: 0) else { throw .notRIFF }
        guard bytes.wavHasFourCC("WAVE", at: 8) else { throw .notWAVE }
        var fmt: (format: WAVFormat, channels: Int, rate: Int)?
        var data: (offset: Int, size: Int)?
        var offset = 12
        while offset <= count - 8 {
            let size = bytes.wavLE32(at: offset + 4)
            let body = offset + 8
            let available = count - body
            if bytes.wavHasFourCC("data", at: offset) {
                guard size <= available else { throw .dataTruncated(declared: size, available: available) }
                if data == nil { data = (body, size) }
                if fmt != nil { break }
            } else {
                guard size <= available else {
                    throw .chunkOverflow(chunk: bytes.wavFourCCString(at: offset), declared: size, available: available)
                }
                if fmt == nil, bytes.wavHasFourCC("fmt ", at: offset) {
                    fmt = try parseFormat(bytes, at: body, size: size, maxChannels: maxChannels)
                    if data != nil { break }
                }
            }
            offset = body + size + (size & 1)  // RIFF chunks are padded to even length
        }
        guard let fmt else { throw offset < count ? .truncatedHeader : .missingFormatChunk }
        guard let data else { throw offset < count ? .truncatedHeader : .missingDataChunk }
        return WAVHeader(format: fmt.format, channels: fmt.channels, sampleRate: fmt.rate,
                         dataOffset: data.offset, dataByteCount: data.size)
    }

    /// Validates a "fmt " chunk body (WAVEFORMATEX, optionally WAVE_FORMAT_EXTENSIBLE).
    private static func parseFormat(_ bytes: UnsafeRawBufferPointer, at body: Int, size: Int,
                                    maxChannels: Int) throws(WAVError) -> (format: WAVFormat, channels: Int, rate: Int) {
        guard size >= 16 else { throw .truncatedHeader }
        var tag = bytes.wavLE16(at: body)
        let channels = bytes.wavLE16(at: body + 2)
        let rate = bytes.wavLE32(at: body + 4)
        let blockAlign = bytes.wavLE16(at: body + 12)
        let bits = bytes.wavLE16(at: body + 14)
        if tag == 0xFFFE {
            // WAVE_FORMAT_EXTENSIBLE: cbSize 22, then valid bits, channel mask, GUID whose
            // first two bytes are the real format tag.
            guard size >= 40 else { throw .truncatedHeader }
            tag = bytes.wavLE16(at: body + 24)
        }
        guard let format = WAVFormat(rawValue: tag) else { throw .unsupportedFormat(tag: tag) }
        guard (1...maxChannels).contains(channels) else { throw .unsupportedChannels(channels) }
        guard bits == format.bitsPerSample else { throw .unsupportedBitsPerSample(bits) }
        guard rate > 0, rate <= maxSampleRate else { throw .invalidSampleRate(rate) }
        guard blockAlign == channels * bits / 8 else { throw .invalidBlockAlign(blockAlign) }
        return (format, channels, rate)
    }
}

// MARK: - Little-endian helpers (callers check bounds first)

extension UnsafeRawBufferPointer {
    /// UInt16 little-endian at `offset` as Int.
    @inline(__always)
    func wavLE16(at offset: Int) -> Int { Int(self[offset]) | Int(self[offset + 1]) << 8 }

    /// UInt32 little-endian at `offset` as Int (never negative on 64-bit platforms).
    @inline(__always)
    func wavLE32(at offset: Int) -> Int {
        Int(self[offset]) | Int(self[offset + 1]) << 8 | Int(self[offset + 2]) << 16 | Int(self[offset + 3]) << 24
    }

    /// True if the four bytes at `offset` spell `code` (ASCII).
    func wavHasFourCC(_ code: StaticString, at offset: Int) -> Bool {
        guard offset >= 0, offset <= count - 4, code.utf8CodeUnitCount == 4 else { return false }
        let p = code.utf8Start
        return self[offset] == p[0] && self[offset + 1] == p[1] && self[offset + 2] == p[2] && self[offset + 3] == p[3]
    }

    /// The chunk id at `offset` for messages, with non-printable bytes shown as '?'.
    func wavFourCCString(at offset: Int) -> String {
        guard offset >= 0, offset <= count - 4 else { return "????" }
        let printable = self[offset ..< offset + 4].map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: "?") }
        return String(decoding: printable, as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` with a typed error (the standard one is `rethrows`, i.e. untyped).
    func withWAVBytes<R>(_ body: (UnsafeRawBufferPointer) throws(WAVError) -> R) throws(WAVError) -> R {
        let result: Result<R, WAVError> = withUnsafeBytes { raw in
            do throws(WAVError) { return .success(try body(raw)) } catch { return .failure(error) }
        }
        switch result {
        case .success(let value): return value
        case .failure(let error): throw error
        }
    }

    /// Appends an ASCII four-character code.
    mutating func wavAppendFourCC(_ code: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: code.utf8Start, count: code.utf8CodeUnitCount))
    }

    /// Appends the low 16 bits of `value`, little-endian.
    mutating func wavAppendLE16(_ value: Int) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
    }

    /// Appends the low 32 bits of `value`, little-endian.
    mutating func wavAppendLE32(_ value: Int) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8(truncatingIfNeeded: value >> shift)) }
    }
}
