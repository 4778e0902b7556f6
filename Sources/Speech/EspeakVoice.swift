// Mapping a `say` request's (language, voice) onto an espeak-ng voice name.
//
// espeak-ng selects a voice with "<language voice>+<variant>", e.g. "en-gb+f3": the language
// voice (files under espeak-ng-data/voices, named by lower-case BCP-47-like ids such as
// "en-us", "fr-fr", "sw") sets pronunciation, the variant (files under voices/!v: f1..f5,
// m1..m8, klatt, whisper, named ones like "Annie") sets pitch and formants, i.e. gender.
//
// Language: RFC 5646 §2.1.1 makes tags case-insensitive, so we fold to lower case; we use the
// primary language subtag and, where espeak has a regional voice, the region subtag
// (RFC 5646 §2.2.4: two letters or three digits, after optional extlang/script subtags).
// Kenyan, Tanzanian, Ugandan, Nigerian ... English is closer to British than American
// pronunciation, so every English region except the US (and the Caribbean) uses "en-gb".
// A language espeak cannot speak is a typed error, not a silent fallback to English.
//
// Voice: `woman` / `man` are the spec's names; any variant file name present on the machine
// is accepted too (case-insensitively). Anything else, e.g. a TwiML "alice" or "Polly.Joanna",
// falls back to the default woman variant: a caller hearing a different timbre beats a call
// that fails, and the variant name never reaches espeak unless it is a known file name.
//
// Pure: the list of installed variants is an input (EspeakSynthesizer reads the directory).

/// An espeak-ng voice selection: language voice plus optional variant.
public struct EspeakVoice: Sendable, Hashable {
    /// espeak-ng language voice id, e.g. "en-gb", "sw".
    public var language: String
    /// Variant file name under voices/!v, e.g. "f3"; nil for the voice's own default.
    public var variant: String?

    /// Variant used for `woman` (and for unknown voice names).
    public static let womanVariant = "f3"
    /// Variant used for `man`.
    public static let manVariant = "m3"

    /// Creates a selection.
    public init(language: String, variant: String?) {
        self.language = language
        self.variant = variant
    }

    /// Readable form, e.g. "en-gb+f3" (the engine swaps the language id for its voice file,
    /// "gmw/en+f3", because espeak_SetVoiceByName does not find regional ids).
    public var name: String { variant.map { "\(language)+\($0)" } ?? language }

    /// Resolves a request's language tag and voice; `variants` are the installed variant names.
    public static func resolve(language: String, voice: String,
                               variants: [String] = []) throws(SpeechError) -> EspeakVoice {
        guard let espeakLanguage = espeakLanguage(forTag: language) else {
            throw .languageUnsupported(language)
        }
        return EspeakVoice(language: espeakLanguage, variant: variant(forVoice: voice, variants: variants))
    }

    // MARK: Language

    /// One supported primary language: its default espeak voice and regional overrides.
    struct LanguageEntry: Sendable {
        /// espeak voice used when no region matches.
        var voice: String
        /// Lower-case region subtag -> espeak voice.
        var regions: [String: String] = [:]
    }

    /// Primary language subtag (lower case) -> espeak-ng 1.51 voices. Only languages whose
    /// voices ship in Debian's espeak-ng-data; `espeak-ng --voices` lists them.
    static let languages: [String: LanguageEntry] = [
        "en": LanguageEntry(voice: "en-gb", regions: ["us": "en-us", "029": "en-029"]),
        "sw": LanguageEntry(voice: "sw"),
        "fr": LanguageEntry(voice: "fr-fr", regions: ["be": "fr-be", "ch": "fr-ch"]),
        "pt": LanguageEntry(voice: "pt", regions: ["br": "pt-br"]),
        "es": LanguageEntry(voice: "es", regions: ["419": "es-419", "mx": "es-419", "us": "es-419",
                                                   "ar": "es-419", "co": "es-419", "cl": "es-419",
                                                   "pe": "es-419", "ve": "es-419"]),
        "ar": LanguageEntry(voice: "ar"),
        "am": LanguageEntry(voice: "am"),
        "om": LanguageEntry(voice: "om"),
        "tn": LanguageEntry(voice: "tn"),
        "af": LanguageEntry(voice: "af"),
        "de": LanguageEntry(voice: "de"),
        "it": LanguageEntry(voice: "it"),
        "nl": LanguageEntry(voice: "nl"),
        "pl": LanguageEntry(voice: "pl"),
        "ru": LanguageEntry(voice: "ru"),
        "uk": LanguageEntry(voice: "uk"),
        "tr": LanguageEntry(voice: "tr"),
        "hi": LanguageEntry(voice: "hi"),
        "id": LanguageEntry(voice: "id"),
        "ms": LanguageEntry(voice: "ms"),
        "vi": LanguageEntry(voice: "vi"),
        "ja": LanguageEntry(voice: "ja"),
        "ko": LanguageEntry(voice: "ko"),
        "zh": LanguageEntry(voice: "cmn", regions: ["hk": "yue", "mo": "yue"]),
        "cmn": LanguageEntry(voice: "cmn"),
        "yue": LanguageEntry(voice: "yue"),
    ]

    /// The espeak voice for a BCP-47 tag, or nil when the tag is malformed or unsupported.
    static func espeakLanguage(forTag tag: String) -> String? {
        guard let (primary, region) = parseTag(tag), let entry = languages[primary] else { return nil }
        if let region, let regional = entry.regions[region] { return regional }
        return entry.voice
    }

    /// Splits a language tag into its lower-case primary and region subtags (RFC 5646 §2.1).
    /// Accepts "_" as a separator too (POSIX locales, "en_US"). Nil when malformed.
    static func parseTag(_ tag: String) -> (primary: String, region: String?)? {
        let bytes = Array(tag.utf8)
        // RFC 5646 §4.4.1: 35 characters hold any tag we could use (language-extlang-script-region).
        guard !bytes.isEmpty, bytes.count <= 35 else { return nil }
        var subtags: [[UInt8]] = [[]]
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "-"), UInt8(ascii: "_"):
                subtags.append([])
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                subtags[subtags.count - 1].append(byte | 0x20)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                subtags[subtags.count - 1].append(byte)
            default:
                return nil
            }
        }
        guard subtags.allSatisfy({ (1...8).contains($0.count) }), let primary = subtags.first,
              (2...3).contains(primary.count), primary.allSatisfy(isLetter) else { return nil }
        var region: String?
        for (index, subtag) in subtags.enumerated().dropFirst() {
            let letters = subtag.allSatisfy(isLetter)
            if letters && subtag.count == 3 && index == 1 { continue }  // extlang, e.g. "zh-yue"
            if letters && subtag.count == 4 { continue }                // script, e.g. "Latn"
            if (letters && subtag.count == 2) || (subtag.count == 3 && subtag.allSatisfy(isDigit)) {
                region = String(decoding: subtag, as: UTF8.self)
            }
            break  // region or not, later subtags (variants, extensions) do not pick a voice
        }
        return (String(decoding: primary, as: UTF8.self), region)
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }
    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    // MARK: Voice

    /// The variant for a request's voice: `woman`/`female` -> f3, `man`/`male` -> m3, an
    /// installed variant name -> that file's exact name, anything else -> the woman variant.
    static func variant(forVoice voice: String, variants: [String]) -> String {
        let wanted = asciiLowercased(voice)
        switch wanted {
        case "woman", "female", "": return womanVariant
        case "man", "male": return manVariant
        default:
            return variants.first { asciiLowercased($0) == wanted } ?? womanVariant
        }
    }

    /// ASCII-only lower-casing of a trimmed name (variant names are ASCII file names).
    private static func asciiLowercased(_ s: String) -> String {
        var bytes = Array(s.utf8)
        while let last = bytes.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { bytes.removeLast() }
        let start = bytes.firstIndex { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") } ?? bytes.endIndex
        return String(decoding: bytes[start...].map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 | 0x20 : $0 },
                      as: UTF8.self)
    }
}
