// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Identity and capabilities of Mixwright Meter (DPF reads this at compile time).

#pragma once

#define DISTRHO_PLUGIN_BRAND "Mixwright"
#define DISTRHO_PLUGIN_NAME "Mixwright Meter"
#define DISTRHO_PLUGIN_URI "urn:mixwright:meter"
#define DISTRHO_PLUGIN_BRAND_ID Mxwr
#define DISTRHO_PLUGIN_UNIQUE_ID MwMe
#define DISTRHO_PLUGIN_CLAP_ID "mixwright.meter"

#define DISTRHO_PLUGIN_NUM_INPUTS 2
#define DISTRHO_PLUGIN_NUM_OUTPUTS 2
#define DISTRHO_PLUGIN_IS_RT_SAFE 1
#define DISTRHO_PLUGIN_WANT_LATENCY 0
#define DISTRHO_PLUGIN_WANT_TIMEPOS 1
#define DISTRHO_PLUGIN_LV2_CATEGORY "lv2:AnalyserPlugin"

#ifdef MIXWRIGHT_WITH_UI
#define DISTRHO_PLUGIN_HAS_UI 1
#define DISTRHO_PLUGIN_WANT_DIRECT_ACCESS 1
#else
#define DISTRHO_PLUGIN_HAS_UI 0
#endif
#define DISTRHO_UI_USE_CAIRO 1
#define DISTRHO_UI_USER_RESIZABLE 1
#define DISTRHO_UI_DEFAULT_WIDTH 840
#define DISTRHO_UI_DEFAULT_HEIGHT 500
