// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Identity and capabilities of Mixwright EQ (DPF reads this at compile time).

#pragma once

#define DISTRHO_PLUGIN_BRAND "Mixwright"
#define DISTRHO_PLUGIN_NAME "Mixwright EQ"
#define DISTRHO_PLUGIN_URI "urn:mixwright:eq"
#define DISTRHO_PLUGIN_BRAND_ID Mxwr
#define DISTRHO_PLUGIN_UNIQUE_ID MwEq
#define DISTRHO_PLUGIN_CLAP_ID "mixwright.eq"

#define DISTRHO_PLUGIN_NUM_INPUTS 4
#define DISTRHO_PLUGIN_NUM_OUTPUTS 2
#define DISTRHO_PLUGIN_IS_RT_SAFE 1
#define DISTRHO_PLUGIN_WANT_LATENCY 0
#define DISTRHO_PLUGIN_LV2_CATEGORY "lv2:ParaEQPlugin"

#ifdef MIXWRIGHT_WITH_UI
#define DISTRHO_PLUGIN_HAS_UI 1
// The UI reads the analyser's audio from the plugin instance: DSP and UI share one
// binary (mixwright-eq_dsp.so) and hosts must offer instance-access and data-access.
#define DISTRHO_PLUGIN_WANT_DIRECT_ACCESS 1
#else
#define DISTRHO_PLUGIN_HAS_UI 0
#endif
#define DISTRHO_UI_USE_CAIRO 1
#define DISTRHO_UI_USER_RESIZABLE 1
#define DISTRHO_UI_DEFAULT_WIDTH 900
#define DISTRHO_UI_DEFAULT_HEIGHT 520
