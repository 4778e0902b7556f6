#!/usr/bin/env python3
"""A real webhook receiver for the Webhooks integration tests (Python stdlib only).

Modes (all listen on 127.0.0.1, port 0, and print the port as the first line of stdout):

  webhook_receiver.py SECRET FAIL_FIRST OUTFILE [--fail-status 500] [--retry-after SECONDS]
      (SECRET may be @PATH: read from that file at each request)
      Verifies X-Sautikit-Signature with SECRET (401 if missing/bad/stale), answers
      FAIL_FIRST times with --fail-status for each event id, then 200. Dedupes by the body's
      "id": each accepted event is written once to OUTFILE as a JSON line.
  webhook_receiver.py --hang      accepts connections and never answers.
  webhook_receiver.py --garbage   answers every connection with bytes that are not HTTP.
  webhook_receiver.py --reset     closes every connection with a TCP RST.
  webhook_receiver.py --big       answers 200 with a 1 MiB body.
  webhook_receiver.py --trickle   answers 200, then drips the body one byte per 0.2 s forever.

The process exits when its stdin reaches EOF, so it dies with the test even if the test
crashes before it can kill it.
"""
import argparse
import hashlib
import hmac
import json
import os
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE = 300
MAX_BODY = 1 << 20


def exit_on_stdin_eof():
    def watch():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        finally:
            os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def current_secret(arg):
    """SECRET, or "@PATH": the secret read from PATH at each request (written once the
    webhook exists, since its secret is only known after the receiver's port is)."""
    if arg.startswith("@"):
        try:
            with open(arg[1:]) as f:
                return f.read().strip()
        except OSError:
            return ""
    return arg


def signature_ok(header, body, secret):
    """Parses t=...,v1=...[,v1=...] independently of the Swift code and checks any v1."""
    if not header:
        return False
    t = None
    candidates = []
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            if t is not None or not value.isdigit():
                return False
            t = int(value)
        elif key == "v1":
            candidates.append(value)
    if t is None or abs(time.time() - t) > TOLERANCE:
        return False
    expected = hmac.new(secret.encode(), str(t).encode() + b"." + body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, c) for c in candidates)


def serve_http(args):
    lock = threading.Lock()
    attempts = {}
    accepted = set()
    out = open(args.outfile, "a", buffering=1)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_):
            pass

        def answer(self, status, extra_headers=()):
            self.send_response(status)
            for name, value in extra_headers:
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length < 0 or length > MAX_BODY:
                return self.answer(413)
            body = self.rfile.read(length)
            if not signature_ok(self.headers.get("X-Sautikit-Signature"), body, current_secret(args.secret)):
                return self.answer(401)
            try:
                event = json.loads(body)
                event_id = event["id"]
            except (ValueError, KeyError, TypeError):
                return self.answer(400)
            with lock:
                attempts[event_id] = attempts.get(event_id, 0) + 1
                if attempts[event_id] <= args.fail_first:
                    extra = [("Retry-After", args.retry_after)] if args.retry_after else []
                    return self.answer(args.fail_status, extra)
                if event_id not in accepted:
                    accepted.add(event_id)
                    out.write(json.dumps({
                        "id": event_id,
                        "type": event.get("type"),
                        "event_id_header": self.headers.get("X-Sautikit-Event-Id"),
                        "content_type": self.headers.get("Content-Type"),
                        "user_agent": self.headers.get("User-Agent"),
                        "attempt": attempts[event_id],
                    }) + "\n")
            self.answer(200)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


def handle_raw(conn, mode):
    try:
        conn.settimeout(5)
        try:
            conn.recv(65536)
        except OSError:
            pass
        if mode == "garbage":
            conn.sendall(b"\x00\x01GARBAGE NOT HTTP\r\n\r\n\xff\xfe")
        elif mode == "reset":  # linger 0 makes close() send RST
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif mode == "big":  # 200 with a 1 MiB body
            size = 1 << 20
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % size)
            conn.sendall(b"x" * size)
        elif mode == "trickle":  # 200 head, then one body byte every 0.2 s, forever
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")
            while True:
                conn.sendall(b"x")
                time.sleep(0.2)
    except OSError:
        pass
    finally:
        conn.close()


def serve_raw(mode):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    print(listener.getsockname()[1], flush=True)
    held = []  # --hang: keep every socket open, never answer
    while True:
        conn, _ = listener.accept()
        if mode == "hang":
            held.append(conn)
        else:
            threading.Thread(target=handle_raw, args=(conn, mode), daemon=True).start()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hang", action="store_true")
    parser.add_argument("--garbage", action="store_true")
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--big", action="store_true")
    parser.add_argument("--trickle", action="store_true")
    parser.add_argument("--fail-status", type=int, default=500)
    parser.add_argument("--retry-after", default=None)
    parser.add_argument("secret", nargs="?")
    parser.add_argument("fail_first", nargs="?", type=int, default=0)
    parser.add_argument("outfile", nargs="?")
    args = parser.parse_args()
    exit_on_stdin_eof()
    for mode in ("hang", "garbage", "reset", "big", "trickle"):
        if getattr(args, mode):
            return serve_raw(mode)
    if args.secret is None or args.outfile is None:
        parser.error("SECRET FAIL_FIRST OUTFILE are required unless a raw mode (--hang, --garbage, ...) is given")
    serve_http(args)


if __name__ == "__main__":
    main()
