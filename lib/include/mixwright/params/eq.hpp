// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright EQ (urn:mixwright:eq): the parameter table. Index = DPF parameter index;
// symbol = LV2 port symbol. Append-only once released.
//
// Layout: 8 bands of kBandStride parameters (b1_enable .. b8_sc), then high-pass,
// low-pass, output gain, bypass, and the per-band dynamic gain outputs.

#pragma once

#include "mixwright/params/spec.hpp"

namespace mixwright::params::eq {

inline constexpr std::string_view kTypeLabels[] = {"Bell", "Low shelf", "High shelf", "Notch", "Band-pass", "Tilt"};
inline constexpr std::string_view kTargetLabels[] = {"Stereo", "Left", "Right", "Mid", "Side"};
inline constexpr std::string_view kScLabels[] = {"Band", "External sidechain"};
inline constexpr std::string_view kSlopeLabels[] = {"6 dB/oct", "12 dB/oct", "18 dB/oct", "24 dB/oct", "36 dB/oct", "48 dB/oct"};

enum Type { kBell = 0, kLowShelf, kHighShelf, kNotch, kBandPass, kTilt };
enum Target { kStereo = 0, kLeft, kRight, kMid, kSide };
enum SidechainSource { kScBand = 0, kScExternal = 1 };
inline constexpr int kSlopeOrders[] = {1, 2, 3, 4, 6, 8};

inline constexpr int kBands = 8;

enum BandField : int {
    kEnable, kType, kFreq, kGain, kQ, kTarget, kDyn, kThreshold, kRatio, kAttack, kRelease, kRange, kSc,
    kBandStride
};

enum Index : int {
    kHpEnable = kBands * kBandStride, kHpFreq, kHpSlope, kHpRes,
    kLpEnable, kLpFreq, kLpSlope, kLpRes,
    kOutGain, kBypass,
    kDynGain1, kCount = kDynGain1 + kBands
};

constexpr int bandIndex(int band, BandField f) { return band * kBandStride + f; }

// Frequency and Q ramp over 30 ms (a full-range sweep is click-free at any speed the
// host automates, see tests/test_eq.cpp); gains over 20 ms.
#define MW_EQ_BAND(n, type, freq)                                                                                     \
    Spec{"b" #n "_enable", "Band " #n " enable", "B" #n " on", Unit::None, 0.f, 1.f, 0.f, kToggle, 10.f},               \
    Spec{"b" #n "_type", "Band " #n " type", "B" #n " type", Unit::None, 0.f, 5.f, type, kEnum | kInteger, 10.f,         \
         kTypeLabels},                                                                                                 \
    Spec{"b" #n "_freq", "Band " #n " frequency", "B" #n " freq", Unit::Hz, 20.f, 20000.f, freq, kLog, 30.f},            \
    Spec{"b" #n "_gain", "Band " #n " gain", "B" #n " gain", Unit::dB, -24.f, 24.f, 0.f, kNone, 20.f},                  \
    Spec{"b" #n "_q", "Band " #n " Q", "B" #n " Q", Unit::None, 0.1f, 20.f, 0.707f, kLog, 30.f},                        \
    Spec{"b" #n "_target", "Band " #n " channels", "B" #n " chan", Unit::None, 0.f, 4.f, 0.f, kEnum | kInteger, 10.f,    \
         kTargetLabels},                                                                                               \
    Spec{"b" #n "_dyn", "Band " #n " dynamic", "B" #n " dyn", Unit::None, 0.f, 1.f, 0.f, kToggle, 20.f},                \
    Spec{"b" #n "_thresh", "Band " #n " threshold", "B" #n " thresh", Unit::dB, -60.f, 0.f, -24.f, kNone, 0.f},          \
    Spec{"b" #n "_ratio", "Band " #n " ratio", "B" #n " ratio", Unit::None, 1.f, 20.f, 2.f, kLog, 0.f},                 \
    Spec{"b" #n "_attack", "Band " #n " attack", "B" #n " attack", Unit::ms, 0.1f, 500.f, 10.f, kLog, 0.f},             \
    Spec{"b" #n "_release", "Band " #n " release", "B" #n " release", Unit::ms, 5.f, 5000.f, 150.f, kLog, 0.f},          \
    Spec{"b" #n "_range", "Band " #n " dynamic range", "B" #n " range", Unit::dB, -24.f, 24.f, -12.f, kNone, 0.f},       \
    Spec{"b" #n "_sc", "Band " #n " detector", "B" #n " detector", Unit::None, 0.f, 1.f, 0.f, kEnum | kInteger, 0.f,     \
         kScLabels}

inline constexpr std::array<Spec, kCount> kTable{{
    MW_EQ_BAND(1, 1.f, 60.f),
    MW_EQ_BAND(2, 0.f, 150.f),
    MW_EQ_BAND(3, 0.f, 400.f),
    MW_EQ_BAND(4, 0.f, 1000.f),
    MW_EQ_BAND(5, 0.f, 2500.f),
    MW_EQ_BAND(6, 0.f, 5000.f),
    MW_EQ_BAND(7, 0.f, 10000.f),
    MW_EQ_BAND(8, 2.f, 12000.f),
    {"hp_enable", "High-pass enable", "HP on", Unit::None, 0.f, 1.f, 0.f, kToggle, 10.f},
    {"hp_freq", "High-pass frequency", "HP freq", Unit::Hz, 10.f, 20000.f, 30.f, kLog, 30.f},
    {"hp_slope", "High-pass slope", "HP slope", Unit::None, 0.f, 5.f, 1.f, kEnum | kInteger, 10.f, kSlopeLabels},
    {"hp_res", "High-pass resonance (12 dB/oct)", "HP res", Unit::None, 0.5f, 10.f, 0.7071f, kLog, 30.f},
    {"lp_enable", "Low-pass enable", "LP on", Unit::None, 0.f, 1.f, 0.f, kToggle, 10.f},
    {"lp_freq", "Low-pass frequency", "LP freq", Unit::Hz, 20.f, 20000.f, 18000.f, kLog, 30.f},
    {"lp_slope", "Low-pass slope", "LP slope", Unit::None, 0.f, 5.f, 1.f, kEnum | kInteger, 10.f, kSlopeLabels},
    {"lp_res", "Low-pass resonance (12 dB/oct)", "LP res", Unit::None, 0.5f, 10.f, 0.7071f, kLog, 30.f},
    {"gain", "Output gain", "Gain", Unit::dB, -24.f, 24.f, 0.f, kNone, 20.f},
    {"lv2_enabled", "Bypass", "Bypass", Unit::None, 0.f, 1.f, 0.f, kToggle | params::kBypass, 20.f},
    {"b1_dyn_gain", "Band 1 dynamic gain", "B1 dyn gain", Unit::dB, -24.f, 24.f, 0.f, kOutput},
    {"b2_dyn_gain", "Band 2 dynamic gain", "B2 dyn gain", Unit::dB, -24.f, 24.f, 0.f, kOutput},
    {"b3_dyn_gain", "Band 3 dynamic gain", "B3 dyn gain", Unit::dB, -24.f, 24.f, 0.f, kOutput},
    {"b4_dyn_gain", "Band 4 dynamic gain", "B4 dyn gain", Unit::dB, -24.f, 24.f, 0.f, kOutput},
    {"b5_dyn_gain", "Band 5 dynamic gain", "B5 dyn gain", Unit::dB, -24.f, 24.f, 0.f, kOutput},
    {"b6_dyn_gain", "Band 6 dynamic gain", "B6 dyn gain", Unit::dB, -24.f, 24.f, 0.f, kOutput},
    {"b7_dyn_gain", "Band 7 dynamic gain", "B7 dyn gain", Unit::dB, -24.f, 24.f, 0.f, kOutput},
    {"b8_dyn_gain", "Band 8 dynamic gain", "B8 dyn gain", Unit::dB, -24.f, 24.f, 0.f, kOutput},
}};

#undef MW_EQ_BAND

static_assert(validTable(kTable), "EQ parameter table is inconsistent");
static_assert(indexOf(kTable, "lv2_enabled") == kBypass);
static_assert(indexOf(kTable, "b8_sc") == bandIndex(7, kSc));
static_assert(indexOf(kTable, "b1_dyn_gain") == kDynGain1);

} // namespace mixwright::params::eq
