import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The sd_notify(3) protocol in pure Swift: one datagram of "KEY=VALUE\n" lines sent to the
/// AF_UNIX socket named by `$NOTIFY_SOCKET`, so the daemon needs no libsystemd.
///
/// With `Type=notify` systemd waits for `READY=1` before it calls the unit started, and with
/// `WatchdogSec=` it restarts the unit when `WATCHDOG=1` pings stop. The kernel attaches the
/// sender's credentials to each datagram, which `NotifyAccess=main` checks. The socket is
/// opened per message: notifications are rare (start, stop, a ping every few seconds).
public final class SystemdNotifier: Sendable {
    /// The `sun_path` bytes to send to; abstract names start with a NUL byte. Nil when disabled.
    private let socketPath: [UInt8]?

    /// How often to send `WATCHDOG=1`: half of `WATCHDOG_USEC` (as sd_watchdog_enabled(3)
    /// advises), or nil when systemd expects no watchdog pings from this process.
    public let watchdogInterval: Duration?

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap(SystemdNotifier.socketPath(from:))
        watchdogInterval = SystemdNotifier.watchdogInterval(
            usec: environment["WATCHDOG_USEC"], pid: environment["WATCHDOG_PID"], ownPID: getpid())
    }

    /// Whether systemd gave us a notification socket (false when not run by systemd).
    public var isEnabled: Bool { socketPath != nil }

    /// Sends `state` (newline-separated assignments) as one datagram; true when it was sent.
    @discardableResult
    public func notify(_ state: String) -> Bool {
        guard let socketPath, !state.isEmpty else { return false }
        return SystemdNotifier.send(Array(state.utf8), to: socketPath)
    }

    /// Tells systemd that start-up finished (`READY=1`), with an optional status line.
    @discardableResult
    public func ready(status: String? = nil) -> Bool {
        guard let status else { return notify("READY=1") }
        return notify("READY=1\nSTATUS=\(SystemdNotifier.oneLine(status))")
    }

    /// Tells systemd that shutdown began (`STOPPING=1`), so it does not count a slow drain as a hang.
    @discardableResult
    public func stopping() -> Bool { notify("STOPPING=1") }

    /// Pings the watchdog (`WATCHDOG=1`); send every `watchdogInterval`.
    @discardableResult
    public func watchdog() -> Bool { notify("WATCHDOG=1") }

    /// Sets the free-form status shown by `systemctl status` (`STATUS=...`).
    @discardableResult
    public func status(_ text: String) -> Bool { notify("STATUS=\(SystemdNotifier.oneLine(text))") }

    // MARK: - Parsing the environment

    /// `sun_path` bytes for a NOTIFY_SOCKET value: an absolute path, or "@name" for an abstract
    /// socket (the "@" becomes a NUL byte). Other forms (e.g. systemd 254's "vsock:") are not
    /// supported and leave notifications disabled.
    static func socketPath(from value: String) -> [UInt8]? {
        var bytes = Array(value.utf8)
        guard let first = bytes.first, bytes.count >= 2, !bytes.dropFirst().contains(0) else { return nil }
        let capacity = MemoryLayout<sockaddr_un>.size - MemoryLayout<sa_family_t>.size
        switch first {
        case UInt8(ascii: "/"):
            // A path needs room for its terminating NUL in sun_path.
            guard bytes.count < capacity else { return nil }
            return bytes
        case UInt8(ascii: "@"):
            // unix(7): an abstract address starts with NUL and is exactly as long as addrlen says.
            guard bytes.count <= capacity else { return nil }
            bytes[0] = 0
            return bytes
        default:
            return nil
        }
    }

    /// Half of `WATCHDOG_USEC` when it is a positive integer and `WATCHDOG_PID` is unset or
    /// names this process (a watchdog meant for a parent or child is not ours to ping).
    static func watchdogInterval(usec: String?, pid: String?, ownPID: pid_t) -> Duration? {
        guard let usec, let microseconds = Int64(usec), microseconds > 0 else { return nil }
        if let pid {
            guard let target = pid_t(pid), target == ownPID else { return nil }
        }
        return .microseconds(microseconds / 2)
    }

    /// Status text must stay on one line: a newline would start another assignment.
    static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }

    // MARK: - Sending

    private static func send(_ message: [UInt8], to path: [UInt8]) -> Bool {
        let socketType = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(AF_UNIX, socketType, 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }

        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathCapacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.count <= pathCapacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path)
        }
        // Filesystem paths are measured with their NUL (sd_notify does the same); abstract
        // names without one, since every byte of an abstract name is significant.
        let isAbstract = path.first == 0
        let pathLength = isAbstract ? path.count : min(path.count + 1, pathCapacity)
        let addressLength = socklen_t(MemoryLayout<sa_family_t>.size + pathLength)

        while true {
            let sent = withUnsafePointer(to: &address) { addressPointer in
                addressPointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    message.withUnsafeBytes { bytes in
                        sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), socketAddress, addressLength)
                    }
                }
            }
            if sent >= 0 { return sent == message.count }
            if errno != EINTR { return false }
        }
    }
}
