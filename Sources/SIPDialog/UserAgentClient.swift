import SDP
import SIPSyntax
import SIPTransaction

/// Responses to requests we sent inside dialogs (BYE, session refreshes) and the handling of
/// our own transactions' failures. Outgoing INVITEs (the UAC side for Dial and the test
/// phone) build on this.
extension UserAgent {
    mutating func receiveResponse(_ resp: SIPResponse, key: TransactionKey) -> [Output] {
        guard let ref = refreshes[key] else { return [] } // BYE answers need nothing more
        guard resp.isFinal else { return [] }
        refreshes[key] = nil
        guard var leg = legs[ref] else { return [] }
        if resp.isSuccess {
            var out: [Output] = []
            if resp.cseq?.method == .invite, var dialog = leg.dialog {
                // §13.2.2.4: the UAC acknowledges every 2xx itself, outside the transaction.
                let l = local(for: leg.peer)
                let via = Via(host: l.uriHost, port: l.port, branch: newBranch())
                let ack = dialog.makeRequest(.ack, via: via, cseqOverride: resp.cseq?.sequence)
                leg.dialog = dialog
                legs[ref] = leg
                out.append(.transmit(.request(ack), to: destination(for: ack, fallback: leg.peer)))
            }
            return out
        }
        // RFC 4028 §10 / RFC 3261 §12.2.1.2: 481 or 408 to a refresh means the dialog is gone.
        if resp.statusCode == 481 || resp.statusCode == 408 {
            return end(ref, .sessionExpired)
        }
        return []
    }

    /// A 2xx retransmission for an INVITE whose transaction is gone: re-send the ACK
    /// (§13.2.2.4). We keep no ACK copies, so we rebuild it from the dialog.
    mutating func receiveStrayResponse(_ resp: SIPResponse, from: TransportAddress) -> [Output] {
        guard resp.isSuccess, resp.cseq?.method == .invite, let callID = resp.callID,
              let local = resp.from?.tag, let remote = resp.to?.tag,
              let ref = byDialog[Dialog.ID(callID: callID, localTag: local, remoteTag: remote)],
              var leg = legs[ref], var dialog = leg.dialog else { return [] }
        let l = self.local(for: from)
        let via = Via(host: l.uriHost, port: l.port, branch: newBranch())
        let ack = dialog.makeRequest(.ack, via: via, cseqOverride: resp.cseq?.sequence)
        leg.dialog = dialog
        legs[ref] = leg
        return [.transmit(.request(ack), to: destination(for: ack, fallback: from))]
    }

    mutating func transactionTimedOut(_ key: TransactionKey) -> [Output] {
        if let ref = refreshes.removeValue(forKey: key) {
            // The peer no longer answers in-dialog requests: the session is dead.
            return end(ref, .requestTimeout)
        }
        if let ref = byInviteKey[key], let leg = legs[ref], leg.isUAS, leg.state == .incoming || leg.state == .early {
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

    /// Ends an outgoing leg before answer. Outgoing INVITEs are not built yet, so a leg in
    /// these states can only be one we received; end it with a final response.
    mutating func cancelOutgoing(_ ref: CallRef) -> [Output] {
        end(ref, .localBye)
    }
}
