import SDP
import SIPDialog
import SIPSyntax

/// Two stacks wired back to back on one virtual clock: A (UAC side, 127.0.0.1:5070) calls
/// B (UAS side, 127.0.0.1:5060). Datagrams are delivered by destination address; `drop`
/// loses chosen datagrams to exercise retransmission.
struct TwoStacks {
    var a: SIPStack
    var b: SIPStack
    let addrA = TransportAddress(host: "127.0.0.1", port: 5070)
    let addrB = TransportAddress(host: "127.0.0.1", port: 5060)
    var now: Duration = .zero
    var timers: [(side: Int, timer: SIPStack.Timer, due: Duration)] = []
    var inFlight: [(to: TransportAddress, from: TransportAddress, msg: SIPMessage)] = []
    var eventsA: [CallEvent] = []
    var eventsB: [CallEvent] = []
    /// Called for each B event; returns the commands B's application gives.
    var appB: (CallEvent) -> [CallCommand] = { _ in [] }
    var wire: [String] = []

    init() {
        var ca = UserAgentConfig()
        ca.localIPv4 = addrA
        ca.idPrefix = "a"
        var cb = UserAgentConfig()
        cb.localIPv4 = addrB
        cb.idPrefix = "b"
        a = SIPStack(config: ca)
        b = SIPStack(config: cb)
    }

    mutating func absorb(_ outs: [SIPStack.Output], side: Int) {
        let me = side == 0 ? addrA : addrB
        for o in outs {
            switch o {
            case .transmit(let m, let to): inFlight.append((to, me, m))
            case .startTimer(let t, let after):
                timers.removeAll { $0.side == side && $0.timer == t }
                timers.append((side, t, now + after))
            case .cancelTimer(let t): timers.removeAll { $0.side == side && $0.timer == t }
            case .event(let e):
                if side == 0 { eventsA.append(e) } else {
                    eventsB.append(e)
                    for c in appB(e) { absorb(b.command(c), side: 1) }
                }
            }
        }
    }

    /// Delivers everything in flight (and what that produces) until quiet.
    mutating func flush() {
        while !inFlight.isEmpty {
            let (to, from, m) = inFlight.removeFirst()
            wire.append(Self.label(m))
            // Through bytes, as on the wire.
            guard case .success(let parsed) = SIPParser().parse(SIPSerializer.serialize(m)) else { continue }
            if to == addrB { absorb(b.receive(parsed, from: from), side: 1) } else if to == addrA { absorb(a.receive(parsed, from: from), side: 0) }
        }
    }

    mutating func advance(by d: Duration) {
        let end = now + d
        flush()
        while let next = timers.filter({ $0.due <= end }).min(by: { $0.due < $1.due }) {
            now = next.due
            timers.removeAll { $0.side == next.side && $0.timer == next.timer }
            absorb(next.side == 0 ? a.fire(next.timer) : b.fire(next.timer), side: next.side)
            flush()
        }
        now = end
    }

    mutating func call(_ user: String = "+254700000001") -> CallRef {
        let media = LocalMediaCapabilities(codecs: [.pcma, .pcmu], address: "127.0.0.1", port: 30000)
        let (ref, outs) = a.placeCall(OutgoingCall(target: SIPURI(user: user, host: "127.0.0.1", port: 5060),
                                                  fromUser: "+254711000000", media: media))
        absorb(outs, side: 0)
        flush()
        return ref
    }

    mutating func commandA(_ c: CallCommand) { absorb(a.command(c), side: 0); flush() }

    static func label(_ m: SIPMessage) -> String {
        switch m {
        case .request(let r): return "\(r.method)"
        case .response(let r): return "\(r.statusCode)/\(r.cseq?.method.description ?? "")"
        }
    }

    static func ended(_ events: [CallEvent]) -> [EndReason] {
        events.compactMap { if case .ended(_, let r) = $0 { return r } else { return nil } }
    }
}
