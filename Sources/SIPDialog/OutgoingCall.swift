import SDP
import SIPSyntax

/// What the application asks for when it places a call (UAC, RFC 3261 §13.2).
public struct OutgoingCall: Sendable {
    /// The Request-URI and To address.
    public var target: SIPURI
    /// Our identity in From (user part, e.g. the caller ID number) and display name.
    public var fromUser: String
    public var fromDisplayName: String?
    /// Where to send the INVITE; nil means the target's host (must be an IP literal).
    public var outboundProxy: TransportAddress?
    /// Codecs, address and port for our SDP offer.
    public var media: LocalMediaCapabilities
    /// Credentials for 401/407 challenges (RFC 3261 §22.2); nil means fail on a challenge.
    public var credentials: Credentials?
    /// Extra headers (e.g. P-Asserted-Identity, X- headers for the carrier).
    public var headers: [(String, String)]

    public struct Credentials: Sendable, Hashable {
        public var username: String
        public var password: String
        public init(username: String, password: String) { self.username = username; self.password = password }
    }

    public init(target: SIPURI, fromUser: String, fromDisplayName: String? = nil, outboundProxy: TransportAddress? = nil,
                media: LocalMediaCapabilities, credentials: Credentials? = nil, headers: [(String, String)] = []) {
        self.target = target
        self.fromUser = fromUser
        self.fromDisplayName = fromDisplayName
        self.outboundProxy = outboundProxy
        self.media = media
        self.credentials = credentials
        self.headers = headers
    }
}

/// UAC bookkeeping for one outgoing leg.
struct OutgoingState: Sendable {
    var call: OutgoingCall
    /// Challenges answered so far (at most two rounds: one per realm set, RFC 3261 §22.2).
    var authAttempts = 0
    var retried422 = false
    /// A provisional has arrived, so a CANCEL may be sent (§9.1).
    var gotProvisional = false
    /// The application hung up before any provisional: CANCEL when one arrives.
    var cancelPending = false
    var cancelSent = false
    /// The ACK for the 2xx, kept to answer 2xx retransmissions (§13.2.2.4).
    var ack: SIPRequest?
}
