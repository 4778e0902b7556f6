import SIPSyntax
@testable import SIPTransaction

struct FixtureError: Error, CustomStringConvertible {
    var description: String
}

/// Message builders for the tests: requests are written as wire text and parsed, so the
/// layer sees exactly what the transport would hand it.
enum Fx {
    /// The remote phone / carrier.
    static let phone = TransportAddress(host: "10.0.0.1", port: 5060)
    /// Us.
    static let pbx = TransportAddress(host: "10.0.0.2", port: 5060)

    /// Builds a request. `sentBy` defaults to the phone's address; `branch: nil` omits it.
    static func request(_ method: String, branch: String? = "z9hG4bK-1", sentBy: String = "10.0.0.1:5060",
                        transport: String = "UDP", rport: Bool = false, callID: String = "call-1",
                        cseq: UInt32 = 1, cseqMethod: String? = nil, fromTag: String = "ft", toTag: String? = nil,
                        uri: String = "sip:bob@10.0.0.2", extraVias: [String] = [], extra: [String] = []) throws -> SIPRequest {
        var via = "Via: SIP/2.0/\(transport) \(sentBy)"
        if let branch { via += ";branch=\(branch)" }
        if rport { via += ";rport" }
        var lines = ["\(method) \(uri) SIP/2.0", via]
        lines += extraVias.map { "Via: \($0)" }
        lines += [
            "Max-Forwards: 70",
            "From: <sip:alice@10.0.0.1>;tag=\(fromTag)",
            "To: <sip:bob@10.0.0.2>" + (toTag.map { ";tag=\($0)" } ?? ""),
            "Call-ID: \(callID)",
            "CSeq: \(cseq) \(cseqMethod ?? method)",
        ]
        lines += extra
        return try parseRequest(lines.joined(separator: "\r\n") + "\r\n\r\n")
    }

    static func parseRequest(_ text: String) throws -> SIPRequest {
        guard case .success(.request(let r)) = SIPParser().parse(text) else {
            throw FixtureError(description: "fixture is not a request: \(text)")
        }
        return r
    }

    /// A response to a request (RFC 3261 §8.2.6.2 copy rules, via SIPSyntax).
    static func response(_ request: SIPRequest, _ code: Int, toTag: String? = "tt") -> SIPResponse {
        SIPResponse(to: request, statusCode: code, toTag: toTag)
    }

    /// The ACK the UAC core sends for a 2xx (§13.2.2.4): a new branch, To with the 2xx tag.
    static func ackFor2xx(_ invite: SIPRequest, _ ok: SIPResponse, branch: String) throws -> SIPRequest {
        var h = SIPHeaders()
        h.add("Via", "SIP/2.0/UDP \(invite.topVia?.host ?? "10.0.0.1"):\(invite.topVia?.port ?? 5060);branch=\(branch)")
        h.add("Max-Forwards", "70")
        h.add("From", invite.headers["From"] ?? "")
        h.add("To", ok.headers["To"] ?? "")
        h.add("Call-ID", invite.headers["Call-ID"] ?? "")
        h.add("CSeq", "\(invite.cseq?.sequence ?? 1) ACK")
        return SIPRequest(method: .ack, uri: invite.uri, headers: h)
    }

    /// Server key of a request as the layer computes it.
    static func serverKey(_ r: SIPRequest) throws -> TransactionKey {
        guard let k = TransactionLayer().serverKey(for: r) else { throw FixtureError(description: "no server key") }
        return k
    }

    /// Client key of a request as the layer computes it.
    static func clientKey(_ r: SIPRequest) throws -> TransactionKey {
        guard let k = TransactionLayer().clientKey(for: r) else { throw FixtureError(description: "no client key") }
        return k
    }
}

extension TransactionAction {
    /// The transmitted message, if this is a transmit.
    var transmitted: SIPMessage? {
        if case .transmit(let m, _) = self { return m }
        return nil
    }

    /// A short label for order/kind assertions: "transmit 100", "startTimer B 32.0", …
    var label: String {
        switch self {
        case .transmit(.request(let r), _): "transmit \(r.method)"
        case .transmit(.response(let r), _): "transmit \(r.statusCode)"
        case .startTimer(let id, let d): "startTimer \(id.name.rawValue) \(seconds(d))"
        case .cancelTimer(let id): "cancelTimer \(id.name.rawValue)"
        case .deliverRequest(let r, _, _): "deliverRequest \(r.method)"
        case .deliverAck: "deliverAck"
        case .deliverResponse(let r, _): "deliverResponse \(r.statusCode)"
        case .deliverStrayResponse(let r, _): "deliverStrayResponse \(r.statusCode)"
        case .timedOut: "timedOut"
        case .terminated: "terminated"
        }
    }
}

extension SIPMessage {
    var request: SIPRequest? { if case .request(let r) = self { return r }; return nil }
    var response: SIPResponse? { if case .response(let r) = self { return r }; return nil }
}
