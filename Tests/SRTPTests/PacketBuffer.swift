/// A 16-byte-aligned packet buffer with spare room, like a media worker's receive buffer.
final class PacketBuffer {
    let capacity: Int
    let pointer: UnsafeMutableRawPointer
    var length: Int

    init(_ bytes: [UInt8], capacity: Int = 1500) {
        let size = max(capacity, bytes.count, 1)
        let memory = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        memory.initializeMemory(as: UInt8.self, repeating: 0xEE, count: size)
        bytes.withUnsafeBytes { raw in
            if let base = raw.baseAddress { memory.copyMemory(from: base, byteCount: raw.count) }
        }
        self.capacity = size
        pointer = memory
        length = bytes.count
    }

    deinit { pointer.deallocate() }

    /// The current packet bytes.
    var bytes: [UInt8] { Array(UnsafeRawBufferPointer(start: pointer, count: length)) }

    /// Flips one bit of the byte at `offset`.
    func flip(byte offset: Int, mask: UInt8 = 0x01) {
        pointer.storeBytes(of: pointer.load(fromByteOffset: offset, as: UInt8.self) ^ mask,
                           toByteOffset: offset, as: UInt8.self)
    }
}

/// A plain RTP packet: V=2, PT 0 (PCMU), the given sequence number, SSRC and payload.
func rtpPacket(seq: UInt16, ssrc: UInt32 = 0x1122_3344, payload: [UInt8]) -> [UInt8] {
    var p: [UInt8] = [0x80, 0x00, UInt8(seq >> 8), UInt8(seq & 0xFF), 0, 0, 0x03, 0x20]
    p += [UInt8(ssrc >> 24), UInt8(ssrc >> 16 & 0xFF), UInt8(ssrc >> 8 & 0xFF), UInt8(ssrc & 0xFF)]
    return p + payload
}

/// An RTCP receiver report with no report blocks (RFC 3550 §6.4.2) plus padding-free body.
func rtcpPacket(ssrc: UInt32 = 0x1122_3344, body: [UInt8] = []) -> [UInt8] {
    let words = UInt16((8 + body.count) / 4 - 1)
    var p: [UInt8] = [0x80, 201, UInt8(words >> 8), UInt8(words & 0xFF)]
    p += [UInt8(ssrc >> 24), UInt8(ssrc >> 16 & 0xFF), UInt8(ssrc >> 8 & 0xFF), UInt8(ssrc & 0xFF)]
    return p + body
}

/// Parses a hex string (spaces ignored) for test vectors.
func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8.filter { $0 != 0x20 })
    return stride(from: 0, to: digits.count, by: 2).map { i in
        UInt8(String(decoding: digits[i..<i + 2], as: UTF8.self), radix: 16)!
    }
}
