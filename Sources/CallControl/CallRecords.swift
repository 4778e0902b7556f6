import SIPDialog

/// What call control tells the store about a call's life (admin-api.md "call record"). The
/// driver stamps each update with the time it applies it and writes it off the signalling
/// queue, in order; billing happens in the store when `ended` is written.
public enum CallRecordUpdate: Sendable, Equatable {
    /// A call to an owned number arrived (status `ringing`).
    case started(CallRecordStart)
    /// We answered with 200: billing time starts here.
    case answered(id: String)
    /// A call event with a flat payload (`call.ringing`, `dtmf.received`, `media.quality`...).
    case event(id: String, type: String, payload: [String: String])
    /// The call is over; the store prices it and debits the wallet once.
    case ended(CallRecordEnd)
    /// The `record` verb started capturing into a file (status `capturing`).
    case recordingStarted(id: String, callID: String, workspaceID: String)
    /// The recording's file is complete: it becomes `ready` and `call.recording.ready` fires.
    case recordingFinished(id: String, path: String, durationMs: Int, bytes: Int)
    case recordingFailed(id: String)
}

public struct CallRecordStart: Sendable, Equatable {
    public var id: String
    public var workspaceID: String
    public var numberID: String
    /// The SIP Call-ID: the developer's `sessionId`.
    public var sessionID: String
    public var direction: String
    public var localNumber: String
    public var remoteNumber: String
    public var ratePerMinuteMinor: Int64

    public init(id: String, workspaceID: String, numberID: String, sessionID: String, direction: String,
                localNumber: String, remoteNumber: String, ratePerMinuteMinor: Int64) {
        self.id = id
        self.workspaceID = workspaceID
        self.numberID = numberID
        self.sessionID = sessionID
        self.direction = direction
        self.localNumber = localNumber
        self.remoteNumber = remoteNumber
        self.ratePerMinuteMinor = ratePerMinuteMinor
    }
}

public struct CallRecordEnd: Sendable, Equatable {
    public var id: String
    /// `completed`, `failed`, `no_answer`, `busy` or `canceled`.
    public var status: String
    public var failureCode: String?
    public var sipStatus: Int?
    /// How the leg ended (`remote_bye`, `local_bye`, `rejected_486`...), for the event payload.
    public var reason: String

    public init(id: String, status: String, failureCode: String?, sipStatus: Int?, reason: String) {
        self.id = id
        self.status = status
        self.failureCode = failureCode
        self.sipStatus = sipStatus
        self.reason = reason
    }
}

extension CallRecordEnd {
    /// The final status of a call from how its leg ended. A failure we caused on purpose
    /// (`media.timeout`, `wallet.insufficient_funds`) wins; an answered call that ended by
    /// BYE either way completed; before answer the SIP final status says busy, no answer or
    /// cancelled (RFC 3261 §21: 486/600/603 busy or declined, 408/480 nobody answered).
    public static func outcome(id: String, reason: EndReason, answered: Bool, failure: String?) -> CallRecordEnd {
        let sip: Int? = switch reason {
        case .rejected(let c), .failed(let c): c
        case .cancelled: 487
        default: nil
        }
        func end(_ status: String, _ failure: String? = nil) -> CallRecordEnd {
            CallRecordEnd(id: id, status: status, failureCode: failure, sipStatus: sip, reason: reason.description)
        }
        if let failure { return end("failed", failure) }
        switch reason {
        case .ackTimeout: return end("failed", "sip.ack_timeout")
        case .sessionExpired: return end("failed", "sip.session_expired")
        case .requestTimeout: return end("failed", "sip.request_timeout")
        case .remoteBye, .localBye: return end(answered ? "completed" : "canceled")
        case .cancelled: return end("canceled")
        case .rejected(let c), .failed(let c):
            switch c {
            case 486, 600, 603: return end("busy")
            case 408, 480: return end("no_answer")
            case 487: return end("canceled")
            default: return end("failed", "sip.\(c)")
            }
        }
    }
}

extension CallControl {
    /// `POST /v1/calls/{id}/hangup`: ends the live call with that record id. False when no
    /// live call has it (already over, or another daemon's).
    public mutating func hangup(recordID: String) -> (found: Bool, actions: [Action]) {
        guard let ref = refByRecord[recordID], let call = calls[ref] else { return (false, []) }
        return (true, [.log(LogRecord(level: .info, message: "hangup requested by API", call: ref, metadata: ["call_id": call.callID])),
                       .command(.hangup(ref))])
    }

    /// Record ids of the calls in progress: the driver touches them so a crash can close them
    /// at their last known activity.
    public var liveRecordIDs: [String] { Array(refByRecord.keys) }
}
