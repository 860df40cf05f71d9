// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright Utility (urn:mixwright:utility): the parameter table. Index = DPF
// parameter index; symbol = LV2 port symbol. Append-only once released.

#pragma once

#include "mixwright/params/spec.hpp"

namespace mixwright::params::utility {

inline constexpr std::string_view kPanLawLabels[] = {
    "Balance (0 dB centre)", "Constant power (-3 dB)", "Compromise (-4.5 dB)", "Linear (-6 dB)"};
inline constexpr std::string_view kDelayUnitLabels[] = {"Samples", "Milliseconds"};

enum PanLaw { kBalance = 0, kConstantPower = 1, kCompromise = 2, kLinear = 3 };
enum DelayUnit { kSamples = 0, kMilliseconds = 1 };

enum Index : int {
    kTrim, kGain, kPhaseL, kPhaseR, kSwap, kPan, kPanLaw, kWidth, kMonoBass, kMonoBassFreq,
    kDelayUnit, kDelayL, kDelayR, kDcBlock, kBypass, kPeakL, kPeakR, kCorrelation, kCount
};

inline constexpr float kMaxDelay = 2000.f; // samples or ms, per kDelayUnit

inline constexpr std::array<Spec, kCount> kTable{{
    {"trim", "Input trim", "Trim", Unit::dB, -24.f, 24.f, 0.f, kNone, 20.f},
    {"gain", "Output gain", "Gain", Unit::dB, -48.f, 24.f, 0.f, kNone, 20.f},
    {"phase_l", "Invert polarity left", "Polarity L", Unit::None, 0.f, 1.f, 0.f, kToggle, 20.f},
    {"phase_r", "Invert polarity right", "Polarity R", Unit::None, 0.f, 1.f, 0.f, kToggle, 20.f},
    {"swap", "Swap left and right", "Swap L/R", Unit::None, 0.f, 1.f, 0.f, kToggle, 20.f},
    {"pan", "Balance / pan", "Pan", Unit::percent, -100.f, 100.f, 0.f, kNone, 20.f},
    {"pan_law", "Pan law", "Pan law", Unit::None, 0.f, 3.f, 0.f, kEnum | kInteger, 20.f, kPanLawLabels},
    {"width", "Stereo width", "Width", Unit::percent, 0.f, 200.f, 100.f, kNone, 20.f},
    {"mono_bass", "Mono bass", "Mono bass", Unit::None, 0.f, 1.f, 0.f, kToggle, 20.f},
    {"mono_bass_freq", "Mono bass frequency", "Mono freq", Unit::Hz, 20.f, 500.f, 120.f, kLog, 50.f},
    {"delay_unit", "Delay unit", "Delay unit", Unit::None, 0.f, 1.f, 1.f, kEnum | kInteger, 0.f, kDelayUnitLabels},
    {"delay_l", "Delay left", "Delay L", Unit::None, 0.f, kMaxDelay, 0.f, kNone, 20.f},
    {"delay_r", "Delay right", "Delay R", Unit::None, 0.f, kMaxDelay, 0.f, kNone, 20.f},
    {"dc_block", "DC blocker", "DC block", Unit::None, 0.f, 1.f, 0.f, kToggle, 20.f},
    {"lv2_enabled", "Bypass", "Bypass", Unit::None, 0.f, 1.f, 0.f, kToggle | params::kBypass, 20.f},
    {"peak_l", "Peak left", "Peak L", Unit::dBFS, -120.f, 24.f, -120.f, kOutput},
    {"peak_r", "Peak right", "Peak R", Unit::dBFS, -120.f, 24.f, -120.f, kOutput},
    {"correlation", "Stereo correlation", "Correlation", Unit::coef, -1.f, 1.f, 0.f, kOutput},
}};

static_assert(validTable(kTable), "Utility parameter table is inconsistent");
static_assert(indexOf(kTable, "lv2_enabled") == kBypass);

} // namespace mixwright::params::utility
