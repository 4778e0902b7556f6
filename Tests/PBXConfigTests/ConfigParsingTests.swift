import Testing
@testable import PBXConfig

/// Valid YAML → the values it says, with defaults for everything left out.
@Suite struct ConfigParsingTests {
    private func parse(_ yaml: String) throws -> PBXConfiguration {
        try PBXConfiguration.parse(yaml: yaml, source: "test.yaml")
    }

    @Test func emptyDocumentGivesDefaults() throws {
        let config = try parse("")
        #expect(config == PBXConfiguration())
        #expect(try parse("# only a comment\n") == PBXConfiguration())
        #expect(config.sip.listen.map(\.description) == ["127.0.0.1:5060"])
        #expect(config.sip.userAgent == "SautiPBX/0.1")
        #expect(config.sip.maxMessageBytes == 65535)
        #expect(config.sip.sessionTimer.enabled)
        #expect(config.sip.sessionTimer.sessionExpiresSeconds == 1800)
        #expect(config.sip.sessionTimer.minSESeconds == 90)
        #expect(config.sip.overload.maxActiveCalls == 20000)
        #expect(config.sip.overload.retryAfterSeconds == 5)
        #expect(config.rtp.portMin == 20000)
        #expect(config.rtp.portMax == 39999)
        #expect(config.rtp.pairCount == 10000)
        #expect(config.rtp.mediaTimeoutSeconds == 30)
        #expect(config.admin.listen.description == "127.0.0.1:8080")
        #expect(config.dataDirectory == "./data")
        #expect(config.log.level == .info)
        #expect(config.log.format == .text)
        #expect(config.calls.maxDurationSeconds == 14400)
        #expect(config.calls.drainSeconds == 30)
        #expect(config.calls.ringSeconds == 0)
        #expect(config.numbers.entries.isEmpty)
        #expect(config.route(forUser: "echo") == nil)
    }

    @Test func emptySectionsGiveDefaults() throws {
        #expect(try parse("sip:\nrtp:\nlog:\nnumbers:\n") == PBXConfiguration())
    }

    @Test func everyKeyOverridden() throws {
        let config = try parse("""
            sip:
              listen: ["0.0.0.0:5070", "[::]:5070"]
              public_address: 203.0.113.7
              user_agent: Test UA/2
              max_message_bytes: 4096
              session_timer:
                enabled: false
                session_expires_seconds: 600
                min_se_seconds: 120
              overload:
                max_active_calls: 100
                retry_after_seconds: 30
            rtp:
              port_min: 30000
              port_max: 30099
              media_timeout_seconds: 10
            admin:
              listen: "[::1]:9090"
            data_dir: /var/lib/sautipbx
            log:
              level: trace
              format: json
            calls:
              max_duration_seconds: 60
              drain_seconds: 0
              ring_seconds: 5
            numbers:
              - number: +254 711 222 333
                route: app:demo
                name: Demo
            """)
        #expect(config.sip.listen.map(\.description) == ["0.0.0.0:5070", "[::]:5070"])
        #expect(config.sip.listen.allSatisfy { $0.isWildcard })
        #expect(config.sip.publicAddress == PublicHost("203.0.113.7"))
        #expect(config.sip.userAgent == "Test UA/2")
        #expect(config.sip.maxMessageBytes == 4096)
        #expect(config.sip.sessionTimer == SessionTimerSettings(enabled: false, sessionExpiresSeconds: 600,
                                                                minSESeconds: 120))
        #expect(config.sip.overload == OverloadSettings(maxActiveCalls: 100, retryAfterSeconds: 30))
        #expect(config.rtp == RTPSettings(portMin: 30000, portMax: 30099, mediaTimeoutSeconds: 10))
        #expect(config.rtp.pairCount == 50)
        #expect(config.admin.listen.description == "[::1]:9090")
        #expect(config.dataDirectory == "/var/lib/sautipbx")
        #expect(config.log == LogSettings(level: .trace, format: .json))
        #expect(config.calls == CallSettings(maxDurationSeconds: 60, drainSeconds: 0, ringSeconds: 5))
        let entry = try #require(config.numbers.entries.first)
        #expect(entry.number == "+254711222333")
        #expect(entry.route == .appDemo)
        #expect(entry.name == "Demo")
        #expect(entry.isE164)
        #expect(config.route(forUser: "254711222333") == .appDemo)
    }

    /// Unquoted "+2547..." is an integer to YAML; the raw text (with "+") must survive.
    @Test func unquotedNumbersKeepTheirPlus() throws {
        let config = try parse("numbers:\n  - {number: +254700000001, route: hold}\n  - {number: 1234, route: echo}\n")
        #expect(config.numbers.entries.map(\.number) == ["+254700000001", "1234"])
        #expect(config.numbers.entries.map(\.isE164) == [true, false])
        #expect(config.numbers.entries.first?.name == nil)
    }

    @Test func nullOptionalValues() throws {
        let config = try parse("sip:\n  public_address: ~\nnumbers:\n  - {number: echo, route: echo, name: null}\n")
        #expect(config.sip.publicAddress == nil)
        #expect(config.numbers.entries.first?.name == nil)
    }

    @Test func ipv6PublicAddressAndHostname() throws {
        #expect(try parse("sip: {public_address: \"[2001:db8::1]\"}").sip.publicAddress?.kind == .ipv6)
        #expect(try parse("sip: {public_address: pbx.example.com}").sip.publicAddress?.kind == .domainName)
    }

    @Test func allLogLevels() throws {
        for level in LogLevel.allCases {
            #expect(try parse("log: {level: \(level.rawValue)}").log.level == level)
        }
    }

    @Test func boundaryValuesAreAccepted() throws {
        let low = try parse("""
            sip: {max_message_bytes: 1024, session_timer: {session_expires_seconds: 90, min_se_seconds: 90}}
            rtp: {port_min: 1024, port_max: 1025, media_timeout_seconds: 1}
            calls: {max_duration_seconds: 1, drain_seconds: 0, ring_seconds: 0}
            """)
        #expect(low.rtp.pairCount == 1)
        #expect(low.sip.maxMessageBytes == 1024)
        let high = try parse("""
            rtp: {port_min: 65534, port_max: 65535}
            calls: {max_duration_seconds: 86400, drain_seconds: 3600, ring_seconds: 60}
            """)
        #expect(high.rtp.portMax == 65535)
        #expect(high.calls.ringSeconds == 60)
    }
}
