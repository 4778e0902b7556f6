// Typed errors for WAV parsing, loading and recording.
//
// WAV files come from users (uploaded prompts, URLs in voice actions), so every malformed
// or hostile input maps to one of these with a stable `code`, never to a trap.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A WAV file could not be parsed, loaded or written; `code` is stable for callers and logs.
public enum WAVError: Error, Sendable, Equatable {
    /// The file ends inside the RIFF header, a chunk header or the fmt chunk.
    case truncatedHeader
    /// The file does not start with "RIFF" (RIFX / RF64 are not supported either).
    case notRIFF
    /// The RIFF form type is not "WAVE".
    case notWAVE
    /// A chunk declares more bytes than remain in the file.
    case chunkOverflow(chunk: String, declared: Int, available: Int)
    /// The data chunk declares more bytes than remain in the file.
    case dataTruncated(declared: Int, available: Int)
    /// No "fmt " chunk before the end of the file.
    case missingFormatChunk
    /// No "data" chunk before the end of the file.
    case missingDataChunk
    /// The format tag is not PCM (1), A-law (6) or μ-law (7).
    case unsupportedFormat(tag: Int)
    /// The channel count is not 1 or 2.
    case unsupportedChannels(Int)
    /// The sample size does not match the format (PCM needs 16 bits, G.711 needs 8).
    case unsupportedBitsPerSample(Int)
    /// The sample rate is 0 or above `WAVHeader.maxSampleRate`.
    case invalidSampleRate(Int)
    /// The block alignment disagrees with channels × bytes per sample.
    case invalidBlockAlign(Int)
    /// The audio data would not fit the 32-bit RIFF size fields.
    case dataTooLarge(Int)
    /// The file is larger than the configured load limit.
    case fileTooLarge(bytes: Int, limit: Int)
    /// The path names something that is not a regular file.
    case notARegularFile(path: String)
    /// A system call failed.
    case io(operation: String, path: String, errno: Int32)

    /// Stable machine-readable code.
    public var code: String {
        switch self {
        case .truncatedHeader: "wav.truncated-header"
        case .notRIFF: "wav.not-riff"
        case .notWAVE: "wav.not-wave"
        case .chunkOverflow: "wav.chunk-overflow"
        case .dataTruncated: "wav.data-truncated"
        case .missingFormatChunk: "wav.missing-fmt"
        case .missingDataChunk: "wav.missing-data"
        case .unsupportedFormat: "wav.unsupported-format"
        case .unsupportedChannels: "wav.unsupported-channels"
        case .unsupportedBitsPerSample: "wav.unsupported-bits"
        case .invalidSampleRate: "wav.invalid-sample-rate"
        case .invalidBlockAlign: "wav.invalid-block-align"
        case .dataTooLarge: "wav.data-too-large"
        case .fileTooLarge: "wav.file-too-large"
        case .notARegularFile: "wav.not-a-file"
        case .io: "wav.io"
        }
    }

    /// Human-readable message saying what is wrong and what to fix.
    public var message: String {
        switch self {
        case .truncatedHeader:
            "the WAV file is cut off inside its header; re-export the file"
        case .notRIFF:
            "not a RIFF file; supply a .wav file (RIFF/WAVE)"
        case .notWAVE:
            "the RIFF file is not of form WAVE; supply a .wav file"
        case .chunkOverflow(let chunk, let declared, let available):
            "chunk '\(chunk)' declares \(declared) bytes but only \(available) remain; the file is damaged"
        case .dataTruncated(let declared, let available):
            "the audio data declares \(declared) bytes but only \(available) remain; the file is truncated"
        case .missingFormatChunk:
            "the WAV file has no 'fmt ' chunk"
        case .missingDataChunk:
            "the WAV file has no 'data' chunk"
        case .unsupportedFormat(let tag):
            "WAV format tag \(tag) is not supported; use 16-bit PCM (1), A-law (6) or μ-law (7)"
        case .unsupportedChannels(let n):
            "WAV files must have 1 or 2 channels, this one has \(n)"
        case .unsupportedBitsPerSample(let bits):
            "\(bits) bits per sample is not supported; use 16-bit PCM or 8-bit A-law/μ-law"
        case .invalidSampleRate(let rate):
            "sample rate \(rate) Hz is out of range (1...\(WAVHeader.maxSampleRate))"
        case .invalidBlockAlign(let align):
            "block alignment \(align) does not match channels × bytes per sample"
        case .dataTooLarge(let bytes):
            "\(bytes) bytes of audio exceed the 4 GiB limit of a WAV file"
        case .fileTooLarge(let bytes, let limit):
            "the file is \(bytes) bytes, above the \(limit)-byte limit; use a shorter prompt"
        case .notARegularFile(let path):
            "'\(path)' is not a regular file"
        case .io(let operation, let path, let errno):
            "\(operation) '\(path)' failed: \(String(cString: strerror(errno))) (errno \(errno))"
        }
    }
}

extension WAVError: CustomStringConvertible {
    /// Code and message, for logs.
    public var description: String { "\(code): \(message)" }
}
