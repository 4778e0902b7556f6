import SIPSyntax

/// libFuzzer entry point: parse, validate, serialize and re-parse one datagram. Any trap,
/// sanitizer report or failed round trip is a finding (a serialized message must re-parse to
/// the same model: the parser owns the wire format in both directions).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ d: UnsafePointer<UInt8>, _ n: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: d, count: n)
    let parser = SIPParser()
    switch parser.parse(bytes) {
    case .failure(let f):
        // A failure must still let the caller decide whether a 400 can be sent.
        if f.isRequest, let h = f.headers {
            _ = SIPResponse(toUnparsable: h, statusCode: 400, reason: f.error.reason)
        }
    case .success(let message):
        switch message {
        case .request(let r):
            if let rejection = RequestValidator.validate(r, supportedExtensions: ["100rel", "timer"]) {
                _ = SIPSerializer.serialize(SIPResponse(to: r, statusCode: rejection.statusCode, reason: rejection.reason))
            } else {
                _ = SIPSerializer.serialize(SIPResponse(to: r, statusCode: 200, toTag: "fz"))
            }
            _ = (r.from, r.to, r.cseq, r.vias, r.contacts, r.maxForwards)
        case .response(let r):
            _ = RequestValidator.check(r)
            _ = (r.from, r.to, r.cseq, r.vias, r.contacts)
        }
        // Re-parse without size limits: canonical names and re-escaped URIs may grow the text.
        let wire = SIPSerializer.serialize(message)
        let unlimited = SIPParser(maxMessageBytes: .max, maxHeaders: .max)
        guard case .success(let again) = unlimited.parse(wire), again == message else {
            fatalError("round trip changed the message:\n\(String(decoding: wire, as: UTF8.self))")
        }
    }
    return 0
}
