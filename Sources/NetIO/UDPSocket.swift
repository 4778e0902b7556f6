#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import SIPSyntax

/// Errors from socket set-up, with the errno text so the operator knows what to fix.
public struct SocketError: Error, CustomStringConvertible, Sendable {
    public let operation: String
    public let address: String
    public let errno: Int32
    public var description: String {
        "\(operation) \(address): \(String(cString: strerror(errno)))"
    }
}

/// A non-blocking UDP socket read by a Dispatch read source on a caller-given serial queue.
/// The handler runs on that queue, once per datagram, with a buffer that is only valid during
/// the call (no allocation per packet on the receive path).
public final class UDPSocket: @unchecked Sendable {
    public let fd: Int32
    public let localAddress: TransportAddress
    private var source: DispatchSourceRead?
    private var closed = false


    /// Binds to `address` (port 0 picks a free port). Receive and send buffers are enlarged
    /// because SIP load arrives in bursts.
    public init(bind address: TransportAddress, bufferBytes: Int32 = 4 << 20) throws {
        var storage = sockaddr_storage()
        guard let len = SocketAddress.make(address, into: &storage) else {
            throw SocketError(operation: "bind", address: address.description, errno: EINVAL)
        }
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        #if canImport(Glibc)
        let fd = socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let fd = socket(family, SOCK_DGRAM, 0)
        #endif
        guard fd >= 0 else { throw SocketError(operation: "socket", address: address.description, errno: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if family == AF_INET6 {
            setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        var size = bufferBytes
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        let rc = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
        }
        guard rc == 0 else {
            let e = errno
            Glibc.close(fd)
            throw SocketError(operation: "bind", address: address.description, errno: e)
        }
        var bound = sockaddr_storage()
        var blen = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &blen) }
        }
        self.fd = fd
        self.localAddress = withUnsafePointer(to: &bound) { SocketAddress.read($0) } ?? address
    }

    deinit { close() }

    /// Starts reading on `queue`. At most `batch` datagrams are read per wake-up so one busy
    /// socket cannot starve the queue's other work (timers, other sockets).
    public func start(on queue: DispatchQueue, batch: Int = 64,
                      buffer shared: ReceiveBuffer? = nil,
                      handler: @escaping (UnsafeRawBufferPointer, TransportAddress) -> Void) {
        let src = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        let fd = self.fd
        let box = shared ?? ReceiveBuffer()
        src.setEventHandler {
            let buffer = box.bytes
            var from = sockaddr_storage()
            for _ in 0..<batch {
                var flen = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let n = withUnsafeMutablePointer(to: &from) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        recvfrom(fd, buffer.baseAddress, buffer.count, 0, $0, &flen)
                    }
                }
                if n < 0 { break } // EAGAIN: drained; other errors (ICMP) are per-datagram
                guard let peer = withUnsafePointer(to: &from, { SocketAddress.read($0) }) else { continue }
                handler(UnsafeRawBufferPointer(rebasing: buffer[0..<n]), peer)
            }
        }
        src.setCancelHandler { Glibc.close(fd) }
        source = src
        src.resume()
    }

    /// Sends one datagram. Returns false when the kernel refused it (buffer full, no route):
    /// UDP is best effort and SIP's retransmissions recover.
    @discardableResult
    public func send(_ bytes: [UInt8], to address: TransportAddress) -> Bool {
        bytes.withUnsafeBytes { send($0, to: address) }
    }

    /// Sends one datagram from a buffer the caller owns (the media path, without copies).
    @discardableResult
    public func send(_ bytes: UnsafeRawBufferPointer, to address: TransportAddress) -> Bool {
        var storage = sockaddr_storage()
        guard let len = SocketAddress.make(address, into: &storage) else { return false }
        let n = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, bytes.baseAddress, bytes.count, 0, $0, len) }
        }
        return n == bytes.count
    }

    /// Asks the kernel to stamp each arriving datagram with its receive time (SO_TIMESTAMPNS,
    /// socket(7)), read by `drain`: the media path needs arrival times that do not
    /// depend on when its thread got round to the socket.
    public func enableReceiveTimestamps() {
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, Self.soTimestampNS, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// SO_TIMESTAMPNS / SCM_TIMESTAMPNS on Linux (asm-generic/socket.h).
    static let soTimestampNS: Int32 = 35

    /// Reads up to `max` waiting datagrams into `buffer` without blocking, for an event loop
    /// that was told the socket is readable. The handler gets each datagram, its raw source
    /// address (converting it to text per packet would cost more than the packet itself) and
    /// its kernel receive time (CLOCK_REALTIME ns; nil unless `enableReceiveTimestamps`).
    public func drain(into buffer: ReceiveBuffer, max: Int = 64,
                                 _ handler: (UnsafeRawBufferPointer, UnsafePointer<sockaddr_storage>, socklen_t, Int64?) -> Void) {
        let bytes = buffer.bytes
        var from = sockaddr_storage()
        // One cmsghdr (16 bytes on LP64) plus a timespec, with room to spare.
        var control = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        for _ in 0..<max {
            var iov = iovec(iov_base: bytes.baseAddress, iov_len: bytes.count)
            var controlLength = 0
            var nameLength: socklen_t = 0
            let n: Int = withUnsafeMutablePointer(to: &from) { fromPtr in
                withUnsafeMutablePointer(to: &iov) { iovPtr in
                    withUnsafeMutableBytes(of: &control) { ctl in
                        var msg = msghdr()
                        msg.msg_name = UnsafeMutableRawPointer(fromPtr)
                        msg.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
                        msg.msg_iov = iovPtr
                        msg.msg_iovlen = 1
                        msg.msg_control = ctl.baseAddress
                        msg.msg_controllen = ctl.count
                        let r = recvmsg(fd, &msg, 0)
                        controlLength = Int(msg.msg_controllen)
                        nameLength = msg.msg_namelen
                        return r
                    }
                }
            }
            if n < 0 { return }
            // cmsghdr: cmsg_len (size_t), cmsg_level (int), cmsg_type (int), then the data.
            var stamp: Int64?
            if controlLength >= 32, Int32(truncatingIfNeeded: control.1) == SOL_SOCKET,
               Int32(truncatingIfNeeded: control.1 >> 32) == Self.soTimestampNS {
                stamp = Int64(bitPattern: control.2) * 1_000_000_000 + Int64(bitPattern: control.3)
            }
            control = (0, 0, 0, 0, 0, 0)
            withUnsafePointer(to: &from) { handler(UnsafeRawBufferPointer(rebasing: bytes[0..<n]), $0, nameLength, stamp) }
        }
    }

    /// Sends one datagram to an address already in kernel form.
    @discardableResult
    public func send(_ bytes: UnsafeRawBufferPointer, to storage: UnsafePointer<sockaddr_storage>, length: socklen_t) -> Bool {
        let n = storage.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, bytes.baseAddress, bytes.count, 0, $0, length) }
        return n == bytes.count
    }

    /// Stops reading and closes the socket.
    public func close() {
        guard !closed else { return }
        closed = true
        if let s = source { s.cancel(); source = nil } else { _ = Glibc.close(fd) }
    }
}

/// The 64 KiB a socket reads datagrams into. Sockets read on the same serial queue can share
/// one (a media worker's thousands of RTP sockets would otherwise hold 64 KiB each); the
/// read handler owns a reference, so the buffer outlives a cancelled source.
public final class ReceiveBuffer: @unchecked Sendable {
    let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 16)
    public init() {}
    deinit { bytes.deallocate() }
}
