import SIPSyntax

/// An input to one transaction's state machine, after the layer has matched it (§17.1.3, §17.2.3).
enum MachineInput {
    /// A request matching a server transaction: a retransmission, or an ACK for an INVITE.
    case request(SIPRequest, from: TransportAddress)
    /// A response matching a client transaction.
    case response(SIPResponse)
    /// The TU's response for a server transaction.
    case tuResponse(SIPResponse)
    /// One of this transaction's timers expired.
    case timer(TimerName)
    /// The transport could not send one of this transaction's messages.
    case transportFailed
    /// Client INVITE only: the TU sent a CANCEL for it (RFC 3261 §9.1).
    case cancelSent
}

/// Which timers of one transaction are running, so that termination cancels exactly those and
/// a late or duplicate `timerFired` from the driver is ignored instead of acted on twice.
struct TimerBook {
    private(set) var running: UInt16 = 0

    func isRunning(_ name: TimerName) -> Bool { running & name.bit != 0 }

    /// Starts (or restarts) a timer.
    mutating func start(_ name: TimerName, after: Duration, key: TransactionKey, into out: inout [TransactionAction]) {
        running |= name.bit
        out.append(.startTimer(TimerID(key: key, name: name), after: after))
    }

    /// Cancels a timer if it is running.
    mutating func cancel(_ name: TimerName, key: TransactionKey, into out: inout [TransactionAction]) {
        guard isRunning(name) else { return }
        running &= ~name.bit
        out.append(.cancelTimer(TimerID(key: key, name: name)))
    }

    /// Records an expiry; false when the timer was not running (stale expiry: ignore it).
    mutating func fire(_ name: TimerName) -> Bool {
        guard isRunning(name) else { return false }
        running &= ~name.bit
        return true
    }

    /// Cancels every running timer and reports termination (§17: "destroyed immediately").
    /// Returns true so machines can `return book.terminate(...)`.
    mutating func terminate(key: TransactionKey, into out: inout [TransactionAction]) -> Bool {
        for name in TimerName.allCases where isRunning(name) {
            out.append(.cancelTimer(TimerID(key: key, name: name)))
        }
        running = 0
        out.append(.terminated(key))
        return true
    }

    /// Starts a wait timer, or terminates at once when its duration is zero (reliable
    /// transports: Timers D, I, J, K are zero, §17.1.1.2, §17.1.2.2, §17.2.1, §17.2.2).
    /// Returns true when the transaction terminated.
    mutating func wait(_ name: TimerName, _ duration: Duration, key: TransactionKey, into out: inout [TransactionAction]) -> Bool {
        if duration <= .zero { return terminate(key: key, into: &out) }
        start(name, after: duration, key: key, into: &out)
        return false
    }
}

/// One live transaction of any of the four kinds.
enum Transaction {
    case clientInvite(ClientInviteTransaction)
    case clientNonInvite(ClientNonInviteTransaction)
    case serverInvite(ServerInviteTransaction)
    case serverNonInvite(ServerNonInviteTransaction)

    /// Feeds one input; returns true when the transaction terminated and must be removed.
    mutating func handle(_ input: MachineInput, timers: TransactionTimers, into out: inout [TransactionAction]) -> Bool {
        switch self {
        case .clientInvite(var t):
            let done = t.handle(input, timers: timers, into: &out)
            self = .clientInvite(t)
            return done
        case .clientNonInvite(var t):
            let done = t.handle(input, timers: timers, into: &out)
            self = .clientNonInvite(t)
            return done
        case .serverInvite(var t):
            let done = t.handle(input, timers: timers, into: &out)
            self = .serverInvite(t)
            return done
        case .serverNonInvite(var t):
            let done = t.handle(input, timers: timers, into: &out)
            self = .serverNonInvite(t)
            return done
        }
    }

    /// The request that created the transaction (server side: with received/rport stamped).
    var request: SIPRequest {
        switch self {
        case .clientInvite(let t): t.request
        case .clientNonInvite(let t): t.request
        case .serverInvite(let t): t.request
        case .serverNonInvite(let t): t.request
        }
    }

    var state: TransactionState {
        switch self {
        case .clientInvite(let t): t.state
        case .clientNonInvite(let t): t.state
        case .serverInvite(let t): t.state
        case .serverNonInvite(let t): t.state
        }
    }

    /// Timers currently running, for introspection in tests and metrics.
    var runningTimers: UInt16 {
        switch self {
        case .clientInvite(let t): t.book.running
        case .clientNonInvite(let t): t.book.running
        case .serverInvite(let t): t.book.running
        case .serverNonInvite(let t): t.book.running
        }
    }
}
