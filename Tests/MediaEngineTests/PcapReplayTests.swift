import Codecs
import Foundation
import MediaEngine
import PBXTestSupport
import RTP
import SIPSyntax
import Testing

/// Real captures (pcap-fixtures/, see its README, and SIPp's shipped pcaps) replayed at their
/// capture times into the pure media pieces.
@Suite struct PcapReplayTests {
    typealias Packet = PcapFixtures.Packet

    // MARK: RFC 4733 telephone events

    @Test func rfc4733At8kHzEveryKeyOnceInOrderWithItsDuration() throws {
        let packets = try PcapFixtures.rtp("rfc4733-pt101-8k.pcap")
        #expect(packets.count == 277)
        // Interleaved: audio before, between and after the keys, one SSRC for both.
        #expect(packets.filter { $0.header.payloadType == 0 }.count == 170)
        #expect(Set(packets.map(\.header.ssrc)).count == 1)
        var receiver = TelephoneEventReceiver()
        let reports = PcapFixtures.telephoneEvents(packets, pt: 101, clockRate: 8000, into: &receiver)
        #expect(receiver.flush() == nil)  // every event ended by its E bit
        #expect(String(reports.compactMap(\.key)) == "1234567890*#ABCD")
        #expect(reports.map(\.event) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 10, 11, 12, 13, 14, 15])
        #expect(reports.map(\.durationMs) == (0..<16).map { 90 + 10 * $0 })
        #expect(reports.allSatisfy { $0.sawEnd && $0.volume == 10 })
    }

    @Test func rfc4733At48kHzIncludingALongSegmentedEvent() throws {
        let packets = try PcapFixtures.rtp("rfc4733-pt96-48k.pcap")
        #expect(packets.count == 104)
        #expect(packets.filter { $0.header.payloadType == 111 }.count == 50)
        var receiver = TelephoneEventReceiver()
        let reports = PcapFixtures.telephoneEvents(packets, pt: 96, clockRate: 48000, into: &receiver)
        #expect(receiver.flush() == nil)
        #expect(String(reports.compactMap(\.key)) == "987#")
        // "#" lasts 1.5 s = 72,000 units: two segments (RFC 4733 §2.5.1.3), one report.
        #expect(reports.map(\.durationMs) == [120, 200, 80, 1500])
        #expect(reports.allSatisfy { $0.sawEnd })
        // The same packets read with an 8 kHz clock would claim six times the duration.
        var wrongClock = TelephoneEventReceiver()
        let wrong = PcapFixtures.telephoneEvents(packets, pt: 96, clockRate: 8000, into: &wrongClock)
        #expect(wrong.first?.durationMs == 720)
    }

    @Test(arguments: [("rfc4733-pt101-8k.pcap", UInt8(0), 8000, UInt8(101), "1234567890*#ABCD"),
                      ("rfc4733-pt96-48k.pcap", UInt8(111), 48000, UInt8(96), "987#")])
    func mediaSessionReportsEachKeyOnce(file: String, audioPT: UInt8, clock: Int, eventPT: UInt8, keys: String) throws {
        let packets = try PcapFixtures.rtp(file)
        var replay = PcapSessionReplay(mode: .silent, audioPT: audioPT, clockRate: clock, law: audioPT == 0 ? .muLaw : nil,
                                       eventPT: eventPT, eventClockRate: clock, ssrc: 1, initialSequence: 1)
        let out = replay.run(packets)
        #expect(String(out.keys.map(\.key)) == keys)
        #expect(out.keys.allSatisfy { $0.source == .rfc4733 })
        #expect(out.sent.isEmpty)
        #expect(out.packetsReceived == packets.filter { $0.header.payloadType == audioPT }.count)
    }

    @Test(.enabled(if: PcapFixtures.sippDTMFAvailable, "sip-tester's dtmf_2833_*.pcap not installed"))
    func sippDTMFCapturesOneFileAtATimeAndBackToBack() throws {
        var chained = TelephoneEventReceiver()
        var chainedReports: [TelephoneEventReport] = []
        for (key, file) in PcapFixtures.sippDTMFFiles {
            let packets = try PcapFixtures.rtp(path: "\(PcapFixtures.sippDirectory)/\(file)")
            #expect(packets.count == 10, "\(file)")
            var receiver = TelephoneEventReceiver()
            let reports = PcapFixtures.telephoneEvents(packets, pt: 101, clockRate: 8000, into: &receiver)
            // SIPp's captures: 7 updates + 3 end packets (same sequence number), 2240 units.
            #expect(reports.map(\.key) == [key], "\(file)")
            #expect(reports.first?.durationMs == 280 && reports.first?.sawEnd == true, "\(file)")
            // A scenario playing them one after another reuses the SSRC with timestamps that
            // jump backwards (dtmf_2833_1 starts before dtmf_2833_0); the marker bit separates them.
            chainedReports += PcapFixtures.telephoneEvents(packets, pt: 101, clockRate: 8000, into: &chained)
        }
        #expect(String(chainedReports.compactMap(\.key)) == "0123456789*#")
    }

    // MARK: Speech

    static func pcm(_ packets: [Packet], law: G711Law) -> [Int16] {
        packets.flatMap { $0.payload.map { G711.decode($0, law: law) } }
    }

    @Test(arguments: [("g711-speech-pcmu.pcap", G711Law.muLaw, 172), ("g711-speech-pcma.pcap", .aLaw, 63)])
    func speechThroughInBandDetectorGivesNoFalseKeys(file: String, law: G711Law, count: Int) throws {
        let packets = try PcapFixtures.rtp(file)
        #expect(packets.count == count)
        #expect(packets.allSatisfy { $0.payload.count == 160 && $0.header.payloadType == (law == .muLaw ? 0 : 8) })
        #expect(zip(packets, packets.dropFirst()).allSatisfy { $1.arrivalMs - $0.arrivalMs == 20 })
        let samples = Self.pcm(packets, law: law)
        // Real speech, not silence: loud peaks and a fair share of voiced frames.
        #expect(samples.map { Int($0).magnitude }.max() ?? 0 > 8000)
        var detector = DTMFDetector()
        var keys = samples.withUnsafeBufferPointer { detector.process($0) }
        keys += detector.finish()
        #expect(keys.isEmpty, "false keys: \(keys)")

        // The same path does find a real key: 100 ms of "5" (770 + 1336 Hz) after the speech.
        let tone = (0..<800).map { n -> Int16 in
            let t = Double(n) / 8000
            return Int16(6000 * sin(2 * .pi * 770 * t) + 6000 * sin(2 * .pi * 1336 * t))
        }
        let coded = tone.map { G711.decode(G711.encode($0, law: law), law: law) }
        keys = coded.withUnsafeBufferPointer { detector.process($0) } + detector.finish()
        #expect(keys.map(\.key) == ["5"])
    }

    @Test(arguments: [("g711-speech-pcmu.pcap", UInt8(0)), ("g711-speech-pcma.pcap", UInt8(8))])
    func speechEchoesBackByteIdenticalInOrder(file: String, pt: UInt8) throws {
        let packets = try PcapFixtures.rtp(file)
        var replay = PcapSessionReplay(mode: .echo, audioPT: pt, clockRate: 8000, law: pt == 0 ? .muLaw : .aLaw,
                                       eventPT: 101, ssrc: 0xE0E0, initialSequence: 7)
        let out = replay.run(packets)
        let views = try out.sent.map { try RTPPacketView.parse($0) }
        #expect(out.sent.count == packets.count)
        #expect(zip(out.sent, views).map { Array($0[$1.payloadRange]) } == packets.map(\.payload))
        #expect(views.map(\.header.sequence) == (0..<packets.count).map { UInt16(7 + $0) })
        #expect(views.allSatisfy { $0.header.ssrc == 0xE0E0 && $0.header.payloadType == pt })
        #expect(out.sendTo == TransportAddress(host: "192.0.2.10", port: 40000))
    }

    static let sippG711a = "\(PcapFixtures.sippDirectory)/g711a.pcap"

    /// SIPp's own A-law capture: 30 ms packets (240 bytes) with real capture-time jitter, so
    /// playout on our 20 ms tick takes the packet, packet, empty pattern (JitterBufferTypes).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: sippG711a), "sip-tester's g711a.pcap not installed"))
    func sippG711aEchoesBitExactOnThe20msTick() throws {
        let packets = try PcapFixtures.rtp(path: Self.sippG711a)
        #expect(packets.count == 236 && packets.allSatisfy { $0.payload.count == 240 && $0.header.payloadType == 8 })
        var replay = PcapSessionReplay(mode: .echo, audioPT: 8, clockRate: 8000, law: .aLaw, eventPT: nil,
                                       ssrc: 9, initialSequence: 0)
        let out = replay.run(packets)
        let views = try out.sent.map { try RTPPacketView.parse($0) }
        #expect(zip(out.sent, views).map { Array($0[$1.payloadRange]) } == packets.map(\.payload))
        // Our timestamps advance by each packet's 240 samples, not by the tick.
        #expect(views.prefix(4).map(\.header.timestamp) == [0, 240, 480, 720])
        #expect(out.keys.isEmpty)  // in-band detection ran (no telephone-event negotiated): no false keys
    }

    // MARK: Jitter buffer

    struct Playout {
        var played: [UInt16] = []
        var missing: [UInt16] = []
        var statistics: JitterStatistics?
    }

    /// Feeds packets at their capture times, drains the buffer on a 20 ms tick, and stops once
    /// `last` has been played (so no trailing end-of-stream concealment is counted as loss).
    static func playOut(_ packets: [Packet], until last: UInt16) -> Playout {
        var buffer = JitterBuffer<[UInt8]>()
        var out = Playout()
        var next = 0
        let end = (packets.last?.arrivalMs ?? 0) + 1000
        ticks: for now in stride(from: Int64(0), through: end, by: 20) {
            while next < packets.count, packets[next].arrivalMs <= now {
                let p = packets[next]
                buffer.put(p.payload, sequence: p.header.sequence, timestamp: p.header.timestamp,
                           ssrc: p.header.ssrc, marker: p.header.marker, arrivalMs: p.arrivalMs)
                next += 1
            }
            while true {
                switch buffer.get(nowMs: now) {
                case let .packet(_, sequence, _, _):
                    out.played.append(sequence)
                    if sequence == last { break ticks }
                case let .missing(sequence): out.missing.append(sequence)
                case .empty: continue ticks
                }
            }
        }
        out.statistics = buffer.statistics
        return out
    }

    @Test func reorderedCaptureComesOutInSequenceWithDuplicatesDropped() throws {
        let original = try PcapFixtures.rtp("g711-speech-pcmu.pcap").map(\.header.sequence)
        let packets = try PcapFixtures.rtp("g711-reordered.pcap")
        #expect(packets.count == original.count + 2)
        // What the capture holds, measured from it: late arrivals (below the highest so far).
        let position = Dictionary(uniqueKeysWithValues: original.enumerated().map { ($1, $0) })
        var highest = -1
        var reordered = 0
        for p in packets {
            let i = position[p.header.sequence] ?? -1
            if i < highest { reordered += 1 }
            highest = max(highest, i)
        }
        #expect(reordered == 24)
        #expect(original.first == 65500 && original.contains(0))  // the sequence wraps inside

        let result = Self.playOut(packets, until: original.last ?? 0)
        #expect(result.played == original)
        #expect(result.missing.isEmpty)
        let stats = try #require(result.statistics)
        #expect(stats.duplicates == 2)
        #expect(stats.reordered == reordered)
        #expect(stats.lost == 0 && stats.late == 0 && stats.skipped == 0)
    }

    @Test func lossyCaptureLossesAreCountedExactly() throws {
        let original = try PcapFixtures.rtp("g711-speech-pcmu.pcap").map(\.header.sequence)
        let packets = try PcapFixtures.rtp("g711-lossy.pcap")
        let kept = packets.map(\.header.sequence)
        let dropped = original.filter { !Set(kept).contains($0) }
        try #require(original.count == 172)
        // pcap-fixtures/README.md: indices 31 50 60 61 62 73 78 106 108 114 122 147 of the speech.
        #expect(dropped == [31, 50, 60, 61, 62, 73, 78, 106, 108, 114, 122, 147].map { original[$0] })

        let result = Self.playOut(packets, until: kept.last ?? 0)
        #expect(result.played == kept)
        #expect(result.missing == dropped)
        let stats = try #require(result.statistics)
        #expect(stats.lost == 12)
        #expect(stats.duplicates == 0 && stats.late == 0 && stats.skipped == 0)
    }
}
