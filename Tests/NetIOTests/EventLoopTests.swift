import Foundation
import NetIO
import SIPSyntax
import Synchronization
import Testing

/// The media workers' loop: posted work, readable sockets and the periodic tick all run on
/// its one thread. Waits are bounded; nothing here measures time precisely.
@Suite struct EventLoopTests {
    final class Box: @unchecked Sendable {
        let ticks = Atomic<Int>(0)
        let received = Mutex<[String]>([])
        let posted = Atomic<Int>(0)
    }

    func waitUntil(_ seconds: Double = 5, _ done: () -> Bool) {
        let end = Date().addingTimeInterval(seconds)
        while !done() && Date() < end { usleep(2000) }
    }

    @Test func postedWorkTicksAndReadableSocketsRunOnTheLoop() throws {
        let box = Box()
        let loop = try EventLoop(name: "test.loop", tickMs: 10) { _ in box.ticks.add(1, ordering: .relaxed) }
        defer { loop.stop() }
        let socket = try UDPSocket(bind: TransportAddress(host: "127.0.0.1", port: 0))
        let buffer = ReceiveBuffer()
        loop.post {
            loop.add(fd: socket.fd) {
                socket.drain(into: buffer) { bytes, _, _, _ in
                    box.received.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) }
                }
            }
            box.posted.add(1, ordering: .relaxed)
        }
        waitUntil { box.posted.load(ordering: .relaxed) == 1 }
        let sender = try UDPSocket(bind: TransportAddress(host: "127.0.0.1", port: 0))
        for i in 0..<20 { sender.send(Array("p\(i)".utf8), to: socket.localAddress) }
        waitUntil { box.received.withLock { $0.count } == 20 }
        #expect(box.received.withLock { $0 } == (0..<20).map { "p\($0)" })
        waitUntil { box.ticks.load(ordering: .relaxed) >= 5 }
        #expect(box.ticks.load(ordering: .relaxed) >= 5)

        // After remove, datagrams are no longer delivered.
        loop.post { loop.remove(fd: socket.fd); box.posted.add(1, ordering: .relaxed) }
        waitUntil { box.posted.load(ordering: .relaxed) == 2 }
        sender.send(Array("late".utf8), to: socket.localAddress)
        let ticksNow = box.ticks.load(ordering: .relaxed)
        waitUntil { box.ticks.load(ordering: .relaxed) >= ticksNow + 3 }
        #expect(box.received.withLock { $0.count } == 20)
    }
}
