import Testing
@testable import PBXConfig

/// The shipped config/sautipbx.yaml must load and say what its comments say.
@Suite struct SampleConfigFileTests {
    /// Package root: this file is <root>/Tests/PBXConfigTests/SampleConfigFileTests.swift.
    static let samplePath: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/config/sautipbx.yaml"
    }()

    @Test func loadsTheShippedFile() throws {
        let config = try PBXConfiguration.load(path: Self.samplePath)
        #expect(config.sip.listen.map(\.description) == ["127.0.0.1:5060", "[::1]:5060"])
        #expect(config.sip.listen.map(\.family) == [.ipv4, .ipv6])
        #expect(config.sip.publicAddress == nil)
        #expect(config.sip.userAgent == "SautiPBX/0.1")
        #expect(config.sip.maxMessageBytes == 65535)
        #expect(config.sip.sessionTimer == SessionTimerSettings(enabled: true, sessionExpiresSeconds: 1800,
                                                                minSESeconds: 90))
        #expect(config.sip.overload == OverloadSettings(maxActiveCalls: 20000, retryAfterSeconds: 5))
        #expect(config.rtp == RTPSettings(portMin: 20000, portMax: 39999, mediaTimeoutSeconds: 30))
        #expect(config.admin.listen.description == "127.0.0.1:8080")
        #expect(config.dataDirectory == "./data")
        #expect(config.log == LogSettings(level: .info, format: .text))
        #expect(config.calls == CallSettings(maxDurationSeconds: 14400, drainSeconds: 30, ringSeconds: 0))
        #expect(config.numbers.entries.map(\.number) == ["+254700000001", "+254709999999", "echo"])
        #expect(config.numbers.entries.map(\.route) == [.appDemo, .echo, .echo])
        #expect(config.numbers.entries.first?.name == "Docs example number")
    }

    @Test func shippedFileRoutesWithAndWithoutPlus() throws {
        let config = try PBXConfiguration.load(path: Self.samplePath)
        #expect(config.route(forUser: "+254700000001") == .appDemo)
        #expect(config.route(forUser: "254700000001") == .appDemo)
        #expect(config.route(forUser: "254709999999") == .echo)
        #expect(config.route(forUser: "echo") == .echo)
        #expect(config.route(forUser: "+echo") == .echo)
        #expect(config.route(forUser: "Echo") == nil)
        #expect(config.route(forUser: "254700000002") == nil)
    }

    /// Apart from the documented exceptions (second listener, numbers), the file states the defaults.
    @Test func shippedFileMatchesBuiltInDefaults() throws {
        var config = try PBXConfiguration.load(path: Self.samplePath)
        config.sip.listen.removeLast()
        config.numbers = NumberPlan()
        #expect(config == PBXConfiguration())
    }

    @Test func missingFileNamesThePath() {
        let path = "/nonexistent/sautipbx.yaml"
        let error = #expect(throws: ConfigError.self) { try PBXConfiguration.load(path: path) }
        #expect(error?.source == path)
        #expect(error?.description.hasPrefix("\(path): cannot read file") == true)
    }
}
