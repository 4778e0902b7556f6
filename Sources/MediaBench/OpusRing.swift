import COpus
import MediaBenchKit

/// One second of the speech-like signal at 48 kHz, encoded once at start into 50 real Opus
/// packets (20 ms each) that the sender cycles through. RFC 7587: mono is fine inside the
/// "opus/48000/2" format; in-band FEC on, as our fmtp advertises.
enum OpusRing {
    static let sampleRate: Int32 = 48000
    static let frameSamples = 960
    static let bitrate: Int32 = 24000

    static func packets() throws(BenchError) -> [[UInt8]] {
        var err: Int32 = 0
        guard let enc = opus_encoder_create(sampleRate, 1, OPUS_APPLICATION_VOIP, &err), err == OPUS_OK else {
            throw .setup("opus_encoder_create failed (\(err))")
        }
        defer { opus_encoder_destroy(enc) }
        _ = sauti_opus_enc_set_bitrate(enc, bitrate)
        _ = sauti_opus_enc_set_inband_fec(enc, 1)
        _ = sauti_opus_enc_set_packet_loss_perc(enc, 5) // FEC data is only added when loss is expected
        let pcm = SpeechSignal.samples(sampleRate: Int(sampleRate), seconds: 1)
        var out: [[UInt8]] = []
        var buffer = [UInt8](repeating: 0, count: 1500)
        for frame in SpeechSignal.frames(pcm, frameSamples: frameSamples) {
            let n = frame.withUnsafeBufferPointer { f in
                buffer.withUnsafeMutableBufferPointer { b -> Int32 in
                    guard let pcm = f.baseAddress, let packet = b.baseAddress else { return OPUS_BAD_ARG }
                    return opus_encode(enc, pcm, Int32(frameSamples), packet, Int32(b.count))
                }
            }
            guard n > 0 else { throw .setup("opus_encode failed (\(n))") }
            out.append(Array(buffer[0..<Int(n)]))
        }
        return out
    }
}
