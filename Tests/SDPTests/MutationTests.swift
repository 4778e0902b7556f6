import PBXTestSupport
import Testing
@testable import SDP

/// Bounded random mutation of valid bodies: parse must succeed or throw, never trap, and any
/// body that parses must round-trip and must be safe to negotiate.
@Suite("Random mutation")
struct MutationTests {
    /// Bytes that make interesting mutations in SDP: separators, digits, letters, controls.
    static let alphabet: [UInt8] = Array("=:/ \r\n0123456789avmtcbo-.".utf8) + [0, 0x7F, 0xFF, 0xC3]

    static func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + rng.below(4)) {
            let position = bytes.isEmpty ? 0 : rng.below(bytes.count)
            switch rng.below(8) {
            case 0 where !bytes.isEmpty:  // replace a byte with an interesting one
                bytes[position] = alphabet[rng.below(alphabet.count)]
            case 1:  // insert a byte
                bytes.insert(alphabet[rng.below(alphabet.count)], at: position)
            case 2 where !bytes.isEmpty:  // delete a byte
                bytes.remove(at: position)
            case 3:  // truncate
                bytes.removeLast(bytes.count - position)
            case 4:  // insert a run of digits (huge numbers)
                bytes.insert(contentsOf: Array(repeating: UInt8(ascii: "9"), count: 1 + rng.below(30)), at: position)
            case 5 where !bytes.isEmpty:  // flip a bit
                bytes[position] ^= UInt8(1) << UInt8(rng.below(8))
            case 6:  // duplicate a slice (repeats lines)
                let end = min(bytes.count, position + rng.below(80))
                bytes.insert(contentsOf: Array(bytes[position..<end]), at: position)
            default:  // random byte anywhere
                bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: position)
            }
        }
        return bytes
    }

    @Test func mutatedBodiesParseOrThrow() throws {
        var rng = SplitMix64(seed: 20_240_917)
        let seeds = Fixtures.all.map { Array($0.1.utf8) }
        let capabilities = LocalMediaCapabilities(address: "192.0.2.50", port: 40_000, allowSRTP: true)
        let origin = SDPOrigin(sessionID: 1, sessionVersion: 1, address: "192.0.2.50")
        var parsed = 0
        var failedCodes = Set<String>()
        for round in 0..<4_000 {
            let seed = seeds[round % seeds.count]
            let mutated = Self.mutate(seed, &rng)
            do {
                let sdp = try SessionDescription.parse(mutated)
                parsed += 1
                let again = try SessionDescription.parse(sdp.serialize())
                #expect(again == sdp, "round trip failed for mutation \(round)")
                // Negotiation on whatever parsed must not trap either.
                _ = try? OfferAnswer.answer(to: sdp, capabilities: capabilities, origin: origin)
            } catch {
                failedCodes.insert(error.code)
                #expect(!error.message.isEmpty)
            }
        }
        // Both outcomes must occur, or the mutator is not exercising the parser.
        #expect(parsed > 100)
        #expect(failedCodes.count > 5)
    }
}
