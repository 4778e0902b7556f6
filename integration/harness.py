"""Shared plumbing for the Python end-to-end scripts: a daemon with its own config and data
directory, the admin API over urllib, CLI bootstrap, SIPp, and ok/FAIL lines that
integration/run.sh counts. Every wait is bounded."""
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request


class Harness:
    def __init__(self, bin_path, work, name, sip_port, admin_port):
        self.bin, self.work, self.name = bin_path, work, name
        self.sip, self.admin = sip_port, admin_port
        self.base = f"http://127.0.0.1:{admin_port}"
        self.conf = os.path.join(work, f"{name}.yaml")
        self.failures = 0
        self.procs = []

    def ok(self, msg):
        print(f"ok {msg}", flush=True)

    def fail(self, msg, detail=""):
        self.failures += 1
        print(f"FAIL {msg}", flush=True)
        for line in str(detail).splitlines()[-25:]:
            print(f"       {line[:400]}", flush=True)

    def check(self, cond, msg, detail=""):
        if cond:
            self.ok(msg)
        else:
            self.fail(msg, detail)
        return cond

    def write_config(self, extra="", sip_extra=""):
        with open(self.conf, "w") as f:
            f.write(f"""sip:
  listen: ["127.0.0.1:{self.sip}"]
  {sip_extra}
admin: {{ listen: "127.0.0.1:{self.admin}" }}
data_dir: "{self.work}/data-{self.name}"
{extra}
""")

    def api(self, method, path, body=None, key=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if key:
            req.add_header("Authorization", f"Bearer {key}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                raw = r.read()
                return r.status, (json.loads(raw) if raw and r.headers.get("Content-Type", "").startswith("application/json") else raw)
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw)
            except ValueError:
                return e.code, raw

    def start_daemon(self, log_name):
        log = open(os.path.join(self.work, log_name), "ab")
        p = subprocess.Popen([self.bin, "run", "--config", self.conf], stdout=log, stderr=log)
        self.procs.append(p)
        for _ in range(150):
            try:
                if self.api("GET", "/readyz")[0] == 200:
                    return p
            except OSError:
                pass
            time.sleep(0.1)
        return p

    def cli(self, *args):
        return subprocess.run([self.bin, "admin", *args, "--config", self.conf], capture_output=True, text=True, timeout=30)

    def bootstrap(self, name, inbound_rate=0):
        """A workspace and an admin key made with the CLI; returns (workspace id, key)."""
        r = self.cli("create-workspace", "--name", name, "--inbound-rate", str(inbound_rate))
        ws = re.search(r"workspace (\S+)", r.stdout)
        r2 = self.cli("create-key", "--workspace", name, "--scopes", "admin")
        key = r2.stdout.strip().splitlines()[-1] if r2.returncode == 0 else ""
        self.check(bool(ws) and key.startswith("sk_"), "CLI bootstrap: workspace and admin key", r.stdout + r.stderr + r2.stderr)
        return (ws.group(1) if ws else ""), key

    def sipp(self, *args, timeout=60):
        r = subprocess.run(["sipp", f"127.0.0.1:{self.sip}", "-nostdin", "-timeout", str(timeout - 5), *args],
                           cwd=self.work, capture_output=True, text=True, timeout=timeout)
        self.last_sipp = (r.stdout + r.stderr)[-3000:]
        return r.returncode

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
