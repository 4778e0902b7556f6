// The (language, voice) -> espeak voice mapping, tested without the engine.

import Testing
@testable import Speech

@Suite struct EspeakVoiceTests {
    @Test(arguments: [
        ("en-KE", "en-gb"), ("en-ke", "en-gb"), ("EN-KE", "en-gb"), ("en", "en-gb"), ("en-GB", "en-gb"),
        ("en-US", "en-us"), ("en_US", "en-us"), ("en-029", "en-029"), ("en-NG", "en-gb"), ("en-TZ", "en-gb"),
        ("sw-KE", "sw"), ("sw-TZ", "sw"), ("sw", "sw"),
        ("fr-FR", "fr-fr"), ("fr", "fr-fr"), ("fr-BE", "fr-be"), ("fr-CH", "fr-ch"), ("fr-SN", "fr-fr"),
        ("pt-BR", "pt-br"), ("pt-MZ", "pt"), ("es-419", "es-419"), ("es-MX", "es-419"), ("es-ES", "es"),
        ("ar-EG", "ar"), ("am-ET", "am"), ("om", "om"), ("de-DE", "de"),
        ("zh-CN", "cmn"), ("zh-Hans-CN", "cmn"), ("zh-HK", "yue"), ("zh-Hant-HK", "yue"),
        ("en-Latn-US", "en-us"), ("en-US-x-private", "en-us"),
    ])
    func languageMapsToEspeakVoice(tag: String, expected: String) throws {
        let voice = try EspeakVoice.resolve(language: tag, voice: "woman")
        #expect(voice.language == expected)
    }

    @Test(arguments: ["xx-YY", "klingon", "", "-", "en-", "e", "en US", "en-KE;drop", "sw-KE\u{0}",
                      "1234", "ñe-ES", String(repeating: "a", count: 36), "so-SO", "zu-ZA"])
    func unsupportedOrMalformedLanguageIsTypedError(tag: String) {
        #expect(throws: SpeechError(code: .languageUnsupported, message: "language '\(tag.prefix(40))' is not supported")) {
            try EspeakVoice.resolve(language: tag, voice: "woman")
        }
    }

    @Test func errorCodeIsStable() {
        do {
            _ = try EspeakVoice.resolve(language: "tlh", voice: "man")
            Issue.record("expected an error")
        } catch {
            #expect(error.code.rawValue == "tts.language_unsupported")
        }
    }

    @Test func voiceNamesMapToVariants() throws {
        let installed = ["Annie", "f3", "m3", "klatt", "Mr serious", "whisper"]
        func variant(_ v: String) throws -> String? {
            try EspeakVoice.resolve(language: "en-KE", voice: v, variants: installed).variant
        }
        #expect(try variant("woman") == "f3")
        #expect(try variant("Woman ") == "f3")
        #expect(try variant("female") == "f3")
        #expect(try variant("") == "f3")
        #expect(try variant("man") == "m3")
        #expect(try variant("MALE") == "m3")
        #expect(try variant("annie") == "Annie")          // exact file name, any case
        #expect(try variant("mr serious") == "Mr serious")
        #expect(try variant("whisper") == "whisper")
        // Unknown voices (TwiML "alice", Polly names, path tricks) fall back to woman.
        #expect(try variant("alice") == "f3")
        #expect(try variant("Polly.Joanna") == "f3")
        #expect(try variant("../../etc/passwd") == "f3")
        #expect(try variant("f3+m3") == "f3")
        // Not installed here -> not accepted.
        #expect(try EspeakVoice.resolve(language: "en", voice: "Annie", variants: []).variant == "f3")
    }

    @Test func nameJoinsLanguageAndVariant() throws {
        #expect(try EspeakVoice.resolve(language: "sw-KE", voice: "man").name == "sw+m3")
        #expect(try EspeakVoice.resolve(language: "en-KE", voice: "woman").name == "en-gb+f3")
        #expect(EspeakVoice(language: "fr-fr", variant: nil).name == "fr-fr")
    }

    @Test func parseTagFindsPrimaryAndRegion() throws {
        let a = try #require(EspeakVoice.parseTag("zh-yue-HK"))
        #expect(a.primary == "zh" && a.region == "hk")
        let b = try #require(EspeakVoice.parseTag("sr-Latn-RS"))
        #expect(b.primary == "sr" && b.region == "rs")
        let c = try #require(EspeakVoice.parseTag("es-419"))
        #expect(c.primary == "es" && c.region == "419")
        let d = try #require(EspeakVoice.parseTag("sw"))
        #expect(d.primary == "sw" && d.region == nil)
        let e = try #require(EspeakVoice.parseTag("en-fonipa-US"))  // variant before region: no region
        #expect(e.primary == "en" && e.region == nil)
        #expect(EspeakVoice.parseTag("en--US") == nil)
        #expect(EspeakVoice.parseTag("toolongsubtag-US") == nil)
    }
}
