import SIPSyntax
import SIPTransaction

/// The whole signalling core as one pure value: the transaction layer (RFC 3261 §17) under
/// the user agent (§8, §12–§15). A driver feeds it parsed datagrams, timer expiries and
/// application commands, and performs what comes out; tests wire two stacks back to back.
public struct SIPStack: Sendable {
    public enum Timer: Hashable, Sendable {
        case transaction(TimerID)
        case session(SessionTimerID)
    }

    public enum Output: Sendable {
        case transmit(SIPMessage, to: TransportAddress)
        case startTimer(Timer, after: Duration)
        case cancelTimer(Timer)
        case event(CallEvent)
    }

    public var transactions: TransactionLayer
    public var userAgent: UserAgent

    public init(config: UserAgentConfig) {
        transactions = TransactionLayer(timers: config.timers)
        userAgent = UserAgent(config: config)
    }

    public mutating func receive(_ message: SIPMessage, from: TransportAddress) -> [Output] {
        switch message {
        case .request(let r): return run(.requestReceived(r, from: from))
        case .response(let r): return run(.responseReceived(r, from: from))
        }
    }

    public mutating func fire(_ timer: Timer) -> [Output] {
        switch timer {
        case .transaction(let id): return run(.timerFired(id))
        case .session(let id): return apply(userAgent.handle(timer: id))
        }
    }

    /// Gives back table memory after a burst of calls.
    public mutating func compact() {
        transactions.compact()
        userAgent.compact()
    }

    public mutating func command(_ c: CallCommand) -> [Output] { apply(userAgent.handle(c)) }

    /// Places an outgoing call (UAC); its events follow in later outputs.
    public mutating func placeCall(_ call: OutgoingCall) -> (CallRef, [Output]) {
        let (ref, outs) = userAgent.placeCall(call)
        return (ref, apply(outs))
    }

    /// Feeds the transaction layer and routes what it delivers to the user agent, whose
    /// requests and responses go back into the transaction layer, until nothing is left.
    mutating func run(_ event: TransactionEvent) -> [Output] {
        var out: [Output] = []
        var pending: [TransactionEvent] = [event]
        var i = 0
        while i < pending.count {
            for action in transactions.handle(pending[i]) {
                switch action {
                case .transmit(let m, let to): out.append(.transmit(m, to: to))
                case .startTimer(let id, let after): out.append(.startTimer(.transaction(id), after: after))
                case .cancelTimer(let id): out.append(.cancelTimer(.transaction(id)))
                default:
                    for o in userAgent.handle(action) { route(o, &out, &pending) }
                }
            }
            i += 1
        }
        return out
    }

    /// Runs user-agent outputs in order, so a BYE is transmitted before the `ended` event
    /// that follows it reaches the application.
    mutating func apply(_ outputs: [UserAgent.Output]) -> [Output] {
        var out: [Output] = []
        for o in outputs {
            var pending: [TransactionEvent] = []
            route(o, &out, &pending)
            for e in pending { out += run(e) }
        }
        return out
    }

    private func route(_ o: UserAgent.Output, _ out: inout [Output], _ pending: inout [TransactionEvent]) {
        switch o {
        case .transaction(let e): pending.append(e)
        case .transmit(let m, let to): out.append(.transmit(m, to: to))
        case .startTimer(let id, let after): out.append(.startTimer(.session(id), after: after))
        case .cancelTimer(let id): out.append(.cancelTimer(.session(id)))
        case .event(let e): out.append(.event(e))
        }
    }
}
