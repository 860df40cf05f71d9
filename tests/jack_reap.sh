#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mixwright developers
# SPDX-License-Identifier: ISC
#
# Frees JACK server slots left by servers that died without deregistering (killed
# with SIGKILL, e.g. by the console's server-death test, or by a test timeout).
# jackd2 keeps at most 8 servers in its shared registry and never reuses a slot whose
# owner died, unless a server with the same name starts again: so each stale name is
# started once with the dummy backend and stopped cleanly. Live servers are left alone.
set -u
registry=/dev/shm/jack-shm-registry
[ -e "$registry" ] || exit 0
names=$(strings -n 3 "$registry" | sed -n 's/^jack-[0-9]*:\([A-Za-z0-9._-]*\):$/\1/p' | sort -u)
reaped=0
for n in $names; do
  if pgrep -f -- "jackd.* -n $n( |\$)" >/dev/null 2>&1 || pgrep -f -- "jackd.* --name $n( |\$)" >/dev/null 2>&1; then
    continue
  fi
  jackd -n "$n" -d dummy -r 48000 -p 1024 >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 30); do JACK_DEFAULT_SERVER=$n jack_lsp >/dev/null 2>&1 && break; sleep 0.1; done
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  reaped=$((reaped + 1))
done
echo "jack_reap: $reaped stale server slot(s) freed"
