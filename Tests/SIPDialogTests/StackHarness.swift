import SDP
import SIPDialog
import SIPSyntax
import SIPTransaction

/// Drives one `SIPStack` with text messages from a scripted peer on a virtual clock, and
/// records what it transmits and reports. No sockets.
struct StackHarness {
    var stack: SIPStack
    var now: Duration = .zero
    var timers: [SIPStack.Timer: Duration] = [:]
    var sent: [(SIPMessage, TransportAddress)] = []
    var events: [CallEvent] = []
    let peer = TransportAddress(host: "127.0.0.1", port: 5061)

    init(sessionTimer: SessionTimerPolicy = SessionTimerPolicy()) {
        var c = UserAgentConfig()
        c.localIPv4 = TransportAddress(host: "127.0.0.1", port: 5060)
        c.idPrefix = "t"
        c.sessionTimer = sessionTimer
        stack = SIPStack(config: c)
    }

    mutating func absorb(_ outs: [SIPStack.Output]) {
        for o in outs {
            switch o {
            case .transmit(let m, let to): sent.append((m, to))
            case .startTimer(let t, let after): timers[t] = now + after
            case .cancelTimer(let t): timers[t] = nil
            case .event(let e): events.append(e)
            }
        }
    }

    mutating func receive(_ text: String) {
        guard case .success(let m) = SIPParser().parse(text) else { fatalError("test message does not parse:\n\(text)") }
        absorb(stack.receive(m, from: peer))
    }

    mutating func command(_ c: CallCommand) { absorb(stack.command(c)) }

    /// Moves the virtual clock, firing due timers in deadline order.
    mutating func advance(to t: Duration) {
        while let (timer, due) = timers.filter({ $0.value <= t }).min(by: { $0.value < $1.value }) {
            now = due
            timers[timer] = nil
            absorb(stack.fire(timer))
        }
        now = t
    }

    var responses: [SIPResponse] {
        sent.compactMap { if case .response(let r) = $0.0 { return r } else { return nil } }
    }
    var requests: [SIPRequest] {
        sent.compactMap { if case .request(let r) = $0.0 { return r } else { return nil } }
    }
    /// Requests we originated, once each (retransmissions share the branch).
    var newRequestMethods: [SIPMethod] {
        var seen: Set<String> = []
        return requests.compactMap { r in
            guard let b = r.topVia?.branch, seen.insert(b).inserted else { return nil }
            return r.method
        }
    }
    var statusCodes: [Int] { responses.map(\.statusCode) }

    var lastIncoming: CallRef? {
        for e in events.reversed() { if case .incoming(let ref, _, _) = e { return ref } }
        return nil
    }
    var endReasons: [EndReason] {
        events.compactMap { if case .ended(_, let r) = $0 { return r } else { return nil } }
    }

    static let caps = LocalMediaCapabilities(codecs: [.pcmu, .pcma], telephoneEvent: true, address: "127.0.0.1", port: 20000)

    static func sdp(_ formats: String = "0 8 101", direction: String = "sendrecv", address: String = "127.0.0.1", version: Int = 1) -> String {
        "v=0\r\no=caller 1 \(version) IN IP4 \(address)\r\ns=-\r\nc=IN IP4 \(address)\r\nt=0 0\r\nm=audio 40000 RTP/AVP \(formats)\r\na=rtpmap:101 telephone-event/8000\r\na=\(direction)\r\n"
    }

    static func request(_ method: String, cseq: Int = 1, branch: String = "z9hG4bKc1", toTag: String? = nil,
                        callID: String = "call-1", extra: [String] = [], body: String = "") -> String {
        var lines = [
            "\(method) sip:+254700000001@127.0.0.1:5060 SIP/2.0",
            "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=\(branch);rport",
            "From: <sip:caller@127.0.0.1:5061>;tag=ftag",
            "To: <sip:+254700000001@127.0.0.1:5060>" + (toTag.map { ";tag=\($0)" } ?? ""),
            "Call-ID: \(callID)",
            "CSeq: \(cseq) \(method)",
            "Contact: <sip:caller@127.0.0.1:5061>",
            "Max-Forwards: 70",
        ] + extra
        if !body.isEmpty { lines.append("Content-Type: application/sdp") }
        lines.append("Content-Length: \(body.utf8.count)")
        return lines.joined(separator: "\r\n") + "\r\n\r\n" + body
    }

    /// The To tag the stack put on its responses.
    var localTag: String? { responses.last(where: { $0.statusCode >= 180 })?.to?.tag }
}
