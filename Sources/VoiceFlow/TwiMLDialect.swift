/// The TwiML dialect (voice-actions.md §5): `<Response>` holding Say, Play, Gather, Dial,
/// Record, Redirect, Reject, Hangup, Pause. Elements both dialects share are mapped by
/// `XMLVerbs` / `XMLDial`; this file adds the TwiML-only ones.
enum TwiMLDialect {
    /// The verbs a TwiML document may hold, for messages.
    static let verbs = "Say, Play, Gather, Dial, Record, Redirect, Reject, Hangup or Pause"

    /// The actions of one child of `<Response>`; nil when the element is no TwiML verb.
    static func actions(_ e: XMLElement, path: String) throws(DocumentError) -> [VoiceAction]? {
        switch e.name {
        case "Say": return [.say(try XMLVerbs.say(e, path: path))]
        case "Play": return [.play(try XMLVerbs.play(e, path: path))]
        case "Gather": return [.getDigits(try gather(e, path: path))]
        case "Dial": return [try XMLDial.dial(e, path: path)]
        case "Record": return try XMLVerbs.record(e, path: path)
        case "Redirect": return [.redirect(try XMLVerbs.redirect(e, path: path))]
        case "Reject": return [.reject(try XMLVerbs.reject(e, path: path))]
        case "Hangup": return [try XMLVerbs.hangup(e, path: path)]
        case "Pause": return [.pause(seconds: try XMLVerbs.pause(e, path: path))]
        case "Conference":
            throw DocumentError(path, "in TwiML a Conference goes inside Dial: <Dial><Conference>room</Conference></Dial>")
        default: return nil
        }
    }

    /// `<Gather action numDigits timeout finishOnKey>` with nested Say/Play (Pause dropped).
    /// Twilio's defaults (timeout 5, finishOnKey #, no digit limit) are the model's.
    static func gather(_ e: XMLElement, path: String) throws(DocumentError) -> VoiceAction.GetDigits {
        var f = XMLFields(e, path: path)
        var g = VoiceAction.GetDigits()
        if let t = try f.int("timeout", 1...120) { g.timeout = t }
        if let n = try f.int("numDigits", 0...64) { g.numDigits = n }
        if let k = try f.key("finishOnKey") { g.finishOnKey = k }
        g.callbackURL = try f.url("action", relative: true)
        // The digits are always POSTed; only DTMF is collected (no speech recognition).
        if let m = f.raw("method"), m.uppercased() != "POST" { throw DocumentError(f.at("method"), "only POST is supported here") }
        if let i = f.raw("input"), i != "dtmf" { throw DocumentError(f.at("input"), "only dtmf input is supported") }
        try f.finish("Gather")
        try f.noText(elements: true)
        g.nested = try XMLVerbs.prompts(in: e, path: path, allowPause: true)
        return g
    }

    /// `<Dial><Conference …>room</Conference></Dial>`, with Twilio's attribute names mapped
    /// onto the model: startConferenceOnEnter, endConferenceOnExit, statusCallback, ….
    static func conference(_ e: XMLElement, path: String) throws(DocumentError) -> VoiceAction.Conference {
        var f = XMLFields(e, path: path)
        var c = VoiceAction.Conference(name: try f.text(required: true, maxLength: 128, what: "the room name") ?? "")
        if let b = try f.bool("muted") { c.muted = b }
        if let b = f.raw("beep") {
            // onEnter / onExit beep on one of the two; the model has one switch for both.
            switch b {
            case "true", "onEnter", "onExit": c.beep = true
            case "false": c.beep = false
            default: throw DocumentError(f.at("beep"), "true, false, onEnter or onExit")
            }
        }
        if let b = try f.bool("startConferenceOnEnter") { c.startOnEnter = b }
        if let b = try f.bool("endConferenceOnExit") { c.endOnExit = b }
        c.maxParticipants = try f.int("maxParticipants", 2...250)
        // Twilio: an empty waitUrl means silence instead of hold music.
        if let w = f.raw("waitUrl"), !w.isEmpty { c.waitURL = try XMLFields.url(w, path: f.at("waitUrl"), relative: true) }
        if let r = f.raw("record") {
            switch r {
            case "record-from-start": c.record = true
            case "do-not-record": c.record = false
            default: throw DocumentError(f.at("record"), "record-from-start or do-not-record")
            }
        }
        c.statusEventsCallbackURL = try f.url("statusCallback")
        if let s = f.raw("statusCallbackEvent") {
            c.statusEvents = try XMLVerbs.words(s, path: f.at("statusCallbackEvent"), allowed: ["start", "end", "join", "leave", "mute"])
        }
        try f.finish("Conference")
        return c
    }
}
