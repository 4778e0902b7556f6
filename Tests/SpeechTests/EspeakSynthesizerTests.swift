// Real synthesis with libespeak-ng (installed from Debian's libespeak-ng-dev / espeak-ng-data).

import Testing
@testable import Speech

@Suite struct EspeakSynthesizerTests {
    let tts = EspeakSynthesizer()

    /// Checks the audio is speech-like: plausible length, mostly voiced, real energy.
    func expectPlausibleSpeech(_ speech: SynthesizedSpeech) {
        let m = AudioMeasures(speech)
        #expect(speech.sampleRate == 22050)
        #expect(m.seconds >= 0.5 && m.seconds <= 5, "duration \(m.seconds) s")
        #expect(m.voicedFraction > 0.5, "voiced fraction \(m.voicedFraction)")
        // Silence is 0; speech at espeak's default volume has a voiced RMS in the thousands.
        #expect(m.voicedRMS > 1000, "voiced RMS \(m.voicedRMS)")
    }

    @Test func engineIsReady() {
        #expect(tts.sampleRate == 22050)
        #expect(tts.engineID.hasPrefix("espeak-ng/1."))
        #expect(tts.variants.contains("f3") && tts.variants.contains("m3"))
    }

    @Test func everyMappedLanguageHasAnInstalledVoice() {
        // Guards the table against espeak-ng-data renames: each target must be a real voice.
        let files = EspeakEngine.shared.voiceFiles
        for (primary, entry) in EspeakVoice.languages {
            for voice in [entry.voice] + Array(entry.regions.values) {
                #expect(files[voice] != nil, "\(primary) -> \(voice) has no voice file")
            }
        }
        #expect(files["en-gb"] == "gmw/en")
        #expect(files["sw"] == "bnt/sw")
    }

    @Test func englishWelcome() async throws {
        let speech = try await tts.synthesize(SpeechRequest(text: "Welcome to SautiPBX", language: "en-KE"))
        expectPlausibleSpeech(speech)
    }

    @Test func swahiliKaribu() async throws {
        let swahili = try await tts.synthesize(SpeechRequest(text: "Karibu, bonyeza moja", language: "sw-KE"))
        expectPlausibleSpeech(swahili)
        let english = try await tts.synthesize(SpeechRequest(text: "Welcome to SautiPBX", language: "en-KE"))
        // The two texts differ in length by well over espeak's run-to-run jitter.
        #expect(!similarLength(swahili, english, tolerance: 0.05))
    }

    /// True if two renderings have lengths within `tolerance` plus 100 ms. espeak-ng is not
    /// bit-exact across calls in one process: it carries wave-generator state over, and a
    /// rendering may end ~49 ms (1081 samples) later depending on what was said before.
    func similarLength(_ a: SynthesizedSpeech, _ b: SynthesizedSpeech, tolerance: Double = 0.02) -> Bool {
        let (x, y) = (Double(a.samples.count), Double(b.samples.count))
        return abs(x - y) <= tolerance * max(x, y) + 2205
    }

    @Test func sameRequestRendersAlike() async throws {
        let r = SpeechRequest(text: "Press two for billing", language: "en-US")
        let a = try await tts.synthesize(r)
        let b = try await tts.synthesize(r)
        #expect(similarLength(a, b), "\(a.samples.count) vs \(b.samples.count)")
    }

    @Test func womanAndManDiffer() async throws {
        let text = "Karibu, bonyeza moja"
        let woman = try await tts.synthesize(SpeechRequest(text: text, voice: "woman", language: "sw-KE"))
        let man = try await tts.synthesize(SpeechRequest(text: text, voice: "man", language: "sw-KE"))
        // f3 is pitched around 140-240 Hz, m3 around 80-122 Hz.
        let womanPitch = try #require(AudioMeasures.medianPitch(woman))
        let manPitch = try #require(AudioMeasures.medianPitch(man))
        #expect(womanPitch > 1.4 * manPitch, "woman \(womanPitch) Hz, man \(manPitch) Hz")
        #expect(manPitch > 70 && manPitch < 140)
    }

    @Test func englishVariantsSynthesize() async throws {
        for tag in ["en-US", "en-GB", "en-NG"] {
            let speech = try await tts.synthesize(SpeechRequest(text: "Please leave a message", language: tag))
            expectPlausibleSpeech(speech)
        }
    }

    @Test func namedVariantIsAccepted() async throws {
        let text = "Welcome to SautiPBX"
        let variant = try #require(tts.variants.first { $0 == "klatt" } ?? tts.variants.first { $0 != "f3" })
        let named = try await tts.synthesize(SpeechRequest(text: text, voice: variant))
        let woman = try await tts.synthesize(SpeechRequest(text: text, voice: "woman"))
        expectPlausibleSpeech(named)
        // klatt is a different synthesiser voice: its pitch track differs from f3's.
        let namedPitch = try #require(AudioMeasures.medianPitch(named))
        let womanPitch = try #require(AudioMeasures.medianPitch(woman))
        #expect(abs(namedPitch - womanPitch) > 20, "\(variant) \(namedPitch) Hz, woman \(womanPitch) Hz")
    }

    @Test func frenchAndOtherLanguagesWork() async throws {
        let speech = try await tts.synthesize(SpeechRequest(text: "Bienvenue chez SautiPBX", language: "fr-FR"))
        expectPlausibleSpeech(speech)
    }

    @Test func unknownLanguageIsTypedError() async {
        do {
            _ = try await tts.synthesize(SpeechRequest(text: "Hello", language: "xx-YY"))
            Issue.record("expected tts.language_unsupported")
        } catch {
            #expect(error.code == .languageUnsupported)
        }
    }

    @Test func tooLongTextIsTypedError() async {
        do {
            _ = try await tts.synthesize(SpeechRequest(text: String(repeating: "a", count: 4001)))
            Issue.record("expected tts.text_too_long")
        } catch {
            #expect(error.code == .textTooLong)
        }
    }

    @Test func markupAndNulAreReadAsPlainText() async throws {
        // Markup is not interpreted (SSML off): the tags are read as text, so audio results.
        let markup = try await tts.synthesize(SpeechRequest(text: "<speak>hello</speak>"))
        #expect(!markup.samples.isEmpty)
        // An embedded NUL does not cut the text short.
        let cut = try await tts.synthesize(SpeechRequest(text: "one\u{0}two three four five six"))
        let one = try await tts.synthesize(SpeechRequest(text: "one"))
        #expect(AudioMeasures(cut).seconds > 2 * AudioMeasures(one).seconds)
    }

    @Test func outputIsCappedAtMaxDuration() async throws {
        let short = EspeakSynthesizer(maxDurationSeconds: 1)
        let text = String(repeating: "This sentence is repeated to make long audio. ", count: 10)
        let speech = try await short.synthesize(SpeechRequest(text: text))
        #expect(speech.samples.count == 22050)
        // The engine stays usable after an aborted job.
        let next = try await short.synthesize(SpeechRequest(text: "Welcome to SautiPBX"))
        expectPlausibleSpeech(next)
    }

    @Test func cancelledTaskFailsWithEngineFailed() async throws {
        let tts = tts
        let outcome = await Task { () -> SpeechError? in
            withUnsafeCurrentTask { $0?.cancel() }  // cancelled before the job runs
            do throws(SpeechError) {
                _ = try await tts.synthesize(SpeechRequest(text: "Welcome to SautiPBX"))
                return nil
            } catch {
                return error
            }
        }.value
        #expect(outcome?.code == .engineFailed)
        // The engine still works for everyone else.
        expectPlausibleSpeech(try await tts.synthesize(SpeechRequest(text: "Welcome to SautiPBX")))
    }

    @Test func concurrentRequestsAreSerialisedSafely() async throws {
        // Lengths far apart, so a mixed-up result would show.
        let texts = ["Karibu", "Welcome to the SautiPBX customer line, we value your call",
                     "Bonyeza moja kwa mauzo, bonyeza mbili kwa malipo, bonyeza tatu kwa msaada",
                     "Press one", "Asante sana kwa kupiga simu", "Thank you"]
        @Sendable func request(_ i: Int, _ text: String) -> SpeechRequest {
            SpeechRequest(text: text, voice: i % 3 == 0 ? "man" : "woman", language: i % 2 == 0 ? "sw-KE" : "en-KE")
        }
        let expected = try await withThrowingTaskGroup(of: (Int, SynthesizedSpeech).self) { group in
            for (i, text) in texts.enumerated() {
                group.addTask { (i, try await tts.synthesize(request(i, text))) }
            }
            var out: [Int: SynthesizedSpeech] = [:]
            for try await (i, s) in group { out[i] = s }
            return out
        }
        // Each concurrent result equals the same request rendered alone (no mixed-up state).
        for (i, text) in texts.enumerated() {
            let alone = try await tts.synthesize(request(i, text))
            let got = try #require(expected[i])
            #expect(similarLength(got, alone), "request \(i): \(got.samples.count) vs \(alone.samples.count)")
        }
    }
}
