import Codecs
import MediaEngine
import RTP
import SIPSyntax

/// The only place the pcap replay tests touch `MediaSession`'s API: builds a session and drives
/// it with a manual clock — packets delivered at their capture times, a tick every 20 ms.
struct PcapSessionReplay {
    /// What came out of the session.
    struct Output {
        /// RTP datagrams the session sent, in order.
        var sent: [[UInt8]] = []
        /// Keys the session reported, in order.
        var keys: [MediaSession.KeyPress] = []
        /// Audio packets the session accepted.
        var packetsReceived = 0
        /// Where the session ended up sending (symmetric RTP latches to the packets' source).
        var sendTo: TransportAddress?
    }

    var session: MediaSession

    /// A session for one audio payload type (G.711 gets in-band detection when `eventPT` is nil).
    init(mode: MediaSession.Mode, audioPT: UInt8, clockRate: Int, law: G711Law?, eventPT: UInt8?,
         eventClockRate: Int = 8000, ssrc: UInt32, initialSequence: UInt16) {
        session = MediaSession(
            mode: mode,
            parameters: .init(payloadType: audioPT, codec: law.map { .g711($0) } ?? .opus(fmtp: nil),
                              telephoneEventPayloadType: eventPT, telephoneEventClockRate: eventClockRate,
                              remote: TransportAddress(host: "203.0.113.9", port: 4000)),
            ssrc: ssrc, initialSequence: initialSequence, initialTimestamp: 0)
    }

    /// Delivers each packet at its capture time (rounded down to the tick it falls in) and ticks
    /// every 20 ms until 400 ms after the last one.
    mutating func run(_ packets: [PcapFixtures.Packet]) -> Output {
        var out = Output()
        var next = 0
        for now in stride(from: Int64(0), through: (packets.last?.arrivalMs ?? 0) + 400, by: 20) {
            while next < packets.count, packets[next].arrivalMs <= now {
                let p = packets[next]
                let from = TransportAddress(host: p.source.host, port: p.source.port)
                p.datagram.withUnsafeBytes { session.receive($0, from: from, nowMs: now) }
                out.keys += Self.keys(session.takeEvents())
                next += 1
            }
            out.sent += session.tick(nowMs: now).rtp
            out.keys += Self.keys(session.takeEvents())
        }
        out.packetsReceived = session.packetsReceived
        out.sendTo = session.sendTo
        return out
    }

    static func keys(_ events: [MediaSession.Event]) -> [MediaSession.KeyPress] {
        events.flatMap { e -> [MediaSession.KeyPress] in
            if case .keys(let k) = e { return k }
            return []
        }
    }
}
