import SDP
import SIPSyntax
import SIPTransaction

/// RFC 4028 session timers on the UAS side: headers in our 2xx, the refresh we send when we
/// are the refresher, and the BYE when the peer stops refreshing.
extension SessionTimerPolicy {
    /// Reads Session-Expires, Min-SE and Supported from a request and decides (§9).
    func uasDecision(request h: SIPHeaders) -> SessionTimerDecision {
        let se = h["Session-Expires"].flatMap { try? SessionExpires.parse($0) }
        let minSE = h["Min-SE"].flatMap { try? MinSE.parse($0) }
        let supports = h.values("Supported").contains { $0.lowercased() == "timer" }
        return uasDecision(requestSessionExpires: se, requestMinSE: minSE, uacSupportsTimer: supports)
    }
}

extension UserAgent {
    func addSessionTimerHeaders(_ r: inout SIPResponse, leg: Leg) {
        guard case .accept(_, _, let require) = leg.sessionTimer, let se = leg.sessionTimer.responseSessionExpires else { return }
        r.headers.add("Session-Expires", se.headerValue)
        if require { r.headers.add("Require", "timer") }
    }

    /// (Re)arms the refresh or expiry timer after a successful (re)negotiation.
    mutating func armSessionTimer(_ ref: CallRef) -> [Output] {
        guard let leg = legs[ref], let active = leg.sessionTimer.activeTimer else { return [] }
        let refresh = SessionTimerID(call: ref, kind: .sessionRefresh)
        let expiry = SessionTimerID(call: ref, kind: .sessionExpiry)
        if active.isLocalRefresher(localRole: .uas) {
            return [.cancelTimer(expiry), .startTimer(refresh, after: active.refreshDelay)]
        }
        return [.cancelTimer(refresh), .startTimer(expiry, after: active.expiryDelay)]
    }

    /// §10: as refresher, send UPDATE when the peer allows it (no ACK, no SDP needed),
    /// else a re-INVITE with our unchanged session description (RFC 3264 §8: same version).
    mutating func sessionRefreshDue(_ ref: CallRef) -> [Output] {
        guard var leg = legs[ref], leg.state == .confirmed, var dialog = leg.dialog,
              let active = leg.sessionTimer.activeTimer else { return [] }
        let l = local(for: leg.peer)
        let via = Via(host: l.uriHost, port: l.port, branch: newBranch())
        let peerAllowsUpdate = leg.peerAllow.contains("UPDATE")
        var req = dialog.makeRequest(peerAllowsUpdate ? .update : .invite, via: via, userAgent: config.userAgent)
        let headers = config.sessionTimer.refreshRequest(current: active, senderIsRefresher: true)
        if let se = headers.sessionExpires { req.headers.add("Session-Expires", se.headerValue) }
        if let m = headers.minSE { req.headers.add("Min-SE", m.headerValue) }
        req.headers.add("Supported", config.supported.joined(separator: ", "))
        if !peerAllowsUpdate, let sdp = leg.localSDP {
            req.headers.add("Content-Type", "application/sdp")
            req.body = sdp.bytes()
        }
        leg.dialog = dialog
        legs[ref] = leg
        let dest = destination(for: req, fallback: leg.peer)
        refreshes[TransactionKey(isServer: false, branch: via.branch ?? "", method: req.method)] = ref
        return [.transaction(.sendRequest(req, to: dest)),
                .startTimer(SessionTimerID(call: ref, kind: .sessionRefresh), after: active.refreshDelay)]
    }

    /// §10: the refresher went quiet; end the session with BYE.
    mutating func sessionExpired(_ ref: CallRef) -> [Output] {
        guard let leg = legs[ref], leg.state == .confirmed else { return [] }
        return sendBye(ref, reason: .sessionExpired)
    }
}
