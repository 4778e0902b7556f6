/// Call quality as RTCP sees it, for the call record and logs (RFC 3550 §6.4).
public struct MediaQuality: Sendable, Equatable {
    /// RTP packets we received from the peer (valid sequence, RFC 3550 A.1).
    public var packetsReceived: UInt32 = 0
    /// Packets the peer sent that never arrived (RFC 3550 A.3 cumulative lost, clamped at 0).
    public var packetsLost: Int = 0
    /// Interarrival jitter of what we receive, in ms (RFC 3550 A.8).
    public var jitterMs: Double = 0
    /// Packets and payload octets we sent.
    public var packetsSent: UInt32 = 0
    public var octetsSent: UInt32 = 0
    /// What the peer's last report said about our stream: loss fraction (0–1), cumulative lost,
    /// and jitter in ms. Nil until a report block about our SSRC arrives.
    public var remoteFractionLost: Double?
    public var remotePacketsLost: Int?
    public var remoteJitterMs: Double?
    /// Round-trip time from the last report block that echoed one of our SRs (RFC 3550 §6.4.1),
    /// and the largest seen, in ms.
    public var rttMs: Double?
    public var maxRttMs: Double?
    /// RTCP packets received and sent.
    public var reportsReceived = 0
    public var reportsSent = 0
    /// Playout: packets that came too late to play, and times the jitter buffer grew its
    /// delay (a gap in what we send) or dropped a packet to shrink it.
    public var latePackets = 0
    public var playoutStretches = 0
    public var playoutSkips = 0

    public init() {}

    /// Flat key/value form for structured logs.
    public var metadata: [String: String] {
        var m: [String: String] = [
            "rtp_rx": String(packetsReceived), "rtp_tx": String(packetsSent), "rtp_lost": String(packetsLost),
            "jitter_ms": Self.format(jitterMs), "rtcp_rx": String(reportsReceived), "rtcp_tx": String(reportsSent),
        ]
        if let r = rttMs { m["rtt_ms"] = Self.format(r) }
        if let l = remotePacketsLost { m["remote_lost"] = String(l) }
        if let j = remoteJitterMs { m["remote_jitter_ms"] = Self.format(j) }
        if latePackets > 0 { m["late"] = String(latePackets) }
        if playoutStretches > 0 { m["playout_stretches"] = String(playoutStretches) }
        if playoutSkips > 0 { m["playout_skips"] = String(playoutSkips) }
        return m
    }

    static func format(_ v: Double) -> String {
        let tenths = (v * 10).rounded()
        return "\(Int(tenths) / 10).\(abs(Int(tenths)) % 10)"
    }
}

/// The RTCP side of one RTP session as a pure value (RFC 3550 §6): it decides when a report is
/// due, builds SR or RR + SDES, and reads the peer's reports into `quality`. Clocks (monotonic
/// ms and NTP wall time) are inputs, so tests are exact.
public struct RTCPReporter: Sendable {
    public let ssrc: UInt32
    public let cname: String
    /// Mean report interval; RFC 3550 §6.2 recommends a 5 s minimum for a two-party session.
    public let intervalMs: Int64
    public private(set) var nextReportMs: Int64
    public private(set) var quality = MediaQuality()
    /// Middle 32 bits of the peer's last SR and when it arrived, for LSR/DLSR (§6.4.1).
    private var lastSRMiddle: UInt32 = 0
    private var lastSRArrivalMs: Int64 = 0
    /// Randomises the interval by a factor in [0.5, 1.5] (§6.3.1) so peers do not synchronise.
    private var random: UInt64

    public init(ssrc: UInt32, cname: String, nowMs: Int64, intervalMs: Int64 = 5000) {
        self.ssrc = ssrc
        self.cname = cname
        self.intervalMs = intervalMs
        random = UInt64(ssrc) | 1
        // §6.2: the first report goes out after half an interval.
        nextReportMs = nowMs + intervalMs / 2
    }

    /// True when a report should be sent now.
    public func isDue(nowMs: Int64) -> Bool { nowMs >= nextReportMs }

    /// Builds the compound report (SR when we sent RTP since the last one, else RR; then SDES
    /// CNAME, §6.1) and schedules the next. `tracker` is the receive side of the stream, whose
    /// report-block interval this advances; `sent` carries our sender counters.
    public mutating func makeReport(nowMs: Int64, ntp: NTPTimestamp, tracker: inout SequenceTracker,
                                    clockRate: Int, sent: (packets: UInt32, octets: UInt32, rtpTimestamp: UInt32)?)
        -> [UInt8] {
        var blocks: [RTCPReportBlock] = []
        if tracker.isValid {
            let dlsr = lastSRMiddle == 0 ? 0 : UInt32(truncatingIfNeeded: (nowMs - lastSRArrivalMs) * 65536 / 1000)
            blocks.append(tracker.makeReportBlock(lastSR: lastSRMiddle, delaySinceLastSR: dlsr))
        }
        var sr: RTCPSenderReport?
        if let s = sent, s.packets > 0 {
            sr = RTCPSenderReport(ssrc: ssrc, ntp: ntp, rtpTimestamp: s.rtpTimestamp, packetCount: s.packets,
                                  octetCount: s.octets)
            quality.packetsSent = s.packets
            quality.octetsSent = s.octets
        }
        update(from: tracker, clockRate: clockRate)
        quality.reportsSent += 1
        nextReportMs = nowMs + nextInterval()
        return (try? RTCPBuilder.compound(senderReport: sr, ssrc: ssrc, reports: blocks, cname: cname)) ?? []
    }

    /// Copies the receive statistics into `quality` (also called at the end of a call).
    public mutating func update(from tracker: SequenceTracker, clockRate: Int) {
        quality.packetsReceived = tracker.received
        quality.packetsLost = max(0, Int(tracker.cumulativeLost))
        quality.jitterMs = Double(tracker.jitter) * 1000 / Double(max(1, clockRate))
    }

    /// Records our sender counters (when no report has been built since).
    public mutating func updateSent(packets: UInt32, octets: UInt32) {
        quality.packetsSent = packets
        quality.octetsSent = octets
    }

    /// Reads a compound RTCP packet from the peer. Garbage is ignored (returns false).
    @discardableResult
    public mutating func receive(_ datagram: UnsafeRawBufferPointer, nowMs: Int64, ntp: NTPTimestamp,
                                 clockRate: Int) -> Bool {
        guard let packets = try? RTCPCompound.parse(datagram) else { return false }
        quality.reportsReceived += 1
        for p in packets {
            switch p {
            case .senderReport(let sr):
                lastSRMiddle = sr.ntp.middle32
                lastSRArrivalMs = nowMs
                read(sr.reports, ntp: ntp, clockRate: clockRate)
            case .receiverReport(let rr):
                read(rr.reports, ntp: ntp, clockRate: clockRate)
            default:
                break
            }
        }
        return true
    }

    /// Report blocks about our SSRC tell how our stream reaches the peer.
    private mutating func read(_ blocks: [RTCPReportBlock], ntp: NTPTimestamp, clockRate: Int) {
        for b in blocks where b.ssrc == ssrc {
            quality.remoteFractionLost = Double(b.fractionLost) / 256
            quality.remotePacketsLost = Int(b.cumulativeLost)
            quality.remoteJitterMs = Double(b.jitter) * 1000 / Double(max(1, clockRate))
            if let rtt = b.roundTripSeconds(arrival: ntp) {
                let ms = rtt * 1000
                quality.rttMs = ms
                quality.maxRttMs = max(quality.maxRttMs ?? 0, ms)
            }
        }
    }

    private mutating func nextInterval() -> Int64 {
        // SplitMix64 step: cheap, and seeded by the SSRC so each session differs.
        random &+= 0x9E37_79B9_7F4A_7C15
        var z = random
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        let factor = 0.5 + Double(z % 1001) / 1000
        return Int64(Double(intervalMs) * factor)
    }
}

extension NTPTimestamp {
    /// NTP time (RFC 5905: seconds since 1900) from Unix time in nanoseconds.
    public init(unixNanoseconds ns: Int64) {
        let secs = ns / 1_000_000_000
        let frac = ns % 1_000_000_000
        self.init(seconds: UInt32(truncatingIfNeeded: secs + 2_208_988_800),
                  fraction: UInt32(truncatingIfNeeded: (frac << 32) / 1_000_000_000))
    }
}
