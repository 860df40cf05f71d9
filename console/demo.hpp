// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// The console's demo material (labelled "demo" in its output), shared with
// mixwright-bench (--signal demo) so that the benchmark feeds the plugins what the
// console's strips carry: strip i gets a tone of 110 Hz x 1.5^(i mod 6) (a fifth
// apart across strips) whose amplitude pulses at 0.5, 0.75 or 1 Hz (i mod 3) between
// 0.05 and 0.25 (-26 and -12 dBFS), plus white noise of +-0.01:
//   x[t] = 0.25 (0.6 + 0.4 sin(2 pi p t / rate)) sin(2 pi f t / rate) + 0.01 (u[t] / 2^23 - 1),
// with u[t] the top 24 bits of the LCG s = 1664525 s + 1013904223 after t + 1 steps
// from the strip's seed.

#pragma once

#include "mixwright/rt/realtime.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <numbers>

namespace mixwright::console {

struct DemoSource {
    // State at the next block's first sample, in double: phasors (cos, sin) of the
    // tone and the envelope, and the noise generator's.
    std::array<double, 2> tone{1.0, 0.0}, env{1.0, 0.0};
    uint32_t seed = 1;

    /// The state strip `index` (0-based) starts from.
    void reset(std::size_t index) noexcept
    {
        tone = {1.0, 0.0};
        env = {1.0, 0.0};
        seed = 0x9e3779b9u * static_cast<uint32_t>(index + 1);
    }

    /// Adds n samples of strip `index`'s material to l and r (the same on both).
    /// Eight lanes (two 4-float vectors, GCC/Clang vector extension) each carry every
    /// 8th sample: lane k starts at the block's phasors turned by k steps and turns by
    /// 8 steps at a time, and its noise generator jumps 8 LCG steps at a time. So no
    /// sample waits for the one before (a serial phasor recursion did: about 1/20 of
    /// the console's cycle at 32 strips with EQ, compressor and gate on each). At the
    /// block's end the double phasors turn by n steps and are renormalised; sin/cos
    /// run only when the strip, the rate or the block length changes.
    void add(std::size_t index, double rate, float* l, float* r, uint32_t n) noexcept REALTIME
    {
        if (index != index_ || rate != rate_)
            prepare(index, rate);
        if (n != blockN_)
            prepareBlock(n);

        // Lanes 0-3 and 4-7: phasors at samples k and the LCG state for sample k.
        V4 tc[2], ts[2], ec[2], es[2];
        U4 s[2];
        const auto start = [](const std::array<double, 2>& p, const Lanes& k, V4& c, V4& sn) {
            const V4 pc = V4{} + static_cast<float>(p[0]), ps = V4{} + static_cast<float>(p[1]);
            c = pc * k.c - ps * k.s;
            sn = ps * k.c + pc * k.s;
        };
        uint32_t u = seed;
        for (int h = 0; h < 2; ++h) {
            start(tone, toneLanes_[h], tc[h], ts[h]);
            start(env, envLanes_[h], ec[h], es[h]);
            for (int k = 0; k < 4; ++k) {
                u = u * kA + kC;
                s[h][k] = u;
            }
        }
        const V4 toneC = V4{} + toneStep8_[0], toneS = V4{} + toneStep8_[1];
        const V4 envC = V4{} + envStep8_[0], envS = V4{} + envStep8_[1];
        const U4 a8 = U4{} + a8_, c8 = U4{} + c8_;
        const auto value = [&](int h) {
            const V4 noise = (__builtin_convertvector(reinterpret_cast<I4>(s[h] >> 8), V4) * (1.f / 8388608.f) - 1.f)
                             * 0.01f;
            return 0.25f * (0.6f + 0.4f * es[h]) * ts[h] + noise;
        };
        const auto advance = [&](int h) {
            const V4 t = tc[h] * toneC - ts[h] * toneS, e = ec[h] * envC - es[h] * envS;
            ts[h] = ts[h] * toneC + tc[h] * toneS;
            tc[h] = t;
            es[h] = es[h] * envC + ec[h] * envS;
            ec[h] = e;
            s[h] = s[h] * a8 + c8;
        };
        const auto addTo = [](float* x, const V4& v, uint32_t count) {
            if (count == 4) {
                V4 y;
                std::memcpy(&y, x, sizeof y);
                y += v;
                std::memcpy(x, &y, sizeof y);
            } else {
                for (uint32_t k = 0; k < count; ++k)
                    x[k] += v[k];
            }
        };
        for (uint32_t i = 0; i < n; i += 8)
            for (int h = 0; h < 2; ++h) {
                const uint32_t at = i + 4 * static_cast<uint32_t>(h);
                if (at >= n)
                    break;
                const uint32_t count = n - at < 4 ? n - at : 4;
                const V4 v = value(h);
                addTo(l + at, v, count);
                addTo(r + at, v, count);
                advance(h);
            }

        seed = seed * blockA_ + blockC_;
        const auto turn = [](std::array<double, 2>& p, const std::array<double, 2>& by) {
            const double c = p[0] * by[0] - p[1] * by[1], sn = p[1] * by[0] + p[0] * by[1];
            const double norm = 1.0 / std::sqrt(c * c + sn * sn);
            p = {c * norm, sn * norm};
        };
        turn(tone, toneStepN_);
        turn(env, envStepN_);
    }

private:
    using V4 = float __attribute__((vector_size(16)));
    using U4 = uint32_t __attribute__((vector_size(16)));
    using I4 = int32_t __attribute__((vector_size(16)));
    static constexpr uint32_t kA = 1664525u, kC = 1013904223u;
    struct Lanes {
        V4 c, s; // cos and sin of k steps, k = 4h .. 4h + 3 for lanes_[h]
    };
    /// The LCG's n steps as one: s -> a s + c (by squaring: log2 n rounds).
    static void jump(uint64_t n, uint32_t& a, uint32_t& c) noexcept REALTIME
    {
        uint32_t ra = 1, rc = 0, pa = kA, pc = kC; // result so far; 2^bit steps
        for (; n != 0; n >>= 1) {
            if (n & 1) {
                ra *= pa;
                rc = rc * pa + pc;
            }
            pc = pc * pa + pc;
            pa *= pa;
        }
        a = ra;
        c = rc;
    }

    void prepare(std::size_t index, double rate) noexcept REALTIME
    {
        index_ = index;
        rate_ = rate;
        blockN_ = 0;
        toneW_ = 2.0 * std::numbers::pi * 110.0 * std::pow(1.5, static_cast<double>(index % 6)) / rate;
        envW_ = 2.0 * std::numbers::pi * (0.5 + 0.25 * static_cast<double>(index % 3)) / rate;
        for (int k = 0; k < 8; ++k) {
            toneLanes_[k / 4].c[k % 4] = static_cast<float>(std::cos(k * toneW_));
            toneLanes_[k / 4].s[k % 4] = static_cast<float>(std::sin(k * toneW_));
            envLanes_[k / 4].c[k % 4] = static_cast<float>(std::cos(k * envW_));
            envLanes_[k / 4].s[k % 4] = static_cast<float>(std::sin(k * envW_));
        }
        toneStep8_ = {static_cast<float>(std::cos(8 * toneW_)), static_cast<float>(std::sin(8 * toneW_))};
        envStep8_ = {static_cast<float>(std::cos(8 * envW_)), static_cast<float>(std::sin(8 * envW_))};
        jump(8, a8_, c8_);
    }

    void prepareBlock(uint32_t n) noexcept REALTIME
    {
        blockN_ = n;
        toneStepN_ = {std::cos(n * toneW_), std::sin(n * toneW_)};
        envStepN_ = {std::cos(n * envW_), std::sin(n * envW_)};
        jump(n, blockA_, blockC_);
    }

    // Per strip and rate (prepare) and per block length (prepareBlock).
    std::size_t index_ = ~std::size_t{0};
    double rate_ = 0.0, toneW_ = 0.0, envW_ = 0.0;
    uint32_t blockN_ = 0;
    Lanes toneLanes_[2]{}, envLanes_[2]{};
    std::array<float, 2> toneStep8_{}, envStep8_{};
    std::array<double, 2> toneStepN_{}, envStepN_{};
    uint32_t a8_ = 1, c8_ = 0, blockA_ = 1, blockC_ = 0;
};

} // namespace mixwright::console
