"""A developer's voice app for the end-to-end tests: a real HTTP server (http.server, one
thread per request) that answers the PBX's callback requests with scripted documents in
JSON, Africa's Talking XML or TwiML, checks every request's signature, and logs every
request so the test can assert the exact sequence and fields.

The same flow is written in the three dialects (FLOW below); failure paths answer slowly,
with 500, garbage, too many actions, a nested dial or an XML entity bomb.
"""
import hashlib
import hmac
import io
import json
import math
import struct
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LONG = ("Please enter your two digit code now. This prompt is deliberately long so that "
        "pressing a key has to cut it short, and you should not hear the rest of it, "
        "which goes on and on for several more seconds before it ends.")

# One flow, step by step: (JSON actions, Africa's Talking XML body, TwiML body).
FLOW = {
    "start": (
        [{"say": {"text": "Welcome to the voice test."}},
         {"getDigits": {"numDigits": 2, "timeout": 5, "finishOnKey": "#", "callbackUrl": "d1",
                        "nested": [{"say": {"text": LONG}}]}}],
        f'<Say>Welcome to the voice test.</Say><GetDigits numDigits="2" timeout="5" finishOnKey="#" callbackUrl="d1"><Say>{LONG}</Say></GetDigits>',
        f'<Say>Welcome to the voice test.</Say><Gather numDigits="2" timeout="5" finishOnKey="#" action="d1"><Say>{LONG}</Say></Gather>'),
    "d1": (
        [{"getDigits": {"timeout": 5, "finishOnKey": "#", "callbackUrl": "d2"}}],
        '<GetDigits timeout="5" finishOnKey="#" callbackUrl="d2"/>',
        '<Gather timeout="5" finishOnKey="#" action="d2"/>'),
    "d2": (
        [{"getDigits": {"timeout": 2, "finishOnKey": "", "callbackUrl": "d3"}}],
        '<GetDigits timeout="2" finishOnKey="" callbackUrl="d3"/>',
        '<Gather timeout="2" finishOnKey="" action="d3"/>'),
    "d3": (
        [{"getDigits": {"timeout": 1, "callbackUrl": "never"}}, {"say": {"text": "No input."}}, {"redirect": {"url": "rec"}}],
        '<GetDigits timeout="1" callbackUrl="never"/><Say>No input.</Say><Redirect>rec</Redirect>',
        '<Gather timeout="1" action="never"/><Say>No input.</Say><Redirect>rec</Redirect>'),
    "rec": (
        [{"record": {"action": "recorded", "timeout": 3, "maxLength": 20, "finishOnKey": "#", "playBeep": True}}],
        '<Record finishOnKey="#" maxLength="20" timeout="3" playBeep="true" callbackUrl="recorded"/>',
        '<Record action="recorded" finishOnKey="#" maxLength="20" timeout="3" playBeep="true"/>'),
    "recorded": (
        [{"say": {"text": "Goodbye."}}],
        '<Say>Goodbye.</Say>',
        '<Say>Goodbye.</Say>'),
}

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Response><Say>&lol3;</Say></Response>"""


def tone_wav(freq=440, seconds=1.5, rate=16000):
    """A 16-bit mono WAV tone at 16 kHz, so the PBX must resample it for a G.711 call."""
    n = int(seconds * rate)
    pcm = b"".join(struct.pack("<h", int(12000 * math.sin(2 * math.pi * freq * i / rate))) for i in range(n))
    out = io.BytesIO()
    out.write(b"RIFF" + struct.pack("<I", 36 + len(pcm)) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16))
    out.write(b"data" + struct.pack("<I", len(pcm)) + pcm)
    return out.getvalue()


TONE = tone_wav()


class VoiceApp:
    def __init__(self, secret_for):
        self.requests = []          # (time, path, fields, signature_ok)
        self.lock = threading.Lock()
        self.secret_for = secret_for  # () -> the workspace signing secret
        self.slow_seconds = 4
        self.media_requests = []    # (path, If-None-Match)
        app = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(n)
                app.handle(self, raw)

            def do_GET(self):
                if self.path.startswith("/media/"):
                    return app.media(self)
                app.handle(self, urllib.parse.urlsplit(self.path).query.encode())

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def media(self, h):
        """Audio files for `play`: a tone with an ETag (revalidated with 304), else 404."""
        with self.lock:
            self.media_requests.append((h.path, h.headers.get("If-None-Match")))
        if h.path == "/media/tone.wav":
            if h.headers.get("If-None-Match") == '"tone-1"':
                h.send_response(304)
                h.send_header("ETag", '"tone-1"')
                h.send_header("Content-Length", "0")
                h.end_headers()
                return
            h.send_response(200)
            h.send_header("Content-Type", "audio/wav")
            h.send_header("ETag", '"tone-1"')
            h.send_header("Cache-Control", "max-age=0")
            h.send_header("Content-Length", str(len(TONE)))
            h.end_headers()
            h.wfile.write(TONE)
        else:
            h.send_response(404)
            h.send_header("Content-Length", "0")
            h.end_headers()

    def signature_ok(self, header, raw):
        try:
            parts = dict(p.split("=", 1) for p in header.split(","))
            t = int(parts["t"])
            want = hmac.new(self.secret_for().encode(), f"{t}.".encode() + raw, hashlib.sha256).hexdigest()
            return abs(time.time() - t) < 300 and hmac.compare_digest(want, parts["v1"])
        except Exception:
            return False

    def handle(self, h, raw):
        path = urllib.parse.urlsplit(h.path).path
        fields = {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode(), keep_blank_values=True).items()}
        sig = self.signature_ok(h.headers.get("X-Sautikit-Signature", ""), raw)
        with self.lock:
            self.requests.append((time.time(), path, fields, sig))
        status, ctype, body = self.answer(path)
        if status is None:
            time.sleep(self.slow_seconds)  # slower than the PBX waits
            status, ctype, body = 200, "application/json", b'{"actions":[{"say":{"text":"too late"}}]}'
        try:
            h.send_response(status)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)
        except OSError:
            pass  # the PBX gave up on us (the timeout case)

    def answer(self, path):
        parts = path.strip("/").split("/")
        if len(parts) == 2 and parts[0] in ("json", "at", "twiml") and parts[1] in FLOW:
            js, at, tw = FLOW[parts[1]]
            if parts[0] == "json":
                return 200, "application/json", json.dumps({"actions": js}).encode()
            return 200, "text/xml; charset=utf-8", f'<?xml version="1.0" encoding="UTF-8"?><Response>{at if parts[0] == "at" else tw}</Response>'.encode()
        doc = {
            "/fail/500": (500, "text/plain", b"internal error"),
            "/fail/garbage": (200, "text/plain", b"hello, this is not a document"),
            "/fail/51": (200, "application/json", json.dumps({"actions": [{"say": {"text": f"{i}"}} for i in range(51)]}).encode()),
            "/fail/nesteddial": (200, "application/json", json.dumps({"actions": [{"getDigits": {"nested": [{"dial": {"number": "+254711000000"}}]}}]}).encode()),
            "/fail/bomb": (200, "application/xml", BOMB),
            "/fail/loop": (200, "application/json", b'{"actions":[{"redirect":{"url":"/fail/loop"}}]}'),
            # SIPp's DTMF scenario: its RFC 4733 keys up to #, then one key by SIP INFO.
            "/sipp/start": (200, "application/json", b'{"actions":[{"getDigits":{"timeout":10,"finishOnKey":"#","callbackUrl":"/sipp/info"}}]}'),
            "/sipp/info": (200, "application/json", b'{"actions":[{"getDigits":{"timeout":10,"numDigits":1,"callbackUrl":"/sipp/done"}}]}'),
            "/sipp/done": (200, "application/json", b'{"actions":[{"hangup":{}}]}'),
            "/fallback": (200, "application/json", b'{"actions":[{"say":{"text":"This is the fallback speaking."}}]}'),
            "/reject": (200, "text/xml", b'<Response><Reject reason="busy"/></Response>'),
            "/play": (200, "text/xml", f'<Response><Play>{self.base}/media/missing.wav</Play><Play loop="2">{self.base}/media/tone.wav</Play>'
                                       f'<Play>{self.base}/media/tone.wav</Play><Say>Done.</Say></Response>'.encode()),
        }.get(path)
        if path == "/fail/timeout":
            return None, None, None
        return doc or (404, "text/plain", b"no such path")

    def log_for(self, prefix):
        with self.lock:
            return [r for r in self.requests if r[1].startswith(prefix)]
