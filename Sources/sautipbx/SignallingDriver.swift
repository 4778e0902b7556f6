import CallControl
import Dispatch
import Codecs
import Logging
import MediaEngine
import NetIO
import SIPDialog
import SIPSyntax

/// The thin I/O driver around the pure signalling core (ARCHITECTURE: pure machines, thin
/// Dispatch drivers). Everything runs on one serial queue: datagrams from the UDP sockets,
/// a 10 ms tick for timers, and signals. It parses, feeds `SIPStack` and `CallControl`, and
/// performs what they return.
final class SignallingDriver: @unchecked Sendable {
    enum DriverTimer: Hashable, Sendable {
        case stack(SIPStack.Timer)
        case call(CallControl.Timer)
    }

    let queue = DispatchQueue(label: "sautipbx.signalling", qos: .userInteractive)
    /// RTCP CNAME for this run: random, as RFC 7022 §4.2 recommends, so it reveals no address.
    let cname = "sautipbx-" + String(UInt64.random(in: 1...UInt64.max), radix: 16)
    private var stack: SIPStack
    /// Media workers; nil for tools that place calls without audio (`sautipbx call`).
    var media: MediaEngine?
    /// Callback requests, speech, audio files and recordings of voice-app calls.
    var voice: VoiceDriver? {
        didSet { voice?.deliver = { [unowned self] ref, event in apply(control.voiceEvent(ref, event)) } }
    }
    private(set) var control: CallControl
    private var timers = TimerQueue<DriverTimer>()
    private var sockets: [UDPSocket] = []
    private var tick: DispatchSourceTimer?
    private let parser: SIPParser
    private let logger: Logger
    private var load = LoadMonitor()
    private var ticks = 0
    private var peakTransactions = 0
    var onDrained: (() -> Void)?
    /// RTP packets received and lost over every leg that has ended (for /metrics).
    private(set) var rtpTotals = (received: Int64(0), lost: Int64(0))
    /// SIP sockets bound and reading (for /readyz).
    var listening: Bool { !sockets.isEmpty && tick != nil }
    /// Receives call-record updates in order (the daemon writes them to the store off this queue).
    var recorder: ((CallRecordUpdate) -> Void)?
    /// Sees every call event before call control does (used by `sautipbx call`).
    var observer: ((CallEvent) -> Void)?

    init(stack: SIPStack, control: CallControl, maxMessageBytes: Int, logger: Logger) {
        self.stack = stack
        self.control = control
        self.parser = SIPParser(maxMessageBytes: maxMessageBytes)
        self.logger = logger
    }

    /// Binds every listen address; throws (naming the address) if one cannot be bound.
    func bind(_ addresses: [TransportAddress]) throws -> [TransportAddress] {
        for a in addresses {
            let s = try UDPSocket(bind: a)
            sockets.append(s)
        }
        return sockets.map(\.localAddress)
    }

    func start() {
        for s in sockets {
            s.start(on: queue) { [unowned self] bytes, from in self.datagram(bytes, from: from) }
        }
        let t = DispatchSource.makeTimerSource(queue: queue)
        t.schedule(deadline: .now() + .milliseconds(10), repeating: .milliseconds(10), leeway: .milliseconds(2))
        t.setEventHandler { [unowned self] in self.onTick() }
        t.resume()
        tick = t
    }

    // MARK: Input

    private func datagram(_ bytes: UnsafeRawBufferPointer, from: TransportAddress) {
        switch parser.parse(bytes) {
        case .success(let message):
            perform(stack.receive(message, from: from))
        case .failure(let failure):
            if failure.error.kind == .empty { return } // CRLF keep-alive (RFC 5626 §3.5.1)
            logger.debug("unparsable datagram", metadata: ["from": "\(from)", "error": "\(failure.error)"])
            // §8.2: answer a broken request with 400 when the response can be routed; never
            // answer a broken response or an ACK.
            guard failure.isRequest, failure.method != .ack, let headers = failure.headers,
                  let response = SIPResponse(toUnparsable: headers, statusCode: 400, reason: String(failure.error.reason.prefix(120)))
            else { return }
            send(.response(response), to: from)
        }
    }

    private func onTick() {
        let now = MonotonicClock.now()
        // Ticks that keep coming late mean the queue is saturated: new calls get 503 +
        // Retry-After rather than every transaction slowing down into retransmissions.
        if load.tick(now: now) {
            control.overloaded = load.overloaded
            logger.notice(load.overloaded ? "signalling overloaded: new calls get 503" : "signalling load normal",
                          metadata: ["lag_ms": "\(load.smoothedLag / 1_000_000)"])
        }
        ticks &+= 1
        let live = stack.transactions.count
        peakTransactions = max(peakTransactions, live)
        // Every 30 s, once a burst is over (live transactions fell to a quarter of the peak),
        // give memory back: rebuild sparse tables and return freed heap to the kernel. Not
        // under steady load: malloc_trim on a large heap stalls the queue for tens of ms.
        if ticks % 3000 == 0 && !load.overloaded && live * 4 <= peakTransactions {
            stack.compact()
            control.compact()
            timers.shrink()
            MemoryTrim.trim()
            peakTransactions = live
        }
        for t in timers.popExpired(now: now) {
            switch t {
            case .stack(let st): perform(stack.fire(st))
            case .call(let ct): apply(control.fire(ct))
            }
        }
    }

    // MARK: Output

    private func perform(_ outputs: [SIPStack.Output]) {
        for o in outputs {
            switch o {
            case .transmit(let m, let to): send(m, to: to)
            case .startTimer(let t, let after): timers.schedule(.stack(t), at: MonotonicClock.now() + after.nanoseconds)
            case .cancelTimer(let t): timers.cancel(.stack(t))
            case .event(let e):
                observer?(e)
                apply(control.handle(e))
            }
        }
    }

    private func apply(_ actions: [CallControl.Action]) {
        for a in actions {
            switch a {
            case .command(let c): perform(stack.command(c))
            case .media(let m): media.map { runMedia(m, on: $0) }
            case .startTimer(let t, let after): timers.schedule(.call(t), at: MonotonicClock.now() + after.nanoseconds)
            case .cancelTimer(let t): timers.cancel(.call(t))
            case .log(let r): log(r)
            case .record(let u): recorder?(u)
            case .voice(let ref, let io): voice?.perform(ref, io)
            case .drained: onDrained?()
            }
        }
    }

    private func runMedia(_ m: CallControl.MediaCommand, on engine: MediaEngine) {
        switch m {
        case .open(let ref, let port):
            do { try engine.open(id: ref.raw, port: port) } catch {
                logger.warning("cannot bind RTP port", metadata: ["leg": "\(ref)", "error": "\(error)"])
            }
        case .start(let ref, let mode, let params):
            voice?.mediaStarted(ref, rate: params.clockRate)
            engine.start(id: ref.raw, session: MediaSession(
                mode: mode, parameters: params, ssrc: UInt32.random(in: 1...UInt32.max),
                initialSequence: UInt16.random(in: 0...UInt16.max), initialTimestamp: UInt32.random(in: 0...UInt32.max),
                cname: cname))
        case .close(let ref):
            engine.close(id: ref.raw)
            voice?.forget(ref)
        }
    }

    private func send(_ m: SIPMessage, to: TransportAddress) {
        let bytes = SIPSerializer.serialize(m)
        let socket = sockets.first { $0.localAddress.isIPv6 == to.isIPv6 } ?? sockets.first
        if socket?.send(bytes, to: to) != true {
            logger.debug("send failed", metadata: ["to": "\(to)"])
        }
    }

    private func log(_ r: CallControl.LogRecord) {
        var md: Logger.Metadata = [:]
        for (k, v) in r.metadata { md[k] = .string(v) }
        if let c = r.call { md["leg"] = .string(c.description) }
        switch r.level {
        case .debug: logger.debug("\(r.message)", metadata: md)
        case .info: logger.info("\(r.message)", metadata: md)
        case .notice: logger.notice("\(r.message)", metadata: md)
        case .warning: logger.warning("\(r.message)", metadata: md)
        }
    }

    /// Routes what the media workers report (keys, media timeout, final quality) into call
    /// control, on our queue.
    func listenToMedia() {
        media?.onEvents(queue: queue, { [unowned self] id, event in apply(control.mediaEvent(CallRef(id), event)) },
                        closed: { [unowned self] id, quality in
                            rtpTotals.received += Int64(quality.packetsReceived)
                            rtpTotals.lost += Int64(max(0, quality.packetsLost))
                            apply(control.mediaClosed(CallRef(id), quality))
                        })
    }

    // MARK: Commands from outside (call on `queue`)

    /// Places an outgoing call (UAC).
    func placeCall(_ call: OutgoingCall) -> CallRef {
        let (ref, outs) = stack.placeCall(call)
        perform(outs)
        return ref
    }

    func command(_ c: CallCommand) { perform(stack.command(c)) }

    /// Swaps in a stack configured with the addresses known only after binding (before start).
    func replaceStack(_ s: SIPStack) { stack = s }

    // MARK: Lifecycle (call on `queue`)

    /// New numbers or wallet states from the store.
    func replaceRoutes(_ routes: RouteTable) { control.settings.routes = routes }

    /// `POST /v1/calls/{id}/hangup` for a call live here.
    func hangup(recordID: String) -> Bool {
        let (found, actions) = control.hangup(recordID: recordID)
        apply(actions)
        return found
    }

    var liveRecordIDs: [String] { control.liveRecordIDs }

    func beginShutdown(drain: Duration) {
        apply(control.beginShutdown(drain: drain))
    }

    var activeCalls: Int { control.activeCalls }
}
