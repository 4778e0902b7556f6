/// The Africa's Talking XML dialect (voice-actions.md §5): `<Response>` holding Say, Play,
/// GetDigits, Dial, Record, Conference, Redirect, Reject (and Hangup). Elements both dialects
/// share are mapped by `XMLVerbs` / `XMLDial`; this file adds the AT-only ones.
enum ATDialect {
    /// The verbs an AT document may hold, for messages.
    static let verbs = "Say, Play, GetDigits, Dial, Record, Conference, Redirect, Reject or Hangup"

    /// The actions of one child of `<Response>`; nil when the element is no AT verb.
    static func actions(_ e: XMLElement, path: String) throws(DocumentError) -> [VoiceAction]? {
        switch e.name {
        case "Say": return [.say(try XMLVerbs.say(e, path: path))]
        case "Play": return [.play(try XMLVerbs.play(e, path: path))]
        case "GetDigits": return [.getDigits(try getDigits(e, path: path))]
        case "Dial": return [try XMLDial.dial(e, path: path)]
        case "Record": return try XMLVerbs.record(e, path: path)
        case "Conference": return [.conference(try conference(e, path: path))]
        case "Redirect": return [.redirect(try XMLVerbs.redirect(e, path: path))]
        case "Reject": return [.reject(try XMLVerbs.reject(e, path: path))]
        case "Hangup": return [try XMLVerbs.hangup(e, path: path)]
        default: return nil
        }
    }

    /// `<GetDigits timeout numDigits finishOnKey callbackUrl>` with nested Say/Play only.
    static func getDigits(_ e: XMLElement, path: String) throws(DocumentError) -> VoiceAction.GetDigits {
        var f = XMLFields(e, path: path)
        var g = VoiceAction.GetDigits()
        if let t = try f.int("timeout", 1...120) { g.timeout = t }
        if let n = try f.int("numDigits", 0...64) { g.numDigits = n }
        if let k = try f.key("finishOnKey") { g.finishOnKey = k }
        g.callbackURL = try f.url("callbackUrl", relative: true)
        try f.finish("GetDigits")
        try f.noText(elements: true)
        g.nested = try XMLVerbs.prompts(in: e, path: path, allowPause: false)
        return g
    }

    /// `<Conference>room</Conference>` or `<Conference name="room"/>`. Besides the name it
    /// takes the JSON `conference` fields as attributes (same names, same defaults), so a
    /// Sautikit app can say in XML everything it can say in JSON.
    static func conference(_ e: XMLElement, path: String) throws(DocumentError) -> VoiceAction.Conference {
        var f = XMLFields(e, path: path)
        let attribute = try f.string("name", maxLength: 128)
        let text = try f.text(required: false, maxLength: 128, what: "the room name")
        let name: String
        switch (attribute, text) {
        case (let a?, nil) where !a.isEmpty: name = a
        case (nil, let t?): name = t
        case (_?, _?): throw DocumentError(path, "give the room name as name=\"…\" or as the text, not both")
        default: throw DocumentError(path, "the room name is required, as name=\"…\" or as the text")
        }
        var c = VoiceAction.Conference(name: name)
        c.maxParticipants = try f.int("maxParticipants", 2...250)
        if let b = try f.bool("record") { c.record = b }
        if let b = try f.bool("beep") { c.beep = b }
        if let b = try f.bool("muted") { c.muted = b }
        if let b = try f.bool("startOnEnter") { c.startOnEnter = b }
        if let b = try f.bool("endOnExit") { c.endOnExit = b }
        c.waitURL = try f.url("waitUrl", relative: true)
        c.statusEventsCallbackURL = try f.url("statusEventsCallbackUrl")
        if let s = f.raw("statusEvents") {
            c.statusEvents = try XMLVerbs.words(s, path: f.at("statusEvents"), allowed: ["start", "end", "join", "leave", "mute"])
        }
        if let b = try f.bool("collectDigits") { c.collectDigits = b }
        if let k = try f.key("finishOnKey") { c.finishOnKey = k }
        c.numDigits = try f.int("numDigits", 0...64)
        c.digitsCallbackURL = try f.url("digitsCallbackUrl", relative: true)
        if let fl = f.raw("flags") { c.flags = fl.split(separator: ",").map { XMLFields.trimmed(String($0)) } }
        try f.finish("Conference")
        return c
    }
}
