// Local text-to-speech with libespeak-ng.
//
// libespeak-ng keeps process-wide state (the selected voice, the synth callback, its parameter
// tables), so every call into it runs on ONE serial queue owned by the process-wide
// `EspeakEngine.shared`: the library is global, so its owner is too. `synthesize` suspends on
// a continuation until its job has run; callers never block a cooperative thread.
//
// Mode: AUDIO_OUTPUT_SYNCHRONOUS, so `espeak_Synth` returns only when the whole text has been
// rendered and the callback (which receives the PCM) has run on the calling thread. The
// callback is a non-capturing C function; it finds its job through the `user_data` pointer
// that `espeak_Synth` copies into every event. SSML is off (markup is spoken as text) and
// punctuation uses the default (not read aloud). Output is espeak's native 22050 Hz: the
// media engine resamples with speexdsp.

import CEspeakNG
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Text-to-speech with the local espeak-ng library (mono PCM at 22050 Hz).
public struct EspeakSynthesizer: SpeechSynthesizer {
    /// Default cap on the audio of one request (spec: 4000 characters speak in ~5 minutes).
    public static let defaultMaxDurationSeconds = 600
    /// Version of the (language, voice) -> espeak mapping; part of `engineID`.
    static let mappingVersion = 1

    /// "espeak-ng/<library version>/map<mapping version>": cached audio is re-rendered after
    /// an upgrade of either.
    public let engineID: String
    /// Longest audio returned (bounds memory); audio past it is dropped.
    public let maxDurationSeconds: Int

    /// A synthesizer over the shared engine; audio is capped at `maxDurationSeconds`.
    public init(maxDurationSeconds: Int = defaultMaxDurationSeconds) {
        self.maxDurationSeconds = min(max(1, maxDurationSeconds), 86_400)  // no overflow in seconds * rate
        engineID = "espeak-ng/\(EspeakEngine.shared.version)/map\(Self.mappingVersion)"
    }

    /// The engine's output rate (22050 with espeak-ng 1.51), or nil if it failed to start.
    public var sampleRate: Int? { EspeakEngine.shared.state.sampleRate }
    /// Variant names installed on this machine (voices/!v), accepted as `voice` names.
    public var variants: [String] { EspeakEngine.shared.variants }

    /// Renders `request` on the engine's queue.
    public func synthesize(_ request: SpeechRequest) async throws(SpeechError) -> SynthesizedSpeech {
        try request.validate()
        let engine = EspeakEngine.shared
        let voice = try EspeakVoice.resolve(language: request.language, voice: request.voice,
                                            variants: engine.variants)
        let cancelled = CancelFlag()
        let maxSeconds = maxDurationSeconds
        let result: Result<SynthesizedSpeech, SpeechError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                engine.queue.async {
                    continuation.resume(returning: engine.run(text: request.text, voice: voice,
                                                              maxSeconds: maxSeconds, cancelled: cancelled))
                }
            }
        } onCancel: {
            cancelled.flag.store(true, ordering: .relaxed)
        }
        return try result.get()
    }
}

/// Set when the awaiting task is cancelled; the job then stops collecting audio and fails.
final class CancelFlag: Sendable {
    /// True once cancelled.
    let flag = Atomic<Bool>(false)
}

/// One synthesis in progress: collects the callback's PCM. Lives on the engine queue only.
private final class EspeakJob {
    /// Samples received so far.
    var samples: [Int16] = []
    /// Stop collecting at this many samples.
    let maxSamples: Int
    /// Set if the cap was reached.
    var truncated = false
    /// Checked on every callback.
    let cancelled: CancelFlag

    init(maxSamples: Int, cancelled: CancelFlag) {
        self.maxSamples = maxSamples
        self.cancelled = cancelled
    }

    /// Appends a block of PCM, dropping what lies past the cap or arrives after cancellation.
    func append(_ wav: UnsafeMutablePointer<Int16>?, count: Int) {
        guard let wav, count > 0, !truncated, !cancelled.flag.load(ordering: .relaxed) else { return }
        let room = maxSamples - samples.count
        samples.append(contentsOf: UnsafeBufferPointer(start: wav, count: min(count, room)))
        if count >= room { truncated = true }
    }
}

/// The process-wide owner of libespeak-ng. Immutable after init except `currentVoice`,
/// which only the serial `queue` touches, hence `@unchecked Sendable`.
final class EspeakEngine: @unchecked Sendable {
    /// The one engine (initialised on first use, exactly once).
    static let shared = EspeakEngine()

    /// Outcome of `espeak_Initialize`.
    enum State: Sendable {
        /// Ready; output at `rate` Hz.
        case ready(rate: Int)
        /// Initialisation failed; every job fails with this message.
        case failed(String)

        /// The sample rate when ready.
        var sampleRate: Int? { if case .ready(let rate) = self { rate } else { nil } }
    }

    /// Every espeak call after init runs here.
    let queue = DispatchQueue(label: "sautipbx.speech.espeak", qos: .userInitiated)
    /// Initialisation result.
    let state: State
    /// Library version string, e.g. "1.51".
    let version: String
    /// Installed variant file names.
    let variants: [String]
    /// espeak language id ("en-gb") -> voice file identifier ("gmw/en"). espeak_SetVoiceByName
    /// finds voices by file identifier, not by regional language id ("en-gb", "fr-fr" give
    /// EE_NOT_FOUND), so we translate with the library's own voice list.
    let voiceFiles: [String: String]
    /// Voice last passed to espeak_SetVoiceByName (queue-confined).
    private var currentVoice: String?

    private init() {
        // DONT_EXIT: without it a missing data directory makes espeak call exit().
        let rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nil, Int32(espeakINITIALIZE_DONT_EXIT))
        var dataPath: UnsafePointer<CChar>?
        let info = espeak_Info(&dataPath)
        version = info.map { String(cString: $0) } ?? "unknown"
        guard rate > 0 else {
            state = .failed("espeak_Initialize failed (\(rate)); is espeak-ng-data installed?")
            variants = []
            voiceFiles = [:]
            return
        }
        state = .ready(rate: Int(rate))
        variants = dataPath.map { Self.listVariants(dataPath: String(cString: $0)) } ?? []
        voiceFiles = Self.listVoiceFiles()
        espeak_SetSynthCallback { wav, count, events in
            guard let events, let user = events.pointee.user_data else { return 0 }
            Unmanaged<EspeakJob>.fromOpaque(user).takeUnretainedValue().append(wav, count: Int(count))
            // Never abort (return 1): espeak-ng 1.51 then keeps a changed clause state and every
            // later rendering gets ~49 ms of extra audio. Rendering runs ~500x faster than real
            // time and the text is capped at 4000 characters, so finishing costs < 1 s.
            return 0
        }
    }

    /// Synthesises one text; call on `queue` only.
    func run(text: String, voice: EspeakVoice, maxSeconds: Int,
             cancelled: CancelFlag) -> Result<SynthesizedSpeech, SpeechError> {
        dispatchPrecondition(condition: .onQueue(queue))
        guard case .ready(let rate) = state else {
            if case .failed(let message) = state { return .failure(.engineFailed(message)) }
            return .failure(.engineFailed("espeak-ng is not initialised"))
        }
        if cancelled.flag.load(ordering: .relaxed) { return .failure(.engineFailed("synthesis cancelled")) }
        let file = voiceFiles[voice.language] ?? voice.language
        let name = voice.variant.map { "\(file)+\($0)" } ?? file
        if currentVoice != name {
            let status = espeak_SetVoiceByName(name)
            guard status == EE_OK else {
                currentVoice = nil
                return .failure(.engineFailed("espeak-ng has no voice '\(name)' (\(status.rawValue))"))
            }
            currentVoice = name
        }
        // A NUL would end the C string early; the text is plain, so a space is harmless.
        var bytes = text.utf8.map { $0 == 0 ? UInt8(ascii: " ") : $0 }
        bytes.append(0)
        let job = EspeakJob(maxSamples: maxSeconds * rate, cancelled: cancelled)
        let unmanaged = Unmanaged.passRetained(job)
        defer { unmanaged.release() }
        let status = bytes.withUnsafeBytes { raw in
            espeak_Synth(raw.baseAddress, raw.count, 0, POS_CHARACTER, 0, UInt32(espeakCHARS_UTF8),
                         nil, unmanaged.toOpaque())
        }
        if cancelled.flag.load(ordering: .relaxed) { return .failure(.engineFailed("synthesis cancelled")) }
        guard status == EE_OK else {
            return .failure(.engineFailed("espeak_Synth failed (\(status.rawValue))"))
        }
        guard !job.samples.isEmpty else {
            return .failure(SpeechError(code: .empty, message: "the text produced no audio"))
        }
        return .success(SynthesizedSpeech(samples: job.samples, sampleRate: rate))
    }

    /// Maps each installed voice's first (primary) language to its file identifier; the first
    /// voice listed for a language wins, as in `espeak-ng --voices`.
    private static func listVoiceFiles() -> [String: String] {
        guard let list = espeak_ListVoices(nil) else { return [:] }
        var files: [String: String] = [:]
        var index = 0
        while let voice = list[index] {
            index += 1
            // `languages` is a list of <priority byte><name>NUL, ended by an empty entry.
            guard let languages = voice.pointee.languages, languages[0] != 0,
                  let identifier = voice.pointee.identifier else { continue }
            let language = String(cString: languages + 1).lowercased()
            if files[language] == nil { files[language] = String(cString: identifier) }
        }
        return files
    }

    /// Names of the variant files in `<dataPath>/voices/!v`, sorted.
    private static func listVariants(dataPath: String) -> [String] {
        guard let dir = opendir(dataPath + "/voices/!v") else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if !name.hasPrefix("."), !name.contains("+") { names.append(name) }
        }
        return names.sorted()
    }
}
