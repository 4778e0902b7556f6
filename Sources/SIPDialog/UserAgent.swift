import SDP
import SIPSyntax
import SIPTransaction

/// The transaction user (RFC 3261 §8, §12–§15) for every call leg of the daemon, as one pure
/// value: transaction deliveries, timer expiries and application commands go in; transaction
/// requests, timers and call events come out. No sockets, clock or randomness inside.
public struct UserAgent: Sendable {
    /// Output of the user agent.
    public enum Output: Sendable {
        case transaction(TransactionEvent)
        /// Sent outside any transaction: ACK for a 2xx (§13.2.2.4).
        case transmit(SIPMessage, to: TransportAddress)
        case startTimer(SessionTimerID, after: Duration)
        case cancelTimer(SessionTimerID)
        case event(CallEvent)
    }

    /// Where a leg stands.
    enum LegState: Sendable, Equatable {
        /// INVITE received, 100 sent; waiting for the application.
        case incoming
        /// 1xx with To tag sent (UAS) or received (UAC).
        case early
        /// 2xx sent, retransmitting until ACK (§13.3.1.4).
        case waitingAck
        /// ACK received or sent: the session is up.
        case confirmed
        /// UAC: INVITE sent, nothing with a tag yet.
        case calling
    }

    struct Leg: Sendable {
        var ref: CallRef
        var isUAS: Bool
        var state: LegState
        var invite: SIPRequest
        var inviteKey: TransactionKey?
        var localTag: String
        var dialog: Dialog?
        var capabilities: LocalMediaCapabilities?
        /// The offer in the initial INVITE, parsed once.
        var remoteOffer: SessionDescription?
        var localSDP: SessionDescription?
        var media: NegotiatedAudio?
        /// The 2xx being retransmitted and its current interval.
        var pending2xx: SIPResponse?
        var pending2xxKey: TransactionKey?
        var retransmitInterval: Duration = .zero
        /// Application asked to hang up while we waited for ACK (§15: BYE only after ACK).
        var hangupAfterAck = false
        /// An offer we sent in a 2xx to an offerless re-INVITE; the ACK carries the answer.
        var awaitingAnswerInAck = false
        var peer: TransportAddress
        /// Methods the peer allows (its INVITE, or its 2xx when we called), upper-cased.
        var peerAllow: [String] = []
        /// UAC state for legs we placed.
        var outgoing: OutgoingState?
        /// RFC 4028 outcome negotiated for this leg (UAS view).
        var sessionTimer: SessionTimerDecision = .none
    }

    public var config: UserAgentConfig
    var legs: [CallRef: Leg] = [:]
    var byDialog: [Dialog.ID: CallRef] = [:]
    var byInviteKey: [TransactionKey: CallRef] = [:]
    var nextID: UInt64 = 0
    /// In-dialog requests we sent that need their answer (session refreshes).
    var refreshes: [TransactionKey: CallRef] = [:]

    public init(config: UserAgentConfig) { self.config = config }

    /// Gives back table memory after a burst.
    public mutating func compact() {
        legs.shrinkIfSparse()
        byDialog.shrinkIfSparse()
        byInviteKey.shrinkIfSparse()
        refreshes.shrinkIfSparse()
    }

    /// Number of legs alive (for overload decisions and leak checks).
    public var legCount: Int { legs.count }

    /// Ids: unique within this process because of the counter, across restarts because of
    /// the prefix the driver draws at start.
    mutating func newID() -> String {
        nextID &+= 1
        return config.idPrefix + String(nextID, radix: 36)
    }
    mutating func newBranch() -> String { "z9hG4bK" + newID() }
    mutating func newRef() -> CallRef { nextID &+= 1; return CallRef(nextID) }

    func local(for peer: TransportAddress) -> TransportAddress {
        (peer.isIPv6 ? config.localIPv6 : config.localIPv4) ?? config.localIPv4 ?? config.localIPv6
            ?? TransportAddress(host: "127.0.0.1", port: 5060)
    }

    func contact(for peer: TransportAddress, user: String?) -> NameAddr {
        let l = local(for: peer)
        return NameAddr(uri: SIPURI(user: user ?? "sautipbx", host: l.uriHost, port: l.port))
    }

    // MARK: Entry point

    /// Feeds one transaction delivery to the user agent.
    public mutating func handle(_ action: TransactionAction) -> [Output] {
        switch action {
        case .deliverRequest(let req, let key, let from):
            return receiveRequest(req, key: key, from: from)
        case .deliverAck(let ack, _):
            return receiveAck(ack)
        case .deliverResponse(let resp, let key):
            return receiveResponse(resp, key: key)
        case .deliverStrayResponse(let resp, let from):
            return receiveStrayResponse(resp, from: from)
        case .timedOut(let key):
            return transactionTimedOut(key)
        case .terminated(let key):
            return transactionTerminated(key)
        case .transmit, .startTimer, .cancelTimer:
            return []
        }
    }

    /// Feeds one application command.
    public mutating func handle(_ command: CallCommand) -> [Output] {
        switch command {
        case .ring(let ref): return ring(ref)
        case .answer(let ref, let caps): return answer(ref, caps)
        case .reject(let ref, let code, let reason, let headers): return reject(ref, code, reason, headers)
        case .hangup(let ref): return hangup(ref)
        }
    }

    /// Feeds one of our own timers.
    public mutating func handle(timer: SessionTimerID) -> [Output] {
        switch timer.kind {
        case .retransmit2xx: return retransmit2xx(timer.call)
        case .ackTimeout: return ackTimedOut(timer.call)
        case .sessionRefresh: return sessionRefreshDue(timer.call)
        case .sessionExpiry: return sessionExpired(timer.call)
        }
    }

    // MARK: Helpers shared by the UAS and UAC paths

    /// A response to a request, with our User-Agent identity (Server, §20.35).
    func response(to req: SIPRequest, _ code: Int, reason: String? = nil, toTag: String? = nil) -> SIPResponse {
        var r = SIPResponse(to: req, statusCode: code, reason: reason, toTag: toTag)
        r.headers.add("Server", config.userAgent)
        return r
    }

    /// Drops every index entry of a leg and cancels its timers.
    mutating func remove(_ ref: CallRef) -> [Output] {
        guard let leg = legs.removeValue(forKey: ref) else { return [] }
        if let d = leg.dialog { byDialog[d.id] = nil }
        if let k = leg.inviteKey { byInviteKey[k] = nil }
        return [SessionTimerKind.retransmit2xx, .ackTimeout, .sessionRefresh, .sessionExpiry].map {
            .cancelTimer(SessionTimerID(call: ref, kind: $0))
        }
    }

    /// Ends a leg: cleanup plus the single `ended` event.
    mutating func end(_ ref: CallRef, _ reason: EndReason) -> [Output] {
        guard legs[ref] != nil else { return [] }
        return remove(ref) + [.event(.ended(ref, reason))]
    }

    /// Sends BYE in a confirmed dialog (§15.1.1) and ends the leg.
    mutating func sendBye(_ ref: CallRef, reason: EndReason) -> [Output] {
        guard var leg = legs[ref], var dialog = leg.dialog else { return end(ref, reason) }
        let l = local(for: leg.peer)
        let via = Via(host: l.uriHost, port: l.port, branch: newBranch())
        let bye = dialog.makeRequest(.bye, via: via, userAgent: config.userAgent)
        leg.dialog = dialog
        legs[ref] = leg
        let dest = destination(for: bye, fallback: leg.peer)
        return [.transaction(.sendRequest(bye, to: dest))] + end(ref, reason)
    }

    /// Where to send a request we originate: the first Route, else the Request-URI
    /// (RFC 3263 DNS is not used: hosts must be IP literals; otherwise the peer we know).
    func destination(for req: SIPRequest, fallback: TransportAddress) -> TransportAddress {
        var uri = req.uri
        if let route = req.headers.values("Route").first, let addr = try? NameAddr.parse(route) { uri = addr.uri }
        let host = uri.params.value("maddr") ?? uri.host
        let stripped = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        guard isIPLiteral(stripped) else { return fallback }
        return TransportAddress(host: stripped, port: uri.port ?? (uri.scheme == .sips ? 5061 : 5060))
    }

    func isIPLiteral(_ h: String) -> Bool {
        if h.contains(":") { return h.utf8.allSatisfy { SIPURIHex.isHex($0) || $0 == 0x3A || $0 == 0x2E } }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && UInt8($0) != nil }
    }
}

enum SIPURIHex {
    static func isHex(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x66)
    }
}
