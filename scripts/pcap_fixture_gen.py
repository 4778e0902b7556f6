#!/usr/bin/env python3
"""Builds SautiPBX's own RTP pcap fixtures (see pcap-fixtures/README.md).

Standard library only. Deliberately independent of the Swift code under test: its own G.711
encoders, RTP/RFC 4733 packet builder and libpcap writer, so a fixture read back by the Swift
PcapReader and replayed into MediaEngine checks two implementations against each other.

Deterministic: no wall clock, no `random` module (its algorithms may change between Python
versions); a SplitMix64 with fixed seeds drives loss, noise and Opus-like bytes.

Usage: pcap_fixture_gen.py --pcmu-wav speech8k.wav --pcma-wav short8k.wav --out pcap-fixtures
(both WAVs 8 kHz mono 16-bit, as made by scripts/make-pcap-fixtures.sh).
"""

import argparse
import os
import struct
import wave

# Fixed capture epoch: 2025-01-01T00:00:00Z, so files do not change between runs.
EPOCH_US = 1_735_689_600 * 1_000_000
# RFC 5737 documentation addresses: caller's phone -> PBX media port.
SRC = ("192.0.2.10", 40000)
DST = ("198.51.100.20", 10000)
PTIME_MS = 20


class SplitMix64:
    """Steele/Lea/Flood 2014, same constants as PBXTestSupport.SplitMix64."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFFFFFFFFFF

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        return z ^ (z >> 31)

    def below(self, bound):
        return self.next() % bound


# ---------------------------------------------------------------- G.711 (ITU-T G.711 tables 1/2)

def mulaw(sample):
    """16-bit linear -> mu-law: bias 132, segment = top bit above bit 7, code bits inverted."""
    sign = 0x80 if sample < 0 else 0
    magnitude = min(-sample if sample < 0 else sample, 32635) + 0x84
    segment = magnitude.bit_length() - 8
    mantissa = (magnitude >> (segment + 3)) & 0x0F
    return ~(sign | (segment << 4) | mantissa) & 0xFF


def alaw(sample):
    """16-bit linear -> A-law: 13-bit magnitude (one's complement for negatives), even bits inverted."""
    sign = 0x80 if sample >= 0 else 0
    magnitude = (sample if sample >= 0 else ~sample) >> 3
    segment = 0 if magnitude < 32 else magnitude.bit_length() - 5
    mantissa = (magnitude >> max(segment, 1)) & 0x0F
    return (sign | (segment << 4) | mantissa) ^ 0x55


# ---------------------------------------------------------------- RTP and RFC 4733

def rtp(pt, seq, ts, ssrc, payload, marker=False):
    """RFC 3550 section 5.1 fixed header, no CSRC/extension/padding."""
    return struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | pt, seq & 0xFFFF,
                       ts & 0xFFFFFFFF, ssrc) + bytes(payload)


def telephone_event(event, end, duration, volume=10):
    """RFC 4733 section 2.3: event, E|R|volume, 16-bit duration."""
    return struct.pack("!BBH", event, (0x80 if end else 0) | volume, duration)


# ---------------------------------------------------------------- libpcap writer

def checksum(data):
    """RFC 1071 one's complement sum, complemented."""
    if len(data) % 2:
        data += b"\x00"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total > 0xFFFF:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ip_bytes(text):
    return bytes(int(part) for part in text.split("."))


class Pcap:
    """Classic libpcap, little-endian, microseconds, LINKTYPE_ETHERNET."""

    def __init__(self):
        self.data = bytearray(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        self.ident = 0x1000
        self.records = 0

    def udp(self, time_us, payload, src=SRC, dst=DST):
        s, d = ip_bytes(src[0]), ip_bytes(dst[0])
        udp_len = 8 + len(payload)
        pseudo = s + d + struct.pack("!BBH", 0, 17, udp_len)
        udp = struct.pack("!HHHH", src[1], dst[1], udp_len, 0) + payload
        udp_sum = checksum(pseudo + udp) or 0xFFFF
        udp = udp[:6] + struct.pack("!H", udp_sum) + udp[8:]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0xB8, 20 + udp_len, self.ident, 0x4000, 64, 17, 0, s, d)
        ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]  # DSCP EF (0xB8) as phones mark RTP
        self.ident = (self.ident + 1) & 0xFFFF
        frame = bytes.fromhex("02005a000002" "02005a000001" "0800") + ip + udp
        self.data += struct.pack("<IIII", time_us // 1_000_000, time_us % 1_000_000, len(frame), len(frame))
        self.data += frame
        self.records += 1

    def save(self, path):
        with open(path, "wb") as f:
            f.write(self.data)
        print("%-28s %4d packets %7d bytes" % (os.path.basename(path), self.records, len(self.data)))


def write(path, packets):
    """packets: iterable of (time_us_from_start, rtp_bytes), written in time order (stable)."""
    pcap = Pcap()
    for t, payload in sorted(packets, key=lambda p: p[0]):
        pcap.udp(EPOCH_US + t, payload)
    pcap.save(path)


# ---------------------------------------------------------------- streams

def read_wav(path):
    with wave.open(path, "rb") as w:
        if (w.getframerate(), w.getnchannels(), w.getsampwidth()) != (8000, 1, 2):
            raise SystemExit("%s: need 8 kHz mono 16-bit" % path)
        raw = w.readframes(w.getnframes())
    return list(struct.unpack("<%dh" % (len(raw) // 2), raw))


def speech_stream(samples, encode, pt, ssrc, seq0, ts0):
    """20 ms packets (160 samples, last one padded with silence), marker on the first."""
    frames = (len(samples) + 159) // 160
    samples = samples + [0] * (frames * 160 - len(samples))
    out = []
    for i in range(frames):
        payload = bytes(encode(x) for x in samples[160 * i:160 * (i + 1)])
        out.append((i * PTIME_MS * 1000, rtp(pt, seq0 + i, ts0 + 160 * i, ssrc, payload, marker=i == 0)))
    return out


def event_stream(keys, clock, audio_pt, audio_bytes, event_pt, ssrc, seq0, ts0, seed):
    """Audio every 20 ms; each key replaces the audio while its event packets are sent (as
    phones do): marker start, an update every 50 ms, three E-bit packets 50 ms apart
    (RFC 4733 section 2.5.1.4), long events split into 0xFFFF segments (section 2.5.1.3)."""
    rng = SplitMix64(seed)
    per_packet = clock * PTIME_MS // 1000
    out, seq, t_ms = [], seq0, 0

    def send(ms, payload_pt, ts, payload, marker=False):
        nonlocal seq
        out.append((ms * 1000, rtp(payload_pt, seq, ts, ssrc, payload, marker)))
        seq += 1

    def audio(ms_from, ms_to):
        for ms in range(ms_from, ms_to, PTIME_MS):
            send(ms, audio_pt, ts0 + ms // PTIME_MS * per_packet, audio_bytes(rng))

    audio(0, 200)
    t_ms = 200
    for key, duration_ms in keys:
        event = "0123456789*#ABCD".index(key)
        total = duration_ms * clock // 1000
        start_ts = ts0 + t_ms // PTIME_MS * per_packet
        segment, ms = 0, 0
        while ms < duration_ms:
            elapsed = ms * clock // 1000
            while elapsed - segment > 0xFFFF:  # close the full segment: 3 x duration 0xFFFF
                for r in range(3):
                    send(t_ms + ms, event_pt, start_ts + segment, telephone_event(event, False, 0xFFFF))
                segment += 0xFFFF
            send(t_ms + ms, event_pt, start_ts + segment,
                 telephone_event(event, False, elapsed - segment), marker=ms == 0)
            ms += 50
        for r in range(3):
            send(t_ms + duration_ms + 50 * r, event_pt, start_ts + segment,
                 telephone_event(event, True, total - segment))
        resume = t_ms + duration_ms + 100 + PTIME_MS
        resume += -resume % PTIME_MS
        audio(resume, resume + 200)
        t_ms = resume + 200
    return out


def reorder(stream):
    """Every 7th packet (from the 4th) is delayed 25 ms, i.e. arrives 5 ms after its successor;
    packets 20 and 100 are duplicated 3 ms and 28 ms after the original."""
    out = []
    for i, (t, p) in enumerate(stream):
        delayed = i % 7 == 3 and i + 1 < len(stream)
        out.append((t + 25_000 if delayed else t, p))
        if i in (20, 100):
            out.append((t + (3_000 if i == 20 else 28_000), p))
    return out


def lose(stream, seed):
    """5% random loss (round(5% of the packets) distinct indices drawn with SplitMix64, never
    the first or last two packets) plus a burst of packets 60, 61, 62."""
    rng = SplitMix64(seed)
    burst = {60, 61, 62}
    dropped = set()
    while len(dropped) < round(len(stream) * 0.05):
        i = 2 + rng.below(len(stream) - 4)
        if i not in burst:
            dropped.add(i)
    dropped |= burst
    print("g711-lossy dropped indices:", sorted(dropped))
    return [item for i, item in enumerate(stream) if i not in dropped]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pcmu-wav", required=True)
    ap.add_argument("--pcma-wav", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    path = lambda name: os.path.join(args.out, name)

    # Sequence and timestamp both wrap inside the speech stream (65500 + 36; 2^32 - 5600 / 160).
    speech = speech_stream(read_wav(args.pcmu_wav), mulaw, 0, 0x5A17_0001, 65500, 0xFFFF_EA20)
    write(path("g711-speech-pcmu.pcap"), speech)
    write(path("g711-speech-pcma.pcap"),
          speech_stream(read_wav(args.pcma_wav), alaw, 8, 0x5A17_0008, 1000, 160_000))

    # Quiet noise (+-40 linear, about -60 dBm0) so the audio is real but carries no tone.
    noise = lambda rng: bytes(mulaw(int(rng.below(81)) - 40) for _ in range(160))
    keys8k = [(k, 90 + 10 * i) for i, k in enumerate("1234567890*#ABCD")]
    write(path("rfc4733-pt101-8k.pcap"),
          event_stream(keys8k, 8000, 0, noise, 101, 0x5A17_0101, 20000, 8000, seed=101))

    # Opus-like: PT 111 at 48 kHz, 40-79 pseudo-random bytes each; NOT decodable Opus.
    opus_like = lambda rng: bytes(rng.below(256) for _ in range(40 + rng.below(40)))
    keys48k = [("9", 120), ("8", 200), ("7", 80), ("#", 1500)]
    write(path("rfc4733-pt96-48k.pcap"),
          event_stream(keys48k, 48000, 111, opus_like, 96, 0x5A17_0096, 300, 96000, seed=96))

    write(path("g711-reordered.pcap"), reorder(speech))
    write(path("g711-lossy.pcap"), lose(speech, seed=0x4C05_5E5))


if __name__ == "__main__":
    main()
