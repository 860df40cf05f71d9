// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Click-free bypass: a linear crossfade between the processed signal and the dry
// input. When the unit has latency, the dry path runs through a delay of the same
// length, so bypassing never shifts the audio in time and the fade never combs.
// Fully bypassed output is bit-exact with the (latency-delayed) input.
// Tested by tests/test_dsp.cpp and, through the plugins, tests/test_utility.cpp.

#pragma once

#include "mixwright/dsp/delay_line.hpp"
#include "mixwright/dsp/smoother.hpp"

#include <array>
#include <cstddef>

namespace mixwright::dsp {

template <std::size_t Channels>
class BypassCrossfade {
public:
    void prepare(double sampleRate, std::uint32_t latency, float fadeMs = 20.f)
    {
        latency_ = latency;
        for (auto& d : dry_)
            d.prepare(latency);
        mix_.prepare(sampleRate, fadeMs);
        mix_.reset(bypassed_ ? 1.f : 0.f);
    }
    void reset() noexcept REALTIME
    {
        for (auto& d : dry_)
            d.reset();
        mix_.reset(bypassed_ ? 1.f : 0.f);
    }
    void setBypassed(bool b) noexcept REALTIME
    {
        bypassed_ = b;
        mix_.setTarget(b ? 1.f : 0.f);
    }
    bool bypassed() const noexcept { return bypassed_; }
    /// True once the fade to bypass has finished: the output is the dry signal.
    bool fullyBypassed() const noexcept { return !mix_.smoothing() && mix_.current() == 1.f; }
    std::uint32_t latency() const noexcept { return latency_; }
    /// True while no fade runs: the output is either the wet or the dry signal.
    bool steady() const noexcept { return !mix_.smoothing(); }

    /// One frame: `dry` is the unit's input, `wet` holds its output and is overwritten.
    void process(const std::array<float, Channels>& dry, std::array<float, Channels>& wet) noexcept REALTIME
    {
        const float m = mix_.next();
        for (std::size_t c = 0; c < Channels; ++c) {
            const float d = latency_ == 0 ? dry[c] : dry_[c].process(dry[c], latency_);
            if (m == 0.f)
                continue;
            wet[c] = m == 1.f ? d : wet[c] + m * (d - wet[c]);
        }
    }

private:
    std::array<DelayLine, Channels> dry_;
    LinearSmoother mix_;
    std::uint32_t latency_ = 0;
    bool bypassed_ = false;
};

} // namespace mixwright::dsp
