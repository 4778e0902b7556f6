#!/usr/bin/env bash
# Media benchmark: N concurrent echo calls from MediaBench (a load generator on the same
# machine) against the daemon's echo number, PCMU at rising N and then Opus at a shorter
# list. Prints MediaBench's line per run and a table: daemon CPU per leg (% of one core) and
# in total, legs per core, RSS per leg, packets lost and mismatched, p99/max send jitter of
# the echoes, and the generator's own CPU (it shares the same cores). The daemon is restarted
# for every run so RSS per leg is clean; each echo call is ONE leg on the daemon.
# Builds nothing: `swift build -c release --product sautipbx` and MediaBench first.
# Loopback only; every run is bounded. Usage:
#   bench/media.sh [--legs "250 500 1000 1500 2000"] [--opus-legs "250 500 1000"]
#                  [--seconds 20] [--warmup 3] [--cps 200] [--bin PATH] [--bench PATH]
#                  [--config config/sautipbx.yaml (the file the bench config is derived from)]
#                  [--wait-quiet 180 (seconds to wait for other load to stop before each run)]
#                  [--tries 3 --max-other 10 (repeat a run whose window saw more than 10 % of a
#                   core of other load; keep the quietest)] [--no-realtime (sender at normal
#                   priority: then the generator's own lateness shows up in the daemon's jitter)]
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/.build/release/sautipbx
BENCH=$ROOT/.build/release/MediaBench
CONFIG=$ROOT/config/sautipbx.yaml
LEGS="250 500 1000 1500 2000"
OPUS_LEGS="250 500 1000"
SECS=20
WARMUP=3
CPS=200
QUIET_WAIT=180
TRIES=3
MAX_OTHER=10
REALTIME=--realtime
while [ $# -gt 0 ]; do
  case $1 in
    --legs) LEGS=$2; shift 2 ;;
    --opus-legs) OPUS_LEGS=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --cps) CPS=$2; shift 2 ;;
    --bin) BIN=$2; shift 2 ;;
    --bench) BENCH=$2; shift 2 ;;
    --config) CONFIG=$2; shift 2 ;;
    --wait-quiet) QUIET_WAIT=$2; shift 2 ;;
    --tries) TRIES=$2; shift 2 ;;
    --max-other) MAX_OTHER=$2; shift 2 ;;
    --no-realtime) REALTIME=; shift ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
done
for f in "$BIN" "$BENCH"; do
  [ -x "$f" ] || { echo "not built: $f (swift build -c release --product ...)"; exit 2; }
done
ulimit -n "$(ulimit -Hn)" 2>/dev/null   # one socket per call in MediaBench, two per leg in the daemon
WORK=$(mktemp -d /tmp/sautipbx-media.XXXXXX)
DPID=
stop_daemon() {
  [ -n "$DPID" ] || return 0
  kill -TERM "$DPID" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$DPID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$DPID" 2>/dev/null; wait "$DPID" 2>/dev/null; DPID=
}
# run_one runs inside $(...) subshells, which do not share DPID with this shell: the pid file
# lets the exit trap stop a daemon left by an interrupted run.
trap 'DPID=$(cat "$WORK/daemon.pid" 2>/dev/null); stop_daemon; rm -rf "$WORK"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
SIP_PORT=$(free_port)
ADMIN_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# The shipped config with only what a benchmark must change: SIP on 127.0.0.1 only at a free
# port, a wide RTP range kept below the kernel's ephemeral ports (where MediaBench's own RTP
# sockets are bound), no call limit in the way, quiet logs, a private data directory.
python3 - "$CONFIG" "$WORK/bench.yaml" "$SIP_PORT" "$ADMIN_PORT" "$WORK/data" <<'PY' || exit 2
import sys
src, dst, sip, admin, data = sys.argv[1:]
text = open(src).read()
eph_low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
port_max = min(39999, eph_low - 1)
if port_max % 2 == 0: port_max -= 1
edits = [
    ('  listen:\n    - "127.0.0.1:5060"\n    - "[::1]:5060"\n', f'  listen:\n    - "127.0.0.1:{sip}"\n'),
    ("max_active_calls: 20000", "max_active_calls: 1000000"),
    ("port_min: 20000", "port_min: 10000"),
    ("port_max: 39999", f"port_max: {port_max}"),
    ('listen: "127.0.0.1:8080"', f'listen: "127.0.0.1:{admin}"'),
    ('data_dir: "./data"', f'data_dir: "{data}"'),
    ("  level: info", "  level: warning"),
]
for old, new in edits:
    if text.count(old) != 1:
        sys.exit(f"{src} changed: cannot find {old!r} exactly once; update bench/media.sh")
    text = text.replace(old, new)
open(dst, "w").write(text)
PY
"$BIN" check-config "$WORK/bench.yaml" > /dev/null || { echo "generated config is invalid"; exit 2; }

# wait_quiet: on a shared machine, other load (builds, tests) distorts every figure, so each
# run waits (at most QUIET_WAIT s) until the machine is below 15 % of one core busy for 2 s.
# MediaBench's other_cpu column shows what load was left during the window anyway.
wait_quiet() {
  python3 - "$QUIET_WAIT" <<'PY'
import sys, time
def busy():
    f = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    return f[0] + f[1] + f[2] + f[5] + f[6] + f[7]
deadline = time.time() + int(sys.argv[1])
while True:
    a = busy(); time.sleep(2); b = busy()
    pct = (b - a) / 2  # clock ticks are 1/100 s: ticks per second = % of one core
    if pct < 15: break
    if time.time() > deadline:
        print(f"  (machine still {pct:.0f}% busy with other work; running anyway)", file=sys.stderr); break
PY
}

# run_one CODEC LEGS: fresh daemon, one MediaBench run; prints its result line (or a failure line).
run_one() {
  local codec=$1 legs=$2 line
  wait_quiet
  "$BIN" run --config "$WORK/bench.yaml" > "$WORK/daemon-$codec-$legs.log" 2>&1 &
  DPID=$!
  echo "$DPID" > "$WORK/daemon.pid"
  for _ in $(seq 50); do   # ready when the SIP port is bound
    ss -Hlun "sport = :$SIP_PORT" 2>/dev/null | grep -q . && break
    kill -0 "$DPID" 2>/dev/null || break
    sleep 0.1
  done
  sleep 0.5
  line=$("$BENCH" --target "127.0.0.1:$SIP_PORT" --pid "$DPID" --codec "$codec" --legs "$legs" --cps "$CPS" \
           --warmup "$WARMUP" --seconds "$SECS" $REALTIME 2> "$WORK/bench-$codec-$legs.err")
  local rc=$?
  stop_daemon
  rm -f "$WORK/daemon.pid"
  if [ $rc -ne 0 ] || [ -z "$line" ]; then
    line="codec=$codec legs=$legs error=exit_$rc"
    sed 's/^/    /' "$WORK/bench-$codec-$legs.err" >&2
  fi
  echo "$line"
}

echo "SautiPBX media benchmark, $(nproc) cores, ${WARMUP}s warm-up + ${SECS}s window per run, $CPS cps ramp, sender ${REALTIME:-at normal priority}, $(date -u +%F)"
echo "daemon: $BIN; generator: $BENCH; SIP 127.0.0.1:$SIP_PORT"
# measure CODEC LEGS: run_one until other load stayed under MAX_OTHER % (at most TRIES runs);
# prints every attempt's line to stderr and the quietest one to stdout.
measure() {
  local best= best_other=100000 line other
  for t in $(seq "$TRIES"); do
    line=$(run_one "$1" "$2")
    echo "$line" >&2
    other=$(sed -n 's/.*other_cpu=\([0-9]*\)%.*/\1/p' <<< "$line")
    [ -n "$other" ] || { [ -n "$best" ] || best=$line; continue; }
    if [ "$other" -lt "$best_other" ]; then best=$line; best_other=$other; fi
    [ "$other" -le "$MAX_OTHER" ] && break
    echo "  (other load $other% of a core during the window; trying again)" >&2
  done
  echo "$best"
}
RESULTS=()
for n in $LEGS; do RESULTS+=("$(measure pcmu "$n")"); done
for n in $OPUS_LEGS; do RESULTS+=("$(measure opus "$n")"); done

echo
printf '%s\n' "${RESULTS[@]}" | python3 -c '
import sys
cols = [("codec","codec"),("legs","legs"),("failed","failed"),("cpu/leg","cpu_per_leg"),("daemon cpu","cpu_total"),
        ("legs/core","legs_per_core"),("top thread","daemon_top_thread"),("rss/leg","rss_per_leg"),("lost","lost"),
        ("mismatch","mismatched"),("p99 jitter ms","p99_jitter_ms"),("max jitter ms","max_jitter_ms"),
        ("gen cpu","gen_cpu"),("late ticks","late_ticks"),("udp drops","udp_drops"),("other cpu","other_cpu")]
rows = [dict(p.split("=", 1) for p in l.split() if "=" in p) for l in sys.stdin if l.strip()]
print("| " + " | ".join(c[0] for c in cols) + " |")
print("|" + "---|" * len(cols))
for r in rows:
    if "error" in r:
        print("| %s | %s | run failed: %s |" % (r.get("codec"), r.get("legs"), r["error"])); continue
    print("| " + " | ".join(r.get(k, "") for _, k in cols) + " |")
'
