/// Limits of the XML parser beyond `DocumentLimits.maxBytes`: a callback document is a flat
/// list of verbs two or three levels deep, so anything far bigger is hostile or broken.
public enum XMLLimits {
    /// Elements nest at most 16 deep (the root is depth 1).
    public static let maxDepth = 16
    /// At most 2,000 elements in a document.
    public static let maxElements = 2_000
    /// At most 32 attributes on one element.
    public static let maxAttributes = 32
}

/// One attribute, in document order.
public struct XMLAttribute: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A child of an element: an element or a run of text (CDATA and references merged in).
public enum XMLNode: Sendable, Equatable {
    case element(XMLElement)
    case text(String)
}

/// An XML element: name, attributes in document order, children. Comments and processing
/// instructions are not kept.
public struct XMLElement: Sendable, Equatable {
    public var name: String
    public var attributes: [XMLAttribute]
    public var children: [XMLNode]

    public init(name: String, attributes: [XMLAttribute] = [], children: [XMLNode] = []) {
        self.name = name
        self.attributes = attributes
        self.children = children
    }

    /// The value of attribute `name`, nil if absent.
    public func attribute(_ name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }

    /// The text children concatenated (element children are not descended into).
    public var text: String {
        var out = ""
        for case .text(let t) in children { out += t }
        return out
    }

    /// The element children, in order.
    public var elements: [XMLElement] {
        var out: [XMLElement] = []
        for case .element(let e) in children { out.append(e) }
        return out
    }

    /// The element children with their paths, XPath style: `parent/Name[n]` where n counts
    /// the siblings of the same name from 1, e.g. `Response/Say[2]` is the second Say.
    public func elements(under path: String) -> [(element: XMLElement, path: String)] {
        var seen: [(String, Int)] = []
        var out: [(element: XMLElement, path: String)] = []
        for case .element(let e) in children {
            var n = 1
            if let i = seen.firstIndex(where: { $0.0 == e.name }) {
                seen[i].1 += 1
                n = seen[i].1
            } else {
                seen.append((e.name, 1))
            }
            out.append((e, "\(path)/\(e.name)[\(n)]"))
        }
        return out
    }
}

/// A small, hardened XML 1.0 parser for callback documents (voice-actions.md §2, §5).
///
/// Refuses what a callback document never needs and an attacker loves: any DOCTYPE (so no
/// external entities and no entity-expansion bombs), entities other than the five predefined
/// ones, non-UTF-8 input, more than 64 KiB, depth > 16, > 2,000 elements, > 32 attributes.
/// Parsing is iterative (an explicit stack), so deep nesting cannot overflow the call stack.
public enum XMLTree {
    /// Parses `bytes` into the root element, or throws a `DocumentError` whose path names the
    /// open element where the problem is (`document` before the root).
    public static func parse(_ bytes: [UInt8]) throws(DocumentError) -> XMLElement {
        guard bytes.count <= DocumentLimits.maxBytes else {
            throw DocumentError("document", "larger than \(DocumentLimits.maxBytes / 1024) KiB")
        }
        var parser = XMLTreeParser(bytes)
        do {
            return try parser.run()
        } catch {
            throw DocumentError(parser.path(attribute: error.attribute), "\(error.message) (byte \(error.offset))")
        }
    }
}
