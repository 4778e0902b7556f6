#!/usr/bin/env python3
"""Voice-app benchmark: SIPp places calls at a fixed rate into a number whose voice app (a
local HTTP server here) runs say -> getDigits (no input) -> record (silence) -> hangup, so
every call makes two callback requests and plays, listens and records on live media.

Prints calls offered/completed, the call rate and peak concurrent calls, and the callback
latency the daemon measured (command to document applied, from /metrics) next to the app's
own handling time, so the daemon's overhead is the difference.

Usage: bench/voice_flow.py BIN RATE CALLS    (loopback only; bounded waits)
"""
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "integration"))
from harness import Harness  # noqa: E402

BIN, RATE, CALLS = os.path.abspath(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
WORK = tempfile.mkdtemp(prefix="sautipbx-voice-bench.")
SIP, ADMIN = 15300, 25300
h = Harness(BIN, WORK, "V", SIP, ADMIN)

def cpu_seconds(pid):
    """utime + stime of a process, in seconds (proc(5))."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def metrics():
    st, body = h.api("GET", "/metrics")
    return body.decode() if isinstance(body, bytes) else str(body)


def quantile_from_histogram(text, q, name="latency"):
    buckets = [(float(le) if le != "+Inf" else float("inf"), int(v)) for le, v in
               re.findall(r'sautipbx_callback_%s_seconds_bucket\{le="([^"]+)"\} (\d+)' % name, text)]
    total = buckets[-1][1] if buckets else 0
    for le, cum in buckets:
        if total and cum >= q * total:
            return le * 1000, total
    return float("nan"), total


def main():
    # The app runs in its own process (asyncio, one thread) so it neither shares a GIL with
    # this script nor adds thread-per-connection latency to what we measure.
    app = subprocess.Popen([sys.executable, os.path.join(ROOT, "bench", "voice_bench_app.py")],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    port = int(app.stdout.readline())
    h.write_config(extra="log: { level: warning }\ncalls: { drain_seconds: 1 }\n"
                         "rtp: { port_min: 34000, port_max: 39999, media_timeout_seconds: 600 }",
                   sip_extra="overload: { max_active_calls: 5000 }")
    daemon = h.start_daemon("V.log")
    _, key = h.bootstrap("bench")
    h.api("POST", "/v1/numbers", {"e164": "+254711009999", "voice_callback_url": f"http://127.0.0.1:{port}/start"}, key=key)
    time.sleep(0.5)
    peak = [0]
    rss = [0.0, 0.0]  # before, peak
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            m = re.search(r"^sautipbx_active_calls (\d+)", metrics(), re.M)
            if m:
                peak[0] = max(peak[0], int(m.group(1)))
            rss[1] = max(rss[1], rss_mb(daemon.pid))
            time.sleep(0.25)
    threading.Thread(target=sample, daemon=True).start()
    rss[0] = rss_mb(daemon.pid)
    cpu0 = cpu_seconds(daemon.pid)
    t0 = time.time()
    r = subprocess.run(["sipp", f"127.0.0.1:{SIP}", "-sf", os.path.join(ROOT, "integration/sipp/bye-from-pbx.xml"),
                        "-s", "+254711009999", "-i", "127.0.0.1", "-p", "0", "-m", str(CALLS), "-r", str(RATE),
                        "-l", str(RATE * 20), "-nostdin", "-timeout", str(CALLS // RATE + 60), "-trace_stat", "-fd", "1",
                        "-max_socket", "2000"], cwd=WORK, capture_output=True, text=True, timeout=CALLS // RATE + 90)
    wall = time.time() - t0
    cpu = cpu_seconds(daemon.pid) - cpu0
    stop.set()
    m = metrics()
    p50, n = quantile_from_histogram(m, 0.50)
    p99, _ = quantile_from_histogram(m, 0.99)
    x50, _ = quantile_from_histogram(m, 0.50, "exchange")
    x99, _ = quantile_from_histogram(m, 0.99, "exchange")
    fails = re.search(r"^sautipbx_callback_failures_total (\d+)", m, re.M)
    csvs = [f for f in os.listdir(WORK) if f.endswith(".csv")]
    ok_calls = failed = 0
    if csvs:
        rows = [l.split(";") for l in open(os.path.join(WORK, csvs[0])).read().splitlines()]
        hdr, last = rows[0], rows[-1]
        ok_calls, failed = int(last[hdr.index("SuccessfulCall(C)")]), int(last[hdr.index("FailedCall(C)")])
    app.stdin.close()
    seen, ap50, ap99 = app.stdout.readline().split()
    app.wait(timeout=10)
    print(f"rate {RATE} cps, {CALLS} calls: {ok_calls} completed, {failed} failed, sipp exit {r.returncode}, wall {wall:.1f} s")
    print(f"peak concurrent calls {peak[0]}; callback requests {n} (app saw {seen}), failures {fails.group(1) if fails else '?'}")
    print(f"callback latency seen by the daemon: p50 <= {p50:.1f} ms, p99 <= {p99:.1f} ms (histogram bucket bounds); "
          f"app handling p50 {ap50} ms, p99 {ap99} ms")
    print(f"daemon CPU {cpu:.1f} s over {wall:.1f} s ({100 * cpu / wall:.0f} % of one core, {1000 * cpu / max(1, ok_calls):.1f} ms per call); "
          f"RSS {rss[0]:.0f} MB before, peak {rss[1]:.0f} MB")
    print(f"  of which the HTTP exchange (client to app and back): p50 <= {x50:.1f} ms, p99 <= {x99:.1f} ms")
    h.stop()


if __name__ == "__main__":
    main()
