#!/usr/bin/env bash
# Builds the libFuzzer target FuzzSIP (ASan + fuzzer instrumentation) and runs it for N seconds
# (default 60), seeded with the RFC 4475 torture messages. Exits non-zero when the fuzzer finds
# a crash, a sanitizer report or a round-trip mismatch; the crashing input is left in
# fuzz-artifacts/.
#
#   scripts/fuzz-sip.sh [seconds] [extra libFuzzer flags...]
#
# The sanitized build uses its own scratch directory (.build-fuzz) so it does not force a full
# rebuild of the normal debug build in .build.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_TO_RUN="${1:-60}"
shift || true
SCRATCH=.build-fuzz
SEEDS=fuzz-corpus/seeds          # written from the torture messages on every run
CORPUS=fuzz-corpus/generated     # what the fuzzer learned; kept between runs
ARTIFACTS=fuzz-artifacts
mkdir -p "$SEEDS" "$CORPUS" "$ARTIFACTS"

echo "==> building FuzzSIP with -sanitize=fuzzer,address"
# swift-driver keeps only the LAST -sanitize= flag when compiling (linking gets all), and
# SwiftPM emits its --sanitize values in no fixed order, so `--sanitize=fuzzer
# --sanitize=address` alone sometimes compiles without coverage counters. The combined
# -Xswiftc flag comes last and enables both.
swift build --product FuzzSIP --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address \
    --scratch-path "$SCRATCH" 2>&1 \
    | grep -v "Cannot export local symbol" || true
BIN="$SCRATCH/debug/FuzzSIP"
[ -x "$BIN" ] || { echo "fuzz build failed" >&2; exit 2; }

echo "==> writing the seed corpus to $SEEDS"
SIP_FUZZ_CORPUS="$PWD/$SEEDS" swift test --filter FuzzCorpusExport 2>&1 | tail -1

echo "==> fuzzing for ${SECONDS_TO_RUN}s"
LOG="$ARTIFACTS/last-run.log"
set +e
SWIFT_BACKTRACE=enable=no "$BIN" -max_total_time="$SECONDS_TO_RUN" -max_len=4096 \
    -artifact_prefix="$ARTIFACTS/" -print_final_stats=1 "$@" "$CORPUS" "$SEEDS" >"$LOG" 2>&1
STATUS=$?
set -e
tail -n 15 "$LOG"
# An uninstrumented binary would "pass" while testing nothing: insist on coverage counters.
if ! grep -q "inline 8-bit counters" "$LOG"; then
    echo "FuzzSIP has no coverage instrumentation; rebuild with: rm -rf $SCRATCH" >&2
    exit 3
fi
if [ "$STATUS" -ne 0 ]; then
    echo "FuzzSIP found a problem (exit $STATUS); inputs in $ARTIFACTS/" >&2
    exit "$STATUS"
fi
echo "==> no crash in ${SECONDS_TO_RUN}s"
