// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Identity and capabilities of Mixwright Compressor (DPF reads this at compile time).

#pragma once

#define DISTRHO_PLUGIN_BRAND "Mixwright"
#define DISTRHO_PLUGIN_NAME "Mixwright Compressor"
#define DISTRHO_PLUGIN_URI "urn:mixwright:compressor"
#define DISTRHO_PLUGIN_BRAND_ID Mxwr
#define DISTRHO_PLUGIN_UNIQUE_ID MwCm
#define DISTRHO_PLUGIN_CLAP_ID "mixwright.compressor"

// Stereo in/out plus an external sidechain pair (sc_l, sc_r).
#define DISTRHO_PLUGIN_NUM_INPUTS 4
#define DISTRHO_PLUGIN_NUM_OUTPUTS 2
#define DISTRHO_PLUGIN_IS_RT_SAFE 1
// Lookahead is reported as latency.
#define DISTRHO_PLUGIN_WANT_LATENCY 1
#define DISTRHO_PLUGIN_LV2_CATEGORY "lv2:CompressorPlugin"

#ifdef MIXWRIGHT_WITH_UI
#define DISTRHO_PLUGIN_HAS_UI 1
#else
#define DISTRHO_PLUGIN_HAS_UI 0
#endif
#define DISTRHO_UI_USE_CAIRO 1
#define DISTRHO_UI_USER_RESIZABLE 1
#define DISTRHO_UI_DEFAULT_WIDTH 800
#define DISTRHO_UI_DEFAULT_HEIGHT 420
