import Foundation
import Testing

/// Writes every torture message to `$SIP_FUZZ_CORPUS/<name>.sip` as the fuzzer's seed corpus.
/// Runs only when that variable is set (scripts/fuzz-sip.sh sets it); otherwise skipped.
@Suite struct FuzzCorpusExport {
    static let directory = ProcessInfo.processInfo.environment["SIP_FUZZ_CORPUS"]

    @Test(.enabled(if: directory != nil))
    func exportFuzzCorpus() throws {
        let dir = try #require(Self.directory)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (i, c) in RFC4475Tests.cases.enumerated() {
            let name = c.name.unicodeScalars.map { $0.properties.isAlphabetic || ("0"..."9").contains($0) ? Character($0) : "-" }
            let path = "\(dir)/\(String(format: "%02d", i))-\(String(name)).sip"
            try Data(c.bytes).write(to: URL(fileURLWithPath: path))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).count >= RFC4475Tests.cases.count)
    }
}
