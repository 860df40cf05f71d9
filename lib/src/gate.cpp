// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC

#include "mixwright/dsp/gate.hpp"

#include <algorithm>
#include <cmath>

namespace mixwright::dsp {

namespace gp = params::gate;

Gate::Gate()
{
    for (std::size_t i = 0; i < values_.size(); ++i)
        values_[i] = kTable[i].def;
}

std::uint32_t Gate::samples(float ms) const noexcept
{
    return static_cast<std::uint32_t>(std::lround(static_cast<double>(ms) * 1e-3 * rate_));
}

void Gate::prepare(double sampleRate, std::uint32_t /*maxBlock*/)
{
    rate_ = sampleRate;
    maxLookahead_ = samples(gp::kMaxLookaheadMs);
    for (int c = 0; c < 2; ++c) {
        filter_[c].prepare(rate_);
        detector_[c].prepare(samples(gp::kMaxWindowMs) + 1);
        delay_[c].prepare(maxLookahead_);
    }
    bypass_.prepare(rate_, kTable[P::kBypass].smoothingMs);
    reset();
}

void Gate::updateTargets() noexcept REALTIME
{
    open_ = values_[P::kThreshold];
    close_ = open_ - values_[P::kHysteresis];
    range_ = values_[P::kRange];
    expand_ = values_[P::kRatio];
    mode_ = static_cast<int>(values_[P::kMode]);
    attackCoef_ = timeCoef(values_[P::kAttack] * 1e-3, rate_);
    releaseCoef_ = timeCoef(values_[P::kRelease] * 1e-3, rate_);
    hold_ = samples(values_[P::kHold]);
    window_ = std::max<std::uint32_t>(1, samples(values_[P::kWindow]));
    lookahead_ = std::min(samples(values_[P::kLookahead]), maxLookahead_);
    external_ = static_cast<int>(values_[P::kSource]) == gp::kExternal;
    listen_ = values_[P::kScListen] >= 0.5f;
    const float hp = values_[P::kScHpOn] >= 0.5f ? values_[P::kScHpFreq] : 0.f;
    const float lp = values_[P::kScLpOn] >= 0.5f ? values_[P::kScLpFreq] : 0.f;
    for (int c = 0; c < 2; ++c) {
        detector_[c].configure(false, window_);
        filter_[c].configure(hp, 1000.f, 0.f, lp);
    }
    bypass_.setTarget(values_[P::kBypass] >= 0.5f ? 1.f : 0.f);
}

void Gate::reset() noexcept REALTIME
{
    updateTargets();
    for (int c = 0; c < 2; ++c) {
        filter_[c].reset();
        detector_[c].reset();
        delay_[c].reset();
    }
    bypass_.reset(bypass_.target());
    isOpen_ = false;
    holdLeft_ = 0;
    // Start from the closed state's gain: audio before the key opens is gated.
    gainDb_ = mode_ == gp::kDucker ? 0.f : range_;
    stateOut_.store(0.f, std::memory_order_relaxed);
    grOut_.store(0.f, std::memory_order_relaxed);
    levelOut_.store(kLevelFloorDb, std::memory_order_relaxed);
    started_ = false;
}

void Gate::setParameter(int index, float value) noexcept REALTIME
{
    if (index < 0 || index >= P::kCount || kTable[static_cast<std::size_t>(index)].is(params::kOutput))
        return;
    values_[static_cast<std::size_t>(index)] = kTable[static_cast<std::size_t>(index)].clamp(value);
    updateTargets();
    if (!started_) {
        bypass_.reset(bypass_.target());
        gainDb_ = mode_ == gp::kDucker ? 0.f : range_;
    }
}

float Gate::outputValue(int index) const noexcept
{
    auto out = [](int i, float v) { return kTable[static_cast<std::size_t>(i)].clamp(v); };
    switch (index) {
    case P::kGateState: return out(index, stateOut_.load(std::memory_order_relaxed));
    case P::kGainReduction: return out(index, grOut_.load(std::memory_order_relaxed));
    case P::kLevel: return out(index, levelOut_.load(std::memory_order_relaxed));
    default: return parameter(index);
    }
}

void Gate::process(const float* inL, const float* inR, const float* keyL, const float* keyR, float* outL,
                   float* outR, std::uint32_t frames) noexcept REALTIME
{
    rt::DenormalScope noDenormals;
    if (frames > 0)
        started_ = true;
    const bool external = external_ && keyL != nullptr && keyR != nullptr;
    float grMax = 0.f, levelMax = kLevelFloorDb;

    for (std::uint32_t i = 0; i < frames; ++i) {
        const float dl = rt::finiteOrZero(inL[i]), dr = rt::finiteOrZero(inR[i]);
        float k0 = external ? rt::finiteOrZero(keyL[i]) : dl;
        float k1 = external ? rt::finiteOrZero(keyR[i]) : dr;
        k0 = filter_[0].process(k0);
        k1 = filter_[1].process(k1);
        const float level = std::max(detector_[0].process(k0), detector_[1].process(k1));
        levelMax = std::max(levelMax, level);

        float target;
        if (mode_ == gp::kExpander) {
            if (level >= open_) {
                holdLeft_ = hold_;
                isOpen_ = true;
            } else if (holdLeft_ > 0) {
                --holdLeft_;
            } else {
                isOpen_ = false;
            }
            target = isOpen_ ? 0.f : std::max(range_, (level - open_) * (expand_ - 1.f));
        } else {
            if (level >= open_) {
                isOpen_ = true;
                holdLeft_ = hold_;
            } else if (level < close_) {
                if (holdLeft_ > 0)
                    --holdLeft_;
                else
                    isOpen_ = false;
            } else if (isOpen_) {
                holdLeft_ = hold_;
            }
            const bool duck = mode_ == gp::kDucker;
            target = isOpen_ != duck ? 0.f : range_;
        }
        // Attack moves toward the open state's gain: up for gate/expander, down for the ducker.
        const bool towardOpen = (mode_ == gp::kDucker) ? target < gainDb_ : target > gainDb_;
        const float a = towardOpen ? attackCoef_ : releaseCoef_;
        gainDb_ = a * gainDb_ + (1.f - a) * target;
        grMax = std::max(grMax, -gainDb_);

        const float ll = delay_[0].process(dl, lookahead_);
        const float lr = delay_[1].process(dr, lookahead_);
        float wl, wr;
        if (listen_) {
            wl = k0;
            wr = k1;
        } else {
            const float g = dbToAmp(gainDb_);
            wl = ll * g;
            wr = lr * g;
        }
        const float b = bypass_.next();
        if (b != 0.f) {
            wl = b == 1.f ? ll : wl + b * (ll - wl);
            wr = b == 1.f ? lr : wr + b * (lr - wr);
        }
        outL[i] = wl;
        outR[i] = wr;
    }

    for (auto& f : filter_)
        f.sanitize();
    if (rt::sanitize(gainDb_))
        gainDb_ = 0.f;
    stateOut_.store(isOpen_ ? 1.f : 0.f, std::memory_order_relaxed);
    grOut_.store(grMax, std::memory_order_relaxed);
    levelOut_.store(levelMax, std::memory_order_relaxed);
}

} // namespace mixwright::dsp
