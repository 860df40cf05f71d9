#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mixwright developers
# SPDX-License-Identifier: ISC
#
# The README's run command: installs what is missing, builds, and
# 1. starts mixwright-console on the demo session (scripts/demo-session.json: two
#    strips with generated DEMO material, Utility on strip 1, pre-fader sends to a cue
#    bus, x42 dpl limiter on the master). It uses the running JACK server, or starts a
#    private `jackd -d dummy` (stopped by its PID at exit). It drives the console with
#    a few commands on stdin, prints live meters when stdout is a terminal, and ends
#    after MIXWRIGHT_DEMO_SECONDS (default 8) seconds;
# 2. renders a demo file through Mixwright Utility with mixwright-render and prints
#    the measurements before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -f build/build.ninja ] || meson setup build --buildtype=release
ninja -C build

out=build/demo
mkdir -p "$out"
export LV2_PATH="$PWD/build/lv2:/usr/lib/lv2"
seconds=${MIXWRIGHT_DEMO_SECONDS:-8}

# --- 1. the console --------------------------------------------------------------
server_args=()
jackd_pid=
if ! jack_lsp >/dev/null 2>&1; then
  server="mixwright-demo-$$"
  echo "No JACK server running: starting a private one ($server, dummy backend)."
  JACK_NO_AUDIO_RESERVATION=1 jackd -n "$server" -d dummy -r 48000 -p 256 >"$out/jackd.log" 2>&1 &
  jackd_pid=$!
  trap '[ -n "$jackd_pid" ] && kill "$jackd_pid" 2>/dev/null; wait 2>/dev/null || true' EXIT
  for _ in $(seq 100); do
    [ -e "/dev/shm/jack_${server}_$(id -u)_0" ] && break
    sleep 0.05
  done
  server_args=(--server "$server")
fi

echo "Console demo for $seconds s (generated demo material; one reply line per command sent):"
{
  for c in strips "plugins strip 1" "plugins master" latency; do echo "$c"; done
  sleep $((seconds / 2))
  for c in meters loudness "set master mono on" "save $out/console-session.json"; do echo "$c"; done
} | ./build/console/mixwright-console "${server_args[@]}" --name mixwright-demo \
      --session scripts/demo-session.json --demo --run-seconds "$seconds"
echo
echo "Saved the session as $out/console-session.json (+ $out/console-session.plugins/)."

# --- 2. offline render -----------------------------------------------------------
python3 tests/wavtool.py tone "$out/demo-in.wav" 5
./build/console/mixwright-render "$out/demo-in.wav" "$out/demo-out.wav" \
  -p urn:mixwright:utility dc_block=1 mono_bass=1 mono_bass_freq=150 width=60 gain=-3
echo
echo "Before ($out/demo-in.wav):"
python3 tests/wavtool.py stats "$out/demo-in.wav"
echo "After Mixwright Utility ($out/demo-out.wav):"
python3 tests/wavtool.py stats "$out/demo-out.wav"
