/// One call's voice application as a pure state machine (voice-actions.md): events in
/// (a document fetched, audio finished, a key, silence, a timer, the caller gone), commands
/// out (fetch the next document, answer, play, record, hang up). No I/O, no clock: the
/// driver performs the commands and feeds the results back, tagged with the `token` it was
/// given, so a late answer to something already abandoned (barge-in, hangup) is ignored.
public struct VoiceInterpreter: Sendable {
    /// The call's app and what every callback request of it carries.
    public struct Call: Sendable, Equatable {
        /// The first document's URL: the number's `voice_callback_url`.
        public var url: String
        /// Tried once when a request to the current document URL fails (§4).
        public var fallbackURL: String?
        /// The call's fixed fields (ids, direction, numbers); each request sets `Step`,
        /// `CallStatus` and that step's own fields on a copy.
        public var request: CallbackRequest
        public init(url: String, fallbackURL: String?, request: CallbackRequest) {
            self.url = url
            self.fallbackURL = fallbackURL
            self.request = request
        }
    }

    /// The fields a step adds to its request: the digits or the recording it reports.
    struct StepFields: Sendable, Equatable {
        var digits: String?
        var recordingURL: String?
        var recordingDurationSeconds: Int?
    }

    /// Timers the interpreter runs; the driver fires them back as `.timer`.
    public enum Timer: Hashable, Sendable {
        /// getDigits: `timeout` after the prompt and between keys.
        case digits
        /// record: `timeout` seconds of silence.
        case silence
        /// record: `maxLength`.
        case maxLength
        /// TwiML Pause.
        case pause
    }

    /// Audio the driver renders and plays into the call.
    public enum Audio: Sendable, Equatable {
        case say(VoiceAction.Say)
        case play(VoiceAction.Play)
        /// The record beep.
        case beep
    }

    public enum Event: Sendable, Equatable {
        /// The call arrived (ringing): fetch the first document.
        case start
        /// A callback answered with a document (HTTP status and time taken, for the call event).
        case fetched(token: Int, actions: [VoiceAction], status: Int, elapsedMs: Int)
        /// A callback failed (§4): unreachable, timeout, non-2xx, or a document error.
        case fetchFailed(token: Int, code: String, message: String)
        /// Our 200 was acknowledged and media runs: audio can play.
        case mediaReady
        case audioFinished(token: Int)
        /// TTS or the audio file failed: a call event, and the verb is skipped (§3 play).
        case audioFailed(token: Int, code: String, message: String)
        case key(Character)
        /// Voice activity on what the caller sends (record's silence timeout).
        case speech(started: Bool)
        case timer(Timer)
        /// The recording is saved: its length and the URL developers fetch it from.
        case recorded(token: Int, durationMs: Int, url: String)
        case recordingFailed(token: Int, message: String)
        /// The caller hung up (or the call ended for any other reason).
        case hungUp
    }

    public enum Command: Sendable, Equatable {
        case fetch(token: Int, url: String, method: String, request: CallbackRequest)
        /// Answer the call (200 OK); `.mediaReady` follows once media runs.
        case answer
        /// Refuse before answer: 603 or 486, no cost.
        case reject(sipStatus: Int)
        /// End the call; a failure code makes the call record `failed`.
        case hangup(failureCode: String?)
        case playAudio(token: Int, Audio)
        case stopAudio
        /// Start recording the caller; stop with `.stopRecording`, then `.recorded` follows.
        case startRecording(token: Int, maxLengthSeconds: Int)
        case stopRecording(token: Int)
        case detectSpeech(Bool)
        case startTimer(Timer, ms: Int)
        case cancelTimer(Timer)
        /// A call event for the call's timeline (store), e.g. `callback.failed`.
        case event(type: String, payload: [String: String])
    }

    /// Where the call is.
    enum State: Sendable, Equatable {
        /// Not started yet.
        case idle
        /// Waiting for a document. `fallback`: this request already is the fallback.
        case fetching(token: Int, url: String, method: String, step: StepFields, fallback: Bool)
        /// Answered, waiting for media before running `actions[index]`.
        case awaitingMedia
        /// Playing a say/play action (one item of a getDigits prompt when `digits` is set).
        case playing(token: Int)
        case collecting(Collect)
        case recording(Recording)
        case pausing
        /// After a failure: the apology plays, then we hang up with `failureCode`.
        case apologizing(token: Int, failureCode: String)
        /// The call is over for the interpreter (a record's last POST may still be pending).
        case ended
    }

    /// getDigits in progress.
    struct Collect: Sendable, Equatable {
        var spec: VoiceAction.GetDigits
        var digits = ""
        /// Index of the prompt playing; nil once prompts are over or a key interrupted them.
        var prompt: Int?
        var token = 0
    }

    /// record in progress.
    struct Recording: Sendable, Equatable {
        var spec: VoiceAction.Record
        var token: Int
        /// False while the beep plays.
        var capturing = false
        /// Set when stopped: the key that ended it, if any.
        var endedByKey: Character?
        var stopping = false
    }

    public let call: Call
    var state: State = .idle
    var actions: [VoiceAction] = []
    var index = 0
    /// URL of the document being run (relative URLs resolve against it).
    public internal(set) var documentURL: String
    var step = 0
    var nextToken = 0
    var answerSent = false
    var mediaUp = false
    var hungUp = false
    /// Documents received since audio last played or the caller last did something (§4
    /// redirect loops): the tenth in a row that plays nothing ends the call.
    var quietDocuments = 0

    /// The apology spoken when every callback failed (§4).
    public static let apology = VoiceAction.Say(text: "Sorry, we cannot take your call right now. Please try again later. Goodbye.",
                                                language: "en-KE")
    /// Documents in a row that play no audio before `voice.redirect_loop`.
    public static let maxQuietDocuments = 10

    public init(call: Call) {
        self.call = call
        documentURL = call.url
    }

    /// The interpreter has nothing more to do for this call.
    public var isFinished: Bool { state == .ended }

    public mutating func handle(_ event: Event) -> [Command] {
        switch event {
        case .start:
            guard state == .idle else { return [] }
            return fetch(call.url, method: "POST", StepFields(), fallback: false)
        case .fetched(let token, let list, let status, let elapsed):
            guard case .fetching(token, let url, _, _, _) = state else { return [] }
            return received(list, from: url, status: status, elapsedMs: elapsed)
        case .fetchFailed(let token, let code, let message):
            guard case .fetching(token, let url, _, let fields, let fallback) = state else { return [] }
            return fetchFailed(url: url, fields: fields, wasFallback: fallback, code: code, message: message)
        case .mediaReady:
            mediaUp = true
            switch state {
            case .awaitingMedia: return run()
            case .apologizing(let t, _): return [.playAudio(token: t, .say(Self.apology))]
            default: return []
            }
        case .audioFinished(let token):
            return audioEnded(token)
        case .audioFailed(let token, let code, let message):
            guard isCurrentAudio(token) else { return [] }
            return [.event(type: "audio.failed", payload: ["code": code, "message": message])] + audioEnded(token)
        case .key(let key):
            return keyPressed(key)
        case .speech(let started):
            return speech(started)
        case .timer(let t):
            return timerFired(t)
        case .recorded(let token, let ms, let url):
            return recorded(token, durationMs: ms, url: url)
        case .recordingFailed(let token, let message):
            guard case .recording(let r) = state, r.token == token else { return [] }
            return [.event(type: "record.failed", payload: ["message": message])] + next()
        case .hungUp:
            return callerLeft()
        }
    }

    /// A fresh token for an operation whose result comes back later.
    mutating func token() -> Int {
        nextToken += 1
        return nextToken
    }

    /// The status callbacks report right now.
    var callStatus: CallbackRequest.Status { hungUp ? .completed : answerSent ? .answered : .ringing }
}
