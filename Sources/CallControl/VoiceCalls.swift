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
        case fetch(token: Int, url: String, method: String, request: CallbackRequest, secret: String?)
        /// Render (TTS, download, tone) and play into the call, reporting its end by token.
        /// `allowHosts`: the workspace's `play` host allow-list (nil = any host).
        case playAudio(token: Int, VoiceInterpreter.Audio, allowHosts: [String]?)
        case stopAudio
        /// Record the caller into `recordingID`'s file.
        case startRecording(token: Int, recordingID: String, maxLengthSeconds: Int)
        case stopRecording(token: Int)
        case detectSpeech(Bool)
    }

    /// A voice call's interpreter and the workspace it runs for.
    struct Voice: Sendable {
        var interpreter: VoiceInterpreter
        /// The workspace's signing secret for `X-Sautikit-Signature`.
        var secret: String?
        var workspaceID: String?
    }

    /// A call to a callback number (ringing already): ask the app what to do.
    mutating func startVoice(_ ref: CallRef, url: String, fallbackURL: String?, from: String, to: String) -> [Action] {
        guard let call = calls[ref] else { return [] }
        // §1: CallId is the call record's id, SessionId the SIP Call-ID.
        let request = CallbackRequest(callID: call.recordID ?? call.callID, sessionID: call.callID, direction: .inbound,
                                      from: from, to: to, callStatus: .ringing, step: 0)
        voices[ref] = Voice(interpreter: VoiceInterpreter(call: .init(url: url, fallbackURL: fallbackURL, request: request)),
                            secret: call.route.account?.signingSecret, workspaceID: call.route.account?.workspaceID)
        return voiceEvent(ref, .start)
    }

    /// Feeds the call's interpreter and performs what it asks.
    public mutating func voiceEvent(_ ref: CallRef, _ event: VoiceInterpreter.Event) -> [Action] {
        // Mutated in place through the optional chain (no copy of the interpreter).
        guard let commands = voices[ref]?.interpreter.handle(event) else { return [] }
        var out: [Action] = []
        for c in commands { out += perform(c, ref) }
        if voices[ref]?.interpreter.isFinished == true { voices[ref] = nil }
        return out
    }

    private mutating func perform(_ c: VoiceInterpreter.Command, _ ref: CallRef) -> [Action] {
        guard let voice = voices[ref] else { return [] }
        switch c {
        case .fetch(let token, let url, let method, let request):
            return [.voice(ref, .fetch(token: token, url: url, method: method, request: request, secret: voice.secret))]
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
            var out: [Action] = []
            if let ws = voice.workspaceID, calls[ref]?.recordID != nil {
                out.append(.record(.recordingStarted(id: id, callID: voice.interpreter.call.request.callID, workspaceID: ws)))
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
                                                metadata: payload.merging(["session_id": voice.interpreter.call.request.sessionID]) { a, _ in a }))]
            // Only calls with a record (numbers a workspace owns) have a timeline.
            if voice.workspaceID != nil {
                out.append(.record(.event(id: voice.interpreter.call.request.callID, type: type, payload: payload)))
            }
            return out
        }
    }

    /// Voice calls whose interpreter still runs (some after their SIP leg ended).
    public var activeVoiceCalls: Int { voices.count }
}
