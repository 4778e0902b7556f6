import Foundation

/// `callbackServerScript` run as a python3 subprocess on 127.0.0.1.
///
/// The child exits when its stdin closes, so even a crashed test run cannot leak it; `stop()`
/// (call it in a `defer`) terminates it explicitly.
final class CallbackServer {
    let port: Int
    private let process: Process
    private let stdin: Pipe

    static let python: String? = ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    struct StartFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts the server (`secret` is what `/signed` verifies) and reads its port.
    init(secret: String = "") throws {
        guard let python = Self.python else { throw StartFailed(description: "python3 not found") }
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-u", "-c", callbackServerScript, secret]
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
            throw StartFailed(description: "server did not print a port (got \(text.debugDescription))")
        }
        self.port = port
    }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Terminates the child and reaps it; safe to call more than once.
    func stop() {
        if process.isRunning { process.terminate() }
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// A loopback port that nothing listens on: bound, then closed again.
func closedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw CallbackServer.StartFailed(description: "socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw CallbackServer.StartFailed(description: "bind() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}
