/// The built-in demo voice app (numbers routed `app:demo`, +254700000001 in the default
/// config): served on the admin listener like any developer's app, so `make run` plus a
/// SIP phone shows the whole product — callbacks, speech in English and Swahili, a menu
/// with getDigits, and a recording played back. Public: it holds no data.
extension AdminAPI {
    /// Where the demo app's first document lives, relative to the admin base URL.
    public static let demoPath = "/demo/voice"

    static let demoRoutes: [Route] = ["POST", "GET"].flatMap { method in
        [Route(method, demoPath, scope: nil) { _, _ in demoDocument(Demo.welcome) },
         Route(method, demoPath + "/:step", scope: nil) { _, ctx in
             let form = formFields(ctx.request)
             switch ctx.params["step"] ?? "" {
             case "menu": return demoDocument(Demo.menu(digits: form["Digits"] ?? ""))
             case "recorded": return demoDocument(Demo.recorded(url: form["RecordingUrl"], seconds: form["RecordingDurationSeconds"]))
             default: throw APIError(404, "not_found", "no such demo step")
             }
         }]
    }

    static func demoDocument(_ actions: [JSONValue]) -> APIResponse {
        .json(200, JSONWriter.object([("actions", .array(actions))]))
    }

    /// The callback's form fields: the application/x-www-form-urlencoded body, read like a
    /// query string once "+" is a space (WHATWG urlencoded; a literal "+" arrives as %2B), or
    /// the query itself for GET.
    static func formFields(_ r: APIRequest) -> [String: String] {
        guard !r.body.isEmpty else { return r.query }
        let text = String(decoding: r.body.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
        return APIRequest.split(target: "?" + text).query
    }
}

/// The demo's documents (voice-actions.md JSON).
enum Demo {
    static func say(_ text: String, _ language: String = "en-KE") -> JSONValue {
        .object([("say", .object([("text", .string(text)), ("language", .string(language))]))])
    }

    static func menuPrompt(swahili: Bool) -> JSONValue {
        let prompt = swahili
            ? say("Bonyeza moja kurekodi ujumbe na kuusikiliza. Bonyeza tatu kumaliza simu.", "sw-KE")
            : say("Press 1 to record a message and hear it played back. Press 2 for Swahili. Press 3 to end the call.")
        return .object([("getDigits", .object([
            ("numDigits", .int(1)), ("timeout", .int(8)), ("callbackUrl", .string(AdminAPI.demoPath + "/menu")),
            ("nested", .array([prompt])),
        ]))])
    }

    static let welcome: [JSONValue] = [
        say("Welcome to Sauti P B X, the voice engine for Africa."),
        say("Karibu Sauti P B X.", "sw-KE"),
        menuPrompt(swahili: false),
        say("We did not get your choice. Goodbye."),
        .object([("hangup", .object([]))]),
    ]

    static func menu(digits: String) -> [JSONValue] {
        switch digits {
        case "1":
            return [say("After the beep, say something, then press the hash key."),
                    .object([("record", .object([
                        ("action", .string(AdminAPI.demoPath + "/recorded")), ("timeout", .int(3)),
                        ("maxLength", .int(30)), ("finishOnKey", .string("#")),
                    ]))])]
        case "2":
            return [menuPrompt(swahili: true), say("Kwaheri.", "sw-KE"), .object([("hangup", .object([]))])]
        case "3":
            return [say("Goodbye."), say("Kwaheri.", "sw-KE"), .object([("hangup", .object([]))])]
        default:
            return [say("Sorry, that is not on the menu."), .object([("redirect", .object([("url", .string(AdminAPI.demoPath))]))])]
        }
    }

    static func recorded(url: String?, seconds: String?) -> [JSONValue] {
        guard let url, !url.isEmpty, let s = Int(seconds ?? ""), s > 0 else {
            return [say("Nothing was recorded."), .object([("redirect", .object([("url", .string(AdminAPI.demoPath))]))])]
        }
        return [say("Here is what you said."),
                .object([("play", .object([("url", .string(url))]))]),
                say("Thank you for trying Sauti P B X. Goodbye."),
                .object([("hangup", .object([]))])]
    }
}
