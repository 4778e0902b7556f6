// The result of decoding a fetched prompt file (WAV or MP3) and the typed errors a decode
// can end in.
//
// Prompts come from customer URLs, so every malformed or hostile file maps to one of four
// stable codes (`audio.*`); the details (which chunk, which libmpg123 error) ride in the
// message for logs and call events.

/// Mono 16-bit PCM decoded from an audio file, at the file's own sample rate.
public struct DecodedAudio: Sendable, Equatable {
    /// Mono samples (multi-channel sources are averaged).
    public var samples: [Int16]
    /// Samples per second.
    public var sampleRate: Int

    /// Creates decoded audio from `samples` at `sampleRate`.
    public init(samples: [Int16], sampleRate: Int) {
        self.samples = samples
        self.sampleRate = sampleRate
    }

    /// Duration in milliseconds, rounded down.
    public var durationMs: Int { AudioTiming.milliseconds(samples: samples.count, sampleRate: sampleRate) }

    /// An `AudioSource` playing these samples `loop` times (0 = forever), sharing the buffer.
    public func source(loop: Int = 1) -> PCMBufferSource {
        PCMBufferSource(samples: samples, sampleRate: sampleRate, loop: loop)
    }
}

/// Why an audio file could not be decoded; `code` is stable for callers and logs.
public struct AudioDecodeError: Error, Sendable, Equatable {
    /// The broad failure class.
    public enum Kind: String, Sendable, Equatable {
        /// Neither WAV nor MP3, or a WAV encoding we do not play (8-bit PCM, float, ADPCM…).
        case unsupportedFormat = "audio.unsupported_format"
        /// Recognised as WAV/MP3 but damaged (truncated header, no decodable frames…).
        case corrupt = "audio.corrupt"
        /// Decodes to more than the configured maximum duration.
        case tooLong = "audio.too_long"
        /// A valid file with no audio samples.
        case empty = "audio.empty"
    }

    /// The failure class.
    public var kind: Kind
    /// Human-readable detail for logs and call events.
    public var message: String

    /// Creates an error of `kind` with `message`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// Stable machine-readable code, e.g. `audio.corrupt`.
    public var code: String { kind.rawValue }
}

extension AudioDecodeError: CustomStringConvertible {
    /// Code and message, for logs.
    public var description: String { "\(code): \(message)" }
}
