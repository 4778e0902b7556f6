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

    func worker(_ port: Int) -> MediaWorker { workers[(port / 2) % workers.count] }
    func portOf(_ id: UInt64) -> Int? { portOf[id] }

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

/// A recording in progress on one leg: where it runs and its recorder, which only that
/// leg's worker touches (created, fed and finished there).
public final class RecordingHandle: @unchecked Sendable {
    let port: Int
    let worker: MediaWorker
    var recorder: WAVRecorder?
    init(port: Int, worker: MediaWorker) {
        self.port = port
        self.worker = worker
    }
}

extension MediaEngine {
    /// Records what the caller says on leg `id` to a mono WAV at the leg's rate. `failed`
    /// runs on the worker when the file cannot be created or the leg has no media yet.
    public func startRecording(id: UInt64, path: String, maxDurationMs: Int,
                               failed: @escaping @Sendable (String) -> Void) -> RecordingHandle? {
        guard let port = portOf(id) else { return nil }
        let w = worker(port)
        let handle = RecordingHandle(port: port, worker: w)
        w.withGraph { graph, _ in
            guard let rate = graph.clockRate(port: port) else { return failed("the call has no media") }
            do throws(WAVError) {
                let r = try WAVRecorder(path: path, sampleRate: rate, channels: 1, maxDurationMs: maxDurationMs)
                handle.recorder = r
                graph.record(port: port, into: r, stereo: false)
            } catch {
                failed(error.message)
            }
        }
        return handle
    }

    /// Stops a recording (also after its leg closed, which already finished the file) and
    /// reports its length and size, or nil when it never started; `done` runs on the worker.
    public func stopRecording(_ handle: RecordingHandle, done: @escaping @Sendable (Result<(durationMs: Int, bytes: Int), WAVError>?) -> Void) {
        handle.worker.withGraph { graph, _ in
            guard let r = handle.recorder else { return done(nil) }
            graph.detach(r, port: handle.port)
            do throws(WAVError) { done(.success(try r.finish())) } catch { done(.failure(error)) }
        }
    }
}
