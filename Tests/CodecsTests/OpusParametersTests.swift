import Testing

@testable import Codecs

@Suite("RFC 7587 fmtp parameters")
struct OpusParametersTests {
    @Test("absent parameters take the RFC 7587 §6.1 defaults")
    func defaults() {
        let p = OpusParameters(fmtp: "")
        #expect(p == OpusParameters())
        #expect(p.maxPlaybackRate == 48000)
        #expect(p.spropMaxCaptureRate == 48000)
        #expect(p.maxPtime == 120)
        #expect(p.ptime == 20)
        #expect(p.maxAverageBitrate == nil)
        #expect(!p.stereo && !p.spropStereo && !p.cbr && !p.useInbandFEC && !p.useDTX)
        #expect(p.otherParameters.isEmpty)
        #expect(p.fmtp == "")
    }

    @Test("all RFC 7587 parameters are read")
    func parsesAll() {
        let p = OpusParameters(
            fmtp: "maxplaybackrate=16000; sprop-maxcapturerate=12000; maxptime=40; ptime=10; "
                + "maxaveragebitrate=20000; stereo=1; sprop-stereo=1; cbr=1; useinbandfec=1; "
                + "usedtx=1")
        #expect(p.maxPlaybackRate == 16000)
        #expect(p.spropMaxCaptureRate == 12000)
        #expect(p.maxPtime == 40)
        #expect(p.ptime == 10)
        #expect(p.maxAverageBitrate == 20000)
        #expect(p.stereo && p.spropStereo && p.cbr && p.useInbandFEC && p.useDTX)
        #expect(p.otherParameters.isEmpty)
    }

    @Test("keys are case-insensitive, blanks and empty segments tolerated, unknowns kept")
    func lenient() {
        let p = OpusParameters(
            fmtp: " MaxPlaybackRate = 24000 ;; USEINBANDFEC=1;minptime=10;\tfoo ; UseDtx=1 ")
        #expect(p.maxPlaybackRate == 24000)
        #expect(p.useInbandFEC)
        #expect(p.useDTX)
        #expect(
            p.otherParameters == [
                .init(name: "minptime", value: "10"), .init(name: "foo", value: ""),
            ])
    }

    @Test("bad or out-of-range values are ignored and keep the earlier value")
    func badValuesIgnored() {
        let p = OpusParameters(
            fmtp: "maxplaybackrate=24000;maxplaybackrate=4000;maxaveragebitrate=abc;"
                + "stereo=2;useinbandfec=true;usedtx=;cbr=-1;ptime=500;maxptime=0;"
                + "sprop-maxcapturerate=99999999999999999999;maxaveragebitrate=600000")
        #expect(p.maxPlaybackRate == 24000)
        #expect(p.maxAverageBitrate == nil)
        #expect(!p.stereo && !p.useInbandFEC && !p.useDTX && !p.cbr)
        #expect(p.ptime == 20 && p.maxPtime == 120)
        #expect(p.spropMaxCaptureRate == 48000)
        #expect(p.otherParameters.isEmpty)
    }

    @Test("a payload type in front of the parameters is skipped")
    func payloadTypePrefix() {
        let p = OpusParameters(fmtp: "111 minptime=10;useinbandfec=1")
        #expect(p.useInbandFEC)
        #expect(p.otherParameters == [.init(name: "minptime", value: "10")])
    }

    @Test("non-ASCII and control bytes never crash the parser")
    func hostileInput() {
        let p = OpusParameters(fmtp: "ü=1;=;==;;;\u{0}useinbandfec=1;stereo=1\u{0}")
        #expect(!p.useInbandFEC)  // "\0useinbandfec" is not the key
        #expect(!p.stereo)  // "1\0" is not a valid flag
        #expect(p.otherParameters.first == .init(name: "ü", value: "1"))
    }

    @Test("writes only non-defaults, in RFC order, unknowns last")
    func writes() {
        var p = OpusParameters()
        p.maxPlaybackRate = 16000
        p.spropMaxCaptureRate = 16000
        p.maxAverageBitrate = 20000
        p.stereo = true
        p.spropStereo = true
        p.cbr = true
        p.useInbandFEC = true
        p.useDTX = true
        p.otherParameters = [.init(name: "minptime", value: "10")]
        #expect(
            p.fmtp
                == "maxplaybackrate=16000;sprop-maxcapturerate=16000;maxaveragebitrate=20000;"
                + "stereo=1;sprop-stereo=1;cbr=1;useinbandfec=1;usedtx=1;minptime=10")
        #expect(OpusParameters(fmtp: p.fmtp) == p)
    }

    @Test("round trip of a typical WebRTC line")
    func roundTrip() {
        let p = OpusParameters(fmtp: "minptime=10;useinbandfec=1")
        #expect(p.fmtp == "useinbandfec=1;minptime=10")
        #expect(OpusParameters(fmtp: p.fmtp) == p)
    }

    @Test("ptime and maxptime are read but never written into fmtp (RFC 7587 §7)")
    func ptimeNotWritten() {
        var p = OpusParameters(fmtp: "ptime=40;maxptime=60;useinbandfec=1")
        #expect(p.ptime == 40 && p.maxPtime == 60)
        #expect(p.fmtp == "useinbandfec=1")
        p.ptime = 20
        p.maxPtime = 120
        #expect(OpusParameters(fmtp: p.fmtp) == p)
    }

    @Test("maxplaybackrate maps to the widest useful bandwidth (RFC 7587 Table 1)")
    func bandwidthMapping() {
        #expect(OpusBandwidth(maxPlaybackRate: 8000) == .narrowband)
        #expect(OpusBandwidth(maxPlaybackRate: 11999) == .narrowband)
        #expect(OpusBandwidth(maxPlaybackRate: 12000) == .mediumband)
        #expect(OpusBandwidth(maxPlaybackRate: 16000) == .wideband)
        #expect(OpusBandwidth(maxPlaybackRate: 24000) == .superwideband)
        #expect(OpusBandwidth(maxPlaybackRate: 47999) == .superwideband)
        #expect(OpusBandwidth(maxPlaybackRate: 48000) == .fullband)
    }
}
