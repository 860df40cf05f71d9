#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mixwright developers
# SPDX-License-Identifier: ISC
#
# The README's test command: installs what is missing, builds, and runs every test
# suite in three builds: the release build (gcc), a RealtimeSanitizer build
# (clang-22, -fsanitize=realtime) and an AddressSanitizer+UBSan build; then builds
# and checks the Debian packages and the meson dist tarball. Ends with one line
# "N passed, N failed" counted over all of it; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

# Free JACK server slots left by servers that died uncleanly (see the script).
bash tests/jack_reap.sh || true

jobs=$(nproc 2>/dev/null || echo 2)
status=0
builds=()

# run_build DIR ENV SUITES... -- MESON_SETUP_ARGS...
run_build() {
  local dir=$1; shift
  local env_cc=$1; shift
  local suites=()
  while [ "$1" != "--" ]; do suites+=("$1"); shift; done
  shift
  builds+=("$dir")
  rm -f "$dir/meson-logs/testlog.json"
  echo "=== $dir: configure ==="
  if [ ! -f "$dir/build.ninja" ]; then
    if ! env $env_cc meson setup "$dir" "$@"; then
      echo "configure of $dir failed"; status=1; return
    fi
  fi
  echo "=== $dir: build ==="
  if ! ninja -C "$dir"; then
    echo "build of $dir failed"; status=1; return
  fi
  echo "=== $dir: test ==="
  local args=()
  for s in "${suites[@]}"; do [ "$s" = all ] || args+=(--suite "$s"); done
  meson test -C "$dir" --num-processes "$jobs" --print-errorlogs "${args[@]}" || status=1
}

run_build build "" all -- --buildtype=release
# RealtimeSanitizer: every REALTIME function, the host's run() of every plugin, and the
# console's JACK process callback under the console suite.
run_build build-rtsan "CC=clang-22 CXX=clang++-22" unit dsp rt console -- \
  -Drtsan=true -Dui=disabled --buildtype=debugoptimized
# AddressSanitizer + UndefinedBehaviorSanitizer over the suites that run our code;
# every UBSan report is fatal, so it fails the test that triggered it.
run_build build-asan "" unit dsp rt lv2 console -- \
  -Db_sanitize=address,undefined -Db_lundef=false -Dui=disabled --buildtype=debugoptimized \
  -Dc_args=-fno-sanitize-recover=all -Dcpp_args=-fno-sanitize-recover=all

# Distribution checks, each counted as one test: the Debian packages (build, lintian,
# unpack, load) and the release tarball (meson dist builds it and runs its tests).
extras=()
run_extra() {
  local name=$1; shift
  echo "=== $name ==="
  if "$@"; then extras+=("--extra" "$name=ok"); else extras+=("--extra" "$name=fail"); status=1; fi
}
run_extra debian-packages bash packaging/test-deb.sh build/debian
if [ -d .git ] && git diff --quiet HEAD 2>/dev/null; then
  run_extra meson-dist meson dist -C build --formats xztar
else
  echo "=== meson-dist: skipped (uncommitted changes; meson dist packs the last commit) ==="
fi

python3 scripts/test_summary.py "${extras[@]}" "${builds[@]}"
summary_status=$?
[ $status -eq 0 ] && [ $summary_status -eq 0 ] || exit 1
