#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mixwright developers
# SPDX-License-Identifier: ISC
#
# Benchmark (not a test): the console's process-callback cycle time against the
# period for N strips, each with an EQ (x42 fil4), a compressor and a gate (LSP), and
# dpl on the master, at 48 kHz with 64 and 256 frames, on a private dummy jackd
# (generated demo material on every strip). Prints one table row per run:
#   strips frames | mean cycle us | max cycle us | period us | mean load % | max load % | xruns
# Usage: scripts/bench-console.sh [seconds per run (default 6)] [strip counts...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-6}; shift || true
counts=("$@"); [ ${#counts[@]} -gt 0 ] || counts=(8 16 32 64)
export LV2_PATH="$PWD/build/lv2:/usr/lib/lv2"
exe=./build/console/mixwright-console
eq=http://gareus.org/oss/lv2/fil4#stereo
comp=http://lsp-plug.in/plugins/lv2/compressor_stereo
gate=http://lsp-plug.in/plugins/lv2/gate_stereo
echo "| strips | frames | mean cycle (us) | max cycle (us) | period (us) | mean load | max load | xruns |"
echo "|---|---|---|---|---|---|---|---|"
for frames in 64 256; do
  for n in "${counts[@]}"; do
    name="mwbench-$$-$n-$frames"
    JACK_NO_AUDIO_RESERVATION=1 jackd -n "$name" -d dummy -r 48000 -p "$frames" -C "$n" -P 2 >/dev/null 2>&1 &
    jpid=$!
    for _ in $(seq 400); do [ -e "/dev/shm/jack_${name}_$(id -u)_0" ] && break; sleep 0.05; done
    reply=$({
      for i in $(seq "$n"); do
        echo "insert strip $i $eq"; echo "insert strip $i $comp"; echo "insert strip $i $gate"
      done
      echo "insert master http://gareus.org/oss/lv2/dpl#stereo"
      sleep 2; echo dsp          # discard the set-up cycles
      sleep "$secs"; echo dsp; echo quit
    } | "$exe" --server "$name" --demo --no-live-meters 2>/dev/null | grep '^ok cycle' | tail -1)
    kill "$jpid"; wait "$jpid" 2>/dev/null || true
    echo "$reply" | awk -v n="$n" -v f="$frames" '{printf "| %s | %s | %s | %s | %s | %s %% | %s %% | %s |\n", n, f, $4, $7, $10, $14, $17, $20}'
  done
done
