// Engine-independent request limits.

import Testing
@testable import Speech

@Suite struct SpeechRequestTests {
    @Test func defaultsFollowTheSpec() {
        let r = SpeechRequest(text: "Hello")
        #expect(r.voice == "woman")
        #expect(r.language == "en-KE")
    }

    @Test func textOf4000CharactersIsAccepted() throws {
        try SpeechRequest(text: String(repeating: "a", count: 4000)).validate()
        // Characters, not bytes: 4000 Swahili/Amharic characters are fine.
        try SpeechRequest(text: String(repeating: "ሰ", count: 4000)).validate()
    }

    @Test func textOf4001CharactersIsRejected() {
        #expect(throws: SpeechError.self) { try SpeechRequest(text: String(repeating: "a", count: 4001)).validate() }
        do {
            try SpeechRequest(text: String(repeating: "b", count: 4001)).validate()
        } catch {
            #expect(error.code == .textTooLong)
            #expect(error.code.rawValue == "tts.text_too_long")
        }
    }

    @Test func hugeGraphemeClustersAreBoundedByBytes() {
        // One character made of 20,000 combining marks is still far too much text.
        let text = "a" + String(repeating: "\u{0301}", count: 20_000)
        #expect(text.count == 1)
        do {
            try SpeechRequest(text: text).validate()
            Issue.record("expected tts.text_too_long")
        } catch {
            #expect(error.code == .textTooLong)
        }
    }

    @Test(arguments: ["", " ", "\n\t  ", "\u{00A0}\u{2003}"])
    func blankTextIsEmpty(text: String) {
        do {
            try SpeechRequest(text: text).validate()
            Issue.record("expected tts.empty")
        } catch {
            #expect(error.code == .empty)
            #expect(error.code.rawValue == "tts.empty")
        }
    }

    @Test func durationIsComputedFromRate() {
        #expect(SynthesizedSpeech(samples: Array(repeating: 0, count: 22050), sampleRate: 22050).durationMs == 1000)
        #expect(SynthesizedSpeech(samples: [], sampleRate: 0).durationMs == 0)
    }
}
