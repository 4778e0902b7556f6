import SIPSyntax

/// RFC 2543 transaction matching (RFC 3261 §17.2.3, last paragraphs), for requests whose top
/// Via branch lacks the "z9hG4bK" magic cookie.
///
/// Such a request matches a transaction when its Request-URI, To tag, From tag, Call-ID, CSeq
/// and top Via equal those of the request that created it. Those fields are folded into a
/// synthetic branch, so INVITE/non-INVITE retransmissions and CANCEL still hash in O(1). Only
/// the ACK needs a scan: its To tag is the one from our final response, not the INVITE's.
enum LegacyMatching {
    /// Marks synthetic branches; a real branch never takes part in a legacy key.
    static let prefix = "rfc2543 "

    /// The matching fields except the To tag and the method. SP separates them because no
    /// serialized URI, tag, Call-ID or Via token can contain one.
    static func identity(of request: SIPRequest, via: Via) -> String? {
        guard let callID = request.callID, let cseq = request.cseq else { return nil }
        var s = prefix
        s += request.uri.description
        s += " "
        s += request.fromTag ?? ""
        s += " "
        s += callID
        s += " "
        s += String(cseq.sequence)
        s += " "
        // §20.42: the top Via compares by sent-protocol, sent-by (in the key) and parameters;
        // received/rport are ours (stamped on arrival), so only the branch takes part.
        s += via.transport
        s += " "
        s += via.branch ?? ""
        return s
    }

    /// The key of a request under the RFC 2543 rules, as the transaction `method` would see it.
    static func key(for request: SIPRequest, via: Via, method: SIPMethod) -> TransactionKey? {
        guard let id = identity(of: request, via: via) else { return nil }
        let branch = id + " " + (request.toTag ?? "")
        return TransactionKey(isServer: true, branch: branch, sentBy: TransactionKey.sentBy(of: via), method: method)
    }

    /// §17.2.3: an ACK matches when the Request-URI, From tag, Call-ID, CSeq number and top Via
    /// match the INVITE, and its To tag equals the tag of the response the server sent.
    static func ackMatches(_ ack: SIPRequest, ackVia: Via, ackIdentity: String,
                           invite: SIPRequest, responseToTag: String?) -> Bool {
        guard let inviteVia = invite.topVia,
              TransactionKey.sentBy(of: inviteVia) == TransactionKey.sentBy(of: ackVia),
              identity(of: invite, via: inviteVia) == ackIdentity else { return false }
        return ack.toTag == responseToTag
    }
}
