// WAV files with 3–8 channels, for decoding fetched prompts only.
//
// `WAVHeader.parse` serves the media path, where WAV sources are mono or stereo, and
// refuses more channels. Prompts exported from audio editors are occasionally 5.1 or
// quad; `AudioDecoder` averages every channel anyway, so it only needs the same chunk
// walk with a wider channel check. Same rules as `parse` (Microsoft RIFF spec / RFC 2361
// §3): every declared size is checked against the bytes present before it is used.

extension WAVHeader {
    /// Most channels `parseMultichannel` accepts (7.1 surround).
    public static let maxDecodableChannels = 8

    /// Like `parse`, but accepts 1…`maxDecodableChannels` interleaved channels.
    public static func parseMultichannel(_ bytes: [UInt8]) throws(WAVError) -> WAVHeader {
        try bytes.withWAVBytes { raw throws(WAVError) in try parseMultichannel(raw) }
    }

    /// Walks the chunks of `bytes`, returning the first "fmt " and "data" chunks.
    static func parseMultichannel(_ bytes: UnsafeRawBufferPointer) throws(WAVError) -> WAVHeader {
        let count = bytes.count
        guard count >= 12 else { throw .truncatedHeader }
        guard bytes.wavHasFourCC("RIFF", at: 0) else { throw .notRIFF }
        guard bytes.wavHasFourCC("WAVE", at: 8) else { throw .notWAVE }
        var fmt: (format: WAVFormat, channels: Int, rate: Int)?
        var data: (offset: Int, size: Int)?
        var offset = 12
        while offset <= count - 8, fmt == nil || data == nil {
            let size = bytes.wavLE32(at: offset + 4)
            let body = offset + 8
            let available = count - body
            guard size <= available else {
                if bytes.wavHasFourCC("data", at: offset) { throw .dataTruncated(declared: size, available: available) }
                throw .chunkOverflow(chunk: bytes.wavFourCCString(at: offset), declared: size, available: available)
            }
            if data == nil, bytes.wavHasFourCC("data", at: offset) {
                data = (body, size)
            } else if fmt == nil, bytes.wavHasFourCC("fmt ", at: offset) {
                fmt = try parseWideFormat(bytes, at: body, size: size)
            }
            offset = body + size + (size & 1)  // RIFF chunks are padded to even length
        }
        guard let fmt else { throw offset < count ? .truncatedHeader : .missingFormatChunk }
        guard let data else { throw offset < count ? .truncatedHeader : .missingDataChunk }
        return WAVHeader(format: fmt.format, channels: fmt.channels, sampleRate: fmt.rate,
                         dataOffset: data.offset, dataByteCount: data.size)
    }

    /// WAVEFORMATEX / WAVE_FORMAT_EXTENSIBLE with 1…8 channels.
    private static func parseWideFormat(_ bytes: UnsafeRawBufferPointer, at body: Int,
                                        size: Int) throws(WAVError) -> (format: WAVFormat, channels: Int, rate: Int) {
        guard size >= 16 else { throw .truncatedHeader }
        var tag = bytes.wavLE16(at: body)
        let channels = bytes.wavLE16(at: body + 2)
        let rate = bytes.wavLE32(at: body + 4)
        let blockAlign = bytes.wavLE16(at: body + 12)
        let bits = bytes.wavLE16(at: body + 14)
        if tag == 0xFFFE {
            // WAVE_FORMAT_EXTENSIBLE: the sub-format GUID at +24 starts with the real tag.
            guard size >= 40 else { throw .truncatedHeader }
            tag = bytes.wavLE16(at: body + 24)
        }
        guard let format = WAVFormat(rawValue: tag) else { throw .unsupportedFormat(tag: tag) }
        guard (1...maxDecodableChannels).contains(channels) else { throw .unsupportedChannels(channels) }
        guard bits == format.bitsPerSample else { throw .unsupportedBitsPerSample(bits) }
        guard rate > 0, rate <= maxSampleRate else { throw .invalidSampleRate(rate) }
        guard blockAlign == channels * bits / 8 else { throw .invalidBlockAlign(blockAlign) }
        return (format, channels, rate)
    }
}
