import SIPSyntax

/// The non-INVITE client transaction (RFC 3261 §17.1.2).
///
/// Trying → (1xx) Proceeding → (200-699) Completed → Timer K → Terminated;
/// Timer F or a transport error in Trying/Proceeding → inform TU → Terminated.
struct ClientNonInviteTransaction {
    let key: TransactionKey
    /// The request as the TU sent it.
    let request: SIPRequest
    let destination: TransportAddress
    let reliable: Bool
    /// Trying, proceeding or completed.
    private(set) var state: TransactionState = .trying
    private(set) var book = TimerBook()
    /// Current Timer E interval.
    private var intervalE: Duration

    /// Creates the transaction and sends the request (§17.1.2.2: E when unreliable, F always).
    static func start(key: TransactionKey, request: SIPRequest, to destination: TransportAddress, reliable: Bool,
                      timers: TransactionTimers, into out: inout [TransactionAction]) -> ClientNonInviteTransaction {
        var t = ClientNonInviteTransaction(key: key, request: request, destination: destination, reliable: reliable,
                                           intervalE: timers.t1)
        out.append(.transmit(.request(request), to: destination))
        if !reliable { t.book.start(.E, after: timers.t1, key: key, into: &out) }
        t.book.start(.F, after: timers.f, key: key, into: &out)
        return t
    }

    private init(key: TransactionKey, request: SIPRequest, destination: TransportAddress, reliable: Bool, intervalE: Duration) {
        self.key = key
        self.request = request
        self.destination = destination
        self.reliable = reliable
        self.intervalE = intervalE
    }

    /// Returns true when the transaction terminated.
    mutating func handle(_ input: MachineInput, timers: TransactionTimers, into out: inout [TransactionAction]) -> Bool {
        switch input {
        case .response(let r):
            guard state == .trying || state == .proceeding else {
                return false // §17.1.2.2: Completed absorbs response retransmissions.
            }
            out.append(.deliverResponse(r, key: key))
            if r.isProvisional {
                state = .proceeding
                return false
            }
            book.cancel(.E, key: key, into: &out)
            book.cancel(.F, key: key, into: &out)
            state = .completed
            return book.wait(.K, timers.k(reliable: reliable), key: key, into: &out)
        case .timer(let name):
            guard book.fire(name) else { return false }
            switch (name, state) {
            case (.E, .trying):
                // §17.1.2.2: retransmit; the interval doubles up to T2 (0.5, 1, 2, 4, 4 s…).
                out.append(.transmit(.request(request), to: destination))
                intervalE = timers.doubledCapped(intervalE)
                book.start(.E, after: intervalE, key: key, into: &out)
                return false
            case (.E, .proceeding):
                // §17.1.2.2: once a provisional arrived, retransmit every T2.
                out.append(.transmit(.request(request), to: destination))
                intervalE = timers.t2
                book.start(.E, after: intervalE, key: key, into: &out)
                return false
            case (.F, .trying), (.F, .proceeding):
                out.append(.timedOut(key))
                return book.terminate(key: key, into: &out)
            case (.K, .completed):
                return book.terminate(key: key, into: &out)
            default:
                return false
            }
        case .transportFailed:
            guard state == .trying || state == .proceeding else { return false }
            // Figure 6: transport error → inform TU → Terminated.
            out.append(.timedOut(key))
            return book.terminate(key: key, into: &out)
        case .request, .tuResponse, .cancelSent:
            return false
        }
    }
}
