/// getDigits and record: the verbs that listen to the caller (voice-actions.md §3).
extension VoiceInterpreter {
    // MARK: getDigits

    mutating func startCollecting(_ spec: VoiceAction.GetDigits) -> [Command] {
        var c = Collect(spec: spec)
        if spec.nested.isEmpty {
            state = .collecting(c)
            return [.startTimer(.digits, ms: spec.timeout * 1000)]
        }
        quietDocuments = 0
        c.prompt = 0
        c.token = token()
        state = .collecting(c)
        return [.playAudio(token: c.token, Self.audio(spec.nested[0]))]
    }

    static func audio(_ p: VoiceAction.Prompt) -> Audio {
        switch p {
        case .say(let s): .say(s)
        case .play(let p): .play(p)
        }
    }

    /// One prompt item ended: the next one, or the first-digit timer once all have played.
    mutating func promptEnded(_ c: Collect) -> [Command] {
        var c = c
        guard let i = c.prompt else { return [] }
        if i + 1 < c.spec.nested.count {
            c.prompt = i + 1
            c.token = token()
            state = .collecting(c)
            return [.playAudio(token: c.token, Self.audio(c.spec.nested[i + 1]))]
        }
        c.prompt = nil
        state = .collecting(c)
        return [.startTimer(.digits, ms: c.spec.timeout * 1000)]
    }

    mutating func keyPressed(_ key: Character) -> [Command] {
        switch state {
        case .collecting(var c):
            quietDocuments = 0
            var out: [Command] = [.cancelTimer(.digits)]
            if c.prompt != nil {
                // Barge-in: the first key stops the prompt.
                c.prompt = nil
                out.append(.stopAudio)
            }
            if let finish = c.spec.finishOnKey, key == finish {
                // The finish key is not part of the digits (§1 `Digits`).
                return out + submitDigits(c)
            }
            c.digits.append(key)
            if c.spec.numDigits > 0 && c.digits.count >= c.spec.numDigits {
                return out + submitDigits(c)
            }
            state = .collecting(c)
            return out + [.startTimer(.digits, ms: c.spec.timeout * 1000)]
        case .recording(let current) where current.capturing && !current.stopping:
            var r = current
            // record: `finishOnKey` nil means any key ends the recording.
            guard r.spec.finishOnKey == nil || r.spec.finishOnKey == key else { return [] }
            quietDocuments = 0
            r.endedByKey = key
            r.stopping = true
            state = .recording(r)
            return [.cancelTimer(.silence), .cancelTimer(.maxLength), .detectSpeech(false), .stopRecording(token: r.token)]
        default:
            return []
        }
    }

    /// Ends getDigits with what was collected: POST it to the callback (or the current document).
    mutating func submitDigits(_ c: Collect) -> [Command] {
        follow(c.spec.callbackURL ?? documentURL, method: "POST", StepFields(digits: c.digits))
    }

    mutating func timerFired(_ t: Timer) -> [Command] {
        switch (t, state) {
        case (.digits, .collecting(let c)):
            if !c.digits.isEmpty { return submitDigits(c) }
            // §3: timeout with no digit continues with the next action.
            return [.event(type: "digits.timeout", payload: [:])] + next()
        case (.pause, .pausing):
            return next()
        case (.silence, .recording(let r)), (.maxLength, .recording(let r)):
            guard r.capturing && !r.stopping else { return [] }
            var stopped = r
            stopped.stopping = true
            state = .recording(stopped)
            let other: Timer = t == .silence ? .maxLength : .silence
            return [.cancelTimer(other), .detectSpeech(false), .stopRecording(token: r.token)]
        default:
            return []
        }
    }

    // MARK: record

    mutating func startRecording(_ spec: VoiceAction.Record) -> [Command] {
        quietDocuments = 0
        var out: [Command] = []
        if spec.transcribe {
            out.append(.event(type: "transcription.unavailable", payload: ["message": "no speech-to-text engine is configured"]))
        }
        let r = Recording(spec: spec, token: token())
        state = .recording(r)
        if spec.playBeep { return out + [.playAudio(token: r.token, .beep)] }
        return out + beepEnded(r)
    }

    /// The beep is over (or there was none): capture, with the silence and length limits.
    mutating func beepEnded(_ r: Recording) -> [Command] {
        var r = r
        r.capturing = true
        state = .recording(r)
        return [.startRecording(token: r.token, maxLengthSeconds: r.spec.maxLength), .detectSpeech(true),
                .startTimer(.silence, ms: r.spec.timeout * 1000), .startTimer(.maxLength, ms: r.spec.maxLength * 1000)]
    }

    /// Silence counts from the end of the last speech: speech pauses the timer.
    mutating func speech(_ started: Bool) -> [Command] {
        guard case .recording(let r) = state, r.capturing, !r.stopping else { return [] }
        return started ? [.cancelTimer(.silence)] : [.startTimer(.silence, ms: r.spec.timeout * 1000)]
    }

    /// The recording is saved: POST it to `action` (§3 record). After a hangup the POST still
    /// goes out and its answer is not run.
    mutating func recorded(_ token: Int, durationMs: Int, url: String) -> [Command] {
        guard case .recording(let r) = state, r.token == token else { return [] }
        let fields = StepFields(digits: r.endedByKey.map { String($0) }, recordingURL: url,
                                recordingDurationSeconds: (durationMs + 500) / 1000)
        let target = r.spec.action ?? documentURL
        guard let resolved = URLReference.resolve(target, against: documentURL) else {
            return fail(code: "voice.document_invalid", event: ["url": target, "message": "not an http(s) URL"])
        }
        return fetch(resolved, method: r.spec.method, fields, fallback: false)
    }
}
