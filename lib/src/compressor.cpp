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

void Compressor::processChunk(const float* inL, const float* inR, const float* scL, const float* scR, float* outL,
                              float* outR, std::uint32_t n, bool fullLink, float& grMax,
                              float& levelMax) noexcept REALTIME
{
    Scratch& s = scratch_;
    for (std::uint32_t i = 0; i < n; ++i) {
        s.dl[i] = rt::finiteOrZero(inL[i]);
        s.dr[i] = rt::finiteOrZero(inR[i]);
    }
    if (scL != nullptr) {
        for (std::uint32_t i = 0; i < n; ++i) {
            s.kl[i] = rt::finiteOrZero(scL[i]);
            s.kr[i] = rt::finiteOrZero(scR[i]);
        }
    } else {
        std::copy_n(s.dl.begin(), n, s.kl.begin());
        std::copy_n(s.dr.begin(), n, s.kr.begin());
    }
    if (midSide_)
        for (std::uint32_t i = 0; i < n; ++i) {
            const float l = s.kl[i], r = s.kr[i];
            s.kl[i] = 0.5f * (l + r);
            s.kr[i] = 0.5f * (l - r);
        }
    if (filter_[0].active())
        for (std::uint32_t i = 0; i < n; ++i) {
            s.kl[i] = filter_[0].process(s.kl[i]);
            s.kr[i] = filter_[1].process(s.kr[i]);
        }
    detector_[0].processLinear(s.kl.data(), s.pl.data(), n);
    detector_[1].processLinear(s.kr.data(), s.pr.data(), n);

    // Levels (dBFS) and wanted reduction: element-wise.
    const float dbScale = detector_[0].rms() ? 0.5f * kDbPerLog2 : kDbPerLog2;
    const float tiny = detector_[0].rms() ? 1e-16f : 1e-8f;
    // Both sides of every select are computed first: with the default -ftrapping-math
    // the compiler will not speculate arithmetic, and a branch stops vectorisation.
    auto toDb = [dbScale, tiny](float v) {
        const float db = dbScale * log2Poly(std::max(v, tiny));
        return v > tiny ? db : kLevelFloorDb;
    };
    const float t = threshold_, sl = slope_, w = knee_, k = link_;
    if (fullLink) {
        for (std::uint32_t i = 0; i < n; ++i) {
            const float loud = toDb(std::max(s.pl[i], s.pr[i]));
            s.lv[i] = loud;
            s.w0[i] = loud - staticCurveDb(loud, t, sl, w);
        }
    } else {
        for (std::uint32_t i = 0; i < n; ++i) {
            const float loud = toDb(std::max(s.pl[i], s.pr[i]));
            const float o0 = toDb(s.pl[i]), o1 = toDb(s.pr[i]);
            const float x0 = o0 + k * (loud - o0), x1 = o1 + k * (loud - o1);
            s.lv[i] = loud;
            s.w0[i] = x0 - staticCurveDb(x0, t, sl, w);
            s.w1[i] = x1 - staticCurveDb(x1, t, sl, w);
        }
    }
    float lm = levelMax;
    for (std::uint32_t i = 0; i < n; ++i)
        lm = std::max(lm, s.lv[i]);
    levelMax = lm;

    // Smoothing, delays and parameter ramps: per sample.
    for (int c = 0; c < (fullLink ? 1 : 2); ++c) {
        const float* want = c == 0 ? s.w0.data() : s.w1.data();
        float* red = c == 0 ? s.r0.data() : s.r1.data();
        const float* demand = want;
        if (lookahead_ > 0) {
            // Hold and ramp, then a release-only one-pole.
            shaper_[c].process(want, s.dm.data(), n);
            demand = s.dm.data();
            const float rc = relCoef_;
            float r = release_[c];
            for (std::uint32_t i = 0; i < n; ++i) {
                const float d = demand[i];
                const float fall = rc * r + (1.f - rc) * d;
                r = d >= r ? d : fall;
                red[i] = r;
            }
            release_[c] = r;
        } else {
            smooth_[c].process(want, red, n);
        }
        if (autoRelease_) {
            // The slow stage charges from the demand, not from the fast stage's decaying
            // tail, so only sustained reduction slows the release.
            slow_[c].process(demand, s.sl.data(), n);
            for (std::uint32_t i = 0; i < n; ++i)
                red[i] = std::max(red[i], s.sl[i]);
        }
    }
    const float* r1 = fullLink ? s.r0.data() : s.r1.data();
    float gr = grMax;
    for (std::uint32_t i = 0; i < n; ++i)
        gr = std::max(gr, std::max(s.r0[i], r1[i]));
    grMax = gr;
    // The audio (and the dry path) leave the lookahead delay together.
    delay_[0].process(s.dl.data(), s.dl.data(), n, lookahead_);
    delay_[1].process(s.dr.data(), s.dr.data(), n, lookahead_);
    // Parameter ramps: a settled ramp is a constant (next() would return it n times).
    auto ramp = [n](LinearSmoother& sm, std::array<float, kChunk>& out) {
        if (sm.smoothing())
            for (std::uint32_t i = 0; i < n; ++i)
                out[i] = sm.next();
        else
            std::fill_n(out.begin(), n, sm.current());
    };
    ramp(makeup_, s.mk);
    ramp(mix_, s.mx);
    ramp(bypass_, s.bp);

    // Gains and output: element-wise.
    if (listen_) {
        std::copy_n(s.kl.begin(), n, s.w0.begin());
        std::copy_n(s.kr.begin(), n, s.w1.begin());
    } else if (midSide_) {
        for (std::uint32_t i = 0; i < n; ++i) {
            const float g0 = exp2Poly((s.mk[i] - s.r0[i]) * (1.f / kDbPerLog2));
            const float g1 = exp2Poly((s.mk[i] - r1[i]) * (1.f / kDbPerLog2));
            const float m = (0.5f * (s.dl[i] + s.dr[i])) * g0;
            const float sd = (0.5f * (s.dl[i] - s.dr[i])) * g1;
            s.w0[i] = m + sd;
            s.w1[i] = m - sd;
        }
    } else {
        for (std::uint32_t i = 0; i < n; ++i) {
            s.w0[i] = s.dl[i] * exp2Poly((s.mk[i] - s.r0[i]) * (1.f / kDbPerLog2));
            s.w1[i] = s.dr[i] * exp2Poly((s.mk[i] - r1[i]) * (1.f / kDbPerLog2));
        }
    }
    // Mix, then bypass; at 0 and 1 the selects give exactly one side.
    for (std::uint32_t i = 0; i < n; ++i) {
        const float ll = s.dl[i], lr = s.dr[i], m = s.mx[i], b = s.bp[i];
        const float ml = ll + m * (s.w0[i] - ll), mr = lr + m * (s.w1[i] - lr);
        float wl = m == 1.f ? s.w0[i] : ml;
        float wr = m == 1.f ? s.w1[i] : mr;
        wl = m == 0.f ? ll : wl;
        wr = m == 0.f ? lr : wr;
        const float bl = wl + b * (ll - wl), br = wr + b * (lr - wr);
        wl = b == 0.f ? wl : bl;
        wr = b == 0.f ? wr : br;
        outL[i] = b == 1.f ? ll : wl;
        outR[i] = b == 1.f ? lr : wr;
    }
}

void Compressor::process(const float* inL, const float* inR, const float* scL, const float* scR, float* outL,
                         float* outR, std::uint32_t frames) noexcept REALTIME
{
    rt::DenormalScope noDenormals;
    if (frames > 0)
        started_ = true;
    const bool external = external_ && scL != nullptr && scR != nullptr;
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
    // Chunks of at most kChunk samples: the element-wise passes vectorise, the
    // recursive ones stay per sample, so the result never depends on the block size.
    for (std::uint32_t pos = 0; pos < frames;) {
        const std::uint32_t n = std::min(kChunk, frames - pos);
        processChunk(inL + pos, inR + pos, external ? scL + pos : nullptr, external ? scR + pos : nullptr, outL + pos,
                     outR + pos, n, fullLink, grMax, levelMax);
        pos += n;
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
