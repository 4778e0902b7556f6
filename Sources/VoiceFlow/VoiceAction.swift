/// The voice-action model of voice-actions.md §3: what a callback document asks the PBX to
/// do, one verb per action, with the spec's defaults filled in. JSON and both XML dialects
/// (Africa's Talking, TwiML) decode into this same model, so the interpreter sees one thing.
public enum VoiceAction: Sendable, Equatable {
    case say(Say)
    case play(Play)
    case getDigits(GetDigits)
    case dial(Dial)
    case conference(Conference)
    case record(Record)
    case redirect(Redirect)
    case reject(Reject)
    case hangup
    /// TwiML `<Pause length=…>`: silence for that many seconds.
    case pause(seconds: Int)
    case stream(Stream)

    /// The verb's name as written in JSON documents.
    public var verb: String {
        switch self {
        case .say: "say"
        case .play: "play"
        case .getDigits: "getDigits"
        case .dial: "dial"
        case .conference: "conference"
        case .record: "record"
        case .redirect: "redirect"
        case .reject: "reject"
        case .hangup: "hangup"
        case .pause: "pause"
        case .stream: "stream"
        }
    }

    /// Text-to-speech into the call.
    public struct Say: Sendable, Equatable {
        public var text: String
        public var voice = "woman"
        /// BCP-47; `sw-KE` (Swahili) must work.
        public var language = "en-KE"
        /// 0 or 1 = once; n = n times.
        public var loop = 1
        public init(text: String, voice: String = "woman", language: String = "en-KE", loop: Int = 1) {
            self.text = text
            self.voice = voice
            self.language = language
            self.loop = loop
        }
    }

    /// An audio file fetched over HTTP(S).
    public struct Play: Sendable, Equatable {
        public var url: String
        public var loop = 1
        public init(url: String, loop: Int = 1) {
            self.url = url
            self.loop = loop
        }
    }

    /// A prompt inside `getDigits`: only `say` and `play` are allowed there.
    public enum Prompt: Sendable, Equatable {
        case say(Say)
        case play(Play)
    }

    /// Collect keys, with a prompt the first key interrupts (barge-in).
    public struct GetDigits: Sendable, Equatable {
        /// Seconds after the prompt ends, and between keys.
        public var timeout = 5
        /// 0 = unlimited.
        public var numDigits = 0
        /// Nil: no finish key (`""` in the document).
        public var finishOnKey: Character? = "#"
        public var nested: [Prompt] = []
        /// Where the digits go (AT `callbackUrl`, TwiML `action`); nil = the current document URL.
        public var callbackURL: String?
        public init() {}
    }

    /// An outbound leg bridged with the caller.
    public struct Dial: Sendable, Equatable {
        public enum Target: Sendable, Equatable {
            case number(String)
            case numbers([String])
            case sip(String)
        }
        public enum RecordMode: String, Sendable, Equatable {
            case fromAnswer = "record-from-answer"
            case fromRinging = "record-from-ringing"
        }
        public var target: Target
        public var callerID: String?
        /// Ring time in seconds.
        public var timeout = 30
        public var record: RecordMode?
        public var sequential = false
        public init(target: Target) { self.target = target }
    }

    /// Join a named room of the workspace.
    public struct Conference: Sendable, Equatable {
        public var name: String
        public var maxParticipants: Int?
        public var record = false
        public var beep = false
        public var muted = false
        public var startOnEnter = true
        public var endOnExit = false
        public var waitURL: String?
        public var statusEventsCallbackURL: String?
        public var statusEvents: [String] = []
        public var collectDigits = false
        public var finishOnKey: Character?
        public var numDigits: Int?
        public var digitsCallbackURL: String?
        /// Accepted for compatibility and ignored (with a call event).
        public var flags: [String] = []
        public init(name: String) { self.name = name }
    }

    /// Record the caller to a WAV file, then POST the result to `action`.
    public struct Record: Sendable, Equatable {
        /// Nil = the current document URL.
        public var action: String?
        public var method = "POST"
        /// Seconds of silence that end the recording.
        public var timeout = 5
        public var maxLength = 3600
        /// Nil = any key ends the recording.
        public var finishOnKey: Character?
        public var playBeep = true
        public var transcribe = false
        public var transcribeCallback: String?
        public init() {}
    }

    /// Fetch the next document from `url` (relative to the current document).
    public struct Redirect: Sendable, Equatable {
        public var url: String
        public var method = "POST"
        public init(url: String, method: String = "POST") {
            self.url = url
            self.method = method
        }
    }

    /// Refuse before answer: `rejected` → 603 Decline, `busy` → 486 Busy Here.
    public struct Reject: Sendable, Equatable {
        public enum Reason: String, Sendable, Equatable { case rejected, busy }
        public var reason: Reason = .rejected
        public init(reason: Reason = .rejected) { self.reason = reason }

        /// RFC 3261 §21.6.2 / §21.4.24.
        public var sipStatus: Int { reason == .busy ? 486 : 603 }
    }

    /// Fork call audio to a WebSocket.
    public struct Stream: Sendable, Equatable {
        public var url: String
        public var track: String?
        public var outputSamplingRate: Int?
        public var bidirectionalSamplingRate: Int?
        public var connect = false
        public var name: String?
        public var statusCallback: String?
        public init(url: String) { self.url = url }
    }
}
