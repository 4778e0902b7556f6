/// Fetching documents and running their actions top to bottom (voice-actions.md §2–§4).
extension VoiceInterpreter {
    /// Requests a document: the call's request with this step's number, status and fields.
    mutating func fetch(_ url: String, method: String, _ fields: StepFields, fallback: Bool) -> [Command] {
        step += 1
        var request = call.request
        request.step = step
        request.callStatus = callStatus
        request.digits = fields.digits
        request.recordingURL = fields.recordingURL
        request.recordingDurationSeconds = fields.recordingDurationSeconds
        let t = token()
        state = .fetching(token: t, url: url, method: method, step: fields, fallback: fallback)
        var payload = ["url": url, "method": method, "step": String(step)]
        if fallback { payload["fallback"] = "true" }
        return [.event(type: "callback.requested", payload: payload), .fetch(token: t, url: url, method: method, request: request)]
    }

    /// A verb that posts to a URL ends the current document (§2): resolve the URL against
    /// the current document, and stop a redirect chain that never plays anything (§4).
    mutating func follow(_ reference: String, method: String, _ fields: StepFields = StepFields()) -> [Command] {
        guard let url = URLReference.resolve(reference, against: documentURL) else {
            return fail(code: "voice.document_invalid", event: ["url": reference, "message": "not an http(s) URL"])
        }
        if quietDocuments >= Self.maxQuietDocuments {
            return fail(code: "voice.redirect_loop",
                        event: ["url": url, "message": "\(Self.maxQuietDocuments) documents in a row played no audio"])
        }
        return fetch(url, method: method, fields, fallback: false)
    }

    mutating func received(_ list: [VoiceAction], from url: String, status: Int, elapsedMs: Int) -> [Command] {
        var out: [Command] = [.event(type: "callback.succeeded", payload: [
            "url": url, "step": String(step), "status": String(status), "elapsed_ms": String(elapsedMs), "actions": String(list.count),
        ])]
        actions = list
        index = 0
        documentURL = url
        quietDocuments += 1
        if hungUp {
            // The caller left while we waited (a record's final POST): nothing more to run.
            state = .ended
            return out
        }
        if !answerSent {
            // §3: an inbound call is answered when its first document's first verb is not
            // `reject`; until then the caller hears ringing.
            if case .reject(let r)? = list.first {
                state = .ended
                return out + [.event(type: "call.rejected", payload: ["reason": r.reason.rawValue]), .reject(sipStatus: r.sipStatus)]
            }
            if list.isEmpty {
                state = .ended
                return out + [.hangup(failureCode: nil)]
            }
            answerSent = true
            out.append(.answer)
        }
        if !mediaUp {
            state = .awaitingMedia
            return out
        }
        return out + run()
    }

    /// §4: record the failure, try the fallback URL once, else apologise and hang up.
    /// The fallback gets the same step's fields (the digits or recording it would have had).
    mutating func fetchFailed(url: String, fields: StepFields, wasFallback: Bool, code: String, message: String) -> [Command] {
        let out: [Command] = [.event(type: "callback.failed", payload: ["url": url, "step": String(step), "code": code, "message": message])]
        if hungUp {
            state = .ended
            return out
        }
        if !wasFallback, let fallback = call.fallbackURL, !fallback.isEmpty {
            return out + fetch(fallback, method: "POST", fields, fallback: true)
        }
        return out + fail(code: code, event: nil)
    }

    /// Ends the call on a failure: the apology when we can still speak, then hangup with the code.
    mutating func fail(code: String, event: [String: String]?) -> [Command] {
        var out: [Command] = []
        if var e = event {
            e["code"] = code
            out.append(.event(type: "voice.failed", payload: e))
        }
        if hungUp {
            state = .ended
            return out
        }
        let t = token()
        state = .apologizing(token: t, failureCode: code)
        if !answerSent {
            answerSent = true
            out.append(.answer)
        }
        if mediaUp { out.append(.playAudio(token: t, .say(Self.apology))) }
        return out
    }

    /// Runs actions from `index` until one waits for something.
    mutating func run() -> [Command] {
        var out: [Command] = []
        while index < actions.count {
            let action = actions[index]
            index += 1
            switch action {
            case .say(let s):
                return out + playing(.say(s))
            case .play(let p):
                return out + playing(.play(p))
            case .pause(let seconds):
                quietDocuments = 0
                state = .pausing
                return out + [.startTimer(.pause, ms: seconds * 1000)]
            case .getDigits(let g):
                return out + startCollecting(g)
            case .record(let r):
                return out + startRecording(r)
            case .redirect(let r):
                return out + follow(r.url, method: r.method)
            case .reject(let r):
                // §3: after answer, reject acts as hangup, with a warning event.
                state = .ended
                return out + [.event(type: "voice.warning", payload: ["message": "reject after answer acts as hangup", "reason": r.reason.rawValue]),
                              .hangup(failureCode: nil)]
            case .hangup:
                state = .ended
                return out + [.hangup(failureCode: nil)]
            case .dial, .conference, .stream:
                // Dial and conference arrive with the next issue; until then the verb is
                // skipped with an event so the developer sees why nothing happened.
                out.append(.event(type: "voice.verb_unsupported", payload: ["verb": action.verb, "message": "\(action.verb) is not available yet"]))
            }
        }
        // §2: falling off the end of a document hangs up.
        state = .ended
        return out + [.hangup(failureCode: nil)]
    }

    /// Continues after the current action.
    mutating func next() -> [Command] {
        guard !hungUp else {
            state = .ended
            return []
        }
        return run()
    }

    mutating func playing(_ audio: Audio) -> [Command] {
        quietDocuments = 0
        let t = token()
        state = .playing(token: t)
        return [.playAudio(token: t, audio)]
    }

    func isCurrentAudio(_ token: Int) -> Bool {
        switch state {
        case .playing(let t), .apologizing(let t, _): t == token
        case .collecting(let c): c.prompt != nil && c.token == token
        case .recording(let r): !r.capturing && r.token == token
        default: false
        }
    }

    mutating func audioEnded(_ token: Int) -> [Command] {
        guard isCurrentAudio(token) else { return [] }
        switch state {
        case .playing:
            return next()
        case .apologizing(_, let code):
            state = .ended
            return [.hangup(failureCode: code)]
        case .collecting(let c):
            return promptEnded(c)
        case .recording(let r):
            return beepEnded(r)
        default:
            return []
        }
    }

    /// The caller is gone: stop what runs. A recording in progress is still saved and posted
    /// (what Twilio developers expect); everything else ends here.
    mutating func callerLeft() -> [Command] {
        guard !hungUp else { return [] }
        hungUp = true
        switch state {
        case .recording(let current) where current.capturing && !current.stopping:
            var r = current
            r.stopping = true
            state = .recording(r)
            return [.cancelTimer(.silence), .cancelTimer(.maxLength), .stopRecording(token: r.token)]
        case .recording(let r) where r.stopping:
            return []
        default:
            state = .ended
            return [.cancelTimer(.digits), .cancelTimer(.silence), .cancelTimer(.maxLength), .cancelTimer(.pause)]
        }
    }
}
