// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright Gate (urn:mixwright:gate): the parameter table. Index = DPF parameter
// index; symbol = LV2 port symbol. Append-only once released.

#pragma once

#include "mixwright/params/spec.hpp"

namespace mixwright::params::gate {

inline constexpr std::string_view kModeLabels[] = {"Gate", "Expander", "Ducker"};
inline constexpr std::string_view kSourceLabels[] = {"Internal", "External key"};

enum Mode { kGate = 0, kExpander = 1, kDucker = 2 };
enum Source { kInternal = 0, kExternal = 1 };

enum Index : int {
    kThreshold, kHysteresis, kRange, kAttack, kHold, kRelease, kMode, kRatio, kWindow,
    kSource, kScHpOn, kScHpFreq, kScLpOn, kScLpFreq, kScListen, kLookahead, kBypass,
    kGateState, kGainReduction, kLevel, kCount
};

inline constexpr float kMaxLookaheadMs = 10.f;
inline constexpr float kMaxWindowMs = 50.f;
inline constexpr float kMaxHoldMs = 2000.f;

inline constexpr std::array<Spec, kCount> kTable{{
    {"threshold", "Open threshold", "Threshold", Unit::dB, -90.f, 0.f, -40.f, kNone},
    {"hysteresis", "Hysteresis (closes this far below)", "Hysteresis", Unit::dB, 0.f, 24.f, 4.f, kNone},
    {"range", "Range (gain when closed)", "Range", Unit::dB, -90.f, 0.f, -60.f, kNone},
    {"attack", "Attack", "Attack", Unit::ms, 0.01f, 100.f, 0.5f, kLog},
    {"hold", "Hold", "Hold", Unit::ms, 0.f, kMaxHoldMs, 50.f, kNone},
    {"release", "Release", "Release", Unit::ms, 1.f, 5000.f, 100.f, kLog},
    {"mode", "Mode", "Mode", Unit::None, 0.f, 2.f, 0.f, kEnum | kInteger, 0.f, kModeLabels},
    {"ratio", "Expander ratio", "Ratio", Unit::None, 1.f, 20.f, 2.f, kLog},
    {"window", "Detector peak window", "Window", Unit::ms, 0.1f, kMaxWindowMs, 5.f, kLog},
    {"sc_source", "Key source", "Key source", Unit::None, 0.f, 1.f, 0.f, kEnum | kInteger, 0.f, kSourceLabels},
    {"sc_hp_on", "Key high-pass", "Key HP", Unit::None, 0.f, 1.f, 0.f, kToggle},
    {"sc_hp_freq", "Key high-pass frequency", "Key HP freq", Unit::Hz, 20.f, 4000.f, 100.f, kLog},
    {"sc_lp_on", "Key low-pass", "Key LP", Unit::None, 0.f, 1.f, 0.f, kToggle},
    {"sc_lp_freq", "Key low-pass frequency", "Key LP freq", Unit::Hz, 200.f, 20000.f, 8000.f, kLog},
    {"sc_listen", "Key listen", "Key listen", Unit::None, 0.f, 1.f, 0.f, kToggle},
    {"lookahead", "Lookahead", "Lookahead", Unit::ms, 0.f, kMaxLookaheadMs, 0.f, kNone},
    {"lv2_enabled", "Bypass", "Bypass", Unit::None, 0.f, 1.f, 0.f, kToggle | params::kBypass, 20.f},
    {"gate_state", "Gate open", "Open", Unit::None, 0.f, 1.f, 0.f, kToggle | kOutput},
    {"gain_reduction", "Gain reduction", "GR", Unit::dB, 0.f, 90.f, 0.f, kOutput},
    {"level", "Key level", "Level", Unit::dBFS, -120.f, 24.f, -120.f, kOutput},
}};

static_assert(validTable(kTable), "Gate parameter table is inconsistent");
static_assert(indexOf(kTable, "lv2_enabled") == kBypass);

} // namespace mixwright::params::gate
