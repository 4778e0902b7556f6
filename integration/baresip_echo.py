#!/usr/bin/env python3
"""An echo call from baresip (a real SIP user agent nobody on the team wrote) to the daemon.

baresip dials the echo number, sends a speech-like WAV through its own encoder (PCMU or
Opus, optionally SDES-SRTP with `mediaenc=srtp-mand`, so it refuses a plain answer), records
what it sends and what it receives (its sndfile module), and hangs up at the end of the file.
We then compare the two recordings: G.711 sample by sample, Opus by correlation.

Usage: baresip_echo.py HOST PORT NUMBER WORKDIR --codec pcmu|opus [--srtp]
Prints one summary line; exit 0 when the echo matched.
"""
import argparse, glob, math, os, struct, subprocess, sys, wave


def write_source(path, rate, channels=1, seconds=3.0):
    # Voice-like: harmonics of a moving pitch with a syllable envelope, so codecs treat it as
    # speech (Opus FEC/VAD) and correlation has a single clear peak.
    frames = bytearray()
    phase = 0.0
    for i in range(int(rate * seconds)):
        t = i / rate
        f0 = 140 + 40 * math.sin(2 * math.pi * 0.7 * t)
        phase += 2 * math.pi * f0 / rate
        env = 0.25 + 0.75 * max(0.0, math.sin(2 * math.pi * 2.5 * t)) ** 0.5
        v = sum(math.sin(k * phase) / k for k in range(1, 12))
        frames += struct.pack('<h', int(6000 * env * v)) * channels
    with wave.open(path, 'wb') as w:
        w.setnchannels(channels); w.setsampwidth(2); w.setframerate(rate); w.writeframes(bytes(frames))


def read_wav(path):
    with wave.open(path) as w:
        n = w.getnframes(); ch = w.getnchannels()
        data = struct.unpack('<%dh' % (n * ch), w.readframes(n))
        return list(data[::ch]), w.getframerate()


def best_lag(a, b, lags, window):
    """Lag of b behind a (from `lags`) with the highest normalised correlation over `window` samples."""
    best = (0, -1.0)
    a = a[:window]
    for lag in lags:
        seg = b[lag: lag + len(a)]
        n = min(len(seg), len(a))
        if n < 800:
            break
        ab = sum(a[i] * seg[i] for i in range(n))
        aa = sum(a[i] * a[i] for i in range(n)); bb = sum(seg[i] * seg[i] for i in range(n))
        c = ab / math.sqrt(aa * bb) if aa and bb else 0.0
        if c > best[1]:
            best = (lag, c)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('host'); ap.add_argument('port', type=int); ap.add_argument('number'); ap.add_argument('work')
    ap.add_argument('--codec', choices=['pcmu', 'opus'], default='pcmu'); ap.add_argument('--srtp', action='store_true')
    ap.add_argument('--sip-port', type=int, default=5095)
    a = ap.parse_args()
    conf = os.path.join(a.work, 'conf'); dump = os.path.join(a.work, 'dump')
    os.makedirs(conf, exist_ok=True); os.makedirs(dump, exist_ok=True)
    rate = 8000 if a.codec == 'pcmu' else 48000
    src = os.path.join(a.work, 'source.wav')
    # baresip's Opus runs stereo (opus/48000/2) and its file source must match that layout.
    write_source(src, rate, 1 if a.codec == 'pcmu' else 2)
    mods = ['g711', 'opus', 'aufile', 'alsa', 'sndfile', 'srtp', 'account', 'menu']
    with open(os.path.join(conf, 'config'), 'w') as f:
        f.write(f"sip_listen {a.host}:{a.sip_port}\naudio_player alsa,null\naudio_alert alsa,null\n"
                f"audio_source aufile,{src}\nmodule_path /usr/lib/baresip/modules\n"
                + ''.join(f"module {m}.so\n" for m in mods) + f"snd_path {dump}\n")
    codec = 'PCMU' if a.codec == 'pcmu' else 'opus/48000/2'
    enc = ';mediaenc=srtp-mand' if a.srtp else ''
    with open(os.path.join(conf, 'accounts'), 'w') as f:
        f.write(f"<sip:tester@{a.host}>;regint=0;audio_codecs={codec}{enc}\n")
    log = os.path.join(a.work, 'baresip.log')
    with open(log, 'w') as out:
        subprocess.run(['baresip', '-f', conf, '-e', f'/dial sip:{a.number}@{a.host}:{a.port}', '-t', '8'],
                       stdout=out, stderr=subprocess.STDOUT, timeout=40)
    decs = sorted(glob.glob(os.path.join(dump, '*-dec.wav'))); encs = sorted(glob.glob(os.path.join(dump, '*-enc.wav')))
    text = open(log, errors='replace').read()
    if not decs or not encs:
        print(f"no call recording: baresip log tail: {text[-600:]!r}"); return 1
    sent, _ = read_wav(encs[-1]); got, grate = read_wav(decs[-1])
    if a.srtp and 'srtp' not in text.lower():
        print('baresip did not report SRTP'); return 1
    # Skip the first 0.2 s (jitter-buffer start); find the lag coarsely, then to the sample.
    skip = grate // 5
    window = grate // 2
    coarse, _ = best_lag(sent[skip:], got, range(0, grate // 2, max(1, grate // 2000)), window)
    lag, corr = best_lag(sent[skip:], got, range(max(0, coarse - 8), coarse + 9), window)
    aligned = [(sent[skip + i], got[lag + i]) for i in range(min(len(sent) - skip, len(got) - lag))]
    if a.codec == 'pcmu':
        # Both directions went through baresip's own mu-law coder; our echo returns its bytes
        # untouched, so each received sample is the sent one after one mu-law quantisation.
        close = sum(1 for s, g in aligned if abs(s - g) <= max(16, abs(s) // 12))
        ratio = close / max(1, len(aligned))
        ok = ratio >= 0.99 and corr >= 0.99 and len(aligned) >= grate * 2
        print(f"{a.codec}{' srtp' if a.srtp else ''}: {len(aligned)} samples compared, {ratio:.4f} within one mu-law step, "
              f"correlation {corr:.4f}, offset {lag - skip} samples")
    else:
        ok = corr >= 0.9 and len(aligned) >= grate * 2
        print(f"{a.codec}{' srtp' if a.srtp else ''}: {len(aligned)} samples, correlation {corr:.4f}, offset {lag - skip} samples")
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
