import SDP
import SIPSyntax
import SIPTransaction

/// The UAS side: requests arriving from peers (RFC 3261 §8.2, §12.2.2, §13.3, §14.2, §15.1.2).
extension UserAgent {
    mutating func receiveRequest(_ req: SIPRequest, key: TransactionKey, from: TransportAddress) -> [Output] {
        if let rejection = RequestValidator.validate(req, supportedExtensions: Set(config.supported)) {
            var r = response(to: req, rejection.statusCode, reason: rejection.reason, toTag: newID())
            for (n, v) in rejection.headers { r.headers.add(n, v) }
            return [.transaction(.sendResponse(r, key: key))]
        }
        let inDialog = req.toTag != nil
        switch req.method {
        case .invite:
            return inDialog ? inDialogRequest(req, key: key, from: from) : newInvite(req, key: key, from: from)
        case .cancel:
            return receiveCancel(req, key: key)
        case .options:
            // §11.2: capabilities, in or out of a dialog.
            var r = response(to: req, 200, toTag: inDialog ? nil : newID())
            r.headers.add("Allow", UserAgentConfig.allow)
            r.headers.add("Accept", UserAgentConfig.accept)
            r.headers.add("Supported", config.supported.joined(separator: ", "))
            return [.transaction(.sendResponse(r, key: key))]
        case .bye, .info, .update, .prack:
            guard inDialog else { return [.transaction(.sendResponse(response(to: req, 481, toTag: newID()), key: key))] }
            return inDialogRequest(req, key: key, from: from)
        case .ack:
            return [] // ACKs arrive through deliverAck
        case .register, .subscribe, .notify, .refer, .message, .publish:
            // §8.2.1: a method we know but do not support here → 405 with Allow.
            var r = response(to: req, 405, toTag: newID())
            r.headers.add("Allow", UserAgentConfig.allow)
            return [.transaction(.sendResponse(r, key: key))]
        case .other:
            var r = response(to: req, 501, toTag: newID())
            r.headers.add("Allow", UserAgentConfig.allow)
            return [.transaction(.sendResponse(r, key: key))]
        }
    }

    /// The offer in a request or response body: application/sdp, possibly inside
    /// multipart/mixed (SIP-I carriers send SDP next to ISUP). nil when there is no body.
    static func offer(in message: some SIPHeaderAccess, body: [UInt8]) -> Result<SessionDescription?, RequestValidator.Rejection> {
        guard !body.isEmpty else { return .success(nil) }
        var sdpBytes = body
        let type = (message.contentType ?? "application/sdp").lowercased()
        if type.hasPrefix("multipart/") {
            guard let part = MultipartBody.part(ofType: "application/sdp", contentType: message.contentType ?? "", body: body) else {
                return .failure(.init(415, "Unsupported Media Type", headers: [("Accept", "application/sdp")]))
            }
            sdpBytes = part
        } else if !type.hasPrefix("application/sdp") {
            return .failure(.init(415, "Unsupported Media Type", headers: [("Accept", "application/sdp")]))
        }
        do {
            return .success(try SessionDescription.parse(sdpBytes))
        } catch {
            return .failure(.init(400, "Malformed SDP: \(error.message)"))
        }
    }

    mutating func newInvite(_ req: SIPRequest, key: TransactionKey, from: TransportAddress) -> [Output] {
        let offer: SessionDescription?
        switch Self.offer(in: req, body: req.body) {
        case .success(let o): offer = o
        case .failure(let rej):
            var r = response(to: req, rej.statusCode, reason: rej.reason, toTag: newID())
            for (n, v) in rej.headers { r.headers.add(n, v) }
            return [.transaction(.sendResponse(r, key: key))]
        }
        // RFC 4028 §8.1: refuse intervals below our Min-SE with 422.
        let timer = config.sessionTimer.uasDecision(request: req.headers)
        if case .reject422(let minSE) = timer {
            var r = response(to: req, 422, toTag: newID())
            r.headers.add("Min-SE", String(minSE))
            return [.transaction(.sendResponse(r, key: key))]
        }
        let ref = newRef()
        var leg = Leg(ref: ref, isUAS: true, state: .incoming, invite: req, inviteKey: key,
                      localTag: newID(), peer: from)
        leg.sessionTimer = timer
        leg.remoteOffer = offer
        leg.peerAllow = req.headers.values("Allow").map { $0.uppercased() }
        legs[ref] = leg
        byInviteKey[key] = ref
        return [.event(.incoming(ref, invite: req, offer: offer))]
    }

    /// §9.2: CANCEL gets 200; the INVITE it cancels gets 487 if still unanswered.
    mutating func receiveCancel(_ req: SIPRequest, key: TransactionKey) -> [Output] {
        guard let (ref, leg) = legForCancel(req) else {
            return [.transaction(.sendResponse(response(to: req, 481, toTag: newID()), key: key))]
        }
        var out: [Output] = [.transaction(.sendResponse(response(to: req, 200, toTag: leg.localTag), key: key))]
        guard leg.isUAS, leg.state == .incoming || leg.state == .early, let inviteKey = leg.inviteKey else { return out }
        out.append(.transaction(.sendResponse(response(to: leg.invite, 487, toTag: leg.localTag), key: inviteKey)))
        out += end(ref, .cancelled)
        return out
    }

    /// A CANCEL matches the INVITE with the same Call-ID, CSeq number, From tag and top Via
    /// branch (§9.1 builds it that way; RFC 2543 peers differ only in the branch).
    func legForCancel(_ cancel: SIPRequest) -> (CallRef, Leg)? {
        guard let callID = cancel.callID, let cseq = cancel.cseq else { return nil }
        let branch = cancel.topVia?.branch
        for (ref, leg) in legs where leg.isUAS && leg.invite.callID == callID
            && leg.invite.cseq?.sequence == cseq.sequence && leg.invite.fromTag == cancel.fromTag
            && (branch == nil || leg.invite.topVia?.branch == branch) {
            return (ref, leg)
        }
        return nil
    }

    func dialogID(forIncoming req: SIPRequest) -> Dialog.ID? {
        guard let callID = req.callID, let local = req.toTag else { return nil }
        return Dialog.ID(callID: callID, localTag: local, remoteTag: req.fromTag ?? "")
    }

    mutating func ring(_ ref: CallRef) -> [Output] {
        guard var leg = legs[ref], leg.isUAS, leg.state == .incoming || leg.state == .early, let key = leg.inviteKey else { return [] }
        var r = response(to: leg.invite, 180, toTag: leg.localTag)
        let contact = self.contact(for: leg.peer, user: leg.invite.uri.user)
        r.headers.add("Contact", contact.description)
        if leg.dialog == nil, let d = Dialog.uas(request: leg.invite, localTag: leg.localTag, localContact: contact) {
            leg.dialog = d
            byDialog[d.id] = ref
        }
        leg.state = .early
        legs[ref] = leg
        return [.transaction(.sendResponse(r, key: key))]
    }

    mutating func reject(_ ref: CallRef, _ code: Int, _ reason: String?, _ headers: [(String, String)]) -> [Output] {
        guard let leg = legs[ref], leg.isUAS, leg.state == .incoming || leg.state == .early, let key = leg.inviteKey else {
            return []
        }
        let status = (300...699).contains(code) ? code : 500
        var r = response(to: leg.invite, status, reason: reason, toTag: leg.localTag)
        for (n, v) in headers { r.headers.add(n, v) }
        return [.transaction(.sendResponse(r, key: key))] + end(ref, .rejected(status))
    }

    mutating func hangup(_ ref: CallRef) -> [Output] {
        guard var leg = legs[ref] else { return [] }
        switch leg.state {
        case .incoming, .early:
            if leg.isUAS { return reject(ref, 480, nil, []) }
            return cancelOutgoing(ref)
        case .calling:
            return cancelOutgoing(ref)
        case .waitingAck:
            // §15: the callee must not send BYE before the ACK (or its timeout).
            leg.hangupAfterAck = true
            legs[ref] = leg
            return []
        case .confirmed:
            return sendBye(ref, reason: .localBye)
        }
    }
}
