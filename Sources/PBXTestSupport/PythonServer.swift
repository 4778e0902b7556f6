import Foundation

/// A python3 child process on loopback for tests that need a real peer (webhook receivers,
/// voice apps, audio servers): started with a script file or an inline script, it prints
/// its port as the first stdout line. The child exits when its stdin closes, so even a
/// crashed test run cannot leak it; `stop()` (call it in a `defer`) terminates it explicitly.
public final class PythonServer: @unchecked Sendable {
    public let port: Int
    private let process: Process
    private let stdin: Pipe

    /// The interpreter, when one is installed.
    public static let python: String? = ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    public struct StartFailed: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// What to run: a file (`python3 -u FILE args`) or a script text (`python3 -u -c TEXT args`).
    public enum Script {
        case file(String)
        case inline(String)
    }

    /// Starts the child and reads its port from the first stdout line.
    public init(_ script: Script, arguments: [String] = []) throws {
        guard let python = Self.python else { throw StartFailed(description: "python3 not found") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        switch script {
        case .file(let path): process.arguments = ["-u", path] + arguments
        case .inline(let text): process.arguments = ["-u", "-c", text] + arguments
        }
        let stdin = Pipe()
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
            throw StartFailed(description: "server did not print a port (got \(text.debugDescription))")
        }
        self.port = port
        self.process = process
        self.stdin = stdin
    }

    /// `http://127.0.0.1:<port><path>`.
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Terminates the child and reaps it; safe to call more than once.
    public func stop() {
        if process.isRunning { process.terminate() }
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit { stop() }
}
