import Glibc
import MediaBenchKit

/// Places and ends the benchmark's calls over one SIP UDP socket, driving one `BenchCall`
/// state machine per call. Runs on the main thread; between phases it keeps answering the
/// daemon (a retransmitted 200 gets its ACK again, a BYE gets 200).
final class SIPDriver {
    let fd: Int32
    let localPort: Int
    private var target: sockaddr_in
    private(set) var calls: [BenchCall] = []
    /// Each call's own RTP socket, and its port.
    private(set) var rtpFDs: [Int32] = []
    /// Calls that still run a timer (INVITE or BYE outstanding).
    private var pending = Set<Int>()
    private(set) var failureReasons: [String: Int] = [:]
    private(set) var byeFailed = 0
    private var buffer = [UInt8](repeating: 0, count: 65536)

    init(options o: BenchOptions, runID: String) throws(BenchError) {
        guard let t = Posix.sockaddrIn(host: o.targetHost, port: o.targetPort) else {
            throw .setup("bad target \(o.targetHost)")
        }
        target = t
        let local = o.targetHost
        (fd, localPort) = try Posix.udpSocket(host: local, bufferBytes: 4 << 20)
        for i in 0..<o.legs {
            let rtp = try Posix.udpSocket(host: local)
            var one: Int32 = 1
            // Kernel receive timestamps: on loopback the echo is stamped while the daemon's
            // sendto runs, so the jitter measured is the daemon's, not our receive thread's.
            setsockopt(rtp.fd, SOL_SOCKET, Receiver.soTimestampNS, &one, socklen_t(MemoryLayout<Int32>.size))
            rtpFDs.append(rtp.fd)
            calls.append(BenchCall(.init(index: i, runID: runID, number: o.number, target: "\(o.targetHost):\(o.targetPort)",
                                         local: "\(local):\(localPort)", rtpAddress: local, rtpPort: rtp.port, codec: o.codec)))
        }
    }

    /// Calls that are up with media.
    var establishedIndices: [Int] { calls.indices.filter { calls[$0].state == .established } }

    /// Sends INVITEs at `cps` and returns when every call is up or failed (each has a 5 s limit).
    func placeCalls(cps: Int) {
        let start = Posix.monotonicNs()
        let gap = 1_000_000_000 / Int64(max(1, cps))
        var next = 0
        while next < calls.count || !pending.isEmpty {
            let now = Posix.monotonicNs()
            while next < calls.count, start + Int64(next) * gap <= now {
                pending.insert(next)
                perform(calls[next].receive(.start(nowNs: now)), call: next)
                next += 1
            }
            let due = next < calls.count ? start + Int64(next) * gap : now + 10_000_000
            service(until: min(due, now + 10_000_000))
        }
    }

    /// Sends BYE on every established call and waits (at most `limitNs`) for the answers.
    func hangUpAll(limitNs: Int64 = 15_000_000_000) {
        let now = Posix.monotonicNs()
        for i in establishedIndices {
            pending.insert(i)
            perform(calls[i].receive(.hangUp(nowNs: now)), call: i)
        }
        let end = now + limitNs
        while !pending.isEmpty, Posix.monotonicNs() < end {
            service(until: min(end, Posix.monotonicNs() + 10_000_000))
        }
        byeFailed += pending.count
    }

    /// Reads SIP and fires due timers until `deadline` (monotonic ns).
    func service(until deadline: Int64) {
        repeat {
            let now = Posix.monotonicNs()
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let waitMs = max(0, min(10, Int32((deadline - now + 999_999) / 1_000_000)))
            if poll(&p, 1, waitMs) > 0 { drain() }
            fireTimers(now: Posix.monotonicNs())
        } while Posix.monotonicNs() < deadline
    }

    private func fireTimers(now: Int64) {
        for i in pending where calls[i].nextTimerNs <= now {
            perform(calls[i].receive(.timerFired(nowNs: now)), call: i)
        }
    }

    private func drain() {
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return }
            guard let m = try? SIPMessageView(parsing: Array(buffer[0..<n])),
                  let i = m.header("call-id").flatMap(BenchCall.index(fromCallID:)), calls.indices.contains(i)
            else { continue }
            if let method = m.method {
                request(m, method: method, call: i)
            } else {
                perform(calls[i].receive(.responseReceived(m, nowNs: Posix.monotonicNs())), call: i)
            }
        }
    }

    /// The daemon's own requests: BYE (e.g. its max call duration) ends the call; ACK needs
    /// no answer; anything else in a benchmark dialog is declined politely.
    private func request(_ m: SIPMessageView, method: String, call i: Int) {
        switch method {
        case "ACK": return
        case "BYE":
            send(m.response(status: 200, reason: "OK", userAgent: "SautiPBX-MediaBench"))
            perform(calls[i].receive(.byeReceived), call: i)
        default:
            send(m.response(status: 501, reason: "Not Implemented", userAgent: "SautiPBX-MediaBench"))
        }
    }

    private func perform(_ actions: [BenchCall.Action], call i: Int) {
        for a in actions {
            switch a {
            case .send(let bytes): send(bytes)
            case .established(let media):
                do throws(BenchError) { try Posix.connect(rtpFDs[i], host: media.address, port: media.port) } catch {
                    failureReasons[error.description, default: 0] += 1
                }
                pending.remove(i)
            case .failed(let why):
                if why == "BYE unanswered" { byeFailed += 1 } else { failureReasons[why, default: 0] += 1 }
                pending.remove(i)
            case .terminated:
                pending.remove(i)
            }
        }
    }

    private func send(_ bytes: [UInt8]) {
        let n = bytes.withUnsafeBytes { b in
            withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, b.baseAddress, b.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        if n < 0 { failureReasons["sendto: \(String(cString: strerror(errno)))", default: 0] += 1 }
    }

    /// Calls that got no usable 200.
    var failedCount: Int {
        calls.reduce(0) { n, c in if case .failed = c.state { return n + 1 } else { return n } }
    }
}
