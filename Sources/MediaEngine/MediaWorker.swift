import Dispatch
import Glibc
import RTP
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
    private var sockets: [Int: Sockets] = [:]
    /// Only ports with a live leg: the tick walks these, not every bound socket.
    private var graph = MediaGraph()
    private var timer: DispatchSourceTimer?
    private let startMs = MonotonicClock.now() / 1_000_000
    /// Every socket of this worker is read on `queue`, so they share one receive buffer.
    private let buffer = ReceiveBuffer()
    /// Receives what legs report: keys, media timeout, playback end (called on this queue).
    var onEvent: (@Sendable (Int, MediaSession.Event) -> Void)?
    /// Receives a leg's final quality (by leg id) when it is closed.
    var onClosed: (@Sendable (UInt64, MediaQuality) -> Void)?

    public init(index: Int) {
        queue = DispatchQueue(label: "sautipbx.media.\(index)", qos: .userInteractive)
        let t = DispatchSource.makeTimerSource(queue: queue)
        t.schedule(deadline: .now() + .milliseconds(20), repeating: .milliseconds(20), leeway: .milliseconds(1))
        t.setEventHandler { [unowned self] in self.tick() }
        t.resume()
        timer = t
    }

    deinit { timer?.cancel() }

    func nowMs() -> Int64 { MonotonicClock.now() / 1_000_000 - startMs }

    /// Wall-clock NTP time for RTCP (RFC 3550 §4): only reports use it.
    private func ntpNow() -> NTPTimestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return NTPTimestamp(unixNanoseconds: Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec))
    }

    /// Adopts a freshly bound socket pair for `port` and starts reading it on this worker.
    func adopt(port: Int, rtp: UDPSocket, rtcp: UDPSocket?) {
        queue.async { [self] in
            sockets[port] = Sockets(rtp: rtp, rtcp: rtcp)
            rtp.start(on: queue, buffer: buffer) { [unowned self] bytes, from in
                graph.receive(port: port, bytes, from: from, nowMs: nowMs())
            }
            rtcp?.start(on: queue, buffer: buffer) { [unowned self] bytes, from in
                graph.receiveRTCP(port: port, bytes, from: from, nowMs: nowMs(), ntp: ntpNow())
            }
        }
    }

    /// A leg starts using `port` (its sockets are bound already).
    func activate(port: Int) {
        queue.async { [self] in graph.activate(port: port) }
    }

    func start(port: Int, session: MediaSession) {
        queue.async { [self] in graph.start(port: port, session: session, nowMs: nowMs()) }
    }

    func deactivate(port: Int, id: UInt64) {
        queue.async { [self] in
            if let q = graph.deactivate(port: port) { onClosed?(id, q) }
        }
    }

    /// Runs `body` on the worker's graph (bridges, playback, recording), on its queue.
    func withGraph(_ body: @escaping @Sendable (inout MediaGraph, Int64) -> Void) {
        queue.async { [self] in body(&graph, nowMs()) }
    }

    private func tick() {
        let sockets = self.sockets
        let onEvent = self.onEvent
        graph.tick(nowMs: nowMs(), ntp: ntpNow(), send: { port, channel, bytes, to in
            guard let pair = sockets[port] else { return }
            switch channel {
            case .rtp: pair.rtp.send(bytes, to: to)
            case .rtcp: pair.rtcp?.send(bytes, to: to)
            }
        }, event: { port, e in onEvent?(port, e) })
    }
}
