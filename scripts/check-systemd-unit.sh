#!/usr/bin/env bash
# Verifies a systemd unit file with `systemd-analyze verify`, strictly.
#
# Usage: scripts/check-systemd-unit.sh UNIT_FILE
#
# systemd-analyze exits 0 on unknown keys and bad values (it only warns on stderr), and exits 1
# when ExecStart's binary is missing. So: copy the unit to a temp dir with every Exec*= program
# pointed at /bin/true, verify that copy, and fail on a non-zero exit OR any stderr output.
# Without systemd-analyze the check is skipped (exit 0), so CI without systemd still passes.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 UNIT_FILE" >&2
  exit 2
fi
unit="$1"
if [ ! -f "$unit" ]; then
  echo "check-systemd-unit: no such file: $unit" >&2
  exit 2
fi

if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "skipped: systemd-analyze not installed"
  exit 0
fi

stand_in=/bin/true
[ -x "$stand_in" ] || stand_in=/usr/bin/true

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# Keep the unit's file name: systemd derives the unit name (and type) from it.
copy="$tmp/$(basename "$unit")"
# Replace the program (first word, after any of systemd's "-@:+!" prefixes) of each Exec*= line,
# keeping its arguments, so the check does not depend on the daemon being installed.
sed -E 's#^(Exec[A-Za-z]*=[-@:+!]*)[^[:space:]]+#\1'"$stand_in"'#' "$unit" >"$copy"

set +e
# No systemd runs as PID 1 in containers and CI; verify works offline on the file itself.
systemd-analyze verify "$copy" >"$tmp/stdout" 2>"$tmp/stderr"
status=$?
set -e

cat "$tmp/stdout"
if [ "$status" -ne 0 ] || [ -s "$tmp/stderr" ]; then
  echo "check-systemd-unit: FAILED for $unit (systemd-analyze exit $status):" >&2
  # Show messages against the original name rather than the temp copy.
  sed "s#$tmp/##g" "$tmp/stderr" >&2
  exit 1
fi
echo "check-systemd-unit: OK $unit"
