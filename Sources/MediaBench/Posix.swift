import Glibc
import MediaBenchKit

/// Thin wrappers over the system calls the driver uses; errors become `BenchError.setup`
/// with the errno text so the reader knows what to fix.
enum Posix {
    /// CLOCK_MONOTONIC in nanoseconds.
    static func monotonicNs() -> Int64 { clockNs(CLOCK_MONOTONIC) }

    /// CLOCK_REALTIME in nanoseconds (the clock of SO_TIMESTAMPNS).
    static func realtimeNs() -> Int64 { clockNs(CLOCK_REALTIME) }

    static func clockNs(_ id: clockid_t) -> Int64 {
        var ts = timespec()
        clock_gettime(id, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Sleeps until an absolute CLOCK_MONOTONIC time (no drift from wake-up delays).
    static func sleep(untilMonotonicNs t: Int64) {
        var ts = timespec(tv_sec: Int(t / 1_000_000_000), tv_nsec: Int(t % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {}
    }

    static func errorText(_ what: String) -> BenchError {
        .setup("\(what): \(String(cString: strerror(errno)))")
    }

    /// Raises the soft descriptor limit to the hard one (one socket per call).
    static func raiseDescriptorLimit(needed: Int) throws(BenchError) {
        var rl = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &rl) == 0 else { throw errorText("getrlimit") }
        if rl.rlim_cur < rl.rlim_max {
            rl.rlim_cur = rl.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &rl)
            _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &rl)
        }
        guard rl.rlim_cur >= UInt(needed) else {
            throw .setup("need \(needed) open files, the limit is \(rl.rlim_cur): raise it (ulimit -n)")
        }
    }

    /// A non-blocking IPv4 UDP socket bound to `host`:`port` (0 = any free port).
    static func udpSocket(host: String, port: Int = 0, bufferBytes: Int32? = nil) throws(BenchError) -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw errorText("socket") }
        if var size = bufferBytes {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        guard var addr = sockaddrIn(host: host, port: port) else { close(fd); throw .setup("bad IPv4 address \(host)") }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { let e = errorText("bind \(host):\(port)"); close(fd); throw e }
        var bound = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return (fd, Int(UInt16(bigEndian: bound.sin_port)))
    }

    /// Fixes the socket's peer: sends need no address and only that peer's datagrams arrive
    /// (symmetric RTP: the daemon must answer from the port it announced).
    static func connect(_ fd: Int32, host: String, port: Int) throws(BenchError) {
        guard var addr = sockaddrIn(host: host, port: port) else { throw .setup("bad IPv4 address \(host)") }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw errorText("connect \(host):\(port)") }
    }

    static func sockaddrIn(host: String, port: Int) -> sockaddr_in? {
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = UInt16(truncatingIfNeeded: port).bigEndian
        guard inet_pton(AF_INET, host, &a.sin_addr) == 1 else { return nil }
        return a
    }

    /// Whole contents of a small file (e.g. under /proc, whose size reads as 0), or nil.
    static func readFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Names in a directory (without "." and "..").
    static func listDirectory(_ path: String) -> [String] {
        guard let d = opendir(path) else { return [] }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// Puts the calling thread in SCHED_FIFO at a low real-time priority (needs root or
    /// CAP_SYS_NICE); returns the error text when refused.
    static func makeThreadRealtime(priority: Int32 = 10) -> String? {
        var p = sched_param()
        p.sched_priority = priority
        let rc = pthread_setschedparam(pthread_self(), SCHED_FIFO, &p)
        return rc == 0 ? nil : String(cString: strerror(rc))
    }

    /// CPU time (user + system) of the calling thread, or of the whole process, in nanoseconds.
    static func cpuNs(thread: Bool) -> Int64 { clockNs(thread ? CLOCK_THREAD_CPUTIME_ID : CLOCK_PROCESS_CPUTIME_ID) }
}

/// A joinable POSIX thread running a closure (the sender and receiver loops each get one).
final class BenchThread: @unchecked Sendable {
    private var tid = pthread_t()
    private let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) { self.body = body }

    func start() throws(BenchError) {
        let box = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&tid, nil, { arg in
            guard let arg else { return nil }
            let t = Unmanaged<BenchThread>.fromOpaque(arg).takeRetainedValue()
            t.body()
            return nil
        }, box)
        guard rc == 0 else {
            Unmanaged<BenchThread>.fromOpaque(box).release()
            throw .setup("pthread_create: \(String(cString: strerror(rc)))")
        }
    }

    func join() { pthread_join(tid, nil) }
}
