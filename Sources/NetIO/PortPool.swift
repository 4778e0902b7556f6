/// Even RTP ports from a configured range (RFC 3550 §11: RTP on an even port, RTCP on the
/// next odd one). Pure; a port is free again when released. Ports are handed out round-robin
/// so a port just released is not reused at once (late packets of the old call).
public struct PortPool: Sendable {
    public let lower: Int
    public let upper: Int
    private var free: [Int]
    private var head = 0
    private var inUse: Set<Int> = []

    /// `lower` is rounded up to even; the last pair must fit below `upper`.
    public init(lower: Int, upper: Int) {
        self.lower = lower + (lower & 1)
        self.upper = upper
        free = Array(stride(from: self.lower, through: upper - 1, by: 2))
    }

    public var available: Int { free.count - head }
    public var allocatedCount: Int { inUse.count }

    /// Takes the next free RTP port, or nil when the range is exhausted.
    public mutating func allocate() -> Int? {
        guard head < free.count else { return nil }
        let p = free[head]
        head += 1
        if head > 4096 && head * 2 > free.count { free.removeFirst(head); head = 0 }
        inUse.insert(p)
        return p
    }

    /// Returns a port; unknown or double releases are ignored.
    public mutating func release(_ port: Int) {
        guard inUse.remove(port) != nil else { return }
        free.append(port)
    }
}
