import Dispatch
import Glibc
import NetIO
import RTP
import SIPSyntax

/// One media worker (ARCHITECTURE: a fixed set of workers, one per core, each a serial context
/// with one 20 ms tick that owns its sessions' RTP sockets; no thread or timer per call). It
/// runs on its own `EventLoop` thread: epoll for the sockets, a timerfd for the tick.
/// Sockets are keyed by port and kept bound after a call ends, so the next call on that port
/// costs no socket or bind (creating them per call cost ~180 µs at 2,000 calls/s).
public final class MediaWorker: @unchecked Sendable {
    /// A port's sockets and the last addresses seen/used on them in both forms, so the hot
    /// path converts between text and kernel addresses only when they change.
    final class PortIO {
        let rtp: UDPSocket
        let rtcp: UDPSocket?
        var rtpFrom = AddressCache()
        var rtcpFrom = AddressCache()
        var rtpTo = AddressCache()
        var rtcpTo = AddressCache()
        init(rtp: UDPSocket, rtcp: UDPSocket?) {
            self.rtp = rtp
            self.rtcp = rtcp
        }
    }

    private var loop: EventLoop?
    private var ports: [Int: PortIO] = [:]
    /// Sub-ticks of 2 ms: each serves a tenth of the legs (see `MediaGraph.phases`).
    static let phases = 10
    private var graph = MediaGraph(phases: MediaWorker.phases)
    private var subTick = 0
    private let startNs = MonotonicClock.now()
    /// Every socket of this worker is read on its one thread, so they share one buffer.
    private let buffer = ReceiveBuffer()
    /// Receives what legs report: keys, media timeout, playback end (called on the loop thread).
    var onEvent: (@Sendable (Int, MediaSession.Event) -> Void)?
    /// Receives a leg's final quality (by leg id) when it is closed.
    var onClosed: (@Sendable (UInt64, MediaQuality) -> Void)?

    public init(index: Int) throws {
        loop = try EventLoop(name: "sautipbx.media.\(index)", tickMs: 20 / Self.phases) { [unowned self] in self.tick(at: $0) }
    }

    deinit { loop?.stop() }

    func nowMs() -> Int64 { (MonotonicClock.now() - startNs) / 1_000_000 }

    /// CLOCK_REALTIME minus our monotonic clock, refreshed every tick, to place kernel
    /// receive timestamps (wall clock) on the worker's clock.
    private var realtimeOffsetNs: Int64 = 0

    /// Reads the wall clock once per sub-tick: it places kernel receive timestamps on our clock
    /// (so a packet costs no clock read) and is the NTP time of this tick's RTCP reports.
    private func refreshRealtimeOffset() -> NTPTimestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let realtime = Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
        realtimeOffsetNs = realtime - MonotonicClock.now()
        return NTPTimestamp(unixNanoseconds: realtime)
    }

    /// A kernel receive timestamp on the worker's clock (now when there is none).
    func arrivalMs(_ stamp: Int64?) -> Int64 {
        guard let stamp, realtimeOffsetNs != 0 else { return nowMs() }
        return (stamp - realtimeOffsetNs - startNs) / 1_000_000
    }

    /// Wall-clock NTP time for RTCP (RFC 3550 §4): only reports use it.
    private func ntpNow() -> NTPTimestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return NTPTimestamp(unixNanoseconds: Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec))
    }

    /// Runs `work` on the worker's thread.
    func post(_ work: @escaping @Sendable (MediaWorker) -> Void) {
        loop?.post { [unowned self] in work(self) }
    }

    /// Adopts a freshly bound socket pair for `port` and starts reading it on this worker.
    func adopt(port: Int, rtp: UDPSocket, rtcp: UDPSocket?) {
        post { w in
            let io = PortIO(rtp: rtp, rtcp: rtcp)
            w.ports[port] = io
            // Arrival times come from the kernel, so packets read late (while the worker was
            // busy with its tick) do not look like network jitter to the jitter buffer.
            rtp.enableReceiveTimestamps()
            w.loop?.add(fd: rtp.fd) { [unowned w] in
                // One datagram per readiness: epoll is level-triggered and reports the socket
                // again if more wait, which saves the empty read that ends every drain.
                rtp.drain(into: w.buffer, max: 1) { bytes, from, len, stamp in
                    let source = io.rtpFrom.address(from, len)
                    w.graph.receive(port: port, bytes, from: source, nowMs: w.arrivalMs(stamp))
                }
            }
            if let rtcp {
                w.loop?.add(fd: rtcp.fd) { [unowned w] in
                    rtcp.drain(into: w.buffer) { bytes, from, len, _ in
                        let source = io.rtcpFrom.address(from, len)
                        w.graph.receiveRTCP(port: port, bytes, from: source, nowMs: w.nowMs(), ntp: w.ntpNow())
                    }
                }
            }
        }
    }

    /// A leg starts using `port` (its sockets are bound already).
    func activate(port: Int) { post { $0.graph.activate(port: port) } }

    func start(port: Int, session: MediaSession) {
        post { w in w.graph.start(port: port, session: session, nowMs: w.nowMs()) }
    }

    func deactivate(port: Int, id: UInt64) {
        post { w in if let q = w.graph.deactivate(port: port) { w.onClosed?(id, q) } }
    }

    /// Runs `body` on the worker's graph (bridges, playback, recording), on its thread.
    func withGraph(_ body: @escaping @Sendable (inout MediaGraph, Int64) -> Void) {
        post { w in body(&w.graph, w.nowMs()) }
    }

    /// Sets the event callbacks (on the worker's thread, like every other use of them).
    func setCallbacks(event: @escaping @Sendable (Int, MediaSession.Event) -> Void,
                      closed: @escaping @Sendable (UInt64, MediaQuality) -> Void) {
        post { w in
            w.onEvent = event
            w.onClosed = closed
        }
    }

    /// `nominalNs` is the tick's place on the 20 ms grid: playout decisions use it, so a tick
    /// that runs a little late (the thread was reading packets) still releases exactly the
    /// packets of its slot, and what we send keeps a steady 20 ms rhythm.
    private func tick(at nominalNs: Int64) {
        // The loop calls once per period, in order, so counting keeps phases exact.
        let phase = subTick
        subTick = (subTick + 1) % Self.phases
        let ntp = refreshRealtimeOffset()
        let onEvent = self.onEvent
        graph.tick(nowMs: (nominalNs - startNs) / 1_000_000, ntp: ntp, phase: phase, send: { port, channel, bytes, to in
            guard let io = ports[port] else { return }
            switch channel {
            case .rtp:
                io.rtpTo.withKernelAddress(to) { io.rtp.send(bytes, to: $0, length: $1) }
            case .rtcp:
                guard let rtcp = io.rtcp else { return }
                io.rtcpTo.withKernelAddress(to) { rtcp.send(bytes, to: $0, length: $1) }
            }
        }, event: { port, e in onEvent?(port, e) })
    }
}

/// One remembered address in text and kernel form.
struct AddressCache {
    private var storage = sockaddr_storage()
    private var length: socklen_t = 0
    private var text: TransportAddress?

    /// The text form of a kernel address, converted only when it differs from the last one.
    mutating func address(_ from: UnsafePointer<sockaddr_storage>, _ len: socklen_t) -> TransportAddress {
        if let t = text, len == length, memcmp(from, &storage, Int(len)) == 0 { return t }
        let t = SocketAddress.read(from) ?? TransportAddress(host: "0.0.0.0", port: 0)
        storage = from.pointee
        length = len
        text = t
        return t
    }

    /// Calls `body` with the kernel form of `address`, converted only when it changed.
    mutating func withKernelAddress(_ address: TransportAddress, _ body: (UnsafePointer<sockaddr_storage>, socklen_t) -> Void) {
        if text != address {
            guard let len = SocketAddress.make(address, into: &storage) else { return }
            length = len
            text = address
        }
        withUnsafePointer(to: &storage) { body($0, length) }
    }
}
