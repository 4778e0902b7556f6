#!/usr/bin/env python3
"""Issue 4 end to end: the real daemon with its SQLite store, driven by SIPp and the daemon's
own UAC, read back through the admin API over HTTP, with a real webhook receiver that checks
signatures. Prints one "ok ..." or "FAIL ..." line per check (integration/run.sh counts them).

Usage: billing_api.py BIN WORK_DIR SIPP_DIR
Everything listens on 127.0.0.1; every wait is bounded, so the script ends by itself.
"""
import json
import os
import re
import signal
import subprocess
import sys
import time

BIN, WORK, SIPP_DIR = (os.path.abspath(a) for a in sys.argv[1:4])
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Harness  # noqa: E402
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIP, ADMIN = 15100, 25100
BASE = f"http://127.0.0.1:{ADMIN}"
CONF = os.path.join(WORK, "D.yaml")
HARNESS = Harness(BIN, WORK, "D", SIP, ADMIN)
procs = []
# The shared plumbing (integration/harness.py): ok/FAIL lines, the API, the CLI, SIPp.
ok, fail, check, cli = HARNESS.ok, HARNESS.fail, HARNESS.check, HARNESS.cli


def api(method, path, body=None, key=None, headers=None):
    return HARNESS.api(method, path, body, key=key, headers=headers)


def start_daemon(log_name):
    p = HARNESS.start_daemon(log_name)
    procs.append(p)
    return p


def sipp(label, *args, timeout=60):
    return HARNESS.sipp(*args, timeout=timeout)


def wait_for(pred, seconds):
    end = time.time() + seconds
    while time.time() < end:
        v = pred()
        if v:
            return v
        time.sleep(0.2)
    return pred()


def calls(key, query=""):
    return api("GET", "/v1/calls?limit=100" + query, key=key)[1]["data"]


def ledger_sum(key):
    return sum(e["amount_minor"] for e in api("GET", "/v1/wallet/ledger?limit=100", key=key)[1]["data"])


def balance(key):
    return api("GET", "/v1/wallet", key=key)[1]["wallet"]["balance_minor"]


def hold_app():
    """The numbers' voice app: it answers every call and holds it (TwiML Pause), so calls stay
    up until SIPp, the API or a crash ends them. Returns its URL."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    import threading

    class Hold(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = b'<Response><Pause length="600"/></Response>'
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hold)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/voice"


def main():
    with open(CONF, "w") as f:
        f.write(f"""sip:
  listen: ["127.0.0.1:{SIP}"]
rtp: {{ port_min: 32000, port_max: 32999, media_timeout_seconds: 600 }}
admin: {{ listen: "127.0.0.1:{ADMIN}" }}
data_dir: "{WORK}/data-D"
calls: {{ ring_seconds: 0, drain_seconds: 1 }}
numbers:
  - {{ number: "+254700000001", route: hold }}
""")
    global HOLD_URL
    HOLD_URL = hold_app()
    daemon = start_daemon("D.log")
    check(api("GET", "/readyz")[0] == 200, "admin API ready: SIP bound and store open")

    # Bootstrap from nothing with the CLI, then everything else through the API.
    r = cli("create-workspace", "--name", "Billing", "--inbound-rate", "100", "--low-balance-threshold", "800")
    ws = re.search(r"workspace (\S+)", r.stdout)
    r2 = cli("create-key", "--workspace", "Billing", "--scopes", "admin")
    key = r2.stdout.strip().splitlines()[-1] if r2.returncode == 0 else ""
    if not check(ws and key.startswith("sk_"), "admin create-workspace and create-key bootstrap a working key", r.stdout + r.stderr + r2.stderr):
        return
    check(api("GET", "/v1/wallet", key=key)[0] == 200, "the CLI key authenticates against the API")

    # A webhook receiver that verifies signatures and answers 500 to each event's first attempt.
    secret_file = os.path.join(WORK, "webhook.secret")
    events_file = os.path.join(WORK, "webhook.events")
    recv = subprocess.Popen([sys.executable, os.path.join(ROOT, "integration", "webhook_receiver.py"), "@" + secret_file, "1", events_file],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    procs.append(recv)
    port = int(recv.stdout.readline())
    st, wh = api("POST", "/v1/webhooks", {"url": f"http://127.0.0.1:{port}/hooks",
                                          "events": ["call.started", "call.completed", "wallet.top_up", "wallet.low_balance"]}, key=key)
    check(st == 201, "webhook subscribed", wh)
    with open(secret_file, "w") as f:
        f.write(wh["webhook"]["secret"])

    st, num = api("POST", "/v1/numbers", {"e164": "+254711000100", "voice_callback_url": HOLD_URL}, key=key)
    check(st == 201, "number claimed through the API", num)
    st, _ = api("POST", "/v1/wallet/topups", {"amount_minor": 1000, "reference": "it-1"}, key=key, headers={"Idempotency-Key": "it-topup-1"})
    st2, _ = api("POST", "/v1/wallet/topups", {"amount_minor": 1000, "reference": "it-1"}, key=key, headers={"Idempotency-Key": "it-topup-1"})
    check(st == 201 and st2 == 201 and balance(key) == 1000, "top-up of KES 10.00 credited once under a replayed Idempotency-Key")

    # Five concurrent ~1.5 s calls to the claimed number at KES 1.00/min: each costs one started minute.
    rc = sipp("calls", "-sn", "uac", "-s", "+254711000100", "-m", "5", "-r", "5", "-l", "5", "-d", "1500", "-trace_err")
    check(rc == 0, "5 SIPp calls to the API-claimed number answered and ended")
    done = wait_for(lambda: [c for c in calls(key, "&status=completed")] if len(calls(key, "&status=completed")) >= 5 else None, 10) or []
    costs = [c["cost_minor"] for c in done]
    check(len(done) == 5 and costs == [100] * 5 and all(c["ledger_entry_id"] for c in done) and all(c["duration_seconds"] == 2 for c in done),
          f"each call billed once: duration 2 s, cost 100 (KES 1.00/min, per started minute), ledger entry on the record", done)
    check(balance(key) == 500 and ledger_sum(key) == 500, "balance 500 == sum of the ledger (1000 - 5 x 100)")
    detail = api("GET", f"/v1/calls/{done[0]['id']}", key=key)[1]["call"] if done else {}
    types = [e["type"] for e in detail.get("events", [])]
    check("call.answered" in types and "call.completed" in types and "media.quality" in types,
          f"call detail has its events in order: {', '.join(types)}", detail)

    # Hang up a live call through the API: SIPp's scenario expects the PBX's BYE.
    hang = subprocess.Popen(["sipp", f"127.0.0.1:{SIP}", "-sf", os.path.join(SIPP_DIR, "bye-from-pbx.xml"), "-s", "+254711000100",
                             "-m", "1", "-i", "127.0.0.1", "-p", "15991", "-nostdin", "-timeout", "30"], cwd=WORK,
                            stdout=open(os.path.join(WORK, "hangup-sipp.out"), "w"), stderr=subprocess.STDOUT)
    procs.append(hang)
    live = wait_for(lambda: calls(key, "&status=in_progress"), 10)
    st, h = api("POST", f"/v1/calls/{live[0]['id']}/hangup", key=key) if live else (0, "no live call seen")
    check(st == 200 and h.get("status") == "hung_up", "POST /v1/calls/{id}/hangup on a live call", h)
    try:
        check(hang.wait(timeout=20) == 0, "the caller received the PBX's BYE after the API hangup")
    except subprocess.TimeoutExpired:
        hang.kill()
        fail("the caller received the PBX's BYE after the API hangup (timed out)")

    # Drive the wallet negative, then inbound calls at a non-zero rate get SIP 402.
    st, w2 = api("POST", "/v1/workspaces", {"name": "Broke", "inbound_rate_per_minute_minor": 300}, key=key)
    st, k2 = api("POST", "/v1/api-keys", {"name": "broke", "scopes": ["admin"], "workspace_id": w2["workspace"]["id"]}, key=key)
    key2 = k2["secret"]
    api("POST", "/v1/numbers", {"e164": "+254711000200", "voice_callback_url": HOLD_URL}, key=key2)
    c1 = subprocess.run([BIN, "call", f"sip:+254711000200@127.0.0.1:{SIP}", "--hold", "1"], capture_output=True, text=True, timeout=30)
    negative = wait_for(lambda: balance(key2) < 0, 5)
    check(c1.returncode == 0 and negative and balance(key2) == -300, f"a call on an empty wallet completes and takes it to -300 (one call's cost)",
          c1.stdout + c1.stderr)
    time.sleep(0.5)
    c2 = subprocess.run([BIN, "call", f"sip:+254711000200@127.0.0.1:{SIP}", "--hold", "1"], capture_output=True, text=True, timeout=30)
    check("failed_402" in c2.stdout, "the next inbound call at a non-zero rate is refused with SIP 402", c2.stdout)
    refused = calls(key2, "&status=failed")
    check(len(refused) == 1 and refused[0]["failure_code"] == "wallet.insufficient_funds" and refused[0]["cost_minor"] == 0,
          "the refused call is recorded failed/wallet.insufficient_funds at no cost", refused)
    api("POST", "/v1/wallet/topups", {"amount_minor": 1000}, key=key2)
    time.sleep(0.5)
    c3 = subprocess.run([BIN, "call", f"sip:+254711000200@127.0.0.1:{SIP}", "--hold", "0.5"], capture_output=True, text=True, timeout=30)
    check(c3.returncode == 0, "after a top-up the number answers again", c3.stdout)

    # Webhooks: every event arrives signed, after one 500 each, exactly once at the receiver.
    def received():
        try:
            with open(events_file) as f:
                return [json.loads(line) for line in f if line.strip()]
        except OSError:
            return []
    def complete(events):
        count = lambda t: len([e for e in events if e["type"] == t])
        return count("call.completed") >= 6 and count("call.started") >= 6 and count("wallet.top_up") >= 1 and count("wallet.low_balance") >= 1
    # Each event's retry is jittered (10-12 s), so wait for all of them, not just the last kind.
    got = wait_for(lambda: received() if complete(received()) else None, 40) or received()
    kinds = {}
    for e in got:
        kinds[e["type"]] = kinds.get(e["type"], 0) + 1
    ids = [e["id"] for e in got]
    check(kinds.get("call.completed", 0) >= 6 and kinds.get("call.started", 0) >= 6 and kinds.get("wallet.top_up") == 1
          and kinds.get("wallet.low_balance") == 1 and len(ids) == len(set(ids)), f"webhooks verified by the receiver, each event once: {kinds}", got[-3:])
    hooks = api("GET", f"/v1/webhooks/{wh['webhook']['id']}/deliveries?limit=100", key=key)[1]["data"]
    retried = [d for d in hooks if d["status"] == "delivered" and d["attempts"] >= 2]
    check(len(retried) >= 6, f"deliveries retried after the receiver's 500 ({len(retried)} delivered on attempt 2+)", hooks[:3])
    # Manual retry of a delivered event: sent again (one more attempt recorded), and the
    # receiver, deduping by event id, still holds it once.
    if retried:
        d0 = retried[0]
        st, _ = api("POST", f"/v1/webhook-deliveries/{d0['id']}/retry", key=key)
        def again():
            ds = api("GET", f"/v1/webhooks/{wh['webhook']['id']}/deliveries?limit=100", key=key)[1]["data"]
            d = next((d for d in ds if d["id"] == d0["id"]), None)
            return d if d and d["attempts"] == d0["attempts"] + 1 and d["status"] == "delivered" else None
        d1 = wait_for(again, 10)
        ids_now = [e["id"] for e in received()]
        check(st == 200 and d1 is not None and len(ids_now) == len(set(ids_now)) == len(ids),
              f"manual retry re-sent a delivered event (attempt {d0['attempts'] + 1}) and the receiver kept it once", d1)

    # Prometheus metrics of the live daemon.
    st, text = api("GET", "/metrics")
    metrics = {}
    for line in (text.decode() if isinstance(text, bytes) else str(text)).splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition(" ")
            metrics[name] = float(value)
    # 9 calls so far: 5 SIPp, 1 hung up by the API, 3 to the broke workspace (one refused 402).
    check(st == 200 and metrics.get("sautipbx_calls_offered_total") == 9 and metrics.get("sautipbx_calls_answered_total") == 8
          and metrics.get("sautipbx_sip_listening") == 1
          and "sautipbx_webhook_queue_depth" in metrics and "sautipbx_rtp_packets_lost_total" in metrics,
          f"/metrics: 9 calls offered, {int(metrics.get('sautipbx_calls_answered_total', 0))} answered (one got 402), queue depth "
          f"{int(metrics.get('sautipbx_webhook_queue_depth', -1))}, RTP lost {int(metrics.get('sautipbx_rtp_packets_lost_total', -1))}", metrics)

    # kill -9 under SIPp load: live calls are closed and billed once at the next start.
    before = balance(key)
    load = subprocess.Popen(["sipp", f"127.0.0.1:{SIP}", "-sn", "uac", "-s", "+254711000100", "-m", "30", "-r", "10", "-l", "30",
                             "-d", "20000", "-nostdin", "-timeout", "40"], cwd=WORK, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(load)
    wait_for(lambda: len(calls(key, "&status=in_progress")) >= 20, 10)
    time.sleep(11)  # two heartbeats (every 5 s) record the live calls' activity
    daemon.send_signal(signal.SIGKILL)
    daemon.wait()
    load.kill()
    daemon = start_daemon("D2.log")
    check(api("GET", "/readyz")[0] == 200, "daemon restarted on the same store after kill -9")
    open_calls = calls(key, "&status=ringing,in_progress")
    restarted = calls(key, "&status=failed")
    pbx_restart = [c for c in restarted if c["failure_code"] == "pbx.restart"]
    check(not open_calls and len(pbx_restart) >= 20, f"{len(pbx_restart)} calls live at the crash closed as failed/pbx.restart, none left open")
    durations = sorted(c["duration_seconds"] or 0 for c in pbx_restart)
    check(all((c["cost_minor"] == 100) == bool(c["duration_seconds"]) and (c["ledger_entry_id"] is not None) == bool(c["duration_seconds"])
              for c in pbx_restart) and durations[len(durations) // 2] >= 4,
          f"each was ended at its last recorded activity (median {durations[len(durations) // 2]} s after answer) and billed once",
          pbx_restart[:2])
    after = balance(key)
    charged = sum(c["cost_minor"] for c in pbx_restart)
    check(after == before - charged and after == ledger_sum(key), f"balance {after} == {before} - {charged} == sum of the ledger")
    # A second crash and restart bills nothing again.
    entries = len(api("GET", "/v1/wallet/ledger?limit=100", key=key)[1]["data"])
    daemon.send_signal(signal.SIGKILL)
    daemon.wait()
    daemon = start_daemon("D3.log")
    check(balance(key) == after and len(api("GET", "/v1/wallet/ledger?limit=100", key=key)[1]["data"]) == entries,
          f"a second restart changes nothing: {entries} ledger entries, each call debited at most once")
    # The wallet is negative now (the crash calls were billed), so top up first.
    api("POST", "/v1/wallet/topups", {"amount_minor": 10000}, key=key)
    time.sleep(0.5)
    rc = sipp("after-restart", "-sn", "uac", "-s", "+254711000100", "-m", "1", "-d", "500")
    check(rc == 0, "the API-claimed number still routes after the restarts (numbers live in the store)")
    # The OpenAPI document against the implementation: targeted requests (recording links,
    # replays, 405, 413...) each validated against the document, then schemathesis fuzzing.
    doc = os.path.join(ROOT, "Sources", "AdminAPI", "openapi.json")
    live = subprocess.run([sys.executable, os.path.join(ROOT, "integration", "openapi_live_check.py"), BASE, key, doc],
                          capture_output=True, text=True, timeout=120)
    lines = live.stdout.strip().splitlines()
    check(live.returncode == 0, f"{len(lines)} targeted API requests conform to /openapi.json", live.stdout[-3000:] + live.stderr[-2000:])
    env = dict(os.environ, SCHEMATHESIS_MAX_TIME="90")
    st = subprocess.run(["bash", os.path.join(ROOT, "integration", "schemathesis.sh"), BASE, key], capture_output=True, text=True,
                        timeout=200, env=env)
    summary = [l for l in st.stdout.splitlines() if re.search(r"passed|failed|cases|test cases", l, re.I)]
    check(st.returncode == 0, "schemathesis: no 5xx, every status and body as /openapi.json says"
          + (f" ({summary[-1].strip()})" if summary else ""), st.stdout[-4000:] + st.stderr[-2000:])
    daemon.send_signal(signal.SIGTERM)
    try:
        daemon.wait(timeout=15)
    except subprocess.TimeoutExpired:
        daemon.kill()


try:
    main()
except Exception as e:  # a broken step must show up as a failure, not a traceback only
    import traceback
    fail(f"billing/API scenario stopped: {e!r}", traceback.format_exc())
finally:
    for p in procs:
        if p.poll() is None:
            p.kill()
sys.exit(1 if HARNESS.failures else 0)
