import Testing
import VoiceFlow

/// Africa's Talking XML onto the voice-action model (voice-actions.md §5).
@Suite struct ATDialectTests {
    func decode(_ text: String) throws(DocumentError) -> [VoiceAction] { try XMLDocument.decode(Array(text.utf8)) }

    func error(_ text: String) -> String? {
        do { _ = try decode(text); return nil } catch { return error.description }
    }

    @Test func everyVerbWithItsDefaults() throws {
        let actions = try decode("""
        <?xml version="1.0" encoding="UTF-8"?>
        <Response>
          <Say voice="man" playBeep="true">Karibu</Say>
          <Play url="https://cdn.example/a.wav"/>
          <GetDigits numDigits="4" callbackUrl="https://app.example/pin">
            <Say language="sw-KE">Weka PIN</Say>
            <Play url="https://cdn.example/b.wav"/>
          </GetDigits>
          <Dial phoneNumbers="+254711000001" callerId="+254700000001" record="true" ringbackTone="https://cdn.example/ring.wav" maxDuration="600"/>
          <Conference>room-1</Conference>
          <Record finishOnKey="#" maxLength="30" timeout="3" trimSilence="true" playBeep="false" callbackUrl="/rec"/>
          <Redirect>https://app.example/next</Redirect>
          <Reject/>
          <Hangup/>
        </Response>
        """)
        #expect(actions.map(\.verb) == ["say", "play", "getDigits", "dial", "conference", "record", "redirect", "reject", "hangup"])
        #expect(actions[0] == .say(.init(text: "Karibu", voice: "man", language: "en-KE", loop: 1)))
        #expect(actions[1] == .play(.init(url: "https://cdn.example/a.wav")))
        var g = VoiceAction.GetDigits()
        g.numDigits = 4
        g.callbackURL = "https://app.example/pin"
        g.nested = [.say(.init(text: "Weka PIN", language: "sw-KE")), .play(.init(url: "https://cdn.example/b.wav"))]
        #expect(actions[2] == .getDigits(g))
        var d = VoiceAction.Dial(target: .number("+254711000001"))
        d.callerID = "+254700000001"
        d.record = .fromAnswer
        #expect(actions[3] == .dial(d))  // ringbackTone and maxDuration: accepted, no model field
        #expect(actions[4] == .conference(.init(name: "room-1")))
        var r = VoiceAction.Record()
        r.finishOnKey = "#"
        r.maxLength = 30
        r.timeout = 3
        r.playBeep = false
        r.action = "/rec"
        #expect(actions[5] == .record(r))
        #expect(actions[6] == .redirect(.init(url: "https://app.example/next")))
        #expect(actions[7] == .reject(.init(reason: .rejected)))
        #expect(try XMLDocument.dialect(of: XMLTree.parse(Array("<Response><GetDigits/></Response>".utf8))) == .africasTalking)
    }

    @Test func dialTargets() throws {
        func target(_ list: String) throws -> VoiceAction.Dial.Target? {
            guard case .dial(let d)? = try decode("<Response><Dial phoneNumbers=\"\(list)\"/></Response>").first else { return nil }
            return d.target
        }
        #expect(try target("+254711000001") == .number("+254711000001"))
        #expect(try target(" sip:alice@pbx.example ") == .sip("sip:alice@pbx.example"))
        #expect(try target("+254711000001, +254711000002") == .numbers(["+254711000001", "+254711000002"]))
        // Decision: SIP URIs among several stay in `.numbers`; the dialer routes `sip:` entries.
        #expect(try target("+254711000001,sip:desk@pbx.example") == .numbers(["+254711000001", "sip:desk@pbx.example"]))
        guard case .dial(let d)? = try decode("<Response><Dial phoneNumbers=\"+254711000001,+254711000002\" sequential=\"true\" record=\"false\"/></Response>").first else {
            Issue.record("not dial"); return
        }
        #expect(d.sequential && d.record == nil && d.timeout == 30)
    }

    @Test func recordPromptsComeBeforeTheRecording() throws {
        let actions = try decode("""
        <Response><Record maxLength="60"><Say>Leave a message after the tone</Say><Play url="https://cdn.example/t.wav"/></Record></Response>
        """)
        var r = VoiceAction.Record()
        r.maxLength = 60
        #expect(actions == [.say(.init(text: "Leave a message after the tone")), .play(.init(url: "https://cdn.example/t.wav")), .record(r)])
    }

    @Test func conferenceNameAndJSONAttributes() throws {
        let actions = try decode("""
        <Response><Conference name="sales" beep="true" maxParticipants="10" statusEvents="join leave" waitUrl="/hold"/></Response>
        """)
        var c = VoiceAction.Conference(name: "sales")
        c.beep = true
        c.maxParticipants = 10
        c.statusEvents = ["join", "leave"]
        c.waitURL = "/hold"
        #expect(actions == [.conference(c)])
    }

    @Test(arguments: [
        ("<Response><Say voise=\"man\">Hi</Say></Response>", "Response/Say[1]/@voise: unknown attribute of Say; allowed: language, loop, playBeep, voice"),
        ("<Response><Sya>Hi</Sya></Response>",
         "Response/Sya[1]: unknown element; use Say, Play, GetDigits, Dial, Record, Conference, Redirect, Reject or Hangup (Africa's Talking), or Gather and Pause (TwiML)"),
        ("<Response><GetDigits/><Sya>Hi</Sya></Response>",
         "Response/Sya[1]: unknown element; Africa's Talking verbs are Say, Play, GetDigits, Dial, Record, Conference, Redirect, Reject or Hangup"),
        ("<Response><GetDigits><Dial phoneNumbers=\"+254711000001\"/></GetDigits></Response>", "Response/GetDigits[1]/Dial[1]: only Say and Play are allowed here"),
        ("<Response><Say>a</Say><Say></Say></Response>", "Response/Say[2]: the text to speak is required as the element's text"),
        ("<Response><Say>Hi <break/></Say></Response>", "Response/Say[1]/break[1]: Say holds only text, no elements; SSML is not supported"),
        ("<Response><Play/></Response>", "Response/Play[1]: the audio URL is required, as url=\"…\" or as the text"),
        ("<Response><Play url=\"ftp://x/a.wav\"/></Response>", "Response/Play[1]/@url: an absolute http or https URL"),
        ("<Response><Dial phoneNumbers=\"+254711000001,\"/></Response>", "Response/Dial[1]/@phoneNumbers: an empty entry; write numbers separated by commas"),
        ("<Response><Dial phoneNumbers=\"1,2,3,4,5,6,7,8,9,10,11\"/></Response>", "Response/Dial[1]/@phoneNumbers: 1 to 10 numbers"),
        ("<Response><Dial phoneNumbers=\"sip:\"/></Response>", "Response/Dial[1]/@phoneNumbers: a SIP URI such as sip:alice@example.com (RFC 3261 §19.1)"),
        ("<Response><Dial/></Response>", "Response/Dial[1]: exactly one of phoneNumbers, a number as the text, or nested Number/Sip elements"),
        ("<Response><Dial phoneNumbers=\"+254711000001\" record=\"yes\"/></Response>",
         "Response/Dial[1]/@record: true, false, record-from-answer, record-from-ringing or do-not-record"),
        ("<Response><Dial phoneNumbers=\"+254711000001\" sequential=\"TRUE\"/></Response>", "Response/Dial[1]/@sequential: expected true or false, got \"TRUE\""),
        ("<Response><GetDigits timeout=\"soon\"/></Response>", "Response/GetDigits[1]/@timeout: expected a whole number, got \"soon\""),
        ("<Response><GetDigits timeout=\"500\"/></Response>", "Response/GetDigits[1]/@timeout: must be 1 to 120"),
        ("<Response><GetDigits finishOnKey=\"##\"/></Response>", "Response/GetDigits[1]/@finishOnKey: one key of 0-9, *, #, A-D, or \"\" for none"),
        ("<Response><Record callbackUrl=\"/a\" action=\"/b\"/></Response>", "Response/Record[1]: action (TwiML) or callbackUrl (Africa's Talking), not both"),
        ("<Response><Conference name=\"a\">b</Conference></Response>", "Response/Conference[1]: give the room name as name=\"…\" or as the text, not both"),
        ("<Response><Redirect/></Response>", "Response/Redirect[1]: the URL to fetch next is required as the element's text"),
        ("<Response><Reject>now</Reject></Response>", "Response/Reject[1]: unexpected text \"now\" in Reject"),
        ("<Response>hello<Hangup/></Response>", "Response: unexpected text \"hello\" in Response"),
        ("<Response version=\"2\"/>", "Response/@version: unknown attribute of Response; allowed: none"),
        ("<Document/>", "Document: the root element must be <Response>"),
    ] as [(String, String)])
    func errorsNameThePath(document: String, message: String) {
        #expect(error(document) == message)
    }

    @Test func limits() throws {
        let fifty = "<Response>" + String(repeating: "<Hangup/>", count: 50) + "</Response>"
        #expect(try decode(fifty).count == 50)
        let fiftyOne = "<Response>" + String(repeating: "<Hangup/>", count: 51) + "</Response>"
        #expect(error(fiftyOne) == "Response: 51 actions; at most 50")
        let prompts = "<Record>" + String(repeating: "<Say>a</Say>", count: 2) + "</Record>"
        let expanded = "<Response>" + String(repeating: "<Hangup/>", count: 48) + prompts + "</Response>"
        #expect(error(expanded) == "Response: 51 actions (counting Record prompts); at most 50")
        let long = "<Response><Say>" + String(repeating: "a", count: 4001) + "</Say></Response>"
        #expect(error(long) == "Response/Say[1]: text at most 4000 characters")
        let exact = "<Response><Say>" + String(repeating: "é", count: 4000) + "</Say></Response>"
        #expect(try decode(exact).count == 1)
    }
}
