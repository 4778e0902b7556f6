import Testing
@testable import SIPSyntax

/// What a torture message must produce, exactly.
enum TortureOutcome: Sendable, Equatable {
    /// Parses, passes `RequestValidator.validate`, and round-trips through the serializer.
    case valid
    /// Parses and round-trips; the validator answers this status code.
    case rejected(Int)
    /// The parser fails with this kind; `answerable` says whether a 400 can still be built.
    case parseFailure(SIPParseError.Kind, answerable: Bool)
    /// A response that parses and that a client transaction may use.
    case responseUsable
    /// A response that parses but must be dropped for this reason.
    case responseDropped(SIPParseError.Kind)
}

struct TortureCase: Sendable, CustomTestStringConvertible {
    let section: String
    let name: String
    let bytes: [UInt8]
    let outcome: TortureOutcome
    var testDescription: String { "RFC 4475 §\(section) \(name)" }
}

/// Helpers shared by the torture, URI and mutation tests.
enum Torture {
    static let extensions: Set<String> = ["timer", "100rel", "replaces"]
    /// Re-parses without size limits: canonical names and re-escaped URIs may grow the text.
    static let unlimited = SIPParser(maxMessageBytes: .max, maxHeaders: .max)

    static func request(_ bytes: [UInt8]) throws -> SIPRequest {
        guard case .request(let r) = try SIPParser().parse(bytes).get() else { throw Mismatch.notARequest }
        return r
    }

    static func response(_ bytes: [UInt8]) throws -> SIPResponse {
        guard case .response(let r) = try SIPParser().parse(bytes).get() else { throw Mismatch.notAResponse }
        return r
    }

    /// parse(serialize(m)) == m
    static func roundTrips(_ m: SIPMessage) -> Bool {
        guard case .success(let again) = unlimited.parse(SIPSerializer.serialize(m)) else { return false }
        return again == m
    }

    enum Mismatch: Error { case notARequest, notAResponse }
}

@Suite struct RFC4475Tests {
    typealias M = TortureMessages

    static let cases: [TortureCase] = [
        // §3.1.1 valid messages
        TortureCase(section: "3.1.1.1", name: "short tortuous INVITE", bytes: M.tortuousInvite, outcome: .valid),
        TortureCase(section: "3.1.1.2", name: "wide range of valid characters", bytes: M.wideRangeOfCharacters, outcome: .valid),
        TortureCase(section: "3.1.1.3", name: "valid % escaping", bytes: M.validEscapes, outcome: .valid),
        TortureCase(section: "3.1.1.4", name: "escaped nulls in URIs", bytes: M.escapedNulls, outcome: .valid),
        TortureCase(section: "3.1.1.5", name: "% that is not an escape", bytes: M.percentNotEscape, outcome: .valid),
        TortureCase(section: "3.1.1.6", name: "no LWS between display name and <", bytes: M.noSpaceBeforeAngle, outcome: .valid),
        TortureCase(section: "3.1.1.7", name: "long values in header fields", bytes: M.longValues, outcome: .valid),
        TortureCase(section: "3.1.1.8", name: "extra trailing octets in a UDP datagram", bytes: M.trailingOctets, outcome: .valid),
        TortureCase(section: "3.1.1.9", name: "semicolon-separated parameters in URI user part", bytes: M.semicolonUser, outcome: .valid),
        TortureCase(section: "3.1.1.10", name: "varied and unknown transport types", bytes: M.variedTransports, outcome: .valid),
        TortureCase(section: "3.1.1.11", name: "multipart MIME message", bytes: M.multipartMessage, outcome: .valid),
        TortureCase(section: "3.1.1.12", name: "unusual reason phrase", bytes: M.unusualReason, outcome: .responseUsable),
        TortureCase(section: "3.1.1.13", name: "empty reason phrase", bytes: M.emptyReason, outcome: .responseUsable),
        // §3.1.2 invalid messages
        TortureCase(section: "3.1.2.1", name: "extraneous header field separators", bytes: M.extraneousSeparators, outcome: .rejected(400)),
        TortureCase(section: "3.1.2.2", name: "Content-Length larger than message", bytes: M.contentLengthTooLarge, outcome: .parseFailure(.truncatedBody, answerable: true)),
        TortureCase(section: "3.1.2.3", name: "negative Content-Length", bytes: M.negativeContentLength, outcome: .parseFailure(.badContentLength, answerable: true)),
        TortureCase(section: "3.1.2.4", name: "request scalar fields with overlarge values", bytes: M.overlargeRequestScalars, outcome: .rejected(400)),
        TortureCase(section: "3.1.2.5", name: "response scalar fields with overlarge values", bytes: M.overlargeResponseScalars, outcome: .responseDropped(.badHeader)),
        TortureCase(section: "3.1.2.6", name: "unterminated quoted string in display name", bytes: M.unterminatedQuote, outcome: .rejected(400)),
        TortureCase(section: "3.1.2.7", name: "<> enclosing Request-URI", bytes: M.angleBracketRequestURI, outcome: .parseFailure(.badURI, answerable: true)),
        TortureCase(section: "3.1.2.8", name: "malformed Request-URI (embedded LWS)", bytes: M.lwsInRequestURI, outcome: .parseFailure(.badStartLine, answerable: true)),
        TortureCase(section: "3.1.2.9", name: "multiple SP separating Request-Line elements", bytes: M.multipleSPRequestLine, outcome: .parseFailure(.badStartLine, answerable: true)),
        TortureCase(section: "3.1.2.10", name: "SP characters at end of Request-Line", bytes: M.trailingSPRequestLine, outcome: .parseFailure(.badStartLine, answerable: true)),
        TortureCase(section: "3.1.2.11", name: "escaped headers in SIP Request-URI", bytes: M.escapedHeadersInRequestURI, outcome: .rejected(400)),
        TortureCase(section: "3.1.2.12", name: "invalid time zone in Date (accepted)", bytes: M.invalidTimeZoneDate, outcome: .valid),
        TortureCase(section: "3.1.2.13", name: "failure to enclose name-addr URI in <>", bytes: M.unenclosedContactURI, outcome: .rejected(400)),
        TortureCase(section: "3.1.2.14", name: "spaces within addr-spec", bytes: M.spacesInAddrSpec, outcome: .rejected(400)),
        TortureCase(section: "3.1.2.15", name: "non-token characters in display name", bytes: M.nonTokenDisplayName, outcome: .rejected(400)),
        TortureCase(section: "3.1.2.16", name: "unknown protocol version", bytes: M.unknownProtocolVersion, outcome: .rejected(505)),
        TortureCase(section: "3.1.2.17", name: "start line and CSeq method mismatch", bytes: M.cseqMethodMismatch, outcome: .rejected(400)),
        TortureCase(section: "3.1.2.18", name: "unknown method with CSeq method mismatch", bytes: M.unknownMethodMismatch, outcome: .rejected(400)),
        TortureCase(section: "3.1.2.19", name: "overlarge response code", bytes: M.overlargeResponseCode, outcome: .parseFailure(.badStartLine, answerable: false)),
        // §3.2 transaction layer
        TortureCase(section: "3.2.1", name: "missing transaction identifier", bytes: M.missingBranchID, outcome: .valid),
        // §3.3 application layer
        TortureCase(section: "3.3.1", name: "missing required header fields", bytes: M.missingRequiredHeaders, outcome: .rejected(400)),
        TortureCase(section: "extra", name: "Require without values", bytes: M.emptyRequire, outcome: .valid),
        TortureCase(section: "3.3.2", name: "Request-URI with unknown scheme", bytes: M.unknownRequestURIScheme, outcome: .rejected(416)),
        TortureCase(section: "3.3.3", name: "Request-URI with atypical scheme", bytes: M.novelRequestURIScheme, outcome: .rejected(416)),
        TortureCase(section: "3.3.4", name: "unknown URI schemes in header fields", bytes: M.unknownSchemesInHeaders, outcome: .valid),
        TortureCase(section: "3.3.5", name: "Proxy-Require and Require", bytes: M.unknownRequire, outcome: .rejected(420)),
        TortureCase(section: "3.3.6", name: "unknown Content-Type", bytes: M.unknownContentType, outcome: .valid),
        TortureCase(section: "3.3.7", name: "unknown authorization scheme", bytes: M.unknownAuthScheme, outcome: .valid),
        TortureCase(section: "3.3.8", name: "multiple values in single-value headers", bytes: M.multipleSingleValues, outcome: .rejected(400)),
        TortureCase(section: "3.3.9", name: "multiple Content-Length values", bytes: M.multipleContentLengths, outcome: .parseFailure(.badContentLength, answerable: true)),
        TortureCase(section: "3.3.10", name: "200 OK with broken Via", bytes: M.brokenViaResponse, outcome: .responseUsable),
        TortureCase(section: "3.3.11", name: "Max-Forwards of zero", bytes: M.zeroMaxForwards, outcome: .valid),
        TortureCase(section: "extra", name: "REGISTER with Contact *", bytes: M.registerContactStar, outcome: .valid),
        TortureCase(section: "3.3.12", name: "REGISTER with a Contact header parameter", bytes: M.registerContactParam, outcome: .valid),
        TortureCase(section: "3.3.13", name: "REGISTER with a URI parameter", bytes: M.registerContactURIParam, outcome: .valid),
        TortureCase(section: "3.3.14", name: "REGISTER with URL-escaped header", bytes: M.registerEscapedHeader, outcome: .valid),
        TortureCase(section: "3.3.15", name: "unacceptable Accept offering", bytes: M.unacceptableAccept, outcome: .valid),
        TortureCase(section: "extra", name: "SIP/7.0 request with a SIP/2.0 Via", bytes: M.version7Request, outcome: .rejected(505)),
        // §3.4 backward compatibility
        TortureCase(section: "3.4.1", name: "INVITE with RFC 2543 syntax", bytes: M.rfc2543Invite, outcome: .valid),
        TortureCase(section: "extra", name: "keep-alive CRLFs, bare LF, tab folding, IPv6 Via", bytes: M.bareLFAndKeepAlive, outcome: .valid),
    ]

    @Test(arguments: cases)
    func outcome(_ c: TortureCase) throws {
        let result = SIPParser().parse(c.bytes)
        if case .parseFailure(let kind, let answerable) = c.outcome {
            guard case .failure(let f) = result else {
                Issue.record("expected \(kind) but the message parsed")
                return
            }
            #expect(f.error.kind == kind, "\(f.error)")
            let answer = f.headers.flatMap { SIPResponse(toUnparsable: $0, statusCode: 400, reason: f.error.reason) }
            #expect((answer != nil) == answerable)
            if let answer {
                #expect(f.isRequest)
                #expect(answer.headers.fields.map(\.key).sorted() == ["call-id", "cseq", "from", "to", "via"])
                let sent = try Torture.response(SIPSerializer.serialize(answer))
                #expect(sent.statusCode == 400 && sent.callID == f.headers?["Call-ID"])
            }
            return
        }
        let message = try result.get()
        #expect(Torture.roundTrips(message), "serializer round trip changed the message")
        switch (c.outcome, message) {
        case (.valid, .request(let r)):
            let rejection = RequestValidator.validate(r, supportedExtensions: Torture.extensions)
            #expect(rejection == nil, "rejected: \(String(describing: rejection))")
        case (.rejected(let code), .request(let r)):
            let rejection = RequestValidator.validate(r, supportedExtensions: Torture.extensions)
            #expect(rejection?.statusCode == code, "got \(String(describing: rejection))")
            // The rejection can be sent: the response copies what routes it back (§8.2.6.2).
            let answer = SIPResponse(to: r, statusCode: code, reason: rejection?.reason)
            #expect(answer.statusCode == code)
            #expect(answer.headers.rawValues("Via") == r.headers.rawValues("Via"))
            #expect(answer.callID == r.callID)
            let sent = try Torture.response(SIPSerializer.serialize(answer))
            #expect(sent.statusCode == code && sent.cseq == answer.cseq)
        case (.responseUsable, .response(let r)):
            #expect(RequestValidator.check(r) == nil)
        case (.responseDropped(let kind), .response(let r)):
            #expect(RequestValidator.check(r)?.kind == kind)
        default:
            Issue.record("message kind does not match the expected outcome \(c.outcome)")
        }
    }

    @Test func everySectionOfTheRFCIsCovered() {
        let sections = Set(Self.cases.map(\.section))
        let valid = (1...13).map { "3.1.1.\($0)" }, invalid = (1...19).map { "3.1.2.\($0)" }
        let application = (1...15).map { "3.3.\($0)" }
        for s in valid + invalid + application + ["3.2.1", "3.4.1"] {
            #expect(sections.contains(s), "RFC 4475 §\(s) has no case")
        }
    }
}
