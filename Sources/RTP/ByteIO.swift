// Big-endian helpers over raw buffers. Callers bounds-check first; these never trap on
// hostile input because every call site validates `offset + size <= count` beforehand.

extension UnsafeRawBufferPointer {
    @inline(__always) func u8(_ o: Int) -> UInt8 { load(fromByteOffset: o, as: UInt8.self) }
    @inline(__always) func u16(_ o: Int) -> UInt16 {
        UInt16(bigEndian: loadUnaligned(fromByteOffset: o, as: UInt16.self))
    }
    @inline(__always) func u32(_ o: Int) -> UInt32 {
        UInt32(bigEndian: loadUnaligned(fromByteOffset: o, as: UInt32.self))
    }
}

extension UnsafeMutableRawBufferPointer {
    @inline(__always) func put8(_ v: UInt8, _ o: Int) { storeBytes(of: v, toByteOffset: o, as: UInt8.self) }
    @inline(__always) func put16(_ v: UInt16, _ o: Int) {
        storeBytes(of: v.bigEndian, toByteOffset: o, as: UInt16.self)
    }
    @inline(__always) func put32(_ v: UInt32, _ o: Int) {
        storeBytes(of: v.bigEndian, toByteOffset: o, as: UInt32.self)
    }
}

extension Array where Element == UInt8 {
    @inline(__always) mutating func append16(_ v: UInt16) {
        append(UInt8(truncatingIfNeeded: v >> 8)); append(UInt8(truncatingIfNeeded: v))
    }
    @inline(__always) mutating func append32(_ v: UInt32) {
        append16(UInt16(truncatingIfNeeded: v >> 16)); append16(UInt16(truncatingIfNeeded: v))
    }
}

/// Runs a typed-throwing parser over an array's bytes without losing the error type.
@inline(__always)
func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(RTPError) -> R) throws(RTPError) -> R {
    let result: Result<R, RTPError> = bytes.withUnsafeBytes { buf in
        Result { () throws(RTPError) -> R in try body(buf) }
    }
    return try result.get()
}
