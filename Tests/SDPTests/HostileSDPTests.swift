import PBXTestSupport
import Testing
@testable import SDP

/// Malformed and hostile bodies: each must throw a typed error with a clear message, never trap.
@Suite("Hostile SDP")
struct HostileSDPTests {
    /// Parses and returns the error (nil if it parsed).
    func failure(_ body: String) -> SDPError? { failure(Array(body.utf8)) }

    func failure(_ bytes: [UInt8]) -> SDPError? {
        do {
            _ = try SessionDescription.parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    static let head = ["v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1", "t=0 0"]

    /// A valid head plus extra lines.
    func body(_ lines: [String]) -> String { Fixtures.crlf(Self.head + lines) }

    @Test(arguments: [
        // (label, body, expected code, expected line, message fragment)
        ("empty", "", "sdp.empty", nil, "empty"),
        ("only newlines", "\r\n\r\n\n", "sdp.empty", nil, "empty"),
        ("missing v=", "o=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n", "sdp.missing_version", 1, "v=0"),
        ("v=1", "v=1\r\no=- 1 1 IN IP4 h\r\ns=-\r\n", "sdp.bad_version", 1, "'1'"),
        ("v=-0", "v=-0\r\n", "sdp.bad_version", 1, "-0"),
        ("only v=", "v=0\r\n", "sdp.missing_origin", 2, "o="),
        ("s before o", "v=0\r\ns=-\r\no=- 1 1 IN IP4 h\r\n", "sdp.missing_origin", 2, "second line"),
        ("missing s=", "v=0\r\no=- 1 1 IN IP4 h\r\nc=IN IP4 h\r\n", "sdp.missing_session_name", 3, "s="),
        ("o= with 5 fields", "v=0\r\no=- 1 1 IN IP4\r\ns=-\r\n", "sdp.bad_origin", 2, "found 5"),
        ("huge sess-id", "v=0\r\no=- 123456789012345678901234567890 1 IN IP4 h\r\ns=-\r\n", "sdp.bad_origin", 2, "larger than"),
        ("negative version", "v=0\r\no=- 1 -5 IN IP4 h\r\ns=-\r\n", "sdp.bad_origin", 2, "not an unsigned"),
        ("uppercase type", "V=0\r\n", "sdp.bad_line", 1, "lowercase"),
        ("space before =", "v =0\r\n", "sdp.bad_line", 1, "<type>=<value>"),
        ("no =", "v0\r\n", "sdp.bad_line", 1, "<type>=<value>"),
        ("one byte", "v", "sdp.bad_line", 1, "<type>=<value>"),
        ("blank line inside", "v=0\r\n\r\no=- 1 1 IN IP4 h\r\ns=-\r\n", "sdp.bad_line", 2, "empty line"),
        ("bare CR", "v=0\ro=- 1 1 IN IP4 h\r\n", "sdp.bad_line", 1, "bare CR"),
    ] as [(String, String, String, Int?, String)])
    func prefixErrors(label: String, body: String, code: String, line: Int?, fragment: String) {
        let error = failure(body)
        #expect(error?.code == code, "\(label)")
        #expect(error?.line == line, "\(label)")
        #expect(error?.message.contains(fragment) == true, "\(label): \(error?.message ?? "parsed")")
    }

    @Test(arguments: [
        ("port 70000", ["m=audio 70000 RTP/AVP 0"], "sdp.bad_media", "70000"),
        ("negative port", ["m=audio -1 RTP/AVP 0"], "sdp.bad_media", "-1"),
        ("huge port", ["m=audio 99999999999999999999999 RTP/AVP 0"], "sdp.bad_media", "0-65535"),
        ("PT 200", ["m=audio 5000 RTP/AVP 0 200"], "sdp.bad_media", "200 is out of range 0-127"),
        ("PT 128", ["m=audio 5000 RTP/AVP 128"], "sdp.bad_media", "out of range"),
        ("PT not a number", ["m=audio 5000 RTP/AVP PCMU"], "sdp.bad_media", "not a payload type"),
        ("missing formats", ["m=audio 5000 RTP/AVP"], "sdp.bad_media", "no formats"),
        ("missing everything", ["m=audio"], "sdp.bad_media", "found 1"),
        ("port count 0", ["m=audio 5000/0 RTP/AVP 0"], "sdp.bad_media", "number of ports"),
        ("bad proto", ["m=audio 5000 RTP//AVP 0"], "sdp.bad_media", "protocol"),
        ("rtpmap without slash", ["m=audio 5000 RTP/AVP 96", "a=rtpmap:96 opus"], "sdp.bad_rtpmap", "no '/<clock rate>'"),
        ("rtpmap clock 0", ["m=audio 5000 RTP/AVP 96", "a=rtpmap:96 opus/0"], "sdp.bad_rtpmap", "clock rate"),
        ("rtpmap huge clock", ["m=audio 5000 RTP/AVP 96", "a=rtpmap:96 opus/99999999999"], "sdp.bad_rtpmap", "clock rate"),
        ("rtpmap channels 0", ["m=audio 5000 RTP/AVP 96", "a=rtpmap:96 opus/48000/0"], "sdp.bad_rtpmap", "channels"),
        ("rtpmap PT 300", ["m=audio 5000 RTP/AVP 0", "a=rtpmap:300 opus/48000/2"], "sdp.bad_rtpmap", "300 is out of range"),
        ("rtpmap twice", ["m=audio 5000 RTP/AVP 96", "a=rtpmap:96 opus/48000/2", "a=rtpmap:96 PCMU/8000"], "sdp.bad_rtpmap", "twice"),
        ("rtpmap no value", ["m=audio 5000 RTP/AVP 96", "a=rtpmap"], "sdp.bad_rtpmap", "no value"),
        ("fmtp not a PT", ["m=audio 5000 RTP/AVP 0", "a=fmtp:abc x=1"], "sdp.bad_fmtp", "not a payload type"),
        ("fmtp empty", ["m=audio 5000 RTP/AVP 0", "a=fmtp:"], "sdp.bad_fmtp", "<format>"),
        ("unknown line type", ["x=whatever"], "sdp.unknown_line_type", "'x='"),
        ("unknown type in media", ["m=audio 5000 RTP/AVP 0", "y=0123456789"], "sdp.unknown_line_type", "'y='"),
        ("duplicate c=", ["c=IN IP4 192.0.2.2"], "sdp.unexpected_line", "duplicate c="),
        ("u= in media", ["m=audio 5000 RTP/AVP 0", "u=http://x"], "sdp.unexpected_line", "u= is not allowed"),
        ("t= in media", ["m=audio 5000 RTP/AVP 0", "t=0 0"], "sdp.unexpected_line", "t= is not allowed"),
        ("second o=", ["o=- 1 1 IN IP4 h"], "sdp.unexpected_line", "o= is not allowed"),
        ("second v=", ["v=0"], "sdp.unexpected_line", "v= is not allowed"),
        ("c= two fields", ["m=audio 5000 RTP/AVP 0", "c=IN IP4"], "sdp.bad_connection", "found 2"),
        ("b= no colon", ["b=AS64"], "sdp.bad_bandwidth", "<bwtype>:<bandwidth>"),
        ("b= not a number", ["b=AS:fast"], "sdp.bad_bandwidth", "fast"),
        ("b= huge", ["b=AS:184467440737095516160"], "sdp.bad_bandwidth", "larger than"),
        ("t= one field", ["t=0"], "sdp.bad_timing", "found 1"),
        ("t= negative", ["t=-1 0"], "sdp.bad_timing", "-1"),
        ("empty attribute name", ["a=:x"], "sdp.bad_attribute", "empty"),
        ("attribute name with space", ["a=foo bar:1"], "sdp.bad_attribute", "not a token"),
    ] as [(String, [String], String, String)])
    func lineErrors(label: String, lines: [String], code: String, fragment: String) {
        let error = failure(body(lines))
        #expect(error?.code == code, "\(label)")
        // Every offending line here is the last one of the body.
        #expect(error?.line == Self.head.count + lines.count, "\(label)")
        #expect(error?.message.contains(fragment) == true, "\(label): \(error?.message ?? "parsed")")
        #expect(error?.message.hasPrefix("line \(Self.head.count + lines.count):") == true, "\(label)")
    }

    @Test func rBeforeAnyTIsRefused() {
        let error = failure("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nr=7d 1h 0 25h\r\n")
        #expect(error == .unexpectedLine(line: 4, detail: "r= must follow a t= line (RFC 4566 §5.10)"))
    }

    @Test func nulByteIsRefused() {
        var bytes = Array(body(["m=audio 5000 RTP/AVP 0"]).utf8)
        bytes.insert(0, at: bytes.count - 3)
        #expect(failure(bytes)?.code == "sdp.bad_line")
        #expect(failure(bytes)?.message.contains("NUL") == true)
    }

    @Test func binaryGarbageIsRefused() {
        var rng = SplitMix64(seed: 0xDEAD_BEEF)
        for _ in 0..<200 {
            let bytes = (0..<Int(rng.next() % 512)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let error = failure(bytes)
            // Random bytes essentially never start with "v=0\n"; whatever happens, no trap.
            #expect(error != nil || bytes.starts(with: Array("v=".utf8)))
            if let error { #expect(!error.message.isEmpty) }
        }
    }

    @Test func bodyOver64KiBIsRefusedBeforeParsing() {
        let lines = Self.head + ["m=audio 5000 RTP/AVP 0"] + Array(repeating: "a=x", count: 100_000)
        let error = failure(body(lines))
        #expect(error?.code == "sdp.too_large")
        #expect(error?.message.contains("65536") == true)
        #expect(failure(Array(repeating: UInt8(ascii: "v"), count: SDPLimits.maxBodyBytes + 1))?.code == "sdp.too_large")
    }

    @Test func tooManyAttributes() {
        let session = body(Array(repeating: "a=x", count: 257))
        #expect(failure(session) == .tooManyAttributes(line: 5 + 257, limit: 256))
        let media = body(["m=audio 5000 RTP/AVP 0"] + Array(repeating: "a=x", count: 300))
        #expect(failure(media) == .tooManyAttributes(line: 6 + 257, limit: 256))
        #expect(failure(body(["m=audio 5000 RTP/AVP 0"] + Array(repeating: "a=x", count: 256))) == nil)
    }

    @Test func tooManyMediaSections() {
        let lines = Array(repeating: "m=audio 0 RTP/AVP 0", count: 65)
        #expect(failure(body(lines)) == .tooManyMedia(line: 5 + 65, limit: 64))
        #expect(failure(body(Array(lines.prefix(64)))) == nil)
    }

    @Test func manyShortLinesWithinTheSizeLimit() {
        // ~16k e= lines fit in 64 KiB and are legal; they must parse in linear time.
        let lines = Array(repeating: "e=a", count: 16_000)
        let sdp = try? SessionDescription.parse(Fixtures.lf(["v=0", "o=- 1 1 IN IP4 h", "s=-"] + lines))
        #expect(sdp?.emails.count == 16_000)
    }

    @Test func errorDescriptionsCarryCodes() {
        let error = SDPError.badMedia(line: 6, detail: "port '70000' is not a number in 0-65535")
        #expect(error.description == "sdp.bad_media: line 6: bad m= line: port '70000' is not a number in 0-65535")
        #expect(SDPError.tooLarge(bytes: 70_000, limit: 65_536).line == nil)
    }
}
