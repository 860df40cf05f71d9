// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright Compressor (urn:mixwright:compressor): the parameter table. Index = DPF
// parameter index; symbol = LV2 port symbol. Append-only once released.

#pragma once

#include "mixwright/params/spec.hpp"

namespace mixwright::params::compressor {

inline constexpr std::string_view kDetectorLabels[] = {"Peak", "RMS"};
inline constexpr std::string_view kStereoModeLabels[] = {"Left / right", "Mid / side"};
inline constexpr std::string_view kSourceLabels[] = {"Internal", "External sidechain"};

enum Detector { kPeak = 0, kRms = 1 };
enum StereoMode { kLeftRight = 0, kMidSide = 1 };
enum Source { kInternal = 0, kExternal = 1 };

enum Index : int {
    kThreshold, kRatio, kKnee, kAttack, kRelease, kAutoRelease, kMakeup, kAutoMakeup,
    kDetector, kRmsWindow, kLink, kStereoMode, kSource, kScHpOn, kScHpFreq, kScBandFreq,
    kScBandGain, kScListen, kLookahead, kMix, kBypass, kGainReduction, kLevel, kCount
};

/// Ratios at or above this are a limiter (slope 0).
inline constexpr float kRatioLimit = 100.f;
inline constexpr float kMaxLookaheadMs = 10.f;
inline constexpr float kMaxWindowMs = 100.f;

inline constexpr std::array<Spec, kCount> kTable{{
    {"threshold", "Threshold", "Threshold", Unit::dB, -60.f, 0.f, -18.f, kNone},
    {"ratio", "Ratio (100 = limiting)", "Ratio", Unit::None, 1.f, kRatioLimit, 4.f, kLog},
    {"knee", "Knee width", "Knee", Unit::dB, 0.f, 24.f, 6.f, kNone},
    {"attack", "Attack", "Attack", Unit::ms, 0.1f, 200.f, 10.f, kLog},
    {"release", "Release", "Release", Unit::ms, 5.f, 2000.f, 100.f, kLog},
    {"auto_release", "Program-dependent release", "Auto release", Unit::None, 0.f, 1.f, 0.f, kToggle},
    {"makeup", "Makeup gain", "Makeup", Unit::dB, -12.f, 36.f, 0.f, kNone, 20.f},
    {"auto_makeup", "Automatic makeup gain", "Auto makeup", Unit::None, 0.f, 1.f, 0.f, kToggle},
    {"detector", "Detector", "Detector", Unit::None, 0.f, 1.f, 1.f, kEnum | kInteger, 0.f, kDetectorLabels},
    {"rms_window", "RMS window", "RMS window", Unit::ms, 1.f, kMaxWindowMs, 10.f, kLog},
    {"link", "Stereo link", "Link", Unit::percent, 0.f, 100.f, 100.f, kNone},
    {"stereo_mode", "Stereo mode", "Stereo mode", Unit::None, 0.f, 1.f, 0.f, kEnum | kInteger, 0.f, kStereoModeLabels},
    {"sc_source", "Sidechain source", "SC source", Unit::None, 0.f, 1.f, 0.f, kEnum | kInteger, 0.f, kSourceLabels},
    {"sc_hp_on", "Sidechain high-pass", "SC HP", Unit::None, 0.f, 1.f, 0.f, kToggle},
    {"sc_hp_freq", "Sidechain high-pass frequency", "SC HP freq", Unit::Hz, 20.f, 2000.f, 100.f, kLog},
    {"sc_band_freq", "Sidechain emphasis frequency", "SC band freq", Unit::Hz, 100.f, 10000.f, 2000.f, kLog},
    {"sc_band_gain", "Sidechain emphasis gain", "SC band gain", Unit::dB, -12.f, 12.f, 0.f, kNone},
    {"sc_listen", "Sidechain listen", "SC listen", Unit::None, 0.f, 1.f, 0.f, kToggle},
    {"lookahead", "Lookahead", "Lookahead", Unit::ms, 0.f, kMaxLookaheadMs, 0.f, kNone},
    {"mix", "Dry/wet mix", "Mix", Unit::percent, 0.f, 100.f, 100.f, kNone, 20.f},
    {"lv2_enabled", "Bypass", "Bypass", Unit::None, 0.f, 1.f, 0.f, kToggle | params::kBypass, 20.f},
    {"gain_reduction", "Gain reduction", "GR", Unit::dB, 0.f, 60.f, 0.f, kOutput},
    {"level", "Detector level", "Level", Unit::dBFS, -120.f, 24.f, -120.f, kOutput},
}};

static_assert(validTable(kTable), "Compressor parameter table is inconsistent");
static_assert(indexOf(kTable, "lv2_enabled") == kBypass);

} // namespace mixwright::params::compressor
