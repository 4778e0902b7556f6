import PBXTestSupport
import Testing
import VoiceFlow

/// The hardened XML parser: tree shape, entities, and every refusal with its path.
@Suite struct XMLTreeTests {
    func parse(_ text: String) throws(DocumentError) -> XMLElement { try XMLTree.parse(Array(text.utf8)) }

    func error(_ text: String) -> String? { error(Array(text.utf8)) }

    func error(_ bytes: [UInt8]) -> String? {
        do { _ = try XMLTree.parse(bytes); return nil } catch { return error.description }
    }

    @Test func treeShapeWithDeclarationCommentsPIsAndCDATA() throws {
        let root = try parse("""
        \u{FEFF}<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <!-- generated --><?app hint?>
        <Response a="1" b='2'>
          <Say voice="woman">Hello <![CDATA[<world> & ]]>again</Say><Hangup/>
        </Response>
        <!-- trailing comment -->
        """)
        #expect(root.name == "Response")
        #expect(root.attributes == [XMLAttribute(name: "a", value: "1"), XMLAttribute(name: "b", value: "2")])
        #expect(root.elements.map(\.name) == ["Say", "Hangup"])
        let say = try #require(root.elements.first)
        #expect(say.attribute("voice") == "woman")
        #expect(say.children == [.text("Hello <world> & again")])
        #expect(root.elements(under: "Response").map(\.path) == ["Response/Say[1]", "Response/Hangup[1]"])
    }

    @Test func everyEntityForm() throws {
        let root = try parse("<r v=\"&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x1F600;\">&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x1f600;&#233;</r>")
        #expect(root.attribute("v") == "<>&\"'AB😀")
        #expect(root.text == "<>&\"'AB😀é")
    }

    @Test func whitespaceAndLineEndNormalisation() throws {
        let root = try parse("<r v=\"a\tb\r\nc&#10;d\">x\r\ny\rz</r>")
        #expect(root.attribute("v") == "a b c\nd")  // XML 1.0 §3.3.3; char refs stay
        #expect(root.text == "x\ny\nz")             // §2.11
    }

    @Test(arguments: [
        ("<r>&foo;</r>", "r: unknown entity &foo; (only &lt; &gt; &amp; &quot; &apos; and &#...; are allowed) (byte 3)"),
        ("<r>&amp</r>", "r: '&' must start a reference such as &amp; (byte 3)"),
        ("<r>a & b</r>", "r: '&' must start a reference such as &amp; (byte 5)"),
        ("<r>&#0;</r>", "r: character reference to a character not allowed in XML (byte 3)"),
        ("<r>&#xD800;</r>", "r: character reference to a character not allowed in XML (byte 3)"),
        ("<r>&#x110000;</r>", "r: character reference to a character not allowed in XML (byte 3)"),
        ("<r>&#99999999999999999999;</r>", "r: character reference to a character not allowed in XML (byte 3)"),
        ("<r>&#;</r>", "r: bad character reference; use &#NNN; or &#xHHHH; (byte 3)"),
        ("<r>&#X41;</r>", "r: bad character reference; use &#NNN; or &#xHHHH; (byte 3)"),
        ("<r v=\"&bogus;\"/>", "r/@v: unknown entity &bogus; (only &lt; &gt; &amp; &quot; &apos; and &#...; are allowed) (byte 6)"),
    ] as [(String, String)])
    func badReferences(document: String, message: String) {
        #expect(error(document) == message)
    }

    @Test func billionLaughsIsRefusedBeforeAnyExpansion() {
        var doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
        doc += "<!ENTITY lol1 \"" + String(repeating: "&lol;", count: 10) + "\">\n"
        for i in 2...9 { doc += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i - 1);", count: 10) + "\">\n" }
        doc += "]>\n<lolz>&lol9;</lolz>"
        #expect(error(doc) == "document: DOCTYPE is not allowed (byte 22)")
        // Without the DTD the entity is simply unknown.
        #expect(error("<lolz>&lol9;</lolz>")?.hasPrefix("lolz: unknown entity &lol9;") == true)
    }

    @Test func externalEntityIsRefused() {
        let xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><Response><Say>&xxe;</Say></Response>"
        #expect(error(xxe) == "document: DOCTYPE is not allowed (byte 21)")
        #expect(error("<!doctype html><html/>") == "document: DOCTYPE is not allowed (byte 0)")
        // A DOCTYPE inside the root is refused too (it is never valid there anyway).
        #expect(error("<r><!DOCTYPE x></r>") == "r: DOCTYPE is not allowed (byte 3)")
    }

    @Test func deepNestingFailsFastWithoutRecursion() {
        // 10,000 open tags (30 KB; the closing tags would pass the 64 KiB limit on their own).
        let deep = String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 8_000)
        #expect(deep.utf8.count < 65_536)
        let message = error(deep)
        let expectedPath = "a" + String(repeating: "/a[1]", count: 15)
        #expect(message == "\(expectedPath): elements nested more than 16 deep (byte 48)")
        let sixteen = String(repeating: "<a>", count: 16) + String(repeating: "</a>", count: 16)
        #expect(error(sixteen) == nil)
    }

    @Test func elementAndAttributeCounts() {
        let ok = "<r>" + String(repeating: "<x/>", count: 1_999) + "</r>"
        #expect(error(ok) == nil)
        let tooMany = "<r>" + String(repeating: "<x/>", count: 2_000) + "</r>"
        #expect(error(tooMany)?.hasPrefix("r: more than 2000 elements") == true)
        let attrs = (1...32).map { " a\($0)=\"v\"" }.joined()
        #expect(error("<r\(attrs)/>") == nil)
        #expect(error("<r\(attrs) a33=\"v\"/>")?.hasPrefix("r: more than 32 attributes") == true)
    }

    @Test func sizeLimit() {
        // Exactly 64 KiB is fine; one byte more is refused before parsing.
        let head = "<r><!--", tail = "--></r>"
        let exact = head + String(repeating: "x", count: 65_536 - head.utf8.count - tail.utf8.count) + tail
        #expect(exact.utf8.count == 65_536 && error(exact) == nil)
        let over = head + String(repeating: "x", count: 65_537 - head.utf8.count - tail.utf8.count) + tail
        #expect(error(over) == "document: larger than 64 KiB")
    }

    @Test(arguments: [
        ("<Response><Say>a</Say><Say><x></Say></Response>", "Response/Say[2]/x[1]: mismatched end tag </Say>; expected </x> (byte 30)"),
        ("<Response><Say>a", "Response/Say[1]: <Say> is not closed (byte 16)"),
        ("<r a=\"1\" a=\"2\"/>", "r/@a: duplicate attribute (byte 9)"),
        ("<r a=1/>", "r/@a: attribute value must be quoted (byte 5)"),
        ("<r a=\"1\"b=\"2\"/>", "r: expected white space before an attribute (byte 8)"),
        ("<r a=\"<\"/>", "r/@a: '<' is not allowed in an attribute value; write &lt; (byte 6)"),
        ("<1r/>", "document: bad element name (byte 1)"),
        ("<r><-x/></r>", "r: bad element name (byte 4)"),
        ("<r/><r/>", "document: junk after the root element: a document has one root (byte 4)"),
        ("<r/>junk", "document: junk after the root element (byte 4)"),
        ("hello <r/>", "document: text before the root element (byte 0)"),
        ("", "document: no root element (byte 0)"),
        ("<r>a]]>b</r>", "r: ']]>' is not allowed in text; write ]]&gt; (byte 4)"),
        ("<r><!-- a -- b --></r>", "r: '--' is not allowed inside a comment (byte 10)"),
        ("<r><!-- open</r>", "r: unclosed comment (byte 3)"),
        ("<r><![CDATA[open</r>", "r: unclosed CDATA section (byte 3)"),
        ("<![CDATA[x]]><r/>", "document: unexpected '<!' (only comments, and CDATA inside an element, are allowed) (byte 0)"),
        ("<r><?xml version=\"1.0\"?></r>", "r: the XML declaration is only allowed at the very start (byte 3)"),
        ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r/>", "document: only UTF-8 is supported, not encoding=\"ISO-8859-1\" (byte 0)"),
        ("<?xml encoding=\"UTF-8\"?><r/>", "document: malformed XML declaration (byte 0)"),
        ("<r></R>", "r: mismatched end tag </R>; expected </r> (byte 3)"),
    ] as [(String, String)])
    func malformedDocuments(document: String, message: String) {
        #expect(error(document) == message)
    }

    @Test func utf8Only() {
        let prefix = Array("<r>".utf8), suffix = Array("</r>".utf8)
        #expect(error(prefix + [0xC3, 0xA9] + suffix) == nil)  // é
        #expect(error(prefix + [0xC0, 0x80] + suffix) == "document: invalid UTF-8 (byte 3)")        // overlong NUL
        #expect(error(prefix + [0xED, 0xA0, 0x80] + suffix) == "document: invalid UTF-8 (byte 3)")  // surrogate
        #expect(error(prefix + [0xF4, 0x90, 0x80, 0x80] + suffix) == "document: invalid UTF-8 (byte 3)")  // > U+10FFFF
        #expect(error(prefix + [0xFF] + suffix) == "document: invalid UTF-8 (byte 3)")
        #expect(error(prefix + [0xE2, 0x82]) == "document: invalid UTF-8 (truncated sequence) (byte 3)")
        #expect(error(prefix + [0x01] + suffix) == "document: control character U+0001 is not allowed in XML (byte 3)")
        #expect(error([0xFF, 0xFE, 0x3C, 0x00]) == "document: UTF-16 is not supported; send UTF-8 (byte 0)")
        // UTF-8 is checked in one pass before the tree is built, so the path is `document`.
        #expect(error([0xEF, 0xBB, 0xBF] + Array("<r>ok</r>".utf8)) == nil)
    }

    @Test func randomMutationsNeverCrash() throws {
        let valid = Array("""
        <?xml version="1.0" encoding="UTF-8"?>
        <Response>
          <Say voice="woman" language="sw-KE">Karibu &amp; asante &#x263A;</Say>
          <GetDigits timeout="10" numDigits="4" finishOnKey="#" callbackUrl="https://app.example/pin">
            <Say><![CDATA[Enter your PIN]]></Say><Play url="https://cdn.example/beep.wav"/>
          </GetDigits>
          <Dial phoneNumbers="+254711000001,sip:desk@pbx.example" record="true" sequential="false"/>
          <Record callbackUrl="/voicemail" maxLength="60" playBeep="true"><Say>After the tone</Say></Record>
          <!-- comment --><Redirect>/next</Redirect>
        </Response>
        """.utf8)
        #expect(try XMLDocument.decode(valid).count == 6)
        let tokens: [[UInt8]] = ["<", ">", "/>", "</", "&", "&amp;", "&#x", ";", "\"", "'", "=", "<!--", "-->", "<![CDATA[", "]]>",
                                 "<?", "?>", "<!DOCTYPE", "<Say>", "</Say>", "\u{FEFF}"].map { Array($0.utf8) }
        var rng = SplitMix64(seed: 0x584D_4C21)  // deterministic: a failure replays
        var parsed = 0
        for _ in 0..<10_000 {
            var doc = valid
            for _ in 0..<(1 + rng.below(4)) {
                let i = rng.below(doc.count + 1)
                switch rng.below(5) {
                case 0 where i < doc.count: doc[i] = UInt8(truncatingIfNeeded: rng.next())
                case 1 where i < doc.count: doc.remove(at: i)
                case 2: doc.insert(contentsOf: tokens[rng.below(tokens.count)], at: i)
                case 3: doc.insert(UInt8(truncatingIfNeeded: rng.next()), at: i)
                default:
                    let j = rng.below(doc.count + 1)
                    doc.insert(contentsOf: doc[min(i, j)..<max(i, j)].prefix(200), at: i)
                }
            }
            if (try? XMLDocument.decode(doc)) != nil { parsed += 1 }
        }
        // Some mutations land in text and still decode; most must be refused.
        #expect(parsed > 0 && parsed < 10_000)
    }
}
