import SIPSyntax
@testable import SIPTransaction

/// A scripted UAS core on one Sim node: answers non-INVITE requests 200, rings INVITEs and
/// answers them with `finalFor(invite)` (nil: keep ringing), retransmits its 2xx itself
/// until the ACK arrives (RFC 3261 §13.3.1.4), answers CANCEL 200 + 487, or 481 when it
/// matches nothing (§9.2), and gives up ringing with 480 after `ringTimeout`.
final class ScriptedUAS {
    var finalFor: (SIPRequest) -> Int? = { _ in 200 }
    var ringTimeout: Duration = .seconds(60)
    private(set) var requests: [SIPRequest] = []
    private(set) var acks: [(time: Duration, ack: SIPRequest)] = []
    private(set) var timeouts: [TransactionKey] = []
    private var acked: Set<String> = []
    let timers: TransactionTimers

    init(timers: TransactionTimers = .init()) { self.timers = timers }

    func install(on sim: Sim, node: Int) {
        sim.onAction[node] = { [self] sim, node, action in react(sim, node, action) }
    }

    private func react(_ sim: Sim, _ node: Int, _ action: TransactionAction) {
        switch action {
        case .deliverRequest(let req, let key, _):
            requests.append(req)
            switch req.method {
            case .invite:
                sim.handle(on: node, .sendResponse(SIPResponse(to: req, statusCode: 180, toTag: "uas"), key: key))
                guard let code = finalFor(req) else {
                    // A real UAS has a no-answer timeout; the transaction layer has none in Proceeding.
                    sim.schedule(after: ringTimeout) { sim in
                        sim.handle(on: node, .sendResponse(SIPResponse(to: req, statusCode: 480, toTag: "uas"), key: key))
                    }
                    return
                }
                let final = SIPResponse(to: req, statusCode: code, toTag: "uas")
                sim.handle(on: node, .sendResponse(final, key: key))
                if final.isSuccess { retransmit2xx(final, key: key, callID: req.callID ?? "", sim: sim, node: node, interval: timers.t1, elapsed: .zero) }
            case .cancel:
                guard let inviteKey = sim.layers[node].inviteKey(forCancel: req),
                      let invite = sim.layers[node].originalRequest(for: inviteKey) else {
                    sim.handle(on: node, .sendResponse(SIPResponse(to: req, statusCode: 481, toTag: "uas"), key: key))
                    return
                }
                sim.handle(on: node, .sendResponse(SIPResponse(to: req, statusCode: 200, toTag: "uas"), key: key))
                sim.handle(on: node, .sendResponse(SIPResponse(to: invite, statusCode: 487, toTag: "uas"), key: inviteKey))
            default:
                sim.handle(on: node, .sendResponse(SIPResponse(to: req, statusCode: 200, toTag: "uas"), key: key))
            }
        case .deliverAck(let ack, _):
            acks.append((sim.now, ack))
            if let id = ack.callID { acked.insert(id) }
        case .timedOut(let key):
            timeouts.append(key)
        default:
            break
        }
    }

    /// §13.3.1.4: T1 doubling to T2, until the ACK or 64*T1.
    private func retransmit2xx(_ ok: SIPResponse, key: TransactionKey, callID: String, sim: Sim, node: Int,
                               interval: Duration, elapsed: Duration) {
        sim.schedule(after: interval) { [self] sim in
            let total = elapsed + interval
            guard !acked.contains(callID), total < timers.timeout else { return }
            sim.handle(on: node, .sendResponse(ok, key: key))
            retransmit2xx(ok, key: key, callID: callID, sim: sim, node: node,
                          interval: min(interval * 2, timers.t2), elapsed: total)
        }
    }
}

/// A scripted UAC core on one Sim node: records what its transactions deliver and ACKs every
/// 2xx to an INVITE itself (§13.2.2.4), including 2xx that arrive after Timer M (stray).
final class ScriptedUAC {
    private(set) var responses: [TransactionKey: [SIPResponse]] = [:]
    private(set) var responseTimes: [TransactionKey: [Duration]] = [:]
    private(set) var timeouts: [TransactionKey] = []
    private(set) var acksSent = 0
    private var invites: [String: SIPRequest] = [:]
    let peer: TransportAddress

    init(peer: TransportAddress) { self.peer = peer }

    func install(on sim: Sim, node: Int) {
        sim.onAction[node] = { [self] sim, node, action in react(sim, node, action) }
    }

    /// Starts a client transaction.
    func send(_ request: SIPRequest, sim: Sim, node: Int) {
        if request.method == .invite, let id = request.callID { invites[id] = request }
        sim.handle(on: node, .sendRequest(request, to: peer))
    }

    func finalCode(_ key: TransactionKey) -> Int? { responses[key]?.last { $0.isFinal }?.statusCode }

    private func react(_ sim: Sim, _ node: Int, _ action: TransactionAction) {
        switch action {
        case .deliverResponse(let r, let key):
            responses[key, default: []].append(r)
            responseTimes[key, default: []].append(sim.now)
            if key.method == .invite, r.isSuccess { ack(r, sim: sim, node: node) }
        case .deliverStrayResponse(let r, _):
            if r.cseq?.method == .invite, r.isSuccess { ack(r, sim: sim, node: node) }
        case .timedOut(let key):
            timeouts.append(key)
        default:
            break
        }
    }

    private func ack(_ ok: SIPResponse, sim: Sim, node: Int) {
        guard let id = ok.callID, let invite = invites[id],
              let ack = try? Fx.ackFor2xx(invite, ok, branch: "z9hG4bK-ack-\(id)-\(acksSent)") else { return }
        acksSent += 1
        sim.handle(on: node, .sendRequest(ack, to: peer))
    }
}
