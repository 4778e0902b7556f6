/// Where the jitter buffer's payloads live: a fixed ring of slots indexed by RTP sequence
/// number, allocated once per leg, so receiving a packet allocates nothing (ARCHITECTURE: no
/// allocation per packet). The jitter buffer holds only `StoredPayload` handles.
///
/// A slot is reused 32 sequence numbers later. The buffer never holds packets that far apart
/// (it is bounded well below that by its delay), and a handle whose slot was reused is
/// detected by its sequence number and treated as lost rather than played as wrong audio.
/// A payload larger than a slot (rare: long G.711 packets, high-rate Opus) is kept on the heap.
struct PayloadSlots: Sendable {
    static let slotCount = 32
    let slotBytes: Int
    private var storage: [UInt8]
    private var lengths: [Int]
    private var owners: [UInt16]

    init(slotBytes: Int) {
        self.slotBytes = slotBytes
        storage = [UInt8](repeating: 0, count: Self.slotCount * slotBytes)
        lengths = [Int](repeating: -1, count: Self.slotCount)
        owners = [UInt16](repeating: 0, count: Self.slotCount)
    }

    /// Copies a payload in; returns the handle to give the jitter buffer.
    mutating func store(_ bytes: UnsafeRawBufferPointer, sequence: UInt16) -> StoredPayload {
        guard bytes.count <= slotBytes else { return .heap(Array(bytes)) }
        let slot = Int(sequence) % Self.slotCount
        let base = slot * slotBytes
        let size = slotBytes
        storage.withUnsafeMutableBytes { s in
            UnsafeMutableRawBufferPointer(rebasing: s[base..<(base + size)]).copyMemory(from: bytes)
        }
        lengths[slot] = bytes.count
        owners[slot] = sequence
        return .slot(sequence)
    }

    /// Calls `body` with the payload's bytes, or with nil when its slot has been reused.
    func withBytes<R>(_ p: StoredPayload, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
        switch p {
        case .heap(let bytes):
            return bytes.withUnsafeBytes { body($0) }
        case .slot(let sequence):
            let slot = Int(sequence) % Self.slotCount
            guard owners[slot] == sequence, lengths[slot] >= 0 else { return body(nil) }
            let base = slot * slotBytes
            let n = lengths[slot]
            return storage.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[base..<(base + n)])) }
        }
    }
}

/// A jitter-buffer payload: a slot of `PayloadSlots` (by sequence number) or, when too big for
/// a slot, the bytes themselves.
enum StoredPayload: Sendable {
    case slot(UInt16)
    case heap([UInt8])
}
