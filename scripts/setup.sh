#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mixwright developers
# SPDX-License-Identifier: ISC
#
# Installs, from Debian 12's packages, whatever Mixwright needs to build, run and test.
# Noninteractive and idempotent: packages already installed are not touched.
set -euo pipefail

pkgs=(
  # build
  build-essential pkg-config meson ninja-build git
  dpf-source lv2-dev liblilv-dev lilv-utils sordi serdi
  libcairo2-dev libx11-dev libxext-dev libxrandr-dev libxcursor-dev libxrender-dev
  libgl-dev libdbus-1-dev
  libsndfile1-dev libjack-jackd2-dev libfftw3-dev libebur128-dev
  libboost-test-dev
  # the console: session files (JSON) and OSC
  nlohmann-json3-dev liblo-dev
  # real-time sanitizer build
  clang-22 libclang-rt-22-dev
  # run and test
  jackd2 jalv xvfb xauth x11-utils xdotool python3 valgrind
  # Debian packaging, built and checked by the packaging test
  debhelper dpkg-dev fakeroot lintian
  # peer plugins, loaded by tests and benchmarks
  x42-plugins lsp-plugins-lv2 zam-plugins calf-plugins
)

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#pkgs[@]} packages present"
  exit 0
fi

echo "setup: installing ${#missing[@]} missing packages: ${missing[*]}"
SUDO=
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
# jackd2 asks whether to enable real-time priority; answer it here.
echo "jackd2 jackd/tweak_rt_limits boolean false" | $SUDO debconf-set-selections
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
