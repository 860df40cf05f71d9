#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Mixwright developers
# SPDX-License-Identifier: ISC
#
# Mixwright EQ against the Debian peers with mixwright-bench (ns/sample/channel at
# blocks 64 and 512; compare ratios, the machine is shared). Four bells (100 Hz +3 dB
# Q 1, 500 Hz -3 dB Q 2, 2 kHz +4 dB Q 1, 8 kHz -2 dB Q 0.7), then eight bands, then
# Mixwright's four bands made dynamic. Usage: scripts/bench_eq.sh [4|8|dyn] [extra bench args]
set -euo pipefail
cd "$(dirname "$0")/.."
export LV2_PATH="$PWD/build/lv2:/usr/lib/lv2"
bench=./build/console/mixwright-bench
what=${1:-4}
shift || true

LSP=http://lsp-plug.in/plugins/lv2/para_equalizer_x16_stereo
FIL4='http://gareus.org/oss/lv2/fil4#stereo'
CALF=http://calf.sourceforge.net/plugins/Equalizer8Band
ZAM=urn:zamaudio:ZamEQ2
MW=urn:mixwright:eq

mw4="b1_enable=1 b1_type=0 b1_freq=100 b1_gain=3 b1_q=1 b2_enable=1 b2_freq=500 b2_gain=-3 b2_q=2
     b3_enable=1 b3_freq=2000 b3_gain=4 b3_q=1 b4_enable=1 b4_freq=8000 b4_gain=-2 b4_q=0.7"
lsp4="ft_0=1 f_0=100 g_0=1.4125 q_0=1 ft_1=1 f_1=500 g_1=0.7079 q_1=2 ft_2=1 f_2=2000 g_2=1.5849 q_2=1
      ft_3=1 f_3=8000 g_3=0.7943 q_3=0.7"
fil44="sec1=1 freq1=100 gain1=3 q1=1 sec2=1 freq2=500 gain2=-3 q2=2 sec3=1 freq3=2000 gain3=4 q3=1
       sec4=1 freq4=8000 gain4=-2 q4=0.7"
calf4="p1_active=1 p1_freq=100 p1_level=1.4125 p1_q=1 p2_active=1 p2_freq=500 p2_level=0.7079 p2_q=2
       p3_active=1 p3_freq=2000 p3_level=1.5849 p3_q=1 p4_active=1 p4_freq=8000 p4_level=0.7943 p4_q=0.7"
zam4="boost1=3 bw1=1 f1=100 boost2=-3 bw2=1 f2=500 boostl=4 fl=2000 boosth=-2 fh=8000"

case "$what" in
4)
  # shellcheck disable=SC2086
  exec "$bench" "$@" -p "$MW" $mw4 --label "Mixwright EQ 4" -p "$LSP" $lsp4 --label "LSP para x16 4" \
    -p "$FIL4" $fil44 --label "x42 fil4 4" -p "$CALF" $calf4 --label "Calf 8-band 4" \
    -p "$ZAM" $zam4 --label "ZamEQ2 (mono)"
  ;;
8)
  mw8="$mw4 b5_enable=1 b5_freq=40 b5_gain=2 b6_enable=1 b6_freq=250 b6_gain=-2 b7_enable=1 b7_freq=4000 b7_gain=2
       b8_enable=1 b8_type=0 b8_freq=12000 b8_gain=1"
  lsp8="$lsp4 ft_4=1 f_4=40 g_4=1.2589 q_4=0.7 ft_5=1 f_5=250 g_5=0.7943 q_5=0.7 ft_6=1 f_6=4000 g_6=1.2589 q_6=0.7
        ft_7=1 f_7=12000 g_7=1.122 q_7=0.7"
  fil48="$fil44 LSsec=1 LSfreq=40 LSgain=2 HSsec=1 HSfreq=12000 HSgain=1 HighPass=1 HPfreq=20 LowPass=1 LPfreq=20000"
  calf8="$calf4 ls_active=1 ls_freq=40 ls_level=1.2589 hs_active=1 hs_freq=12000 hs_level=1.122 hp_active=1 hp_freq=20
         lp_active=1 lp_freq=20000"
  # shellcheck disable=SC2086
  exec "$bench" "$@" -p "$MW" $mw8 --label "Mixwright EQ 8" -p "$LSP" $lsp8 --label "LSP para x16 8" \
    -p "$FIL4" $fil48 --label "x42 fil4 8" -p "$CALF" $calf8 --label "Calf 8-band 8"
  ;;
dyn)
  mwdyn="$mw4 b1_dyn=1 b2_dyn=1 b3_dyn=1 b4_dyn=1 b1_thresh=-30 b2_thresh=-30 b3_thresh=-30 b4_thresh=-30"
  # shellcheck disable=SC2086
  exec "$bench" "$@" -p "$MW" $mw4 --label "Mixwright EQ 4 static" -p "$MW" $mwdyn --label "Mixwright EQ 4 dynamic" \
    -p "$LSP" $lsp4 --label "LSP para x16 4"
  ;;
esac
