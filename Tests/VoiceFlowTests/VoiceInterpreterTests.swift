import Testing
@testable import VoiceFlow

/// The interpreter without I/O: each test plays the driver, feeding events and checking the
/// exact commands that come back.
struct VoiceInterpreterTests {
    typealias C = VoiceInterpreter.Command

    static let base = "http://127.0.0.1:9000/voice/start"

    /// The call's fixed fields, as call control fills them.
    static let call = CallbackRequest(callID: "rec-1", sessionID: "sess-1", direction: .inbound, from: "+254722000002",
                                      to: "+254711000001", callStatus: .ringing, step: 0)

    /// The request expected at `step` with `status` and the step's own fields.
    static func request(_ step: Int, _ status: CallbackRequest.Status, digits: String? = nil, recordingURL: String? = nil,
                        seconds: Int? = nil) -> CallbackRequest {
        var r = call
        r.step = step
        r.callStatus = status
        r.digits = digits
        r.recordingURL = recordingURL
        r.recordingDurationSeconds = seconds
        return r
    }

    static func make(fallback: String? = nil) -> VoiceInterpreter {
        VoiceInterpreter(call: .init(url: base, fallbackURL: fallback, request: call))
    }

    /// The fetch among the commands (there must be exactly one).
    static func fetch(_ cmds: [C]) -> (token: Int, url: String, method: String, fields: CallbackRequest)? {
        let all = cmds.compactMap { c -> (Int, String, String, CallbackRequest)? in
            if case .fetch(let t, let u, let m, let f) = c { return (t, u, m, f) }
            return nil
        }
        return all.count == 1 ? all[0] : nil
    }

    static func play(_ cmds: [C]) -> (token: Int, audio: VoiceInterpreter.Audio)? {
        for c in cmds { if case .playAudio(let t, let a) = c { return (t, a) } }
        return nil
    }

    static func events(_ cmds: [C]) -> [String] {
        cmds.compactMap { if case .event(let t, _) = $0 { return t } else { return nil } }
    }

    /// Starts a call and answers its first document; returns the commands after media is up.
    static func started(_ i: inout VoiceInterpreter, _ doc: [VoiceAction]) throws -> [C] {
        let f = try #require(fetch(i.handle(.start)))
        let answered = i.handle(.fetched(token: f.token, actions: doc, status: 200, elapsedMs: 3))
        #expect(answered.contains(.answer))
        return i.handle(.mediaReady)
    }

    static func digits(timeout: Int = 5, num: Int = 0, finish: Character? = "#", prompt: [VoiceAction.Prompt] = []) -> VoiceAction {
        var g = VoiceAction.GetDigits()
        g.timeout = timeout
        g.numDigits = num
        g.finishOnKey = finish
        g.nested = prompt
        return .getDigits(g)
    }

    @Test func firstRequestIsRingingStepOneThenAnswersAndSpeaks() throws {
        var i = Self.make()
        let first = i.handle(.start)
        let f = try #require(Self.fetch(first))
        #expect(f.url == Self.base && f.method == "POST")
        #expect(f.fields == Self.request(1, .ringing))
        let got = i.handle(.fetched(token: f.token, actions: [.say(.init(text: "Hi"))], status: 200, elapsedMs: 4))
        #expect(got.contains(.answer))
        #expect(Self.play(got) == nil)  // no audio before media runs
        let media = i.handle(.mediaReady)
        let p = try #require(Self.play(media))
        #expect(p.audio == .say(.init(text: "Hi")))
        // Falling off the end hangs up.
        #expect(i.handle(.audioFinished(token: p.token)) == [.hangup(failureCode: nil)])
        #expect(i.isFinished)
    }

    @Test func rejectBeforeAnswerRefusesWithoutAnswering() throws {
        for (reason, status) in [(VoiceAction.Reject.Reason.rejected, 603), (.busy, 486)] {
            var i = Self.make()
            let f = try #require(Self.fetch(i.handle(.start)))
            let got = i.handle(.fetched(token: f.token, actions: [.reject(.init(reason: reason)), .say(.init(text: "x"))], status: 200, elapsedMs: 1))
            #expect(got.contains(.reject(sipStatus: status)))
            #expect(!got.contains(.answer))
            #expect(i.isFinished)
        }
    }

    @Test func rejectAfterAnswerHangsUpWithWarning() throws {
        var i = Self.make()
        let cmds = try Self.started(&i, [.pause(seconds: 1), .reject(.init())])
        #expect(cmds == [.startTimer(.pause, ms: 1000)])
        let after = i.handle(.timer(.pause))
        #expect(Self.events(after) == ["voice.warning"])
        #expect(after.last == .hangup(failureCode: nil))
    }

    @Test func getDigitsBargeInStopsThePromptAndPostsDigits() throws {
        var i = Self.make()
        let cmds = try Self.started(&i, [Self.digits(num: 2, prompt: [.say(.init(text: "Press")), .play(.init(url: "http://x/a.wav"))])])
        let p1 = try #require(Self.play(cmds))
        #expect(p1.audio == .say(.init(text: "Press")))
        let k1 = i.handle(.key("4"))
        #expect(k1.contains(.stopAudio))
        #expect(k1.last == .startTimer(.digits, ms: 5000))
        // The stopped prompt's late end must not start the next prompt.
        #expect(i.handle(.audioFinished(token: p1.token)).isEmpty)
        let k2 = i.handle(.key("2"))
        let f = try #require(Self.fetch(k2))
        #expect(f.url == Self.base)
        #expect(f.fields == Self.request(2, .answered, digits: "42"))
    }

    @Test func getDigitsEndings() throws {
        // Finish key: excluded from the digits.
        var a = Self.make()
        _ = try Self.started(&a, [Self.digits()])
        _ = a.handle(.key("1"))
        _ = a.handle(.key("2"))
        #expect(Self.fetch(a.handle(.key("#")))?.fields.digits == "12")

        // Timeout after a digit posts it.
        var b = Self.make()
        _ = try Self.started(&b, [Self.digits(finish: nil)])
        _ = b.handle(.key("7"))
        #expect(Self.fetch(b.handle(.timer(.digits)))?.fields.digits == "7")

        // Timeout with no digit continues with the next action.
        var c = Self.make()
        let first = try Self.started(&c, [Self.digits(timeout: 3), .say(.init(text: "Nothing?"))])
        #expect(first == [.startTimer(.digits, ms: 3000)])
        let t = c.handle(.timer(.digits))
        #expect(Self.events(t) == ["digits.timeout"])
        #expect(Self.play(t)?.audio == .say(.init(text: "Nothing?")))

        // A relative callbackUrl resolves against the document.
        var d = Self.make()
        var g = VoiceAction.GetDigits()
        g.numDigits = 1
        g.callbackURL = "menu?x=1"
        _ = try Self.started(&d, [.getDigits(g)])
        #expect(Self.fetch(d.handle(.key("9")))?.url == "http://127.0.0.1:9000/voice/menu?x=1")
    }

    @Test func promptsPlayInOrderThenTheTimerStarts() throws {
        var i = Self.make()
        let cmds = try Self.started(&i, [Self.digits(timeout: 2, prompt: [.say(.init(text: "a")), .say(.init(text: "b"))])])
        let p1 = try #require(Self.play(cmds))
        let p2 = try #require(Self.play(i.handle(.audioFinished(token: p1.token))))
        #expect(p2.audio == .say(.init(text: "b")))
        #expect(i.handle(.audioFinished(token: p2.token)) == [.startTimer(.digits, ms: 2000)])
    }

    @Test func recordBeepsCapturesUntilSilenceAndPostsTheRecording() throws {
        var i = Self.make()
        var r = VoiceAction.Record()
        r.action = "/rec"
        r.timeout = 2
        r.maxLength = 30
        let cmds = try Self.started(&i, [.record(r)])
        let beep = try #require(Self.play(cmds))
        #expect(beep.audio == .beep)
        let capture = i.handle(.audioFinished(token: beep.token))
        #expect(capture == [.startRecording(token: beep.token, maxLengthSeconds: 30), .detectSpeech(true),
                            .startTimer(.silence, ms: 2000), .startTimer(.maxLength, ms: 30000)])
        #expect(i.handle(.speech(started: true)) == [.cancelTimer(.silence)])
        #expect(i.handle(.speech(started: false)) == [.startTimer(.silence, ms: 2000)])
        #expect(i.handle(.key("5")) == [.cancelTimer(.silence), .cancelTimer(.maxLength), .detectSpeech(false), .stopRecording(token: beep.token)])
        let post = try #require(Self.fetch(i.handle(.recorded(token: beep.token, durationMs: 4600, url: "http://pbx/rec/1"))))
        #expect(post.url == "http://127.0.0.1:9000/rec")
        #expect(post.fields == Self.request(2, .answered, digits: "5", recordingURL: "http://pbx/rec/1", seconds: 5))
    }

    @Test func recordFinishKeyOnlyAndSilenceTimeout() throws {
        var i = Self.make()
        var r = VoiceAction.Record()
        r.finishOnKey = "#"
        r.playBeep = false
        let cmds = try Self.started(&i, [.record(r)])
        #expect(cmds.first == .startRecording(token: 2, maxLengthSeconds: 3600))
        #expect(i.handle(.key("1")).isEmpty)  // not the finish key
        let stop = i.handle(.timer(.silence))
        #expect(stop.contains(.cancelTimer(.maxLength)) && stop.contains(.detectSpeech(false)))
        guard case .stopRecording(let t)? = stop.last else { Issue.record("no stop"); return }
        let post = try #require(Self.fetch(i.handle(.recorded(token: t, durationMs: 0, url: "u"))))
        #expect(post.fields.digits == nil && post.fields.recordingDurationSeconds == 0)
    }

    @Test func hangupDuringRecordStillPostsTheRecordingAndRunsNothing() throws {
        var i = Self.make()
        var r = VoiceAction.Record()
        r.playBeep = false
        _ = try Self.started(&i, [.record(r)])
        let left = i.handle(.hungUp)
        guard case .stopRecording(let t)? = left.last else { Issue.record("no stop"); return }
        let post = try #require(Self.fetch(i.handle(.recorded(token: t, durationMs: 2000, url: "u"))))
        #expect(post.fields.callStatus == .completed)
        let after = i.handle(.fetched(token: post.token, actions: [.say(.init(text: "too late"))], status: 200, elapsedMs: 1))
        #expect(Self.play(after) == nil && i.isFinished)
    }

    @Test func fallbackThenApologyAndFailureCode() throws {
        var i = Self.make(fallback: "http://127.0.0.1:9001/fallback")
        let f1 = try #require(Self.fetch(i.handle(.start)))
        let failed = i.handle(.fetchFailed(token: f1.token, code: "callback.timeout", message: "no answer in 10 s"))
        #expect(Self.events(failed) == ["callback.failed", "callback.requested"])
        let f2 = try #require(Self.fetch(failed))
        #expect(f2.url == "http://127.0.0.1:9001/fallback" && f2.fields == Self.request(2, .ringing))
        let failed2 = i.handle(.fetchFailed(token: f2.token, code: "callback.http_status", message: "HTTP 500"))
        #expect(failed2.contains(.answer))  // answered only to apologise
        let sorry = try #require(Self.play(i.handle(.mediaReady)))
        #expect(sorry.audio == .say(VoiceInterpreter.apology))
        #expect(i.handle(.audioFinished(token: sorry.token)) == [.hangup(failureCode: "callback.http_status")])
    }

    @Test func fallbackGetsTheSameStepsDigits() throws {
        var i = Self.make(fallback: "http://127.0.0.1:9001/fallback")
        _ = try Self.started(&i, [Self.digits(num: 1)])
        let post = try #require(Self.fetch(i.handle(.key("3"))))
        #expect(post.fields == Self.request(2, .answered, digits: "3"))
        let again = try #require(Self.fetch(i.handle(.fetchFailed(token: post.token, code: "callback.http_status", message: "HTTP 502"))))
        #expect(again.url == "http://127.0.0.1:9001/fallback" && again.fields == Self.request(3, .answered, digits: "3"))
    }

    @Test func redirectChainWithoutAudioEndsAsALoop() throws {
        var i = Self.make()
        var cmds = i.handle(.start)
        var documents = 0
        while let f = Self.fetch(cmds) {
            documents += 1
            cmds = i.handle(.fetched(token: f.token, actions: [.redirect(.init(url: "again"))], status: 200, elapsedMs: 1))
            if documents == 1 { cmds += i.handle(.mediaReady) }
            #expect(documents <= VoiceInterpreter.maxQuietDocuments)
        }
        #expect(documents == VoiceInterpreter.maxQuietDocuments)
        #expect(Self.events(cmds).contains("voice.failed"))
        let sorry = try #require(Self.play(cmds))
        #expect(i.handle(.audioFinished(token: sorry.token)) == [.hangup(failureCode: "voice.redirect_loop")])
    }

    @Test func audioResetsTheLoopCounter() throws {
        var i = Self.make()
        var cmds = i.handle(.start)
        for n in 1...25 {
            let f = try #require(Self.fetch(cmds))
            cmds = i.handle(.fetched(token: f.token, actions: [.say(.init(text: "\(n)")), .redirect(.init(url: "/next"))], status: 200, elapsedMs: 1))
            if n == 1 { cmds += i.handle(.mediaReady) }
            let p = try #require(Self.play(cmds))
            cmds = i.handle(.audioFinished(token: p.token))
        }
        #expect(Self.fetch(cmds)?.url == "http://127.0.0.1:9000/next")
    }

    @Test func unsupportedVerbsAreSkippedWithAnEvent() throws {
        var i = Self.make()
        let cmds = try Self.started(&i, [.dial(.init(target: .number("+254711000000"))), .hangup])
        #expect(Self.events(cmds) == ["voice.verb_unsupported"])
        #expect(cmds.last == .hangup(failureCode: nil))
    }

    @Test func lateAndForeignResultsAreIgnored() throws {
        var i = Self.make()
        let f = try #require(Self.fetch(i.handle(.start)))
        #expect(i.handle(.fetched(token: f.token + 7, actions: [.hangup], status: 200, elapsedMs: 1)).isEmpty)
        #expect(i.handle(.fetchFailed(token: f.token + 7, code: "x", message: "y")).isEmpty)
        // The caller leaves while we wait: the document that arrives afterwards runs nothing.
        _ = i.handle(.hungUp)
        let late = i.handle(.fetched(token: f.token, actions: [.say(.init(text: "x"))], status: 200, elapsedMs: 1))
        #expect(Self.play(late) == nil && !late.contains(.answer))
        #expect(i.isFinished)
    }

    @Test func audioFailureIsAnEventAndTheVerbIsSkipped() throws {
        var i = Self.make()
        let cmds = try Self.started(&i, [.play(.init(url: "http://x/missing.wav")), .say(.init(text: "after"))])
        let p = try #require(Self.play(cmds))
        let next = i.handle(.audioFailed(token: p.token, code: "play.http_status", message: "HTTP 404"))
        #expect(Self.events(next) == ["audio.failed"])
        #expect(Self.play(next)?.audio == .say(.init(text: "after")))
    }

    @Test func emptyFirstDocumentHangsUpWithoutAnswer() throws {
        var i = Self.make()
        let f = try #require(Self.fetch(i.handle(.start)))
        let got = i.handle(.fetched(token: f.token, actions: [], status: 200, elapsedMs: 1))
        #expect(got.last == .hangup(failureCode: nil) && !got.contains(.answer))
    }
}
