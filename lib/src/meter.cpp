// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC

#include "mixwright/dsp/meter.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace mixwright::dsp {

namespace pm = params::meter;
namespace pt = params::targets;

Meter::Meter()
{
    for (std::size_t i = 0; i < values_.size(); ++i) {
        values_[i] = kTable[i].def;
        out_[i].store(kTable[i].def, std::memory_order_relaxed);
    }
}

void Meter::prepare(double sampleRate, std::uint32_t /*maxBlock*/)
{
    meter_.prepare(sampleRate, 2);
    reset();
}

void Meter::reset() noexcept REALTIME
{
    meter_.reset();
    rolling_ = seenRolling_ = false;
    publish();
}

void Meter::setParameter(int index, float value) noexcept REALTIME
{
    if (index < 0 || index >= P::kCount || kTable[static_cast<std::size_t>(index)].is(params::kOutput))
        return;
    const float v = kTable[static_cast<std::size_t>(index)].clamp(value);
    values_[static_cast<std::size_t>(index)] = v;
    if (index == P::kTarget)
        publish(); // pass/fail follow the new target at once
    if (index == P::kReset) {
        const bool high = v >= 0.5f;
        if (high && !resetHigh_) {
            meter_.resetIntegration();
            publish();
        }
        resetHigh_ = high;
    }
}

void Meter::setTransportRolling(bool rolling) noexcept REALTIME
{
    rolling_ = rolling;
    seenRolling_ = seenRolling_ || rolling;
}

void Meter::process(const float* inL, const float* inR, float* outL, float* outR, std::uint32_t frames) noexcept REALTIME
{
    if (values_[P::kBypass] < 0.5f && frames > 0) {
        const bool follow = static_cast<int>(values_[P::kTransport]) == pm::kFollowTransport;
        meter_.setIntegrating(!follow || rolling_ || !seenRolling_);
        const float* in[2] = {inL, inR};
        meter_.process(in, frames);
        // Every reading changes only at a sub-block (10 ms) boundary.
        if (meter_.subBlocks() != published_)
            publish();
    }
    // Copy after reading: in-place buffers are already right.
    if (outL != inL)
        std::memmove(outL, inL, frames * sizeof(float));
    if (outR != inR)
        std::memmove(outR, inR, frames * sizeof(float));
}

void Meter::publish() noexcept REALTIME
{
    published_ = meter_.subBlocks();
    auto set = [&](int i, double v) {
        out_[static_cast<std::size_t>(i)].store(kTable[static_cast<std::size_t>(i)].clamp(static_cast<float>(v)),
                                                std::memory_order_relaxed);
    };
    const double floor = LoudnessMeter::kFloor;
    const double m = meter_.momentary(), s = meter_.shortTerm(), in = meter_.integrated();
    const double tp = meter_.truePeak();
    set(P::kMomentary, m);
    set(P::kShortTerm, s);
    set(P::kIntegrated, in);
    set(P::kRange, meter_.loudnessRange());
    set(P::kTruePeak, tp);
    set(P::kSamplePeak, meter_.samplePeak());
    set(P::kPlr, in > floor ? tp - in : 0.0);
    set(P::kPsr, s > floor ? meter_.recentTruePeak() - s : 0.0);
    set(P::kMomentaryMax, meter_.momentaryMax());
    set(P::kShortTermMax, meter_.shortTermMax());
    set(P::kCorrelation, meter_.correlation());
    const auto t = static_cast<std::size_t>(values_[P::kTarget]);
    const bool loudOk = in > floor && std::fabs(in - pt::kIntegratedLufs[t]) <= pt::kLoudnessToleranceLu;
    set(P::kLoudnessOk, loudOk ? 1.0 : 0.0);
    set(P::kTruePeakOk, tp <= pt::kTruePeakDbtp[t] ? 1.0 : 0.0);
}

float Meter::outputValue(int index) const noexcept
{
    if (index < 0 || index >= P::kCount)
        return 0.f;
    if (kTable[static_cast<std::size_t>(index)].is(params::kOutput))
        return out_[static_cast<std::size_t>(index)].load(std::memory_order_relaxed);
    return parameter(index);
}

} // namespace mixwright::dsp
