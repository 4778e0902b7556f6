import CSRTP
import SDP

/// The SRTP/SRTCP crypto contexts of one media leg (RFC 3711): an outbound stream (any SSRC
/// we send, our key) and an inbound stream (any SSRC we receive, the peer's key), as SDES gives
/// one key per direction (RFC 4568 §7.1.2).
///
/// Two libsrtp `srtp_t` sessions, one per direction: libsrtp 2.x allows only one wildcard
/// (`ssrc_any_*`) template per `srtp_t`, so `srtp_add_stream` of the second wildcard fails
/// with `srtp_err_status_bad_param`.
///
/// Not thread-safe: libsrtp mutates replay and rollover state on every packet. `@unchecked
/// Sendable` so it can be handed to the media worker that owns the leg; only that worker's
/// serial queue may call it. Packet calls work in place and never allocate (libsrtp clones a
/// stream once per new SSRC, and inbound only after the packet authenticated).
public final class SRTPSession: @unchecked Sendable {
    /// Spare bytes to leave after any packet passed to `protectRTP`/`protectRTCP`: libsrtp's
    /// documented worst case, SRTP_MAX_TRAILER_LEN (tag + MKI) plus 4 for the SRTCP index.
    public static let trailerBytes: Int = Int(csrtp_max_trailer_len()) + SRTPPacketCheck.srtcpIndexLength

    /// The negotiated suite.
    public let suite: CryptoSuite
    /// Bytes `protectRTP` adds: the SRTP tag (10 for `_80`, 4 for `_32`).
    public var rtpOverhead: Int { suite.srtpTagLength }
    /// Bytes `protectRTCP` adds: E flag + index (4) and the 80-bit tag (RFC 3711 §3.4).
    public var rtcpOverhead: Int { SRTPPacketCheck.srtcpIndexLength + suite.srtcpTagLength }

    /// Protects what we send: template stream for any outbound SSRC, our key.
    private let outbound: OpaquePointer
    /// Unprotects what we receive: template stream for any inbound SSRC, the peer's key.
    private let inbound: OpaquePointer

    /// Creates a session; keys are the 30-byte key||salt values from SDES, and are copied.
    public init(suite: CryptoSuite, localKey: [UInt8], remoteKey: [UInt8]) throws(SRTPError) {
        try SRTPLibrary.ensureInitialized()
        for key in [localKey, remoteKey] where key.count != suite.keySaltLength {
            throw .keyLength(expected: suite.keySaltLength, actual: key.count)
        }
        self.suite = suite

        var outbound = Self.policy(suite: suite, ssrcType: ssrc_any_outbound)
        // Retransmitting an identical packet (same index, same payload) must not fail with a
        // replay error on the sending side; libsrtp then re-emits the same ciphertext.
        outbound.allow_repeat_tx = 1
        var inbound = Self.policy(suite: suite, ssrcType: ssrc_any_inbound)

        // libsrtp derives session keys inside srtp_create and keeps no pointer to the master
        // key, so a scratch copy that is wiped afterwards is enough.
        var scratch = localKey + remoteKey
        var sender: srtp_t?
        var receiver: srtp_t?
        let status: srtp_err_status_t = scratch.withUnsafeMutableBufferPointer { keys in
            defer { csrtp_wipe(keys.baseAddress, keys.count) }
            guard let base = keys.baseAddress else { return srtp_err_status_bad_param }
            outbound.key = base
            inbound.key = base + localKey.count
            let status = srtp_create(&sender, &outbound)
            guard status == srtp_err_status_ok else { return status }
            return srtp_create(&receiver, &inbound)
        }
        guard status == srtp_err_status_ok, let sender, let receiver else {
            if let sender { srtp_dealloc(sender) }
            if let receiver { srtp_dealloc(receiver) }
            throw SRTPError(status: status == srtp_err_status_ok ? srtp_err_status_init_fail : status)
        }
        self.outbound = sender
        self.inbound = receiver
    }

    deinit {
        srtp_dealloc(outbound)
        srtp_dealloc(inbound)
    }

    /// Protects the RTP packet in `buf[0..<length]` in place and returns the SRTP length
    /// (`length + rtpOverhead`). `capacity` must be at least `length + trailerBytes`, and `buf`
    /// 4-byte aligned.
    public func protectRTP(
        _ buf: UnsafeMutableRawPointer, length: Int, capacity: Int
    ) throws(SRTPError) -> Int {
        try SRTPPacketCheck.rtp(buf, length: length, trailer: 0)
        try SRTPPacketCheck.room(length: length, capacity: capacity, trailer: Self.trailerBytes)
        var octets = Int32(length)
        try Self.check(srtp_protect(outbound, buf, &octets))
        return Int(octets)
    }

    /// Verifies and decrypts the SRTP packet in `buf[0..<length]` in place and returns the RTP
    /// length. Throws `authenticationFailed`, `replay`, `truncated` or `malformed` for bad input.
    public func unprotectRTP(_ buf: UnsafeMutableRawPointer, length: Int) throws(SRTPError) -> Int {
        try SRTPPacketCheck.rtp(buf, length: length, trailer: suite.srtpTagLength)
        var octets = Int32(length)
        try Self.check(srtp_unprotect(inbound, buf, &octets))
        return Int(octets)
    }

    /// Protects the RTCP compound packet in `buf[0..<length]` in place (SRTCP, RFC 3711 §3.4)
    /// and returns the new length (`length + rtcpOverhead`). `capacity` must be at least
    /// `length + trailerBytes`, and `buf` 4-byte aligned.
    public func protectRTCP(
        _ buf: UnsafeMutableRawPointer, length: Int, capacity: Int
    ) throws(SRTPError) -> Int {
        try SRTPPacketCheck.rtcp(buf, length: length, trailer: 0)
        try SRTPPacketCheck.room(length: length, capacity: capacity, trailer: Self.trailerBytes)
        var octets = Int32(length)
        try Self.check(srtp_protect_rtcp(outbound, buf, &octets))
        return Int(octets)
    }

    /// Verifies and decrypts the SRTCP packet in `buf[0..<length]` in place and returns the
    /// RTCP length.
    public func unprotectRTCP(_ buf: UnsafeMutableRawPointer, length: Int) throws(SRTPError) -> Int {
        let tag = suite.srtcpTagLength
        try SRTPPacketCheck.rtcp(buf, length: length, trailer: SRTPPacketCheck.srtcpIndexLength + tag)
        // RFC 3711 §3.4: the E flag heads the trailer; we never negotiate UNENCRYPTED_SRTCP
        // (RFC 4568 §6.3.2), so a clear flag is refused here rather than by libsrtp.
        let flags = buf.load(fromByteOffset: length - tag - SRTPPacketCheck.srtcpIndexLength, as: UInt8.self)
        guard flags & 0x80 != 0 else {
            throw .malformed("SRTCP E flag is clear but unencrypted SRTCP was not negotiated")
        }
        var octets = Int32(length)
        try Self.check(srtp_unprotect_rtcp(inbound, buf, &octets))
        return Int(octets)
    }

    private static func check(_ status: srtp_err_status_t) throws(SRTPError) {
        guard status == srtp_err_status_ok else { throw SRTPError(status: status) }
    }

    /// A one-stream policy for `suite` with the default replay window.
    private static func policy(suite: CryptoSuite, ssrcType: srtp_ssrc_type_t) -> srtp_policy_t {
        var policy = srtp_policy_t()
        switch suite {
        case .aes128CmSha1_80:
            csrtp_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp)
        case .aes128CmSha1_32:
            srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp)
        }
        // RFC 4568 §6.2.2: SRTCP keeps the 80-bit tag even for the _32 suite.
        srtp_crypto_policy_set_rtcp_default(&policy.rtcp)
        policy.ssrc = srtp_ssrc_t(type: ssrcType, value: 0)
        // 0 selects libsrtp's default window of 128 packets (RFC 3711 §3.3.2 asks for >= 64).
        policy.window_size = 0
        policy.allow_repeat_tx = 0
        policy.next = nil
        return policy
    }
}

/// Process-wide libsrtp initialisation.
enum SRTPLibrary {
    /// `srtp_init()` must run once per process before any other libsrtp call; a static let is
    /// initialised exactly once and thread-safely by the Swift runtime.
    private static let initStatus: UInt32 = srtp_init().rawValue

    /// Runs `srtp_init()` on first use; throws if it failed.
    static func ensureInitialized() throws(SRTPError) {
        guard initStatus == srtp_err_status_ok.rawValue else { throw .initFailed }
    }
}
