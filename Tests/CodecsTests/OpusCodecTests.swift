import Testing

@testable import Codecs

/// Encodes `frames` of `pcm` (960 samples each) and returns the packets.
private func encodeAll(_ encoder: OpusEncoder, _ pcm: [Int16], frame: Int = 960) throws
    -> [[UInt8]]
{
    var packets: [[UInt8]] = []
    var buffer = [UInt8](repeating: 0, count: 1500)
    for start in stride(from: 0, to: pcm.count, by: frame) {
        let length = try pcm[start..<(start + frame)].withUnsafeBufferPointer { input in
            try buffer.withUnsafeMutableBytes { try encoder.encode(input, into: $0) }
        }
        packets.append(Array(buffer[0..<length]))
    }
    return packets
}

/// Decodes one packet into a fresh 120 ms buffer and returns the samples.
private func decode(_ decoder: OpusDecoder, _ packet: [UInt8]) throws -> [Int16] {
    var pcm = [Int16](repeating: 0, count: 5760)
    let count = try packet.withUnsafeBytes { bytes in
        try pcm.withUnsafeMutableBufferPointer { try decoder.decode(bytes, into: $0) }
    }
    return Array(pcm[0..<count])
}

@Suite("Opus encoder and decoder")
struct OpusCodecTests {
    @Test("a 440 Hz + 1 kHz tone survives encode/decode (correlation > 0.9, right spectrum)")
    func toneRoundTrip() throws {
        let encoder = try OpusEncoder()
        let decoder = try OpusDecoder()
        let input = SignalMath.tone([440, 1000], amplitude: 8000, sampleRate: 48000, count: 48000)
        var output: [Int16] = []
        for packet in try encodeAll(encoder, input) {
            #expect(packet.count > 10 && packet.count < 200)
            let pcm = try decode(decoder, packet)
            #expect(pcm.count == 960)
            output += pcm
        }
        #expect(output.count == input.count)
        // Skip the first 100 ms while the codec settles; search the codec delay. (A two-tone
        // signal repeats every 25 ms, so the lag found is the delay modulo that period.)
        let match = SignalMath.bestLag(
            input: input, output: output, range: 9600..<19200, maxLag: 1200)
        #expect(match.correlation > 0.9)
        let steady = output[4800..<48000]
        let p440 = SignalMath.power(steady, at: 440, sampleRate: 48000)
        let p1000 = SignalMath.power(steady, at: 1000, sampleRate: 48000)
        let off = max(
            SignalMath.power(steady, at: 700, sampleRate: 48000),
            SignalMath.power(steady, at: 2500, sampleRate: 48000))
        #expect(p440 > 100 * off)
        #expect(p1000 > 100 * off)
        // Amplitude kept: each tone has power (A/2)^2 = 16e6 per the Goertzel normalization.
        #expect(p440 > 8e6 && p440 < 32e6)
    }

    @Test("in-band FEC rebuilds a lost frame better than PLC", arguments: [20, 25])
    func fecBeatsPLC(lost: Int) throws {
        let encoder = try OpusEncoder(inbandFEC: true, expectedLossPercent: 20)
        let input = SignalMath.voiced(frames: 40)
        let packets = try encodeAll(encoder, input)

        // Three receivers: no loss, loss + FEC from the next packet, loss + PLC.
        let clean = try OpusDecoder(), viaFEC = try OpusDecoder(), viaPLC = try OpusDecoder()
        var cleanOut: [Int16] = [], fecOut: [Int16] = [], plcOut: [Int16] = []
        for (i, packet) in packets.enumerated() {
            cleanOut += try decode(clean, packet)
            if i == lost {
                var pcm = [Int16](repeating: 0, count: 960)
                let samples = try packets[i + 1].withUnsafeBytes { try viaFEC.samples(in: $0) }
                #expect(samples == 960)
                let recovered = packets[i + 1].withUnsafeBytes { next in
                    pcm.withUnsafeMutableBufferPointer {
                        viaFEC.recoverFromFEC(next: next, samples: samples, into: $0)
                    }
                }
                #expect(recovered == 960)
                fecOut += pcm
                let concealed = pcm.withUnsafeMutableBufferPointer {
                    viaPLC.conceal(samples: 960, into: $0)
                }
                #expect(concealed == 960)
                plcOut += pcm
            } else {
                fecOut += try decode(viaFEC, packet)
                plcOut += try decode(viaPLC, packet)
            }
        }
        // This signal does not repeat, so the best lag is the true codec delay.
        let delay = SignalMath.bestLag(
            input: input, output: cleanOut, range: 9600..<19200, maxLag: 600
        ).lag
        #expect(abs(delay - encoder.lookahead) <= 10)
        // The lost frame as heard (after the codec delay) against what was sent.
        let heard = (lost * 960 + delay)..<((lost + 1) * 960)
        let sent = (heard.lowerBound - delay)..<(heard.upperBound - delay)
        let fecCorrelation = SignalMath.correlation(fecOut[heard], input[sent])
        let plcCorrelation = SignalMath.correlation(plcOut[heard], input[sent])
        #expect(SignalMath.rms(fecOut[heard]) > 1000)
        #expect(fecCorrelation > 0.5)
        #expect(fecCorrelation > plcCorrelation + 0.3)
    }

    @Test("PLC and FEC always return the requested sample count")
    func lossToolsReturnRequestedCounts() throws {
        let decoder = try OpusDecoder()
        var pcm = [Int16](repeating: 7, count: 1920)
        pcm.withUnsafeMutableBufferPointer { out in
            #expect(decoder.conceal(samples: 960, into: out) == 960)
            #expect(decoder.lastPacketDuration == 960)
            // 100 samples is not a multiple of 2.5 ms: libopus part + silent tail.
            #expect(decoder.conceal(samples: 100, into: out) == 100)
            #expect(decoder.conceal(samples: 5000, into: out) == 1920)  // capped at capacity
            #expect(decoder.conceal(samples: -5, into: out) == 0)
            // No usable FEC source: falls back to PLC, still the full count.
            #expect(decoder.recoverFromFEC(next: UnsafeRawBufferPointer(start: nil, count: 0),
                                           samples: 960, into: out) == 960)
        }
        // Before any packet, concealment is silence.
        #expect(pcm[0..<960].allSatisfy { $0 == 0 })
    }

    @Test("apply(peer:) follows the receiver's fmtp (RFC 7587 §6.1)")
    func applyPeer() throws {
        let encoder = try OpusEncoder(bitrate: 32000, inbandFEC: true)
        #expect(encoder.inbandFEC)
        #expect(encoder.bitrate == 32000)
        #expect(encoder.maxBandwidth == .fullband)

        encoder.apply(peer: OpusParameters(fmtp: "useinbandfec=0;maxaveragebitrate=20000"))
        #expect(!encoder.inbandFEC)
        #expect(encoder.bitrate == 20000)

        encoder.apply(
            peer: OpusParameters(
                fmtp: "useinbandfec=1;maxaveragebitrate=64000;maxplaybackrate=16000;usedtx=1;cbr=1"))
        #expect(encoder.inbandFEC)
        #expect(encoder.bitrate == 32000)  // a cap never raises our own bitrate
        #expect(encoder.maxBandwidth == .wideband)
        #expect(encoder.dtx)
        #expect(!encoder.vbr)

        encoder.apply(peer: OpusParameters())  // RFC defaults: useinbandfec=0, usedtx=0
        #expect(!encoder.inbandFEC)
        #expect(!encoder.dtx)
        #expect(encoder.vbr)

        let noFEC = try OpusEncoder(inbandFEC: false)
        noFEC.apply(peer: OpusParameters(fmtp: "useinbandfec=1"))
        #expect(!noFEC.inbandFEC)  // the peer can use FEC, but we chose not to send it

        encoder.updateExpectedLoss(percent: 250)
        #expect(encoder.expectedLossPercent == 100)
    }

    @Test("garbage packets throw CodecError instead of crashing")
    func garbagePackets() throws {
        let decoder = try OpusDecoder()
        // Code 3 packet without its frame-count byte; code 3 with zero frames; empty payload.
        for packet: [UInt8] in [[0x03], [0xFF, 0x00], []] {
            #expect(throws: CodecError.opus(code: -4)) { try decode(decoder, packet) }
        }
        do {
            _ = try decode(decoder, [0x03])
            Issue.record("expected a throw")
        } catch {
            let codecError = try #require(error as? CodecError)
            #expect(codecError.code == "codec.opus_error")
            #expect(codecError.description.contains("corrupted stream"))
        }
        // Random bytes: every outcome is either a CodecError or a valid sample count.
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        var rejected = 0
        for length in 1...400 {
            do {
                let pcm = try decode(decoder, SignalMath.garbage(count: length, seed: &seed))
                #expect(pcm.count <= 5760)
            } catch {
                #expect(error is CodecError)
                rejected += 1
            }
        }
        #expect(rejected > 0)
    }

    @Test("a packet longer than the output buffer throws bufferTooSmall")
    func bufferTooSmall() throws {
        let encoder = try OpusEncoder()
        let decoder = try OpusDecoder()
        let tone = SignalMath.tone([440], amplitude: 5000, sampleRate: 48000, count: 960)
        let packet = try encodeAll(encoder, tone)[0]
        var small = [Int16](repeating: 0, count: 480)
        #expect(throws: CodecError.bufferTooSmall) {
            try packet.withUnsafeBytes { bytes in
                try small.withUnsafeMutableBufferPointer { try decoder.decode(bytes, into: $0) }
            }
        }
        #expect(throws: CodecError.bufferTooSmall) {
            try tone.withUnsafeBufferPointer { pcm in
                try encoder.encode(pcm, into: UnsafeMutableRawBufferPointer(start: nil, count: 0))
            }
        }
        // A buffer below 3 bytes is legal: libopus emits a 1-byte "frame lost" packet.
        var tiny = [UInt8](repeating: 0, count: 2)
        let written = try tone.withUnsafeBufferPointer { pcm in
            try tiny.withUnsafeMutableBytes { try encoder.encode(pcm, into: $0) }
        }
        #expect(written == 1)
    }

    @Test("invalid frame sizes and settings are typed errors")
    func invalidConfiguration() throws {
        let encoder = try OpusEncoder()
        let odd = [Int16](repeating: 0, count: 100)
        var out = [UInt8](repeating: 0, count: 1500)
        #expect(throws: CodecError.invalidFrameSize(100)) {
            try odd.withUnsafeBufferPointer { pcm in
                try out.withUnsafeMutableBytes { try encoder.encode(pcm, into: $0) }
            }
        }
        #expect(throws: CodecError.opus(code: -1)) { try OpusEncoder(sampleRate: 44100) }
        #expect(throws: CodecError.opus(code: -1)) { try OpusDecoder(channels: 3) }
        #expect(throws: CodecError.opus(code: -1)) { try OpusEncoder(bitrate: -5) }
        #expect(CodecError.opus(code: -1).description.contains("invalid argument"))
    }

    @Test("8 kHz Opus needs no resampler: 20 ms = 160 samples each way")
    func narrowbandRates() throws {
        let encoder = try OpusEncoder(sampleRate: 8000, bitrate: 16000)
        let decoder = try OpusDecoder(sampleRate: 8000)
        let input = SignalMath.tone([440], amplitude: 8000, sampleRate: 8000, count: 8000)
        var output: [Int16] = []
        for packet in try encodeAll(encoder, input, frame: 160) {
            output += try decode(decoder, packet)
        }
        #expect(output.count == 8000)
        let match = SignalMath.bestLag(input: input, output: output, range: 800..<7800,
                                       maxLag: 200)
        #expect(match.correlation > 0.9)
    }
}
