import SIPSyntax

/// The non-INVITE server transaction (RFC 3261 §17.2.2).
///
/// Trying → (1xx from TU) Proceeding → (200-699 from TU) Completed → Timer J → Terminated.
struct ServerNonInviteTransaction {
    let key: TransactionKey
    /// The request, with received/rport stamped on its top Via.
    let request: SIPRequest
    let destination: TransportAddress
    let reliable: Bool
    /// Trying, proceeding or completed.
    private(set) var state: TransactionState = .trying
    private(set) var book = TimerBook()
    /// The most recent response sent, re-sent on request retransmissions.
    private var lastResponse: SIPResponse?

    /// Creates the transaction and hands the request to the TU.
    static func start(key: TransactionKey, request: SIPRequest, from source: TransportAddress,
                      destination: TransportAddress, reliable: Bool,
                      into out: inout [TransactionAction]) -> ServerNonInviteTransaction {
        out.append(.deliverRequest(request, key: key, from: source))
        return ServerNonInviteTransaction(key: key, request: request, destination: destination, reliable: reliable)
    }

    /// Returns true when the transaction terminated.
    mutating func handle(_ input: MachineInput, timers: TransactionTimers, into out: inout [TransactionAction]) -> Bool {
        switch input {
        case .request:
            // §17.2.2: Trying absorbs retransmissions; later states re-send the last response.
            if state != .trying, let last = lastResponse {
                out.append(.transmit(.response(last), to: destination))
            }
            return false
        case .tuResponse(let r):
            guard state == .trying || state == .proceeding else {
                return false // §17.2.2: further final responses from the TU are discarded.
            }
            out.append(.transmit(.response(r), to: destination))
            lastResponse = r
            if r.isProvisional {
                state = .proceeding
                return false
            }
            state = .completed
            return book.wait(.J, timers.j(reliable: reliable), key: key, into: &out)
        case .timer(let name):
            guard book.fire(name), name == .J, state == .completed else { return false }
            return book.terminate(key: key, into: &out)
        case .transportFailed:
            guard state == .proceeding || state == .completed else { return false }
            // Figure 8: transport error → inform TU → Terminated.
            out.append(.timedOut(key))
            return book.terminate(key: key, into: &out)
        case .response, .cancelSent:
            return false
        }
    }
}
