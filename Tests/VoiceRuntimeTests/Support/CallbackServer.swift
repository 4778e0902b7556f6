import Foundation
import PBXTestSupport

/// `callbackServerScript` run as a python3 subprocess on 127.0.0.1 (`PythonServer`).
final class CallbackServer {
    private let server: PythonServer
    var port: Int { server.port }

    /// Starts the server (`secret` is what `/signed` verifies) and reads its port.
    init(secret: String = "") throws {
        server = try PythonServer(.inline(callbackServerScript), arguments: [secret])
    }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String) -> String { server.url(path) }

    /// Terminates the child and reaps it; safe to call more than once.
    func stop() { server.stop() }
}

/// A loopback port that nothing listens on: bound, then closed again.
func closedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw PythonServer.StartFailed(description: "socket() failed") }
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
    guard bound else { throw PythonServer.StartFailed(description: "bind() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}
