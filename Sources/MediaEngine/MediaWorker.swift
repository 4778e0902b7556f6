import Dispatch
import NetIO
import SIPSyntax

/// One media worker (ARCHITECTURE: a serial queue per core with one 20 ms tick that owns
/// its sessions' RTP sockets; no thread or timer per call). Sessions are added, started and
/// removed by messages onto the queue; packets and ticks run there too.
public final class MediaWorker: @unchecked Sendable {
    public let queue: DispatchQueue
    private struct Entry {
        var rtp: UDPSocket
        var rtcp: UDPSocket?
        var session: MediaSession?
        /// Packets that arrived between our 200 and the ACK (the caller may send media as
        /// soon as it has our answer), replayed when the session starts.
        var early: [(bytes: [UInt8], from: TransportAddress, ms: Int64)] = []
    }
    private var entries: [UInt64: Entry] = [:]
    private var timer: DispatchSourceTimer?
    private let startMs = MonotonicClock.now() / 1_000_000

    public init(index: Int) {
        queue = DispatchQueue(label: "sautipbx.media.\(index)", qos: .userInteractive)
        let t = DispatchSource.makeTimerSource(queue: queue)
        t.schedule(deadline: .now() + .milliseconds(20), repeating: .milliseconds(20), leeway: .milliseconds(1))
        t.setEventHandler { [unowned self] in self.tick() }
        t.resume()
        timer = t
    }

    deinit { timer?.cancel() }

    private func nowMs() -> Int64 { MonotonicClock.now() / 1_000_000 - startMs }

    /// Adopts already-bound sockets for leg `id` (RTCP is bound so the port pair is ours;
    /// RTCP reports come later).
    func attach(id: UInt64, rtp: UDPSocket, rtcp: UDPSocket?) {
        queue.async { [self] in
            entries[id] = Entry(rtp: rtp, rtcp: rtcp, session: nil)
            rtp.start(on: queue) { [unowned self] bytes, from in
                guard var e = entries[id] else { return }
                guard var s = e.session else {
                    if e.early.count < 25 { e.early.append((Array(bytes), from, nowMs())) }
                    entries[id] = e
                    return
                }
                s.receive(bytes, from: from, nowMs: nowMs())
                e.session = s
                entries[id] = e
            }
            rtcp?.start(on: queue) { _, _ in }
        }
    }

    func start(id: UInt64, session: MediaSession) {
        queue.async { [self] in
            guard var e = entries[id] else { return }
            var s = session
            for p in e.early { p.bytes.withUnsafeBytes { s.receive($0, from: p.from, nowMs: p.ms) } }
            e.early = []
            e.session = s
            entries[id] = e
        }
    }

    func close(id: UInt64) {
        queue.async { [self] in
            guard let e = entries.removeValue(forKey: id) else { return }
            e.rtp.close()
            e.rtcp?.close()
        }
    }

    /// Sessions on this worker (for tests and metrics); call on `queue`.
    var sessionCount: Int { entries.count }

    private func tick() {
        let now = nowMs()
        for (id, var e) in entries {
            guard var s = e.session else { continue }
            let out = s.tick(nowMs: now)
            for packet in out { e.rtp.send(packet, to: s.sendTo) }
            e.session = s
            entries[id] = e
        }
    }
}

/// The set of media workers (one per core by default) and the placement of legs on them.
public final class MediaEngine: @unchecked Sendable {
    public let workers: [MediaWorker]
    public let bindAddress: String

    public init(workers count: Int, bindAddress: String) {
        workers = (0..<max(1, count)).map { MediaWorker(index: $0) }
        self.bindAddress = bindAddress
    }

    private func worker(_ id: UInt64) -> MediaWorker { workers[Int(id % UInt64(workers.count))] }

    /// Binds the RTP/RTCP pair for a leg (so the port in our SDP answer is really ours).
    /// Throws when the port is taken; the caller decides what to do with the call.
    public func open(id: UInt64, port: Int) throws {
        let rtp = try UDPSocket(bind: TransportAddress(host: bindAddress, port: port), bufferBytes: 256 << 10)
        let rtcp = try? UDPSocket(bind: TransportAddress(host: bindAddress, port: port + 1), bufferBytes: 64 << 10)
        worker(id).attach(id: id, rtp: rtp, rtcp: rtcp)
    }

    public func start(id: UInt64, session: MediaSession) { worker(id).start(id: id, session: session) }

    public func close(id: UInt64) { worker(id).close(id: id) }
}
