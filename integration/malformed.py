#!/usr/bin/env python3
"""Sends malformed and unsupported requests to the daemon and checks each answer's status
(RFC 3261 §8.2, RFC 4475). Usage: malformed.py HOST PORT. Exit 0 when all match."""
import random, socket, sys

host, port = sys.argv[1], int(sys.argv[2])
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(("127.0.0.1", 0))
sock.settimeout(2.0)
lport = sock.getsockname()[1]


def request(method="INVITE", uri="sip:+254700000001@127.0.0.1", version="SIP/2.0",
            cseq=None, extra="", drop=(), body=""):
    n = random.randint(1, 1 << 30)
    headers = [
        ("Via", f"SIP/2.0/UDP 127.0.0.1:{lport};branch=z9hG4bK-m{n};rport"),
        ("From", f"<sip:tester@127.0.0.1:{lport}>;tag=t{n}"),
        ("To", "<sip:+254700000001@127.0.0.1>"),
        ("Call-ID", f"malformed-{n}@127.0.0.1"),
        ("CSeq", cseq or f"1 {method}"),
        ("Max-Forwards", "70"),
    ]
    lines = [f"{method} {uri} {version}"]
    lines += [f"{k}: {v}" for k, v in headers if k not in drop]
    if extra:
        lines.append(extra)
    lines.append(f"Content-Length: {len(body.encode())}")
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def status_of(data):
    try:
        first = data.split(b"\r\n", 1)[0].decode()
        return int(first.split(" ")[1]), data.decode(errors="replace")
    except Exception:
        return None, repr(data[:80])


cases = [
    ("CSeq method mismatch", request(cseq="1 BYE"), 400),
    ("unsupported version", request(version="SIP/7.0"), 505),
    ("unknown URI scheme", request(uri="http://example.com/x"), 416),
    ("unknown Require", request(extra="Require: nosuchext"), 420),
    ("unknown method", request(method="FROB"), 501),
    ("REGISTER not served here", request(method="REGISTER", uri="sip:127.0.0.1"), 405),
    ("missing Call-ID", request(drop=("Call-ID",)), 400),
    ("Content-Length beyond datagram", request().replace(b"Content-Length: 0", b"Content-Length: 900"), 400),
    ("negative Content-Length", request().replace(b"Content-Length: 0", b"Content-Length: -5"), 400),
    ("bad Via", request().replace(b"SIP/2.0/UDP", b"SIP/2.0UDP"), None),  # unroutable: dropped
    ("BYE for unknown dialog", request(method="BYE").replace(b"To: <sip:+254700000001@127.0.0.1>", b"To: <sip:+254700000001@127.0.0.1>;tag=nope"), 481),
    ("non-SDP body", request(extra="Content-Type: text/plain", body="hello"), 415),
    ("malformed SDP", request(extra="Content-Type: application/sdp", body="v=0\r\nthis is not sdp\r\n"), 400),
    ("garbage bytes", bytes(random.getrandbits(8) for _ in range(300)), None),
    ("too many header fields", request(extra="\r\n".join(f"X-H{i}: v" for i in range(300))), 400),
]

def call_id(data):
    for line in data.split(b"\r\n"):
        if line.lower().startswith(b"call-id:"):
            return line.split(b":", 1)[1].strip()
    return None


def final_for(cid, timeout_reached_ok=True):
    """Waits for the final response carrying this Call-ID; earlier cases' retransmissions
    (our INVITEs are never ACKed here) are skipped."""
    try:
        while True:
            resp, _ = sock.recvfrom(65535)
            code, detail = status_of(resp)
            if code is not None and code >= 200 and (cid is None or call_id(resp) == cid):
                return code, detail
    except socket.timeout:
        return None, ""


failures = 0
for name, data, want in cases:
    sock.sendto(data, (host, port))
    if call_id(data) is None:
        # Nothing to route a response by: the daemon must drop it (checked by the probe below).
        print(f"ok   {name}: sent")
        continue
    got, detail = final_for(call_id(data))
    if got == want:
        print(f"ok   {name}: {got}")
    elif want is None and got == 400:
        print(f"ok   {name}: 400")
    else:
        failures += 1
        print(f"FAIL {name}: want {want}, got {got}\n{detail[:400]}")

# The daemon must still answer normal traffic.
probe = request(method="OPTIONS", uri="sip:127.0.0.1")
sock.sendto(probe, (host, port))
code, _ = final_for(call_id(probe))
print(("ok   " if code == 200 else "FAIL ") + f"OPTIONS after hostile input: {code}")
failures += code != 200
sys.exit(1 if failures else 0)
