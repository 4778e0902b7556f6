/// One benchmark call as a pure UAC state machine (RFC 3261 §13, §17.1): INVITE with Timer A
/// retransmissions, ACK for the 2xx (and for a failure response), BYE with Timer E
/// retransmissions. Time is an input (monotonic nanoseconds); the driver sends the bytes.
public struct BenchCall: Sendable {
    /// Fixed facts about the call, chosen by the driver.
    public struct Setup: Sendable, Equatable {
        /// Position of the call in the run; also written into the Call-ID.
        public var index: Int
        /// Distinguishes runs so Call-IDs never repeat against one daemon.
        public var runID: String
        /// Dialled number (Request-URI user part).
        public var number: String
        /// Where the daemon listens for SIP ("host:port").
        public var target: String
        /// Our SIP socket ("host:port"), written into Via, Contact and From.
        public var local: String
        /// Our RTP address and port for this call (its own socket).
        public var rtpAddress: String
        public var rtpPort: Int
        public var codec: BenchCodec
        public init(index: Int, runID: String, number: String, target: String, local: String,
                    rtpAddress: String, rtpPort: Int, codec: BenchCodec) {
            self.index = index
            self.runID = runID
            self.number = number
            self.target = target
            self.local = local
            self.rtpAddress = rtpAddress
            self.rtpPort = rtpPort
            self.codec = codec
        }
    }

    /// Where the call is.
    public enum State: Sendable, Equatable {
        /// Not started.
        case idle
        /// INVITE sent, nothing heard yet (Timer A running).
        case calling
        /// A provisional response arrived; waiting for the final one.
        case proceeding
        /// 200 received and ACKed; media flows.
        case established
        /// No usable 200 (timeout, failure response, bad answer); the reason is kept.
        case failed(String)
        /// BYE sent, waiting for its final response (Timer E running).
        case terminating
        /// BYE answered, or the daemon hung up.
        case terminated
    }

    public enum Event: Sendable {
        case start(nowNs: Int64)
        case responseReceived(SIPMessageView, nowNs: Int64)
        /// The driver's periodic check; fires whichever timer is due.
        case timerFired(nowNs: Int64)
        case hangUp(nowNs: Int64)
        /// The daemon sent BYE (the driver answers it 200).
        case byeReceived
    }

    public enum Action: Sendable, Equatable {
        case send([UInt8])
        case established(RemoteMedia)
        case failed(String)
        case terminated
    }

    /// RFC 3261 §17.1.1.1: T1 = 500 ms, Timer A starts at T1 and doubles; T2 = 4 s caps Timer E.
    public static let t1Ns: Int64 = 500_000_000
    public static let t2Ns: Int64 = 4_000_000_000
    /// The brief: a call without a 200 within 5 s counts as failed.
    public static let answerTimeoutNs: Int64 = 5_000_000_000

    public let setup: Setup
    public private(set) var state: State = .idle
    public private(set) var remote: RemoteMedia?
    private var invite: [UInt8] = []
    private var ack: [UInt8]?
    private var bye: [UInt8] = []
    private var retransmitAtNs: Int64 = .max
    private var intervalNs: Int64 = BenchCall.t1Ns
    private var deadlineNs: Int64 = .max
    private var remoteTag: String?
    private var remoteTarget: String

    public init(_ setup: Setup) {
        self.setup = setup
        remoteTarget = "sip:\(setup.number)@\(setup.target)"
    }

    /// RFC 3261 §8.1.1.4: Call-ID, unique per call and run; the index is recoverable.
    public var callID: String { "mb-\(setup.runID)-\(setup.index)@\(setup.local.split(separator: ":").first ?? "")" }

    /// The call index encoded in a Call-ID made by `callID`, or nil for a foreign one.
    public static func index(fromCallID id: String) -> Int? {
        let local = id.split(separator: "@", maxSplits: 1).first ?? ""
        guard local.hasPrefix("mb-"), let dash = local.lastIndex(of: "-") else { return nil }
        return Int(local[local.index(after: dash)...])
    }

    /// When `timerFired` next has work (for the driver's poll timeout).
    public var nextTimerNs: Int64 { min(retransmitAtNs, deadlineNs) }

    private var fromTag: String { "mbt\(setup.index)" }
    private func branch(_ what: String) -> String { "z9hG4bK-mb\(setup.runID)-\(setup.index)-\(what)" }

    public mutating func receive(_ event: Event) -> [Action] {
        switch event {
        case .start(let now):
            guard state == .idle else { return [] }
            invite = makeInvite()
            state = .calling
            retransmitAtNs = now + BenchCall.t1Ns
            intervalNs = BenchCall.t1Ns
            deadlineNs = now + BenchCall.answerTimeoutNs
            return [.send(invite)]
        case .responseReceived(let r, let now):
            return response(r, now: now)
        case .timerFired(let now):
            return timer(now: now)
        case .hangUp(let now):
            guard state == .established else { return [] }
            bye = makeBye()
            state = .terminating
            retransmitAtNs = now + BenchCall.t1Ns
            intervalNs = BenchCall.t1Ns
            deadlineNs = now + 64 * BenchCall.t1Ns // Timer F (RFC 3261 §17.1.2.2)
            return [.send(bye)]
        case .byeReceived:
            guard state == .established || state == .terminating else { return [] }
            state = .terminated
            stopTimers()
            return [.terminated]
        }
    }

    private mutating func response(_ r: SIPMessageView, now: Int64) -> [Action] {
        guard let code = r.statusCode, let cseq = r.cseq else { return [] }
        switch (cseq.method, cseq.number) {
        case ("INVITE", 1):
            return inviteResponse(r, code: code)
        case ("BYE", 2):
            guard state == .terminating, code >= 200 else { return [] }
            state = .terminated
            stopTimers()
            return [.terminated]
        default:
            return []
        }
    }

    private mutating func inviteResponse(_ r: SIPMessageView, code: Int) -> [Action] {
        switch code {
        case 100..<200:
            // RFC 3261 §17.1.1.2: a provisional response stops Timer A (the answer timeout stays).
            if state == .calling { state = .proceeding; retransmitAtNs = .max }
            return []
        case 200..<300:
            if let a = ack, state != .calling, state != .proceeding {
                return [.send(a)] // RFC 3261 §13.2.2.4: the 2xx was retransmitted; ACK again
            }
            if case .failed = state, ack == nil {
                // A 200 after we gave up: the daemon has a dialog, so ACK it and end it at once.
                remoteTag = r.header("to").flatMap(SIPMessageView.tag(in:))
                if let c = r.header("contact").flatMap(SIPMessageView.uri(in:)) { remoteTarget = c }
                let a = makeAck()
                ack = a
                bye = makeBye()
                return remoteTag == nil ? [.send(a)] : [.send(a), .send(bye)]
            }
            guard state == .calling || state == .proceeding else { return [] }
            remoteTag = r.header("to").flatMap(SIPMessageView.tag(in:))
            if let c = r.header("contact").flatMap(SIPMessageView.uri(in:)) { remoteTarget = c }
            let a = makeAck()
            ack = a
            stopTimers()
            guard remoteTag != nil else {
                state = .failed("200 without a To tag")
                return [.send(a), .failed("200 without a To tag")]
            }
            do throws(BenchError) {
                let media = try BenchSDP.parseAnswer(r.body, codec: setup.codec)
                remote = media
                state = .established
                return [.send(a), .established(media)]
            } catch {
                // A dialog exists on the daemon: end it rather than leave it to time out.
                bye = makeBye()
                state = .failed(error.description)
                return [.send(a), .send(bye), .failed(error.description)]
            }
        default:
            guard state == .calling || state == .proceeding else { return [] }
            // RFC 3261 §17.1.1.3: the ACK for a failure belongs to the INVITE transaction
            // (same branch, To with the response's tag).
            remoteTag = r.header("to").flatMap(SIPMessageView.tag(in:))
            let reason = "\(code) \(r.header("reason") ?? "final response")"
            state = .failed(reason)
            stopTimers()
            return [.send(makeAck(failure: true)), .failed("status \(code)")]
        }
    }

    private mutating func timer(now: Int64) -> [Action] {
        switch state {
        case .calling, .proceeding:
            if now >= deadlineNs {
                state = .failed("no 200 within 5 s")
                stopTimers()
                return [.failed("timeout")]
            }
            guard state == .calling, now >= retransmitAtNs else { return [] }
            intervalNs *= 2 // Timer A doubles (no cap for INVITE)
            retransmitAtNs = now + intervalNs
            return [.send(invite)]
        case .terminating:
            if now >= deadlineNs {
                state = .terminated
                stopTimers()
                return [.failed("BYE unanswered"), .terminated]
            }
            guard now >= retransmitAtNs else { return [] }
            intervalNs = min(intervalNs * 2, BenchCall.t2Ns) // Timer E caps at T2
            retransmitAtNs = now + intervalNs
            return [.send(bye)]
        default:
            return []
        }
    }

    private mutating func stopTimers() {
        retransmitAtNs = .max
        deadlineNs = .max
    }

    // MARK: messages (RFC 3261 §8.1.1: the mandatory headers of every request)

    private func makeInvite() -> [UInt8] {
        let sdp = BenchSDP.offer(codec: setup.codec, address: setup.rtpAddress, port: setup.rtpPort,
                                 sessionID: UInt64(setup.index) + 1)
        return request(method: "INVITE", uri: "sip:\(setup.number)@\(setup.target)", branch: branch("inv"),
                       toTag: nil, cseq: 1, body: sdp, contentType: "application/sdp")
    }

    private func makeAck(failure: Bool = false) -> [UInt8] {
        // RFC 3261 §13.2.2.4: the ACK for a 2xx is its own transaction to the remote target;
        // §17.1.1.3: the ACK for a failure reuses the INVITE's branch and Request-URI.
        if failure {
            return request(method: "ACK", uri: "sip:\(setup.number)@\(setup.target)", branch: branch("inv"),
                           toTag: remoteTag, cseq: 1)
        }
        return request(method: "ACK", uri: remoteTarget, branch: branch("ack"), toTag: remoteTag, cseq: 1)
    }

    private func makeBye() -> [UInt8] {
        request(method: "BYE", uri: remoteTarget, branch: branch("bye"), toTag: remoteTag, cseq: 2)
    }

    private func request(method: String, uri: String, branch: String, toTag: String?, cseq: Int,
                         body: String = "", contentType: String? = nil) -> [UInt8] {
        var s = "\(method) \(uri) SIP/2.0\r\n"
        s += "Via: SIP/2.0/UDP \(setup.local);branch=\(branch);rport\r\n"
        s += "Max-Forwards: 70\r\n"
        s += "From: <sip:mediabench@\(setup.local)>;tag=\(fromTag)\r\n"
        s += "To: <sip:\(setup.number)@\(setup.target)>\(toTag.map { ";tag=\($0)" } ?? "")\r\n"
        s += "Call-ID: \(callID)\r\n"
        s += "CSeq: \(cseq) \(method)\r\n"
        if method == "INVITE" { s += "Contact: <sip:mediabench@\(setup.local)>\r\n" }
        s += "User-Agent: SautiPBX-MediaBench\r\n"
        if let ct = contentType { s += "Content-Type: \(ct)\r\n" }
        s += "Content-Length: \(body.utf8.count)\r\n\r\n"
        s += body
        return Array(s.utf8)
    }
}
