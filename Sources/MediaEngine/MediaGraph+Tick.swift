import Codecs
import RTP
import SIPSyntax

extension MediaGraph {
    /// The 20 ms tick: every leg pulls its due audio first, then every leg sends, so a bridge
    /// carries each side's audio of the same tick. `send` gets (port, socket, bytes, address);
    /// `event` gets what each leg reports.
    public mutating func tick(nowMs: Int64, ntp: NTPTimestamp,
                              send: (Int, MediaSession.Channel, UnsafeRawBufferPointer, TransportAddress) -> Void,
                              event: (Int, MediaSession.Event) -> Void) {
        for port in order {
            guard var s = legs[port]?.session else { continue }
            legs[port]?.session = nil
            s.pull(nowMs: nowMs) { ch, bytes, to in send(port, ch, bytes, to) }
            legs[port]?.session = s
        }
        for port in order {
            guard var leg = legs[port], var s = leg.session else { continue }
            leg.session = nil
            legs[port] = leg
            var peerCount = 0
            if let p = leg.peer, let ps = legs[p]?.session, ps.hasInboundFrame {
                var buf = peerFrame
                peerFrame = []
                peerCount = ps.withInboundFrame { f in
                    buf.withUnsafeMutableBufferPointer { out in
                        let n = min(f.count, out.count)
                        for i in 0..<n { out[i] = f[i] }
                        return n
                    }
                }
                peerFrame = buf
            }
            var converted = 0
            if peerCount > 0 {
                let n = convert(count: peerCount, for: &leg, rate: s.parameters.clockRate)
                converted = n
                scratch.withUnsafeBufferPointer { buf in
                    s.emit(nowMs: nowMs, ntp: ntp, bridged: UnsafeBufferPointer(rebasing: buf[0..<n])) { ch, bytes, to in send(port, ch, bytes, to) }
                }
            } else {
                s.emit(nowMs: nowMs, ntp: ntp, bridged: nil) { ch, bytes, to in send(port, ch, bytes, to) }
            }
            if let r = leg.recorder { record(r, stereo: leg.recordStereo, session: s, peerCount: converted) }
            for e in s.takeEvents() { event(port, e) }
            leg.session = s
            legs[port] = leg
        }
    }

    /// The peer's frame at our rate, in `scratch`; returns the sample count.
    mutating func convert(count: Int, for leg: inout Leg, rate: Int) -> Int {
        let frame = peerFrame
        guard let r = leg.resampler else {
            let n = min(count, scratch.count)
            scratch.withUnsafeMutableBufferPointer { out in
                frame.withUnsafeBufferPointer { f in for i in 0..<n { out[i] = f[i] } }
            }
            return n
        }
        return scratch.withUnsafeMutableBufferPointer { out in
            frame.withUnsafeBufferPointer { r.process(UnsafeBufferPointer(rebasing: $0[0..<count]), into: out) }
        }
    }

    /// Appends this tick's audio to a recording: silence where a side had none. `peerCount`
    /// samples of the peer's audio, at our rate, are in `scratch`.
    func record(_ r: WAVRecorder, stereo: Bool, session s: MediaSession, peerCount: Int) {
        let n = s.frameSamples
        silence.withUnsafeBufferPointer { zero in
            let quiet = UnsafeBufferPointer(rebasing: zero[0..<min(n, zero.count)])
            s.withInboundFrame { own in
                let caller = s.hasInboundFrame ? own : quiet
                if stereo {
                    if peerCount > 0 {
                        _ = scratch.withUnsafeBufferPointer { r.append(left: caller, right: UnsafeBufferPointer(rebasing: $0[0..<peerCount])) }
                    } else {
                        r.append(left: caller, right: quiet)
                    }
                } else {
                    r.append(mono: caller)
                }
            }
        }
    }
}
