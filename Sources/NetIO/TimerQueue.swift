/// Deadlines for many timers (SIP transaction and dialog timers), pure and clock-free: the
/// caller passes `now` in. A binary min-heap with lazy cancellation: rescheduling or
/// cancelling only bumps a generation number, and stale heap entries are skipped on pop.
/// O(log n) per operation, no per-timer Dispatch source (ARCHITECTURE: no timer per call).
public struct TimerQueue<ID: Hashable & Sendable>: Sendable {
    private struct Entry: Sendable {
        var deadline: Int64
        var generation: UInt64
        var id: ID
    }

    private var heap: [Entry] = []
    private var live: [ID: UInt64] = [:]
    private var nextGeneration: UInt64 = 0

    public init() {}

    /// Number of armed timers.
    public var count: Int { live.count }

    /// Arms (or re-arms) `id` to fire at `deadline` (nanoseconds on the caller's clock).
    public mutating func schedule(_ id: ID, at deadline: Int64) {
        nextGeneration &+= 1
        live[id] = nextGeneration
        push(Entry(deadline: deadline, generation: nextGeneration, id: id))
        // Bound the garbage left by lazy cancellation.
        if heap.count > 64 && heap.count > live.count * 4 { compact() }
    }

    public mutating func cancel(_ id: ID) { live[id] = nil }

    public func isScheduled(_ id: ID) -> Bool { live[id] != nil }

    /// Drops stale heap entries and gives back table memory after a burst.
    public mutating func shrink() {
        compact()
        live.shrinkIfSparse()
        if heap.capacity > 64 && heap.count * 4 < heap.capacity {
            var fresh: [Entry] = []
            fresh.reserveCapacity(heap.count)
            fresh.append(contentsOf: heap)
            heap = fresh
        }
    }

    /// The earliest live deadline, if any.
    public mutating func nextDeadline() -> Int64? {
        dropStale()
        return heap.first?.deadline
    }

    /// Removes and returns every timer due at or before `now`, earliest first.
    public mutating func popExpired(now: Int64) -> [ID] {
        var fired: [ID] = []
        while true {
            dropStale()
            guard let top = heap.first, top.deadline <= now else { break }
            popTop()
            live[top.id] = nil
            fired.append(top.id)
        }
        return fired
    }

    private mutating func dropStale() {
        while let top = heap.first, live[top.id] != top.generation { popTop() }
    }

    private mutating func compact() {
        heap = heap.filter { live[$0.id] == $0.generation }
        guard heap.count > 1 else { return }
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
    }

    private mutating func push(_ e: Entry) {
        heap.append(e)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private mutating func popTop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0)
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count, less(heap[l], heap[m]) { m = l }
            if r < heap.count, less(heap[r], heap[m]) { m = r }
            if m == i { return }
            heap.swapAt(i, m)
            i = m
        }
    }

    @inline(__always) private func less(_ a: Entry, _ b: Entry) -> Bool {
        a.deadline != b.deadline ? a.deadline < b.deadline : a.generation < b.generation
    }
}
