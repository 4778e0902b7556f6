/// `<Dial>` in both dialects. The target is exactly one of:
/// - AT `phoneNumbers="+2547…,sip:alice@example.com"` (a comma list, 1 to 10 entries);
/// - TwiML text `<Dial>+2547…</Dial>` (one number or SIP URI);
/// - TwiML nested `<Number>` / `<Sip>` elements (1 to 10), or one nested `<Conference>`,
///   which makes the whole Dial a conference action (the model's `conference` verb).
///
/// One entry becomes `.number` or `.sip` (an entry starting `sip:`/`sips:` is a SIP URI).
/// Several become `.numbers`, SIP URIs kept in the list as written: the spec lets an AT
/// `phoneNumbers` list hold SIP URIs, and `.numbers` entries are strings, so the dialer
/// routes any entry starting `sip:`/`sips:` to the URI and the rest through the trunk.
enum XMLDial {
    static let maxTargets = 10

    static func dial(_ e: XMLElement, path: String) throws(DocumentError) -> VoiceAction {
        var f = XMLFields(e, path: path)
        let children = e.elements(under: path)
        if let room = children.first(where: { $0.element.name == "Conference" }) {
            guard children.count == 1 else { throw DocumentError(path, "a Dial with a Conference holds nothing else") }
            try f.noText(elements: true)
            try f.finish("Dial with a nested Conference")
            return .conference(try TwiMLDialect.conference(room.element, path: room.path))
        }
        let list = f.raw("phoneNumbers")
        let text = XMLFields.trimmed(e.text)
        let given = [list != nil, !text.isEmpty, !children.isEmpty].filter { $0 }.count
        guard given == 1 else {
            throw DocumentError(path, "exactly one of phoneNumbers, a number as the text, or nested Number/Sip elements")
        }
        var entries: [(value: String, sip: Bool)] = []
        if let list {
            let at = f.at("phoneNumbers")
            let parts = list.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count <= maxTargets else { throw DocumentError(at, "1 to \(maxTargets) numbers") }
            for part in parts { entries.append(try entry(String(part), path: at)) }
        } else if !text.isEmpty {
            guard !text.contains(",") else { throw DocumentError(path, "one number as the text; use Number elements to ring several") }
            entries.append(try entry(text, path: path))
        } else {
            guard children.count <= maxTargets else { throw DocumentError(path, "1 to \(maxTargets) Number or Sip elements") }
            for child in children { entries.append(try nested(child.element, path: child.path)) }
        }
        let target: VoiceAction.Dial.Target
        if entries.count == 1, let only = entries.first {
            target = only.sip ? .sip(only.value) : .number(only.value)
        } else {
            target = .numbers(entries.map(\.value))
        }
        var d = VoiceAction.Dial(target: target)
        d.callerID = try f.string("callerId", maxLength: 64)
        if let t = try f.int("timeout", 1...600) { d.timeout = t }
        if let r = f.raw("record") { d.record = try recordMode(r, path: f.at("record")) }
        if let s = try f.bool("sequential") { d.sequential = s }
        // AT attributes the Dial model has no field for: validated, then ignored (ringback
        // is the callee's own ringing/early media; the call's own limits bound its length).
        if let u = try f.string("ringbackTone") { _ = try XMLFields.url(u, path: f.at("ringbackTone"), relative: false) }
        _ = try f.int("maxDuration", 1...86_400)
        try f.finish("Dial")
        return .dial(d)
    }

    /// AT `record="true|false"` and TwiML's `record-from-answer|record-from-ringing|…`.
    /// The `-dual` (two-channel) variants record mono: the recorder mixes both legs.
    static func recordMode(_ s: String, path: String) throws(DocumentError) -> VoiceAction.Dial.RecordMode? {
        switch s {
        case "true", "record-from-answer", "record-from-answer-dual": return .fromAnswer
        case "record-from-ringing", "record-from-ringing-dual": return .fromRinging
        case "false", "do-not-record": return nil
        default: throw DocumentError(path, "true, false, record-from-answer, record-from-ringing or do-not-record")
        }
    }

    /// One target: a SIP URI (RFC 3261 §19.1, same check as JSON `dial.sip`) or a number.
    static func entry(_ raw: String, path: String) throws(DocumentError) -> (value: String, sip: Bool) {
        let v = XMLFields.trimmed(raw)
        guard !v.isEmpty else { throw DocumentError(path, "an empty entry; write numbers separated by commas") }
        let lower = v.lowercased()
        if lower.hasPrefix("sip:") || lower.hasPrefix("sips:") {
            guard v.count >= 6, v.count <= 512, !v.contains(" ") else {
                throw DocumentError(path, "a SIP URI such as sip:alice@example.com (RFC 3261 §19.1)")
            }
            return (v, true)
        }
        guard v.count <= 64 else { throw DocumentError(path, "a number of at most 64 characters") }
        return (v, false)
    }

    /// TwiML `<Number>` (a number) or `<Sip>` (a SIP URI), with no attributes we support.
    static func nested(_ e: XMLElement, path: String) throws(DocumentError) -> (value: String, sip: Bool) {
        let f = XMLFields(e, path: path)
        switch e.name {
        case "Number":
            let v = try entry(try f.text(required: true, maxLength: 64, what: "the number") ?? "", path: path)
            guard !v.sip else { throw DocumentError(path, "a number; use Sip for a SIP URI") }
            try f.finish("Number")
            return v
        case "Sip":
            let v = try entry(try f.text(required: true, maxLength: 512, what: "the SIP URI") ?? "", path: path)
            guard v.sip else { throw DocumentError(path, "a SIP URI such as sip:alice@example.com (RFC 3261 §19.1)") }
            try f.finish("Sip")
            return v
        default:
            throw DocumentError(path, "only Number, Sip or Conference are allowed here")
        }
    }
}
