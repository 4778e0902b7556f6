import SIPDialog
import VoiceFlow

/// Calls run by the developer's voice app (voice-actions.md): each has a `VoiceInterpreter`,
/// and this layer turns its commands into SIP commands (answer, reject, hangup), timers,
/// call events and the I/O the driver performs (callback requests, audio, recordings).
/// An interpreter outlives its call briefly: a recording still posts after the caller left.
extension CallControl {
    /// I/O the driver performs for a voice call; results come back through `voiceEvent`.
    public enum VoiceIO: Sendable, Equatable {
        /// Request the next document (§1), signed with the workspace's secret.
        case fetch(token: Int, url: String, method: String, request: VoiceRequest)
        /// Render (TTS, download, tone) and play into the call, reporting its end by token.
        /// `allowHosts`: the workspace's `play` host allow-list (nil = any host).
        case playAudio(token: Int, VoiceInterpreter.Audio, allowHosts: [String]?)
        case stopAudio
        /// Record the caller into `recordingID`'s file.
        case startRecording(token: Int, recordingID: String, maxLengthSeconds: Int)
        case stopRecording(token: Int)
        case detectSpeech(Bool)
    }

    /// Everything a callback request carries (voice-actions.md §1).
    public struct VoiceRequest: Sendable, Equatable {
        /// The call record's id (`CallId`).
        public var callID: String
        /// The SIP Call-ID (`SessionId`).
        public var sessionID: String
        public var direction: String
        public var from: String
        public var to: String
        public var fields: VoiceInterpreter.RequestFields
        /// The workspace's signing secret for `X-Sautikit-Signature`.
        public var secret: String?
    }

    /// A voice call's interpreter and what its requests need to know.
    struct Voice: Sendable {
        var interpreter: VoiceInterpreter
        var base: VoiceRequest
        var workspaceID: String?
        /// The recording in progress, if any (its id in the store).
        var recordingID: String?
    }

    /// A call to a callback number (ringing already): ask the app what to do.
    mutating func startVoice(_ ref: CallRef, url: String, fallbackURL: String?, from: String, to: String) -> [Action] {
        guard let call = calls[ref] else { return [] }
        let base = VoiceRequest(callID: call.recordID ?? call.callID, sessionID: call.callID, direction: "inbound",
                                from: from, to: to, fields: .init(callStatus: "ringing", step: 0), secret: call.route.account?.signingSecret)
        voices[ref] = Voice(interpreter: VoiceInterpreter(call: .init(url: url, fallbackURL: fallbackURL)), base: base,
                            workspaceID: call.route.account?.workspaceID)
        return voiceEvent(ref, .start)
    }

    /// Feeds the call's interpreter and performs what it asks.
    public mutating func voiceEvent(_ ref: CallRef, _ event: VoiceInterpreter.Event) -> [Action] {
        guard var voice = voices[ref] else { return [] }
        let commands = voice.interpreter.handle(event)
        voices[ref] = voice
        var out: [Action] = []
        for c in commands { out += perform(c, ref) }
        if voices[ref]?.interpreter.isFinished == true { voices[ref] = nil }
        return out
    }

    private mutating func perform(_ c: VoiceInterpreter.Command, _ ref: CallRef) -> [Action] {
        guard var voice = voices[ref] else { return [] }
        switch c {
        case .fetch(let token, let url, let method, let fields):
            var request = voice.base
            request.fields = fields
            return [.voice(ref, .fetch(token: token, url: url, method: method, request: request))]
        case .answer:
            return answer(ref)
        case .reject(let status):
            return [.command(.reject(ref, statusCode: status, reason: nil, headers: []))]
        case .hangup(let failure):
            if let failure, var call = calls[ref] {
                call.failure = failure
                calls[ref] = call
            }
            return [.command(.hangup(ref))]
        case .playAudio(let token, let audio):
            return [.voice(ref, .playAudio(token: token, audio, allowHosts: calls[ref]?.route.account?.playAllowedHosts))]
        case .stopAudio:
            return [.voice(ref, .stopAudio)]
        case .detectSpeech(let on):
            return [.voice(ref, .detectSpeech(on))]
        case .startRecording(let token, let max):
            let id = settings.newRecordID()
            voice.recordingID = id
            voices[ref] = voice
            var out: [Action] = []
            if let ws = voice.workspaceID, calls[ref]?.recordID != nil {
                out.append(.record(.recordingStarted(id: id, callID: voice.base.callID, workspaceID: ws)))
            }
            return out + [.voice(ref, .startRecording(token: token, recordingID: id, maxLengthSeconds: max))]
        case .stopRecording(let token):
            return [.voice(ref, .stopRecording(token: token))]
        case .startTimer(let t, let ms):
            return [.startTimer(.voice(ref, t), after: .milliseconds(ms))]
        case .cancelTimer(let t):
            return [.cancelTimer(.voice(ref, t))]
        case .event(let type, let payload):
            var out: [Action] = [.log(LogRecord(level: type.hasSuffix("failed") ? .notice : .debug, message: type, call: ref,
                                                metadata: payload.merging(["session_id": voice.base.sessionID]) { a, _ in a }))]
            // Only calls with a record (numbers a workspace owns) have a timeline.
            if voice.workspaceID != nil { out.append(.record(.event(id: voice.base.callID, type: type, payload: payload))) }
            return out
        }
    }

    /// The recording of a voice call is on disk (or failed): tell the store, then the app.
    /// The driver calls this once the store has the row, so the URL works when the app gets it.
    public func recordingID(_ ref: CallRef) -> String? { voices[ref]?.recordingID }

    /// Voice calls whose interpreter still runs (some after their SIP leg ended).
    public var activeVoiceCalls: Int { voices.count }
}
