/// Bounds the parser enforces so that a hostile peer cannot make it allocate without limit.
public enum SDPLimits {
    /// Largest body accepted, in bytes.
    public static let maxBodyBytes = 65_536
    /// Most m= sections accepted.
    public static let maxMediaSections = 64
    /// Most a= lines accepted in one section (session level or one m= section).
    public static let maxAttributesPerSection = 256
}

extension SessionDescription {
    /// Parses an SDP body (CRLF or bare LF line endings), throwing a typed error naming the
    /// offending line. Never traps on hostile input.
    public static func parse(_ bytes: [UInt8]) throws(SDPError) -> SessionDescription {
        try SDPParser.parse(bytes)
    }

    /// Parses an SDP body given as a String (its UTF-8 bytes are parsed).
    public static func parse(_ string: String) throws(SDPError) -> SessionDescription {
        try SDPParser.parse(Array(string.utf8))
    }
}

/// Line-oriented RFC 4566 parser over UTF-8 bytes.
///
/// Strict where RFC 4566 §5 is strict (v=, o=, s= first and in that order; `<type>=<value>`
/// with no space around `=`; only the defined type letters). Tolerant where real user agents
/// differ harmlessly: bare LF endings, a missing final newline, trailing blank lines, doubled
/// spaces inside fields, session-level lines in another order after s=, a missing t= line,
/// and unknown attribute names.
struct SDPParser {
    /// Where in RFC 4566 §5's fixed prefix the parser is.
    enum Phase {
        /// Nothing read yet; v= must come.
        case expectingVersion
        /// v= read; o= must come.
        case expectingOrigin
        /// o= read; s= must come.
        case expectingSessionName
        /// Inside the session-level section.
        case session
        /// Inside an m= section.
        case media
    }

    var phase = Phase.expectingVersion
    var description = SessionDescription(
        origin: SDPOrigin(sessionID: 0, sessionVersion: 0, address: ""), sessionName: "", times: [])
    /// The m= section being filled; appended to `description.media` when the next starts.
    var current: MediaDescription? = nil
    /// Payload types on the current m= line, for the RFC 4566 §6 rtpmap/fmtp checks.
    var currentPayloadTypes = PayloadTypeSet()
    /// Whether the current m= line uses an RTP profile (cached: checked for every a= line).
    var currentIsRTP = false
    /// Payload types that already have an rtpmap in the current section.
    var mappedPayloadTypes = PayloadTypeSet()
    /// Single-occurrence lines already seen in the current section: bit (letter - 'a').
    var seenOnce: UInt32 = 0

    static func parse(_ bytes: [UInt8]) throws(SDPError) -> SessionDescription {
        guard bytes.count <= SDPLimits.maxBodyBytes else {
            throw .tooLarge(bytes: bytes.count, limit: SDPLimits.maxBodyBytes)
        }
        var parser = SDPParser()
        var lineNumber = 0
        var position = bytes.startIndex
        var firstBlankLine: Int? = nil
        while position < bytes.endIndex {
            lineNumber += 1
            let newline = bytes[position...].firstIndex(of: ASCII.lf) ?? bytes.endIndex
            var contentEnd = newline
            if contentEnd > position && bytes[contentEnd - 1] == ASCII.cr { contentEnd -= 1 }
            let line = bytes[position..<contentEnd]
            position = newline < bytes.endIndex ? newline + 1 : newline
            if line.isEmpty {
                // Some stacks append an extra CRLF; blank lines are only tolerated at the end.
                if firstBlankLine == nil { firstBlankLine = lineNumber }
                continue
            }
            if let blank = firstBlankLine {
                throw .badLine(line: blank, detail: "empty line inside the description")
            }
            try parser.consume(line, lineNumber: lineNumber)
        }
        return try parser.finish(nextLine: (firstBlankLine ?? lineNumber + 1))
    }

    /// Validates the `<type>=<value>` frame and dispatches on the type letter.
    mutating func consume(_ line: ArraySlice<UInt8>, lineNumber n: Int) throws(SDPError) {
        guard line.count >= 2, let type = line.first,
              line[line.startIndex + 1] == ASCII.equals else {
            throw .badLine(line: n, detail: "expected '<type>=<value>' with a one-letter type and no spaces")
        }
        guard type >= UInt8(ascii: "a") && type <= UInt8(ascii: "z") else {
            throw .badLine(line: n, detail: "line type '\(ASCII.describe(type))' is not a lowercase letter")
        }
        let value = line[(line.startIndex + 2)...]
        if let bad = value.firstIndex(where: { $0 == 0 || $0 == ASCII.cr }) {
            let what = value[bad] == 0 ? "a NUL byte" : "a bare CR"
            throw .badLine(line: n, detail: "value contains \(what) at column \(bad - line.startIndex + 1)")
        }
        switch phase {
        case .expectingVersion:
            guard type == UInt8(ascii: "v") else { throw .missingVersion(line: n) }
            guard ASCII.parseInt(value, in: 0...0) != nil else {
                throw .badVersion(line: n, detail: "version is '\(ASCII.string(value))'")
            }
            description.version = 0
            phase = .expectingOrigin
        case .expectingOrigin:
            guard type == UInt8(ascii: "o") else { throw .missingOrigin(line: n) }
            description.origin = try Self.origin(value, lineNumber: n)
            phase = .expectingSessionName
        case .expectingSessionName:
            guard type == UInt8(ascii: "s") else { throw .missingSessionName(line: n) }
            description.sessionName = ASCII.string(value)
            phase = .session
        case .session:
            try sessionLine(type, value, lineNumber: n)
        case .media:
            try mediaLine(type, value, lineNumber: n)
        }
    }

    /// A line in the session-level section (after s=, before the first m=).
    mutating func sessionLine(_ type: UInt8, _ value: ArraySlice<UInt8>, lineNumber n: Int) throws(SDPError) {
        switch type {
        case UInt8(ascii: "i"):
            try once(type, n, "session")
            description.info = ASCII.string(value)
        case UInt8(ascii: "u"):
            try once(type, n, "session")
            description.uri = ASCII.string(value)
        case UInt8(ascii: "e"):
            description.emails.append(ASCII.string(value))
        case UInt8(ascii: "p"):
            description.phones.append(ASCII.string(value))
        case UInt8(ascii: "c"):
            try once(type, n, "session")
            description.connection = try Self.connection(value, lineNumber: n)
        case UInt8(ascii: "b"):
            description.bandwidths.append(try Self.bandwidth(value, lineNumber: n))
        case UInt8(ascii: "t"):
            description.times.append(try Self.timing(value, lineNumber: n))
        case UInt8(ascii: "r"):
            // RFC 4566 §5.10: r= belongs to the t= line before it.
            guard !description.times.isEmpty else {
                throw .unexpectedLine(line: n, detail: "r= must follow a t= line (RFC 4566 §5.10)")
            }
            guard !value.isEmpty else { throw .badTiming(line: n, detail: "r= line is empty") }
            description.times[description.times.count - 1].repeats.append(ASCII.string(value))
        case UInt8(ascii: "z"):
            try once(type, n, "session")
            description.timeZones = ASCII.string(value)
        case UInt8(ascii: "k"):
            try once(type, n, "session")
            description.encryptionKey = ASCII.string(value)
        case UInt8(ascii: "a"):
            guard description.attributes.count < SDPLimits.maxAttributesPerSection else {
                throw .tooManyAttributes(line: n, limit: SDPLimits.maxAttributesPerSection)
            }
            description.attributes.append(try Self.attribute(value, lineNumber: n))
        case UInt8(ascii: "m"):
            try startMedia(value, lineNumber: n)
        default:
            try misplaced(type, n, "the session section")
        }
    }

    /// A line inside an m= section (RFC 4566 §5: only i, c, b, k, a, or the next m=).
    mutating func mediaLine(_ type: UInt8, _ value: ArraySlice<UInt8>, lineNumber n: Int) throws(SDPError) {
        guard current != nil else { return }
        switch type {
        case UInt8(ascii: "i"):
            try once(type, n, "media")
            current?.info = ASCII.string(value)
        case UInt8(ascii: "c"):
            // RFC 4566 §5.7 allows several c= per section only for layered multicast, which an
            // audio PBX never receives; one keeps the model simple.
            try once(type, n, "media")
            current?.connection = try Self.connection(value, lineNumber: n)
        case UInt8(ascii: "b"):
            current?.bandwidths.append(try Self.bandwidth(value, lineNumber: n))
        case UInt8(ascii: "k"):
            try once(type, n, "media")
            current?.encryptionKey = ASCII.string(value)
        case UInt8(ascii: "a"):
            guard let count = current?.attributes.count, count < SDPLimits.maxAttributesPerSection else {
                throw .tooManyAttributes(line: n, limit: SDPLimits.maxAttributesPerSection)
            }
            let attribute = try Self.attribute(value, lineNumber: n)
            try checkMediaAttribute(attribute, value, lineNumber: n)
            current?.attributes.append(attribute)
        case UInt8(ascii: "m"):
            try startMedia(value, lineNumber: n)
        default:
            try misplaced(type, n, "a media section")
        }
    }

    /// Closes the previous m= section and opens a new one.
    mutating func startMedia(_ value: ArraySlice<UInt8>, lineNumber n: Int) throws(SDPError) {
        if let done = current { description.media.append(done) }
        guard description.media.count < SDPLimits.maxMediaSections else {
            throw .tooManyMedia(line: n, limit: SDPLimits.maxMediaSections)
        }
        let media = try Self.media(value, lineNumber: n)
        currentPayloadTypes = PayloadTypeSet()
        currentIsRTP = media.isRTP
        if currentIsRTP {
            for pt in media.payloadTypes { currentPayloadTypes.insert(pt) }
        }
        mappedPayloadTypes = PayloadTypeSet()
        seenOnce = 0
        current = media
        phase = .media
    }

    /// RFC 4566 §6: rtpmap and fmtp must name a format of their m= line.
    mutating func checkMediaAttribute(_ attribute: SDPAttribute, _ raw: ArraySlice<UInt8>,
                                      lineNumber n: Int) throws(SDPError) {
        let afterName = raw.firstIndex(of: ASCII.colon).map { raw[($0 + 1)...] } ?? raw[raw.endIndex...]
        if currentIsRTP && attribute.hasName("rtpmap") {
            guard attribute.value != nil else {
                throw .badRTPMap(line: n, detail: "a=rtpmap has no value")
            }
            switch RTPMap.decode(afterName) {
            case .failure(let problem):
                throw .badRTPMap(line: n, detail: problem.detail)
            case .success(let map):
                // An rtpmap for a payload type missing from the m= line is a harmless leftover
                // that real phones send; rejecting the call over it would hurt interop.
                guard !mappedPayloadTypes.contains(map.payloadType) else {
                    throw .badRTPMap(line: n, detail: "payload type \(map.payloadType) is mapped twice")
                }
                mappedPayloadTypes.insert(map.payloadType)
            }
        } else if attribute.hasName("fmtp") {
            guard attribute.value != nil else { throw .badFmtp(line: n, detail: "a=fmtp has no value") }
            let format = FormatParameters.formatField(afterName)
            guard !format.isEmpty else {
                throw .badFmtp(line: n, detail: "expected '<format> <parameters>'")
            }
            let listed: Bool
            if currentIsRTP {
                guard let pt = ASCII.parseInt(format, in: 0...127) else {
                    throw .badFmtp(line: n, detail: "format '\(ASCII.string(format))' is not a payload type 0-127")
                }
                listed = currentPayloadTypes.contains(UInt8(pt))
            } else {
                listed = current?.formats.contains { $0.utf8.elementsEqual(format) } ?? false
            }
            // Like rtpmap: an fmtp for an unlisted format is ignored, not an error.
            _ = listed
        }
    }

    /// Completes the description once every line is consumed.
    mutating func finish(nextLine n: Int) throws(SDPError) -> SessionDescription {
        switch phase {
        case .expectingVersion: throw .empty
        case .expectingOrigin: throw .missingOrigin(line: n)
        case .expectingSessionName: throw .missingSessionName(line: n)
        case .session, .media: break
        }
        if let done = current { description.media.append(done) }
        current = nil
        return description
    }

    /// Enforces "at most one" for i=, u=, c=, z=, k= within a section.
    mutating func once(_ type: UInt8, _ n: Int, _ section: String) throws(SDPError) {
        // Callers pass a lowercase letter, so the shift is 0...25.
        let bit: UInt32 = 1 << UInt32((type &- UInt8(ascii: "a")) & 31)
        guard seenOnce & bit == 0 else {
            throw .unexpectedLine(line: n, detail: "duplicate \(ASCII.describe(type))= line in the \(section) section")
        }
        seenOnce |= bit
    }

    /// Reports a known type letter in the wrong section, or an unknown one.
    func misplaced(_ type: UInt8, _ n: Int, _ place: String) throws(SDPError) -> Never {
        // RFC 4566 §5: a parser must ignore or reject a description with a type letter it does
        // not understand; rejecting tells the peer why its call failed.
        let known: Set<UInt8> = Set("vosiuepcbtrzkam".utf8)
        guard known.contains(type) else {
            throw .unknownLineType(line: n, type: ASCII.describe(type))
        }
        throw .unexpectedLine(line: n, detail: "\(ASCII.describe(type))= is not allowed in \(place) (RFC 4566 §5 order)")
    }
}

/// A set of RTP payload types 0–127 as a 128-bit mask (no allocation).
struct PayloadTypeSet {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    mutating func insert(_ pt: UInt8) {
        if pt < 64 { low |= 1 << UInt64(pt) } else if pt < 128 { high |= 1 << UInt64(pt - 64) }
    }

    func contains(_ pt: UInt8) -> Bool {
        if pt < 64 { return low & (1 << UInt64(pt)) != 0 }
        if pt < 128 { return high & (1 << UInt64(pt - 64)) != 0 }
        return false
    }
}
