#!/usr/bin/env bash
# Installs the Debian packages SautiPBX needs to build and test, only when missing.
# Idempotent: on a machine that has everything it runs no apt command at all.
set -euo pipefail

PACKAGES=(
  pkg-config        # system-library targets
  libssl-dev        # TLS/DTLS later; digest hashes come from swift-crypto
  libopus-dev       # media issue: Opus
  libsrtp2-dev      # media issue: SRTP
  libspeexdsp-dev   # media issue: resampling between 8 and 48 kHz
  libespeak-ng-dev  # voice issue: text-to-speech for `say` (brings espeak-ng-data: en, sw voices)
  libmpg123-dev     # voice issue: MP3 files for `play`
  baresip-core      # a real SIP user agent for echo/Opus/SRTP integration calls
  sip-tester        # SIPp: integration tests and benchmarks
  python3           # test helpers (sd_notify listener, callback apps)
)
# systemd-analyze (package systemd) verifies the unit file when present; not required.

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

# schemathesis (PyPI) fuzzes the admin API against its OpenAPI document in the integration
# tests; it brings jsonschema, which integration/openapi_live_check.py uses too.
if ! python3 -c "import schemathesis, jsonschema" 2>/dev/null; then
  echo "install-deps: installing schemathesis from PyPI"
  python3 -m pip install --quiet --disable-pip-version-check "schemathesis==4.32.5"
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all Debian packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
