/// The cycle of payloads the generator sends (50 × 20 ms = one second of audio), looked up by
/// content: the daemon writes its own SSRC, sequence numbers and timestamps (RFC 3550 §5.1),
/// so an echo can only be matched to what was sent by its payload bytes.
public struct PayloadRing: Sendable {
    /// The payloads, in sending order.
    public let payloads: [[UInt8]]
    private let indexByHash: [UInt64: Int]

    /// Fails when two payloads are identical (an echo could not be told apart) or none given.
    public init(_ payloads: [[UInt8]]) throws(BenchError) {
        guard !payloads.isEmpty else { throw .setup("the payload ring is empty") }
        var table: [UInt64: Int] = [:]
        for (i, p) in payloads.enumerated() {
            let h = p.withUnsafeBytes { PayloadRing.hash($0) }
            if let j = table[h] {
                throw .setup("payloads \(j) and \(i) of the test signal hash alike; change the signal")
            }
            table[h] = i
        }
        self.payloads = payloads
        indexByHash = table
    }

    /// Number of payloads in the cycle.
    public var count: Int { payloads.count }

    /// Largest payload, in bytes (sizes the send buffer).
    public var maxPayloadBytes: Int { payloads.map(\.count).max() ?? 0 }

    /// The ring position whose payload equals `bytes` exactly, or nil (corrupted or foreign).
    public func match(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard let i = indexByHash[PayloadRing.hash(bytes)], i < payloads.count else { return nil }
        let equal = payloads[i].withUnsafeBytes { sent in
            sent.count == bytes.count && sent.elementsEqual(bytes)
        }
        return equal ? i : nil
    }

    /// FNV-1a, 64 bit: cheap, no allocation, good enough to tell 50 frames apart.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }
}

/// Turns a ring position into the absolute index of the sent packet, per call. Echoes come
/// back in order (the daemon's jitter buffer plays out by sequence number), so the echo at
/// position `phase` is the first packet at or after `last + 1` with that position; up to
/// `ring.count − 1` consecutive losses stay unambiguous.
public enum EchoIndex {
    /// The absolute packet index of an echo at ring position `phase`, given the index of the
    /// previous echo on the same call (-1 before the first).
    public static func absolute(phase: Int, after last: Int, ringSize: Int) -> Int {
        guard ringSize > 0 else { return last + 1 }
        let next = last + 1
        let offset = ((phase - next) % ringSize + ringSize) % ringSize
        return next + offset
    }
}
