/// Swift dictionaries and sets keep their largest capacity for ever. After a burst of calls
/// (tens of thousands of transactions alive for Timer J/L's 32 s) that pins hundreds of MB,
/// so the long-lived tables of every layer rebuild themselves when they become sparse. The
/// driver calls the layers' `compact()` every 30 s; a rebuild costs O(count).
extension Dictionary {
    public mutating func shrinkIfSparse(minimumCapacity: Int = 64) {
        guard capacity > minimumCapacity, count * 4 < capacity else { return }
        var fresh = Dictionary(minimumCapacity: count)
        for (k, v) in self { fresh[k] = v }
        self = fresh
    }
}

extension Set {
    public mutating func shrinkIfSparse(minimumCapacity: Int = 64) {
        guard capacity > minimumCapacity, count * 4 < capacity else { return }
        var fresh = Set(minimumCapacity: count)
        for e in self { fresh.insert(e) }
        self = fresh
    }
}
