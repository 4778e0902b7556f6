import Dispatch
import NetIO
import SIPSyntax

/// One media worker (ARCHITECTURE: a serial queue per core with one 20 ms tick that owns
/// its sessions' RTP sockets; no thread or timer per call). Sockets are keyed by port and
/// kept bound after a call ends, so the next call on that port costs no socket, bind or
/// Dispatch source: at 2,000 calls/s creating them per call cost ~180 µs of CPU each.
public final class MediaWorker: @unchecked Sendable {
    public let queue: DispatchQueue
    private struct Sockets {
        var rtp: UDPSocket
        var rtcp: UDPSocket?
    }
    /// A port in use by a leg.
    private struct Active {
        var session: MediaSession?
        /// Packets that arrived between our 200 and the ACK (the caller may send media as
        /// soon as it has our answer), replayed when the session starts.
        var early: [(bytes: [UInt8], from: TransportAddress, ms: Int64)] = []
    }
    private var sockets: [Int: Sockets] = [:]
    /// Only ports with a live leg: the tick walks these, not every bound socket.
    private var active: [Int: Active] = [:]
    private var timer: DispatchSourceTimer?
    private let startMs = MonotonicClock.now() / 1_000_000
    /// Every socket of this worker is read on `queue`, so they share one receive buffer.
    private let buffer = ReceiveBuffer()
    /// Receives the keys found on a port (called on this worker's queue).
    var onKeys: (@Sendable (Int, [MediaSession.KeyPress]) -> Void)?

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

    /// Adopts a freshly bound socket pair for `port` and starts reading it on this worker.
    func adopt(port: Int, rtp: UDPSocket, rtcp: UDPSocket?) {
        queue.async { [self] in
            sockets[port] = Sockets(rtp: rtp, rtcp: rtcp)
            rtp.start(on: queue, buffer: buffer) { [unowned self] bytes, from in received(bytes, from: from, port: port) }
            rtcp?.start(on: queue, buffer: buffer) { _, _ in } // RTCP reports: later in issue 3
        }
    }

    private func received(_ bytes: UnsafeRawBufferPointer, from: TransportAddress, port: Int) {
        guard var a = active[port] else { return } // stale packets of an ended call
        guard var s = a.session else {
            if a.early.count < 25 { a.early.append((Array(bytes), from, nowMs())) }
            active[port] = a
            return
        }
        a.session = nil // keep the session uniquely referenced while it mutates
        s.receive(bytes, from: from, nowMs: nowMs())
        let keys = s.takeKeys()
        a.session = s
        active[port] = a
        if !keys.isEmpty { onKeys?(port, keys) }
    }

    /// A leg starts using `port` (its sockets are bound already).
    func activate(port: Int) {
        queue.async { [self] in active[port] = Active() }
    }

    func start(port: Int, session: MediaSession) {
        queue.async { [self] in
            guard let a = active[port] else { return }
            var s = session
            for p in a.early { p.bytes.withUnsafeBytes { s.receive($0, from: p.from, nowMs: p.ms) } }
            active[port] = Active(session: s)
        }
    }

    func deactivate(port: Int) {
        queue.async { [self] in
            active[port] = nil
            active.shrinkIfSparse()
        }
    }

    private func tick() {
        let now = nowMs()
        for port in Array(active.keys) {
            guard var a = active[port], var s = a.session, let socket = sockets[port]?.rtp else { continue }
            a.session = nil
            let out = s.tick(nowMs: now)
            for packet in out { socket.send(packet, to: s.sendTo) }
            a.session = s
            active[port] = a
        }
    }
}

/// The set of media workers (one per core by default) and the placement of legs on them.
/// Called from the signalling queue only.
public final class MediaEngine: @unchecked Sendable {
    public let workers: [MediaWorker]
    public let bindAddress: String
    /// Ports whose sockets are bound (each owned by the worker `worker(port)`).
    private var bound: Set<Int> = []
    private var portOf: [UInt64: Int] = [:]
    private var idOf: [Int: UInt64] = [:]

    /// Delivers key presses (RFC 4733 or in-band) for a leg on `queue` — the caller's queue,
    /// where this engine is used.
    public func onKeys(queue: DispatchQueue, _ handler: @escaping @Sendable (UInt64, [MediaSession.KeyPress]) -> Void) {
        for w in workers {
            w.queue.async {
                w.onKeys = { [weak self] port, keys in
                    guard let engine = self else { return }
                    queue.async { if let id = engine.idOf[port] { handler(id, keys) } }
                }
            }
        }
    }

    public init(workers count: Int, bindAddress: String) {
        workers = (0..<max(1, count)).map { MediaWorker(index: $0) }
        self.bindAddress = bindAddress
    }

    private func worker(_ port: Int) -> MediaWorker { workers[(port / 2) % workers.count] }

    /// Makes the RTP/RTCP pair for a leg ours (binding it the first time the port is used),
    /// so the port in our SDP answer is really listening. Throws when the port is taken.
    public func open(id: UInt64, port: Int) throws {
        if !bound.contains(port) {
            let rtp = try UDPSocket(bind: TransportAddress(host: bindAddress, port: port), bufferBytes: 256 << 10)
            let rtcp = try? UDPSocket(bind: TransportAddress(host: bindAddress, port: port + 1), bufferBytes: 64 << 10)
            worker(port).adopt(port: port, rtp: rtp, rtcp: rtcp)
            bound.insert(port)
        }
        portOf[id] = port
        idOf[port] = id
        worker(port).activate(port: port)
    }

    public func start(id: UInt64, session: MediaSession) {
        guard let port = portOf[id] else { return }
        worker(port).start(port: port, session: session)
    }

    /// The leg ended: its port stops delivering (sockets stay bound for the next leg).
    public func close(id: UInt64) {
        guard let port = portOf.removeValue(forKey: id) else { return }
        if idOf[port] == id { idOf[port] = nil }
        worker(port).deactivate(port: port)
        portOf.shrinkIfSparse()
    }
}
