/// The RFC 3261 §17 timer base values and every transaction timer derived from them
/// (RFC 3261 Table 4, RFC 6026 Table 1).
public struct TransactionTimers: Sendable, Hashable {
    /// RTT estimate; every retransmission interval and timeout scales from it (§17.1.1.1).
    public var t1: Duration = .milliseconds(500)
    /// Cap on the retransmission interval of non-INVITE requests and INVITE responses (§17.1.2.2).
    public var t2: Duration = .seconds(4)
    /// Longest time a message can stay in the network (§17.1.2.2).
    public var t4: Duration = .seconds(5)

    /// Creates a timer set; the defaults are the RFC's recommended values.
    public init(t1: Duration = .milliseconds(500), t2: Duration = .seconds(4), t4: Duration = .seconds(5)) {
        self.t1 = t1
        self.t2 = t2
        self.t4 = t4
    }

    /// 64*T1: the transaction timeout of Timers B, F, H and, per RFC 6026, L and M.
    public var timeout: Duration { t1 * 64 }

    /// Timer A / E / G first interval (§17.1.1.2, §17.1.2.2, §17.2.1).
    public var initialRetransmit: Duration { t1 }

    /// Timer B: INVITE client transaction timeout (§17.1.1.2).
    public var b: Duration { timeout }
    /// Timer F: non-INVITE client transaction timeout (§17.1.2.2).
    public var f: Duration { timeout }
    /// Timer H: wait for the ACK of a non-2xx final response (§17.2.1).
    public var h: Duration { timeout }
    /// Timer L: INVITE server transaction lingers in Accepted (RFC 6026 §8.7).
    public var l: Duration { timeout }
    /// Timer M: INVITE client transaction lingers in Accepted (RFC 6026 §8.4).
    public var m: Duration { timeout }

    /// Timer D: "at least 32 seconds" on unreliable transports, zero on reliable ones
    /// (§17.1.1.2). It must also outlast the server's Timer H (64*T1) when T1 is raised.
    public func d(reliable: Bool) -> Duration { reliable ? .zero : max(.seconds(32), timeout) }
    /// Timer I: absorb ACK retransmissions, T4 unreliable / zero reliable (§17.2.1).
    public func i(reliable: Bool) -> Duration { reliable ? .zero : t4 }
    /// Timer J: absorb request retransmissions, 64*T1 unreliable / zero reliable (§17.2.2).
    public func j(reliable: Bool) -> Duration { reliable ? .zero : timeout }
    /// Timer K: absorb response retransmissions, T4 unreliable / zero reliable (§17.1.2.2).
    public func k(reliable: Bool) -> Duration { reliable ? .zero : t4 }

    /// Next interval of Timers E and G: doubled, capped at T2 (§17.1.2.2, §17.2.1).
    func doubledCapped(_ interval: Duration) -> Duration { min(interval * 2, t2) }
}
