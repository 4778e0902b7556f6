import Testing
@testable import PBXConfig

@Suite struct ListenAddressTests {
    private func parse(_ text: String) -> ListenAddress? {
        try? ListenAddress.parse(text).get()
    }

    private func reason(_ text: String) -> ListenAddressError? {
        if case .failure(let reason) = ListenAddress.parse(text) { return reason }
        return nil
    }

    @Test func ipv4() throws {
        let address = try #require(parse("127.0.0.1:5060"))
        #expect(address.host == "127.0.0.1")
        #expect(address.port == 5060)
        #expect(address.family == .ipv4)
        #expect(!address.isWildcard)
        #expect(parse("0.0.0.0:5060")?.isWildcard == true)
    }

    @Test func ipv6InBracketsIsCanonicalized() throws {
        let address = try #require(parse("[0:0:0:0:0:0:0:1]:5080"))
        #expect(address.host == "::1")
        #expect(address.family == .ipv6)
        #expect(address.description == "[::1]:5080")
        #expect(parse("[::]:5060")?.isWildcard == true)
        #expect(parse("[2001:DB8::7]:1")?.host == "2001:db8::7")
    }

    @Test func badPorts() {
        for text in ["127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:99999", "127.0.0.1:", "127.0.0.1:+5",
                     "127.0.0.1:50 60", "127.0.0.1:000005060", "abc:99999"] {
            #expect(reason(text) == .badPort, "\(text)")
        }
        #expect(parse("127.0.0.1:65535")?.port == 65535)
        #expect(parse("127.0.0.1:1")?.port == 1)
    }

    @Test func badHosts() {
        #expect(reason("localhost:5060") == .notAnIPLiteral)
        #expect(reason("256.1.1.1:5060") == .notAnIPLiteral)
        #expect(reason(":5060") == .notAnIPLiteral)
        #expect(reason("[127.0.0.1]:5060") == .notAnIPLiteral)
        #expect(reason("[fe80::1%eth0]:5060") == .notAnIPLiteral)
        #expect(reason("::1:5060") == .unbracketedIPv6)
        #expect(reason("[::1]5060") == .missingPort)
        #expect(reason("[::1:5060") == .unclosedBracket)
        #expect(reason("127.0.0.1") == .missingPort)
        #expect(reason("") == .missingPort)
    }

    @Test func publicHostKinds() throws {
        #expect(PublicHost("203.0.113.7")?.kind == .ipv4)
        let v6 = try #require(PublicHost("[2001:db8::7]"))
        #expect(v6.kind == .ipv6)
        #expect(v6.host == "2001:db8::7")
        #expect(v6.uriHost == "[2001:db8::7]")
        #expect(v6.sdpAddressType == "IP6")
        #expect(PublicHost("2001:db8::7") == v6)
        let name = try #require(PublicHost("PBX.Example.com"))
        #expect(name.kind == .domainName)
        #expect(name.host == "pbx.example.com")
        for bad in ["", "pbx.example.com:5060", "10.0.0.300", "-pbx.example.com", "pbx..example.com",
                    "pbx_1.example.com", "[203.0.113.7]", "pbx.example.com."] {
            #expect(PublicHost(bad) == nil, "\(bad)")
        }
    }
}
