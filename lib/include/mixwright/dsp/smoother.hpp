// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Per-sample linear parameter ramp. A new target starts a ramp of a fixed number of
// samples (the spec's smoothing time); the ramp lands exactly on the target, so a
// steady state is bit-exact (gain 1 is 1, polarity -1 is -1). State advances per
// sample, never per block, which keeps output independent of the host's block size.
// Tested by tests/test_dsp.cpp (ramp length, exact landing, retargeting mid-ramp).

#pragma once

#include "mixwright/rt/realtime.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace mixwright::dsp {

class LinearSmoother {
public:
    void prepare(double sampleRate, float ms)
    {
        steps_ = std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::lround(ms * 1e-3 * sampleRate)));
    }
    void reset(float value) noexcept REALTIME
    {
        cur_ = target_ = value;
        remaining_ = 0;
    }
    void setTarget(float value) noexcept REALTIME
    {
        if (value == target_)
            return;
        target_ = value;
        if (steps_ <= 1) {
            cur_ = value;
            remaining_ = 0;
            return;
        }
        inc_ = (target_ - cur_) / static_cast<float>(steps_);
        remaining_ = steps_;
    }
    float next() noexcept REALTIME
    {
        if (remaining_ > 0) {
            if (--remaining_ == 0)
                cur_ = target_;
            else
                cur_ += inc_;
        }
        return cur_;
    }
    bool smoothing() const noexcept { return remaining_ > 0; }
    float current() const noexcept { return cur_; }
    float target() const noexcept { return target_; }
    std::uint32_t rampSamples() const noexcept { return steps_; }

private:
    float cur_ = 0.f, target_ = 0.f, inc_ = 0.f;
    std::uint32_t remaining_ = 0, steps_ = 1;
};

inline float dbToGain(float db) noexcept { return std::pow(10.f, db * 0.05f); }
inline float gainToDb(float g, float floorDb = -120.f) noexcept
{
    return g > 0.f ? std::max(floorDb, 20.f * std::log10(g)) : floorDb;
}

} // namespace mixwright::dsp
