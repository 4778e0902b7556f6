import Testing
@testable import PBXConfig

@Suite struct MediaWorkersConfigTests {
    @Test func defaultIsOnePerCPUAndAValueIsKept() throws {
        #expect(try PBXConfiguration.parse(yaml: "rtp: {port_min: 20000}", source: "t").rtp.mediaWorkers == 0)
        #expect(try PBXConfiguration.parse(yaml: "rtp: {media_workers: 3}", source: "t").rtp.mediaWorkers == 3)
    }

    @Test func outOfRangeNamesTheKey() {
        do {
            _ = try PBXConfiguration.parse(yaml: "rtp: {media_workers: 300}", source: "t")
            Issue.record("300 workers must be refused")
        } catch {
            #expect(error.message.hasPrefix("rtp.media_workers:"))
        }
    }
}
