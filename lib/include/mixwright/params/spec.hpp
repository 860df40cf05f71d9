// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Parameter specs: the one table per plugin that drives DSP, DPF adaptor (and so the
// TTL), UI, console and tests. Plain constexpr data, validated at compile time.

#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <string_view>

namespace mixwright::params {

enum Flags : std::uint32_t {
    kNone = 0,
    kLog = 1u << 0,        // logarithmic control (frequency, time)
    kInteger = 1u << 1,    // integer steps
    kToggle = 1u << 2,     // boolean 0/1
    kOutput = 1u << 3,     // plugin writes it (meters)
    kBypass = 1u << 4,     // the lv2:enabled designation (DPF inverts it for LV2)
    kEnum = 1u << 5,       // integer with labels
    kNotAutomatable = 1u << 6,
};

enum class Unit : std::uint8_t { None, dB, Hz, ms, percent, samples, dBFS, coef, LUFS, LU, dBTP };

constexpr std::string_view unitSymbol(Unit u)
{
    switch (u) {
    case Unit::dB: return "dB";
    case Unit::dBFS: return "dBFS";
    case Unit::Hz: return "Hz";
    case Unit::ms: return "ms";
    case Unit::percent: return "%";
    case Unit::samples: return "samples";
    case Unit::LUFS: return "LUFS";
    case Unit::LU: return "LU";
    case Unit::dBTP: return "dBTP";
    case Unit::coef:
    case Unit::None: break;
    }
    return "";
}

struct Spec {
    std::string_view symbol;     // LV2 port symbol: append-only, never renamed
    std::string_view name;
    std::string_view shortName;  // at most 16 characters
    Unit unit = Unit::None;
    float min = 0.f;
    float max = 1.f;
    float def = 0.f;
    std::uint32_t flags = kNone;
    float smoothingMs = 0.f;     // per-sample ramp time for the DSP; 0 = step
    std::span<const std::string_view> labels = {}; // kEnum: labels for min..max

    constexpr bool is(std::uint32_t f) const { return (flags & f) != 0; }

    /// Clamps into range; NaN becomes the default. Integer/enum/toggle values are rounded.
    constexpr float clamp(float v) const
    {
        if (v != v)
            return def;
        v = std::clamp(v, min, max);
        if (is(kToggle))
            return v >= 0.5f * (min + max) ? max : min;
        if (is(kInteger | kEnum))
            v = static_cast<float>(static_cast<long>(v + (v >= 0.f ? 0.5f : -0.5f)));
        return v;
    }
};

/// Compile-time check of one spec; returns false on any inconsistency.
constexpr bool valid(const Spec& s)
{
    if (s.symbol.empty() || s.name.empty() || s.shortName.empty() || s.shortName.size() > 16)
        return false;
    // LV2 symbols: [A-Za-z_][A-Za-z0-9_]*
    for (std::size_t i = 0; i < s.symbol.size(); ++i) {
        const char c = s.symbol[i];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        const bool digit = c >= '0' && c <= '9';
        if (!(alpha || (i > 0 && digit)))
            return false;
    }
    if (!(s.min < s.max) || s.def < s.min || s.def > s.max)
        return false;
    if (s.is(kLog) && s.min <= 0.f)
        return false;
    if (s.is(kToggle) && (s.min != 0.f || s.max != 1.f))
        return false;
    if (s.is(kEnum) && s.labels.size() != static_cast<std::size_t>(s.max - s.min + 1.f))
        return false;
    if (s.is(kBypass) && !s.is(kToggle))
        return false;
    if (s.smoothingMs < 0.f)
        return false;
    return true;
}

template <std::size_t N>
constexpr bool validTable(const std::array<Spec, N>& t)
{
    for (std::size_t i = 0; i < N; ++i) {
        if (!valid(t[i]))
            return false;
        for (std::size_t j = 0; j < i; ++j)
            if (t[i].symbol == t[j].symbol)
                return false;
    }
    return true;
}

template <std::size_t N>
constexpr int indexOf(const std::array<Spec, N>& t, std::string_view symbol)
{
    for (std::size_t i = 0; i < N; ++i)
        if (t[i].symbol == symbol)
            return static_cast<int>(i);
    return -1;
}

/// Maps a value to 0..1 for UI widgets (log-aware) and back.
inline float toNormalised(const Spec& s, float v)
{
    v = s.clamp(v);
    if (s.is(kLog))
        return std::log(v / s.min) / std::log(s.max / s.min);
    return (v - s.min) / (s.max - s.min);
}

inline float fromNormalised(const Spec& s, float n)
{
    n = std::clamp(n, 0.f, 1.f);
    if (s.is(kLog))
        return s.clamp(s.min * std::pow(s.max / s.min, n));
    return s.clamp(s.min + n * (s.max - s.min));
}

} // namespace mixwright::params
