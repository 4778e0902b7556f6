import Testing
import VoiceFlow

/// Content-Type dispatch and sniffing (voice-actions.md §2), and the promise of §5: one flow
/// written in Africa's Talking XML, TwiML and JSON decodes to the identical actions.
@Suite struct CallbackDocumentTests {
    func decode(_ text: String, _ contentType: String?) throws(DocumentError) -> [VoiceAction] {
        try CallbackDocument.decode(body: Array(text.utf8), contentType: contentType)
    }

    func error(_ text: String, _ contentType: String?) -> String? {
        do { _ = try decode(text, contentType); return nil } catch { return error.description }
    }

    static let json = #"{"actions":[{"hangup":{}}]}"#
    static let xml = "<Response><Hangup/></Response>"

    @Test func contentTypeDecides() throws {
        #expect(try decode(Self.json, "application/json") == [.hangup])
        #expect(try decode(Self.json, "Application/JSON; charset=utf-8") == [.hangup])
        #expect(try decode(Self.json, "application/vnd.app+json") == [.hangup])
        #expect(try decode(Self.xml, "text/xml; charset=UTF-8") == [.hangup])
        #expect(try decode(Self.xml, " application/xml ") == [.hangup])
        // The declared type wins over the bytes: XML labelled JSON is a JSON error.
        #expect(error(Self.xml, "application/json") == "document: not valid JSON")
        #expect(error(Self.json, "text/xml")?.hasPrefix("document: text before the root element") == true)
    }

    @Test func sniffingWithoutAUsableType() throws {
        #expect(try decode("\r\n  " + Self.json, nil) == [.hangup])
        #expect(try decode("\u{FEFF}\n" + Self.xml, "text/plain") == [.hangup])
        #expect(try decode(Self.json, "text/html") == [.hangup])
        #expect(error("hello", nil) == "document: neither JSON nor XML")
        #expect(error("  \n", "text/plain") == "document: neither JSON nor XML")
        #expect(error("", nil) == "document: neither JSON nor XML")
        let big = "<Response><!--" + String(repeating: " ", count: 70_000) + "--></Response>"
        #expect(error(big, nil) == "document: larger than 64 KiB")
        #expect(try CallbackDocument.format(body: Array(Self.xml.utf8), contentType: "text/plain") == .xml)
    }

    /// (AT XML, TwiML, JSON) for the same flow: say -> getDigits(nested say) -> record -> redirect.
    static let flows: [(String, String, String)] = [
        (
            """
            <Response><Say>Welcome to Sauti Bank</Say>
            <GetDigits numDigits="4" timeout="10" finishOnKey="#" callbackUrl="https://app.example/pin"><Say>Enter your PIN</Say></GetDigits>
            <Record callbackUrl="https://app.example/voicemail" maxLength="60" playBeep="true"/>
            <Redirect>/next</Redirect></Response>
            """,
            """
            <Response><Say>Welcome to Sauti Bank</Say>
            <Gather numDigits="4" timeout="10" finishOnKey="#" action="https://app.example/pin"><Say>Enter your PIN</Say></Gather>
            <Record action="https://app.example/voicemail" maxLength="60" playBeep="true"/>
            <Redirect>/next</Redirect></Response>
            """,
            #"""
            {"actions":[{"say":{"text":"Welcome to Sauti Bank"}},
             {"getDigits":{"numDigits":4,"timeout":10,"finishOnKey":"#","callbackUrl":"https://app.example/pin","nested":[{"say":{"text":"Enter your PIN"}}]}},
             {"record":{"action":"https://app.example/voicemail","maxLength":60,"playBeep":true}},
             {"redirect":{"url":"/next"}}]}
            """#
        ),
        (
            """
            <?xml version="1.0" encoding="utf-8"?>
            <Response>
              <Say voice="man" language="sw-KE">Karibu &amp; asante</Say>
              <GetDigits finishOnKey="*" numDigits="2"><Say language="sw-KE">Bonyeza</Say><Play url="https://cdn.example/menu.wav" /></GetDigits>
              <Record finishOnKey="#" timeout="3" maxLength="120" playBeep="false"/>
              <Redirect>https://app.example/step?n=2&amp;lang=sw</Redirect>
            </Response>
            """,
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <Response>
              <Say voice="man" language="sw-KE"><![CDATA[Karibu & asante]]></Say>
              <Gather finishOnKey="*" numDigits="2"><Say language="sw-KE">Bonyeza</Say><Pause/><Play>https://cdn.example/menu.wav</Play></Gather>
              <Record finishOnKey="#" timeout="3" maxLength="120" playBeep="false"/>
              <Redirect method="POST">https://app.example/step?n=2&amp;lang=sw</Redirect>
            </Response>
            """,
            #"""
            {"actions":[{"say":{"text":"Karibu & asante","voice":"man","language":"sw-KE"}},
             {"getDigits":{"finishOnKey":"*","numDigits":2,"nested":[{"say":{"text":"Bonyeza","language":"sw-KE"}},{"play":{"url":"https://cdn.example/menu.wav"}}]}},
             {"record":{"finishOnKey":"#","timeout":3,"maxLength":120,"playBeep":false}},
             {"redirect":{"url":"https://app.example/step?n=2&lang=sw"}}]}
            """#
        ),
        (
            "<Response><Say loop=\"3\">Hi</Say><GetDigits finishOnKey=\"\"><Say>Any key</Say></GetDigits><Record/><Redirect>menu</Redirect></Response>",
            "<Response><Say loop=\"3\">Hi</Say><Gather finishOnKey=\"\"><Say>Any key</Say></Gather><Record/><Redirect>menu</Redirect></Response>",
            #"{"actions":[{"say":{"text":"Hi","loop":3}},{"getDigits":{"finishOnKey":"","nested":{"say":{"text":"Any key"}}}},{"record":{}},{"redirect":{"url":"menu"}}]}"#
        ),
    ]

    @Test(arguments: 0..<3)
    func sameFlowInThreeFormats(index: Int) throws {
        let (atText, twimlText, jsonText) = Self.flows[index]
        let at = try decode(atText, "application/xml")
        let twiml = try decode(twimlText, nil)
        let json = try decode(jsonText, "application/json")
        #expect(at.map(\.verb) == ["say", "getDigits", "record", "redirect"])
        #expect(at == json)
        #expect(twiml == json)
        let dialects = try [atText, twimlText].map { text throws(DocumentError) in try XMLDocument.dialect(of: XMLTree.parse(Array(text.utf8))) }
        #expect(dialects == [.africasTalking, .twiml])
    }

    @Test func firstFlowHasTheExpectedValues() throws {
        let actions = try decode(Self.flows[0].0, nil)
        var g = VoiceAction.GetDigits()
        g.numDigits = 4
        g.timeout = 10
        g.callbackURL = "https://app.example/pin"
        g.nested = [.say(.init(text: "Enter your PIN"))]
        var r = VoiceAction.Record()
        r.action = "https://app.example/voicemail"
        r.maxLength = 60
        #expect(actions == [.say(.init(text: "Welcome to Sauti Bank")), .getDigits(g), .record(r), .redirect(.init(url: "/next"))])
    }
}
