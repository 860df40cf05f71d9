#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mixwright developers
# SPDX-License-Identifier: ISC
#
# Installs the build with DESTDIR into a temporary root, then uses the installed tree
# as a user would: the installed renderer runs a file through the installed Utility
# (LV2_PATH = installed lv2dir + the system's specifications) and the output is
# checked sample by sample; then jalv loads the installed plugin under a private
# JACK server (dummy backend), its ports carry the readable symbols and a control
# set on jalv's command line is taken. Each server is stopped by its PID.
set -u
build=$1 lv2dir=$2 bindir=$3
here=$(cd "$(dirname "$0")" && pwd)
dest=$(mktemp -d)
jack_pid= jalv_pid=
# SIGTERM, then SIGKILL if the process is still there after 5 s.
stop() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}
cleanup() {
  exec 3>&- 2>/dev/null
  # The client first, and only once it is gone the server: a server killed while a
  # client still talks to it can leave its entry in JACK's shared registry, and
  # after eight such entries no new server starts on the machine.
  [ -n "$jalv_pid" ] && stop "$jalv_pid"
  [ -n "$jack_pid" ] && stop "$jack_pid"
  rm -rf "$dest"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >/dev/null || fail "meson install"
root="$dest$lv2dir"
bundle="$root/mixwright-utility.lv2"
for f in manifest.ttl mixwright-utility_dsp.so mixwright-utility_dsp.ttl; do
  [ -f "$bundle/$f" ] || fail "installed bundle lacks $f"
done
echo "installed: $(cd "$root" && find . -type f | sort | tr '\n' ' ')"
render="$dest$bindir/mixwright-render"
[ -x "$render" ] || fail "mixwright-render not installed at $bindir"

# The installed host path: render through the installed plugin, -6.0206 dB = x0.5.
python3 "$here/wavtool.py" tone "$dest/in.wav" 1 || fail "tone"
LV2_PATH="$root:/usr/lib/lv2" "$render" --quiet "$dest/in.wav" "$dest/out.wav" \
  -p urn:mixwright:utility gain=-6.0206 || fail "render through the installed plugin"
python3 "$here/wavtool.py" ratio "$dest/in.wav" "$dest/out.wav" 0.5 || fail "rendered output is not input x 0.5"

# jalv under a private JACK server.
server="mwinstall-$$"
jackd -n "$server" -d dummy -r 48000 -p 256 >"$dest/jackd.log" 2>&1 &
jack_pid=$!
for _ in $(seq 200); do JACK_DEFAULT_SERVER=$server timeout 5 jack_lsp >/dev/null 2>&1 && break; sleep 0.1; done
JACK_DEFAULT_SERVER=$server timeout 5 jack_lsp >/dev/null 2>&1 || fail "private jackd did not start: $(cat "$dest/jackd.log")"
client="mwinst$$"
# jalv reads commands on stdin: a FIFO we hold open, so no helper process lingers.
mkfifo "$dest/jalv.in"
JACK_DEFAULT_SERVER=$server LV2_PATH="$root:/usr/lib/lv2" \
  stdbuf -oL jalv -n "$client" -x -c gain=-3 urn:mixwright:utility <"$dest/jalv.in" >"$dest/jalv.log" 2>&1 &
jalv_pid=$!
exec 3>"$dest/jalv.in"
for _ in $(seq 300); do grep -q "^lv2_enabled = " "$dest/jalv.log" && break; sleep 0.1; done
echo "width = 0" >&3
ports=
for _ in $(seq 300); do
  ports=$(JACK_DEFAULT_SERVER=$server timeout 5 jack_lsp 2>/dev/null | grep "^$client:" | sort | tr '\n' ' ')
  [ "$(echo "$ports" | wc -w)" -ge 4 ] && grep -q "width = 0" "$dest/jalv.log" && break
  sleep 0.1
done
echo "jalv ports: $ports"
[ "$ports" = "$client:in_l $client:in_r $client:out_l $client:out_r " ] || fail "jalv ports: '$ports' $(cat "$dest/jalv.log")"
grep -q "^gain = -3.000000" "$dest/jalv.log" || fail "jalv did not take gain=-3: $(cat "$dest/jalv.log")"
grep -q "width = 0.000000" "$dest/jalv.log" || fail "jalv did not take 'width = 0': $(cat "$dest/jalv.log")"
kill -0 "$jalv_pid" 2>/dev/null || fail "jalv exited early: $(cat "$dest/jalv.log")"
echo "install test passed"
