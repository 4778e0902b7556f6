/// The Python application the CallbackClient tests talk to, run with `python3 -u -c`.
/// Kept as a string so the test target has no resource files to declare.
let callbackServerScript = #"""
# A scriptable voice-callback application for CallbackClient tests (python3 stdlib only).
#
# Listens on 127.0.0.1 port 0, prints the port on the first stdout line, and exits when its
# stdin closes, so a crashed test run never leaks it. argv[1], if given, is the signing secret
# that /signed checks. Every path answers one way:
#   /echo...     200 JSON document whose say texts are: method, path?query, raw body,
#                Content-Type, User-Agent, Accept, X-Sautikit-Signature ("-" when empty)
#   /signed      like /echo, but 401 unless X-Sautikit-Signature verifies with argv[1]
#   /status/N    status N, small text body
#   /redirect    302 to /echo
#   /hang        reads the request, then never answers
#   /big         200 with a 1 MiB body and Content-Length
#   /bigstream   200 with a 1 MiB body and no Content-Length (ends with the connection)
#   /garbage     200 text/plain that is no document
import hashlib, hmac, json, os, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = sys.argv[1].encode() if len(sys.argv) > 1 else b""


def verify(header, body):
    parts = [p.strip().split("=", 1) for p in (header or "").split(",") if "=" in p]
    ts = [v for k, v in parts if k == "t"]
    sigs = [v for k, v in parts if k == "v1"]
    if len(ts) != 1 or not ts[0].isdigit() or abs(time.time() - int(ts[0])) > 300:
        return False
    mac = hmac.new(SECRET, ts[0].encode() + b"." + body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(mac, s) for s in sigs)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="application/json", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path.split("?", 1)[0]
        if path == "/hang":
            time.sleep(600)
            return
        if path.startswith("/status/"):
            return self.send(int(path[8:]), b"server says no", "text/plain")
        if path == "/redirect":
            return self.send(302, b"", "text/plain", [("Location", "/echo")])
        if path == "/big":
            return self.send(200, b" " * (1 << 20))
        if path == "/bigstream":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            for _ in range(16):
                self.wfile.write(b" " * (1 << 16))
            return
        if path == "/garbage":
            return self.send(200, b"this is not a document", "text/plain")
        signature = self.headers.get("X-Sautikit-Signature")
        if path == "/signed" and not verify(signature, body):
            return self.send(401, b"bad signature", "text/plain")
        texts = [self.command, self.path, body.decode("utf-8", "replace"),
                 self.headers.get("Content-Type"), self.headers.get("User-Agent"),
                 self.headers.get("Accept"), signature]
        doc = {"actions": [{"say": {"text": t or "-"}} for t in texts]}
        self.send(200, json.dumps(doc).encode())

    do_GET = handle_any
    do_POST = handle_any


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the client hanging up early (too large, timeout) is expected; keep stderr quiet


def main():
    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    sys.stdin.read()  # returns when the test closes our stdin (or dies)
    os._exit(0)


main()
"""#
