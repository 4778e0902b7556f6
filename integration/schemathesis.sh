#!/usr/bin/env bash
# Fuzzes the running SautiPBX admin API against the OpenAPI document it serves.
#
#   run_schemathesis.sh BASE_URL API_KEY [extra schemathesis options...]
#   e.g. run_schemathesis.sh http://127.0.0.1:8080 sk_...   (an admin-scope key)
#
# Checks: not_a_server_error, status_code_conformance, response_schema_conformance.
# Exits non-zero when schemathesis reports a failure (or when it cannot run).
#
# Written for schemathesis 4.x (checked with 4.32.5: `schemathesis run --help`).
# - --max-examples 25 per operation, --max-time bounds the whole run (the fuzzing and
#   stateful phases otherwise repeat until the budget is spent); `timeout` is a hard stop.
# - --seed makes the generated data reproducible.
# - --workers 1: with parallel workers, hypothesis's lambda-source parsing raced inside
#   CPython 3.11's ast module once ("SystemError: AST constructor recursion depth mismatch"),
#   an error in the tool, not the API; one worker is also what makes --seed reproducible.
# - --max-redirects 0: GET /v1/calls/{id}/recording answers 302; the 302 is what is tested.
# - revokeAPIKey (DELETE /v1/api-keys/{id}) is excluded: the stateful phase follows ids
#   from earlier responses and could revoke the very key the run authenticates with,
#   turning the rest of the run into 401s. Everything else may create/delete freely in
#   the test store.
set -euo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 BASE_URL API_KEY [extra schemathesis options...]" >&2
    exit 2
fi
BASE_URL="${1%/}"
API_KEY="$2"
shift 2

MAX_TIME="${SCHEMATHESIS_MAX_TIME:-150}"     # seconds of testing
HARD_LIMIT=$((MAX_TIME + 40))                # schema load, report, slack
SEED="${SCHEMATHESIS_SEED:-20261129}"

# The console script may land outside PATH (pip --user); the module entry point always works.
ST=(python3 -m schemathesis.cli)
if ! "${ST[@]}" --version >/dev/null 2>&1; then
    python3 -m pip install --quiet --disable-pip-version-check schemathesis >/dev/null 2>&1 || {
        echo "could not install schemathesis with pip" >&2
        exit 2
    }
fi

# The document must be served; a clear message beats a schemathesis stack of errors.
if ! curl -fsS -o /dev/null --max-time 10 "$BASE_URL/openapi.json"; then
    echo "cannot fetch $BASE_URL/openapi.json" >&2
    exit 2
fi

# Hypothesis and schemathesis keep state directories in the working directory; keep them
# out of the repository the script is run from.
WORKDIR="$(mktemp -d)"
trap 'rm -rf "$WORKDIR"' EXIT
cd "$WORKDIR"

set +e
timeout --kill-after=10 "$HARD_LIMIT" "${ST[@]}" run "$BASE_URL/openapi.json" \
    --url "$BASE_URL" \
    --header "Authorization: Bearer $API_KEY" \
    --checks not_a_server_error,status_code_conformance,response_schema_conformance \
    --max-examples 25 \
    --max-time "$MAX_TIME" \
    --seed "$SEED" \
    --max-redirects 0 \
    --request-timeout 10 \
    --workers 1 \
    --exclude-operation-id revokeAPIKey \
    --generation-database none \
    --no-color \
    "$@"
rc=$?
set -e
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    echo "schemathesis did not finish within ${HARD_LIMIT}s" >&2
fi
exit "$rc"
