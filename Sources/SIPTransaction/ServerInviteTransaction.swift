import SIPSyntax

/// The INVITE server transaction (RFC 3261 §17.2.1, amended by RFC 6026 §8.5–§8.7).
///
/// Proceeding → (2xx from TU) Accepted → Timer L → Terminated
///            → (300-699 from TU) Completed → (ACK) Confirmed → Timer I → Terminated
///                                          → Timer H / transport error → inform TU → Terminated
struct ServerInviteTransaction {
    let key: TransactionKey
    /// The INVITE, with received/rport stamped on its top Via.
    let request: SIPRequest
    /// Where every response goes (§18.2.2, RFC 3581 §4).
    let destination: TransportAddress
    let reliable: Bool
    /// Proceeding, completed, confirmed or accepted.
    private(set) var state: TransactionState = .proceeding
    private(set) var book = TimerBook()
    /// The most recent response sent, re-sent when the INVITE is retransmitted.
    private var lastResponse: SIPResponse?
    /// To tag of the final response, for RFC 2543 ACK matching (§17.2.3).
    private(set) var finalToTag: String?
    /// Current Timer G interval.
    private var intervalG: Duration
    /// A transport failure in Accepted was reported once already.
    private var failureReported = false

    /// Creates the transaction: sends 100 Trying at once and hands the INVITE to the TU.
    static func start(key: TransactionKey, request: SIPRequest, from source: TransportAddress,
                      destination: TransportAddress, reliable: Bool, timers: TransactionTimers,
                      into out: inout [TransactionAction]) -> ServerInviteTransaction {
        var t = ServerInviteTransaction(key: key, request: request, destination: destination, reliable: reliable,
                                        intervalG: timers.t1)
        // §17.2.1: 100 Trying unless the TU answers within 200 ms. Sending it immediately stops
        // the client's Timer A retransmissions as early as possible.
        let trying = SIPResponse(to: request, statusCode: 100)
        t.lastResponse = trying
        out.append(.transmit(.response(trying), to: destination))
        out.append(.deliverRequest(request, key: key, from: source))
        return t
    }

    private init(key: TransactionKey, request: SIPRequest, destination: TransportAddress, reliable: Bool, intervalG: Duration) {
        self.key = key
        self.request = request
        self.destination = destination
        self.reliable = reliable
        self.intervalG = intervalG
    }

    /// Returns true when the transaction terminated.
    mutating func handle(_ input: MachineInput, timers: TransactionTimers, into out: inout [TransactionAction]) -> Bool {
        switch input {
        case .request(let r, let source):
            return receive(r, from: source, timers: timers, into: &out)
        case .tuResponse(let r):
            return send(r, timers: timers, into: &out)
        case .timer(let name):
            guard book.fire(name) else { return false }
            switch (name, state) {
            case (.G, .completed):
                // §17.2.1: retransmit the final response; the interval doubles up to T2.
                if let last = lastResponse { out.append(.transmit(.response(last), to: destination)) }
                intervalG = timers.doubledCapped(intervalG)
                book.start(.G, after: intervalG, key: key, into: &out)
                return false
            case (.H, .completed):
                // §17.2.1: the ACK never came; a transaction failure for the TU.
                out.append(.timedOut(key))
                return book.terminate(key: key, into: &out)
            case (.I, .confirmed), (.L, .accepted):
                return book.terminate(key: key, into: &out)
            default:
                return false
            }
        case .transportFailed:
            switch state {
            case .proceeding, .completed:
                // Figure 7: transport error → inform TU → Terminated.
                out.append(.timedOut(key))
                return book.terminate(key: key, into: &out)
            case .accepted:
                // RFC 6026: stay in Accepted so INVITE retransmissions are still absorbed until
                // Timer L, but tell the TU (once) that its 2xx did not go out.
                if !failureReported {
                    failureReported = true
                    out.append(.timedOut(key))
                }
                return false
            default:
                return false
            }
        case .response, .cancelSent:
            return false
        }
    }

    private mutating func receive(_ r: SIPRequest, from source: TransportAddress, timers: TransactionTimers,
                                  into out: inout [TransactionAction]) -> Bool {
        if r.method == .ack {
            switch state {
            case .completed:
                // §17.2.1: the ACK stops G and H; Confirmed absorbs further ACKs for T4.
                book.cancel(.G, key: key, into: &out)
                book.cancel(.H, key: key, into: &out)
                state = .confirmed
                return book.wait(.I, timers.i(reliable: reliable), key: key, into: &out)
            case .accepted:
                // RFC 6026 §8.7: an ACK matching the Accepted transaction goes to the TU.
                out.append(.deliverAck(r, from: source))
                return false
            default:
                return false // Proceeding (no final yet) or Confirmed: absorbed.
            }
        }
        switch state {
        case .proceeding, .completed:
            // §17.2.1: a retransmitted INVITE gets the most recent response again.
            if let last = lastResponse { out.append(.transmit(.response(last), to: destination)) }
        default:
            // Confirmed absorbs; RFC 6026 §8.7: Accepted absorbs too (the TU resends the 2xx).
            break
        }
        return false
    }

    private mutating func send(_ r: SIPResponse, timers: TransactionTimers, into out: inout [TransactionAction]) -> Bool {
        switch state {
        case .proceeding:
            out.append(.transmit(.response(r), to: destination))
            lastResponse = r
            if r.isProvisional { return false }
            finalToTag = r.toTag
            if r.isSuccess {
                // RFC 6026 §8.6: 2xx → Accepted; the TU alone retransmits it (§13.3.1.4).
                state = .accepted
                book.start(.L, after: timers.l, key: key, into: &out)
                return false
            }
            state = .completed
            if !reliable { book.start(.G, after: timers.t1, key: key, into: &out) }
            book.start(.H, after: timers.h, key: key, into: &out)
            return false
        case .accepted:
            // RFC 6026 §8.7: the TU's 2xx retransmissions (and other 2xx) are sent.
            if r.isSuccess { out.append(.transmit(.response(r), to: destination)) }
            return false
        default:
            return false // §17.2.1: nothing more is sent after a non-2xx final.
        }
    }
}
