// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Trapezoidal-integrated state-variable filter (A. Simper, "Linear Trap Integrated
// SVF", Cytomic technical paper, 2013). Low-, band- and high-pass outputs from one
// state; coefficients may change every sample without zipper noise, which is why it
// is used where frequencies are modulated. A 2nd-order Butterworth section has
// Q = 1/sqrt(2); two in series make a 4th-order Linkwitz-Riley (LR4) branch whose
// low- and high-pass sum to an all-pass (flat magnitude).
// Tested by tests/test_dsp.cpp (magnitude against the analog Butterworth prototype
// with pre-warped cut-off; LR4 sum flat).

#pragma once

#include "mixwright/rt/realtime.hpp"

#include <cmath>
#include <numbers>

namespace mixwright::dsp {

struct SvfCoefs {
    double g = 0, k = 0, a1 = 0, a2 = 0, a3 = 0;

    /// Cut-off `fc` Hz (clamped below Nyquist), quality `q`.
    static SvfCoefs make(double fc, double q, double sampleRate) noexcept
    {
        SvfCoefs c;
        const double nyq = 0.49 * sampleRate;
        fc = fc < 1.0 ? 1.0 : (fc > nyq ? nyq : fc);
        c.g = std::tan(std::numbers::pi * fc / sampleRate);
        c.k = 1.0 / q;
        c.a1 = 1.0 / (1.0 + c.g * (c.g + c.k));
        c.a2 = c.g * c.a1;
        c.a3 = c.g * c.a2;
        return c;
    }
};

struct SvfOut {
    double lp, bp, hp;
};

class Svf {
public:
    void reset() noexcept REALTIME { ic1_ = ic2_ = 0.0; }

    SvfOut tick(double v0, const SvfCoefs& c) noexcept REALTIME
    {
        const double v3 = v0 - ic2_;
        const double v1 = c.a1 * ic1_ + c.a2 * v3;
        const double v2 = ic2_ + c.a2 * ic1_ + c.a3 * v3;
        ic1_ = 2.0 * v1 - ic1_;
        ic2_ = 2.0 * v2 - ic2_;
        return {v2, v1, v0 - c.k * v1 - v2};
    }
    /// Clears non-finite or denormal state; call once per block.
    void sanitize() noexcept REALTIME
    {
        const bool bad1 = rt::sanitize(ic1_), bad2 = rt::sanitize(ic2_);
        if (bad1 || bad2)
            ic1_ = ic2_ = 0.0;
    }

private:
    double ic1_ = 0.0, ic2_ = 0.0;
};

/// One-pole DC blocker, y[n] = x[n] - x[n-1] + R y[n-1], R = exp(-2 pi fc / fs).
class DcBlocker {
public:
    void prepare(double sampleRate, double fc = 5.0) { r_ = std::exp(-2.0 * std::numbers::pi * fc / sampleRate); }
    void reset() noexcept REALTIME { x1_ = y1_ = 0.0; }
    float process(float x) noexcept REALTIME
    {
        const double y = x - x1_ + r_ * y1_;
        x1_ = x;
        y1_ = y;
        return static_cast<float>(y);
    }
    /// While bypassed: follow the input so that switching on starts without a step.
    void track(float x) noexcept REALTIME
    {
        x1_ = x;
        y1_ = 0.0;
    }
    void sanitize() noexcept REALTIME
    {
        const bool bad1 = rt::sanitize(x1_), bad2 = rt::sanitize(y1_);
        if (bad1 || bad2)
            x1_ = y1_ = 0.0;
    }

private:
    double r_ = 0.0, x1_ = 0.0, y1_ = 0.0;
};

} // namespace mixwright::dsp
