import SIPSyntax

/// Identifies a transaction.
///
/// A server transaction (RFC 3261 §17.2.3) is the top Via branch + sent-by + request method,
/// where an ACK takes the INVITE's method and a CANCEL keeps its own (so the CANCEL is a
/// transaction of its own; `TransactionLayer.inviteKey(forCancel:)` finds the INVITE).
/// A client transaction (§17.1.3) is the branch + CSeq method; its `sentBy` is empty.
/// Requests whose branch lacks the "z9hG4bK" cookie get a synthetic `branch` built from the
/// RFC 2543 matching fields (see `LegacyMatching.swift`), so they still hash in O(1).
public struct TransactionKey: Hashable, Sendable, CustomStringConvertible {
    /// True for transactions this side answers, false for those it sent.
    public let isServer: Bool
    /// The Via branch (magic-cookie form), or the synthetic RFC 2543 identity.
    public let branch: String
    /// Normalised `host:port` of the top Via sent-by (server keys only).
    public let sentBy: String
    /// The method that created the transaction (INVITE for an ACK to a non-2xx).
    public let method: SIPMethod

    /// Creates a key from its parts.
    public init(isServer: Bool, branch: String, sentBy: String = "", method: SIPMethod) {
        self.isServer = isServer
        self.branch = branch
        self.sentBy = sentBy
        self.method = method
    }

    /// Whether the key came from the RFC 2543 fallback rather than a magic-cookie branch.
    public var isLegacy: Bool { branch.hasPrefix(LegacyMatching.prefix) }

    /// "server INVITE z9hG4bK…@host:port" / "client BYE z9hG4bK…", for logs.
    public var description: String {
        isServer ? "server \(method) \(branch)@\(sentBy)" : "client \(method) \(branch)"
    }

    /// Client key of a request the TU sends (§17.1.3: branch + method); nil without a branch.
    static func client(for request: SIPRequest, via: Via) -> TransactionKey? {
        guard let branch = via.branch, !branch.isEmpty else { return nil }
        return TransactionKey(isServer: false, branch: branch, method: request.method)
    }

    /// Client key a response matches (§17.1.3: top Via branch + CSeq method).
    static func client(for response: SIPResponse) -> TransactionKey? {
        guard let via = response.topVia, let branch = via.branch, !branch.isEmpty,
              let cseq = response.cseq else { return nil }
        return TransactionKey(isServer: false, branch: branch, method: cseq.method)
    }

    /// Server key of a request with a magic-cookie branch (§17.2.3), with `method`
    /// overriding the request's own (ACK → INVITE, CANCEL → INVITE for §9.2 matching).
    static func server(branch: String, via: Via, method: SIPMethod) -> TransactionKey {
        TransactionKey(isServer: true, branch: branch, sentBy: sentBy(of: via), method: method)
    }

    /// `host:port` with the host lower-cased (hosts compare case-insensitively, §19.1.4)
    /// and the transport's default port filled in, so `a.example` and `a.example:5060` agree.
    static func sentBy(of via: Via) -> String {
        let port = via.port ?? defaultPort(transport: via.transport)
        return via.host.lowercased() + ":" + String(port)
    }

    /// RFC 3261 §18.2.2 / §19.1.2: 5061 for TLS-based transports, 5060 otherwise.
    static func defaultPort(transport: String) -> Int {
        transport == "TLS" || transport == "WSS" || transport == "TLS-SCTP" ? 5061 : 5060
    }
}

/// The timers of RFC 3261 §17 (A–K) and RFC 6026 (L, M).
public enum TimerName: String, Sendable, CaseIterable {
    case A, B, D, E, F, G, H, I, J, K, L, M

    /// Bit in a transaction's running-timer mask.
    var bit: UInt16 {
        switch self {
        case .A: 1 << 0
        case .B: 1 << 1
        case .D: 1 << 2
        case .E: 1 << 3
        case .F: 1 << 4
        case .G: 1 << 5
        case .H: 1 << 6
        case .I: 1 << 7
        case .J: 1 << 8
        case .K: 1 << 9
        case .L: 1 << 10
        case .M: 1 << 11
        }
    }
}

/// One timer of one transaction; the driver schedules it and feeds it back as `timerFired`.
public struct TimerID: Hashable, Sendable, CustomStringConvertible {
    /// The transaction the timer belongs to.
    public let key: TransactionKey
    /// Which of its timers.
    public let name: TimerName

    /// Creates a timer id.
    public init(key: TransactionKey, name: TimerName) {
        self.key = key
        self.name = name
    }

    /// "Timer F of client BYE z9hG4bK…", for logs.
    public var description: String { "Timer \(name.rawValue) of \(key)" }
}
