import SDP
import SIPSyntax
import SIPTransaction

/// The UAC side (RFC 3261 §13.2, §9.1, §22.2; RFC 4028 §7): placing calls, provisional and
/// final responses, ACK for 2xx, CANCEL, digest retries, 422 retries, and the answers to
/// requests we send inside dialogs (BYE, session refreshes).
extension UserAgent {
    /// Starts an outgoing call; the leg's events follow (`progress`, `established`, `ended`).
    public mutating func placeCall(_ call: OutgoingCall) -> (CallRef, [Output]) {
        let ref = newRef()
        let dest = call.outboundProxy ?? TransportAddress(host: call.target.host, port: call.target.port ?? 5060)
        let l = local(for: dest)
        let localTag = newID()
        var from = NameAddr(displayName: call.fromDisplayName, uri: SIPURI(user: call.fromUser, host: l.uriHost, port: l.port))
        from.tag = localTag
        let origin = SDPOrigin(username: "-", sessionID: nextID &+ 1000, sessionVersion: 1,
                               netType: "IN", addrType: call.media.addressType, address: call.media.address)
        let offer = OfferAnswer.makeOffer(capabilities: call.media, origin: origin)
        var h = SIPHeaders()
        h.add("Via", Via(host: l.uriHost, port: l.port, branch: newBranch()).description)
        h.add("Max-Forwards", "70")
        h.add("From", from.description)
        h.add("To", NameAddr(uri: call.target).description)
        h.add("Call-ID", newID() + "@" + l.host)
        h.add("CSeq", "1 INVITE")
        h.add("Contact", contact(for: dest, user: call.fromUser).description)
        h.add("Allow", UserAgentConfig.allow)
        h.add("Supported", config.supported.joined(separator: ", "))
        h.add("User-Agent", config.userAgent)
        let st = config.sessionTimer.uacInitialRequest()
        if let se = st.sessionExpires { h.add("Session-Expires", se.headerValue) }
        if let m = st.minSE { h.add("Min-SE", m.headerValue) }
        for (n, v) in call.headers { h.add(n, v) }
        h.add("Content-Type", "application/sdp")
        let invite = SIPRequest(method: .invite, uri: call.target, headers: h, body: offer.bytes())
        var leg = Leg(ref: ref, isUAS: false, state: .calling, invite: invite, inviteKey: nil, localTag: localTag, peer: dest)
        leg.localSDP = offer
        leg.capabilities = call.media
        leg.outgoing = OutgoingState(call: call)
        legs[ref] = leg
        return (ref, sendInvite(ref, invite, to: dest))
    }

    mutating func sendInvite(_ ref: CallRef, _ invite: SIPRequest, to dest: TransportAddress) -> [Output] {
        guard var leg = legs[ref], let branch = invite.topVia?.branch else { return [] }
        let key = TransactionKey(isServer: false, branch: branch, method: .invite)
        if let old = leg.inviteKey { byInviteKey[old] = nil }
        leg.invite = invite
        leg.inviteKey = key
        legs[ref] = leg
        byInviteKey[key] = ref
        return [.transaction(.sendRequest(invite, to: dest))]
    }

    mutating func receiveResponse(_ resp: SIPResponse, key: TransactionKey) -> [Output] {
        if let ref = byInviteKey[key], let leg = legs[ref], !leg.isUAS {
            return inviteResponse(resp, ref: ref)
        }
        guard let ref = refreshes[key] else { return [] } // BYE and CANCEL answers need nothing more
        guard resp.isFinal else { return [] }
        refreshes[key] = nil
        guard legs[ref] != nil else { return [] }
        if resp.isSuccess {
            if resp.cseq?.method == .invite { return [sendAck(ref, for: resp)].compactMap { $0 } }
            return []
        }
        // RFC 4028 §10 / RFC 3261 §12.2.1.2: 481 or 408 to a refresh means the dialog is gone.
        if resp.statusCode == 481 || resp.statusCode == 408 { return end(ref, .sessionExpired) }
        return []
    }

    /// Responses to our INVITE (§13.2.2).
    mutating func inviteResponse(_ resp: SIPResponse, ref: CallRef) -> [Output] {
        guard var leg = legs[ref], var out = leg.outgoing else { return [] }
        let code = resp.statusCode
        if code == 100 { return [] }
        if code < 200 {
            // §13.2.2.1: a provisional with a To tag creates an early dialog.
            out.gotProvisional = true
            if resp.toTag != nil, leg.dialog == nil,
               let d = Dialog.uac(request: leg.invite, response: resp, localContact: contact(for: leg.peer, user: out.call.fromUser)) {
                leg.dialog = d
                byDialog[d.id] = ref
            }
            if leg.state == .calling { leg.state = .early }
            leg.outgoing = out
            legs[ref] = leg
            var result: [Output] = [.event(.progress(ref, statusCode: code))]
            if out.cancelPending { result += sendCancel(ref) }
            return result
        }
        if resp.isSuccess { return inviteAnswered(resp, ref: ref) }
        // Challenges (§22.2): retry once per round with credentials.
        if (code == 401 || code == 407), let creds = out.call.credentials, out.authAttempts < 2, !out.cancelSent {
            let header = code == 401 ? "WWW-Authenticate" : "Proxy-Authenticate"
            if let challenge = DigestChallenge.best(ofHeaderValues: resp.headers.rawValues(header)) {
                out.authAttempts += 1
                leg.outgoing = out
                legs[ref] = leg
                let cnonce = newID() // unique per process run: the prefix is random at start
                return retryInvite(ref) { req, uri in
                    let value = DigestAuthenticator.authorization(
                        challenge: challenge, username: creds.username, password: creds.password,
                        method: "INVITE", uri: uri, body: req.body, cnonce: cnonce,
                        nonceCount: 1)
                    req.headers.set(code == 401 ? "Authorization" : "Proxy-Authorization", value)
                }
            }
        }
        // RFC 4028 §7.3: 422 → retry once with the Min-SE the peer demands.
        if code == 422, !out.retried422, !out.cancelSent,
           let demanded = resp.headers["Min-SE"].flatMap({ try? MinSE.parse($0) }),
           let retry = config.sessionTimer.uacRetryAfter422(previous: config.sessionTimer.uacInitialRequest(), responseMinSE: demanded) {
            out.retried422 = true
            leg.outgoing = out
            legs[ref] = leg
            return retryInvite(ref) { req, _ in
                if let se = retry.sessionExpires { req.headers.set("Session-Expires", se.headerValue) }
                if let m = retry.minSE { req.headers.set("Min-SE", m.headerValue) }
            }
        }
        return end(ref, out.cancelSent && code == 487 ? .cancelled : .failed(code))
    }

    /// A new INVITE for the same call: same Call-ID and From tag, next CSeq, new branch.
    mutating func retryInvite(_ ref: CallRef, _ modify: (inout SIPRequest, String) -> Void) -> [Output] {
        guard let leg = legs[ref] else { return [] }
        var req = leg.invite
        let seq = (req.cseq?.sequence ?? 1) + 1
        req.headers.set("CSeq", "\(seq) INVITE")
        let l = local(for: leg.peer)
        req.headers.set("Via", Via(host: l.uriHost, port: l.port, branch: newBranch()).description)
        modify(&req, req.uri.description)
        return sendInvite(ref, req, to: leg.peer)
    }

    /// 2xx to our INVITE: confirm the dialog, ACK, read the answer (§13.2.2.4).
    mutating func inviteAnswered(_ resp: SIPResponse, ref: CallRef) -> [Output] {
        guard var leg = legs[ref], let out = leg.outgoing else { return [] }
        if leg.state == .confirmed {
            // A retransmitted 2xx: re-send the same ACK.
            return out.ack.map { [.transmit(.request($0), to: destination(for: $0, fallback: leg.peer))] } ?? []
        }
        if let d = leg.dialog { byDialog[d.id] = nil }
        guard let dialog = Dialog.uac(request: leg.invite, response: resp, localContact: contact(for: leg.peer, user: out.call.fromUser)) else {
            return end(ref, .failed(502))
        }
        leg.dialog = dialog
        byDialog[dialog.id] = ref
        leg.state = .confirmed
        var media: NegotiatedAudio?
        if case .success(let answer?) = Self.offer(in: resp, body: resp.body), let ours = leg.localSDP {
            media = try? OfferAnswer.negotiated(offer: ours, answer: answer)
        }
        leg.media = media
        leg.peerAllow = resp.headers.values("Allow").map { $0.uppercased() }
        if let se = resp.headers["Session-Expires"].flatMap({ try? SessionExpires.parse($0) }),
           let active = config.sessionTimer.uacOutcome(responseSessionExpires: se) {
            // Seen from the UAS-view decision type: we refresh when the refresher is "uac".
            leg.sessionTimer = .accept(interval: active.interval, refresher: active.refresher == .uac ? .uas : .uac,
                                       requireTimerInResponse: false)
        }
        legs[ref] = leg
        var result: [Output] = []
        if let ack = sendAck(ref, for: resp) { result.append(ack) }
        // §13.2.2.4 / RFC 3264: a 2xx without a usable answer, or one after our CANCEL, ends at once.
        if media == nil || out.cancelSent {
            return result + sendBye(ref, reason: out.cancelSent ? .cancelled : .failed(488))
        }
        result.append(.event(.established(ref, media: media)))
        return result + armSessionTimer(ref)
    }

    /// Builds and transmits the ACK for a 2xx, outside any transaction (§13.2.2.4).
    mutating func sendAck(_ ref: CallRef, for resp: SIPResponse) -> Output? {
        guard var leg = legs[ref], var dialog = leg.dialog else { return nil }
        let l = local(for: leg.peer)
        let ack = dialog.makeRequest(.ack, via: Via(host: l.uriHost, port: l.port, branch: newBranch()),
                                     cseqOverride: resp.cseq?.sequence)
        leg.dialog = dialog
        leg.outgoing?.ack = ack
        legs[ref] = leg
        return .transmit(.request(ack), to: destination(for: ack, fallback: leg.peer))
    }

    /// §9.1: CANCEL mirrors the INVITE's Request-URI, Call-ID, From, To, CSeq number, Route
    /// and top Via (same branch), and may only be sent once a provisional has arrived.
    mutating func sendCancel(_ ref: CallRef) -> [Output] {
        guard var leg = legs[ref], var out = leg.outgoing, !out.cancelSent else { return [] }
        guard out.gotProvisional else {
            out.cancelPending = true
            leg.outgoing = out
            legs[ref] = leg
            return []
        }
        var h = SIPHeaders()
        for name in ["Via", "Max-Forwards", "From", "To", "Call-ID"] {
            if let v = leg.invite.headers.rawValues(name).first { h.add(name, v) }
        }
        for r in leg.invite.headers.rawValues("Route") { h.add("Route", r) }
        h.add("CSeq", "\(leg.invite.cseq?.sequence ?? 1) CANCEL")
        let cancel = SIPRequest(method: .cancel, uri: leg.invite.uri, headers: h)
        out.cancelSent = true
        out.cancelPending = false
        leg.outgoing = out
        legs[ref] = leg
        return [.transaction(.sendRequest(cancel, to: leg.peer))]
    }

    /// A 2xx retransmission for an INVITE whose transaction is gone: re-send the ACK.
    mutating func receiveStrayResponse(_ resp: SIPResponse, from: TransportAddress) -> [Output] {
        guard resp.isSuccess, resp.cseq?.method == .invite, let callID = resp.callID,
              let local = resp.fromTag, let remote = resp.toTag,
              let ref = byDialog[Dialog.ID(callID: callID, localTag: local, remoteTag: remote)],
              let leg = legs[ref] else { return [] }
        if let ack = leg.outgoing?.ack { return [.transmit(.request(ack), to: destination(for: ack, fallback: from))] }
        return sendAck(ref, for: resp).map { [$0] } ?? []
    }

    mutating func transactionTimedOut(_ key: TransactionKey) -> [Output] {
        if let ref = refreshes.removeValue(forKey: key) {
            // The peer no longer answers in-dialog requests: the session is dead.
            return end(ref, .requestTimeout)
        }
        if let ref = byInviteKey[key], let leg = legs[ref], leg.state == .incoming || leg.state == .early || leg.state == .calling {
            return end(ref, .requestTimeout)
        }
        return []
    }

    mutating func transactionTerminated(_ key: TransactionKey) -> [Output] {
        refreshes[key] = nil
        if let ref = byInviteKey[key] {
            byInviteKey[key] = nil
            if var leg = legs[ref] { leg.inviteKey = nil; legs[ref] = leg }
        }
        return []
    }

    /// Hangup before answer on an outgoing leg: CANCEL (now, or when a provisional comes).
    mutating func cancelOutgoing(_ ref: CallRef) -> [Output] {
        guard let leg = legs[ref], leg.outgoing != nil else { return end(ref, .localBye) }
        return sendCancel(ref)
    }
}
