/// Even RTP ports from a configured range (RFC 3550 §11: RTP on an even port, RTCP on the
/// next odd one). Pure. A released port waits in quarantine until `quarantine` other ports
/// have been released after it, so late packets of a finished call do not reach the next
/// one; fresh ports are used only when the quarantine is short. That keeps the set of ports
/// ever used (and so of sockets the media engine keeps bound) near the peak call count.
public struct PortPool: Sendable {
    public let lower: Int
    public let upper: Int
    public let quarantine: Int
    private var nextFresh: Int
    private var released: [Int] = []
    private var releasedHead = 0
    private var inUse: Set<Int> = []

    /// `lower` is rounded up to even; the last pair must fit below `upper`.
    public init(lower: Int, upper: Int, quarantine: Int = 256) {
        self.lower = lower + (lower & 1)
        self.upper = upper
        self.quarantine = quarantine
        nextFresh = self.lower
    }

    private var waiting: Int { released.count - releasedHead }
    public var available: Int { waiting + max(0, (upper - nextFresh + 1) / 2) }
    public var allocatedCount: Int { inUse.count }

    /// Takes an RTP port, or nil when the range is exhausted.
    public mutating func allocate() -> Int? {
        let port: Int
        if waiting > quarantine || (nextFresh + 1 > upper && waiting > 0) {
            port = released[releasedHead]
            releasedHead += 1
            if releasedHead > 1024 && releasedHead * 2 > released.count {
                released.removeFirst(releasedHead)
                releasedHead = 0
            }
        } else if nextFresh + 1 <= upper {
            port = nextFresh
            nextFresh += 2
        } else {
            return nil
        }
        inUse.insert(port)
        return port
    }

    /// Returns a port; unknown or double releases are ignored.
    public mutating func release(_ port: Int) {
        guard inUse.remove(port) != nil else { return }
        released.append(port)
    }
}
