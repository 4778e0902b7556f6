/// A fixed ring of 16-bit samples between the jitter buffer (which yields packets of any
/// duration) and the 20 ms tick (which wants exactly one frame). Allocated once per session.
struct PCMRing: Sendable {
    private var storage: [Int16]
    private var head = 0
    private(set) var count = 0

    init(capacity: Int) { storage = [Int16](repeating: 0, count: max(1, capacity)) }

    var capacity: Int { storage.count }
    var free: Int { storage.count - count }

    /// Appends samples; when full, the oldest are overwritten (the caller stays bounded).
    mutating func write(_ samples: UnsafeBufferPointer<Int16>) {
        let cap = storage.count
        storage.withUnsafeMutableBufferPointer { s in
            for x in samples {
                s[(head + count) % cap] = x
                if count < cap { count += 1 } else { head = (head + 1) % cap }
            }
        }
    }

    /// Moves up to `out.count` samples out; returns how many.
    mutating func read(into out: UnsafeMutableBufferPointer<Int16>) -> Int {
        let n = min(out.count, count)
        let cap = storage.count
        storage.withUnsafeBufferPointer { s in
            for i in 0..<n { out[i] = s[(head + i) % cap] }
        }
        head = (head + n) % cap
        count -= n
        return n
    }

    mutating func clear() { head = 0; count = 0 }
}
