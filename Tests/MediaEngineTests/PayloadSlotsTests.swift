import Testing
@testable import MediaEngine

@Suite struct PayloadSlotsTests {
    @Test func storedPayloadsReadBackUntilTheirSlotIsReused() {
        var slots = PayloadSlots(slotBytes: 8)
        let a = [UInt8](1...5).withUnsafeBytes { slots.store($0, sequence: 100) }
        let b = [UInt8](6...13).withUnsafeBytes { slots.store($0, sequence: 101) }
        #expect(slots.withBytes(a) { $0.map(Array.init) } == [1, 2, 3, 4, 5])
        #expect(slots.withBytes(b) { $0.map(Array.init) } == [6, 7, 8, 9, 10, 11, 12, 13])
        // 32 sequence numbers later the same slot holds a newer packet: the old handle is gone.
        _ = [UInt8](repeating: 9, count: 3).withUnsafeBytes { slots.store($0, sequence: 100 + UInt16(PayloadSlots.slotCount)) }
        #expect(slots.withBytes(a) { $0 == nil })
    }

    @Test func oversizedPayloadsGoToTheHeap() {
        var slots = PayloadSlots(slotBytes: 4)
        let big = [UInt8](0..<10).withUnsafeBytes { slots.store($0, sequence: 7) }
        guard case .heap = big else { Issue.record("expected a heap payload"); return }
        #expect(slots.withBytes(big) { $0.map(Array.init) } == Array(0..<10))
    }
}
