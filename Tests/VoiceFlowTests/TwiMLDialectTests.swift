import Testing
import VoiceFlow

/// TwiML onto the voice-action model (voice-actions.md §5).
@Suite struct TwiMLDialectTests {
    func decode(_ text: String) throws(DocumentError) -> [VoiceAction] { try XMLDocument.decode(Array(text.utf8)) }

    func error(_ text: String) -> String? {
        do { _ = try decode(text); return nil } catch { return error.description }
    }

    @Test func everyVerbWithItsDefaults() throws {
        let actions = try decode("""
        <?xml version="1.0" encoding="UTF-8"?>
        <Response>
          <Say voice="alice" language="sw-KE" loop="2">Habari</Say>
          <Play loop="0">https://cdn.example/a.wav</Play>
          <Gather action="/gather" numDigits="1" timeout="7" finishOnKey="" input="dtmf" method="POST">
            <Say>Press one</Say><Pause length="2"/><Play>https://cdn.example/b.wav</Play>
          </Gather>
          <Pause/>
          <Pause length="3"/>
          <Record action="/rec" method="GET" maxLength="20" finishOnKey="1234567890*#" transcribe="true"/>
          <Redirect method="GET">/next</Redirect>
          <Reject reason="busy"/>
          <Hangup/>
        </Response>
        """)
        #expect(actions.map(\.verb) == ["say", "play", "getDigits", "pause", "pause", "record", "redirect", "reject", "hangup"])
        #expect(actions[0] == .say(.init(text: "Habari", voice: "alice", language: "sw-KE", loop: 2)))
        #expect(actions[1] == .play(.init(url: "https://cdn.example/a.wav", loop: 1)))  // loop 0 = once (§3)
        var g = VoiceAction.GetDigits()
        g.callbackURL = "/gather"
        g.numDigits = 1
        g.timeout = 7
        g.finishOnKey = nil
        g.nested = [.say(.init(text: "Press one")), .play(.init(url: "https://cdn.example/b.wav"))]  // Pause dropped
        #expect(actions[2] == .getDigits(g))
        #expect(actions[3] == .pause(seconds: 1) && actions[4] == .pause(seconds: 3))
        var r = VoiceAction.Record()
        r.action = "/rec"
        r.method = "GET"
        r.maxLength = 20
        r.finishOnKey = nil  // every key = any key
        r.transcribe = true
        #expect(actions[5] == .record(r))
        #expect(actions[6] == .redirect(.init(url: "/next", method: "GET")))
        guard case .reject(let rej) = actions[7] else { Issue.record("not reject"); return }
        #expect(rej.reason == .busy && rej.sipStatus == 486)
        #expect(actions[8] == .hangup)
    }

    @Test func dialForms() throws {
        func dial(_ body: String) throws -> VoiceAction? { try decode("<Response><Pause/>\(body)</Response>").last }
        var d = VoiceAction.Dial(target: .number("+254711000001"))
        d.callerID = "+254700000001"
        d.timeout = 20
        d.record = .fromRinging
        #expect(try dial("<Dial callerId=\"+254700000001\" timeout=\"20\" record=\"record-from-ringing-dual\">+254711000001</Dial>") == .dial(d))
        #expect(try dial("<Dial><Number>+254711000001</Number><Number>+254711000002</Number></Dial>")
                == .dial(.init(target: .numbers(["+254711000001", "+254711000002"]))))
        #expect(try dial("<Dial><Sip>sip:alice@pbx.example</Sip></Dial>") == .dial(.init(target: .sip("sip:alice@pbx.example"))))
        #expect(try dial("<Dial><Number>+254711000001</Number><Sip>sip:alice@pbx.example</Sip></Dial>")
                == .dial(.init(target: .numbers(["+254711000001", "sip:alice@pbx.example"]))))
        #expect(try dial("<Dial>sip:bob@pbx.example</Dial>") == .dial(.init(target: .sip("sip:bob@pbx.example"))))
    }

    @Test func dialConferenceBecomesAConferenceAction() throws {
        let actions = try decode("""
        <Response><Dial><Conference beep="onEnter" startConferenceOnEnter="false" endConferenceOnExit="true" muted="true"
          maxParticipants="5" waitUrl="" record="record-from-start" statusCallback="https://app.example/conf"
          statusCallbackEvent="start end join">standup</Conference></Dial></Response>
        """)
        var c = VoiceAction.Conference(name: "standup")
        c.beep = true
        c.startOnEnter = false
        c.endOnExit = true
        c.muted = true
        c.maxParticipants = 5
        c.record = true
        c.statusEventsCallbackURL = "https://app.example/conf"
        c.statusEvents = ["start", "end", "join"]
        #expect(actions == [.conference(c)])
        #expect(try XMLDocument.dialect(of: XMLTree.parse(Array("<Response><Dial><Conference>x</Conference></Dial></Response>".utf8))) == .twiml)
    }

    @Test(arguments: [
        ("<Response><Gather><Dial>+254711000001</Dial></Gather></Response>", "Response/Gather[1]/Dial[1]: only Say, Play and Pause are allowed here"),
        ("<Response><Gather method=\"GET\"/></Response>", "Response/Gather[1]/@method: only POST is supported here"),
        ("<Response><Gather input=\"speech\"/></Response>", "Response/Gather[1]/@input: only dtmf input is supported"),
        ("<Response><Gather actionOnEmptyResult=\"true\"/></Response>",
         "Response/Gather[1]/@actionOnEmptyResult: unknown attribute of Gather; allowed: action, finishOnKey, input, method, numDigits, timeout"),
        ("<Response><Pause/><Sya/></Response>", "Response/Sya[1]: unknown element; TwiML verbs are Say, Play, Gather, Dial, Record, Redirect, Reject, Hangup or Pause"),
        ("<Response><GetDigits/><Gather/></Response>",
         "Response/Gather[1]: TwiML <Gather> in a document that uses Africa's Talking <GetDigits> at Response/GetDigits[1]; use one dialect"),
        ("<Response><Conference>a</Conference><Dial><Number>1</Number></Dial></Response>",
         "Response/Dial[1]/Number[1]: TwiML <Number> in a document that uses Africa's Talking <Conference> at Response/Conference[1]; use one dialect"),
        ("<Response><Dial>+1,+2</Dial></Response>", "Response/Dial[1]: one number as the text; use Number elements to ring several"),
        ("<Response><Dial>+1<Number>+2</Number></Dial></Response>",
         "Response/Dial[1]: exactly one of phoneNumbers, a number as the text, or nested Number/Sip elements"),
        ("<Response><Dial><Number>sip:a@b.example</Number></Dial></Response>", "Response/Dial[1]/Number[1]: a number; use Sip for a SIP URI"),
        ("<Response><Dial><Sip>+254711000001</Sip></Dial></Response>", "Response/Dial[1]/Sip[1]: a SIP URI such as sip:alice@example.com (RFC 3261 §19.1)"),
        ("<Response><Dial><Number sendDigits=\"1\">+2547</Number></Dial></Response>",
         "Response/Dial[1]/Number[1]/@sendDigits: unknown attribute of Number; allowed: none"),
        ("<Response><Dial><Number>1</Number><Number>2</Number><Play>https://a.example/x.wav</Play></Dial></Response>",
         "Response/Dial[1]/Play[1]: only Number, Sip or Conference are allowed here"),
        ("<Response><Dial timeout=\"5\"><Conference>a</Conference></Dial></Response>",
         "Response/Dial[1]/@timeout: unknown attribute of Dial with a nested Conference; allowed: none"),
        ("<Response><Dial><Conference>a</Conference><Number>1</Number></Dial></Response>", "Response/Dial[1]: a Dial with a Conference holds nothing else"),
        ("<Response><Dial><Conference beep=\"loud\">a</Conference></Dial></Response>", "Response/Dial[1]/Conference[1]/@beep: true, false, onEnter or onExit"),
        ("<Response><Play>https://a.example/x.wav</Play><Play url=\"https://a.example/x.wav\">https://a.example/x.wav</Play></Response>",
         "Response/Play[2]: give the audio URL as url=\"…\" or as the text, not both"),
        ("<Response><Pause length=\"0\"/></Response>", "Response/Pause[1]/@length: must be 1 to 600"),
        ("<Response><Reject reason=\"later\"/></Response>", "Response/Reject[1]/@reason: rejected or busy"),
        ("<Response><Redirect method=\"PUT\">/x</Redirect></Response>", "Response/Redirect[1]/@method: GET or POST"),
        ("<Response><Record trim=\"yes\"/></Response>", "Response/Record[1]/@trim: trim-silence or do-not-trim"),
        ("<Response><Record finishOnKey=\"12\"/></Response>", "Response/Record[1]/@finishOnKey: one key of 0-9, *, #, A-D, or \"\" for none"),
        ("<Response><Hangup><Say>x</Say></Hangup></Response>", "Response/Hangup[1]/Say[1]: Hangup holds no elements"),
    ] as [(String, String)])
    func errorsNameThePath(document: String, message: String) {
        #expect(error(document) == message)
    }
}
