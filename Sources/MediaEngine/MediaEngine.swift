import Dispatch
import NetIO
import RTP
import SIPSyntax

/// The set of media workers (one per core by default) and the placement of legs on them.
/// Called from the signalling queue only.
public final class MediaEngine: @unchecked Sendable {
    public let workers: [MediaWorker]
    public let bindAddress: String
    /// Ports whose sockets are bound (each owned by the worker `worker(port)`).
    private var bound: Set<Int> = []
    private var portOf: [UInt64: Int] = [:]
    private var idOf: [Int: UInt64] = [:]

    /// Delivers what legs report (keys, media timeout, playback end) and each leg's final
    /// quality on `queue` — the caller's queue, where this engine is used.
    public func onEvents(queue: DispatchQueue, _ handler: @escaping @Sendable (UInt64, MediaSession.Event) -> Void,
                         closed: @escaping @Sendable (UInt64, MediaQuality) -> Void) {
        for w in workers {
            w.setCallbacks(event: { [weak self] port, event in
                guard let engine = self else { return }
                queue.async { if let id = engine.idOf[port] { handler(id, event) } }
            }, closed: { id, quality in queue.async { closed(id, quality) } })
        }
    }

    public init(workers count: Int, bindAddress: String) throws {
        workers = try (0..<max(1, count)).map { try MediaWorker(index: $0) }
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

    /// Bridges two legs so each hears the other. Both must be on the same worker (ports are
    /// placed by `worker(port)`; `PortPool` callers pick a port of the same worker for the
    /// second leg). False when they are not.
    @discardableResult
    public func bridge(_ a: UInt64, _ b: UInt64) -> Bool {
        guard let pa = portOf[a], let pb = portOf[b], worker(pa) === worker(pb) else { return false }
        worker(pa).withGraph { graph, _ in graph.bridge(pa, pb) }
        return true
    }

    /// Runs `body` on a leg's session on its worker (play, stop, speech detection).
    public func withSession(id: UInt64, _ body: @escaping @Sendable (inout MediaSession) -> Void) {
        guard let port = portOf[id] else { return }
        worker(port).withGraph { graph, _ in graph.withSession(port: port, body) }
    }

    public func start(id: UInt64, session: MediaSession) {
        guard let port = portOf[id] else { return }
        worker(port).start(port: port, session: session)
    }

    /// The leg ended: its port stops delivering (sockets stay bound for the next leg).
    public func close(id: UInt64) {
        guard let port = portOf.removeValue(forKey: id) else { return }
        if idOf[port] == id { idOf[port] = nil }
        worker(port).deactivate(port: port, id: id)
        portOf.shrinkIfSparse()
    }
}
