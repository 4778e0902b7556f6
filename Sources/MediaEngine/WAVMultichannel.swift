// WAV files with 3–8 channels, for decoding fetched prompts only.
//
// `WAVHeader.parse` serves the media path, where WAV sources are mono or stereo, and
// refuses more channels by default. Prompts exported from audio editors are occasionally
// 5.1 or quad; `AudioDecoder` averages every channel anyway, so it uses the same chunk
// walk with a wider channel check.

extension WAVHeader {
    /// Most channels `parseMultichannel` accepts (7.1 surround).
    public static let maxDecodableChannels = 8

    /// Like `parse`, but accepts 1…`maxDecodableChannels` interleaved channels.
    public static func parseMultichannel(_ bytes: [UInt8]) throws(WAVError) -> WAVHeader {
        try bytes.withWAVBytes { raw throws(WAVError) in try parseMultichannel(raw) }
    }

    /// `parse` with up to `maxDecodableChannels` channels.
    static func parseMultichannel(_ bytes: UnsafeRawBufferPointer) throws(WAVError) -> WAVHeader {
        try parse(bytes, maxChannels: maxDecodableChannels)
    }
}
