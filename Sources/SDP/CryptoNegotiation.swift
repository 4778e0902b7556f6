/// The suite and keys agreed for one SRTP media stream: what `SRTPSession` is created from.
public struct NegotiatedCrypto: Sendable, Hashable {
    /// Tag of the accepted offer line (RFC 4568 §7.1.2: the answer echoes it).
    public var tag: Int
    /// The agreed suite.
    public var suite: CryptoSuite
    /// Our key||salt: protects what we send.
    public var localKey: [UInt8]
    /// The peer's key||salt: unprotects what we receive.
    public var remoteKey: [UInt8]

    /// Creates a negotiated result.
    public init(tag: Int, suite: CryptoSuite, localKey: [UInt8], remoteKey: [UInt8]) {
        self.tag = tag
        self.suite = suite
        self.localKey = localKey
        self.remoteKey = remoteKey
    }
}

/// Our answer to an SDES offer: the line to put in the answer SDP and the agreed keys.
public struct CryptoAnswer: Sendable, Equatable {
    /// The `a=crypto` attribute for our answer (same tag and suite as the accepted offer line).
    public var attribute: CryptoAttribute
    /// The agreed suite and keys.
    public var negotiated: NegotiatedCrypto

    /// Creates an answer result.
    public init(attribute: CryptoAttribute, negotiated: NegotiatedCrypto) {
        self.attribute = attribute
        self.negotiated = negotiated
    }
}

/// Why SDES negotiation failed; the SIP layer answers 488 for `noAcceptableCrypto`.
public enum CryptoNegotiationError: Error, Sendable, Equatable {
    /// No offered line is usable; one reason per offered line, in offer order.
    case noAcceptableCrypto(reasons: [String])
    /// The peer's answer does not match our offer or is unusable (RFC 4568 §7.1.3).
    case unacceptableAnswer(String)
    /// A key we were given has the wrong length for its suite (a caller bug, reported not trapped).
    case localKeyLength(expected: Int, actual: Int)
    /// `makeOffer` was given the wrong number of keys.
    case keyCount(expected: Int, actual: Int)

    /// Stable machine-readable code.
    public var code: String {
        switch self {
        case .noAcceptableCrypto: "sdp.crypto_not_acceptable"
        case .unacceptableAnswer: "sdp.crypto_bad_answer"
        case .localKeyLength: "sdp.crypto_local_key_length"
        case .keyCount: "sdp.crypto_key_count"
        }
    }

    /// Human-readable explanation.
    public var message: String {
        switch self {
        case .noAcceptableCrypto(let reasons):
            "no acceptable a=crypto line (we support "
                + CryptoSuite.offerOrder.map(\.rawValue).joined(separator: ", ")
                + " with one inline key and no MKI): " + reasons.joined(separator: "; ")
        case .unacceptableAnswer(let reason):
            "the a=crypto answer cannot be used: \(reason)"
        case .localKeyLength(let expected, let actual):
            "local SRTP key||salt must be \(expected) bytes, got \(actual)"
        case .keyCount(let expected, let actual):
            "an SDES offer needs \(expected) keys (one per suite), got \(actual)"
        }
    }
}

/// SDES offer/answer for SRTP (RFC 4568 §7.1.1–§7.1.3). Pure: keys are inputs, never generated.
public enum CryptoNegotiation {
    /// Builds our offer: one line per suite in `CryptoSuite.offerOrder` (tag 1 `_80`, tag 2
    /// `_32`), `keys[i]` being the 30-byte key||salt for line i.
    ///
    /// RFC 4568 §7.1.1: distinct keys per line, so the unused line's key is never exposed to use.
    public static func makeOffer(keys: [[UInt8]]) throws(CryptoNegotiationError) -> [CryptoAttribute] {
        let suites = CryptoSuite.offerOrder
        guard keys.count == suites.count else {
            throw .keyCount(expected: suites.count, actual: keys.count)
        }
        var lines: [CryptoAttribute] = []
        for (index, suite) in suites.enumerated() {
            let key = keys[index]
            guard key.count == suite.keySaltLength else {
                throw .localKeyLength(expected: suite.keySaltLength, actual: key.count)
            }
            lines.append(CryptoAttribute(tag: index + 1, suite: suite, keyParams: [KeyParam(keySalt: key)]))
        }
        return lines
    }

    /// Answers an offer given as raw attribute values (what follows `a=crypto:`); lines that do
    /// not parse are skipped (RFC 4568 §7.1.2: the answerer picks among lines it understands).
    public static func answer(
        offerValues: [String], localKey: [UInt8]
    ) throws(CryptoNegotiationError) -> CryptoAnswer {
        var parsed: [CryptoAttribute] = []
        var reasons: [String] = []
        for value in offerValues {
            do {
                parsed.append(try CryptoAttribute.parse(value))
            } catch {
                reasons.append("'\(value)': \(error.message)")
            }
        }
        do {
            return try answer(offer: parsed, localKey: localKey)
        } catch .noAcceptableCrypto(let more) {
            throw .noAcceptableCrypto(reasons: reasons + more)
        }
    }

    /// Answers an offer: picks the first acceptable line (offer order is the offerer's
    /// preference, RFC 4568 §7.1.2) and returns our line with the same tag and suite and
    /// `localKey` as our key.
    public static func answer(
        offer: [CryptoAttribute], localKey: [UInt8]
    ) throws(CryptoNegotiationError) -> CryptoAnswer {
        var reasons: [String] = []
        for line in offer {
            if let reason = rejectionReason(line) {
                reasons.append("tag \(line.tag): \(reason)")
                continue
            }
            // rejectionReason guarantees a supported suite and exactly one key.
            guard let suite = line.cryptoSuite, let remote = line.keyParams.first else { continue }
            guard localKey.count == suite.keySaltLength else {
                throw .localKeyLength(expected: suite.keySaltLength, actual: localKey.count)
            }
            // RFC 4568 §7.1.2: same tag and crypto-suite, our own key. We add no session
            // parameters: the ones we accept (KDR=0, FEC_*, WSH, "-" extensions) need no echo.
            let ours = CryptoAttribute(tag: line.tag, suite: line.suite, keyParams: [KeyParam(keySalt: localKey)])
            let negotiated = NegotiatedCrypto(
                tag: line.tag, suite: suite, localKey: localKey, remoteKey: remote.keySalt)
            return CryptoAnswer(attribute: ours, negotiated: negotiated)
        }
        if offer.isEmpty { reasons.append("the offer has no a=crypto line") }
        throw .noAcceptableCrypto(reasons: reasons)
    }

    /// Processes the peer's answer to our offer (RFC 4568 §7.1.3) given as raw values.
    public static func acceptAnswer(
        answerValues: [String], offer: [CryptoAttribute]
    ) throws(CryptoNegotiationError) -> NegotiatedCrypto {
        var parsed: [CryptoAttribute] = []
        for value in answerValues {
            do {
                parsed.append(try CryptoAttribute.parse(value))
            } catch {
                throw .unacceptableAnswer("'\(value)': \(error.message)")
            }
        }
        return try acceptAnswer(answer: parsed, offer: offer)
    }

    /// Processes the peer's answer to our offer (RFC 4568 §7.1.3): the answer line must carry
    /// the tag and suite of one of our lines, one usable key, and no parameter we refuse.
    public static func acceptAnswer(
        answer: [CryptoAttribute], offer: [CryptoAttribute]
    ) throws(CryptoNegotiationError) -> NegotiatedCrypto {
        // RFC 4568 §7.1.2: the answerer returns at most one crypto attribute per stream.
        guard answer.count == 1, let line = answer.first else {
            throw .unacceptableAnswer("expected exactly one a=crypto line, got \(answer.count)")
        }
        guard let ours = offer.first(where: { $0.tag == line.tag }) else {
            throw .unacceptableAnswer("tag \(line.tag) was not in our offer")
        }
        guard let suite = ours.cryptoSuite, CryptoSuite(name: line.suite) == suite else {
            throw .unacceptableAnswer("tag \(line.tag) answers with \(line.suite), we offered \(ours.suite)")
        }
        if let reason = rejectionReason(line) {
            throw .unacceptableAnswer("tag \(line.tag): \(reason)")
        }
        guard let local = ours.keyParams.first, ours.keyParams.count == 1,
              local.keySalt.count == suite.keySaltLength,
              let remote = line.keyParams.first
        else { throw .unacceptableAnswer("our offered line \(ours.tag) has no single usable key") }
        return NegotiatedCrypto(tag: line.tag, suite: suite, localKey: local.keySalt, remoteKey: remote.keySalt)
    }

    /// Why a line is unusable for us, or `nil` when it is acceptable.
    public static func rejectionReason(_ line: CryptoAttribute) -> String? {
        guard let suite = line.cryptoSuite else {
            return "unsupported crypto-suite \(line.suite)"
        }
        // RFC 4568 §6.1: several keys are only meaningful with MKIs, which we do not use.
        guard line.keyParams.count == 1, let key = line.keyParams.first else {
            return "\(line.keyParams.count) keys; we accept exactly one"
        }
        guard key.keySalt.count == suite.keySaltLength else {
            return "key||salt is \(key.keySalt.count) bytes, \(suite.rawValue) needs \(suite.keySaltLength)"
        }
        if key.mki != nil {
            return "MKI is not supported"
        }
        // Lifetime is accepted and not enforced: a call never comes near 2^31 packets and
        // libsrtp enforces the RFC 3711 §9.2 hard limit itself (srtp.key_expired).
        for param in line.sessionParams {
            if let reason = sessionParamRejection(param) { return reason }
        }
        return nil
    }

    /// RFC 4568 §6.3: which SRTP session parameters we can honour.
    private static func sessionParamRejection(_ param: String) -> String? {
        // RFC 4568 §6.3.7: a "-" prefix marks an optional parameter that MAY be ignored.
        if param.hasPrefix("-") { return nil }
        let name: Substring
        let argument: Substring
        if let equals = param.firstIndex(of: "=") {
            name = param[..<equals]
            argument = param[param.index(after: equals)...]
        } else {
            name = param[...]
            argument = ""
        }
        switch name.uppercased() {
        case "KDR":
            // RFC 4568 §6.3.1: KDR=0 (the default) means no key re-derivation; libsrtp keys
            // are derived once, so any other rate would desynchronise us from the peer.
            return argument == "0" ? nil : "\(param) (key re-derivation) is not supported"
        case "UNENCRYPTED_SRTP", "UNENCRYPTED_SRTCP", "UNAUTHENTICATED_SRTP":
            // RFC 4568 §6.3.2/§6.3.3: we always encrypt and authenticate.
            return "\(param) is not supported; we require encrypted, authenticated media"
        case "FEC_ORDER", "FEC_KEY":
            // RFC 4568 §6.3.4/§6.3.5: only matter when FEC is used, and we use none.
            return nil
        case "WSH":
            // RFC 4568 §6.3.6: a hint only; libsrtp's 128-packet window exceeds the minimum 64.
            return nil
        default:
            // RFC 4568 §6.3.7: an unknown mandatory parameter makes the attribute invalid.
            return "unknown mandatory session parameter \(param)"
        }
    }
}
