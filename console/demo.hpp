// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// The console's demo material (labelled "demo" in its output), shared with
// mixwright-bench (--signal demo) so that the benchmark feeds the plugins what the
// console's strips carry: strip i gets a tone of 110 Hz x 1.5^(i mod 6) (a fifth
// apart across strips) whose amplitude pulses at 0.5, 0.75 or 1 Hz (i mod 3) between
// 0.05 and 0.25 (-26 and -12 dBFS), plus white noise of +-0.01.

#pragma once

#include "mixwright/rt/realtime.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>

namespace mixwright::console {

struct DemoSource {
    std::array<double, 2> tone{1.0, 0.0}, env{1.0, 0.0}; // rotating phasors (cos, sin)
    uint32_t seed = 1;

    /// The state strip `index` (0-based) starts from.
    void reset(std::size_t index) noexcept
    {
        tone = {1.0, 0.0};
        env = {1.0, 0.0};
        seed = 0x9e3779b9u * static_cast<uint32_t>(index + 1);
    }

    /// Adds n samples of strip `index`'s material to l and r (the same on both).
    /// Two rotating phasors (tone, envelope): four sin/cos per block, not two sin per
    /// sample, so the stand-in for hardware inputs costs little (about 25 instructions
    /// a sample; the phasors' recursion overlaps with the noise and the conversions).
    void add(std::size_t index, double rate, float* l, float* r, uint32_t n) noexcept REALTIME
    {
        const double f = 110.0 * std::pow(1.5, static_cast<double>(index % 6));
        const double w = 2.0 * std::numbers::pi * f / rate;
        const double pulse = 2.0 * std::numbers::pi * (0.5 + 0.25 * static_cast<double>(index % 3)) / rate;
        const double cw = std::cos(w), sw = std::sin(w), cp = std::cos(pulse), sp = std::sin(pulse);
        double tc = tone[0], ts = tone[1], ec = env[0], es = env[1];
        uint32_t s = seed;
        for (uint32_t i = 0; i < n; ++i) {
            s = s * 1664525u + 1013904223u;
            const float noise = (static_cast<float>(s >> 8) / 8388608.f - 1.f) * 0.01f;
            const float v = 0.25f * static_cast<float>((0.6 + 0.4 * es) * ts) + noise;
            l[i] += v;
            r[i] += v;
            const double t = tc * cw - ts * sw, e = ec * cp - es * sp;
            ts = ts * cw + tc * sw;
            tc = t;
            es = es * cp + ec * sp;
            ec = e;
        }
        seed = s;
        const double nt = 1.0 / std::sqrt(tc * tc + ts * ts), ne = 1.0 / std::sqrt(ec * ec + es * es);
        tone = {tc * nt, ts * nt};
        env = {ec * ne, es * ne};
    }
};

} // namespace mixwright::console
