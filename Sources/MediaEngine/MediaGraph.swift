import Codecs
import RTP
import SIPSyntax

/// The legs of one media worker and how they connect (bridges, recorders), as a value the
/// worker drives: datagrams in, one `tick` every 20 ms out. Keeping it free of sockets and
/// clocks lets tests run whole bridged calls on a manual clock.
public struct MediaGraph: Sendable {
    struct Leg: Sendable {
        var session: MediaSession?
        /// Packets that arrived between our 200 and the ACK (the caller may send media as soon
        /// as it has our answer), replayed when the session starts.
        var early: [(bytes: [UInt8], from: TransportAddress, ms: Int64)] = []
        /// The leg whose audio this one sends (a bridge), and the converter when rates differ.
        var peer: Int?
        var resampler: Resampler?
        var recorder: WAVRecorder?
        var recordStereo = false
    }

    var legs: [Int: Leg] = [:]
    /// Active ports in a stable order, so a tick allocates nothing to walk them.
    var order: [Int] = []
    var scratch = [Int16](repeating: 0, count: 960 * 2)
    /// A bridged peer's frame of this tick, before rate conversion.
    var peerFrame = [Int16](repeating: 0, count: 960)
    var silence = [Int16](repeating: 0, count: 960)

    public init() {}

    public var count: Int { order.count }

    /// A leg starts using `port` (its sockets are bound already).
    public mutating func activate(port: Int) {
        if legs[port] == nil { order.append(port) }
        legs[port] = Leg()
    }

    /// Starts (or, on a re-INVITE, updates) the leg's session.
    public mutating func start(port: Int, session new: MediaSession, nowMs: Int64) {
        guard var leg = legs[port] else { return }
        if var s = leg.session {
            s.update(mode: new.mode, parameters: new.parameters, nowMs: nowMs)
            leg.session = s
        } else {
            var s = new
            s.begin(nowMs: nowMs)
            s.listening = leg.peer != nil || leg.recorder != nil
            for p in leg.early { p.bytes.withUnsafeBytes { s.receive($0, from: p.from, nowMs: p.ms) } }
            leg.early = []
            leg.session = s
        }
        legs[port] = leg
    }

    /// The leg ended: unbridge, finish its recording, and return its final quality.
    @discardableResult
    public mutating func deactivate(port: Int) -> MediaQuality? {
        guard let leg = legs.removeValue(forKey: port) else { return nil }
        if let i = order.firstIndex(of: port) { order.swapAt(i, order.count - 1); order.removeLast() }
        if let p = leg.peer { unbridge(p) }
        _ = try? leg.recorder?.finish()
        legs.shrinkIfSparse()
        return leg.session?.quality
    }

    public mutating func receive(port: Int, _ bytes: UnsafeRawBufferPointer, from: TransportAddress, nowMs: Int64) {
        guard var leg = legs[port] else { return }  // stale packets of an ended call
        guard var s = leg.session else {
            if leg.early.count < 25 { leg.early.append((Array(bytes), from, nowMs)) }
            legs[port] = leg
            return
        }
        leg.session = nil  // keep the session uniquely referenced while it mutates
        legs[port] = leg
        s.receive(bytes, from: from, nowMs: nowMs)
        legs[port]?.session = s
    }

    public mutating func receiveRTCP(port: Int, _ bytes: UnsafeRawBufferPointer, from: TransportAddress, nowMs: Int64,
                                     ntp: NTPTimestamp) {
        guard var s = legs[port]?.session else { return }
        legs[port]?.session = nil
        s.receiveRTCP(bytes, from: from, nowMs: nowMs, ntp: ntp)
        legs[port]?.session = s
    }

    /// Connects two legs both ways: each sends what the other receives, resampled when their
    /// codecs run at different rates. False when either leg is missing.
    @discardableResult
    public mutating func bridge(_ a: Int, _ b: Int) -> Bool {
        guard a != b, let ra = legs[a]?.session?.parameters.clockRate, let rb = legs[b]?.session?.parameters.clockRate else {
            return false
        }
        if let old = legs[a]?.peer { unbridge(old) }
        if let old = legs[b]?.peer { unbridge(old) }
        legs[a]?.peer = b
        legs[b]?.peer = a
        legs[a]?.resampler = ra == rb ? nil : try? Resampler(from: rb, to: ra)
        legs[b]?.resampler = ra == rb ? nil : try? Resampler(from: ra, to: rb)
        legs[a]?.session?.listening = true
        legs[b]?.session?.listening = true
        return true
    }

    /// Disconnects a leg from its peer (both directions).
    public mutating func unbridge(_ port: Int) {
        guard let p = legs[port]?.peer else { return }
        legs[port]?.peer = nil
        legs[port]?.resampler = nil
        if legs[p]?.peer == port { legs[p]?.peer = nil; legs[p]?.resampler = nil }
    }

    /// Records the leg: mono (what the caller says), or stereo with the caller on the left and
    /// what the caller hears from a bridged peer on the right.
    public mutating func record(port: Int, into recorder: WAVRecorder, stereo: Bool) {
        guard legs[port] != nil else { return }
        _ = try? legs[port]?.recorder?.finish()
        legs[port]?.recorder = recorder
        legs[port]?.recordStereo = stereo
        legs[port]?.session?.listening = true
    }

    /// Stops recording; returns the length and size written.
    public mutating func stopRecording(port: Int) -> (durationMs: Int, bytes: Int)? {
        guard let r = legs[port]?.recorder else { return nil }
        legs[port]?.recorder = nil
        return try? r.finish()
    }

    /// Changes a leg's session in place (play a source, speech detection, ...).
    public mutating func withSession(port: Int, _ body: (inout MediaSession) -> Void) {
        guard var s = legs[port]?.session else { return }
        legs[port]?.session = nil
        body(&s)
        legs[port]?.session = s
    }

    /// Final or running quality of a leg.
    public func quality(port: Int) -> MediaQuality? { legs[port]?.session?.quality }
}
