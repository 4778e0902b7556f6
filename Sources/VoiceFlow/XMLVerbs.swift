/// The verbs both XML dialects share (voice-actions.md §5): Say, Play, Dial, Record,
/// Redirect, Reject, Hangup, and the prompts of GetDigits/Gather. Each accepts the union of
/// the Africa's Talking and TwiML attributes where they do not conflict (`<Play url=…/>` or
/// `<Play>url</Play>`), fills in the same §3 defaults and limits as `JSONDocument`, and
/// refuses anything else with the element's path.
enum XMLVerbs {
    static func say(_ e: XMLElement, path: String) throws(DocumentError) -> VoiceAction.Say {
        var f = XMLFields(e, path: path)
        var s = VoiceAction.Say(text: try f.text(required: true, maxLength: DocumentLimits.maxSayCharacters,
                                                  what: "the text to speak", hint: "; SSML is not supported") ?? "")
        if let v = try f.string("voice", maxLength: 64) { s.voice = v }
        if let l = try f.string("language", maxLength: 35) { s.language = l }
        if let n = try f.int("loop", 0...100) { s.loop = max(1, n) }
        _ = try f.bool("playBeep")  // Africa's Talking: accepted, no effect on speech
        try f.finish("Say")
        return s
    }

    /// AT `<Play url="…"/>` or TwiML `<Play>…</Play>`: exactly one of the two.
    static func play(_ e: XMLElement, path: String) throws(DocumentError) -> VoiceAction.Play {
        var f = XMLFields(e, path: path)
        let attribute = try f.string("url")
        let text = try f.text(required: false, what: "the audio URL")
        let url: String
        switch (attribute, text) {
        case (let a?, nil): url = try XMLFields.url(a, path: f.at("url"), relative: false)
        case (nil, let t?): url = try XMLFields.url(t, path: path, relative: false)
        case (nil, nil): throw DocumentError(path, "the audio URL is required, as url=\"…\" or as the text")
        case (_?, _?): throw DocumentError(path, "give the audio URL as url=\"…\" or as the text, not both")
        }
        var p = VoiceAction.Play(url: url)
        if let n = try f.int("loop", 0...100) { p.loop = max(1, n) }
        try f.finish("Play")
        return p
    }

    /// A prompt inside GetDigits / Gather (and before an AT Record). TwiML's `<Pause>` is
    /// validated and dropped when `allowPause`: the prompt model has no silence, and a short
    /// gap in a prompt the caller can barge into is not worth refusing a working document.
    static func prompt(_ e: XMLElement, path: String, allowPause: Bool) throws(DocumentError) -> VoiceAction.Prompt? {
        switch e.name {
        case "Say": return .say(try say(e, path: path))
        case "Play": return .play(try play(e, path: path))
        case "Pause" where allowPause:
            _ = try pause(e, path: path)
            return nil
        default:
            throw DocumentError(path, allowPause ? "only Say, Play and Pause are allowed here" : "only Say and Play are allowed here")
        }
    }

    /// The prompts nested in `e`, in order.
    static func prompts(in e: XMLElement, path: String, allowPause: Bool) throws(DocumentError) -> [VoiceAction.Prompt] {
        let children = e.elements(under: path)
        guard children.count <= DocumentLimits.maxActions else {
            throw DocumentError(path, "at most \(DocumentLimits.maxActions) prompts")
        }
        var out: [VoiceAction.Prompt] = []
        for child in children {
            if let p = try prompt(child.element, path: child.path, allowPause: allowPause) { out.append(p) }
        }
        return out
    }

    /// AT `Record` (`callbackUrl`, `trimSilence`, nested Say/Play prompts) and TwiML `Record`
    /// (`action`, `method`, `trim`, `transcribe`). AT prompts become say/play actions placed
    /// BEFORE the record action: the caller hears them, then the beep, as on AT.
    static func record(_ e: XMLElement, path: String) throws(DocumentError) -> [VoiceAction] {
        var f = XMLFields(e, path: path)
        var r = VoiceAction.Record()
        let action = try f.url("action", relative: true)
        let callback = try f.url("callbackUrl", relative: true)
        if action != nil && callback != nil {
            throw DocumentError(path, "action (TwiML) or callbackUrl (Africa's Talking), not both")
        }
        r.action = action ?? callback
        r.method = try f.method()
        if let t = try f.int("timeout", 1...600) { r.timeout = t }
        if let m = try f.int("maxLength", 1...14_400) { r.maxLength = m }
        // TwiML's default finishOnKey is every key; that is the model's nil ("any key").
        if let k = try f.key("finishOnKey", anyKeySet: true) { r.finishOnKey = k }
        if let b = try f.bool("playBeep") { r.playBeep = b }
        if let b = try f.bool("transcribe") { r.transcribe = b }
        if let u = try f.string("transcribeCallback") { r.transcribeCallback = try XMLFields.url(u, path: f.at("transcribeCallback"), relative: false) }
        _ = try f.bool("trimSilence")  // AT: accepted; recordings are not trimmed
        if let t = f.raw("trim"), t != "trim-silence" && t != "do-not-trim" {
            throw DocumentError(f.at("trim"), "trim-silence or do-not-trim")
        }
        try f.finish("Record")
        try f.noText(elements: true)
        var out: [VoiceAction] = []
        for p in try prompts(in: e, path: path, allowPause: false) {
            switch p {
            case .say(let s): out.append(.say(s))
            case .play(let pl): out.append(.play(pl))
            }
        }
        out.append(.record(r))
        return out
    }

    /// `<Redirect method="…">url</Redirect>`; the URL may be relative.
    static func redirect(_ e: XMLElement, path: String) throws(DocumentError) -> VoiceAction.Redirect {
        var f = XMLFields(e, path: path)
        let text = try f.text(required: true, what: "the URL to fetch next") ?? ""
        let url = try XMLFields.url(text, path: path, relative: true)
        let method = try f.method()
        try f.finish("Redirect")
        return .init(url: url, method: method)
    }

    /// AT `<Reject/>` (no reason: rejected) or TwiML `<Reject reason="busy"/>`.
    static func reject(_ e: XMLElement, path: String) throws(DocumentError) -> VoiceAction.Reject {
        var f = XMLFields(e, path: path)
        var r = VoiceAction.Reject()
        if let s = f.raw("reason") {
            guard let reason = VoiceAction.Reject.Reason(rawValue: s) else { throw DocumentError(f.at("reason"), "rejected or busy") }
            r.reason = reason
        }
        try f.finish("Reject")
        try f.noText(elements: false)
        return r
    }

    static func hangup(_ e: XMLElement, path: String) throws(DocumentError) -> VoiceAction {
        let f = XMLFields(e, path: path)
        try f.finish("Hangup")
        try f.noText(elements: false)
        return .hangup
    }

    /// TwiML `<Pause length="n"/>`: seconds of silence, default 1.
    static func pause(_ e: XMLElement, path: String) throws(DocumentError) -> Int {
        var f = XMLFields(e, path: path)
        let length = try f.int("length", 1...600) ?? 1
        try f.finish("Pause")
        try f.noText(elements: false)
        return length
    }

    /// A comma list or space list of event names from `allowed`.
    static func words(_ s: String, path: String, allowed: [String]) throws(DocumentError) -> [String] {
        let words = s.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        for w in words where !allowed.contains(w) {
            throw DocumentError(path, "\"\(w.prefix(20))\" is not one of \(allowed.joined(separator: ", "))")
        }
        return words
    }
}
