import SIPSyntax
@testable import SIPTransaction

/// A virtual-clock driver for one or more transaction layers.
///
/// It performs the actions a layer returns the way the real driver would: `startTimer`
/// schedules a `timerFired` at now + duration (replacing the pending one), `cancelTimer`
/// forgets it, and `transmit` is logged and, when another node owns the destination address,
/// delivered to it after `latency` (unless the loss plan drops it). TU behaviour is scripted
/// through `onAction` hooks, which run after the layer's actions have been applied.
final class Sim {
    struct Logged {
        var time: Duration
        var node: Int
        var action: TransactionAction
    }

    private enum Item {
        case timer(node: Int, TimerID)
        case deliver(node: Int, SIPMessage, from: TransportAddress)
        case closure((Sim) -> Void)
    }

    private struct Entry {
        var due: Duration
        var seq: Int
        var item: Item
        func before(_ o: Entry) -> Bool { due < o.due || (due == o.due && seq < o.seq) }
    }

    private struct NodeTimer: Hashable {
        var node: Int
        var id: TimerID
    }

    private(set) var now: Duration = .zero
    var layers: [TransactionLayer]
    let addresses: [TransportAddress]
    var latency: Duration = .milliseconds(10)
    /// Decides whether the n-th (0-based) transmit of a node is lost.
    var shouldDrop: (_ node: Int, _ message: SIPMessage, _ index: Int) -> Bool = { _, _, _ in false }
    /// TU hooks, one per node, called for every action the node's layer returns.
    var onAction: [(Sim, Int, TransactionAction) -> Void]
    private(set) var log: [Logged] = []
    private var transmitCount: [Int]
    private var heap: [Entry] = []
    private var seq = 0
    /// The live sequence number of each pending layer timer; entries with another seq are stale.
    private var pending: [NodeTimer: Int] = [:]

    init(layers: [TransactionLayer], addresses: [TransportAddress]) {
        self.layers = layers
        self.addresses = addresses
        self.onAction = Array(repeating: { _, _, _ in }, count: layers.count)
        self.transmitCount = Array(repeating: 0, count: layers.count)
    }

    /// One node at 10.0.0.2:5060.
    convenience init(_ layer: TransactionLayer = TransactionLayer()) {
        self.init(layers: [layer], addresses: [TransportAddress(host: "10.0.0.2", port: 5060)])
    }

    /// Number of layer timers still pending.
    var pendingTimers: Int { pending.count }

    /// Feeds an event to a node's layer and performs the returned actions.
    @discardableResult
    func handle(_ event: TransactionEvent) -> [TransactionAction] { handle(on: 0, event) }

    /// Feeds an event to the layer of node `node`.
    @discardableResult
    func handle(on node: Int, _ event: TransactionEvent) -> [TransactionAction] {
        let actions = layers[node].handle(event)
        for a in actions {
            log.append(Logged(time: now, node: node, action: a))
            apply(a, node: node)
        }
        for a in actions { onAction[node](self, node, a) }
        return actions
    }

    /// Runs a closure at now + delay (TU timers in scripted tests).
    func schedule(after delay: Duration, _ body: @escaping (Sim) -> Void) {
        push(Entry(due: now + delay, seq: nextSeq(), item: .closure(body)))
    }

    /// Advances virtual time to `t`, firing everything due on the way, in order.
    func advance(to t: Duration) {
        while let first = heap.first, first.due <= t {
            let e = popMin()
            now = e.due
            switch e.item {
            case .timer(let node, let id):
                let nt = NodeTimer(node: node, id: id)
                guard pending[nt] == e.seq else { continue } // cancelled or restarted
                pending[nt] = nil
                handle(on: node, .timerFired(id))
            case .deliver(let node, let message, let from):
                switch message {
                case .request(let r): handle(on: node, .requestReceived(r, from: from))
                case .response(let r): handle(on: node, .responseReceived(r, from: from))
                }
            case .closure(let body):
                body(self)
            }
        }
        now = max(now, t)
    }

    func advance(by d: Duration) { advance(to: now + d) }

    // MARK: Log queries

    /// Every action of a node, with its time.
    func actions(_ node: Int = 0) -> [Logged] { log.filter { $0.node == node } }

    /// The messages a node transmitted, with time and destination.
    func transmits(_ node: Int = 0) -> [(time: Duration, message: SIPMessage, to: TransportAddress)] {
        log.compactMap { l in
            guard l.node == node, case .transmit(let m, let to) = l.action else { return nil }
            return (l.time, m, to)
        }
    }

    /// Times of the transmits of a node, in seconds.
    func transmitTimes(_ node: Int = 0) -> [Double] { transmits(node).map { seconds($0.time) } }

    /// Time (s) of the first `timedOut` / `terminated` of a key, nil when none.
    func timeOfTimeout(_ key: TransactionKey, node: Int = 0) -> Double? {
        actions(node).first { if case .timedOut(let k) = $0.action { return k == key } else { return false } }.map { seconds($0.time) }
    }

    func timeOfTermination(_ key: TransactionKey, node: Int = 0) -> Double? {
        actions(node).first { if case .terminated(let k) = $0.action { return k == key } else { return false } }.map { seconds($0.time) }
    }

    /// Responses delivered to the TU of a node (matched or stray).
    func deliveredResponses(_ node: Int = 0) -> [SIPResponse] {
        actions(node).compactMap {
            switch $0.action {
            case .deliverResponse(let r, _), .deliverStrayResponse(let r, _): r
            default: nil
            }
        }
    }

    func clearLog() { log.removeAll() }

    // MARK: Internals

    private func apply(_ a: TransactionAction, node: Int) {
        switch a {
        case .startTimer(let id, let after):
            let s = nextSeq()
            pending[NodeTimer(node: node, id: id)] = s
            push(Entry(due: now + after, seq: s, item: .timer(node: node, id)))
        case .cancelTimer(let id):
            pending[NodeTimer(node: node, id: id)] = nil
        case .transmit(let message, let to):
            let index = transmitCount[node]
            transmitCount[node] += 1
            guard !shouldDrop(node, message, index),
                  let target = addresses.firstIndex(of: to), target != node else { return }
            push(Entry(due: now + latency, seq: nextSeq(), item: .deliver(node: target, message, from: addresses[node])))
        default:
            break
        }
    }

    private func nextSeq() -> Int { seq += 1; return seq }

    private func push(_ e: Entry) {
        heap.append(e)
        var i = heap.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard heap[i].before(heap[p]) else { break }
            heap.swapAt(i, p)
            i = p
        }
    }

    private func popMin() -> Entry {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count, heap[l].before(heap[m]) { m = l }
                if r < heap.count, heap[r].before(heap[m]) { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}

/// Seconds as a Double, for readable expectations.
func seconds(_ d: Duration) -> Double {
    let c = d.components
    return Double(c.seconds) + Double(c.attoseconds) / 1e18
}
