// Errors from the codec layer (Opus, resampling), with stable machine codes.
//
// Why one enum for several libraries: the media engine treats every codec failure the same way
// (log it with its code, drop or conceal the frame), so callers match on a single typed error.
// The library's own numeric status is kept in the case so nothing is lost for diagnosis.

import COpus
import CSpeexDSP

/// A failure in the codec layer; `code` is stable for logs and metrics.
public enum CodecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// libopus returned a negative status (e.g. `OPUS_INVALID_PACKET` = -4).
    case opus(code: Int32)
    /// speexdsp's resampler returned a non-zero status (e.g. `RESAMPLER_ERR_INVALID_ARG` = 3).
    case resampler(code: Int32)
    /// The output buffer cannot hold the result (or is empty).
    case bufferTooSmall
    /// The PCM frame is not one of the durations the codec accepts (samples per channel given).
    case invalidFrameSize(Int)

    /// Stable dotted code for logs, metrics and API error envelopes.
    public var code: String {
        switch self {
        case .opus: "codec.opus_error"
        case .resampler: "codec.resampler_error"
        case .bufferTooSmall: "codec.buffer_too_small"
        case .invalidFrameSize: "codec.invalid_frame_size"
        }
    }

    /// Human-readable message including the library's own error text.
    public var description: String {
        switch self {
        case .opus(let status):
            "\(code): libopus error \(status): \(Self.opusMessage(status))"
        case .resampler(let status):
            "\(code): speexdsp resampler error \(status): \(Self.resamplerMessage(status))"
        case .bufferTooSmall:
            "\(code): the output buffer is too small for the encoded or decoded frame"
        case .invalidFrameSize(let samples):
            "\(code): \(samples) samples per channel is not a valid frame size "
                + "(Opus accepts 2.5, 5, 10, 20, 40 or 60 ms)"
        }
    }

    /// libopus' own text for a status code (`opus_strerror`).
    static func opusMessage(_ status: Int32) -> String {
        // opus_strerror returns a pointer to a static string for every input, never NULL.
        String(cString: opus_strerror(status))
    }

    /// speexdsp's own text for a resampler status code (`speex_resampler_strerror`).
    static func resamplerMessage(_ status: Int32) -> String {
        guard let text = speex_resampler_strerror(status) else { return "unknown error" }
        return String(cString: text)
    }

    /// Maps a negative libopus status to an error; `OPUS_BUFFER_TOO_SMALL` gets its own case.
    static func fromOpus(_ status: Int32) -> CodecError {
        status == OPUS_BUFFER_TOO_SMALL ? .bufferTooSmall : .opus(code: status)
    }
}
