#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SIPSyntax

/// Conversions between the pure `TransportAddress` and the kernel's sockaddr structures.
/// Only NetIO touches these (ARCHITECTURE: only NetIO touches sockets).
public enum SocketAddress {
    /// Fills `storage` from an address; returns the length to pass to sendto/bind, or nil
    /// when the host is not a numeric IPv4/IPv6 literal.
    public static func make(_ address: TransportAddress, into storage: inout sockaddr_storage) -> socklen_t? {
        guard (0...65535).contains(address.port) else { return nil }
        var ok = false
        if address.isIPv6 {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = UInt16(address.port).bigEndian
            ok = address.host.withCString { inet_pton(AF_INET6, $0, &sin6.sin6_addr) } == 1
            withUnsafeBytes(of: sin6) { src in
                withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: src) }
            }
            return ok ? socklen_t(MemoryLayout<sockaddr_in6>.size) : nil
        }
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = UInt16(address.port).bigEndian
        ok = address.host.withCString { inet_pton(AF_INET, $0, &sin.sin_addr) } == 1
        withUnsafeBytes(of: sin) { src in
            withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: src) }
        }
        return ok ? socklen_t(MemoryLayout<sockaddr_in>.size) : nil
    }

    /// Reads an address the kernel filled in (recvfrom, getsockname).
    public static func read(_ storage: UnsafePointer<sockaddr_storage>) -> TransportAddress? {
        var buf = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(storage.pointee.ss_family) {
        case AF_INET:
            return storage.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { p in
                var a = p.pointee.sin_addr
                guard inet_ntop(AF_INET, &a, &buf, socklen_t(buf.count)) != nil else { return nil }
                return TransportAddress(host: cString(buf), port: Int(UInt16(bigEndian: p.pointee.sin_port)))
            }
        case AF_INET6:
            return storage.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { p in
                var a = p.pointee.sin6_addr
                guard inet_ntop(AF_INET6, &a, &buf, socklen_t(buf.count)) != nil else { return nil }
                return TransportAddress(host: cString(buf), port: Int(UInt16(bigEndian: p.pointee.sin6_port)))
            }
        default:
            return nil
        }
    }

    /// The text before the NUL that inet_ntop wrote.
    static func cString(_ buf: [CChar]) -> String {
        let end = buf.firstIndex(of: 0) ?? buf.count
        return String(decoding: buf[0..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether a string is a numeric IPv4 or IPv6 literal (brackets allowed for IPv6).
    public static func isIPLiteral(_ host: String) -> Bool {
        var storage = sockaddr_storage()
        return make(TransportAddress(host: host, port: 0), into: &storage) != nil
    }
}
