import Foundation
import MediaEngine
import NetIO
import PBXConfig
import SDP
import SIPDialog
import SIPSyntax
import VoiceFlow

/// Decides what happens to each call (routing, ringing, answering, limits, shutdown) as a
/// pure state machine: call events and timer expiries in, user-agent commands and timers
/// out. The driver owns the clock and sockets.
public struct CallControl: Sendable {
    /// Timers this layer runs per call, plus the global drain deadline.
    public enum Timer: Hashable, Sendable {
        case answer(CallRef)
        case maxDuration(CallRef)
        case drainDeadline
        /// A voice app's timer (getDigits, record, pause).
        case voice(CallRef, VoiceInterpreter.Timer)
    }

    /// What the media engine must do for a leg.
    public enum MediaCommand: Sendable {
        /// Bind the RTP/RTCP pair our SDP answer will advertise.
        case open(CallRef, port: Int)
        /// (Re)start the leg's media with what SDP negotiated.
        case start(CallRef, mode: MediaSession.Mode, parameters: MediaSession.Parameters)
        case close(CallRef)
    }

    public enum Action: Sendable {
        case command(CallCommand)
        case media(MediaCommand)
        case startTimer(Timer, after: Duration)
        case cancelTimer(Timer)
        case log(LogRecord)
        /// Write to the call's record (store); only for numbers a workspace owns.
        case record(CallRecordUpdate)
        /// Callback requests, audio and recordings of a voice-app call (see `VoiceIO`).
        case voice(CallRef, VoiceIO)
        /// Shutdown may finish: draining and no calls left.
        case drained
    }

    /// A structured log line about one call.
    public struct LogRecord: Sendable {
        public enum Level: Sendable { case debug, info, notice, warning }
        public var level: Level
        public var message: String
        public var call: CallRef?
        public var metadata: [String: String]
    }

    /// What we know of a live call.
    struct Call: Sendable {
        var route: RoutedNumber
        var callID: String
        var rtpPort: Int?
        /// The call record's id, when a workspace owns the number.
        var recordID: String?
        var answered = false
        /// Media started, so the engine will report the leg's quality when it closes.
        var mediaStarted = false
        /// Why we ended the call, when it was a failure (e.g. `media.timeout`), for the record.
        var failure: String?
    }

    public struct Settings: Sendable {
        /// The numbers we answer; replaced at run time when the store's numbers or wallets change.
        public var routes: RouteTable
        public var maxActiveCalls: Int
        public var retryAfterSeconds: Int
        public var ringSeconds: Int
        public var maxDurationSeconds: Int
        public var mediaAddress: String
        public var mediaTimeoutSeconds: Int
        public var codecs: [AudioCodec] = [.pcmu, .pcma, .opus]
        /// Fresh SRTP key||salt for each answered RTP/SAVP call (RFC 4568 §6.1: random,
        /// per session). The system generator is cryptographically secure (getrandom(2));
        /// tests inject fixed keys.
        public var srtpKey: @Sendable () -> [UInt8] = {
            var g = SystemRandomNumberGenerator()
            return (0..<30).map { _ in UInt8.random(in: 0...255, using: &g) }
        }

        /// Call record ids (UUIDs; tests inject a counter).
        public var newRecordID: @Sendable () -> String = { UUID().uuidString.lowercased() }

        public init(configuration c: PBXConfiguration, mediaAddress: String) {
            routes = RouteTable(plan: c.numbers)
            maxActiveCalls = c.sip.overload.maxActiveCalls
            retryAfterSeconds = c.sip.overload.retryAfterSeconds
            ringSeconds = c.calls.ringSeconds
            maxDurationSeconds = c.calls.maxDurationSeconds
            self.mediaAddress = mediaAddress
            mediaTimeoutSeconds = c.rtp.mediaTimeoutSeconds
        }
    }

    public var settings: Settings
    var calls: [CallRef: Call] = [:]
    /// Live calls by record id, for API hangups and the crash-safety heartbeat.
    var refByRecord: [String: CallRef] = [:]
    /// Ended calls whose media quality is still to come (record id by leg).
    var closingRecords: [CallRef: String] = [:]
    /// Calls run by a voice app, by leg.
    var voices: [CallRef: Voice] = [:]
    var ports: PortPool
    public private(set) var draining = false
    /// Set by the driver while its queue lags: new calls get 503 instead of queueing up.
    public var overloaded = false

    /// Counters for logs, metrics and the benchmark.
    public private(set) var stats = Stats()
    public struct Stats: Sendable {
        public var offered = 0, answered = 0, rejectedNotFound = 0, rejectedOverload = 0, ended = 0
    }

    public init(settings: Settings, ports: PortPool) {
        self.settings = settings
        self.ports = ports
    }

    public var activeCalls: Int { calls.count }

    /// Gives back table memory after a burst of calls.
    public mutating func compact() { calls.shrinkIfSparse() }

    public mutating func handle(_ event: CallEvent) -> [Action] {
        switch event {
        case .incoming(let ref, let invite, _):
            return incoming(ref, invite)
        case .established(let ref, let media):
            guard var call = calls[ref] else { return [] }
            var out: [Action] = [.log(LogRecord(level: .info, message: "call established", call: ref, metadata: ["call_id": call.callID]))]
            if let media {
                out.append(.media(.start(ref, mode: mode(call.route, media), parameters: parameters(media))))
                call.mediaStarted = true
                calls[ref] = call
                out += voiceEvent(ref, .mediaReady)
            }
            return out
        case .mediaChanged(let ref, let media):
            guard let call = calls[ref] else { return [] }
            return [.media(.start(ref, mode: mode(call.route, media), parameters: parameters(media))),
                    .log(LogRecord(level: .info, message: media.isHold ? "call on hold" : "call media updated", call: ref,
                                   metadata: ["remote": "\(media.remoteAddress):\(media.remotePort)", "codec": media.codec.codec.name]))]
        case .info(let ref, let type, let body):
            if let (key, ms) = Self.keyFromInfo(contentType: type, body: body) {
                return keysPressed(ref, [MediaSession.KeyPress(key: key, durationMs: ms, source: .sipInfo)])
            }
            return [.log(LogRecord(level: .debug, message: "INFO received", call: ref,
                                   metadata: ["content_type": type ?? "", "bytes": String(body.count)]))]
        case .progress:
            return []
        case .ended(let ref, let reason):
            return ended(ref, reason)
        }
    }

    /// The echo route sends audio back unless the caller put us on hold; every other route
    /// is silent until the voice runtime (issue 5) gives it something to say.
    func mode(_ route: RoutedNumber, _ media: NegotiatedAudio) -> MediaSession.Mode {
        route.builtinRoute == .echo && media.canSend ? .echo : .silent
    }

    mutating func incoming(_ ref: CallRef, _ invite: SIPRequest) -> [Action] {
        stats.offered += 1
        let callID = invite.callID ?? ""
        // Shutdown and overload first: refusing early is cheap and tells the caller when to retry.
        if draining || overloaded || calls.count >= settings.maxActiveCalls {
            stats.rejectedOverload += 1
            return [.command(.reject(ref, statusCode: 503, reason: draining ? "Shutting Down" : nil,
                                     headers: [("Retry-After", String(settings.retryAfterSeconds))]))]
        }
        let user = invite.uri.user ?? ""
        guard let entry = settings.routes.lookup(user: user) else {
            stats.rejectedNotFound += 1
            return [.command(.reject(ref, statusCode: 404, reason: nil, headers: [])),
                    .log(LogRecord(level: .info, message: "no such number", call: ref, metadata: ["call_id": callID, "to": user]))]
        }
        guard let port = ports.allocate() else {
            stats.rejectedOverload += 1
            return [.command(.reject(ref, statusCode: 503, reason: "No Media Ports", headers: [("Retry-After", String(settings.retryAfterSeconds))])),
                    .log(LogRecord(level: .warning, message: "RTP port range exhausted", call: ref, metadata: ["call_id": callID]))]
        }
        let from = invite.from?.uri.user ?? ""
        var out: [Action] = [.log(LogRecord(level: .info, message: "incoming call", call: ref,
                                            metadata: ["call_id": callID, "to": entry.number, "route": entry.routeName, "from": from]))]
        var recordID: String?
        if let account = entry.account {
            let id = settings.newRecordID()
            recordID = id
            out.append(.record(.started(CallRecordStart(
                id: id, workspaceID: account.workspaceID, numberID: account.numberID, sessionID: callID, direction: "inbound",
                localNumber: entry.number, remoteNumber: from, ratePerMinuteMinor: account.inboundRateMinor))))
            // admin-api.md "Billing": while the wallet is negative, inbound calls with a
            // non-zero rate get SIP 402 (RFC 3261 §21.4.3 Payment Required) and cost nothing.
            if account.blocked && account.inboundRateMinor > 0 {
                ports.release(port)
                return out + [.command(.reject(ref, statusCode: 402, reason: nil, headers: [])),
                              .record(.ended(CallRecordEnd(id: id, status: "failed", failureCode: "wallet.insufficient_funds",
                                                           sipStatus: 402, reason: EndReason.rejected(402).description)))]
            }
            refByRecord[id] = ref
        }
        calls[ref] = Call(route: entry, callID: callID, rtpPort: port, recordID: recordID)
        // 180 Ringing, on the record as `call.ringing`.
        let ringing: [Action] = [.command(.ring(ref))] + (recordID.map { [.record(.event(id: $0, type: "call.ringing", payload: [:]))] } ?? [])
        if case .callback(let url, let fallback) = entry.handler {
            // voice-actions.md §3: the caller hears ringing until the first document says
            // what to do; the app answers (or rejects), not a timer.
            return out + ringing + startVoice(ref, url: url, fallbackURL: fallback, from: from, to: entry.number)
        }
        if settings.ringSeconds > 0 {
            return out + ringing + [.startTimer(.answer(ref), after: .seconds(settings.ringSeconds))]
        }
        return out + answer(ref)
    }

    /// Answers with our codecs on the call's RTP port. Every route answers and holds for now:
    /// audio (echo, voice apps) arrives with the media engine.
    mutating func answer(_ ref: CallRef) -> [Action] {
        guard var call = calls[ref], !call.answered, let port = call.rtpPort else { return [] }
        call.answered = true
        calls[ref] = call
        stats.answered += 1
        var out: [Action] = call.recordID.map { [.record(.answered(id: $0))] } ?? []
        let caps = LocalMediaCapabilities(codecs: settings.codecs, telephoneEvent: true,
                                          address: settings.mediaAddress, port: UInt16(port),
                                          allowSRTP: true, srtpKey: settings.srtpKey())
        out += [.media(.open(ref, port: port)),
                .command(.answer(ref, caps)),
                .startTimer(.maxDuration(ref), after: .seconds(settings.maxDurationSeconds))]
        return out
    }

    mutating func ended(_ ref: CallRef, _ reason: EndReason) -> [Action] {
        guard let call = calls.removeValue(forKey: ref) else { return [] }
        stats.ended += 1
        if let p = call.rtpPort { ports.release(p) }
        var md = ["call_id": call.callID, "reason": reason.description]
        if let f = call.failure { md["failure"] = f }
        var out: [Action] = [.media(.close(ref)), .cancelTimer(.answer(ref)), .cancelTimer(.maxDuration(ref)),
                             .log(LogRecord(level: .info, message: "call ended", call: ref, metadata: md))]
        if let id = call.recordID {
            refByRecord[id] = nil
            out.append(.record(.ended(CallRecordEnd.outcome(id: id, reason: reason, answered: call.answered, failure: call.failure))))
            // The engine reports a started leg's quality after closing it; a bound keeps a
            // leg whose report never comes (its port failed to bind) from lingering forever.
            if call.mediaStarted {
                if closingRecords.count >= 4096 { closingRecords.removeAll() }
                closingRecords[ref] = id
            }
        }
        out += voiceEvent(ref, .hungUp)
        if draining && calls.isEmpty { out.append(.drained) }
        return out
    }

    public mutating func fire(_ timer: Timer) -> [Action] {
        switch timer {
        case .answer(let ref):
            return answer(ref)
        case .maxDuration(let ref):
            guard let call = calls[ref] else { return [] }
            return [.log(LogRecord(level: .notice, message: "maximum call duration reached", call: ref, metadata: ["call_id": call.callID])),
                    .command(.hangup(ref))]
        case .voice(let ref, let t):
            return voiceEvent(ref, .timer(t))
        case .drainDeadline:
            // Drain time is over: end what is left with BYE (or a final response).
            return calls.keys.sorted().map { .command(.hangup($0)) }
        }
    }

    /// SIGTERM: refuse new calls from now on, let live ones run for `drain`, then hang up.
    public mutating func beginShutdown(drain: Duration) -> [Action] {
        guard !draining else { return [] }
        draining = true
        if calls.isEmpty { return [.drained] }
        return [.startTimer(.drainDeadline, after: drain),
                .log(LogRecord(level: .notice, message: "draining \(calls.count) calls", call: nil, metadata: [:]))]
    }
}
