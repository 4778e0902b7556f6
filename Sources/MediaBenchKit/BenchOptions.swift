/// Command-line options of MediaBench. Everything has a default except what identifies the
/// run; the target must be IPv4 loopback (the benchmark never sends anywhere else).
public struct BenchOptions: Sendable, Equatable {
    /// Daemon SIP address ("127.x.y.z:port").
    public var targetHost = "127.0.0.1"
    public var targetPort = 5060
    /// Number dialled (the echo number by default).
    public var number = "+254709999999"
    /// Concurrent calls (each is one leg on the daemon).
    public var legs = 100
    /// Call set-up rate while ramping up.
    public var cps = 200
    public var codec = BenchCodec.pcmu
    /// Seconds of streaming before the measurement window (jitter buffers settle).
    public var warmupSeconds = 3
    /// Length of the measurement window in seconds.
    public var seconds = 20
    /// Seconds to keep streaming after the window so its last echoes can come back.
    public var drainSeconds = 1
    /// Daemon process id; found by `processName` when nil.
    public var pid: Int32?
    /// Process name (comm) looked for when `pid` is not given.
    public var processName = "sautipbx"
    /// Hard limit on the whole run in seconds; nil = derived from the other options.
    public var timeoutSeconds: Int?
    /// Run the RTP sender thread SCHED_FIFO, so it keeps its 20 ms schedule while the daemon
    /// loads both cores (a generator on another machine would); the daemon still gets the rest.
    public var realtimeSender = false

    public init() {}

    /// The usage text printed for --help and on errors.
    public static let usage = """
        usage: MediaBench [--target 127.0.0.1:5060] [--number +254709999999] [--legs N] [--cps 200]
                          [--codec pcmu|opus] [--warmup 3] [--seconds 20] [--drain 1]
                          [--pid PID | --name sautipbx] [--timeout SECONDS] [--realtime]
        """

    /// Parses arguments (without the program name).
    public static func parse(_ args: [String]) throws(BenchError) -> BenchOptions {
        var o = BenchOptions()
        var i = 0
        func value(_ name: String) throws(BenchError) -> String {
            guard i + 1 < args.count else { throw .usage("\(name) needs a value") }
            i += 1
            return args[i]
        }
        func int(_ name: String, _ range: ClosedRange<Int>) throws(BenchError) -> Int {
            let v = try value(name)
            guard let n = Int(v), range.contains(n) else {
                throw .usage("\(name) \(v): expected a whole number in \(range.lowerBound)...\(range.upperBound)")
            }
            return n
        }
        while i < args.count {
            let a = args[i]
            switch a {
            case "--target":
                let v = try value(a)
                let parts = v.split(separator: ":")
                guard parts.count == 2, let p = Int(parts[1]), (1...65535).contains(p) else {
                    throw .usage("--target \(v): expected host:port")
                }
                guard isIPv4Loopback(String(parts[0])) else {
                    throw .usage("--target \(v): only IPv4 loopback (127.0.0.0/8) targets are allowed")
                }
                o.targetHost = String(parts[0])
                o.targetPort = p
            case "--number":
                o.number = try value(a)
                guard !o.number.isEmpty, o.number.allSatisfy({ $0.isLetter || $0.isNumber || "+-_.".contains($0) }) else {
                    throw .usage("--number \(o.number): letters, digits and + - _ . only")
                }
            case "--legs": o.legs = try int(a, 1...20000)
            case "--cps": o.cps = try int(a, 1...10000)
            case "--codec":
                let v = try value(a)
                guard let c = BenchCodec(rawValue: v.lowercased()) else { throw .usage("--codec \(v): pcmu or opus") }
                o.codec = c
            case "--warmup": o.warmupSeconds = try int(a, 0...600)
            case "--seconds": o.seconds = try int(a, 1...3600)
            case "--drain": o.drainSeconds = try int(a, 1...60)
            case "--pid": o.pid = Int32(try int(a, 1...Int(Int32.max)))
            case "--name": o.processName = try value(a)
            case "--timeout": o.timeoutSeconds = try int(a, 10...86400)
            case "--realtime": o.realtimeSender = true
            case "--help", "-h": throw .usage(usage)
            default: throw .usage("unknown option \(a)\n\(usage)")
            }
            i += 1
        }
        return o
    }

    /// The global timeout: ramp-up at `cps` (with slack for retries), warm-up, window,
    /// drain, hang-up, plus a minute.
    public var effectiveTimeoutSeconds: Int {
        timeoutSeconds ?? (legs / max(1, cps) * 2 + 10 + warmupSeconds + seconds + drainSeconds + 40 + 60)
    }

    /// True for dotted-quad addresses in 127.0.0.0/8.
    public static func isIPv4Loopback(_ host: String) -> Bool {
        let q = host.split(separator: ".", omittingEmptySubsequences: false)
        guard q.count == 4 else { return false }
        let octets = q.compactMap { UInt8($0) }
        return octets.count == 4 && octets[0] == 127
    }
}
