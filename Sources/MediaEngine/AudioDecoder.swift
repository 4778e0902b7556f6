// Turns a fetched prompt file into mono PCM: sniffs the container, then decodes WAV here
// and MP3 through libmpg123 (`MP3Decoder`).
//
// Sniffing looks only at magic bytes, never at a URL suffix or Content-Type, because
// customers' servers mislabel files all the time:
// - "RIFF" <size> "WAVE" (RFC 2361 §3) → WAV;
// - "ID3" (an ID3v2 tag, id3.org ID3v2.4 §3.1) or an MPEG audio frame header (ISO/IEC
//   11172-3 §2.4.2.3: 11 sync bits, a valid version, a layer ≠ 0, bitrate index ≠ 15,
//   sampling index ≠ 3) → MP3.
// Anything else is `audio.unsupported_format`.
//
// WAV decoding reuses `WAVHeader.parse` (mono/stereo) and falls back to
// `WAVHeader.parseMultichannel` for 3–8 channels. G.711 codes are expanded with the
// ITU-T G.711 tables in `WAVCompanding`; channels are averaged into one, which can never
// overflow Int16. The duration cap is checked from the header, before any allocation.

/// Decodes WAV (16-bit PCM, μ-law, A-law; 1–8 channels, any rate) and MP3 files to mono PCM.
public enum AudioDecoder {
    /// Default longest accepted audio: 30 minutes.
    public static let defaultMaxDurationSeconds = 30 * 60

    /// Containers recognised by `sniff`.
    public enum Container: Sendable, Equatable {
        /// RIFF/WAVE.
        case wav
        /// MPEG audio (optionally behind an ID3v2 tag).
        case mp3
    }

    /// Decodes a whole file held in memory, refusing audio longer than `maxDurationSeconds`.
    public static func decode(_ bytes: [UInt8],
                              maxDurationSeconds: Int = defaultMaxDurationSeconds) throws(AudioDecodeError) -> DecodedAudio {
        guard !bytes.isEmpty else { throw AudioDecodeError(.empty, "the file is empty (0 bytes)") }
        switch sniff(bytes) {
        case .wav?:
            return try decodeWAV(bytes, maxDurationSeconds: maxDurationSeconds)
        case .mp3?:
            return try MP3Decoder(maxDurationSeconds: maxDurationSeconds).decode(bytes)
        case nil:
            if bytes.count >= 4, bytes[0] == 0x52, bytes[1] == 0x49, bytes[2] == 0x46, bytes[3] == 0x46 {
                throw AudioDecodeError(.unsupportedFormat, "a RIFF file that is not WAVE; supply a .wav or .mp3 file")
            }
            throw AudioDecodeError(.unsupportedFormat, "neither a WAV (RIFF/WAVE) nor an MP3 file")
        }
    }

    /// The container the leading bytes announce, or nil if neither WAV nor MP3.
    public static func sniff(_ bytes: [UInt8]) -> Container? {
        if bytes.count >= 12, bytes[0] == 0x52, bytes[1] == 0x49, bytes[2] == 0x46, bytes[3] == 0x46,
           bytes[8] == 0x57, bytes[9] == 0x41, bytes[10] == 0x56, bytes[11] == 0x45 {
            return .wav
        }
        // ID3v2: "ID3", then a major version below 0xFF (id3.org ID3v2.4 §3.1).
        if bytes.count >= 10, bytes[0] == 0x49, bytes[1] == 0x44, bytes[2] == 0x33, bytes[3] != 0xFF {
            return .mp3
        }
        if bytes.count >= 4, isMPEGFrameHeader(bytes[0], bytes[1], bytes[2]) { return .mp3 }
        return nil
    }

    /// ISO/IEC 11172-3 §2.4.2.3 (and 13818-3 / MPEG 2.5): sync, version ≠ reserved,
    /// layer ≠ reserved, bitrate index ≠ 15, sampling frequency index ≠ 3.
    static func isMPEGFrameHeader(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8) -> Bool {
        b0 == 0xFF && b1 & 0xE0 == 0xE0
            && (b1 >> 3) & 0x03 != 0x01
            && (b1 >> 1) & 0x03 != 0x00
            && b2 >> 4 != 0x0F
            && (b2 >> 2) & 0x03 != 0x03
    }

    // MARK: WAV

    /// Parses and decodes a RIFF/WAVE file to mono PCM.
    static func decodeWAV(_ bytes: [UInt8], maxDurationSeconds: Int) throws(AudioDecodeError) -> DecodedAudio {
        let header: WAVHeader
        do {
            header = try WAVHeader.parse(bytes)
        } catch .unsupportedChannels(let n) where (3...8).contains(n) {
            do { header = try WAVHeader.parseMultichannel(bytes) } catch { throw map(error) }
        } catch {
            throw map(error)
        }
        let frames = header.frameCount
        guard frames > 0 else { throw AudioDecodeError(.empty, "the WAV file has no audio frames") }
        let (limit, overflow) = max(0, maxDurationSeconds).multipliedReportingOverflow(by: header.sampleRate)
        if !overflow, frames > limit {
            throw AudioDecodeError(.tooLong, "the WAV file lasts \(frames / header.sampleRate) s, above the \(maxDurationSeconds) s limit")
        }
        let samples = bytes.withUnsafeBytes { raw in
            [Int16](unsafeUninitializedCapacity: frames) { out, initialized in
                // parse proved dataOffset + dataByteCount ≤ raw.count and frames × blockAlign ≤ dataByteCount.
                guard let base = raw.baseAddress, let dst = out.baseAddress else { initialized = 0; return }
                mixDown(base + header.dataOffset, header: header, frames: frames, into: dst)
                initialized = frames
            }
        }
        return DecodedAudio(samples: samples, sampleRate: header.sampleRate)
    }

    /// Writes `frames` mono samples: each frame's channels expanded to linear and averaged.
    private static func mixDown(_ src: UnsafeRawPointer, header: WAVHeader, frames: Int,
                                into dst: UnsafeMutablePointer<Int16>) {
        let channels = header.channels
        switch header.format {
        case .pcm16:
            if channels == 1 {
                for i in 0..<frames { dst[i] = Int16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self)) }
                return
            }
            for i in 0..<frames {
                var sum: Int32 = 0
                let frame = i * header.blockAlign
                for c in 0..<channels {
                    sum += Int32(Int16(littleEndian: src.loadUnaligned(fromByteOffset: frame + 2 * c, as: Int16.self)))
                }
                dst[i] = average(sum, channels)
            }
        case .muLaw, .aLaw:
            let table = header.format == .muLaw ? WAVCompanding.muLaw : WAVCompanding.aLaw
            let codes = src.assumingMemoryBound(to: UInt8.self)
            table.withUnsafeBufferPointer { t in
                for i in 0..<frames {
                    var sum: Int32 = 0
                    for c in 0..<channels { sum += Int32(t[Int(codes[i * channels + c])]) }
                    dst[i] = average(sum, channels)
                }
            }
        }
    }

    /// Mean of `channels` Int16 values summed in `sum`; saturates although a mean cannot overflow.
    @inline(__always)
    private static func average(_ sum: Int32, _ channels: Int) -> Int16 {
        Int16(clamping: sum / Int32(channels))
    }

    /// Maps a WAV parse error to the decoder's stable classes.
    private static func map(_ error: WAVError) -> AudioDecodeError {
        switch error {
        case .unsupportedFormat, .unsupportedBitsPerSample, .unsupportedChannels, .notWAVE, .notRIFF:
            return AudioDecodeError(.unsupportedFormat, "WAV: \(error.message) (\(error.code))")
        default:
            return AudioDecodeError(.corrupt, "WAV: \(error.message) (\(error.code))")
        }
    }
}
