// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright Meter (urn:mixwright:meter): the parameter table. Index = DPF parameter
// index; symbol = LV2 port symbol. Append-only once released. The target labels and
// numbers come from data/delivery-targets.json (generated header), so the enum can
// only grow by appending targets to that file.

#pragma once

#include "mixwright/params/delivery_targets.hpp"
#include "mixwright/params/spec.hpp"

namespace mixwright::params::meter {

inline constexpr std::string_view kTransportLabels[] = {"Free running", "Follow host transport"};
enum Transport { kFreeRunning = 0, kFollowTransport = 1 };

enum Index : int {
    kTarget, kTransport, kReset, kBypass,
    kMomentary, kShortTerm, kIntegrated, kRange, kTruePeak, kSamplePeak, kPlr, kPsr, kCorrelation,
    kLoudnessOk, kTruePeakOk, kMomentaryMax, kShortTermMax,
    kCount
};

/// Reported instead of -inf (no signal, nothing integrated yet): a finite floor, so
/// hosts and tests never see NaN or Inf.
inline constexpr float kFloor = -120.f;

inline constexpr std::array<Spec, kCount> kTable{{
    {"target", "Delivery target", "Target", Unit::None, 0.f, static_cast<float>(targets::kCount - 1), 0.f,
     kEnum | kInteger, 0.f, targets::kNames},
    {"transport", "Integration", "Integration", Unit::None, 0.f, 1.f, 1.f, kEnum | kInteger, 0.f, kTransportLabels},
    // Rising edge clears integrated, LRA and maxima.
    {"reset", "Reset", "Reset", Unit::None, 0.f, 1.f, 0.f, kToggle},
    // An analyser passes audio either way; bypassed, it stops measuring (holds).
    {"lv2_enabled", "Bypass", "Bypass", Unit::None, 0.f, 1.f, 0.f, kToggle | params::kBypass},
    {"momentary", "Momentary loudness", "Momentary", Unit::LUFS, kFloor, 20.f, kFloor, kOutput},
    {"short_term", "Short-term loudness", "Short-term", Unit::LUFS, kFloor, 20.f, kFloor, kOutput},
    {"integrated", "Integrated loudness", "Integrated", Unit::LUFS, kFloor, 20.f, kFloor, kOutput},
    {"range", "Loudness range", "LRA", Unit::LU, 0.f, 140.f, 0.f, kOutput},
    {"true_peak", "True peak max", "True peak", Unit::dBTP, kFloor, 40.f, kFloor, kOutput},
    {"sample_peak", "Sample peak max", "Sample peak", Unit::dBFS, kFloor, 40.f, kFloor, kOutput},
    {"plr", "Peak to loudness ratio", "PLR", Unit::LU, -40.f, 160.f, 0.f, kOutput},
    {"psr", "Peak to short-term loudness ratio", "PSR", Unit::LU, -40.f, 160.f, 0.f, kOutput},
    {"correlation", "Stereo correlation", "Correlation", Unit::coef, -1.f, 1.f, 0.f, kOutput},
    {"loudness_ok", "Integrated loudness meets target", "Loudness OK", Unit::None, 0.f, 1.f, 0.f, kToggle | kOutput},
    {"true_peak_ok", "True peak meets target", "Peak OK", Unit::None, 0.f, 1.f, 0.f, kToggle | kOutput},
    {"momentary_max", "Momentary loudness max", "Momentary max", Unit::LUFS, kFloor, 20.f, kFloor, kOutput},
    {"short_term_max", "Short-term loudness max", "Short-term max", Unit::LUFS, kFloor, 20.f, kFloor, kOutput},
}};

static_assert(validTable(kTable), "Meter parameter table is inconsistent");
static_assert(indexOf(kTable, "lv2_enabled") == kBypass);
static_assert(targets::kCount >= 1);

} // namespace mixwright::params::meter
