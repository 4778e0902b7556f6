#!/usr/bin/env python3
"""Issue 5 end to end: the real daemon runs voice apps served by a real HTTP server under
test control (voice_app.py). Callers are the daemon's own softphone (`sautipbx phone`:
RFC 4733 keys at set times, what it hears saved to WAV) and SIPp playing its RFC 4733
captures. Prints one "ok ..." or "FAIL ..." line per check (integration/run.sh counts them).

Usage: voice_e2e.py BIN WORK_DIR SIPP_DIR
Everything listens on 127.0.0.1; every wait is bounded, so the script ends by itself.
"""
import json
import math
import os
import struct
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Harness  # noqa: E402
from voice_app import VoiceApp  # noqa: E402

BIN, WORK, SIPP_DIR = (os.path.abspath(a) for a in sys.argv[1:4])
SIP, ADMIN = 15200, 25200
h = Harness(BIN, WORK, "E", SIP, ADMIN)


def wav_stats(path):
    """(rate, samples) of a 16-bit mono WAV written by the phone."""
    with open(path, "rb") as f:
        data = f.read()
    rate = struct.unpack_from("<I", data, 24)[0]
    pcm = struct.unpack_from(f"<{(len(data) - 44) // 2}h", data, 44)
    return rate, pcm


def rms(pcm, rate, start_s, end_s):
    seg = pcm[int(start_s * rate):int(end_s * rate)]
    return math.sqrt(sum(x * x for x in seg) / len(seg)) if seg else 0.0


def phone(number, *args, name, hangup_after=25):
    out = os.path.join(WORK, f"phone-{name}.out")
    f = open(out, "w")
    p = subprocess.Popen([BIN, "phone", f"sip:{number}@127.0.0.1:{SIP}", "--hangup-after", str(hangup_after), *args],
                         stdout=f, stderr=subprocess.STDOUT)
    return p, out


def main():
    h.write_config(extra="calls: { ring_seconds: 0, drain_seconds: 1, callback_timeout_seconds: 2 }\n"
                         "rtp: { port_min: 33000, port_max: 33999, media_timeout_seconds: 600 }\n"
                         "numbers:\n  - { number: \"+254700000001\", route: app:demo }")
    h.start_daemon("E.log")
    ws, key = h.bootstrap("voice-e2e", inbound_rate=100)
    secret = h.api("GET", f"/v1/workspaces/{ws}", key=key)[1]["workspace"]["signing_secret"]
    h.api("POST", "/v1/wallet/topups", {"amount_minor": 100000, "reference": "voice-e2e"}, key=key)
    app = VoiceApp(lambda: secret)
    numbers = {
        "+254711000101": (f"{app.base}/json/start", None),
        "+254711000102": (f"{app.base}/at/start", None),
        "+254711000103": (f"{app.base}/twiml/start", None),
        "+254711000110": (f"{app.base}/fail/timeout", None),
        "+254711000111": (f"{app.base}/fail/500", None),
        "+254711000112": (f"{app.base}/fail/garbage", None),
        "+254711000113": (f"{app.base}/fail/51", None),
        "+254711000114": (f"{app.base}/fail/nesteddial", None),
        "+254711000115": (f"{app.base}/fail/bomb", None),
        "+254711000116": (f"{app.base}/fail/loop", None),
        "+254711000117": (f"{app.base}/fail/500", f"{app.base}/fallback"),
        "+254711000118": (f"{app.base}/reject", None),
        "+254711000119": (f"{app.base}/play", None),
    }
    for e164, (url, fallback) in numbers.items():
        body = {"e164": e164, "voice_callback_url": url}
        if fallback:
            body["fallback_url"] = fallback
        st, r = h.api("POST", "/v1/numbers", body, key=key)
        if st != 201:
            h.fail(f"claim {e164}", r)
    # A second workspace whose voice apps may only play from media.example.com.
    st, w2 = h.api("POST", "/v1/workspaces", {"name": "restricted", "play_allowed_hosts": ["media.example.com"]}, key=key)
    ws2 = w2.get("workspace", {}).get("id", "") if isinstance(w2, dict) else ""
    st2, k2 = h.api("POST", "/v1/api-keys", {"name": "r", "scopes": ["admin"], "workspace_id": ws2}, key=key)
    key2 = k2.get("secret", "") if isinstance(k2, dict) else ""
    st3, _ = h.api("POST", "/v1/numbers", {"e164": "+254711000121", "voice_callback_url": f"{app.base}/play"}, key=key2)
    h.check(st == 201 and st2 == 201 and st3 == 201, "a second workspace with a play allow-list claims a number", (w2, k2))
    numbers["+254711000121"] = (f"{app.base}/play", None)
    st4, _ = h.api("POST", "/v1/numbers", {"e164": "+254711000122", "voice_callback_url": f"{app.base}/json/d1"}, key=key)
    time.sleep(0.5)

    # The same flow in three dialects, all at once, beside every failure path at once.
    press = ["--press", "4@3s", "--press", "2@3.4s", "--press", "1@4.4s", "--press", "2@4.7s",
             "--press", "#@5s", "--press", "7@5.8s"]
    flows = {d: phone(n, *press, "--record", os.path.join(WORK, f"heard-{d}.wav"), "--from", caller,
                      "--api", h.base, "--api-key", key, name=d)
             for d, n, caller in (("json", "+254711000101", "+254722000101"), ("at", "+254711000102", "+254722000102"),
                                  ("twiml", "+254711000103", "+254722000103"))}
    # The built-in demo app (served by the daemon's own admin listener): menu 1, speak, #.
    demo = phone("+254700000001", "--press", "1@9s", "--press", "#@14s", "--record", os.path.join(WORK, "heard-demo.wav"),
                 "--from", "+254722000199", name="demo", hangup_after=40)
    inband = phone("+254711000122", "--dtmf", "inband", "--press", "5@1s", "--press", "6@1.5s", "--press", "#@2s",
                   "--from", "+254722000122", name="inband", hangup_after=5)
    failing = {n: phone(n, "--record", os.path.join(WORK, f"heard-{n[-3:]}.wav"), name=n[-3:], hangup_after=20)
               for n in list(numbers)[3:]}
    for p, _ in list(flows.values()) + list(failing.values()) + [inband, demo]:
        try:
            p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
    time.sleep(1)

    check_flows(app, flows, key)
    check_failures(app, failing, key)
    check_play(app, failing, key)
    check_allow_list(failing, key2)
    check_demo(demo)
    digits = [f.get("Digits") for _, p, f, _ in app.log_for("/json/") if f.get("From") == "+254722000122"]
    h.check(digits[:2] == [None, "56"], "in-band DTMF (no telephone-event offered): getDigits collects 56 from the tones",
            (digits, open(inband[1]).read()))
    check_sipp_dtmf(app, key)
    h.stop()
    sys.exit(1 if h.failures else 0)


def normalized(log):
    """The request sequence as (step name, Step, CallStatus, Digits, duration) for comparing dialects."""
    return [(path.split("/")[-1], f.get("Step"), f.get("CallStatus"), f.get("Digits"), f.get("RecordingDurationSeconds"))
            for _, path, f, _ in log]


def check_flows(app, flows, key):
    want = [("start", "1", "ringing", None, None), ("d1", "2", "answered", "42", None), ("d2", "3", "answered", "12", None),
            ("d3", "4", "answered", "7", None), ("rec", "5", "answered", None, None), ("recorded", "6", "answered", None, "3")]
    seqs = {}
    for d, (p, out) in flows.items():
        to = {"json": "+254711000101", "at": "+254711000102", "twiml": "+254711000103"}[d]
        log = [r for r in app.log_for(f"/{d}/") if r[2].get("To") == to]
        seqs[d] = normalized(log)
        h.check(seqs[d] == want, f"{d}: callback sequence start→d1(42, numDigits)→d2(12, finish #)→d3(7, timeout)→no input→rec→recorded",
                f"got {seqs[d]}\n" + open(out).read())
        if not log:
            continue
        f = log[0][2]
        fields = {"CallId", "SessionId", "Direction", "From", "To", "CallStatus", "Step", "isActive", "sessionId", "direction",
                  "callerNumber", "destinationNumber"}
        h.check(fields <= set(f) and f["Direction"] == "inbound" and f["From"].startswith("+25472200010") and f["isActive"] == "1"
                and f["callerNumber"] == f["From"] and f["sessionId"] == f["SessionId"],
                f"{d}: first request carries every field and the Africa's Talking aliases", f)
        h.check(all(sig for *_, sig in log), f"{d}: every request is signed with the workspace secret (X-Sautikit-Signature)")
        printed = open(out).read()
        h.check(f["CallId"] in printed and "callback.requested" in printed and "recording.ready" in printed,
                f"{d}: sautipbx phone printed the daemon's record and events of its call", printed[-1500:])
        h.check(len({r[2].get("CallId") for r in log}) == 1, f"{d}: one CallId across the call's requests")
        rec = log[-1][2]
        url = rec.get("RecordingUrl", "")
        st, body = h.api("GET", f"/v1/calls/{f['CallId']}/recording", key=key)  # 302, followed
        h.check(st == 200 and isinstance(body, bytes) and body[:4] == b"RIFF" and len(body) > 40000,
                f"{d}: GET /v1/calls/{{id}}/recording redirects to the same WAV ({len(body) if isinstance(body, bytes) else 0} bytes)")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                body = r.read()
            rate = struct.unpack_from("<I", body, 24)[0]
            seconds = (len(body) - 44) / 2 / rate
            h.check(2.7 <= seconds <= 3.4 and body[:4] == b"RIFF", f"{d}: RecordingUrl serves the WAV ({seconds:.2f} s, ended by 3 s of silence)")
        except Exception as e:  # noqa: BLE001
            h.fail(f"{d}: RecordingUrl fetch", f"{url}: {e}")
        # What the caller heard: speech at the start, silence after barge-in, speech again.
        try:
            rate, pcm = wav_stats(os.path.join(WORK, f"heard-{d}.wav"))
            welcome, cut, later = rms(pcm, rate, 0.1, 1.2), rms(pcm, rate, 3.6, 7.0), rms(pcm, rate, 8.0, 10.5)
            h.check(welcome > 500 and later > 500, f"{d}: speech audible to the caller (RMS {welcome:.0f} at the start, {later:.0f} for 'No input')")
            h.check(cut < 50, f"{d}: barge-in: the long prompt stops at the first key (RMS {cut:.0f} from 3.6 to 7 s)")
        except Exception as e:  # noqa: BLE001
            h.fail(f"{d}: heard audio", e)
    h.check(len(seqs) == 3 and seqs["json"] == seqs["at"] == seqs["twiml"], "JSON, Africa's Talking XML and TwiML give the same call")
    calls = h.api("GET", "/v1/calls?limit=100", key=key)[1]["data"]
    flow_calls = [c for c in calls if c["local_e164"] in ("+254711000101", "+254711000102", "+254711000103")]
    h.check(len(flow_calls) == 3 and all(c["status"] == "completed" and c["cost_minor"] == 100 for c in flow_calls),
            "the three flow calls completed and were billed one minute each", flow_calls)


def check_failures(app, failing, key):
    calls = {c["local_e164"]: c for c in h.api("GET", "/v1/calls?limit=100", key=key)[1]["data"]}
    expect = {
        "+254711000110": "callback.timeout", "+254711000111": "callback.http_status", "+254711000112": "callback.document_invalid",
        "+254711000113": "callback.document_invalid", "+254711000114": "callback.document_invalid",
        "+254711000115": "callback.document_invalid", "+254711000116": "voice.redirect_loop",
    }
    for n, code in expect.items():
        c = calls.get(n, {})
        detail = h.api("GET", f"/v1/calls/{c.get('id')}", key=key)[1].get("call", {}) if c else {}
        events = [e["type"] for e in detail.get("events", [])]
        rate, pcm = wav_stats(os.path.join(WORK, f"heard-{n[-3:]}.wav")) if os.path.exists(os.path.join(WORK, f"heard-{n[-3:]}.wav")) else (8000, [])
        heard = sum(1 for i in range(0, len(pcm) - 160, 160) if rms(pcm, rate, i / rate, (i + 160) / rate) > 300) * 0.02
        h.check(c.get("status") == "failed" and c.get("failure_code") == code and ("callback.failed" in events or code == "voice.redirect_loop")
                and heard >= 1.0,
                f"{n[-3:]} {code}: apology heard ({heard:.1f} s of speech), hangup, call failed with failure_code", (c, events, open(failing[n][1]).read()))
    loops = app.log_for("/fail/loop")
    h.check(len(loops) == 10, f"redirect loop stopped after 10 documents that played nothing ({len(loops)} requests)")
    fb = calls.get("+254711000117", {})
    h.check(fb.get("status") == "completed" and [r[1] for r in app.log_for("/fallback")] == ["/fallback"],
            "a failing callback falls back to fallback_url, which runs the call", fb)
    rj = calls.get("+254711000118", {})
    out = open(failing["+254711000118"][1]).read()
    h.check(rj.get("status") == "busy" and rj.get("cost_minor", 0) == 0 and rj.get("ledger_entry_id") is None and "486" in out,
            "reject busy: SIP 486 before answer, status busy, no charge", (rj, out))


def check_play(app, failing, key):
    """play: a 404 is an event and the verb is skipped; a 16 kHz WAV plays twice (loop) at the
    call's 8 kHz, then again after a 304 revalidation (ETag)."""
    n = "+254711000119"
    c = {c["local_e164"]: c for c in h.api("GET", "/v1/calls?limit=100", key=key)[1]["data"]}.get(n, {})
    events = h.api("GET", f"/v1/calls/{c.get('id')}", key=key)[1].get("call", {}).get("events", []) if c else []
    failed = [e for e in events if e["type"] == "audio.failed"]
    h.check(len(failed) == 1 and "play.http_status" in json.dumps(failed[0]), "play: a 404 file is an audio.failed call event and the verb is skipped",
            (events, open(failing[n][1]).read()))
    with app.lock:
        reqs = list(app.media_requests)
    h.check(reqs == [("/media/missing.wav", None), ("/media/tone.wav", None), ("/media/tone.wav", '"tone-1"')],
            "play: fetched once, looped from memory, revalidated with If-None-Match (304) the next time", reqs)
    rate, pcm = wav_stats(os.path.join(WORK, "heard-119.wav"))
    loud = [i for i in range(0, len(pcm) - 160, 160) if rms(pcm, rate, i / rate, (i + 160) / rate) > 1000]
    if loud:
        seg = pcm[loud[0]:loud[0] + rate]
        crossings = sum(1 for a, b in zip(seg, seg[1:]) if (a < 0) != (b < 0))
        freq = crossings / 2 / (len(seg) / rate)
    else:
        freq = 0
    h.check(len(loud) * 0.02 >= 4.2 and abs(freq - 440) < 20,
            f"play: the caller hears the 440 Hz tone ({freq:.0f} Hz, {len(loud) * 0.02:.1f} s loud for 3 x 1.5 s)")


def check_demo(demo):
    """+254700000001 runs the built-in demo: welcome, menu 1, record, the recording played back, goodbye."""
    r = h.cli("create-key", "--workspace", "default", "--scopes", "admin")
    dkey = r.stdout.strip().splitlines()[-1] if r.returncode == 0 else ""
    calls = h.api("GET", "/v1/calls?limit=10&q=%2B254722000199", key=dkey)[1].get("data", []) if dkey else []
    c = calls[0] if calls else {}
    events = h.api("GET", f"/v1/calls/{c.get('id')}", key=dkey)[1].get("call", {}).get("events", []) if c else []
    urls = [e.get("payload", {}).get("url", "") for e in events if e["type"] == "callback.requested"]
    out = open(demo[1]).read()
    h.check(c.get("status") == "completed" and "ended remote_bye" in out
            and [u.rsplit("/demo/voice", 1)[-1] for u in urls] == ["", "/menu", "/recorded"]
            and any(e["type"] == "recording.ready" for e in events) and not any(e["type"] == "audio.failed" for e in events),
            "demo app on +254700000001: welcome, menu (1), record, recording played back, the app hangs up",
            (c, [e["type"] for e in events], urls, out))
    rate, pcm = wav_stats(os.path.join(WORK, "heard-demo.wav"))
    speech = sum(1 for i in range(0, len(pcm) - 160, 160) if rms(pcm, rate, i / rate, (i + 160) / rate) > 300) * 0.02
    h.check(speech >= 10, f"demo app: the caller heard {speech:.1f} s of speech (English and Swahili greetings, menu, goodbye)")


def check_allow_list(failing, key2):
    """The restricted workspace's call: every play refused before any request, the call goes on."""
    calls = h.api("GET", "/v1/calls?limit=10", key=key2)[1].get("data", [])
    c = calls[0] if calls else {}
    events = h.api("GET", f"/v1/calls/{c.get('id')}", key=key2)[1].get("call", {}).get("events", []) if c else []
    refused = [e for e in events if e["type"] == "audio.failed" and "play.host_not_allowed" in json.dumps(e)]
    h.check(len(refused) == 3 and c.get("status") == "completed",
            "play host allow-list: 127.0.0.1 refused for the restricted workspace (3 x play.host_not_allowed), the call carries on",
            (c, events, open(failing["+254711000121"][1]).read()))


def check_sipp_dtmf(app, key):
    """SIPp's own RFC 4733 captures (0-9*#) into one getDigits, then its SIP INFO key into the next."""
    if os.getuid() != 0:
        print("  skip SIPp RFC 4733 pcaps (needs root for raw sockets)")
        return
    st, _ = h.api("POST", "/v1/numbers", {"e164": "+254711000120", "voice_callback_url": f"{app.base}/sipp/start"}, key=key)
    os.makedirs(WORK, exist_ok=True)
    link = os.path.join(WORK, "pcap")
    if not os.path.exists(link):
        os.symlink("/usr/share/sip-tester", link)
    time.sleep(0.3)
    code = h.sipp("-sf", os.path.join(SIPP_DIR, "uac-dtmf.xml"), "-s", "+254711000120", "-m", "1", "-i", "127.0.0.1", "-mp", "16200")
    time.sleep(0.5)
    log = [(p, f.get("Digits")) for _, p, f, _ in app.log_for("/sipp/")]
    h.check(code == 0 and log[:2] == [("/sipp/start", None), ("/sipp/info", "0123456789*")],
            "SIPp RFC 4733 pcaps: getDigits collects 0123456789* and posts on #", (code, log, h.last_sipp))
    h.check(log[2:3] == [("/sipp/done", "5")], "SIPp SIP INFO (application/dtmf-relay): the next getDigits collects 5", log)


if __name__ == "__main__":
    try:
        main()
    finally:
        h.stop()
