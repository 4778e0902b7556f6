import Foundation

/// integration/webhook_receiver.py run as a subprocess on 127.0.0.1.
///
/// The child exits when its stdin closes, so even a crashed test run cannot leak it; `stop()`
/// (call it in a `defer`) terminates it explicitly.
final class ReceiverProcess {
    let port: Int
    private let process: Process
    private let stdin: Pipe

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

    static let python: String? = ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static var available: Bool { scriptPath != nil && python != nil }

    struct StartFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts the receiver with `arguments` and reads its port from the first stdout line.
    init(_ arguments: [String]) throws {
        guard let script = Self.scriptPath, let python = Self.python else {
            throw StartFailed(description: "python3 or integration/webhook_receiver.py not found")
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-u", script] + arguments
        stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        var line: [UInt8] = []
        let reader = stdout.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = reader.availableData  // blocks until data or EOF
            if chunk.isEmpty { break }
            line.append(contentsOf: chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let port = Int(text), port > 0 else {
            process.terminate()
            throw StartFailed(description: "receiver did not print a port (got \(text.debugDescription))")
        }
        self.port = port
    }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String = "/hooks") -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Terminates the child and reaps it; safe to call more than once.
    func stop() {
        if process.isRunning { process.terminate() }
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// A fresh temporary directory, removed by `cleanup()`.
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
