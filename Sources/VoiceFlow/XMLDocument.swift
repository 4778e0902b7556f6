/// Which XML dialect a callback document is written in.
public enum XMLDialect: String, Sendable, Equatable {
    case africasTalking = "africas-talking"
    case twiml
}

/// Decodes an XML callback document `<Response>…</Response>` (voice-actions.md §2, §5) into
/// the same `[VoiceAction]` a JSON document gives: same defaults, same limits (64 KiB, 50
/// actions, say text <= 4000 characters), unknown elements and attributes are errors.
///
/// The dialect is picked by content. Africa's Talking-only elements: GetDigits, Conference
/// directly under Response. TwiML-only: Gather, Pause, Number, Sip, Conference inside Dial.
/// A document with both is refused; one with neither uses only shared verbs, which accept
/// the union of both dialects' attributes, so it decodes the same either way.
public enum XMLDocument {
    /// Parses and decodes `bytes`; every error names the element or attribute path.
    public static func decode(_ bytes: [UInt8]) throws(DocumentError) -> [VoiceAction] {
        try actions(of: try XMLTree.parse(bytes))
    }

    /// Decodes an already parsed `<Response>` element.
    public static func actions(of root: XMLElement) throws(DocumentError) -> [VoiceAction] {
        guard root.name == "Response" else {
            throw DocumentError(root.name, "the root element must be <Response>")
        }
        let f = XMLFields(root, path: "Response")
        try f.finish("Response")
        try f.noText(elements: true)
        let dialect = try dialect(of: root)
        let children = root.elements(under: "Response")
        guard children.count <= DocumentLimits.maxActions else {
            throw DocumentError("Response", "\(children.count) actions; at most \(DocumentLimits.maxActions)")
        }
        var out: [VoiceAction] = []
        for child in children {
            let mapped = dialect == .twiml
                ? try TwiMLDialect.actions(child.element, path: child.path)
                : try ATDialect.actions(child.element, path: child.path)
            guard let mapped else { throw unknownVerb(child.path, dialect: dialect) }
            out += mapped
        }
        // AT Record prompts expand into actions of their own; the limit holds after that.
        guard out.count <= DocumentLimits.maxActions else {
            throw DocumentError("Response", "\(out.count) actions (counting Record prompts); at most \(DocumentLimits.maxActions)")
        }
        return out
    }

    /// The dialect `root` is written in: nil when it uses only shared verbs. A document that
    /// mixes the dialects' own elements is an error naming both.
    public static func dialect(of root: XMLElement) throws(DocumentError) -> XMLDialect? {
        var firstAT: (name: String, path: String)?
        var firstTwiML: (name: String, path: String)?
        // Iterative walk in document order; the parser bounds depth, but callers may build trees.
        var pending: [(element: XMLElement, path: String, parent: String)] = [(root, root.name, "")]
        while let (e, path, parent) = pending.popLast() {
            switch e.name {
            case "GetDigits": if firstAT == nil { firstAT = (e.name, path) }
            case "Conference" where parent == "Response": if firstAT == nil { firstAT = (e.name, path) }
            case "Gather", "Pause", "Number", "Sip": if firstTwiML == nil { firstTwiML = (e.name, path) }
            case "Conference" where parent == "Dial": if firstTwiML == nil { firstTwiML = (e.name, path) }
            default: break
            }
            for child in e.elements(under: path).reversed() { pending.append((child.element, child.path, e.name)) }
        }
        switch (firstAT, firstTwiML) {
        case (let at?, let tw?):
            throw DocumentError(tw.path, "TwiML <\(tw.name)> in a document that uses Africa's Talking <\(at.name)> at \(at.path); use one dialect")
        case (_?, nil): return .africasTalking
        case (nil, _?): return .twiml
        case (nil, nil): return nil
        }
    }

    static func unknownVerb(_ path: String, dialect: XMLDialect?) -> DocumentError {
        switch dialect {
        case .africasTalking: DocumentError(path, "unknown element; Africa's Talking verbs are \(ATDialect.verbs)")
        case .twiml: DocumentError(path, "unknown element; TwiML verbs are \(TwiMLDialect.verbs)")
        case nil: DocumentError(path, "unknown element; use \(ATDialect.verbs) (Africa's Talking), or Gather and Pause (TwiML)")
        }
    }
}
