#!/usr/bin/env python3
"""The benchmark's voice app: a single-threaded asyncio HTTP/1.1 server (keep-alive, no thread
per connection) so its own latency stays far below the daemon's. /start answers
say -> getDigits -> record; anything else hangs up. Prints its port, then on SIGTERM (or
stdin closing) the request count and its handling-time p50/p99 in ms."""
import asyncio
import sys
import time

START = (b'{"actions":[{"say":{"text":"Welcome to the benchmark."}},'
         b'{"getDigits":{"timeout":1,"numDigits":1,"callbackUrl":"/digits"}},'
         b'{"record":{"action":"/recorded","timeout":1,"maxLength":3,"playBeep":false}}]}')
DONE = b'{"actions":[{"hangup":{}}]}'
times = []


def response(body):
    return (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + str(len(body)).encode() + b"\r\n\r\n" + body)


RESPONSES = {b"/start": response(START)}
OTHER = response(DONE)


async def serve(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            t0 = time.perf_counter()
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            if length:
                await reader.readexactly(length)
            path = head.split(b" ", 2)[1].split(b"?", 1)[0]
            writer.write(RESPONSES.get(path, OTHER))
            times.append(time.perf_counter() - t0)
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # until the bench closes our stdin
    server.close()
    t = sorted(times)
    q = (lambda f: t[max(0, int(len(t) * f) - 1)] * 1000) if t else (lambda f: float("nan"))
    print(f"{len(t)} {q(0.5):.3f} {q(0.99):.3f}", flush=True)


asyncio.run(main())
