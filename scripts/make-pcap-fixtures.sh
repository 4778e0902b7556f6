#!/usr/bin/env bash
# Regenerates pcap-fixtures/*.pcap (see pcap-fixtures/README.md for what each file holds).
# Needs espeak-ng, sox and python3 (standard library only). Deterministic for a given
# espeak-ng/sox version: sox runs without dither (-D), so nothing random enters the audio.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/pcap-fixtures"
for tool in espeak-ng sox python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install espeak-ng sox python3)" >&2; exit 1; }
done
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "$(espeak-ng --version | head -1)"
echo "$(sox --version | head -1)"

# Swahili prompts, synthesized at espeak-ng's 22050 Hz, then 8 kHz mono 16-bit for G.711.
espeak-ng -v sw -w "$tmp/pcmu-22k.wav" "Karibu SautiPBX. Bonyeza moja."
espeak-ng -v sw -w "$tmp/pcma-22k.wav" "Asante sana."
sox -D "$tmp/pcmu-22k.wav" -r 8000 -c 1 -b 16 "$tmp/pcmu-8k.wav"
sox -D "$tmp/pcma-22k.wav" -r 8000 -c 1 -b 16 "$tmp/pcma-8k.wav"

python3 "$root/scripts/pcap_fixture_gen.py" --pcmu-wav "$tmp/pcmu-8k.wav" --pcma-wav "$tmp/pcma-8k.wav" --out "$out"
