import Codecs
import RTP
import SIPSyntax
import SDP
import SRTP

// The receive side of a leg: RTP and RTCP datagrams from the leg's sockets.
extension MediaSession {
    /// A datagram arrived on the leg's RTP port. Garbage, packets of other payload types and
    /// SRTP packets that fail authentication are dropped; none of them count as media.
    public mutating func receive(_ datagram: UnsafeRawBufferPointer, from source: TransportAddress, nowMs: Int64) {
        guard datagram.count >= RTPHeader.fixedSize, datagram.count <= 1500 else { return }
        if let srtp {
            // RFC 3711 §3.3: authenticate and decrypt in place, in our own buffer (moved out of
            // self while in use; no copy).
            var buffer = packet
            packet = []
            let length = Self.unprotect(datagram, into: &buffer) { (p: UnsafeMutableRawPointer, n: Int) throws(SRTPError) -> Int in try srtp.unprotectRTP(p, length: n) }
            switch length {
            case .success(let n):
                buffer.withUnsafeBytes { receivePlain(UnsafeRawBufferPointer(rebasing: $0[0..<n]), from: source, nowMs: nowMs) }
            case .failure(let e):
                noteSRTPFailure(e.code)
            }
            packet = buffer
            return
        }
        receivePlain(datagram, from: source, nowMs: nowMs)
    }

    /// Copies `datagram` into `buffer` and runs an SRTP unprotect on it there.
    static func unprotect(_ datagram: UnsafeRawBufferPointer, into buffer: inout [UInt8],
                          _ body: (UnsafeMutableRawPointer, Int) throws(SRTPError) -> Int) -> Result<Int, SRTPError> {
        buffer.withUnsafeMutableBytes { buf in
            guard let base = buf.baseAddress, let src = datagram.baseAddress, datagram.count <= buf.count else {
                return .failure(.truncated(length: datagram.count, minimum: 0))
            }
            base.copyMemory(from: src, byteCount: datagram.count)
            do throws(SRTPError) { return .success(try body(base, datagram.count)) } catch { return .failure(error) }
        }
    }

    mutating func noteSRTPFailure(_ code: String) {
        srtpFailures += 1
        // Report the first failure and then every 500th, not one event per packet.
        if srtpFailures % 500 == 1 { events.append(.srtpFailure(code: code)) }
    }

    mutating func receivePlain(_ datagram: UnsafeRawBufferPointer, from source: TransportAddress, nowMs: Int64) {
        guard let view = try? RTPPacketView.parse(datagram) else { return }
        let h = view.header
        let payload = UnsafeRawBufferPointer(rebasing: datagram[view.payloadRange])
        guard h.payloadType == parameters.payloadType || h.payloadType == parameters.telephoneEventPayloadType,
              latch.accept(source, nowMs: nowMs) else { return }
        if let te = parameters.telephoneEventPayloadType, h.payloadType == te {
            // RFC 4733 at whatever payload type and clock rate SDP negotiated.
            noteActivity(from: source, nowMs: nowMs)
            for r in telephoneEvents.receive(header: h, payload: payload, clockRate: parameters.telephoneEventClockRate) {
                if let k = r.key { keys.append(KeyPress(key: k, durationMs: r.durationMs, source: .rfc4733)) }
            }
            return
        }
        // Voice (the guard above admits only the voice and telephone-event types).
        noteActivity(from: source, nowMs: nowMs)
        packetsReceived += 1
        // RFC 3550 A.8: arrival time in the stream's timestamp units.
        let arrival = UInt32(truncatingIfNeeded: nowMs &* Int64(parameters.clockRate) / 1000)
        _ = tracker.receive(sequence: h.sequence, ssrc: h.ssrc, timestamp: h.timestamp, arrival: arrival)
        if detector != nil, let law = parameters.g711 { detectInBand(payload, law: law) }
        guard mode == .echo || listening else { return }
        jitter.put(slots.store(payload, sequence: h.sequence), sequence: h.sequence, timestamp: h.timestamp, ssrc: h.ssrc, marker: h.marker, arrivalMs: nowMs)
    }

    mutating func noteActivity(from source: TransportAddress, nowMs: Int64) {
        lastPacketMs = nowMs
        lastActivityMs = nowMs
        if let locked = latch.locked, sendTo != locked {
            sendTo = locked
            // Symmetric RTCP follows the RTP latch until RTCP itself arrives (RFC 4961).
            if rtcpSource == nil { rtcpTo = TransportAddress(host: locked.host, port: locked.port + 1) }
        }
    }

    /// Decodes G.711 into a stack buffer and runs the tone detector (ITU-T Q.24 style).
    mutating func detectInBand(_ payload: UnsafeRawBufferPointer, law: G711Law) {
        guard payload.count <= 1920 else { return }
        let found: [DetectedKey] = withUnsafeTemporaryAllocation(of: Int16.self, capacity: payload.count) { pcm in
            let n = G711.decode(payload.bindMemory(to: UInt8.self), into: pcm, law: law)
            return detector?.process(UnsafeBufferPointer(rebasing: pcm[0..<n])) ?? []
        }
        for k in found { keys.append(KeyPress(key: k.key, durationMs: k.durationMs, source: .inband)) }
    }

    /// A datagram arrived on the leg's RTCP port (RFC 3550 §6): the peer's reports feed the
    /// quality figures. `ntp` is the wall clock now, for the round-trip time (§6.4.1).
    public mutating func receiveRTCP(_ datagram: UnsafeRawBufferPointer, from source: TransportAddress, nowMs: Int64,
                                     ntp: NTPTimestamp) {
        guard datagram.count >= 8, datagram.count <= 1500 else { return }
        if let srtp {
            var buffer = packet
            packet = []
            let rate = parameters.clockRate
            switch Self.unprotect(datagram, into: &buffer, { (p: UnsafeMutableRawPointer, n: Int) throws(SRTPError) -> Int in try srtp.unprotectRTCP(p, length: n) }) {
            case .success(let n):
                let read = buffer.withUnsafeBytes {
                    reporter.receive(UnsafeRawBufferPointer(rebasing: $0[0..<n]), nowMs: nowMs, ntp: ntp, clockRate: rate)
                }
                if read { rtcpTo = source; rtcpSource = source }
            case .failure(let e):
                noteSRTPFailure(e.code)
            }
            packet = buffer
            return
        }
        if reporter.receive(datagram, nowMs: nowMs, ntp: ntp, clockRate: parameters.clockRate) {
            rtcpTo = source
            rtcpSource = source
        }
    }
}
