import RTP
import SIPSyntax

/// Keys the leg sends (Dial's digit sending, IVR tests): RFC 4733 events when telephone-event
/// was negotiated, else in-band Q.23 tones through the audio path.
struct DigitSender: Sendable {
    var pending: [Character] = []
    var packets: [TelephoneEventPacket] = []
    var next = 0
    var startTimestamp: UInt32 = 0
    var elapsedMs = 0
    var gapLeftMs = 0
    var durationMs = 100
    var gapMs = 50

    var isActive: Bool { !pending.isEmpty || next < packets.count || gapLeftMs > 0 }
}

extension MediaSession {
    /// Queues keys to send: each `durationMs` long with `gapMs` of silence after it (ITU-T Q.24
    /// receivers want ≥ 40 ms of each). Characters that are not DTMF keys are skipped.
    public mutating func sendDigits(_ digits: String, durationMs: Int = 100, gapMs: Int = 50) {
        let keys = digits.filter { DTMFKey.event(for: $0) != nil }
        guard !keys.isEmpty else { return }
        guard parameters.telephoneEventPayloadType != nil else {
            // No telephone-event: play the tones in band, as one source.
            var pcm: [Int16] = []
            let rate = parameters.clockRate
            for k in keys {
                guard var tone = try? ToneSource.dtmf(k, sampleRate: rate, onMs: durationMs, offMs: gapMs) else { continue }
                var chunk = [Int16](repeating: 0, count: rate / 50)
                while true {
                    let n = chunk.withUnsafeMutableBufferPointer { tone.read(into: $0) }
                    if n == 0 { break }
                    pcm += chunk[0..<n]
                }
            }
            play(PCMBufferSource(samples: pcm, sampleRate: rate))
            return
        }
        digits_.durationMs = max(40, durationMs)
        digits_.gapMs = max(20, gapMs)
        digits_.pending += keys
    }

    /// Sends this tick's share of an RFC 4733 event (one packet per 20 ms: the start with the
    /// marker, updates, then the three end packets of §2.5.1.4). True while keys are being
    /// sent, when no audio may go out (§2.5.1.1: the event replaces the audio).
    mutating func sendDigitTick(send: MediaSink) -> Bool {
        guard let pt = parameters.telephoneEventPayloadType, digits_.isActive else { return false }
        if digits_.next >= digits_.packets.count {
            if digits_.gapLeftMs > 0 {
                digits_.gapLeftMs -= 20
                return digits_.isActive
            }
            guard !digits_.pending.isEmpty else { return false }
            let key = digits_.pending.removeFirst()
            digits_.packets = (try? TelephoneEventSender.packets(
                key: key, durationMs: digits_.durationMs, intervalMs: 20, clockRate: parameters.telephoneEventClockRate)) ?? []
            digits_.next = 0
            digits_.elapsedMs = 0
            digits_.startTimestamp = sender.timestamp
        }
        // At most one packet per tick, which keeps the three end packets 20 ms apart (§2.5.1.4).
        if digits_.next < digits_.packets.count, digits_.packets[digits_.next].sendOffsetMs <= digits_.elapsedMs {
            let p = digits_.packets[digits_.next]
            digits_.next += 1
            sendEvent(p, payloadType: pt, send: send)
        }
        digits_.elapsedMs += 20
        if digits_.next >= digits_.packets.count { digits_.gapLeftMs = digits_.gapMs }
        return true
    }

    mutating func sendEvent(_ p: TelephoneEventPacket, payloadType: UInt8, send: MediaSink) {
        let timestamp = digits_.startTimestamp &+ p.timestampOffset
        sendPacket(send: send, header: { sender, n in
            sender.nextEvent(payloadType: payloadType, timestamp: timestamp, marker: p.marker, payloadBytes: n)
        }, payload: { body in (try? p.payload.write(into: body)) ?? 0 })
    }
}
