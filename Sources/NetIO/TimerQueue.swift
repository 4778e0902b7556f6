/// Deadlines for many timers (SIP transaction and dialog timers), pure and clock-free: the
/// caller passes `now` in. A binary min-heap with lazy cancellation: rescheduling or
/// cancelling only forgets a generation number, and stale heap entries are skipped on pop.
/// Heap entries are plain integers (deadline, generation) so sifting copies no references;
/// the timer ids live in two side tables. O(log n) per operation, no per-timer Dispatch
/// source (ARCHITECTURE: no timer per call).
public struct TimerQueue<ID: Hashable & Sendable>: Sendable {
    private struct Entry: Sendable {
        var deadline: Int64
        var generation: UInt64
    }

    private var heap: [Entry] = []
    /// Armed timers: id → generation of its live heap entry.
    private var live: [ID: UInt64] = [:]
    /// Generation → id, for live entries only; a missing generation marks a stale entry.
    private var ids: [UInt64: ID] = [:]
    private var nextGeneration: UInt64 = 0

    public init() {}

    /// Number of armed timers.
    public var count: Int { live.count }

    /// Arms (or re-arms) `id` to fire at `deadline` (nanoseconds on the caller's clock).
    public mutating func schedule(_ id: ID, at deadline: Int64) {
        nextGeneration &+= 1
        if let old = live.updateValue(nextGeneration, forKey: id) { ids[old] = nil }
        ids[nextGeneration] = id
        push(Entry(deadline: deadline, generation: nextGeneration))
        // Bound the garbage left by lazy cancellation.
        if heap.count > 64 && heap.count > live.count * 4 { compact() }
    }

    public mutating func cancel(_ id: ID) {
        if let g = live.removeValue(forKey: id) { ids[g] = nil }
    }

    public func isScheduled(_ id: ID) -> Bool { live[id] != nil }

    /// Drops stale heap entries and gives back table memory after a burst.
    public mutating func shrink() {
        compact()
        live.shrinkIfSparse()
        ids.shrinkIfSparse()
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
            if let id = ids.removeValue(forKey: top.generation) {
                live[id] = nil
                fired.append(id)
            }
        }
        return fired
    }

    private mutating func dropStale() {
        while let top = heap.first, ids[top.generation] == nil { popTop() }
    }

    private mutating func compact() {
        heap = heap.filter { ids[$0.generation] != nil }
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
