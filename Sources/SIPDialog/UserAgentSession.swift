import SDP
import SIPSyntax
import SIPTransaction

/// An established or answering INVITE session on the UAS side: the 2xx and its ACK
/// (§13.3.1.4), in-dialog requests (§12.2.2), re-INVITE and UPDATE offer/answer
/// (§14, RFC 3311, RFC 3264 §8) and BYE (§15.1.2).
extension UserAgent {
    mutating func answer(_ ref: CallRef, _ caps: LocalMediaCapabilities) -> [Output] {
        guard var leg = legs[ref], leg.isUAS, leg.state == .incoming || leg.state == .early, let key = leg.inviteKey else { return [] }
        let contact = self.contact(for: leg.peer, user: leg.invite.uri.user)
        var r = response(to: leg.invite, 200, toTag: leg.localTag)
        let origin = SDPOrigin(username: "-", sessionID: nextID &+ 1000, sessionVersion: 1,
                               netType: "IN", addrType: caps.addressType, address: caps.address)
        if let offer = leg.remoteOffer {
            do {
                let result = try OfferAnswer.answer(to: offer, capabilities: caps, origin: origin)
                leg.localSDP = result.answer
                leg.media = result.negotiated
            } catch {
                // RFC 3261 §13.3.1.3: no acceptable media → 488 with a Warning (§20.43, 304/305).
                return reject(ref, 488, nil, [("Warning", "305 \(local(for: leg.peer).uriHost) \"\(error.message)\"")])
            }
        } else {
            // §13.2.1: an INVITE without an offer gets the offer in our 2xx; the ACK answers it.
            leg.localSDP = OfferAnswer.makeOffer(capabilities: caps, origin: origin)
            leg.awaitingAnswerInAck = true
        }
        leg.capabilities = caps
        if let sdp = leg.localSDP {
            r.headers.add("Content-Type", "application/sdp")
            r.body = sdp.bytes()
        }
        r.headers.add("Contact", contact.description)
        r.headers.add("Allow", UserAgentConfig.allow)
        r.headers.add("Supported", config.supported.joined(separator: ", "))
        addSessionTimerHeaders(&r, leg: leg)
        if leg.dialog == nil, let d = Dialog.uas(request: leg.invite, localTag: leg.localTag, localContact: contact) {
            leg.dialog = d
            byDialog[d.id] = ref
        }
        leg.state = .waitingAck
        legs[ref] = leg
        return start2xx(ref, r, key: key)
    }

    /// Sends a 2xx and arms its retransmission and give-up timers (§13.3.1.4).
    mutating func start2xx(_ ref: CallRef, _ r: SIPResponse, key: TransactionKey) -> [Output] {
        guard var leg = legs[ref] else { return [] }
        leg.pending2xx = r
        leg.pending2xxKey = key
        leg.retransmitInterval = config.timers.t1
        legs[ref] = leg
        return [
            .transaction(.sendResponse(r, key: key)),
            .startTimer(SessionTimerID(call: ref, kind: .retransmit2xx), after: config.timers.t1),
            .startTimer(SessionTimerID(call: ref, kind: .ackTimeout), after: config.timers.t1 * 64),
        ]
    }

    mutating func retransmit2xx(_ ref: CallRef) -> [Output] {
        guard var leg = legs[ref], let r = leg.pending2xx, let key = leg.pending2xxKey else { return [] }
        leg.retransmitInterval = min(leg.retransmitInterval * 2, config.timers.t2)
        legs[ref] = leg
        return [.transaction(.sendResponse(r, key: key)),
                .startTimer(SessionTimerID(call: ref, kind: .retransmit2xx), after: leg.retransmitInterval)]
    }

    /// §13.3.1.4: no ACK within 64*T1 — confirm the dialog and end it with BYE.
    mutating func ackTimedOut(_ ref: CallRef) -> [Output] {
        guard var leg = legs[ref], leg.pending2xx != nil else { return [] }
        leg.pending2xx = nil
        leg.state = .confirmed
        legs[ref] = leg
        return [.cancelTimer(SessionTimerID(call: ref, kind: .retransmit2xx))] + sendBye(ref, reason: .ackTimeout)
    }

    mutating func receiveAck(_ ack: SIPRequest) -> [Output] {
        guard let id = dialogID(forIncoming: ack), let ref = byDialog[id], var leg = legs[ref],
              let pending = leg.pending2xx, pending.cseq?.sequence == ack.cseq?.sequence else { return [] }
        var out: [Output] = [.cancelTimer(SessionTimerID(call: ref, kind: .retransmit2xx)),
                             .cancelTimer(SessionTimerID(call: ref, kind: .ackTimeout))]
        leg.pending2xx = nil
        leg.pending2xxKey = nil
        let initial = leg.state == .waitingAck
        if leg.awaitingAnswerInAck {
            leg.awaitingAnswerInAck = false
            if case .success(let answer?) = Self.offer(in: ack, body: ack.body), let ours = leg.localSDP,
               let media = try? OfferAnswer.negotiated(offer: ours, answer: answer) {
                leg.media = media
                if !initial { out.append(.event(.mediaChanged(ref, media: media))) }
            } else {
                // §13.2.1 / RFC 3264: an ACK without a usable answer leaves no session → BYE.
                leg.state = .confirmed
                legs[ref] = leg
                return out + sendBye(ref, reason: .localBye)
            }
        }
        leg.state = .confirmed
        legs[ref] = leg
        if initial {
            out.append(.event(.established(ref, media: leg.media)))
            out += armSessionTimer(ref)
        }
        if leg.hangupAfterAck { out += sendBye(ref, reason: .localBye) }
        return out
    }

    mutating func inDialogRequest(_ req: SIPRequest, key: TransactionKey, from: TransportAddress) -> [Output] {
        guard let id = dialogID(forIncoming: req), let ref = byDialog[id], var leg = legs[ref], var dialog = leg.dialog else {
            // §12.2.2: a request for a dialog we do not know.
            return [.transaction(.sendResponse(response(to: req, 481), key: key))]
        }
        guard let cseq = req.cseq, dialog.acceptRemoteSequence(cseq) else {
            return [.transaction(.sendResponse(response(to: req, 500, reason: "Out of order CSeq"), key: key))]
        }
        leg.dialog = dialog
        legs[ref] = leg
        switch req.method {
        case .bye:
            // §15.1.2: 200 to BYE; an unanswered INVITE on this dialog gets 487.
            var out: [Output] = [.transaction(.sendResponse(response(to: req, 200), key: key))]
            if leg.isUAS, leg.state == .incoming || leg.state == .early, let ik = leg.inviteKey {
                out.append(.transaction(.sendResponse(response(to: leg.invite, 487, toTag: leg.localTag), key: ik)))
            }
            return out + end(ref, .remoteBye)
        case .info:
            return [.transaction(.sendResponse(response(to: req, 200), key: key)),
                    .event(.info(ref, contentType: req.contentType, body: req.body))]
        case .invite, .update:
            return offerInDialog(req, key: key, ref: ref)
        case .options:
            var r = response(to: req, 200)
            r.headers.add("Allow", UserAgentConfig.allow)
            return [.transaction(.sendResponse(r, key: key))]
        case .prack:
            // RFC 3262 §3: we never send reliable provisionals, so no PRACK can match.
            return [.transaction(.sendResponse(response(to: req, 481), key: key))]
        default:
            var r = response(to: req, 405)
            r.headers.add("Allow", UserAgentConfig.allow)
            return [.transaction(.sendResponse(r, key: key))]
        }
    }

    /// re-INVITE and UPDATE (RFC 3261 §14.2, RFC 3311 §5.2): hold/unhold, address changes,
    /// offerless re-INVITE, and session refreshes (RFC 4028).
    mutating func offerInDialog(_ req: SIPRequest, key: TransactionKey, ref: CallRef) -> [Output] {
        guard var leg = legs[ref] else { return [] }
        let isInvite = req.method == .invite
        if leg.state != .confirmed || leg.pending2xx != nil {
            // §14.2: an INVITE while ours is unanswered → 500 with Retry-After;
            // RFC 3311 §5.2 / RFC 3261 §14.2: an offer while one is pending → 491.
            var r = response(to: req, leg.pending2xx != nil ? 500 : 491)
            if r.statusCode == 500 { r.headers.add("Retry-After", "1") }
            return [.transaction(.sendResponse(r, key: key))]
        }
        let offer: SessionDescription?
        switch Self.offer(in: req, body: req.body) {
        case .success(let o): offer = o
        case .failure(let rej):
            var r = response(to: req, rej.statusCode, reason: rej.reason)
            for (n, v) in rej.headers { r.headers.add(n, v) }
            return [.transaction(.sendResponse(r, key: key))]
        }
        var r = response(to: req, 200)
        var out: [Output] = []
        if let offer, let caps = leg.capabilities, let ours = leg.localSDP {
            var origin = ours.origin
            origin.sessionVersion &+= 1
            do {
                let result = try OfferAnswer.answer(to: offer, capabilities: caps, origin: origin)
                leg.localSDP = result.answer
                leg.media = result.negotiated
                out.append(.event(.mediaChanged(ref, media: result.negotiated)))
            } catch {
                // §14.2: a rejected re-offer leaves the session as it was.
                return [.transaction(.sendResponse(response(to: req, 488), key: key))]
            }
        } else if isInvite, var ours = leg.localSDP {
            // Offerless re-INVITE: offer our current session again, the ACK carries the answer.
            ours.origin.sessionVersion &+= 1
            leg.localSDP = ours
            leg.awaitingAnswerInAck = true
        }
        if let sdp = leg.localSDP, offer != nil || isInvite {
            r.headers.add("Content-Type", "application/sdp")
            r.body = sdp.bytes()
        }
        var dialog = leg.dialog
        dialog?.refreshTarget(from: req)
        leg.dialog = dialog
        if let c = dialog?.localContact { r.headers.add("Contact", c.description) }
        // RFC 4028 §9: a refresh re-negotiates the interval the same way as the INVITE.
        let timer = config.sessionTimer.uasDecision(request: req.headers)
        if case .reject422(let minSE) = timer {
            var r422 = response(to: req, 422)
            r422.headers.add("Min-SE", String(minSE))
            return [.transaction(.sendResponse(r422, key: key))]
        }
        if case .accept = timer { leg.sessionTimer = timer }
        addSessionTimerHeaders(&r, leg: leg)
        legs[ref] = leg
        out += armSessionTimer(ref)
        if isInvite { return start2xx(ref, r, key: key) + out }
        return [.transaction(.sendResponse(r, key: key))] + out
    }
}
