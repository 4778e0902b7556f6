#!/usr/bin/env python3
"""Calls the echo number over SIP, sends 100 G.711 packets and checks that every payload
comes back bit-exact and in order, from the RTP port our SDP named (symmetric RTP).
Usage: echo_call.py HOST SIP_PORT NUMBER [--stranger]. With --stranger, a second socket sprays
well-formed RTP of its own at the PBX's media port during the call: none of it may come back,
to anyone (strict symmetric-RTP latching). Exit 0 on success. Loopback only, ends by itself."""
import os, random, re, socket, struct, sys, time

host, sip_port, number = sys.argv[1], int(sys.argv[2]), sys.argv[3]
stranger = "--stranger" in sys.argv[4:]
evil = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); evil.bind(("127.0.0.1", 0)); evil.setblocking(False)
sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); sip.bind(("127.0.0.1", 0)); sip.settimeout(3)
rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); rtp.bind(("127.0.0.1", 0)); rtp.setblocking(False)
lport, rport = sip.getsockname()[1], rtp.getsockname()[1]
call_id, tag = f"echo-{random.getrandbits(40)}@127.0.0.1", f"t{random.getrandbits(32)}"


def req(method, cseq, to_tag="", body=""):
    branch = f"z9hG4bK-{random.getrandbits(48)}"
    h = [f"{method} sip:{number}@{host}:{sip_port} SIP/2.0",
         f"Via: SIP/2.0/UDP 127.0.0.1:{lport};branch={branch};rport",
         f"From: <sip:echo-test@127.0.0.1:{lport}>;tag={tag}",
         f"To: <sip:{number}@{host}:{sip_port}>" + (f";tag={to_tag}" if to_tag else ""),
         f"Call-ID: {call_id}", f"CSeq: {cseq} {method}", f"Contact: <sip:echo-test@127.0.0.1:{lport}>",
         "Max-Forwards: 70"]
    if body:
        h.append("Content-Type: application/sdp")
    h.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(h) + "\r\n\r\n" + body).encode()


def answer_request(data):
    """A request from the PBX (its BYE at the maximum call duration): answer 200 OK."""
    keep = [l for l in data.split("\r\n") if l.split(":", 1)[0].lower() in ("via", "from", "to", "call-id", "cseq")]
    sip.sendto(("SIP/2.0 200 OK\r\n" + "\r\n".join(keep) + "\r\nContent-Length: 0\r\n\r\n").encode(), (host, sip_port))


def final_response(method):
    while True:
        data = sip.recv(65535).decode(errors="replace")
        if not data.startswith("SIP/2.0 "):
            answer_request(data)
            if data.startswith("BYE ") and method == "BYE":
                return 200, data  # the PBX ended the call first: it is over either way
            continue
        code = int(data.split(" ", 2)[1])
        if code >= 200 and f" {method}" in re.search(r"CSeq: *([^\r\n]+)", data).group(1):
            return code, data


sdp = (f"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
       f"m=audio {rport} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n")
sip.sendto(req("INVITE", 1, body=sdp), (host, sip_port))
code, resp = final_response("INVITE")
if code != 200:
    print(f"FAIL: INVITE answered {code}"); sys.exit(1)
to_tag = re.search(r"^To:.*;tag=([^;\r\n]+)", resp, re.M).group(1)
media_port = int(re.search(r"^m=audio (\d+)", resp, re.M).group(1))
media_host = re.search(r"^c=IN IP4 (\S+)", resp, re.M).group(1)
sip.sendto(req("ACK", 1, to_tag), (host, sip_port))

sent, got, sources, ssrcs = [], [], set(), set()
seq, ts, ssrc = random.getrandbits(16), random.getrandbits(32), random.getrandbits(32)
start = time.monotonic()
for i in range(100):
    payload = os.urandom(160)
    sent.append(payload)
    pkt = struct.pack("!BBHII", 0x80, 0x80 if i == 0 else 0, (seq + i) & 0xFFFF, (ts + 160 * i) & 0xFFFFFFFF, ssrc) + payload
    rtp.sendto(pkt, (media_host, media_port))
    if stranger:
        bad = struct.pack("!BBHII", 0x80, 0, (7000 + i) & 0xFFFF, (900000 + 160 * i) & 0xFFFFFFFF, 0xBADBAD) + b"\x99" * 160
        evil.sendto(bad, (media_host, media_port))
    deadline = start + (i + 1) * 0.020
    while True:
        try:
            data, src = rtp.recvfrom(2048)
            if len(data) >= 12 and data[1] & 0x7F == 0:
                got.append(data[12:]); sources.add(src); ssrcs.add(struct.unpack("!I", data[8:12])[0])
        except BlockingIOError:
            pass
        if time.monotonic() >= deadline:
            break
        time.sleep(0.001)
end = time.monotonic() + 1.0
while time.monotonic() < end and len(got) < len(sent):
    try:
        data, src = rtp.recvfrom(2048)
        if len(data) >= 12 and data[1] & 0x7F == 0:
            got.append(data[12:]); sources.add(src); ssrcs.add(struct.unpack("!I", data[8:12])[0])
    except BlockingIOError:
        time.sleep(0.002)

sip.sendto(req("BYE", 2, to_tag), (host, sip_port))
bye_code, _ = final_response("BYE")
leaked = 0
while True:
    try:
        evil.recvfrom(2048); leaked += 1
    except BlockingIOError:
        break
leaked += sum(1 for g in got if g == b"\x99" * 160)
ok = got == sent and sources == {(media_host, media_port)} and ssrc not in ssrcs and bye_code == 200 and leaked == 0
print(f"{'ok' if ok else 'FAIL'}: sent {len(sent)} packets, {len(got)} echoed, "
      f"{sum(a == b for a, b in zip(sent, got))} bit-exact in order, from {sorted(sources)}, BYE {bye_code}"
      + (f", {leaked} stranger packets came back" if stranger else ""))
sys.exit(0 if ok else 1)
