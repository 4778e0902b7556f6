/// The state of one `XMLTree.parse` call: a scanner plus an explicit stack of open elements.
/// Iterative on purpose: 10,000 nested start tags fail at depth 17, never on the call stack.
struct XMLTreeParser {
    /// One open element: what it holds so far and where it sits among its siblings.
    struct Frame {
        var element: XMLElement
        /// 1-based position among the parent's children of the same name (for paths).
        var index: Int
        /// How many children of each name were opened so far.
        var childNames: [(String, Int)] = []
        /// Text not yet turned into a node (text, references and CDATA merge).
        var text: [UInt8] = []
    }

    /// Names longer than this are refused: no verb or attribute name is close.
    static let maxNameBytes = 128

    var s: XMLScanner
    var stack: [Frame] = []
    var elementCount = 0
    var root: XMLElement?

    init(_ bytes: [UInt8]) { s = XMLScanner(bytes) }

    /// The path of the innermost open element, `Response/Say[2]`, or `document` outside.
    func path(attribute: String? = nil) -> String {
        guard let first = stack.first else { return "document" }
        var p = first.element.name
        for f in stack.dropFirst() { p += "/\(f.element.name)[\(f.index)]" }
        if let attribute { p += "/@\(attribute)" }
        return p
    }

    mutating func run() throws(XMLSyntaxError) -> XMLElement {
        _ = s.skip("\u{FEFF}")  // a UTF-8 byte order mark is allowed (XML 1.0 §4.3.3)
        if (s.peek() == 0xFE && s.peek(1) == 0xFF) || (s.peek() == 0xFF && s.peek(1) == 0xFE) {
            throw XMLSyntaxError("UTF-16 is not supported; send UTF-8", at: 0)
        }
        if let bad = XMLScanner.validateUTF8(s.bytes, from: s.pos) { throw bad }
        // §2.8: the XML declaration, if any, is the very first thing.
        if s.looking(at: "<?xml"), let b = s.peek(5), XMLScanner.isSpace(b) { try declaration() }
        while true {
            if stack.isEmpty {
                // Prolog or epilog: only white space, comments and PIs around the root.
                s.skipSpace()
                guard let b = s.peek() else {
                    if let root { return root }
                    throw XMLSyntaxError("no root element", at: s.pos)
                }
                guard b == 0x3C else {
                    throw XMLSyntaxError(root == nil ? "text before the root element" : "junk after the root element", at: s.pos)
                }
                if try skipMarkup() { continue }
                guard root == nil else { throw XMLSyntaxError("junk after the root element: a document has one root", at: s.pos) }
                try startTag()
                continue
            }
            guard let b = s.peek() else {
                throw XMLSyntaxError("<\(stack[stack.count - 1].element.name)> is not closed", at: s.pos)
            }
            if b != 0x3C {
                var text = stack[stack.count - 1].text
                stack[stack.count - 1].text = []  // keep the buffer uniquely referenced
                try s.charData(into: &text)
                stack[stack.count - 1].text = text
            } else if s.peek(1) == 0x2F {
                try endTag()
            } else if s.skip("<![CDATA[") {
                try cdata()
            } else if try !skipMarkup() {
                try startTag()
            }
        }
    }

    /// Skips a comment or processing instruction at '<'; refuses DOCTYPE and other `<!`.
    /// False when the markup is a tag.
    mutating func skipMarkup() throws(XMLSyntaxError) -> Bool {
        let start = s.pos
        if s.skip("<!--") {
            // §2.5: "--" may only appear as the comment's end.
            while true {
                guard let b = s.peek() else { throw XMLSyntaxError("unclosed comment", at: start) }
                if b == 0x2D && s.peek(1) == 0x2D {
                    guard s.peek(2) == 0x3E else { throw XMLSyntaxError("'--' is not allowed inside a comment", at: s.pos) }
                    s.pos += 3
                    return true
                }
                s.pos += 1
            }
        }
        if s.skip("<?") {
            guard let target = s.name() else { throw XMLSyntaxError("bad processing instruction", at: start) }
            if target.lowercased() == "xml" {
                throw XMLSyntaxError("the XML declaration is only allowed at the very start", at: start)
            }
            guard s.skip(past: "?>") else { throw XMLSyntaxError("unclosed processing instruction", at: start) }
            return true
        }
        // No DTD means no entity declarations: external entities (XXE) and expansion bombs
        // (billion laughs, quadratic blowup) are impossible, not merely limited.
        if s.looking(at: "<!DOCTYPE") || s.looking(at: "<!doctype") {
            throw XMLSyntaxError("DOCTYPE is not allowed", at: start)
        }
        if s.looking(at: "<!") {
            throw XMLSyntaxError("unexpected '<!' (only comments, and CDATA inside an element, are allowed)", at: start)
        }
        return false
    }

    /// Reads a name, refusing absurdly long ones.
    mutating func boundedName(_ what: String) throws(XMLSyntaxError) -> String {
        let start = s.pos
        guard let name = s.name() else { throw XMLSyntaxError("bad \(what) name", at: start) }
        guard name.utf8.count <= Self.maxNameBytes else {
            throw XMLSyntaxError("\(what) name longer than \(Self.maxNameBytes) bytes", at: start)
        }
        return name
    }

    /// §3.1 [40] STag / [44] EmptyElemTag, at '<'.
    mutating func startTag() throws(XMLSyntaxError) {
        let start = s.pos
        s.pos += 1
        let name = try boundedName("element")
        guard stack.count < XMLLimits.maxDepth else {
            throw XMLSyntaxError("elements nested more than \(XMLLimits.maxDepth) deep", at: start)
        }
        guard elementCount < XMLLimits.maxElements else {
            throw XMLSyntaxError("more than \(XMLLimits.maxElements) elements", at: start)
        }
        elementCount += 1
        var index = 1
        if !stack.isEmpty {
            let top = stack.count - 1
            flushText(top)
            if let i = stack[top].childNames.firstIndex(where: { $0.0 == name }) {
                stack[top].childNames[i].1 += 1
                index = stack[top].childNames[i].1
            } else {
                stack[top].childNames.append((name, 1))
            }
        }
        stack.append(Frame(element: XMLElement(name: name), index: index))
        let top = stack.count - 1
        while true {
            let spaced = s.skipSpace()
            guard let b = s.peek() else { throw XMLSyntaxError("unclosed start tag <\(name)", at: start) }
            if b == 0x3E {
                s.pos += 1
                return
            }
            if b == 0x2F {
                guard s.peek(1) == 0x3E else { throw XMLSyntaxError("expected '/>'", at: s.pos) }
                s.pos += 2
                closeTop()
                return
            }
            guard spaced else { throw XMLSyntaxError("expected white space before an attribute", at: s.pos) }
            let at = s.pos
            let attribute = try boundedName("attribute")
            // §3.1 WFC "Unique Att Spec".
            if stack[top].element.attributes.contains(where: { $0.name == attribute }) {
                throw XMLSyntaxError("duplicate attribute", at: at, attribute: attribute)
            }
            guard stack[top].element.attributes.count < XMLLimits.maxAttributes else {
                throw XMLSyntaxError("more than \(XMLLimits.maxAttributes) attributes", at: at)
            }
            s.skipSpace()
            guard s.skip("=") else { throw XMLSyntaxError("expected '=' after the attribute name", at: s.pos, attribute: attribute) }
            s.skipSpace()
            let value: String
            do { value = try s.attributeValue() } catch {
                throw XMLSyntaxError(error.message, at: error.offset, attribute: attribute)
            }
            stack[top].element.attributes.append(XMLAttribute(name: attribute, value: value))
        }
    }

    /// §3.1 [42] ETag, at "</": must close the innermost open element.
    mutating func endTag() throws(XMLSyntaxError) {
        let start = s.pos
        s.pos += 2
        let name = try boundedName("end tag")
        s.skipSpace()
        guard s.skip(">") else { throw XMLSyntaxError("expected '>' to end </\(name)", at: s.pos) }
        let open = stack[stack.count - 1].element.name
        guard name == open else { throw XMLSyntaxError("mismatched end tag </\(name)>; expected </\(open)>", at: start) }
        closeTop()
    }

    /// §2.7 CDSect, after "<![CDATA[": the content is text, taken literally.
    mutating func cdata() throws(XMLSyntaxError) {
        let start = s.pos
        guard s.skip(past: "]]>") else { throw XMLSyntaxError("unclosed CDATA section", at: start - 9) }
        let top = stack.count - 1
        var i = start
        let end = s.pos - 3
        while i < end {
            let b = s.bytes[i]
            if b == 0x0D {  // §2.11 line ends, as in other text
                stack[top].text.append(0x0A)
                if i + 1 < end && s.bytes[i + 1] == 0x0A { i += 1 }
            } else {
                stack[top].text.append(b)
            }
            i += 1
        }
    }

    /// Turns pending text of frame `i` into a text node.
    mutating func flushText(_ i: Int) {
        guard !stack[i].text.isEmpty else { return }
        stack[i].element.children.append(.text(String(decoding: stack[i].text, as: UTF8.self)))
        stack[i].text.removeAll(keepingCapacity: true)
    }

    /// Pops the innermost element into its parent (or makes it the root).
    mutating func closeTop() {
        flushText(stack.count - 1)
        guard let done = stack.popLast() else { return }
        if stack.isEmpty {
            root = done.element
        } else {
            stack[stack.count - 1].element.children.append(.element(done.element))
        }
    }

    /// §2.8 [23] XMLDecl: version, then optional encoding (UTF-8 only) and standalone.
    mutating func declaration() throws(XMLSyntaxError) {
        let start = s.pos
        s.pos += 5
        var fields: [String] = []
        while true {
            let spaced = s.skipSpace()
            if s.skip("?>") { break }
            guard spaced, let field = s.name() else { throw XMLSyntaxError("malformed XML declaration", at: s.pos) }
            s.skipSpace()
            guard s.skip("=") else { throw XMLSyntaxError("malformed XML declaration", at: s.pos) }
            s.skipSpace()
            let value = try s.attributeValue()
            switch field {
            case "version" where fields.isEmpty:
                guard value.hasPrefix("1.") else { throw XMLSyntaxError("unsupported XML version \(value.prefix(10))", at: start) }
            case "encoding" where fields == ["version"]:
                guard ["utf-8", "utf8"].contains(value.lowercased()) else {
                    throw XMLSyntaxError("only UTF-8 is supported, not encoding=\"\(value.prefix(20))\"", at: start)
                }
            case "standalone" where fields.first == "version" && !fields.contains("standalone"):
                break
            default:
                throw XMLSyntaxError("malformed XML declaration", at: start)
            }
            fields.append(field)
        }
        guard fields.first == "version" else { throw XMLSyntaxError("the XML declaration needs version=\"1.0\"", at: start) }
    }
}
