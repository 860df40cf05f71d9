// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Integer-sample delay line (power-of-two circular buffer) and a click-free variant
// that crossfades between the old and the new tap when the delay changes.
// Tested by tests/test_dsp.cpp (impulse lands exactly on the requested sample).

#pragma once

#include "mixwright/rt/realtime.hpp"

#include <cstdint>
#include <vector>

namespace mixwright::dsp {

class DelayLine {
public:
    /// Allocates room for delays 0..maxDelay samples.
    void prepare(std::uint32_t maxDelay)
    {
        std::uint32_t size = 1;
        while (size < maxDelay + 1)
            size <<= 1;
        buf_.assign(size, 0.f);
        mask_ = size - 1;
        w_ = 0;
    }
    void reset() noexcept REALTIME
    {
        for (auto& v : buf_)
            v = 0.f;
        w_ = 0;
    }
    std::uint32_t maxDelay() const noexcept { return mask_; }

    /// Writes x, returns the sample written `delay` samples ago (delay <= maxDelay()).
    float process(float x, std::uint32_t delay) noexcept REALTIME
    {
        buf_[w_] = x;
        const float y = buf_[(w_ - delay) & mask_];
        w_ = (w_ + 1) & mask_;
        return y;
    }
    /// process() over n samples (in == out allowed), position kept in a register.
    void process(const float* in, float* out, std::uint32_t n, std::uint32_t delay) noexcept REALTIME
    {
        float* const buf = buf_.data();
        const std::uint32_t mask = mask_;
        std::uint32_t w = w_;
        for (std::uint32_t i = 0; i < n; ++i) {
            buf[w] = in[i];
            out[i] = buf[(w - delay) & mask];
            w = (w + 1) & mask;
        }
        w_ = w;
    }
    /// Writes x and returns two taps (used while crossfading).
    void process2(float x, std::uint32_t d0, std::uint32_t d1, float& y0, float& y1) noexcept REALTIME
    {
        buf_[w_] = x;
        y0 = buf_[(w_ - d0) & mask_];
        y1 = buf_[(w_ - d1) & mask_];
        w_ = (w_ + 1) & mask_;
    }

private:
    std::vector<float> buf_{0.f};
    std::uint32_t mask_ = 0, w_ = 0;
};

/// Delay whose length can change while running: the old and new taps are crossfaded
/// linearly over `fadeSamples`, so an alignment change never clicks.
/// The block form skips all work while the delay is 0 and steady (the line is not
/// written). Leaving that state, the line first has to hold `target` samples of the
/// new input, so the fade starts that many samples later: it never reads samples that
/// were not written (the output meanwhile stays on the old tap, continuous).
class FadingDelay {
public:
    void prepare(std::uint32_t maxDelay, std::uint32_t fadeSamples)
    {
        line_.prepare(maxDelay);
        fade_ = fadeSamples < 1 ? 1 : fadeSamples;
        reset();
    }
    void reset() noexcept REALTIME
    {
        line_.reset();
        cur_ = target_;
        pos_ = 0;
        written_ = line_.maxDelay(); // a cleared line holds valid silence
    }
    void setDelay(std::uint32_t d) noexcept REALTIME
    {
        target_ = d > line_.maxDelay() ? line_.maxDelay() : d;
    }
    /// Jump without a fade (after prepare/reset, before audio).
    void setDelayImmediate(std::uint32_t d) noexcept
    {
        setDelay(d);
        cur_ = target_;
        pos_ = 0;
    }
    /// Ends a fade at once on the target delay (nothing is written or cleared: after
    /// an idle block run, the first `target` samples are whatever the line held).
    void jumpToTarget() noexcept REALTIME
    {
        cur_ = target_;
        pos_ = 0;
    }
    std::uint32_t delay() const noexcept { return cur_; }
    std::uint32_t target() const noexcept { return target_; }
    bool fading() const noexcept { return pos_ != 0 || target_ != cur_; }

    float process(float x) noexcept REALTIME
    {
        if (pos_ == 0 && (target_ == cur_ || written_ < target_)) {
            advance(1);
            return line_.process(x, cur_);
        }
        if (pos_ == 0)
            next_ = target_;
        float a, b;
        line_.process2(x, cur_, next_, a, b);
        advance(1);
        const float t = static_cast<float>(++pos_) / static_cast<float>(fade_);
        if (pos_ >= fade_) {
            cur_ = next_;
            pos_ = 0;
            return b;
        }
        return a + t * (b - a);
    }
    /// process() over n samples (in == out allowed); a steady delay runs as a block.
    void process(const float* in, float* out, std::uint32_t n) noexcept REALTIME
    {
        if (cur_ == 0 && target_ == 0 && pos_ == 0) {
            if (in != out)
                for (std::uint32_t i = 0; i < n; ++i)
                    out[i] = in[i];
            written_ = 0;
            return;
        }
        if (!fading()) {
            line_.process(in, out, n, cur_);
            advance(n);
            return;
        }
        for (std::uint32_t i = 0; i < n; ++i)
            out[i] = process(in[i]);
    }

private:
    void advance(std::uint32_t n) noexcept
    {
        written_ = n >= line_.maxDelay() - written_ ? line_.maxDelay() : written_ + n;
    }

    DelayLine line_;
    std::uint32_t cur_ = 0, target_ = 0, next_ = 0, fade_ = 1, pos_ = 0;
    std::uint32_t written_ = 0; // samples of valid history in the line (up to maxDelay)
};

} // namespace mixwright::dsp
