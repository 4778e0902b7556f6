import SDP
import SIPSyntax
import SIPTransaction

/// A handle on one call leg the user agent manages; the application uses it in commands.
public struct CallRef: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let raw: UInt64
    public init(_ raw: UInt64) { self.raw = raw }
    public static func < (a: CallRef, b: CallRef) -> Bool { a.raw < b.raw }
    public var description: String { "leg-\(raw)" }
}

/// Why a call leg ended, reported once per leg.
public enum EndReason: Hashable, Sendable, CustomStringConvertible {
    /// The peer sent BYE.
    case remoteBye
    /// We sent BYE (application hangup, max duration, shutdown).
    case localBye
    /// The caller cancelled before answer (RFC 3261 §9.2); 487 was sent.
    case cancelled
    /// We answered the INVITE with this final status (404, 486, 488, 503...).
    case rejected(Int)
    /// No ACK for our 2xx within 64*T1 (§13.3.1.4); BYE was sent.
    case ackTimeout
    /// The session timer expired without a refresh (RFC 4028 §10); BYE was sent.
    case sessionExpired
    /// A request we sent got no answer (Timer B/F) or the transport failed.
    case requestTimeout
    /// Our outgoing INVITE got this final non-2xx status.
    case failed(Int)

    public var description: String {
        switch self {
        case .remoteBye: "remote_bye"
        case .localBye: "local_bye"
        case .cancelled: "cancelled"
        case .rejected(let c): "rejected_\(c)"
        case .ackTimeout: "ack_timeout"
        case .sessionExpired: "session_expired"
        case .requestTimeout: "request_timeout"
        case .failed(let c): "failed_\(c)"
        }
    }
}

/// What the user agent tells the application about its legs.
public enum CallEvent: Sendable {
    /// A new INVITE arrived; the application must ring, answer or reject it.
    case incoming(CallRef, invite: SIPRequest, offer: SessionDescription?)
    /// Our 2xx was acknowledged (UAS) or the callee answered (UAC): media may flow.
    case established(CallRef, media: NegotiatedAudio?)
    /// A re-INVITE or UPDATE changed the media (hold, unhold, new address).
    case mediaChanged(CallRef, media: NegotiatedAudio)
    /// INFO received in the dialog (DTMF relay and others), already answered 200.
    case info(CallRef, contentType: String?, body: [UInt8])
    /// Outgoing call progress (UAC): 180/183.
    case progress(CallRef, statusCode: Int)
    /// The leg is over; nothing more will be reported for it.
    case ended(CallRef, EndReason)
}

/// What the application asks of the user agent.
public enum CallCommand: Sendable {
    /// Send 180 Ringing (RFC 3261 §13.3.1.1).
    case ring(CallRef)
    /// Answer with 200 and an SDP answer built from these capabilities (488 if none fits).
    case answer(CallRef, LocalMediaCapabilities)
    /// Final non-2xx answer; extra headers such as Retry-After.
    case reject(CallRef, statusCode: Int, reason: String?, headers: [(String, String)])
    /// End the leg however its state requires: BYE, CANCEL, or a final error response.
    case hangup(CallRef)
}

/// Per-leg timers owned by the user agent (not transaction timers).
public enum SessionTimerKind: String, Sendable {
    /// Retransmit our 2xx until ACK (RFC 3261 §13.3.1.4: T1 doubling up to T2).
    case retransmit2xx
    /// Give up waiting for ACK (64*T1).
    case ackTimeout
    /// RFC 4028: send a refresh (we are refresher) or give up (we are not).
    case sessionRefresh
    case sessionExpiry
}

public struct SessionTimerID: Hashable, Sendable {
    public let call: CallRef
    public let kind: SessionTimerKind
}

/// Settings for the user agent.
public struct UserAgentConfig: Sendable {
    public var userAgent: String = "SautiPBX/0.1"
    public var timers: TransactionTimers = .init()
    /// Our addresses per family, used in Via and Contact.
    public var localIPv4: TransportAddress?
    public var localIPv6: TransportAddress?
    /// Prefix that makes our tags, branches and Call-IDs unique across restarts.
    public var idPrefix: String = "s"
    /// Option tags we implement (RFC 3261 §8.2.2.3): only these may appear in Require.
    public var supported: [String] = ["timer"]
    public var sessionTimer: SessionTimerPolicy = SessionTimerPolicy()

    public init() {}

    /// Methods we implement, for Allow (RFC 3261 §20.5).
    public static let allow = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE"
    public static let accept = "application/sdp, application/dtmf-relay, application/dtmf"
}
