// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright Limiter (urn:mixwright:limiter): the parameter table. Index = DPF
// parameter index; symbol = LV2 port symbol. Append-only once released.

#pragma once

#include "mixwright/params/spec.hpp"

namespace mixwright::params::limiter {

inline constexpr std::string_view kDetectionLabels[] = {"Sample peak", "True peak 4x", "True peak 8x"};
inline constexpr std::string_view kDitherLabels[] = {"Off", "TPDF", "Noise-shaped"};
inline constexpr std::string_view kBitsLabels[] = {"16 bit", "20 bit", "24 bit"};

enum Detection { kSamplePeak = 0, kTruePeak4x = 1, kTruePeak8x = 2 };
enum Dither { kDitherOff = 0, kDitherTpdf = 1, kDitherShaped = 2 };
enum Bits { kBits16 = 0, kBits20 = 1, kBits24 = 2 };

enum Index : int {
    kInputGain, kCeiling, kRelease, kAutoRelease, kLookahead, kLink, kDetection, kDither, kBits, kBypass,
    kGainReduction, kLevelIn, kLevelOut, kCount
};

inline constexpr float kMaxLookaheadMs = 10.f;

inline constexpr std::array<Spec, kCount> kTable{{
    {"input_gain", "Input gain", "Input", Unit::dB, -24.f, 24.f, 0.f, kNone, 20.f},
    {"ceiling", "Ceiling", "Ceiling", Unit::dB, -20.f, 0.f, -1.f, kNone, 20.f},
    {"release", "Release", "Release", Unit::ms, 1.f, 1000.f, 50.f, kLog, 0.f},
    {"auto_release", "Auto release", "Auto rel", Unit::None, 0.f, 1.f, 1.f, kToggle, 0.f},
    // Changes the latency: not automatable.
    {"lookahead", "Lookahead", "Lookahead", Unit::ms, 0.5f, kMaxLookaheadMs, 1.5f, kNotAutomatable, 0.f},
    {"link", "Stereo link", "Link", Unit::percent, 0.f, 100.f, 100.f, kNone, 20.f},
    {"detection", "Peak detection", "Detection", Unit::None, 0.f, 2.f, 1.f, kEnum | kInteger, 0.f, kDetectionLabels},
    {"dither", "Dither", "Dither", Unit::None, 0.f, 2.f, 0.f, kEnum | kInteger, 0.f, kDitherLabels},
    {"bits", "Output word length", "Bits", Unit::None, 0.f, 2.f, 0.f, kEnum | kInteger, 0.f, kBitsLabels},
    {"lv2_enabled", "Bypass", "Bypass", Unit::None, 0.f, 1.f, 0.f, kToggle | params::kBypass, 20.f},
    {"gain_reduction", "Gain reduction", "GR", Unit::dB, 0.f, 60.f, 0.f, kOutput},
    {"level_in", "Input peak", "In", Unit::dBFS, -120.f, 24.f, -120.f, kOutput},
    {"level_out", "Output peak", "Out", Unit::dBFS, -120.f, 24.f, -120.f, kOutput},
}};

static_assert(validTable(kTable), "Limiter parameter table is inconsistent");
static_assert(indexOf(kTable, "lv2_enabled") == kBypass);

} // namespace mixwright::params::limiter
