#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mixwright developers
# SPDX-License-Identifier: ISC
#
# Benchmark (not a test): the console's process-callback cycle time against the
# period for N strips, each with an EQ (4 bands), a compressor (4:1, reducing) and a
# gate, and a true-peak limiter on the master, at 48 kHz with 64 and 256 frames, on a
# private dummy jackd (generated demo material on every strip). Mixwright's plugins by
# default; PEERS=1 uses x42 fil4, LSP compressor/gate and x42 dpl instead.
# For each frame size it also times the same four plugins in mixwright-bench (one
# process, no JACK) and prints the console's overhead: mean cycle against the summed
# plugin cost (strips x (EQ + compressor + gate) + master limiter) for that period.
# Prints one table row per run:
#   strips frames | mean cycle us | max cycle us | period us | mean load % | max load % | xruns | plugins us | overhead
# Usage: scripts/bench-console.sh [seconds per run (default 6)] [strip counts...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-6}; shift || true
counts=("$@"); [ ${#counts[@]} -gt 0 ] || counts=(8 16 32 64)
export LV2_PATH="$PWD/build/lv2:/usr/lib/lv2"
exe=./build/console/mixwright-console
bench=./build/console/mixwright-bench
if [ "${PEERS:-0}" = 1 ]; then
  eq=http://gareus.org/oss/lv2/fil4#stereo
  eqset="sec1=1 freq1=100 gain1=3 sec2=1 freq2=500 gain2=-3 sec3=1 freq3=2000 gain3=4 sec4=1 freq4=8000 gain4=-2"
  comp=http://lsp-plug.in/plugins/lv2/compressor_stereo; compset=""
  gate=http://lsp-plug.in/plugins/lv2/gate_stereo; gateset=""
  lim=http://gareus.org/oss/lv2/dpl#stereo; limset="gain=12 threshold=-1 truepeak=1"
else
  eq=urn:mixwright:eq
  eqset="b1_enable=1 b1_freq=100 b1_gain=3 b2_enable=1 b2_freq=500 b2_gain=-3 b2_q=2 b3_enable=1 b3_freq=2000 b3_gain=4 b4_enable=1 b4_freq=8000 b4_gain=-2 b4_q=0.7"
  comp=urn:mixwright:compressor; compset="threshold=-30 ratio=4 attack=10 release=100"
  gate=urn:mixwright:gate; gateset="threshold=-50"
  lim=urn:mixwright:limiter; limset="input_gain=12 ceiling=-1"
fi
params() { # target slot "sym=val ..." -> console param commands
  local target=$1 slot=$2 kv
  for kv in $3; do echo "param $target $slot ${kv%%=*} ${kv#*=}"; done
}
# Plugin cost per period from mixwright-bench: ns/sample/channel x 2 channels x frames.
plugin_us() { # frames strips
  local frames=$1 n=$2
  # shellcheck disable=SC2086
  "$bench" --blocks "$frames" --json -p "$eq" $eqset -p "$comp" $compset -p "$gate" $gateset -p "$lim" $limset |
    python3 -c '
import json, sys
frames, n = int(sys.argv[1]), int(sys.argv[2])
rows = json.load(sys.stdin)["plugins"]
ns = [r["blocks"][str(frames)]["ns"] * r["channels"] * frames for r in rows]
print("%.1f" % ((n * sum(ns[:3]) + ns[3]) / 1000.0))' "$frames" "$n"
}
echo "| strips | frames | mean cycle (us) | max cycle (us) | period (us) | mean load | max load | xruns | plugins alone (us) | console overhead |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for frames in 64 256; do
  for n in "${counts[@]}"; do
    name="mwbench-$$-$n-$frames"
    JACK_NO_AUDIO_RESERVATION=1 jackd -n "$name" -d dummy -r 48000 -p "$frames" -C "$n" -P 2 >/dev/null 2>&1 &
    jpid=$!
    for _ in $(seq 400); do [ -e "/dev/shm/jack_${name}_$(id -u)_0" ] && break; sleep 0.05; done
    reply=$({
      for i in $(seq "$n"); do
        echo "insert strip $i $eq"; params "strip $i" 1 "$eqset"
        echo "insert strip $i $comp"; params "strip $i" 2 "$compset"
        echo "insert strip $i $gate"; params "strip $i" 3 "$gateset"
      done
      echo "insert master $lim"; params master 1 "$limset"
      sleep 2; echo dsp          # discard the set-up cycles
      sleep "$secs"; echo dsp; echo quit
    } | "$exe" --server "$name" --demo --no-live-meters 2>/dev/null | grep '^ok cycle' | tail -1)
    kill "$jpid"; wait "$jpid" 2>/dev/null || true
    alone=$(plugin_us "$frames" "$n")
    echo "$reply" | awk -v n="$n" -v f="$frames" -v alone="$alone" '{
      over = alone > 0 ? sprintf("%+.1f %%", 100.0 * ($4 - alone) / alone) : "-";
      printf "| %s | %s | %s | %s | %s | %s %% | %s %% | %s | %s | %s |\n", n, f, $4, $7, $10, $14, $17, $20, alone, over }'
  done
done
