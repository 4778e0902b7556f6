#!/usr/bin/env bash
# SIP call-rate benchmark: SIPp `uac` at rising call rates against (1) the daemon and
# (2) a bare `sipp -sn uas` on the same machine, each call INVITE/200/ACK/BYE/200 with no
# hold time. Prints, per target, the highest rate with 0 failed calls and 0 retransmissions
# ("clean"), then their ratio. Also measures the daemon's RSS before and after a long run.
# Loopback only; every run is bounded. Usage:
#   bench/sip-rate.sh [--rates "500 1000 ..."] [--seconds N] [--rss-calls N] [--bin PATH]
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/.build/release/sautipbx
RATES="250 500 750 1000 1250 1500 1750 2000 2250 2500 3000"
SECONDS_PER_STEP=10
RSS_CALLS=100000
while [ $# -gt 0 ]; do
  case $1 in
    --rates) RATES=$2; shift 2 ;;
    --seconds) SECONDS_PER_STEP=$2; shift 2 ;;
    --rss-calls) RSS_CALLS=$2; shift 2 ;;
    --bin) BIN=$2; shift 2 ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
done
WORK=$(mktemp -d /tmp/sautipbx-bench.XXXXXX)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -9 $p 2>/dev/null; done' EXIT

# run_step PORT RATE: one SIPp uac run; prints "successful failed retrans" from its CSV.
run_step() {
  local port=$1 rate=$2 calls=$(( $2 * SECONDS_PER_STEP ))
  rm -f "$WORK"/uac_*.csv
  (cd "$WORK" && timeout $(( SECONDS_PER_STEP * 4 + 30 )) sipp -sn uac 127.0.0.1:$port -s +254700000001 \
      -i 127.0.0.1 -p 0 -m $calls -r $rate -rp 1000 -l $(( rate * 4 )) -d 0 -nostdin -trace_stat -fd 1 \
      -timeout $(( SECONDS_PER_STEP * 4 + 20 )) -max_socket 1000 > /dev/null 2>&1)
  local csv=$(ls "$WORK"/uac_*.csv 2>/dev/null | head -1)
  [ -n "$csv" ] || { echo "0 $calls 0"; return; }
  python3 - "$csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1]), delimiter=';'))
h, last = rows[0], rows[-1]
col = lambda n: int(last[h.index(n)])
print(col("SuccessfulCall(C)"), col("FailedCall(C)"), col("Retransmissions(C)"))
PY
}

# sweep NAME PORT: rising rates until the first unclean step; echoes the best clean rate.
sweep() {
  local name=$1 port=$2 best=0
  for r in $RATES; do
    read ok bad re < <(run_step $port $r)
    printf '  %-8s rate %5d cps: %7d ok, %5d failed, %6d retransmissions\n' "$name" $r $ok $bad $re >&2
    if [ "$bad" -eq 0 ] && [ "$re" -eq 0 ] && [ "$ok" -gt 0 ]; then best=$r; else break; fi
  done
  echo $best
}

cat > "$WORK/bench.yaml" <<YAML
sip: { listen: ["127.0.0.1:25060"], overload: { max_active_calls: 50000 } }
rtp: { port_min: 30000, port_max: 60999 }
data_dir: "$WORK/data"
admin: { listen: "127.0.0.1:25080" }
log: { level: warning }
numbers:
  - { number: "+254700000001", route: hold }
YAML
"$BIN" run --config "$WORK/bench.yaml" > "$WORK/daemon.log" 2>&1 &
DPID=$!; PIDS+=($DPID)
(cd "$WORK" && sipp -sn uas -i 127.0.0.1 -p 25070 -nostdin -bg > /dev/null 2>&1)
sleep 1
UAS_PID=$(pgrep -f "sipp -sn uas -i 127.0.0.1 -p 25070" | head -1); PIDS+=($UAS_PID)

echo "SautiPBX SIP rate benchmark, $(nproc) cores, ${SECONDS_PER_STEP}s per step, $(date -u +%F)"
echo "daemon: $BIN (pid $DPID)"
rss() { awk '/VmRSS/ {print $2}' /proc/$1/status; }
echo "daemon RSS at start: $(rss $DPID) KiB"
pbx=$(sweep sautipbx 25060)
uas=$(sweep sipp-uas 25070)
echo "highest clean rate: sautipbx $pbx cps, bare sipp uas $uas cps"
python3 -c "print('ratio sautipbx / sipp-uas: %.2f' % ($pbx / max($uas, 1)))"

if [ "$RSS_CALLS" -gt 0 ]; then
  rate=$(( pbx > 0 ? pbx : 500 ))
  before=$(rss $DPID)
  rm -f "$WORK"/uac_*.csv
  (cd "$WORK" && timeout $(( RSS_CALLS / rate * 3 + 60 )) sipp -sn uac 127.0.0.1:25060 -s +254700000001 -i 127.0.0.1 -p 0 \
      -m $RSS_CALLS -r $rate -rp 1000 -d 0 -nostdin -trace_stat -fd 5 -timeout $(( RSS_CALLS / rate * 3 + 50 )) > /dev/null 2>&1)
  peak=$(rss $DPID)
  sleep 70   # Timers J/L hold transactions 32 s; the driver trims memory every 30 s after a burst
  after=$(rss $DPID)
  echo "RSS before $RSS_CALLS more calls at $rate cps: $before KiB; at their end: $peak KiB; 70 s later: $after KiB ($(( (after - before) * 1024 / RSS_CALLS )) bytes/call retained)"
fi

# Every answered call is a record in the store, ended and priced (issue 4): the store writer
# must keep up with the call rate and lose nothing.
python3 - "$WORK/data/sautipbx.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
total, ended, open_ = db.execute("SELECT COUNT(*), SUM(ended_at IS NOT NULL), SUM(ended_at IS NULL) FROM calls").fetchone()
print(f"call records in the store: {total}, ended {ended}, still open {open_}")
PY
