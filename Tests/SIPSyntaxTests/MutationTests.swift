import PBXTestSupport
import Testing
@testable import SIPSyntax

/// Byte-level mutations of SIP messages.
struct Mutator {
    var rng: SplitMix64
    /// Bytes that matter to the SIP grammar, tried more often than random ones.
    static let interesting: [UInt8] = Array(":;,<>\"\\ \t\r\n@?%[]=/".utf8) + [0x00, 0x7F, 0x80, 0xFF]

    mutating func byte() -> UInt8 {
        rng.below(2) == 0 ? Self.interesting[rng.below(Self.interesting.count)] : UInt8(truncatingIfNeeded: rng.next())
    }

    /// The first index at or after a random position whose byte matches, wrapping once.
    mutating func find(_ m: [UInt8], _ match: (UInt8) -> Bool) -> Int? {
        guard !m.isEmpty else { return nil }
        let from = rng.below(m.count)
        for k in 0..<m.count where match(m[(from + k) % m.count]) { return (from + k) % m.count }
        return nil
    }

    mutating func mutate(_ input: [UInt8], other: [UInt8]) -> [UInt8] {
        var m = input
        for _ in 0...rng.below(3) {
            switch rng.below(11) {
            case 0 where !m.isEmpty: // bit flips
                for _ in 0...rng.below(4) { m[rng.below(m.count)] ^= 1 << UInt8(rng.below(8)) }
            case 1: // insert bytes
                for _ in 0...rng.below(4) { m.insert(byte(), at: rng.below(m.count + 1)) }
            case 2 where !m.isEmpty: // delete a run
                let at = rng.below(m.count)
                m.removeSubrange(at..<min(m.count, at + 1 + rng.below(8)))
            case 3: // truncate
                m = Array(m.prefix(rng.below(m.count + 1)))
            case 4: // duplicate the line that holds a random position
                if let lf = find(m, { $0 == 0x0A }) {
                    var start = lf
                    while start > 0, m[start - 1] != 0x0A { start -= 1 }
                    m.insert(contentsOf: Array(m[start...lf]), at: start)
                }
            case 5: // remove a CR, an LF or a CRLF
                if let at = find(m, { $0 == 0x0D || $0 == 0x0A }) {
                    m.removeSubrange(at..<min(m.count, at + (m[at] == 0x0D ? 2 : 1)))
                }
            case 6: // a huge header value, up to 70 KiB
                let size = rng.below(32) == 0 ? 60_000 + rng.below(11_680) : rng.below(1024)
                let line = Array("X-Huge: ".utf8) + [UInt8](repeating: UInt8(ascii: "a") + UInt8(rng.below(26)), count: size) + [0x0D, 0x0A]
                let first = m.firstIndex(of: 0x0A).map { $0 + 1 } ?? m.count
                m.insert(contentsOf: line, at: first)
            case 7 where !m.isEmpty: // overwrite with random bytes
                let at = rng.below(m.count)
                for i in at..<min(m.count, at + 1 + rng.below(16)) { m[i] = byte() }
            case 8: // splice: our head, the other message's tail
                m = Array(m.prefix(rng.below(m.count + 1))) + Array(other.suffix(rng.below(other.count + 1)))
            case 9: // swap a digit run for a large number
                if let at = find(m, { $0 >= 0x30 && $0 <= 0x39 }) {
                    m.replaceSubrange(at..<(at + 1), with: Array(String(rng.next()).utf8))
                }
            default: // random garbage datagram
                if rng.below(20) == 0 { m = (0..<rng.below(256)).map { _ in byte() } }
            }
        }
        return m
    }
}

@Suite struct MutationTests {
    static let seeds: [[UInt8]] = {
        let m = TortureMessages.self
        return [m.tortuousInvite, m.wideRangeOfCharacters, m.validEscapes, m.escapedNulls, m.percentNotEscape,
                m.noSpaceBeforeAngle, m.longValues, m.trailingOctets, m.semicolonUser, m.variedTransports,
                m.multipartMessage, m.unusualReason, m.emptyReason, m.unknownProtocolVersion, m.unknownRequire,
                m.registerContactStar, m.rfc2543Invite, m.bareLFAndKeepAlive, m.brokenViaResponse,
                m.unknownAuthScheme]
    }()

    /// What one mutant did; the test asserts on the totals.
    struct Tally { var parsed = 0, failed = 0, accepted = 0, rejected = 0, roundTripFailures: [String] = [] }

    static func exercise(_ bytes: [UInt8], _ tally: inout Tally) {
        switch SIPParser().parse(bytes) {
        case .failure(let f):
            tally.failed += 1
            if f.isRequest, let h = f.headers {
                _ = SIPResponse(toUnparsable: h, statusCode: 400, reason: f.error.reason)
            }
        case .success(let message):
            tally.parsed += 1
            switch message {
            case .request(let r):
                if let rej = RequestValidator.validate(r, supportedExtensions: Torture.extensions) {
                    tally.rejected += 1
                    _ = SIPResponse(to: r, statusCode: rej.statusCode, reason: rej.reason, toTag: "t")
                } else {
                    tally.accepted += 1
                }
            case .response(let r):
                _ = RequestValidator.check(r)
            }
            if !Torture.roundTrips(message) && tally.roundTripFailures.count < 5 {
                tally.roundTripFailures.append(String(decoding: bytes.prefix(300), as: UTF8.self))
            }
        }
    }

    @Test func twentyThousandMutantsNeverTrapAndAlwaysRoundTrip() {
        var tally = Tally()
        for (i, seed) in Self.seeds.enumerated() {
            var mutator = Mutator(rng: SplitMix64(seed: 0x5A07_1BEE_0000 + UInt64(i)))
            let other = Self.seeds[(i + 7) % Self.seeds.count]
            Self.exercise(seed, &tally)
            for _ in 0..<1_000 { Self.exercise(mutator.mutate(seed, other: other), &tally) }
        }
        #expect(tally.parsed + tally.failed == 20 * 1_001)
        #expect(tally.roundTripFailures.isEmpty, "\(tally.roundTripFailures)")
        // The mix must exercise every path, or the test proves little.
        #expect(tally.parsed > 4_000 && tally.failed > 4_000, "parsed \(tally.parsed), failed \(tally.failed)")
        #expect(tally.accepted > 1_000 && tally.rejected > 1_000, "accepted \(tally.accepted), rejected \(tally.rejected)")
    }

    @Test func prngIsDeterministic() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42)
        #expect((0..<8).map { _ in a.next() } == (0..<8).map { _ in b.next() })
        var m1 = Mutator(rng: SplitMix64(seed: 7)), m2 = Mutator(rng: SplitMix64(seed: 7))
        let s = TortureMessages.tortuousInvite
        #expect(m1.mutate(s, other: s) == m2.mutate(s, other: s))
    }
}
