#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mixwright developers
# SPDX-License-Identifier: ISC
#
# Validates every TTL file of every built bundle with sord_validate against lv2-dev's
# schemas (lv2_validate's list) plus tests/schemas/*.ttl. Fails on any error, and
# fails if a bundle is missing or has no TTL (so the check cannot pass vacuously).
set -u
plugins_dir=$1; shift
schemas_dir=$(dirname "$0")/schemas
status=0
[ $# -gt 0 ] || { echo "no bundles given"; exit 1; }
for b in "$@"; do
  dir="$plugins_dir/$b.lv2"
  ttls=("$dir"/*.ttl)
  if [ ! -f "$dir/manifest.ttl" ] || [ ${#ttls[@]} -lt 2 ]; then
    echo "FAIL $b: bundle or TTL missing in $dir"; status=1; continue
  fi
  out=$(lv2_validate "$schemas_dir"/*.ttl "${ttls[@]}" 2>&1)
  summary=$(printf '%s\n' "$out" | grep -E '^Found [0-9]+ errors' | tail -n 1)
  errors=$(printf '%s\n' "$out" | grep -c '^error:')
  echo "$b: ${#ttls[@]} files: ${summary:-no summary}"
  if [ "$errors" -ne 0 ] || ! printf '%s' "$summary" | grep -q '^Found 0 errors'; then
    printf '%s\n' "$out" | grep -A3 '^error:' | head -n 40
    status=1
  fi
done
exit $status
