import Codecs
import RTP
import SIPSyntax
import SDP
import SRTP

/// Where a tick's packets go: the worker writes them to the leg's RTP or RTCP socket.
public typealias MediaSink = (MediaSession.Channel, UnsafeRawBufferPointer, TransportAddress) -> Void

// The 20 ms tick of a leg, in two phases so that bridged legs exchange the same tick's audio:
// `pull` takes what is due from the jitter buffer, `emit` sends what the leg should send.
extension MediaSession {
    /// Samples in one 20 ms frame at the codec's rate.
    public var frameSamples: Int { parameters.clockRate / 50 }

    /// Echo sends the caller's packets back untouched (bit-exact, any codec), packet by packet:
    /// what the caller hears is exactly what it sent, and an Opus echo costs no transcoding
    /// (decoding and re-encoding Opus cost ~130 µs per 20 ms frame, about 150 legs per core).
    var echoesPackets: Bool { mode == .echo && source == nil }

    /// Phase 1: the media timeout, then the jitter buffer. G.711 echo goes straight out here;
    /// everything else is decoded (or concealed) into this tick's PCM frame.
    public mutating func pull(nowMs: Int64, send: MediaSink) {
        hasInboundFrame = false
        if parameters.held {
            lastActivityMs = nowMs  // RFC 3264 §8.4 hold: silence is expected, not a failure
        } else if let limit = parameters.mediaTimeoutMs, !timedOut, nowMs - lastActivityMs >= limit {
            timedOut = true
            events.append(.mediaTimeout)
        }
        if echoesPackets && !parameters.held {
            echoPackets(nowMs: nowMs, send: send)
            return
        }
        guard mode == .echo || listening, let voice = ensureVoice() else { return }
        let slots = self.slots
        while true {
            let item = jitter.get(nowMs: nowMs)
            var n = 0
            switch item {
            case .packet(let payload, _, _, _):
                n = decodeScratch.withUnsafeMutableBufferPointer { pcm in
                    slots.withBytes(payload) { bytes in
                        bytes.map { voice.decode($0, into: pcm) } ?? voice.conceal(next: nil, into: pcm)
                    }
                }
            case .missing:
                // Only a real gap (later audio buffered) is concealed; see `echoPackets`.
                guard jitter.count > 0 else { break }
                let next = jitter.peekNext()
                n = decodeScratch.withUnsafeMutableBufferPointer { pcm in
                    guard let next else { return voice.conceal(next: nil, into: pcm) }
                    return slots.withBytes(next) { voice.conceal(next: $0, into: pcm) }
                }
            case .empty:
                break
            }
            if case .empty = item { break }
            decodeScratch.withUnsafeBufferPointer { inbound.write(UnsafeBufferPointer(rebasing: $0[0..<n])) }
        }
        guard inbound.count >= frameSamples else { return }
        _ = frame.withUnsafeMutableBufferPointer { inbound.read(into: $0) }
        hasInboundFrame = true
        if vad != nil { runVAD() }
    }

    /// Echo: own SSRC, sequence and timestamp (RFC 3550 §5.1); the payload is untouched.
    mutating func echoPackets(nowMs: Int64, send: MediaSink) {
        let slots = self.slots
        while true {
            switch jitter.get(nowMs: nowMs) {
            case .packet(let payload, _, _, let duration):
                slots.withBytes(payload) { bytes in
                    guard let p = bytes else { sender.skip(samples: duration); return }
                    sendPayload(samples: duration, send: send) { out in
                        let n = min(p.count, out.count)
                        out.copyMemory(from: UnsafeRawBufferPointer(rebasing: p[0..<n]))
                        return n
                    }
                    // A recorder or speech detector on an echo leg still gets the audio.
                    if listening, let voice = ensureVoice() {
                        let n = decodeScratch.withUnsafeMutableBufferPointer { voice.decode(p, into: $0) }
                        decodeScratch.withUnsafeBufferPointer { inbound.write(UnsafeBufferPointer(rebasing: $0[0..<n])) }
                    }
                }
                lastEchoed = payload
            case .missing:
                // A gap with later audio already buffered is a loss: G.711 Appendix I style,
                // repeat the last audio fading out. With nothing buffered the caller may simply
                // have stopped (end of a talkspurt, hangup): send nothing rather than guess.
                guard jitter.count > 0, parameters.g711 != nil, let voice = ensureVoice() else {
                    // Opus receivers conceal a missing packet themselves (PLC/FEC); our decoder
                    // has not seen the stream, so it could not do better.
                    sender.skip(samples: frameSamples)
                    continue
                }
                // The concealer needs the last good audio: decode it now, only when a loss
                // happens, rather than every echoed packet.
                if let last = lastEchoed {
                    lastEchoed = nil
                    _ = decodeScratch.withUnsafeMutableBufferPointer { pcm in
                        slots.withBytes(last) { $0.map { voice.decode($0, into: pcm) } ?? 0 }
                    }
                }
                let n = decodeScratch.withUnsafeMutableBufferPointer { voice.conceal(next: nil, into: $0) }
                sendPCM(count: n, from: \.decodeScratch, send: send)
            case .empty:
                if listening, inbound.count >= frameSamples {
                    _ = frame.withUnsafeMutableBufferPointer { inbound.read(into: $0) }
                    hasInboundFrame = true
                    if vad != nil { runVAD() }
                }
                return
            }
        }
    }

    /// Phase 2: send what this leg should send now — a bridged peer's frame (`bridged`, at our
    /// rate), a playing source, or our own decoded audio for Opus echo — then RTCP when due.
    public mutating func emit(nowMs: Int64, ntp: NTPTimestamp, bridged: UnsafeBufferPointer<Int16>?, send: MediaSink) {
        let frameLength = frameSamples
        var sent = echoesPackets
        if !parameters.held, digits_.isActive, sendDigitTick(send: send) {
            // Keys replace the audio while they are sent (RFC 4733 §2.5.1.1).
            sender.skip(samples: frameLength)
            if reporter.isDue(nowMs: nowMs) { sendReport(nowMs: nowMs, ntp: ntp, send: send) }
            return
        }
        if !parameters.held, !echoesPackets {
            if source != nil {
                sent = playSource(send: send)
            } else if let bridged {
                outFrame.withUnsafeMutableBufferPointer { f in
                    let n = min(f.count, bridged.count)
                    for i in 0..<n { f[i] = bridged[i] }
                    for i in n..<f.count { f[i] = 0 }
                }
                sendPCM(count: frameLength, from: \.outFrame, send: send)
                sent = true
            } else if mode == .echo && hasInboundFrame {
                sendPCM(count: frameLength, from: \.frame, send: send)
                sent = true
            }
        }
        if !sent { sender.skip(samples: frameLength) }
        if reporter.isDue(nowMs: nowMs) { sendReport(nowMs: nowMs, ntp: ntp, send: send) }
    }

    /// One frame from the playing source; at its end, an event and silence.
    mutating func playSource(send: MediaSink) -> Bool {
        guard var s = source else { return false }
        source = nil  // keep the existential uniquely referenced while it reads
        let want = frameSamples
        let got = outFrame.withUnsafeMutableBufferPointer { s.read(into: $0) }
        if got < want {
            events.append(.playbackFinished(id: sourceID))
            if got == 0 { return false }
            outFrame.withUnsafeMutableBufferPointer { f in for i in got..<f.count { f[i] = 0 } }
        } else {
            source = s
        }
        sendPCM(count: want, from: \.outFrame, send: send)
        return true
    }

    /// Encodes `count` samples held in one of our buffers and sends them.
    mutating func sendPCM(count: Int, from buffer: WritableKeyPath<MediaSession, [Int16]>, send: MediaSink) {
        guard count > 0, let voice = ensureVoice() else { return }
        let pcm = self[keyPath: buffer]
        pcm.withUnsafeBufferPointer { p in
            let frame = UnsafeBufferPointer(rebasing: p[0..<min(count, p.count)])
            sendPayload(samples: frame.count, send: send) { out in voice.encode(frame, into: out) }
        }
    }

    /// An audio packet: our header for `samples` of audio, the payload `write` produces.
    mutating func sendPayload(samples: Int, send: MediaSink, payload write: (UnsafeMutableRawBufferPointer) -> Int) {
        let pt = parameters.payloadType
        sendPacket(send: send, header: { sender, n in sender.next(payloadType: pt, samples: samples, payloadBytes: n) }, payload: write)
    }

    /// Writes payload then header into our packet buffer, protects it (RFC 3711 §3.3: in
    /// place, the auth tag in the spare room) and hands it to the sink. The one send path for
    /// audio and RFC 4733 events; `header` is asked only once the payload length is known.
    mutating func sendPacket(send: MediaSink, header: (inout RTPSender, Int) -> RTPHeader,
                             payload write: (UnsafeMutableRawBufferPointer) -> Int) {
        let to = sendTo
        let srtp = srtp
        // Move the buffer out while writing (no copy: `packet` is its only reference).
        var buffer = packet
        packet = []
        buffer.withUnsafeMutableBytes { buf in
            let body = UnsafeMutableRawBufferPointer(rebasing: buf[RTPHeader.fixedSize..<(buf.count - SRTPSession.trailerBytes)])
            let n = write(body)
            guard n > 0 else { return }
            _ = try? header(&sender, n).write(into: buf)
            var length = RTPHeader.fixedSize + n
            if let srtp, let base = buf.baseAddress {
                guard let l = try? srtp.protectRTP(base, length: length, capacity: buf.count) else { return }
                length = l
            }
            send(.rtp, UnsafeRawBufferPointer(rebasing: buf[0..<length]), to)
        }
        packet = buffer
    }

    /// RFC 3550 §6.4: SR when we have sent RTP, else RR; SRTCP-protected on SRTP legs.
    mutating func sendReport(nowMs: Int64, ntp: NTPTimestamp, send: MediaSink) {
        let counters = (packets: sender.packets, octets: sender.octets, rtpTimestamp: sender.timestamp)
        var bytes = reporter.makeReport(nowMs: nowMs, ntp: ntp, tracker: &tracker, clockRate: parameters.clockRate,
                                        sent: counters)
        guard !bytes.isEmpty else { return }
        if let srtp {
            let plain = bytes.count
            bytes.append(contentsOf: repeatElement(0, count: SRTPSession.trailerBytes))
            let ok = bytes.withUnsafeMutableBytes { buf -> Int? in
                guard let base = buf.baseAddress else { return nil }
                return try? srtp.protectRTCP(base, length: plain, capacity: buf.count)
            }
            guard let length = ok else { return }
            bytes.removeLast(bytes.count - length)
        }
        let to = rtcpTo
        bytes.withUnsafeBytes { send(.rtcp, $0, to) }
    }

    /// Energy-based voice activity on the caller's audio (for silence timeouts).
    mutating func runVAD() {
        guard var v = vad else { return }
        let rate = parameters.clockRate
        let e = frame.withUnsafeBufferPointer { v.process($0, sampleRate: rate) }
        vad = v
        switch e {
        case .speechStarted?: events.append(.speech(started: true))
        case .speechEnded?: events.append(.speech(started: false))
        case nil: break
        }
    }

    /// Starts playing `source` (resampled by the caller to our rate), replacing any other;
    /// its end is reported as `.playbackFinished(id)`, so a late end of a replaced source
    /// is told apart from the current one.
    public mutating func play(_ source: any AudioSource, id: UInt64 = 0) {
        self.source = source
        sourceID = id
    }
    /// Stops playback without an event.
    public mutating func stopPlayback() { source = nil }
    /// Turns voice-activity reporting on or off.
    public mutating func detectSpeech(_ on: Bool) { vad = on ? VoiceActivityDetector() : nil }
    /// This tick's decoded audio from the peer (valid when `hasInboundFrame`).
    public func withInboundFrame<R>(_ body: (UnsafeBufferPointer<Int16>) -> R) -> R {
        frame.withUnsafeBufferPointer(body)
    }
}
