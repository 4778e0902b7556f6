/// Decodes the body of a callback response (voice-actions.md §2) as JSON or XML, by its
/// Content-Type, or by sniffing the first byte when the type is missing or not one of ours.
public enum CallbackDocument {
    /// The two document formats.
    public enum Format: Sendable, Equatable {
        case json, xml
    }

    /// Decodes `body` into actions; `contentType` is the raw header value, if any.
    public static func decode(body: [UInt8], contentType: String?) throws(DocumentError) -> [VoiceAction] {
        guard body.count <= DocumentLimits.maxBytes else {
            throw DocumentError("document", "larger than \(DocumentLimits.maxBytes / 1024) KiB")
        }
        switch try format(body: body, contentType: contentType) {
        case .json: return try JSONDocument.decode(body)
        case .xml: return try XMLDocument.decode(body)
        }
    }

    /// The format `contentType` names, else the sniffed one: `{` is JSON, `<` is XML.
    public static func format(body: [UInt8], contentType: String?) throws(DocumentError) -> Format {
        if let contentType, let declared = format(contentType: contentType) { return declared }
        return try sniff(body)
    }

    /// RFC 9110 §8.3.1: type/subtype are case-insensitive and parameters (`; charset=utf-8`)
    /// follow a ';'. RFC 6839 §3.1/§4.1: `+json` / `+xml` suffixes are JSON / XML too.
    static func format(contentType: String) -> Format? {
        let media = XMLFields.trimmed(String(contentType.prefix { $0 != ";" })).lowercased()
        if media == "application/json" || media.hasSuffix("+json") { return .json }
        if media == "text/xml" || media == "application/xml" || media.hasSuffix("+xml") { return .xml }
        return nil
    }

    static func sniff(_ body: [UInt8]) throws(DocumentError) -> Format {
        var i = 0
        if body.count >= 3 && body[0] == 0xEF && body[1] == 0xBB && body[2] == 0xBF { i = 3 }  // UTF-8 BOM
        while i < body.count, XMLScanner.isSpace(body[i]) { i += 1 }
        guard i < body.count else { throw DocumentError("document", "neither JSON nor XML") }
        switch body[i] {
        case UInt8(ascii: "{"): return .json
        case UInt8(ascii: "<"): return .xml
        default: throw DocumentError("document", "neither JSON nor XML")
        }
    }
}
