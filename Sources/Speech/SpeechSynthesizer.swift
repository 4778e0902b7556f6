// The text-to-speech provider seam.
//
// The `say` verb (spec/voice-actions.md §3) needs audio for (text, voice, language). Anything
// that can produce mono 16-bit PCM for that triple conforms to `SpeechSynthesizer`: the local
// espeak-ng engine today, a cloud engine later, and `SpeechCache` in front of either. Engines
// return their native sample rate; the media engine resamples to the leg's codec rate, so one
// cached rendering serves G.711 (8 kHz) and Opus (48 kHz) legs alike.
//
// Looping (`say.loop`) is the caller's job: the audio is synthesised once and replayed.

/// A text-to-speech engine: turns a `SpeechRequest` into mono 16-bit PCM.
public protocol SpeechSynthesizer: Sendable {
    /// Stable identifier of the engine and its settings; part of every cache key, so change it
    /// whenever the same request would sound different (new engine version, new voice table).
    var engineID: String { get }
    /// Synthesises `request`, or throws a typed error with a stable code.
    func synthesize(_ request: SpeechRequest) async throws(SpeechError) -> SynthesizedSpeech
}

/// What to say, in which voice and language.
public struct SpeechRequest: Sendable, Hashable {
    /// Longest accepted text, in characters (spec/voice-actions.md §3: `text` <= 4000 chars).
    public static let maxTextLength = 4000
    /// Upper bound on the text's UTF-8 size, so 4000 giant grapheme clusters cannot smuggle in
    /// megabytes (4 bytes is the longest UTF-8 scalar; 4000 plain characters always fit).
    public static let maxTextBytes = 4 * maxTextLength
    /// The spec's default voice.
    public static let defaultVoice = "woman"
    /// The spec's default language (BCP-47).
    public static let defaultLanguage = "en-KE"

    /// The text to speak (plain text: markup is read out, never interpreted).
    public var text: String
    /// `woman`, `man`, or an engine-specific voice name.
    public var voice: String
    /// BCP-47 language tag, e.g. `en-KE`, `sw-KE`.
    public var language: String

    /// Creates a request; voice and language default as in the spec.
    public init(text: String, voice: String = SpeechRequest.defaultVoice,
                language: String = SpeechRequest.defaultLanguage) {
        self.text = text
        self.voice = voice
        self.language = language
    }

    /// Checks the engine-independent limits: non-blank text of at most `maxTextLength` characters.
    public func validate() throws(SpeechError) {
        // Cheap byte bound first: it caps the cost of the character count below.
        let bytes = text.utf8.count
        guard bytes <= Self.maxTextBytes else {
            throw .textTooLong("text is \(bytes) UTF-8 bytes; at most \(Self.maxTextBytes) are accepted")
        }
        let characters = text.count
        guard characters <= Self.maxTextLength else {
            throw .textTooLong("text has \(characters) characters; at most \(Self.maxTextLength) are accepted")
        }
        guard text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
            throw SpeechError(code: .empty, message: "text is empty")
        }
    }
}

/// Mono 16-bit PCM produced by an engine, at the engine's native rate.
public struct SynthesizedSpeech: Sendable, Equatable {
    /// The audio samples (mono).
    public var samples: [Int16]
    /// Samples per second (espeak-ng: 22050).
    public var sampleRate: Int

    /// Creates a rendering from samples at `sampleRate`.
    public init(samples: [Int16], sampleRate: Int) {
        self.samples = samples
        self.sampleRate = sampleRate
    }

    /// Duration in milliseconds, rounded down.
    public var durationMs: Int { sampleRate > 0 ? samples.count * 1000 / sampleRate : 0 }
}

/// A text-to-speech failure with a stable machine-readable code.
public struct SpeechError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable error codes, as reported in call events.
    public enum Code: String, Sendable, Equatable {
        /// The language tag maps onto no voice of the engine.
        case languageUnsupported = "tts.language_unsupported"
        /// The text exceeds `SpeechRequest.maxTextLength`.
        case textTooLong = "tts.text_too_long"
        /// The engine failed (not installed, refused the text, I/O error ...).
        case engineFailed = "tts.engine_failed"
        /// There is nothing to say, or the engine produced no audio.
        case empty = "tts.empty"
    }

    /// The stable code.
    public var code: Code
    /// Human-readable detail for logs and call events.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code.rawValue): \(message)" }

    /// A `tts.language_unsupported` error for `tag`.
    public static func languageUnsupported(_ tag: String) -> SpeechError {
        // Quote at most a short prefix: the tag came from a callback document.
        SpeechError(code: .languageUnsupported, message: "language '\(tag.prefix(40))' is not supported")
    }

    /// A `tts.text_too_long` error.
    public static func textTooLong(_ message: String) -> SpeechError {
        SpeechError(code: .textTooLong, message: message)
    }

    /// A `tts.engine_failed` error.
    public static func engineFailed(_ message: String) -> SpeechError {
        SpeechError(code: .engineFailed, message: message)
    }
}
