// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC

#include "mixwright/dsp/compressor.hpp"

#include <algorithm>
#include <cmath>

namespace mixwright::dsp {

namespace cp = params::compressor;

namespace {
constexpr double kSlowChargeSeconds = 0.3;
constexpr double kSlowReleaseFactor = 5.0;
constexpr float kMaxAttackMs = 200.f;
} // namespace

Compressor::Compressor()
{
    for (std::size_t i = 0; i < values_.size(); ++i)
        values_[i] = kTable[i].def;
}

std::uint32_t Compressor::samples(float ms) const noexcept
{
    return static_cast<std::uint32_t>(std::lround(static_cast<double>(ms) * 1e-3 * rate_));
}

void Compressor::prepare(double sampleRate, std::uint32_t /*maxBlock*/)
{
    rate_ = sampleRate;
    maxLookahead_ = samples(cp::kMaxLookaheadMs);
    for (int c = 0; c < 2; ++c) {
        filter_[c].prepare(rate_);
        detector_[c].prepare(samples(cp::kMaxWindowMs) + 1);
        shaper_[c].prepare(std::max(maxLookahead_, samples(kMaxAttackMs)) + 1);
        delay_[c].prepare(maxLookahead_);
    }
    makeup_.prepare(rate_, kTable[P::kMakeup].smoothingMs);
    mix_.prepare(rate_, kTable[P::kMix].smoothingMs);
    bypass_.prepare(rate_, kTable[P::kBypass].smoothingMs);
    reset();
}

void Compressor::updateTargets() noexcept REALTIME
{
    threshold_ = values_[P::kThreshold];
    const float ratio = values_[P::kRatio];
    slope_ = ratio >= cp::kRatioLimit ? 0.f : 1.f / ratio;
    knee_ = values_[P::kKnee];
    link_ = values_[P::kLink] * 0.01f;
    midSide_ = static_cast<int>(values_[P::kStereoMode]) == cp::kMidSide;
    external_ = static_cast<int>(values_[P::kSource]) == cp::kExternal;
    autoRelease_ = values_[P::kAutoRelease] >= 0.5f;
    listen_ = values_[P::kScListen] >= 0.5f;
    lookahead_ = std::min(samples(values_[P::kLookahead]), maxLookahead_);

    const float attackCoef = timeCoef(values_[P::kAttack] * 1e-3, rate_);
    relCoef_ = timeCoef(values_[P::kRelease] * 1e-3, rate_);
    slowAttack_ = timeCoef(kSlowChargeSeconds, rate_);
    slowRelease_ = timeCoef(kSlowReleaseFactor * values_[P::kRelease] * 1e-3, rate_);
    const bool rms = static_cast<int>(values_[P::kDetector]) == cp::kRms;
    const std::uint32_t window = std::max<std::uint32_t>(1, samples(values_[P::kRmsWindow]));
    const float hp = values_[P::kScHpOn] >= 0.5f ? values_[P::kScHpFreq] : 0.f;
    for (int c = 0; c < 2; ++c) {
        smooth_[c].setCoefs(attackCoef, relCoef_);
        slow_[c].setCoefs(slowAttack_, slowRelease_);
        detector_[c].configure(rms, rms ? window : 1);
        shaper_[c].configure(lookahead_, samples(values_[P::kAttack]));
        filter_[c].configure(hp, values_[P::kScBandFreq], values_[P::kScBandGain]);
    }
    float makeup = values_[P::kMakeup];
    if (values_[P::kAutoMakeup] >= 0.5f)
        makeup -= staticCurve(0.f);
    makeup_.setTarget(makeup);
    mix_.setTarget(values_[P::kMix] * 0.01f);
    bypass_.setTarget(values_[P::kBypass] >= 0.5f ? 1.f : 0.f);
}

void Compressor::reset() noexcept REALTIME
{
    updateTargets();
    for (int c = 0; c < 2; ++c) {
        filter_[c].reset();
        detector_[c].reset();
        smooth_[c].reset();
        slow_[c].reset();
        shaper_[c].reset();
        delay_[c].reset();
        release_[c] = 0.f;
    }
    for (LinearSmoother* s : {&makeup_, &mix_, &bypass_})
        s->reset(s->target());
    grOut_.store(0.f, std::memory_order_relaxed);
    levelOut_.store(kLevelFloorDb, std::memory_order_relaxed);
    linkedState_ = false;
    started_ = false;
}

void Compressor::setParameter(int index, float value) noexcept REALTIME
{
    if (index < 0 || index >= P::kCount || kTable[static_cast<std::size_t>(index)].is(params::kOutput))
        return;
    values_[static_cast<std::size_t>(index)] = kTable[static_cast<std::size_t>(index)].clamp(value);
    updateTargets();
    if (!started_)
        for (LinearSmoother* s : {&makeup_, &mix_, &bypass_})
            s->reset(s->target());
}

float Compressor::outputValue(int index) const noexcept
{
    auto out = [](int i, float v) { return kTable[static_cast<std::size_t>(i)].clamp(v); };
    switch (index) {
    case P::kGainReduction: return out(index, grOut_.load(std::memory_order_relaxed));
    case P::kLevel: return out(index, levelOut_.load(std::memory_order_relaxed));
    default: return parameter(index);
    }
}

void Compressor::process(const float* inL, const float* inR, const float* scL, const float* scR, float* outL,
                         float* outR, std::uint32_t frames) noexcept REALTIME
{
    rt::DenormalScope noDenormals;
    if (frames > 0)
        started_ = true;
    const bool external = external_ && scL != nullptr && scR != nullptr;
    const bool lookahead = lookahead_ > 0;
    const bool fullLink = link_ >= 1.f;
    if (fullLink)
        linkedState_ = true;
    else if (linkedState_) {
        // Leaving full link: channel 1's smoothing state was not kept; start it from channel 0's.
        smooth_[1] = smooth_[0];
        slow_[1] = slow_[0];
        release_[1] = release_[0];
        shaper_[1].copyStateFrom(shaper_[0]);
        linkedState_ = false;
    }
    float grMax = 0.f, levelMax = kLevelFloorDb;

    // Wanted reduction (dB) -> applied reduction, per channel's smoothing state.
    auto smoothReduction = [&](int c, float want) noexcept {
        float y, demand;
        if (lookahead) {
            demand = shaper_[c].process(want);
            float& r = release_[c];
            r = demand >= r ? demand : relCoef_ * r + (1.f - relCoef_) * demand;
            y = r;
        } else {
            demand = want;
            y = smooth_[c].process(want);
        }
        // The slow stage charges from the demand, not from the fast stage's decaying
        // tail, so only sustained reduction slows the release.
        if (autoRelease_)
            y = std::max(y, slow_[c].process(demand));
        return y;
    };

    for (std::uint32_t i = 0; i < frames; ++i) {
        const float dl = rt::finiteOrZero(inL[i]), dr = rt::finiteOrZero(inR[i]);
        std::array<float, 2> key = external ? std::array<float, 2>{rt::finiteOrZero(scL[i]), rt::finiteOrZero(scR[i])}
                                            : std::array<float, 2>{dl, dr};
        if (midSide_)
            key = {0.5f * (key[0] + key[1]), 0.5f * (key[0] - key[1])};

        std::array<float, 2> lin;
        for (int c = 0; c < 2; ++c) {
            key[c] = filter_[c].process(key[c]);
            lin[c] = detector_[c].processLinear(key[c]);
        }
        const float loud = detector_[0].toDb(std::max(lin[0], lin[1]));
        levelMax = std::max(levelMax, loud);

        std::array<float, 2> red;
        if (fullLink) {
            // Fully linked: both channels want the same reduction; compute it once.
            red[0] = red[1] = smoothReduction(0, loud - staticCurveDb(loud, threshold_, slope_, knee_));
        } else {
            for (int c = 0; c < 2; ++c) {
                const float own = detector_[c].toDb(lin[c]);
                const float x = own + link_ * (loud - own);
                red[c] = smoothReduction(c, x - staticCurveDb(x, threshold_, slope_, knee_));
            }
        }
        grMax = std::max(grMax, std::max(red[0], red[1]));

        // The audio (and the dry path) leave the lookahead delay together.
        const float ll = delay_[0].process(dl, lookahead_);
        const float lr = delay_[1].process(dr, lookahead_);
        const float mk = makeup_.next();
        float wl, wr;
        if (listen_) {
            wl = key[0];
            wr = key[1];
        } else if (midSide_) {
            const float m = (0.5f * (ll + lr)) * dbToAmp(mk - red[0]);
            const float s = (0.5f * (ll - lr)) * dbToAmp(mk - red[1]);
            wl = m + s;
            wr = m - s;
        } else {
            const float g0 = dbToAmp(mk - red[0]);
            wl = ll * g0;
            wr = lr * (fullLink ? g0 : dbToAmp(mk - red[1]));
        }
        const float m = mix_.next();
        if (m != 1.f) {
            wl = m == 0.f ? ll : ll + m * (wl - ll);
            wr = m == 0.f ? lr : lr + m * (wr - lr);
        }
        const float b = bypass_.next();
        if (b != 0.f) {
            wl = b == 1.f ? ll : wl + b * (ll - wl);
            wr = b == 1.f ? lr : wr + b * (lr - wr);
        }
        outL[i] = wl;
        outR[i] = wr;
    }

    for (int c = 0; c < 2; ++c) {
        filter_[c].sanitize();
        smooth_[c].sanitize();
        slow_[c].sanitize();
        if (rt::sanitize(release_[c]))
            release_[c] = 0.f;
    }
    grOut_.store(grMax, std::memory_order_relaxed);
    levelOut_.store(levelMax, std::memory_order_relaxed);
}

} // namespace mixwright::dsp
