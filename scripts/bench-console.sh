#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mixwright developers
# SPDX-License-Identifier: ISC
#
# Benchmark (not a test): the console's process-callback cycle time against the
# period for N strips, each with an EQ (4 bands), a compressor (4:1, reducing) and a
# gate, and a true-peak limiter on the master, at 48 kHz with 64 and 256 frames, on a
# private dummy jackd (generated demo material on every strip). Mixwright's plugins by
# default; PEERS=1 uses x42 fil4, LSP compressor/gate and x42 dpl instead.
#
# The console's own overhead is measured inside the console: its `dsp` command times
# every insert's run() (one strip or bus per cycle, taking turns, so the clock reads
# cost next to nothing) and reports the plugins' share of the mean cycle, and the demo
# generator's (it stands in for the hardware inputs: a tone, its envelope and noise per
# strip, generated 8 samples at a time in vector lanes); the console's own
# work is the rest (inputs, trim, fader, pan, sends, meters, bus sums, delay
# compensation, the master and its monitor section, JACK buffers):
#   own = mean cycle - plugins - demo,  overhead = own / plugins,
#   and with the generator counted as the console's: (own + demo) / plugins.
# For reference it also times the same plugins in mixwright-bench, two ways:
#   hot:   one instance of each, back to back on pink noise (the bench's default);
#   as console: N instances of each run strip by strip as a chain on the console's demo
#          material, one period's worth per period of real time (--instances N
#          --chain --signal demo --paced), plus one limiter instance.
# The hot figure is not what the plugins cost in a callback: 3N instances do not
# stay in the caches as one does, and a thread that sleeps between periods starts
# each one cold (measured here: the plugins cost 1.5 to 2x their hot figure, the
# same inside and outside the console).
# Prints one table row per run (xruns: during the measurement, and while the inserts
# were being set up in brackets):
#   strips frames | mean cycle us | max cycle us | period us | mean load % | max load % | xruns
#   | xruns of the same console without inserts (a nearly idle client: what the
#   machine's scheduling alone gives) | plugins in console us | demo us | console's own us | overhead | overhead with demo
#   | bench hot us | bench as console us
# Usage: scripts/bench-console.sh [seconds per run (default 6)] [strip counts...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-6}; shift || true
counts=("$@"); [ ${#counts[@]} -gt 0 ] || counts=(8 16 32 64)
export LV2_PATH="$PWD/build/lv2:/usr/lib/lv2"
exe=./build/console/mixwright-console
bench=./build/console/mixwright-bench
# The plugins and their settings: one file for this script and mixwright-bench-engine.
plugins=scripts/bench-plugins.txt
[ "${PEERS:-0}" = 1 ] && plugins=scripts/bench-plugins-peers.txt
stripUris=(); stripSets=(); masterUris=(); masterSets=()
while read -r role uri settings; do
  case "$role" in
    strip) stripUris+=("$uri"); stripSets+=("$settings") ;;
    master) masterUris+=("$uri"); masterSets+=("$settings") ;;
    ''|'#'*) ;;
    *) echo "bench-console.sh: $plugins: unknown role '$role'" >&2; exit 2 ;;
  esac
done <"$plugins"
# mixwright-bench's -p arguments for the strip chain and for the master
pluginArgs() { # strip|master
  local k
  if [ "$1" = strip ]; then
    for k in "${!stripUris[@]}"; do printf '%s\n' -p "${stripUris[k]}" ${stripSets[k]}; done
  else
    for k in "${!masterUris[@]}"; do printf '%s\n' -p "${masterUris[k]}" ${masterSets[k]}; done
  fi
}
params() { # target slot "sym=val ..." -> console param commands
  local target=$1 slot=$2 kv
  for kv in $3; do echo "param $target $slot ${kv%%=*} ${kv#*=}"; done
}
# Plugin cost per period from mixwright-bench (us): ns/sample/channel x channels x
# frames, strips x (EQ + compressor + gate) + the master limiter.
bench_us() { # frames strips hot|console
  local frames=$1 n=$2 mode=$3 strips master
  local -a sp mp
  mapfile -t sp < <(pluginArgs strip)
  mapfile -t mp < <(pluginArgs master)
  if [ "$mode" = hot ]; then
    strips=$("$bench" --blocks "$frames" --json "${sp[@]}")
    master=$("$bench" --blocks "$frames" --json "${mp[@]}")
  else
    strips=$("$bench" --blocks "$frames" --json --reps 40 --instances "$n" --chain --signal demo --paced "${sp[@]}")
    master=$("$bench" --blocks "$frames" --json --reps 40 --signal demo --paced "${mp[@]}")
  fi
  python3 -c '
import json, sys
frames, n = int(sys.argv[1]), int(sys.argv[2])
cost = lambda text: sum(r["blocks"][str(frames)]["ns"] * r["channels"] * frames for r in json.loads(text)["plugins"])
print("%.1f" % ((n * cost(sys.argv[3]) + cost(sys.argv[4])) / 1000.0))' "$frames" "$n" "$strips" "$master"
}
echo "| strips | frames | mean cycle (us) | max cycle (us) | period (us) | mean load | max load | xruns (setup) | xruns without inserts | plugins in console (us) | demo (us) | console's own (us) | overhead | overhead with demo | bench hot (us) | bench as console (us) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
# One console run on a private dummy jackd: the two `dsp` replies on one line.
run_console() { # frames strips inserts(1|0)
  local frames=$1 n=$2 inserts=$3 name="mwbench-$$-$2-$1-$3" jpid
  JACK_NO_AUDIO_RESERVATION=1 jackd -n "$name" -d dummy -r 48000 -p "$frames" -C "$n" -P 2 >/dev/null 2>&1 &
  jpid=$!
  for _ in $(seq 400); do [ -e "/dev/shm/jack_${name}_$(id -u)_0" ] && break; sleep 0.05; done
  {
    if [ "$inserts" = 1 ]; then
      for i in $(seq "$n"); do
        for k in "${!stripUris[@]}"; do
          echo "insert strip $i ${stripUris[k]}"; params "strip $i" $((k + 1)) "${stripSets[k]}"
        done
      done
      for k in "${!masterUris[@]}"; do
        echo "insert master ${masterUris[k]}"; params master $((k + 1)) "${masterSets[k]}"
      done
    fi
    sleep 2; echo dsp          # ends the set-up; the measurement starts here
    sleep "$secs"; echo dsp; echo quit
  } | "$exe" --server "$name" --demo --no-live-meters 2>/dev/null | grep '^ok cycle' | tail -2 | tr '\n' ' '
  kill "$jpid"; wait "$jpid" 2>/dev/null || true
}
for frames in 64 256; do
  for n in "${counts[@]}"; do
    reply=$(run_console "$frames" "$n" 1)
    # The same console without inserts: the xruns this machine gives a nearly idle
    # client (scheduling, not load), to read the first xrun count against.
    idle=$(run_console "$frames" "$n" 0 | awk '{ print $49 - $20 }')
    hot=$(bench_us "$frames" "$n" hot)
    asconsole=$(bench_us "$frames" "$n" console)
    # Two dsp replies: field 20 (xruns so far), then the measurement's from field 30 on.
    echo "$reply" | awk -v n="$n" -v f="$frames" -v hot="$hot" -v asc="$asconsole" -v idle="$idle" '{
      o = 29; setup = $20; xr = $(o + 20) - setup; p = $(o + 22); d = $(o + 25); own = $(o + 28);
      over = p > 0 ? sprintf("%.1f %%", 100.0 * own / p) : "-";
      overd = p > 0 ? sprintf("%.1f %%", 100.0 * (own + d) / p) : "-";
      printf "| %s | %s | %s | %s | %s | %s %% | %s %% | %d (%d) | %s | %s | %s | %s | %s | %s | %s | %s |\n", n, f,
        $(o + 4), $(o + 7), $(o + 10), $(o + 14), $(o + 17), xr, setup, idle, p, d, own, over, overd, hot, asc }'
  done
done
