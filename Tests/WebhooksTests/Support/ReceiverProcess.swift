import Foundation
import PBXTestSupport

/// integration/webhook_receiver.py run as a subprocess on 127.0.0.1 (`PythonServer`).
final class ReceiverProcess {
    private let server: PythonServer
    var port: Int { server.port }

    /// Where the script lives: `integration/` next to `Tests/`, found by walking up from here.
    static let scriptPath: String? = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent("integration/webhook_receiver.py")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }()

    static var available: Bool { scriptPath != nil && PythonServer.python != nil }

    /// Starts the receiver with `arguments` and reads its port from the first stdout line.
    init(_ arguments: [String]) throws {
        guard let script = Self.scriptPath else {
            throw PythonServer.StartFailed(description: "integration/webhook_receiver.py not found")
        }
        server = try PythonServer(.file(script), arguments: arguments)
    }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String = "/hooks") -> String { server.url(path) }

    /// Terminates the child and reaps it; safe to call more than once.
    func stop() { server.stop() }
}

struct TempDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("webhooks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

/// The receiver's accepted-events file as JSON objects, one per line.
func acceptedEvents(_ path: String) throws -> [[String: Any]] {
    guard FileManager.default.fileExists(atPath: path) else { return [] }
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return try text.split(separator: "\n").map { line in
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
    }
}
