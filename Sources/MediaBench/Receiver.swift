import CLinuxEvents
import Glibc
import MediaBenchKit
import Synchronization

/// The RTP receiver: one thread, epoll over every call's socket, one recvmsg per ready
/// socket per wake-up (level-triggered, so a socket with more waiting is reported again).
/// Per call it recovers which sent packet each echo is (by payload), counts echoes of the
/// measurement window, and records the gap between consecutive echoes in a fixed histogram.
/// State is owned by the receiver thread; main reads it after `join`.
final class Receiver: @unchecked Sendable {
    /// SO_TIMESTAMPNS (= SCM_TIMESTAMPNS) on Linux x86_64/arm64; glibc defines it through
    /// a macro Swift does not import.
    static let soTimestampNS: Int32 = 35
    static let expectedGapNs: Int64 = 20_000_000

    private let fds: [Int32]
    private let ring: PayloadRing
    private let payloadType: UInt8
    /// Packet indices of the measurement window (tick numbers of the sender).
    private let window: Range<Int>
    /// Arrival times (CLOCK_REALTIME, like the kernel stamps) whose gaps count as jitter.
    private let jitterWindowReal: Range<Int64>
    /// When to read this thread's CPU clock (CLOCK_MONOTONIC).
    private let cpuWindowMono: Range<Int64>
    let stop = Atomic<Bool>(false)

    private var lastIndex: [Int]
    private var lastArrivalNs: [Int64]
    private(set) var histogram = JitterHistogram()
    private(set) var received = 0
    private(set) var receivedInWindow = 0
    private(set) var mismatched = 0
    private(set) var foreign = 0
    private(set) var windowCPUNs: Int64 = 0

    init(fds: [Int32], ring: PayloadRing, codec: BenchCodec, window: Range<Int>,
         jitterWindowReal: Range<Int64>, cpuWindowMono: Range<Int64>) {
        self.fds = fds
        self.ring = ring
        payloadType = codec.payloadType
        self.window = window
        self.jitterWindowReal = jitterWindowReal
        self.cpuWindowMono = cpuWindowMono
        lastIndex = [Int](repeating: -1, count: fds.count)
        lastArrivalNs = [Int64](repeating: 0, count: fds.count)
    }

    /// Registers the sockets; call before starting the thread.
    func makeEpoll() throws(BenchError) -> Int32 {
        let ep = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard ep >= 0 else { throw Posix.errorText("epoll_create1") }
        for (i, fd) in fds.enumerated() {
            var ev = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(u64: UInt64(i)))
            guard epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0 else { throw Posix.errorText("epoll_ctl") }
        }
        return ep
    }

    func run(epoll ep: Int32) {
        let maxEvents = 512
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: maxEvents)
        let data = UnsafeMutableRawPointer.allocate(byteCount: 2048, alignment: 16)
        let control = UnsafeMutableRawPointer.allocate(byteCount: 128, alignment: 16)
        let iov = UnsafeMutablePointer<iovec>.allocate(capacity: 1)
        let msg = UnsafeMutablePointer<msghdr>.allocate(capacity: 1)
        defer {
            events.deallocate(); data.deallocate(); control.deallocate(); iov.deallocate(); msg.deallocate()
        }
        iov.pointee = iovec(iov_base: data, iov_len: 2048)
        var cpuStart: Int64?
        var cpuDone = false
        while !stop.load(ordering: .relaxed) {
            let n = epoll_wait(ep, events, Int32(maxEvents), 20)
            let mono = Posix.monotonicNs()
            if cpuStart == nil, mono >= cpuWindowMono.lowerBound { cpuStart = Posix.cpuNs(thread: true) }
            if !cpuDone, let s = cpuStart, mono >= cpuWindowMono.upperBound {
                windowCPUNs = Posix.cpuNs(thread: true) - s
                cpuDone = true
            }
            guard n > 0 else { continue }
            for k in 0..<Int(n) {
                let call = Int(events[k].data.u64)
                guard call < fds.count else { continue }
                msg.pointee = msghdr(msg_name: nil, msg_namelen: 0, msg_iov: iov, msg_iovlen: 1,
                                     msg_control: control, msg_controllen: 128, msg_flags: 0)
                let got = recvmsg(fds[call], msg, Int32(MSG_DONTWAIT))
                guard got > 0 else { continue }
                let at = Receiver.kernelTimestamp(control, length: Int(msg.pointee.msg_controllen)) ?? Posix.realtimeNs()
                handle(UnsafeRawBufferPointer(start: data, count: got), call: call, arrivalNs: at)
            }
        }
        if !cpuDone, let s = cpuStart { windowCPUNs = Posix.cpuNs(thread: true) - s }
    }

    @inline(__always)
    private func handle(_ bytes: UnsafeRawBufferPointer, call c: Int, arrivalNs: Int64) {
        guard let rtp = RTPWire.parse(bytes), rtp.payloadType == payloadType else { foreign += 1; return }
        received += 1
        let last = lastArrivalNs[c]
        if last != 0, jitterWindowReal.contains(arrivalNs) {
            histogram.record(interArrivalNs: arrivalNs - last, expectedNs: Receiver.expectedGapNs)
        }
        lastArrivalNs[c] = arrivalNs
        guard let phase = ring.match(UnsafeRawBufferPointer(rebasing: bytes[rtp.payload])) else {
            mismatched += 1
            return
        }
        let index = EchoIndex.absolute(phase: phase, after: lastIndex[c], ringSize: ring.count)
        lastIndex[c] = index
        if window.contains(index) { receivedInWindow += 1 }
    }

    /// The SCM_TIMESTAMPNS control message's time, walking the cmsghdr chain by hand
    /// (CMSG_FIRSTHDR/NXTHDR are macros): {size_t len; int level; int type; data aligned to 8}.
    static func kernelTimestamp(_ control: UnsafeMutableRawPointer, length: Int) -> Int64? {
        var offset = 0
        let header = MemoryLayout<Int>.size + 8
        while offset + header <= length {
            let len = control.load(fromByteOffset: offset, as: Int.self)
            let level = control.load(fromByteOffset: offset + MemoryLayout<Int>.size, as: Int32.self)
            let type = control.load(fromByteOffset: offset + MemoryLayout<Int>.size + 4, as: Int32.self)
            guard len >= header, offset + len <= length else { return nil }
            if level == SOL_SOCKET, type == soTimestampNS, len >= header + 16 {
                let sec = control.load(fromByteOffset: offset + header, as: Int64.self)
                let nsec = control.load(fromByteOffset: offset + header + 8, as: Int64.self)
                return sec * 1_000_000_000 + nsec
            }
            offset += (len + 7) & ~7
        }
        return nil
    }
}
