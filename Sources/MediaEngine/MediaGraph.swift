import Codecs
import RTP
import SIPSyntax

/// The legs of one media worker and how they connect (bridges, recorders), as a value the
/// worker drives: datagrams in, one `tick` every 20 ms out. Keeping it free of sockets and
/// clocks lets tests run whole bridged calls on a manual clock.
///
/// Legs live in one contiguous array (a port → index table finds them) and are changed in
/// place: copying a leg out and back would retain and release every buffer it holds, which
/// at 50 packets per second per leg was the largest cost of the media path.
public struct MediaGraph: Sendable {
    struct Leg: Sendable {
        let port: Int
        /// Which of the worker's sub-ticks serves this leg (see `tick(phase:)`).
        var phase: Int
        var session: MediaSession?
        /// Packets that arrived between our 200 and the ACK (the caller may send media as soon
        /// as it has our answer), replayed when the session starts.
        var early: [(bytes: [UInt8], from: TransportAddress, ms: Int64)] = []
        /// The leg whose audio this one sends (a bridge), and the converter when rates differ.
        var peer: Int?
        var resampler: Resampler?
        var recorder: WAVRecorder?
        var recordStereo = false

        mutating func receive(_ bytes: UnsafeRawBufferPointer, from: TransportAddress, nowMs: Int64) {
            if session != nil {
                session!.receive(bytes, from: from, nowMs: nowMs)
            } else if early.count < 25 {
                early.append((Array(bytes), from, nowMs))
            }
        }
    }

    var legs: [Leg] = []
    var index: [Int: Int] = [:]
    /// A bridged peer's frame of this tick at the receiving leg's rate.
    var scratch = [Int16](repeating: 0, count: 960 * 2)
    var silence = [Int16](repeating: 0, count: 960)

    /// Sub-ticks per 20 ms: each leg is served at one fixed phase, so a worker sends a tenth of
    /// its packets every 2 ms instead of all of them in one burst (a burst of 1,000 datagrams
    /// took ~3 ms to leave, and the last legs of it arrived late at the far end).
    public let phases: Int

    public init(phases: Int = 1) {
        self.phases = max(1, phases)
    }

    public var count: Int { legs.count }

    /// A leg starts using `port` (its sockets are bound already).
    public mutating func activate(port: Int) {
        let phase = (port / 2) % phases
        if let i = index[port] { legs[i] = Leg(port: port, phase: phase); return }
        index[port] = legs.count
        legs.append(Leg(port: port, phase: phase))
    }

    /// Starts (or, on a re-INVITE, updates) the leg's session.
    public mutating func start(port: Int, session new: MediaSession, nowMs: Int64) {
        guard let i = index[port] else { return }
        if legs[i].session != nil {
            legs[i].session!.update(mode: new.mode, parameters: new.parameters, nowMs: nowMs)
            return
        }
        var s = new
        s.begin(nowMs: nowMs)
        s.listening = legs[i].peer != nil || legs[i].recorder != nil
        for p in legs[i].early { p.bytes.withUnsafeBytes { s.receive($0, from: p.from, nowMs: p.ms) } }
        legs[i].early = []
        legs[i].session = s
    }

    /// The leg ended: unbridge, finish its recording, and return its final quality.
    @discardableResult
    public mutating func deactivate(port: Int) -> MediaQuality? {
        guard let i = index.removeValue(forKey: port) else { return nil }
        if let p = legs[i].peer { unbridge(p) }
        _ = try? legs[i].recorder?.finish()
        let quality = legs[i].session?.quality
        let last = legs.count - 1
        if i != last {
            legs.swapAt(i, last)
            index[legs[i].port] = i
        }
        legs.removeLast()
        index.shrinkIfSparse()
        return quality
    }

    public mutating func receive(port: Int, _ bytes: UnsafeRawBufferPointer, from: TransportAddress, nowMs: Int64) {
        guard let i = index[port] else { return }  // stale packets of an ended call
        legs[i].receive(bytes, from: from, nowMs: nowMs)
    }

    public mutating func receiveRTCP(port: Int, _ bytes: UnsafeRawBufferPointer, from: TransportAddress, nowMs: Int64,
                                     ntp: NTPTimestamp) {
        guard let i = index[port] else { return }
        legs[i].session?.receiveRTCP(bytes, from: from, nowMs: nowMs, ntp: ntp)
    }

    /// Connects two legs both ways: each sends what the other receives, resampled when their
    /// codecs run at different rates. False when either leg is missing.
    @discardableResult
    public mutating func bridge(_ a: Int, _ b: Int) -> Bool {
        guard a != b, let ia = index[a], let ib = index[b],
              let ra = legs[ia].session?.parameters.clockRate, let rb = legs[ib].session?.parameters.clockRate else {
            return false
        }
        if let old = legs[ia].peer { unbridge(old) }
        if let old = legs[ib].peer { unbridge(old) }
        legs[ia].peer = b
        legs[ib].peer = a
        // Both sides of a bridge run in the same sub-tick, so each sends the other's audio
        // of the same 20 ms.
        legs[ib].phase = legs[ia].phase
        legs[ia].resampler = ra == rb ? nil : try? Resampler(from: rb, to: ra)
        legs[ib].resampler = ra == rb ? nil : try? Resampler(from: ra, to: rb)
        legs[ia].session?.listening = true
        legs[ib].session?.listening = true
        return true
    }

    /// Disconnects a leg from its peer (both directions).
    public mutating func unbridge(_ port: Int) {
        guard let i = index[port], let p = legs[i].peer else { return }
        legs[i].peer = nil
        legs[i].resampler = nil
        if let j = index[p], legs[j].peer == port { legs[j].peer = nil; legs[j].resampler = nil }
    }

    /// Records the leg: mono (what the caller says), or stereo with the caller on the left and
    /// what the caller hears from a bridged peer on the right.
    public mutating func record(port: Int, into recorder: WAVRecorder, stereo: Bool) {
        guard let i = index[port] else { return }
        _ = try? legs[i].recorder?.finish()
        legs[i].recorder = recorder
        legs[i].recordStereo = stereo
        legs[i].session?.listening = true
    }

    /// Stops recording; returns the length and size written.
    public mutating func stopRecording(port: Int) -> (durationMs: Int, bytes: Int)? {
        guard let i = index[port], let r = legs[i].recorder else { return nil }
        legs[i].recorder = nil
        return try? r.finish()
    }

    /// Detaches `recorder` from the leg if it still records there (the port may belong to a
    /// newer call by now); the caller finishes the file.
    public mutating func detach(_ recorder: WAVRecorder, port: Int) {
        guard let i = index[port], legs[i].recorder === recorder else { return }
        legs[i].recorder = nil
    }

    /// The leg's RTP clock rate (the rate its decoded audio runs at), once media started.
    public func clockRate(port: Int) -> Int? { index[port].flatMap { legs[$0].session?.parameters.clockRate } }

    /// Changes a leg's session in place (play a source, speech detection, ...).
    public mutating func withSession(port: Int, _ body: (inout MediaSession) -> Void) {
        guard let i = index[port], legs[i].session != nil else { return }
        body(&legs[i].session!)
    }

    /// Final or running quality of a leg.
    public func quality(port: Int) -> MediaQuality? { index[port].flatMap { legs[$0].session?.quality } }
}
