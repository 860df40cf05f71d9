// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC

#include "mixwright/dsp/utility.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace mixwright::dsp {

namespace up = params::utility;

PanGains panGains(int law, float pan) noexcept
{
    const float p = std::clamp(pan, -1.f, 1.f);
    const float x = 0.5f * (p + 1.f);
    const float theta = x * std::numbers::pi_v<float> * 0.5f;
    switch (law) {
    case up::kConstantPower:
        return {std::cos(theta), std::sin(theta)};
    case up::kCompromise:
        return {std::sqrt(std::max(0.f, (1.f - x) * std::cos(theta))), std::sqrt(std::max(0.f, x * std::sin(theta)))};
    case up::kLinear:
        return {1.f - x, x};
    case up::kBalance:
    default:
        return {std::min(1.f, 1.f - p), std::min(1.f, 1.f + p)};
    }
}

Utility::Utility()
{
    for (std::size_t i = 0; i < values_.size(); ++i)
        values_[i] = kTable[i].def;
}

void Utility::prepare(double sampleRate, std::uint32_t /*maxBlock*/)
{
    rate_ = sampleRate;
    auto ms = [&](int i) { return kTable[static_cast<std::size_t>(i)].smoothingMs; };
    gainL_.prepare(rate_, ms(P::kTrim));
    gainR_.prepare(rate_, ms(P::kTrim));
    swap_.prepare(rate_, ms(P::kSwap));
    width_.prepare(rate_, ms(P::kWidth));
    monoMix_.prepare(rate_, ms(P::kMonoBass));
    panL_.prepare(rate_, ms(P::kPan));
    panR_.prepare(rate_, ms(P::kPan));
    out_.prepare(rate_, ms(P::kGain));
    dcMix_.prepare(rate_, ms(P::kDcBlock));
    xoverFreq_.prepare(rate_, ms(P::kMonoBassFreq));
    const auto maxDelay = static_cast<std::uint32_t>(std::ceil(up::kMaxDelay * 1e-3 * rate_)) + 1;
    const auto fade = static_cast<std::uint32_t>(std::lround(ms(P::kDelayL) * 1e-3 * rate_));
    for (auto& d : delay_)
        d.prepare(std::max(maxDelay, static_cast<std::uint32_t>(up::kMaxDelay)), fade);
    for (auto& d : dc_)
        d.prepare(rate_);
    bypass_.prepare(rate_, 0, ms(P::kBypass));
    peakDecay_ = static_cast<float>(std::exp(-1.0 / (0.3 * rate_)));
    meterFrames_ = 0;
    corrCoef_ = static_cast<float>(std::exp(-1.0 / (0.3 * rate_)));
    reset();
}

std::uint32_t Utility::delaySamples(float v) const noexcept
{
    const double samples = static_cast<int>(values_[P::kDelayUnit]) == up::kMilliseconds ? v * 1e-3 * rate_ : v;
    return static_cast<std::uint32_t>(std::lround(samples));
}

void Utility::updateTargets() noexcept REALTIME
{
    const float polL = values_[P::kPhaseL] >= 0.5f ? -1.f : 1.f;
    const float polR = values_[P::kPhaseR] >= 0.5f ? -1.f : 1.f;
    const float trim = dbToGain(values_[P::kTrim]);
    gainL_.setTarget(trim * polL);
    gainR_.setTarget(trim * polR);
    swap_.setTarget(values_[P::kSwap]);
    width_.setTarget(values_[P::kWidth] * 0.01f);
    monoMix_.setTarget(values_[P::kMonoBass]);
    const PanGains g = panGains(static_cast<int>(values_[P::kPanLaw]), values_[P::kPan] * 0.01f);
    panL_.setTarget(g.l);
    panR_.setTarget(g.r);
    out_.setTarget(dbToGain(values_[P::kGain]));
    dcMix_.setTarget(values_[P::kDcBlock]);
    xoverFreq_.setTarget(std::log(values_[P::kMonoBassFreq]));
    delay_[0].setDelay(delaySamples(values_[P::kDelayL]));
    delay_[1].setDelay(delaySamples(values_[P::kDelayR]));
    bypass_.setBypassed(values_[P::kBypass] >= 0.5f);
}

void Utility::snapToTargets() noexcept REALTIME
{
    for (LinearSmoother* s : {&gainL_, &gainR_, &swap_, &width_, &monoMix_, &panL_, &panR_, &out_, &dcMix_, &xoverFreq_})
        s->reset(s->target());
    delay_[0].setDelayImmediate(delaySamples(values_[P::kDelayL]));
    delay_[1].setDelayImmediate(delaySamples(values_[P::kDelayR]));
    bypass_.reset();
}

void Utility::reset() noexcept REALTIME
{
    updateTargets();
    for (auto& d : delay_)
        d.reset();
    snapToTargets();
    for (auto& d : dc_)
        d.reset();
    lowA_.reset();
    lowB_.reset();
    for (int c = 0; c < 2; ++c) {
        highA_[c].reset();
        highB_[c].reset();
    }
    xoverRunning_ = false;
    xoverCurrent_ = xoverFreq_.current();
    xover_ = SvfCoefs::make(std::exp(static_cast<double>(xoverCurrent_)), std::numbers::sqrt2 / 2.0, rate_);
    peakL_ = peakR_ = 0.f;
    sLR_ = sLL_ = sRR_ = 0.0;
    peakOutL_.store(0.f, std::memory_order_relaxed);
    peakOutR_.store(0.f, std::memory_order_relaxed);
    corrOut_.store(0.f, std::memory_order_relaxed);
    started_ = false;
}

void Utility::setParameter(int index, float value) noexcept REALTIME
{
    if (index < 0 || index >= P::kCount || kTable[static_cast<std::size_t>(index)].is(params::kOutput))
        return;
    values_[static_cast<std::size_t>(index)] = kTable[static_cast<std::size_t>(index)].clamp(value);
    updateTargets();
    // Settings that arrive before the first audio after a reset (a host's initial
    // control values) apply at once: there is nothing yet to click.
    if (!started_)
        snapToTargets();
}

float Utility::outputValue(int index) const noexcept
{
    // Outputs stay inside their declared range (a host may trust lv2:maximum).
    auto out = [](int i, float v) { return kTable[static_cast<std::size_t>(i)].clamp(v); };
    switch (index) {
    case P::kPeakL: return out(index, gainToDb(peakOutL_.load(std::memory_order_relaxed)));
    case P::kPeakR: return out(index, gainToDb(peakOutR_.load(std::memory_order_relaxed)));
    case P::kCorrelation: return out(index, corrOut_.load(std::memory_order_relaxed));
    default: return parameter(index);
    }
}

void Utility::process(const float* inL, const float* inR, float* outL, float* outR, std::uint32_t frames) noexcept REALTIME
{
    rt::DenormalScope noDenormals;
    if (frames == 0)
        return;
    started_ = true;
    // Parameters change only between calls, so a block that starts with every ramp
    // finished stays steady to its end: it reads the smoothers' constant values. The
    // arithmetic is the same in both paths, so the output stays bit-identical
    // whichever path a block boundary selects.
    bool ramping = false;
    for (const LinearSmoother* sm : {&gainL_, &gainR_, &swap_, &width_, &monoMix_, &panL_, &panR_, &out_, &dcMix_, &xoverFreq_})
        ramping |= sm->smoothing();
    if (ramping)
        processBlock<false>(inL, inR, outL, outR, frames);
    else
        processBlock<true>(inL, inR, outL, outR, frames);
    updateMeters(outL, outR, frames);
}

template <bool Steady>
void Utility::processBlock(const float* inL, const float* inR, float* outL, float* outR, std::uint32_t frames) noexcept REALTIME
{
    constexpr double kButterworthQ = std::numbers::sqrt2 / 2.0;
    auto next = [](LinearSmoother& sm) noexcept REALTIME { return Steady ? sm.current() : sm.next(); };

    for (std::uint32_t i = 0; i < frames; ++i) {
        // Non-finite input never reaches recursive state.
        const std::array<float, 2> dry{rt::finiteOrZero(inL[i]), rt::finiteOrZero(inR[i])};
        float l = dry[0];
        float r = dry[1];

        l *= next(gainL_);
        r *= next(gainR_);

        const float sw = next(swap_);
        if (sw != 0.f) {
            // (1-a)x + a y lands exactly on y at a = 1.
            const float l0 = l;
            l = (1.f - sw) * l + sw * r;
            r = (1.f - sw) * r + sw * l0;
        }

        l = delay_[0].process(l);
        r = delay_[1].process(r);

        // While off, the DC blocker only tracks its input, so switching it on starts
        // it like a freshly inserted high-pass (no stale step), and the fade hides that.
        const float dm = next(dcMix_);
        if (dm != 0.f) {
            const float dl = dc_[0].process(l), dr = dc_[1].process(r);
            l = (1.f - dm) * l + dm * dl;
            r = (1.f - dm) * r + dm * dr;
        } else {
            dc_[0].track(l);
            dc_[1].track(r);
        }

        const float w = next(width_);
        if (w != 1.f) {
            const float m = 0.5f * (l + r);
            const float s = 0.5f * (l - r) * w;
            l = m + s;
            r = m - s;
        }

        // The crossover runs only while mono-bass is on or fading; it starts from
        // cleared state, and the 20 ms fade-in hides its settling.
        const float mb = next(monoMix_);
        const float lf = next(xoverFreq_);
        if (mb != 0.f) {
            if (!xoverRunning_) {
                xoverRunning_ = true;
                lowA_.reset();
                lowB_.reset();
                for (int c = 0; c < 2; ++c) {
                    highA_[c].reset();
                    highB_[c].reset();
                }
            }
            if (lf != xoverCurrent_) {
                xoverCurrent_ = lf;
                xover_ = SvfCoefs::make(std::exp(static_cast<double>(lf)), kButterworthQ, rate_);
            }
            const double mid = 0.5 * (static_cast<double>(l) + r);
            const double low = lowB_.tick(lowA_.tick(mid, xover_).lp, xover_).lp;
            const double hl = highB_[0].tick(highA_[0].tick(l, xover_).hp, xover_).hp;
            const double hr = highB_[1].tick(highA_[1].tick(r, xover_).hp, xover_).hp;
            l = (1.f - mb) * l + mb * static_cast<float>(low + hl);
            r = (1.f - mb) * r + mb * static_cast<float>(low + hr);
        } else {
            xoverRunning_ = false;
        }

        const float o = next(out_);
        std::array<float, 2> wet{l * next(panL_) * o, r * next(panR_) * o};
        bypass_.process(dry, wet);
        outL[i] = wet[0];
        outR[i] = wet[1];
    }

    lowA_.sanitize();
    lowB_.sanitize();
    for (int c = 0; c < 2; ++c) {
        highA_[c].sanitize();
        highB_[c].sanitize();
        dc_[c].sanitize();
    }
}

void Utility::updateMeters(const float* outL, const float* outR, std::uint32_t frames) noexcept REALTIME
{
    // Per block: block maximum and block means, folded into the ballistics with the
    // per-sample coefficients raised to the block length. Meters are read once per
    // block anyway; the audio path does not depend on them.
    float maxL = 0.f, maxR = 0.f;
    double lr = 0.0, ll = 0.0, rr = 0.0;
    for (std::uint32_t i = 0; i < frames; ++i) {
        const float l = outL[i], r = outR[i];
        maxL = std::max(maxL, std::fabs(l));
        maxR = std::max(maxR, std::fabs(r));
        lr += static_cast<double>(l * r);
        ll += static_cast<double>(l * l);
        rr += static_cast<double>(r * r);
    }
    const double n = frames;
    if (frames != meterFrames_) { // hosts mostly repeat one block length: pow once
        meterFrames_ = frames;
        meterPeakDecay_ = static_cast<float>(std::pow(static_cast<double>(peakDecay_), n));
        meterCorrCoef_ = std::pow(static_cast<double>(corrCoef_), n);
    }
    peakL_ = std::max(maxL, peakL_ * meterPeakDecay_);
    peakR_ = std::max(maxR, peakR_ * meterPeakDecay_);
    const double a = meterCorrCoef_;
    sLR_ = a * sLR_ + (1.0 - a) * (lr / n);
    sLL_ = a * sLL_ + (1.0 - a) * (ll / n);
    sRR_ = a * sRR_ + (1.0 - a) * (rr / n);

    if (!rt::isFinite(peakL_) || !rt::isFinite(peakR_))
        peakL_ = peakR_ = 0.f;
    const bool badLR = rt::sanitize(sLR_), badLL = rt::sanitize(sLL_), badRR = rt::sanitize(sRR_);
    if (badLR || badLL || badRR)
        sLR_ = sLL_ = sRR_ = 0.0;

    peakOutL_.store(peakL_, std::memory_order_relaxed);
    peakOutR_.store(peakR_, std::memory_order_relaxed);
    const double energy = sLL_ * sRR_;
    corrOut_.store(energy > 1e-20 ? static_cast<float>(std::clamp(sLR_ / std::sqrt(energy), -1.0, 1.0)) : 0.f,
                   std::memory_order_relaxed);
}

} // namespace mixwright::dsp
