import Codecs
import RTP
import SIPSyntax

extension MediaGraph {
    /// One tick for the legs of `phase` (nil: every leg): each pulls its due audio first, then
    /// each sends, so a bridge carries each side's audio of the same tick. `send` gets (port,
    /// socket, bytes, address); `event` gets what each leg reports.
    public mutating func tick(nowMs: Int64, ntp: NTPTimestamp, phase: Int? = nil,
                              send: (Int, MediaSession.Channel, UnsafeRawBufferPointer, TransportAddress) -> Void,
                              event: (Int, MediaSession.Event) -> Void) {
        for i in legs.indices where phase == nil || legs[i].phase == phase {
            let port = legs[i].port
            legs[i].session?.pull(nowMs: nowMs) { ch, bytes, to in send(port, ch, bytes, to) }
        }
        for i in legs.indices where phase == nil || legs[i].phase == phase {
            let port = legs[i].port
            var converted = 0
            if let peer = legs[i].peer {
                converted = peerAudio(for: i, peer: peer)
            }
            if converted > 0 {
                let frame = scratch
                frame.withUnsafeBufferPointer { buf in
                    legs[i].session?.emit(nowMs: nowMs, ntp: ntp, bridged: UnsafeBufferPointer(rebasing: buf[0..<converted])) {
                        ch, bytes, to in send(port, ch, bytes, to)
                    }
                }
            } else {
                legs[i].session?.emit(nowMs: nowMs, ntp: ntp, bridged: nil) { ch, bytes, to in send(port, ch, bytes, to) }
            }
            if let r = legs[i].recorder { record(r, stereo: legs[i].recordStereo, leg: i, peerCount: converted) }
            if legs[i].session?.hasEvents == true, let events = legs[i].session?.takeEvents() {
                for e in events { event(port, e) }
            }
        }
    }

    /// The bridged peer's frame of this tick at leg `i`'s rate, in `scratch`; returns the
    /// sample count (0 when the peer had no audio this tick).
    mutating func peerAudio(for i: Int, peer: Int) -> Int {
        guard let j = index[peer], legs[j].session?.hasInboundFrame == true else { return 0 }
        let resampler = legs[i].resampler
        var out = scratch
        scratch = []  // moved out while written (no copy)
        // Straight from the peer's frame into `scratch`: copied, or resampled to our rate.
        let n = legs[j].session?.withInboundFrame { f in
            out.withUnsafeMutableBufferPointer { o -> Int in
                if let resampler { return resampler.process(f, into: o) }
                let n = min(f.count, o.count)
                for k in 0..<n { o[k] = f[k] }
                return n
            }
        } ?? 0
        scratch = out
        return n
    }

    /// Appends this tick's audio to a recording: silence where a side had none. `peerCount`
    /// samples of the peer's audio, at our rate, are in `scratch`.
    func record(_ r: WAVRecorder, stereo: Bool, leg i: Int, peerCount: Int) {
        guard let s = legs[i].session else { return }
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
