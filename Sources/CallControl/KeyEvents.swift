import MediaEngine
import SIPDialog

/// Key presses from every path — RFC 4733 events and in-band tones (media engine) and SIP
/// INFO bodies (dialog layer) — become one stream of call events. Until the voice runtime
/// (issue 5) consumes them for getDigits, each is logged with its duration and source, and
/// recorded as a call event.
extension CallControl {
    public mutating func keysPressed(_ ref: CallRef, _ keys: [MediaSession.KeyPress]) -> [Action] {
        guard let call = calls[ref] else { return [] }
        return keys.flatMap { k -> [Action] in
            let md = ["key": String(k.key), "duration_ms": String(k.durationMs), "source": k.source.rawValue]
            var out: [Action] = [.log(LogRecord(level: .info, message: "DTMF key", call: ref, metadata: md.merging(["call_id": call.callID]) { a, _ in a }))]
            // On a recorded call each key is also a `dtmf.received` call event.
            if let id = call.recordID { out.append(.record(.event(id: id, type: "dtmf.received", payload: md))) }
            return out + voiceEvent(ref, .key(k.key))
        }
    }

    /// Parses a SIP INFO body carrying a key: `application/dtmf-relay` (`Signal=5` and
    /// `Duration=160` lines, as Cisco and most trunks send) or `application/dtmf` (the key).
    /// Returns nil for any other content.
    public static func keyFromInfo(contentType: String?, body: [UInt8]) -> (key: Character, durationMs: Int)? {
        let type = (contentType ?? "").lowercased()
        let text = String(decoding: body, as: UTF8.self)
        let valid: Set<Character> = Set("0123456789*#ABCD")
        if type.hasPrefix("application/dtmf-relay") {
            var key: Character?
            var duration = 250
            for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
                let parts = raw.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters() }
                guard parts.count == 2 else { continue }
                switch parts[0].lowercased() {
                case "signal":
                    // RFC 4733 event numbers 10/11 are sometimes sent for * and #.
                    let v = parts[1].uppercased()
                    key = v == "10" ? "*" : v == "11" ? "#" : v.count == 1 ? v.first : nil
                case "duration":
                    duration = Int(parts[1]) ?? duration
                default:
                    break
                }
            }
            guard let k = key, valid.contains(k) else { return nil }
            return (k, duration)
        }
        if type.hasPrefix("application/dtmf") {
            let t = text.trimmingCharacters().uppercased()
            guard t.count == 1, let k = t.first, valid.contains(k) else { return nil }
            return (k, 250)
        }
        return nil
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> String { String(self).trimmingCharacters() }
}

extension String {
    fileprivate func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
