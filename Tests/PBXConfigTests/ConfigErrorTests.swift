import Testing
@testable import PBXConfig

/// Every bad input is an error whose message names the key path and the problem.
@Suite struct ConfigErrorTests {
    /// The message for `yaml`, or nil when it (wrongly) parsed.
    private func message(_ yaml: String) -> String? {
        do {
            _ = try PBXConfiguration.parse(yaml: yaml, source: "t.yaml")
            return nil
        } catch {
            return error.message
        }
    }

    @Test func badListenAddress() {
        #expect(message("sip:\n  listen:\n    - \"127.0.0.1:5060\"\n    - \"abc:99999\"\n")
            == "sip.listen[1]: \"abc:99999\" is not host:port (port must be 1-65535)")
        #expect(message("sip: {listen: [\"localhost:5060\"]}")
            == "sip.listen[0]: \"localhost:5060\" is not host:port (host must be an IPv4 or IPv6 address literal)")
        #expect(message("sip: {listen: [\"::1:5060\"]}")?.hasPrefix("sip.listen[0]: \"::1:5060\" is not host:port") == true)
        #expect(message("sip: {listen: []}") == "sip.listen: must list at least one host:port")
        #expect(message("sip: {listen: \"127.0.0.1:5060\"}") == "sip.listen: expected a list, got \"127.0.0.1:5060\"")
        #expect(message("sip: {listen: [\"127.0.0.1:5060\", \"127.0.0.1:05060\"]}")
            == "sip.listen[1]: duplicate of sip.listen[0]")
        #expect(message("admin: {listen: \"127.0.0.1\"}") == "admin.listen: \"127.0.0.1\" is not host:port (missing :port)")
    }

    @Test func duplicateNumbers() {
        let yaml = """
            numbers:
              - {number: "+254700000001", route: hold}
              - {number: echo, route: echo}
              - {number: "254700000001", route: echo}
            """
        #expect(message(yaml) == "numbers[2].number: duplicate of numbers[0]")
        #expect(message("numbers:\n  - {number: \"+254 700\", route: hold}\n  - {number: \"+254700\", route: echo}\n")
            == "numbers[1].number: duplicate of numbers[0]")
    }

    @Test func badNumberEntries() {
        #expect(message("numbers:\n  - {number: \"echo test\", route: echo}\n")
            == "numbers[0].number: \"echo test\" is neither E.164 (\"+\" then 1-15 digits) nor a SIP user ([A-Za-z0-9._-]+)")
        #expect(message("numbers:\n  - {number: echo, route: music}\n")
            == "numbers[0].route: \"music\" is not one of hold, echo, app:demo")
        #expect(message("numbers:\n  - {route: echo}\n") == "numbers[0].number: is required")
        #expect(message("numbers:\n  - {number: echo}\n") == "numbers[0].route: is required")
        #expect(message("numbers:\n  - {number: echo, route: echo, rout: hold}\n")?
            .hasPrefix("unknown key \"numbers[0].rout\"") == true)
        #expect(message("numbers: [echo]") == "numbers[0]: expected a map of keys, got \"echo\"")
        #expect(message("numbers:\n  - {number: [1], route: echo}\n") == "numbers[0].number: expected a string, got a list")
    }

    @Test func unknownKeysAreErrors() {
        let typo = message("sip:\n  lisen: [\"127.0.0.1:5060\"]\n")
        #expect(typo?.hasPrefix("unknown key \"sip.lisen\"") == true)
        #expect(typo?.contains("did you mean \"sip.listen\"") == true)
        #expect(message("dta_dir: x")?.hasPrefix("unknown key \"dta_dir\"") == true)
        #expect(message("sip: {session_timer: {enable: true}}")?
            .hasPrefix("unknown key \"sip.session_timer.enable\"") == true)
        #expect(message("something_else: 1")?.contains("known keys: sip, rtp") == true)
    }

    @Test func rtpPortRules() {
        #expect(message("rtp: {port_min: 20001}") == "rtp.port_min: must be even, got 20001")
        #expect(message("rtp: {port_min: 80}") == "rtp.port_min: must be 1024-65535, got 80")
        #expect(message("rtp: {port_max: 70000}") == "rtp.port_max: must be 1024-65535, got 70000")
        #expect(message("rtp: {port_min: 30000, port_max: 30000}")
            == "rtp.port_max: must be greater than port_min (30000), got 30000")
        #expect(message("rtp: {port_min: 40000}") == "rtp.port_max: must be greater than port_min (40000), got 39999")
    }

    @Test func wrongTypesNameTheKey() {
        #expect(message("rtp:\n  port_min: abc\n") == "rtp.port_min: expected an integer, got \"abc\"")
        #expect(message("rtp: {port_min: \"20000\"}") == "rtp.port_min: expected an integer, got \"20000\"")
        #expect(message("rtp: {port_min: 20000.5}") == "rtp.port_min: expected an integer, got \"20000.5\"")
        #expect(message("rtp: {port_min: ~}") == "rtp.port_min: expected an integer, got null")
        #expect(message("sip: {session_timer: {enabled: maybe}}")
            == "sip.session_timer.enabled: expected true or false, got \"maybe\"")
        #expect(message("sip: [1, 2]") == "sip: expected a map of keys, got a list")
        #expect(message("- a\n- b\n") == "expected a map of keys, got a list")
        #expect(message("data_dir: \"\"") == "data_dir: must not be empty")
        #expect(message("data_dir: {a: 1}") == "data_dir: expected a string, got a map")
        #expect(message("log: {level: verbose}")
            == "log.level: \"verbose\" is not one of trace, debug, info, notice, warning, error, critical")
        #expect(message("log: {format: xml}") == "log.format: \"xml\" is not one of text, json")
    }

    @Test func rangesAndCrossChecks() {
        #expect(message("sip: {max_message_bytes: 100}") == "sip.max_message_bytes: must be 1024-65535, got 100")
        #expect(message("sip: {session_timer: {min_se_seconds: 30}}")
            == "sip.session_timer.min_se_seconds: must be 90-86400, got 30")
        #expect(message("sip: {session_timer: {session_expires_seconds: 120, min_se_seconds: 300}}")
            == "sip.session_timer.session_expires_seconds: must be at least min_se_seconds (300), got 120")
        #expect(message("calls: {ring_seconds: 61}") == "calls.ring_seconds: must be 0-60, got 61")
        #expect(message("calls: {max_duration_seconds: 0}") == "calls.max_duration_seconds: must be 1-86400, got 0")
        #expect(message("calls: {drain_seconds: -1}") == "calls.drain_seconds: must be 0-3600, got -1")
        #expect(message("sip: {overload: {max_active_calls: 0}}")
            == "sip.overload.max_active_calls: must be 1-10000000, got 0")
        #expect(message("sip: {user_agent: \"a\\r\\nX-Evil: 1\"}") == "sip.user_agent: must not contain control characters")
        #expect(message("sip: {public_address: \"203.0.113.7:5060\"}")
            == "sip.public_address: \"203.0.113.7:5060\" is not an IP address or DNS hostname (no port here)")
    }

    @Test func yamlSyntaxErrorsGiveTheLine() throws {
        let error = try #require(throws: ConfigError.self) {
            try PBXConfiguration.parse(yaml: "sip:\n  listen: [\"127.0.0.1:5060\"\nrtp:\n  port_min: 1\n", source: "bad.yaml")
        }
        #expect(error.message.hasPrefix("YAML syntax error at line "))
        #expect(error.line != nil)
        #expect(error.description.hasPrefix("bad.yaml: YAML syntax error at line "))

        let tabs = try #require(throws: ConfigError.self) {
            try PBXConfiguration.parse(yaml: "sip:\n\tlisten: []\n", source: "tab.yaml")
        }
        #expect(tabs.line == 2)
        #expect(tabs.message.contains("line 2"))
    }

    @Test func duplicateYAMLKeys() throws {
        let error = try #require(throws: ConfigError.self) {
            try PBXConfiguration.parse(yaml: "log:\n  level: info\n  level: debug\n", source: "dup.yaml")
        }
        #expect(error.message.contains("duplicate key \"level\""))
    }

    @Test func descriptionIsSourceThenMessage() throws {
        let error = try #require(throws: ConfigError.self) {
            try PBXConfiguration.parse(yaml: "rtp:\n  port_min: 20001\n", source: "/etc/sautipbx/sautipbx.yaml")
        }
        #expect(error.description == "/etc/sautipbx/sautipbx.yaml: rtp.port_min: must be even, got 20001")
        #expect(error.keyPath == "rtp.port_min")
        #expect(error.line == 2)
        #expect(error.source == "/etc/sautipbx/sautipbx.yaml")
    }
}
