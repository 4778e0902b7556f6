import Foundation

/// Decodes a JSON callback document `{"actions": [{<verb>: {...}}, ...]}` strictly
/// (voice-actions.md §2): at most 64 KiB and 50 actions, exactly one verb per action,
/// unknown verbs and unknown fields are errors, `getDigits.nested` holds only say and play,
/// `dial` has exactly one of number / numbers / sip. Defaults of §3 are filled in.
public enum JSONDocument {
    public static func decode(_ bytes: [UInt8]) throws(DocumentError) -> [VoiceAction] {
        guard bytes.count <= DocumentLimits.maxBytes else {
            throw DocumentError("document", "larger than \(DocumentLimits.maxBytes / 1024) KiB")
        }
        let tree: JSONTree
        do { tree = try JSONDecoder().decode(JSONTree.self, from: Data(bytes)) } catch {
            throw DocumentError("document", "not valid JSON")
        }
        var root = try JSONFields(tree, path: "document")
        guard let list = root.raw("actions") else { throw DocumentError("actions", "is required") }
        try root.finish(allowed: "the document")
        guard case .array(let items) = list else { throw DocumentError("actions", "expected an array, got \(list.kind)") }
        guard items.count <= DocumentLimits.maxActions else {
            throw DocumentError("actions", "\(items.count) actions; at most \(DocumentLimits.maxActions)")
        }
        var out: [VoiceAction] = []
        for (i, item) in items.enumerated() {
            out.append(try action(item, path: "actions[\(i)]"))
        }
        return out
    }

    static func action(_ item: JSONTree, path: String) throws(DocumentError) -> VoiceAction {
        guard case .object(let o) = item else { throw DocumentError(path, "expected an object with one verb, got \(item.kind)") }
        guard o.count == 1, let (verb, body) = o.first else {
            throw DocumentError(path, o.isEmpty ? "no verb" : "exactly one verb per action, got \(o.keys.sorted().joined(separator: ", "))")
        }
        let p = "\(path).\(verb)"
        switch verb {
        case "say": return .say(try say(body, path: p))
        case "play": return .play(try play(body, path: p))
        case "getDigits": return .getDigits(try getDigits(body, path: p))
        case "dial": return .dial(try dial(body, path: p))
        case "conference": return .conference(try conference(body, path: p))
        case "record": return .record(try record(body, path: p))
        case "redirect":
            var f = try JSONFields(body, path: p)
            let url = try f.url("url", required: true, relative: true) ?? ""
            let method = try method(&f)
            try f.finish(allowed: verb)
            return .redirect(.init(url: url, method: method))
        case "reject":
            var f = try JSONFields(body, path: p)
            var r = VoiceAction.Reject()
            if let s = try f.string("reason") {
                guard let reason = VoiceAction.Reject.Reason(rawValue: s) else { throw DocumentError(f.at("reason"), "rejected or busy") }
                r.reason = reason
            }
            try f.finish(allowed: verb)
            return .reject(r)
        case "hangup":
            // `{"hangup": {}}` (or null / true): no fields.
            if case .object = body { try JSONFields(body, path: p).finish(allowed: verb) }
            return .hangup
        case "stream": return .stream(try stream(body, path: p))
        default:
            throw DocumentError(p, "unknown verb; use say, play, getDigits, dial, conference, record, redirect, reject, hangup or stream")
        }
    }

    static func say(_ body: JSONTree, path: String) throws(DocumentError) -> VoiceAction.Say {
        var f = try JSONFields(body, path: path)
        var s = VoiceAction.Say(text: try f.string("text", required: true, maxLength: DocumentLimits.maxSayCharacters) ?? "")
        if let v = try f.string("voice", maxLength: 64) { s.voice = v }
        if let l = try f.string("language", maxLength: 35) { s.language = l }
        if let n = try f.int("loop", 0...100) { s.loop = max(1, n) }
        try f.finish(allowed: "say")
        return s
    }

    static func play(_ body: JSONTree, path: String) throws(DocumentError) -> VoiceAction.Play {
        var f = try JSONFields(body, path: path)
        var p = VoiceAction.Play(url: try f.url("url", required: true) ?? "")
        if let n = try f.int("loop", 0...100) { p.loop = max(1, n) }
        try f.finish(allowed: "play")
        return p
    }

    static func getDigits(_ body: JSONTree, path: String) throws(DocumentError) -> VoiceAction.GetDigits {
        var f = try JSONFields(body, path: path)
        var g = VoiceAction.GetDigits()
        if let t = try f.int("timeout", 1...120) { g.timeout = t }
        if let n = try f.int("numDigits", 0...64) { g.numDigits = n }
        if let k = try f.key("finishOnKey") { g.finishOnKey = k }
        g.callbackURL = try f.url("callbackUrl", relative: true)
        if let nested = f.raw("nested") {
            // A single prompt object is accepted as a list of one.
            let items: [JSONTree]
            if case .array(let a) = nested { items = a } else { items = [nested] }
            guard items.count <= DocumentLimits.maxActions else { throw DocumentError(f.at("nested"), "at most \(DocumentLimits.maxActions) prompts") }
            for (i, item) in items.enumerated() {
                let p = "\(f.at("nested"))[\(i)]"
                switch try action(item, path: p) {
                case .say(let s): g.nested.append(.say(s))
                case .play(let pl): g.nested.append(.play(pl))
                default: throw DocumentError(p, "only say and play are allowed here")
                }
            }
        }
        try f.finish(allowed: "getDigits")
        return g
    }

    static func dial(_ body: JSONTree, path: String) throws(DocumentError) -> VoiceAction.Dial {
        var f = try JSONFields(body, path: path)
        let number = try f.string("number", maxLength: 64)
        let numbers = try f.strings("numbers")
        let sipURI = try f.string("sip", maxLength: 512)
        if let u = sipURI?.lowercased(), !(u.hasPrefix("sip:") || u.hasPrefix("sips:")) || u.count < 6 {
            throw DocumentError(f.at("sip"), "a SIP URI such as sip:alice@example.com (RFC 3261 §19.1)")
        }
        let given = [number != nil, numbers != nil, sipURI != nil].filter { $0 }.count
        guard given == 1 else { throw DocumentError(path, "exactly one of number, numbers or sip") }
        let target: VoiceAction.Dial.Target
        if let number { target = .number(number) } else if let numbers {
            guard (1...10).contains(numbers.count) else { throw DocumentError(f.at("numbers"), "1 to 10 numbers") }
            target = .numbers(numbers)
        } else { target = .sip(sipURI ?? "") }
        var d = VoiceAction.Dial(target: target)
        d.callerID = try f.string("callerId", maxLength: 64)
        if let t = try f.int("timeout", 1...600) { d.timeout = t }
        if let r = try f.string("record") {
            guard let mode = VoiceAction.Dial.RecordMode(rawValue: r) else { throw DocumentError(f.at("record"), "record-from-answer or record-from-ringing") }
            d.record = mode
        }
        if let s = try f.bool("sequential") { d.sequential = s }
        try f.finish(allowed: "dial")
        return d
    }

    static func conference(_ body: JSONTree, path: String) throws(DocumentError) -> VoiceAction.Conference {
        var f = try JSONFields(body, path: path)
        var c = VoiceAction.Conference(name: try f.string("name", required: true, maxLength: 128) ?? "")
        c.maxParticipants = try f.int("maxParticipants", 2...250)
        if let b = try f.bool("record") { c.record = b }
        if let b = try f.bool("beep") { c.beep = b }
        if let b = try f.bool("muted") { c.muted = b }
        if let b = try f.bool("startOnEnter") { c.startOnEnter = b }
        if let b = try f.bool("endOnExit") { c.endOnExit = b }
        c.waitURL = try f.url("waitUrl", relative: true)
        c.statusEventsCallbackURL = try f.url("statusEventsCallbackUrl")
        if let e = try f.strings("statusEvents") {
            for (i, s) in e.enumerated() where !["start", "end", "join", "leave", "mute"].contains(s) {
                throw DocumentError("\(f.at("statusEvents"))[\(i)]", "one of start, end, join, leave, mute")
            }
            c.statusEvents = e
        }
        if let b = try f.bool("collectDigits") { c.collectDigits = b }
        if let k = try f.key("finishOnKey") { c.finishOnKey = k }
        c.numDigits = try f.int("numDigits", 0...64)
        c.digitsCallbackURL = try f.url("digitsCallbackUrl", relative: true)
        if let fl = try f.strings("flags") { c.flags = fl }
        try f.finish(allowed: "conference")
        return c
    }

    static func record(_ body: JSONTree, path: String) throws(DocumentError) -> VoiceAction.Record {
        var f = try JSONFields(body, path: path)
        var r = VoiceAction.Record()
        r.action = try f.url("action", relative: true)
        r.method = try method(&f)
        if let t = try f.int("timeout", 1...600) { r.timeout = t }
        if let m = try f.int("maxLength", 1...14_400) { r.maxLength = m }
        if let k = try f.key("finishOnKey") { r.finishOnKey = k }
        if let b = try f.bool("playBeep") { r.playBeep = b }
        if let b = try f.bool("transcribe") { r.transcribe = b }
        r.transcribeCallback = try f.url("transcribeCallback")
        try f.finish(allowed: "record")
        return r
    }

    static func stream(_ body: JSONTree, path: String) throws(DocumentError) -> VoiceAction.Stream {
        var f = try JSONFields(body, path: path)
        var s = VoiceAction.Stream(url: try f.url("url", required: true, schemes: ["ws", "wss"]) ?? "")
        s.track = try f.string("track", maxLength: 32)
        s.outputSamplingRate = try f.int("outputSamplingRate", 8000...48000)
        s.bidirectionalSamplingRate = try f.int("bidirectionalSamplingRate", 8000...48000)
        if let b = try f.bool("connect") { s.connect = b }
        s.name = try f.string("name", maxLength: 128)
        s.statusCallback = try f.url("statusCallback")
        try f.finish(allowed: "stream")
        return s
    }

    /// `method`: GET or POST (default POST).
    static func method(_ f: inout JSONFields) throws(DocumentError) -> String {
        guard let m = try f.string("method") else { return "POST" }
        guard m.uppercased() == "POST" || m.uppercased() == "GET" else { throw DocumentError(f.at("method"), "GET or POST") }
        return m.uppercased()
    }
}
