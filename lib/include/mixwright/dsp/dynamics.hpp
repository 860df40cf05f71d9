// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Shared dynamics pieces for the Compressor and the Gate.
//
// Follows D. Giannoulis, M. Massberg, J. D. Reiss, "Digital Dynamic Range Compressor
// Design - A Tutorial and Analysis", JAES 60(6), 2012:
// - staticCurveDb(): the gain computer of their eq. (4), hard knee (W = 0) or soft
//   knee of width W dB centred on the threshold T, ratio R (1/R = 0 is a limiter):
//     2(x-T) < -W        : y = x
//     2|x-T| <= W        : y = x + (1/R - 1)(x - T + W/2)^2 / (2W)
//     2(x-T) >  W        : y = T + (x - T)/R
//   levels x, y in dBFS.
// - BranchingSmoother: their "smooth branching peak detector" (eq. 17) applied in the
//   log domain to the gain reduction (positive dB):
//     y[n] = a y[n-1] + (1-a) x[n],  a = aA if x[n] > y[n-1] else aR,
//     a = exp(-1 / (tau fs)).
//   Time-constant definition used by every Mixwright dynamics unit: after a step of
//   the wanted gain reduction, the applied reduction has covered 1 - 1/e (63.2 %) of
//   the step after tau seconds (attack for growing reduction, release for shrinking).
// - LevelDetector: peak (|x|, or the largest |x| of the last `window` samples) or
//   RMS (mean of x^2 over the last `window` samples, a running sum) in dBFS.
// - SlidingMax: largest value of the last N samples (streaming van Herk/Gil-Werman:
//   block prefix and suffix maxima, O(1) per sample, fixed storage) for peak windows
//   and the lookahead hold.
// - LookaheadShaper: with lookahead L samples and attack A <= L samples, the wanted
//   reduction is held for L+1 samples (sliding max) and averaged over A+1 samples
//   (box filter): a linear-in-dB attack ramp that completes exactly when the
//   transient leaves the L-sample audio delay, so no output sample exceeds the
//   static curve (proof: each term of the average is >= the reduction wanted by the
//   sample now leaving the delay).
// - SidechainFilter: 2nd-order Butterworth high-pass and a peaking band (Q 1, gain in
//   dB, 0 dB = bypass) on trapezoidal SVFs (see svf.hpp).
// Tested by tests/test_dynamics.cpp (static curve, time constants, lookahead, latency,
// sidechain, block-size independence) through Compressor and Gate.

#pragma once

#include "mixwright/dsp/svf.hpp"
#include "mixwright/rt/realtime.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace mixwright::dsp {

/// 20 log10(2): dB per octave of amplitude, for log2/exp2 based conversions.
inline constexpr float kDbPerLog2 = 6.0205999132796239f;
inline constexpr float kLevelFloorDb = -160.f;

/// log2 for positive normal x, branch-free so loops over it vectorise: exponent plus
/// an odd series in t = (m-1)/(m+1), m in [sqrt(1/2), sqrt(2)) (|t| <= 0.172,
/// truncation < 1e-9; float rounding about 1e-7, i.e. 1e-6 dB).
inline float log2Poly(float x) noexcept
{
    const auto bits = std::bit_cast<std::uint32_t>(x);
    const int e = static_cast<int>((bits >> 23) & 0xffu) - 127;
    const float m1 = std::bit_cast<float>((bits & 0x007fffffu) | 0x3f800000u); // [1, 2)
    const bool big = m1 > 1.41421356f;
    const float half = 0.5f * m1;
    const float m = big ? half : m1;
    const float t = (m - 1.f) / (m + 1.f);
    const float t2 = t * t;
    const float series = t * (2.f + t2 * (2.f / 3.f + t2 * (2.f / 5.f + t2 * (2.f / 7.f + t2 * (2.f / 9.f)))));
    return static_cast<float>(e + (big ? 1 : 0)) + series * 1.44269504f; // ln(m) / ln(2)
}

/// 2^x, branch-free: 2^i times a degree-6 Taylor polynomial of 2^f, i = x rounded,
/// f in [-0.5, 0.5] (relative error < 2e-7). x is clamped to +-126. 2^0 is exactly 1,
/// and so is 2^f for |f| below float resolution: unity gain stays bit-exact.
inline float exp2Poly(float x) noexcept
{
    x = x < -126.f ? -126.f : (x > 126.f ? 126.f : x);
    const int i = static_cast<int>(x + (x >= 0.f ? 0.5f : -0.5f)); // truncation
    const float f = x - static_cast<float>(i);
    constexpr float c1 = 0.693147181f, c2 = 0.240226507f, c3 = 0.0555041087f, c4 = 0.00961812911f,
                    c5 = 0.00133335581f, c6 = 0.000154035304f;
    const float p = 1.f + f * (c1 + f * (c2 + f * (c3 + f * (c4 + f * (c5 + f * c6)))));
    return p * std::bit_cast<float>(static_cast<std::uint32_t>(i + 127) << 23);
}

/// Amplitude (>= 0) to dBFS, floored at kLevelFloorDb.
inline float ampToDb(float a) noexcept
{
    return a > 1e-8f ? kDbPerLog2 * std::log2(a) : kLevelFloorDb;
}
/// Power (mean square, >= 0) to dBFS.
inline float powToDb(float p) noexcept
{
    return p > 1e-16f ? 0.5f * kDbPerLog2 * std::log2(p) : kLevelFloorDb;
}
/// libm's exp2f/log2f (FMA variants chosen at load time) beat polynomial versions
/// built for baseline x86-64; exp2f(0) is exactly 1, so unity gain stays bit-exact.
inline float dbToAmp(float db) noexcept { return std::exp2(db * (1.f / kDbPerLog2)); }

/// Giannoulis et al. eq. (4): output level in dB for input level x dB. slope = 1/R.
/// Written as selects (no branches) so a loop over it vectorises.
inline float staticCurveDb(float x, float threshold, float slope, float knee) noexcept
{
    const float d = x - threshold;
    const float t = d + 0.5f * knee;
    const float inv2W = knee > 0.f ? 0.5f / knee : 0.f; // W = 0: the knee branch is x = T
    const float soft = x + (slope - 1.f) * t * t * inv2W;
    const float hard = threshold + d * slope;
    return 2.f * d < -knee ? x : (2.f * d > knee ? hard : soft);
}

inline float timeCoef(double seconds, double rate) noexcept
{
    return seconds <= 0.0 ? 0.f : static_cast<float>(std::exp(-1.0 / (seconds * rate)));
}

class BranchingSmoother {
public:
    void setCoefs(float attack, float release) noexcept
    {
        aA_ = attack;
        aR_ = release;
    }
    void reset(float v = 0.f) noexcept { y_ = v; }
    float process(float x) noexcept
    {
        const float a = x > y_ ? aA_ : aR_;
        y_ = a * y_ + (1.f - a) * x;
        return y_;
    }
    /// process() over n samples (in == out allowed); state kept in a register.
    void process(const float* in, float* out, std::uint32_t n) noexcept
    {
        float y = y_;
        for (std::uint32_t i = 0; i < n; ++i) {
            const float x = in[i];
            const float a = x > y ? aA_ : aR_;
            y = a * y + (1.f - a) * x;
            out[i] = y;
        }
        y_ = y;
    }
    float value() const noexcept { return y_; }
    void sanitize() noexcept
    {
        if (rt::sanitize(y_))
            y_ = 0.f;
    }

private:
    float aA_ = 0.f, aR_ = 0.f, y_ = 0.f;
};

class SlidingMax {
public:
    void prepare(std::uint32_t maxLength)
    {
        const std::size_t size = std::max<std::uint32_t>(1, maxLength) + 1;
        cur_.assign(size, 0.f);
        prefix_.assign(size, 0.f);
        suffix_.assign(size, 0.f);
        max_ = static_cast<std::uint32_t>(size - 1);
        len_ = std::min(len_, max_);
        reset();
    }
    void reset() noexcept
    {
        std::fill(suffix_.begin(), suffix_.end(), -std::numeric_limits<float>::infinity());
        pos_ = 0;
    }
    /// Copies another instance's state (same prepared size; no allocation).
    void copyStateFrom(const SlidingMax& o) noexcept
    {
        if (o.cur_.size() != cur_.size())
            return;
        std::copy(o.cur_.begin(), o.cur_.end(), cur_.begin());
        std::copy(o.prefix_.begin(), o.prefix_.end(), prefix_.begin());
        std::copy(o.suffix_.begin(), o.suffix_.end(), suffix_.begin());
        len_ = o.len_;
        pos_ = o.pos_;
    }
    /// Window of `length` samples (>= 1, <= maxLength). A new length restarts the
    /// window from the next sample (the history is forgotten).
    void setLength(std::uint32_t length) noexcept
    {
        length = std::clamp<std::uint32_t>(length, 1u, max_);
        if (length == len_)
            return;
        len_ = length;
        reset();
    }
    /// Streaming van Herk / Gil-Werman: the window is the previous block's suffix
    /// maximum from pos+1 plus the current block's prefix maximum up to pos; the
    /// suffixes are computed once per block (O(1) per sample, no data-dependent loops).
    float process(float x) noexcept
    {
        const std::uint32_t p = pos_;
        cur_[p] = x;
        const float pre = p == 0 ? x : std::max(prefix_[p - 1], x);
        prefix_[p] = pre;
        const float out = p + 1 < len_ ? std::max(suffix_[p + 1], pre) : pre;
        if (p + 1 == len_) {
            float m = cur_[p];
            suffix_[p] = m;
            for (std::uint32_t k = p; k-- > 0;) {
                m = std::max(m, cur_[k]);
                suffix_[k] = m;
            }
            pos_ = 0;
        } else {
            pos_ = p + 1;
        }
        return out;
    }

private:
    std::vector<float> cur_{0.f, 0.f}, prefix_{0.f, 0.f}, suffix_{0.f, 0.f};
    std::uint32_t max_ = 1, len_ = 1, pos_ = 0;
};

/// Running mean over the last `length` samples (double accumulator, clamped at 0).
class MovingAverage {
public:
    void prepare(std::uint32_t maxLength)
    {
        std::uint32_t size = 1;
        while (size < maxLength + 1)
            size <<= 1;
        buf_.assign(size, 0.f);
        mask_ = size - 1;
        reset();
    }
    void reset() noexcept
    {
        std::fill(buf_.begin(), buf_.end(), 0.f);
        w_ = 0;
        sum_ = 0.0;
    }
    /// Copies another instance's state (same prepared size; no allocation).
    void copyStateFrom(const MovingAverage& o) noexcept
    {
        if (o.buf_.size() != buf_.size())
            return;
        std::copy(o.buf_.begin(), o.buf_.end(), buf_.begin());
        w_ = o.w_;
        len_ = o.len_;
        sum_ = o.sum_;
        inv_ = o.inv_;
    }
    /// A new length re-sums the stored history (bounded by the prepared maximum), so
    /// the average continues without a jump.
    void setLength(std::uint32_t length) noexcept
    {
        length = std::clamp<std::uint32_t>(length, 1u, mask_);
        if (length == len_)
            return;
        len_ = length;
        inv_ = 1.0 / len_;
        sum_ = 0.0;
        for (std::uint32_t k = 1; k <= len_; ++k)
            sum_ += buf_[(w_ - k) & mask_];
    }
    float process(float x) noexcept
    {
        sum_ += static_cast<double>(x) - buf_[(w_ - len_) & mask_];
        buf_[w_] = x;
        w_ = (w_ + 1) & mask_;
        if (!(sum_ > 0.0))
            sum_ = 0.0; // rounding can leave a tiny negative; NaN cannot stay
        return static_cast<float>(sum_ * inv_);
    }
    /// process() of x[i]^2 over n samples (the RMS detector's mean square), with the
    /// state in registers: the same arithmetic, so the same results.
    void processSquares(const float* x, float* out, std::uint32_t n) noexcept { processBlock<true>(x, out, n); }
    /// process() over n samples, state in registers.
    void process(const float* x, float* out, std::uint32_t n) noexcept { processBlock<false>(x, out, n); }

private:
    template <bool Square>
    void processBlock(const float* x, float* out, std::uint32_t n) noexcept
    {
        float* const buf = buf_.data();
        const std::uint32_t mask = mask_, len = len_;
        const double inv = inv_;
        std::uint32_t w = w_;
        double sum = sum_;
        for (std::uint32_t i = 0; i < n; ++i) {
            const float v = Square ? x[i] * x[i] : x[i];
            sum += static_cast<double>(v) - buf[(w - len) & mask];
            buf[w] = v;
            w = (w + 1) & mask;
            sum = sum > 0.0 ? sum : 0.0;
            out[i] = static_cast<float>(sum * inv);
        }
        w_ = w;
        sum_ = sum;
    }

public:
    std::uint32_t length() const noexcept { return len_; }

private:
    std::vector<float> buf_{0.f};
    std::uint32_t mask_ = 0, w_ = 0, len_ = 0;
    double sum_ = 0.0, inv_ = 1.0;
};

/// Peak or RMS level in dBFS over a window of samples (1 = instantaneous peak).
class LevelDetector {
public:
    void prepare(std::uint32_t maxWindow)
    {
        max_.prepare(maxWindow);
        avg_.prepare(maxWindow);
    }
    void configure(bool rms, std::uint32_t window) noexcept
    {
        rms_ = rms;
        window_ = std::max<std::uint32_t>(1, window);
        max_.setLength(window_);
        avg_.setLength(window_);
    }
    void reset() noexcept
    {
        max_.reset();
        avg_.reset();
    }
    /// Level in dBFS.
    float process(float x) noexcept { return toDb(processLinear(x)); }
    /// Level as amplitude (peak) or power (RMS): monotonic in the dB level, so the
    /// largest of several channels can be taken before one toDb().
    float processLinear(float x) noexcept
    {
        if (rms_)
            return avg_.process(x * x);
        const float a = std::fabs(x);
        return window_ > 1 ? max_.process(a) : a;
    }
    /// processLinear() over n samples.
    void processLinear(const float* in, float* out, std::uint32_t n) noexcept
    {
        if (rms_)
            avg_.processSquares(in, out, n);
        else if (window_ > 1)
            for (std::uint32_t i = 0; i < n; ++i)
                out[i] = max_.process(std::fabs(in[i]));
        else
            for (std::uint32_t i = 0; i < n; ++i)
                out[i] = std::fabs(in[i]);
    }
    float toDb(float linear) const noexcept { return rms_ ? powToDb(linear) : ampToDb(linear); }
    bool rms() const noexcept { return rms_; }

private:
    SlidingMax max_;
    MovingAverage avg_;
    bool rms_ = false;
    std::uint32_t window_ = 1;
};

class LookaheadShaper {
public:
    void prepare(std::uint32_t maxSamples)
    {
        hold_.prepare(maxSamples + 1);
        ramp_.prepare(maxSamples + 1);
    }
    void configure(std::uint32_t lookahead, std::uint32_t attack) noexcept
    {
        hold_.setLength(lookahead + 1);
        ramp_.setLength(attack + 1);
    }
    void reset() noexcept
    {
        hold_.reset();
        ramp_.reset();
    }
    float process(float reductionDb) noexcept { return ramp_.process(hold_.process(reductionDb)); }
    /// process() over n samples (in == out allowed).
    void process(const float* in, float* out, std::uint32_t n) noexcept
    {
        for (std::uint32_t i = 0; i < n; ++i)
            out[i] = hold_.process(in[i]);
        ramp_.process(out, out, n);
    }
    void copyStateFrom(const LookaheadShaper& o) noexcept
    {
        hold_.copyStateFrom(o.hold_);
        ramp_.copyStateFrom(o.ramp_);
    }

private:
    SlidingMax hold_;
    MovingAverage ramp_;
};

class SidechainFilter {
public:
    void prepare(double rate) { rate_ = rate; }
    /// hpHz <= 0: no high-pass. bandGainDb == 0: no band.
    void configure(float hpHz, float bandHz, float bandGainDb, float lpHz = 0.f) noexcept
    {
        hpOn_ = hpHz > 0.f;
        lpOn_ = lpHz > 0.f;
        bandOn_ = bandGainDb != 0.f;
        constexpr double kButterworthQ = 0.70710678118654752;
        if (hpOn_)
            hp_ = SvfCoefs::make(hpHz, kButterworthQ, rate_);
        if (lpOn_)
            lp_ = SvfCoefs::make(lpHz, kButterworthQ, rate_);
        if (bandOn_) {
            // Peaking band (Simper): k = 1/(Q A), out = v0 + k (A^2 - 1) v1, A = 10^(g/40).
            const double a = std::pow(10.0, bandGainDb / 40.0);
            band_ = SvfCoefs::make(bandHz, a, rate_); // q = A gives k = 1/A (Q = 1)
            bandM1_ = band_.k * (a * a - 1.0);
        }
    }
    bool active() const noexcept { return hpOn_ || lpOn_ || bandOn_; }
    void reset() noexcept
    {
        for (auto* s : {&hpS_, &lpS_, &bandS_})
            s->reset();
    }
    float process(float x) noexcept
    {
        double v = x;
        if (hpOn_)
            v = hpS_.tick(v, hp_).hp;
        if (lpOn_)
            v = lpS_.tick(v, lp_).lp;
        if (bandOn_)
            v = v + bandM1_ * bandS_.tick(v, band_).bp;
        return static_cast<float>(v);
    }
    void sanitize() noexcept
    {
        hpS_.sanitize();
        lpS_.sanitize();
        bandS_.sanitize();
    }

private:
    double rate_ = 48000.0;
    bool hpOn_ = false, lpOn_ = false, bandOn_ = false;
    SvfCoefs hp_, lp_, band_;
    double bandM1_ = 0.0;
    Svf hpS_, lpS_, bandS_;
};

} // namespace mixwright::dsp
