#!/usr/bin/env python3
"""A stand-in for systemd's notify socket: prints every sd_notify datagram it receives.
Usage: notify_listener.py SOCKET_PATH. Exits after 300 s so tests always end."""
import os, socket, sys, time

path = sys.argv[1]
if os.path.exists(path):
    os.unlink(path)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
s.settimeout(1.0)
deadline = time.time() + 300
while time.time() < deadline:
    try:
        data = s.recv(4096)
    except socket.timeout:
        continue
    for line in data.decode(errors="replace").split("\n"):
        print(line, flush=True)
