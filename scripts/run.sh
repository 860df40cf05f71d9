#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mixwright developers
# SPDX-License-Identifier: ISC
#
# The README's run command. Until the console exists: installs what is missing,
# builds, writes a demo file (two tones a little apart between the channels, with a
# DC offset), renders it through Mixwright Utility (DC blocker, mono bass, narrower
# image, -3 dB) with the project's host, and prints the measurements before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -f build/build.ninja ] || meson setup build --buildtype=release
ninja -C build

out=build/demo
mkdir -p "$out"
python3 tests/wavtool.py tone "$out/demo-in.wav" 5
export LV2_PATH="$PWD/build/lv2:/usr/lib/lv2"
./build/console/mixwright-render "$out/demo-in.wav" "$out/demo-out.wav" \
  -p urn:mixwright:utility dc_block=1 mono_bass=1 mono_bass_freq=150 width=60 gain=-3
echo
echo "Before ($out/demo-in.wav):"
python3 tests/wavtool.py stats "$out/demo-in.wav"
echo "After Mixwright Utility ($out/demo-out.wav):"
python3 tests/wavtool.py stats "$out/demo-out.wav"
