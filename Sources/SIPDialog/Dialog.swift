import SIPSyntax

/// The state of one SIP dialog (RFC 3261 §12): the identifiers, sequence numbers, targets
/// and route set both sides agreed on when it was created.
public struct Dialog: Hashable, Sendable {
    public struct ID: Hashable, Sendable, CustomStringConvertible {
        public var callID: String
        public var localTag: String
        public var remoteTag: String
        public init(callID: String, localTag: String, remoteTag: String) {
            self.callID = callID
            self.localTag = localTag
            self.remoteTag = remoteTag
        }
        public var description: String { "\(callID);l=\(localTag);r=\(remoteTag)" }
    }

    public var id: ID
    /// Our CSeq for the next request we send in the dialog (§12.2.1.1).
    public var localSeq: UInt32
    /// The highest CSeq the peer has used; nil until it sends a request (§12.2.2).
    public var remoteSeq: UInt32?
    /// Our own URI and the peer's, as in From/To (with their tags written on output).
    public var localURI: NameAddr
    public var remoteURI: NameAddr
    /// Where in-dialog requests go: the peer's Contact (§12.1.1, updated by target refresh).
    public var remoteTarget: SIPURI
    /// Route set from Record-Route (§12.1.1 reversed for the UAC, as-is for the UAS).
    public var routeSet: [String]
    /// Our Contact, sent in requests and 2xx responses.
    public var localContact: NameAddr

    /// Builds the dialog a UAS creates when it sends a response with a To tag (§12.1.1).
    public static func uas(request: SIPRequest, localTag: String, localContact: NameAddr) -> Dialog? {
        guard let callID = request.callID, let from = request.from, let remoteTag = from.tag,
              var to = request.to, let cseq = request.cseq else { return nil }
        to.tag = localTag
        let target = request.contacts.first?.uri ?? from.uri
        return Dialog(id: ID(callID: callID, localTag: localTag, remoteTag: remoteTag),
                      localSeq: 1, remoteSeq: cseq.sequence, localURI: to, remoteURI: from,
                      remoteTarget: target, routeSet: request.headers.values("Record-Route"),
                      localContact: localContact)
    }

    /// Builds the dialog a UAC creates from a response carrying a To tag (§12.1.2).
    public static func uac(request: SIPRequest, response: SIPResponse, localContact: NameAddr) -> Dialog? {
        guard let callID = request.callID, let from = request.from, let localTag = from.tag,
              let to = response.to, let remoteTag = to.tag, let cseq = request.cseq else { return nil }
        let target = response.contacts.first?.uri ?? request.uri
        return Dialog(id: ID(callID: callID, localTag: localTag, remoteTag: remoteTag),
                      localSeq: cseq.sequence, remoteSeq: nil, localURI: from, remoteURI: to,
                      remoteTarget: target, routeSet: response.headers.values("Record-Route").reversed(),
                      localContact: localContact)
    }

    /// Builds a request within the dialog (§12.2.1.1). `via` is the top Via (with a fresh
    /// branch) chosen by the caller; ACK and CANCEL reuse the CSeq number they acknowledge.
    public mutating func makeRequest(_ method: SIPMethod, via: Via, cseqOverride: UInt32? = nil,
                                     maxForwards: Int = 70, userAgent: String? = nil) -> SIPRequest {
        let seq: UInt32
        if let o = cseqOverride {
            seq = o
        } else {
            localSeq &+= 1
            seq = localSeq
        }
        var h = SIPHeaders()
        h.add("Via", via.description)
        h.add("Max-Forwards", String(maxForwards))
        // §12.2.1.1: with a loose-routing route set, the Request-URI is the remote target and
        // the route set goes into Route; a strict router (no ;lr) gets the target appended.
        var uri = remoteTarget
        if let first = routeSet.first, let firstAddr = try? NameAddr.parse(first) {
            if firstAddr.uri.params.has("lr") {
                for r in routeSet { h.add("Route", r) }
            } else {
                uri = firstAddr.uri
                for r in routeSet.dropFirst() { h.add("Route", r) }
                h.add("Route", "<\(remoteTarget)>")
            }
        }
        h.add("From", localURI.description)
        h.add("To", remoteURI.description)
        h.add("Call-ID", id.callID)
        h.add("CSeq", "\(seq) \(method)")
        if method != .ack && method != .cancel { h.add("Contact", localContact.description) }
        if let ua = userAgent { h.add("User-Agent", ua) }
        return SIPRequest(method: method, uri: uri, headers: h)
    }

    /// Applies §12.2.2 to a request received in this dialog: CSeq must grow (ACK and CANCEL
    /// reuse the INVITE's). Returns false for an out-of-order request (answer 500).
    public mutating func acceptRemoteSequence(_ cseq: CSeq) -> Bool {
        if cseq.method == .ack || cseq.method == .cancel { return true }
        if let last = remoteSeq, cseq.sequence <= last { return false }
        remoteSeq = cseq.sequence
        return true
    }

    /// A target refresh (re-INVITE, UPDATE) replaces the remote target with its Contact.
    public mutating func refreshTarget(from message: some SIPHeaderAccess) {
        if let c = message.contacts.first { remoteTarget = c.uri }
    }
}
