import SIPSyntax

/// The INVITE client transaction (RFC 3261 §17.1.1, amended by RFC 6026 §8.4).
///
/// Calling → (1xx) Proceeding → (2xx) Accepted → Timer M → Terminated
///                            → (300-699, ACK sent) Completed → Timer D → Terminated
struct ClientInviteTransaction {
    let key: TransactionKey
    /// The INVITE as the TU sent it.
    let request: SIPRequest
    /// Where the INVITE (and the non-2xx ACK) go.
    let destination: TransportAddress
    let reliable: Bool
    /// Calling, proceeding, completed or accepted.
    private(set) var state: TransactionState = .calling
    private(set) var book = TimerBook()
    /// Current Timer A interval: T1, doubling with no cap (§17.1.1.2).
    private var intervalA: Duration
    /// The ACK built for the non-2xx final response, re-sent on each retransmission of it.
    private var ack: SIPRequest?
    /// The TU has sent a CANCEL (§9.1): Proceeding no longer waits forever.
    private var cancelled = false

    /// Creates the transaction and sends the INVITE (§17.1.1.2: start A when unreliable, B always).
    static func start(key: TransactionKey, request: SIPRequest, to destination: TransportAddress, reliable: Bool,
                      timers: TransactionTimers, into out: inout [TransactionAction]) -> ClientInviteTransaction {
        var t = ClientInviteTransaction(key: key, request: request, destination: destination, reliable: reliable,
                                        intervalA: timers.t1)
        out.append(.transmit(.request(request), to: destination))
        if !reliable { t.book.start(.A, after: timers.t1, key: key, into: &out) }
        t.book.start(.B, after: timers.b, key: key, into: &out)
        return t
    }

    private init(key: TransactionKey, request: SIPRequest, destination: TransportAddress, reliable: Bool, intervalA: Duration) {
        self.key = key
        self.request = request
        self.destination = destination
        self.reliable = reliable
        self.intervalA = intervalA
    }

    /// Returns true when the transaction terminated.
    mutating func handle(_ input: MachineInput, timers: TransactionTimers, into out: inout [TransactionAction]) -> Bool {
        switch input {
        case .response(let r):
            return receive(r, timers: timers, into: &out)
        case .timer(let name):
            guard book.fire(name) else { return false }
            return timerFired(name, timers: timers, into: &out)
        case .transportFailed:
            switch state {
            case .calling, .proceeding:
                // Figure 5: transport error → inform TU (as a timeout) → Terminated.
                out.append(.timedOut(key))
                return book.terminate(key: key, into: &out)
            case .completed:
                // The TU already has its final response; only the ACK failed to go out.
                return book.terminate(key: key, into: &out)
            default:
                return false
            }
        case .cancelSent:
            cancelled = true
            // §9.1: without a final response 64*T1 after the CANCEL, give the INVITE up.
            // In Calling Timer B still runs; in Proceeding it was stopped, so restart it.
            if state == .proceeding, !book.isRunning(.B) {
                book.start(.B, after: timers.b, key: key, into: &out)
            }
            return false
        case .request, .tuResponse:
            return false
        }
    }

    private mutating func receive(_ r: SIPResponse, timers: TransactionTimers, into out: inout [TransactionAction]) -> Bool {
        switch state {
        case .calling, .proceeding:
            if r.isProvisional {
                // §17.1.1.2: a provisional stops retransmissions; Timer B only guards Calling
                // (the TU's Timer C or CANCEL bounds Proceeding).
                if state == .calling {
                    book.cancel(.A, key: key, into: &out)
                    if !cancelled { book.cancel(.B, key: key, into: &out) }
                    state = .proceeding
                }
                out.append(.deliverResponse(r, key: key))
                return false
            }
            book.cancel(.A, key: key, into: &out)
            book.cancel(.B, key: key, into: &out)
            if r.isSuccess {
                // RFC 6026 §8.4: Accepted, so further 2xx (retransmissions, forks) still match.
                state = .accepted
                out.append(.deliverResponse(r, key: key))
                book.start(.M, after: timers.m, key: key, into: &out)
                return false
            }
            // §17.1.1.3: the transaction itself ACKs a 300-699 response.
            let ack = Self.makeAck(for: request, response: r)
            self.ack = ack
            state = .completed
            out.append(.transmit(.request(ack), to: destination))
            out.append(.deliverResponse(r, key: key))
            return book.wait(.D, timers.d(reliable: reliable), key: key, into: &out)
        case .completed:
            // §17.1.1.2: every retransmission of the final response is ACKed again, not delivered.
            if r.statusCode >= 300, let ack { out.append(.transmit(.request(ack), to: destination)) }
            return false
        case .accepted:
            // RFC 6026 §8.4: 2xx in Accepted go to the TU (it re-ACKs); anything else is dropped.
            if r.isSuccess { out.append(.deliverResponse(r, key: key)) }
            return false
        default:
            return false
        }
    }

    private mutating func timerFired(_ name: TimerName, timers: TransactionTimers, into out: inout [TransactionAction]) -> Bool {
        switch (name, state) {
        case (.A, .calling):
            // §17.1.1.2: retransmit and double the interval (no T2 cap for INVITE requests).
            out.append(.transmit(.request(request), to: destination))
            intervalA = intervalA * 2
            book.start(.A, after: intervalA, key: key, into: &out)
            return false
        case (.B, .calling), (.B, .proceeding):
            out.append(.timedOut(key))
            return book.terminate(key: key, into: &out)
        case (.D, .completed), (.M, .accepted):
            return book.terminate(key: key, into: &out)
        default:
            return false
        }
    }

    /// Builds the ACK for a 300-699 response (§17.1.1.3): the INVITE's Request-URI, Call-ID,
    /// From and CSeq number, To from the response (with its tag), a single Via equal to the
    /// INVITE's top Via (same branch, so it matches the server transaction) and its Route set.
    static func makeAck(for invite: SIPRequest, response: SIPResponse) -> SIPRequest {
        var h = SIPHeaders()
        if let via = invite.headers.values("Via").first { h.add("Via", via) }
        h.add("Max-Forwards", invite.headers["Max-Forwards"] ?? "70")
        for route in invite.headers.rawValues("Route") { h.add("Route", route) }
        if let from = invite.headers["From"] { h.add("From", from) }
        if let to = response.headers["To"] ?? invite.headers["To"] { h.add("To", to) }
        if let callID = invite.headers["Call-ID"] { h.add("Call-ID", callID) }
        if let cseq = invite.cseq { h.add("CSeq", "\(cseq.sequence) ACK") }
        return SIPRequest(method: .ack, uri: invite.uri, version: invite.version, headers: h)
    }
}
