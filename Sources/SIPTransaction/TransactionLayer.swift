import SIPSyntax

/// The RFC 3261 §17 transaction layer (with RFC 6026's Accepted states) as a pure value:
/// feed it events, perform the actions it returns. It owns no clock and no socket; timers
/// are `startTimer`/`cancelTimer` actions and come back as `timerFired` events.
///
/// Every transaction ends in `terminated` and is removed, so memory is bounded by the
/// traffic of the last 64*T1. Lookups are one Dictionary access per message; only the ACK of
/// an RFC 2543 (cookie-less) INVITE scans, and only the RFC 2543 INVITEs.
public struct TransactionLayer: Sendable {
    /// T1, T2, T4 and the timers derived from them.
    public let timers: TransactionTimers
    /// Treat every transaction as reliable (TCP/TLS); Vias naming a reliable transport are
    /// treated so regardless.
    public let reliableTransport: Bool

    private var transactions: [TransactionKey: Transaction] = [:]
    /// Server INVITE transactions created by RFC 2543 requests, scanned to match their ACKs.
    private var legacyInvites: Set<TransactionKey> = []

    /// Creates an empty layer.
    public init(timers: TransactionTimers = .init(), reliableTransport: Bool = false) {
        self.timers = timers
        self.reliableTransport = reliableTransport
    }

    /// Gives back table memory after a burst (see `shrinkIfSparse`).
    public mutating func compact() {
        transactions.shrinkIfSparse()
        legacyInvites.shrinkIfSparse()
    }

    /// Number of live transactions (for leak tests and metrics).
    public var count: Int { transactions.count }

    /// The request that created a live transaction (server side: with received/rport stamped).
    public func originalRequest(for key: TransactionKey) -> SIPRequest? { transactions[key]?.request }

    /// The state of a live transaction, nil once it terminated.
    public func state(of key: TransactionKey) -> TransactionState? { transactions[key]?.state }

    /// Names of the timers a live transaction has running (for tests and diagnostics).
    public func runningTimers(of key: TransactionKey) -> Set<TimerName> {
        guard let mask = transactions[key]?.runningTimers else { return [] }
        return Set(TimerName.allCases.filter { mask & $0.bit != 0 })
    }

    /// The key of the client transaction a request the TU sends would create (§17.1.3).
    public func clientKey(for request: SIPRequest) -> TransactionKey? {
        guard let via = request.topVia else { return nil }
        return TransactionKey.client(for: request, via: via)
    }

    /// The server transaction key of a received request (§17.2.3). A CANCEL gets its own key
    /// (use `inviteKey(forCancel:)` for the INVITE it targets); an ACK gets the key of the
    /// INVITE it would acknowledge (for an RFC 2543 ACK: the live INVITE it matches, or nil).
    public func serverKey(for request: SIPRequest) -> TransactionKey? {
        guard let via = request.topVia else { return nil }
        if request.method == .ack { return ackKey(for: request, via: via) }
        return Self.serverKey(for: request, via: via, method: request.method)
    }

    /// The live server INVITE transaction a CANCEL targets (§9.2: the CANCEL matched as if it
    /// were the INVITE), nil when there is none.
    public func inviteKey(forCancel cancel: SIPRequest) -> TransactionKey? {
        guard let via = cancel.topVia, let key = Self.serverKey(for: cancel, via: via, method: .invite),
              case .serverInvite = transactions[key] else { return nil }
        return key
    }

    /// Feeds one event; returns what the driver must do, in order.
    public mutating func handle(_ event: TransactionEvent) -> [TransactionAction] {
        switch event {
        case .requestReceived(let request, let source):
            return receive(request, from: source)
        case .responseReceived(let response, let source):
            // §17.1.3: top Via branch + CSeq method. Unmatched responses go to the TU to decide
            // (RFC 6026 has them discarded; the TU may still want to re-ACK a late 2xx).
            guard let key = TransactionKey.client(for: response), transactions[key] != nil else {
                return [.deliverStrayResponse(response, from: source)]
            }
            return dispatch(key, .response(response))
        case .sendRequest(let request, let destination):
            return send(request, to: destination)
        case .sendResponse(let response, let key):
            return dispatch(key, .tuResponse(response))
        case .timerFired(let id):
            return dispatch(id.key, .timer(id.name))
        case .transportFailed(let key):
            return dispatch(key, .transportFailed)
        }
    }

    // MARK: - Requests from the transport

    private mutating func receive(_ request: SIPRequest, from source: TransportAddress) -> [TransactionAction] {
        // A request without a usable top Via cannot be answered; the transport already sent
        // 400 for malformed ones, so it is ignored here.
        guard let via = request.topVia else { return [] }

        if request.method == .ack {
            // §17.2.3: an ACK for a non-2xx matches the INVITE transaction; an ACK for a 2xx
            // matches nothing (new branch) or an Accepted one (RFC 6026), and reaches the TU.
            let stamped = Self.stamped(request, via: via, source: source)
            if let key = ackKey(for: request, via: via) { return dispatch(key, .request(stamped, from: source)) }
            return [.deliverAck(stamped, from: source)]
        }
        guard let key = Self.serverKey(for: request, via: via, method: request.method) else { return [] }
        if transactions[key] != nil {
            // A retransmission: only answered from stored state, so it needs no stamping.
            return dispatch(key, .request(request, from: source))
        }

        let stamped = Self.stamped(request, via: via, source: source)
        var out: [TransactionAction] = []
        let reliable = reliableTransport || Self.isReliable(transport: via.transport)
        let destination = Self.responseDestination(via: via, from: source)
        if request.method == .invite {
            let t = ServerInviteTransaction.start(key: key, request: stamped, from: source, destination: destination,
                                                  reliable: reliable, timers: timers, into: &out)
            transactions[key] = .serverInvite(t)
            if key.isLegacy { legacyInvites.insert(key) }
        } else {
            let t = ServerNonInviteTransaction.start(key: key, request: stamped, from: source, destination: destination,
                                                     reliable: reliable, into: &out)
            transactions[key] = .serverNonInvite(t)
        }
        return out
    }

    /// §17.2.3 server key: branch + sent-by + method with the magic cookie, else RFC 2543 rules.
    static func serverKey(for request: SIPRequest, via: Via, method: SIPMethod) -> TransactionKey? {
        if via.hasMagicCookie, let branch = via.branch {
            return TransactionKey.server(branch: branch, via: via, method: method)
        }
        return LegacyMatching.key(for: request, via: via, method: method)
    }

    /// The live INVITE transaction an ACK belongs to, if any.
    private func ackKey(for ack: SIPRequest, via: Via) -> TransactionKey? {
        if via.hasMagicCookie, let branch = via.branch {
            let key = TransactionKey.server(branch: branch, via: via, method: .invite)
            return transactions[key] != nil ? key : nil
        }
        guard !legacyInvites.isEmpty, let identity = LegacyMatching.identity(of: ack, via: via) else { return nil }
        for key in legacyInvites {
            guard case .serverInvite(let t) = transactions[key] else { continue }
            if LegacyMatching.ackMatches(ack, ackVia: via, ackIdentity: identity,
                                         invite: t.request, responseToTag: t.finalToTag) {
                return key
            }
        }
        return nil
    }

    // MARK: - Requests from the TU

    private mutating func send(_ request: SIPRequest, to destination: TransportAddress) -> [TransactionAction] {
        // §17.1.1.3 / §13.2.2.4: the ACK for a 2xx is the TU's own, sent outside any transaction.
        if request.method == .ack { return [.transmit(.request(request), to: destination)] }
        // Without a branch there is no way to match the responses; a live key means the TU
        // reused a branch. Both are TU bugs: nothing is sent.
        guard let via = request.topVia, let key = TransactionKey.client(for: request, via: via),
              transactions[key] == nil else { return [] }
        let reliable = reliableTransport || Self.isReliable(transport: via.transport)
        var out: [TransactionAction] = []
        if request.method == .invite {
            let t = ClientInviteTransaction.start(key: key, request: request, to: destination, reliable: reliable,
                                                  timers: timers, into: &out)
            transactions[key] = .clientInvite(t)
        } else {
            let t = ClientNonInviteTransaction.start(key: key, request: request, to: destination, reliable: reliable,
                                                     timers: timers, into: &out)
            transactions[key] = .clientNonInvite(t)
            if request.method == .cancel {
                // §9.1: the INVITE being cancelled (same branch) must not wait forever for a final.
                let invite = TransactionKey(isServer: false, branch: key.branch, method: .invite)
                if transactions[invite] != nil { out.append(contentsOf: dispatch(invite, .cancelSent)) }
            }
        }
        return out
    }

    // MARK: - Dispatch

    /// Feeds a matched input to a live transaction, removing it when it terminates.
    private mutating func dispatch(_ key: TransactionKey, _ input: MachineInput) -> [TransactionAction] {
        var out: [TransactionAction] = []
        guard let done = transactions[key]?.handle(input, timers: timers, into: &out) else { return [] }
        if done {
            transactions[key] = nil
            if key.isLegacy { legacyInvites.remove(key) }
        }
        return out
    }
}
