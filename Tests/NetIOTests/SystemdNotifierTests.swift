import Foundation
import Testing
@testable import NetIO
#if canImport(Glibc)
import Glibc
#endif

/// A real AF_UNIX datagram socket standing in for systemd's notification socket.
private final class NotifyListener {
    let fd: Int32
    let unlinkPath: String?

    /// Binds to `sunPath` (raw sun_path bytes; a leading NUL makes it abstract).
    init(sunPath: [UInt8], unlinkPath: String?) throws {
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        try #require(fd >= 0)
        self.unlinkPath = unlinkPath
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        try #require(sunPath.count < MemoryLayout.size(ofValue: address.sun_path))
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: sunPath) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + sunPath.count + (sunPath.first == 0 ? 0 : 1))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        try #require(result == 0, "bind failed: errno \(errno)")
    }

    /// The next queued datagram, without waiting: unix datagrams are queued before sendto returns.
    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    deinit {
        close(fd)
        if let unlinkPath { unlink(unlinkPath) }
    }
}

private func uniqueName() -> String {
    "sautipbx-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
}

@Suite struct SystemdNotifierTests {
    @Test func disabledWithoutNotifySocket() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isEnabled)
        #expect(!notifier.notify("READY=1"))
        #expect(!notifier.ready())
        #expect(notifier.watchdogInterval == nil)
    }

    @Test func unsupportedSocketFormsStayDisabled() {
        for value in ["", "relative/path", "@", "/", "vsock:2:1234", String(repeating: "/a", count: 60)] {
            #expect(!SystemdNotifier(environment: ["NOTIFY_SOCKET": value]).isEnabled, "\(value)")
        }
    }

    @Test func sendsToFilesystemSocket() throws {
        let path = NSTemporaryDirectory() + uniqueName() + ".sock"
        let listener = try NotifyListener(sunPath: Array(path.utf8), unlinkPath: path)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path])
        #expect(notifier.isEnabled)

        #expect(notifier.notify("READY=1"))
        #expect(listener.receive() == "READY=1")
        #expect(notifier.watchdog())
        #expect(listener.receive() == "WATCHDOG=1")
        #expect(listener.receive() == nil)
    }

    @Test func sendsToAbstractSocket() throws {
        let name = uniqueName()
        let listener = try NotifyListener(sunPath: [0] + Array(name.utf8), unlinkPath: nil)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "@" + name])
        #expect(notifier.isEnabled)

        #expect(notifier.ready(status: "Listening on 127.0.0.1:5060"))
        #expect(listener.receive() == "READY=1\nSTATUS=Listening on 127.0.0.1:5060")
        #expect(notifier.watchdog())
        #expect(listener.receive() == "WATCHDOG=1")
        #expect(notifier.stopping())
        #expect(listener.receive() == "STOPPING=1")
        #expect(notifier.status("Draining 3 calls\nREADY=1"))
        #expect(listener.receive() == "STATUS=Draining 3 calls READY=1")
    }

    @Test func failsWhenNobodyListens() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "@" + uniqueName()])
        #expect(notifier.isEnabled)
        #expect(!notifier.watchdog())
    }

    @Test func watchdogIntervalIsHalfOfWatchdogUsec() {
        let own = String(getpid())
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000"]).watchdogInterval == .seconds(15))
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": own]).watchdogInterval
            == .seconds(15))
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "1001"]).watchdogInterval == .microseconds(500))
    }

    @Test func watchdogIntervalAbsentWhenNotOurs() {
        let other = String(getpid() + 1)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": other])
            .watchdogInterval == nil)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "x"]).watchdogInterval == nil)
        for bad in ["0", "-5", "abc", "", "99999999999999999999999"] {
            #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": bad]).watchdogInterval == nil, "\(bad)")
        }
        #expect(SystemdNotifier.watchdogInterval(usec: "20", pid: "42", ownPID: 42) == .microseconds(10))
    }
}
