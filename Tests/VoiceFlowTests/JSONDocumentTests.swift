import PBXTestSupport
import Testing
import VoiceFlow

/// voice-actions.md §2-§3: strict JSON documents, errors that name the path, defaults.
@Suite struct JSONDocumentTests {
    func decode(_ text: String) throws(DocumentError) -> [VoiceAction] { try JSONDocument.decode(Array(text.utf8)) }

    func error(_ text: String) -> String? {
        do { _ = try decode(text); return nil } catch { return error.description }
    }

    @Test func everyVerbWithItsDefaults() throws {
        let actions = try decode("""
        {"actions": [
          {"say": {"text": "Karibu", "language": "sw-KE"}},
          {"play": {"url": "https://cdn.example/a.wav", "loop": 2}},
          {"getDigits": {"numDigits": 4, "nested": [{"say": {"text": "Enter PIN"}}]}},
          {"dial": {"numbers": ["+254711000001", "+254711000002"], "sequential": true}},
          {"conference": {"name": "room-1", "beep": true}},
          {"record": {"maxLength": 60, "finishOnKey": ""}},
          {"redirect": {"url": "next"}},
          {"reject": {"reason": "busy"}},
          {"hangup": {}},
          {"stream": {"url": "wss://media.example/s"}}
        ]}
        """)
        #expect(actions.map(\.verb) == ["say", "play", "getDigits", "dial", "conference", "record", "redirect", "reject", "hangup", "stream"])
        #expect(actions[0] == .say(.init(text: "Karibu", voice: "woman", language: "sw-KE", loop: 1)))
        guard case .getDigits(let g) = actions[2] else { Issue.record("not getDigits"); return }
        #expect(g.timeout == 5 && g.numDigits == 4 && g.finishOnKey == "#" && g.nested == [.say(.init(text: "Enter PIN"))])
        guard case .dial(let d) = actions[3] else { Issue.record("not dial"); return }
        #expect(d.target == .numbers(["+254711000001", "+254711000002"]) && d.timeout == 30 && d.sequential)
        guard case .record(let r) = actions[5] else { Issue.record("not record"); return }
        #expect(r.finishOnKey == nil && r.maxLength == 60 && r.timeout == 5 && r.playBeep && r.method == "POST")
        #expect(actions[6] == .redirect(.init(url: "next")))
        guard case .reject(let rej) = actions[7] else { Issue.record("not reject"); return }
        #expect(rej.sipStatus == 486)
    }

    @Test(arguments: [
        (#"{"actions":[{"getDigits":{"nested":[{"dial":{"number":"+254711000001"}}]}}]}"#,
         "actions[0].getDigits.nested[0]: only say and play are allowed here"),
        (#"{"actions":[{"say":{"text":"hi","volume":3}}]}"#, "actions[0].say.volume: unknown field of say; allowed: language, loop, text, voice"),
        (#"{"actions":[{"speak":{"text":"hi"}}]}"#, "actions[0].speak: unknown verb; use say, play, getDigits, dial, conference, record, redirect, reject, hangup or stream"),
        (#"{"actions":[{"say":{"text":"a"},"play":{"url":"https://x/a.wav"}}]}"#, "actions[0]: exactly one verb per action, got play, say"),
        (#"{"actions":[{"dial":{"number":"+254711000001","sip":"sip:a@b.c"}}]}"#, "actions[0].dial: exactly one of number, numbers or sip"),
        (#"{"actions":[{"dial":{}}]}"#, "actions[0].dial: exactly one of number, numbers or sip"),
        (#"{"actions":[{"say":{}}]}"#, "actions[0].say.text: is required"),
        (#"{"actions":[{"getDigits":{"timeout":"soon"}}]}"#, "actions[0].getDigits.timeout: expected a whole number, got a string"),
        ("{\"actions\":[{\"getDigits\":{\"finishOnKey\":\"##\"}}]}", "actions[0].getDigits.finishOnKey: one key of 0-9, *, #, A-D, or \"\" for none"),
        (#"{"actions":[{"play":{"url":"ftp://x/a.wav"}}]}"#, "actions[0].play.url: an absolute http or https URL"),
        (#"{"actions":[{"reject":{"reason":"later"}}]}"#, "actions[0].reject.reason: rejected or busy"),
        (#"{"acts":[]}"#, "actions: is required"),
        (#"{"actions":{}}"#, "actions: expected an array, got an object"),
        ("not json", "document: not valid JSON"),
    ] as [(String, String)])
    func errorsNameThePath(document: String, message: String) {
        #expect(error(document) == message)
    }

    @Test func limits() throws {
        let fifty = "{\"actions\":[" + Array(repeating: #"{"hangup":{}}"#, count: 50).joined(separator: ",") + "]}"
        #expect(try decode(fifty).count == 50)
        let fiftyOne = "{\"actions\":[" + Array(repeating: #"{"hangup":{}}"#, count: 51).joined(separator: ",") + "]}"
        #expect(error(fiftyOne) == "actions: 51 actions; at most 50")
        let big = #"{"actions":[{"say":{"text":""# + String(repeating: "a", count: 70_000) + #""}}]}"#
        #expect(error(big) == "document: larger than 64 KiB")
        let long = #"{"actions":[{"say":{"text":""# + String(repeating: "a", count: 4001) + #""}}]}"#
        #expect(error(long) == "actions[0].say.text: at most 4000 characters")
    }

    @Test func hostileInputNeverCrashes() {
        var rng = SplitMix64(seed: 4733)  // deterministic: a failure replays
        let pieces = ["{", "}", "[", "]", "\"actions\"", ":", ",", "\"say\"", "\"text\"", "null", "1e999", "-0", "\"\\u0000\"", "true", "{\"hangup\":{}}"]
        for _ in 0..<2_000 {
            let doc = (0..<Int.random(in: 1...30, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            _ = error(doc)  // any answer is fine; it must not trap
        }
        let deep = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        #expect(error(#"{"actions":"# + deep + "}") != nil)
    }
}
