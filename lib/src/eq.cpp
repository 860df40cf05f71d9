// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC

#include "mixwright/dsp/eq.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace mixwright::dsp {

namespace pe = params::eq;

namespace {

bool dynamicCapable(int type) noexcept
{
    return type == pe::kBell || type == pe::kLowShelf || type == pe::kHighShelf || type == pe::kTilt;
}

BandType bandType(int type) noexcept
{
    switch (type) {
    case pe::kLowShelf: return BandType::LowShelf;
    case pe::kHighShelf: return BandType::HighShelf;
    case pe::kNotch: return BandType::Notch;
    case pe::kBandPass: return BandType::BandPass;
    case pe::kTilt: return BandType::Tilt;
    case pe::kBell:
    default: return BandType::Bell;
    }
}

/// Raised-cosine shape of a linear 0..1 ramp: no slope step at either end, so a fade
/// between two differently filtered signals adds no kink (a soft click).
float fadeShape(float m) noexcept
{
    return m <= 0.f || m >= 1.f ? m : 0.5f - 0.5f * std::cos(std::numbers::pi_v<float> * m);
}

float timeCoef(float ms, double rate) noexcept
{
    return static_cast<float>(std::exp(-1.0 / (std::max(1e-3f, ms) * 1e-3 * rate)));
}

int slopeOrder(float slope) noexcept
{
    return pe::kSlopeOrders[std::clamp(static_cast<int>(slope), 0, 5)];
}

} // namespace

Eq::Eq()
{
    for (std::size_t i = 0; i < values_.size(); ++i)
        values_[i] = kTable[i].def;
}

void Eq::prepare(double sampleRate, std::uint32_t /*maxBlock*/)
{
    rate_ = sampleRate;
    auto ms = [&](int i) { return kTable[static_cast<std::size_t>(i)].smoothingMs; };
    for (int b = 0; b < kBands; ++b) {
        Band& k = bands_[static_cast<std::size_t>(b)];
        k.logFreq.prepare(rate_, ms(pe::bandIndex(b, pe::kFreq)));
        k.gainDb.prepare(rate_, ms(pe::bandIndex(b, pe::kGain)));
        k.logQ.prepare(rate_, ms(pe::bandIndex(b, pe::kQ)));
        k.mix.prepare(rate_, ms(pe::bandIndex(b, pe::kEnable)));
        k.dynMix.prepare(rate_, ms(pe::bandIndex(b, pe::kDyn)));
    }
    for (PassFilter* p : {&hp_, &lp_}) {
        const bool high = p == &hp_;
        p->logFreq.prepare(rate_, ms(high ? P::kHpFreq : P::kLpFreq));
        p->logRes.prepare(rate_, ms(high ? P::kHpRes : P::kLpRes));
        p->mix.prepare(rate_, ms(high ? P::kHpEnable : P::kLpEnable));
    }
    out_.prepare(rate_, ms(P::kOutGain));
    bypass_.prepare(rate_, 0, ms(P::kBypass));
    rmsCoef_ = 1.f - timeCoef(2.f, rate_);
    reset();
}

bool Eq::bandPending(int b) const noexcept
{
    const Band& k = bands_[static_cast<std::size_t>(b)];
    const bool on = bv(b, pe::kEnable) >= 0.5f;
    return on != k.on || (on && (static_cast<int>(bv(b, pe::kType)) != k.type
                                 || static_cast<int>(bv(b, pe::kTarget)) != k.target));
}

bool Eq::passPending(const PassFilter& p, bool highPass) const noexcept
{
    const bool on = v(highPass ? P::kHpEnable : P::kLpEnable) >= 0.5f;
    return on != p.on || (on && slopeOrder(v(highPass ? P::kHpSlope : P::kLpSlope)) != p.order);
}

void Eq::updateTargets() noexcept REALTIME
{
    for (int b = 0; b < kBands; ++b) {
        Band& k = bands_[static_cast<std::size_t>(b)];
        k.logFreq.setTarget(std::log(bv(b, pe::kFreq)));
        k.gainDb.setTarget(bv(b, pe::kGain));
        k.logQ.setTarget(std::log(bv(b, pe::kQ)));
        // A structural change fades the band out first (see processBand).
        k.mix.setTarget(k.on && !bandPending(b) ? 1.f : 0.f);
        k.dynMix.setTarget(bv(b, pe::kDyn) >= 0.5f && dynamicCapable(k.type) ? 1.f : 0.f);
        k.attackCoef = timeCoef(bv(b, pe::kAttack), rate_);
        k.releaseCoef = timeCoef(bv(b, pe::kRelease), rate_);
    }
    for (PassFilter* p : {&hp_, &lp_}) {
        const bool high = p == &hp_;
        p->logFreq.setTarget(std::log(v(high ? P::kHpFreq : P::kLpFreq)));
        p->logRes.setTarget(std::log(v(high ? P::kHpRes : P::kLpRes)));
        p->mix.setTarget(p->on && !passPending(*p, high) ? 1.f : 0.f);
    }
    out_.setTarget(dbToGain(v(P::kOutGain)));
    bypass_.setBypassed(v(P::kBypass) >= 0.5f);
}

void Eq::applyBandStructure(int b) noexcept REALTIME
{
    Band& k = bands_[static_cast<std::size_t>(b)];
    k.on = bv(b, pe::kEnable) >= 0.5f;
    k.type = static_cast<int>(bv(b, pe::kType));
    k.target = static_cast<int>(bv(b, pe::kTarget));
    for (auto& f : k.filt)
        f.reset();
    for (auto& f : k.det)
        f.reset();
    k.power = k.dynDb = 0.0;
    // The band is silent (mix 0): its settings can jump to their targets.
    for (LinearSmoother* s : {&k.logFreq, &k.gainDb, &k.logQ})
        s->reset(s->target());
    k.dynMix.setTarget(bv(b, pe::kDyn) >= 0.5f && dynamicCapable(k.type) ? 1.f : 0.f);
    k.dynMix.reset(k.dynMix.target());
    k.mix.setTarget(k.on ? 1.f : 0.f);
    designBand(b);
}

void Eq::applyPassStructure(PassFilter& p, bool highPass) noexcept REALTIME
{
    p.on = v(highPass ? P::kHpEnable : P::kLpEnable) >= 0.5f;
    p.order = slopeOrder(v(highPass ? P::kHpSlope : P::kLpSlope));
    for (auto& ch : p.filt)
        for (auto& s : ch)
            s.reset();
    p.logFreq.reset(p.logFreq.target());
    p.logRes.reset(p.logRes.target());
    p.mix.setTarget(p.on ? 1.f : 0.f);
    designPass(p, highPass);
}

void Eq::designBand(int b) noexcept REALTIME
{
    Band& k = bands_[static_cast<std::size_t>(b)];
    const double f = std::exp(static_cast<double>(k.logFreq.current()));
    const double q = std::exp(static_cast<double>(k.logQ.current()));
    const double g = static_cast<double>(k.gainDb.current()) + static_cast<double>(k.dynMix.current()) * k.dynDb;
    if (f != k.f || q != k.q) {
        const BandType dt = k.type == pe::kLowShelf    ? BandType::LowPass
                            : k.type == pe::kHighShelf ? BandType::HighPass
                                                       : BandType::BandPass;
        k.detCoefs = designMatched(dt, f, 0.0, dt == BandType::BandPass ? q : std::numbers::sqrt2 / 2.0, rate_);
    }
    k.f = f;
    k.q = q;
    k.g = g;
    k.coefs = designMatched(bandType(k.type), f, g, q, rate_);
}

void Eq::designPass(PassFilter& p, bool highPass) noexcept REALTIME
{
    p.f = std::exp(static_cast<double>(p.logFreq.current()));
    p.res = std::exp(static_cast<double>(p.logRes.current()));
    const ButterworthPlan plan = butterworthPlan(p.order, p.res);
    p.sections = plan.sections;
    for (int s = 0; s < plan.sections; ++s) {
        const double q = plan.q[static_cast<std::size_t>(s)];
        p.coefs[static_cast<std::size_t>(s)] =
            q == 0.0 ? designMatchedFirstOrder(highPass, p.f, rate_)
                     : designMatched(highPass ? BandType::HighPass : BandType::LowPass, p.f, 0.0, q, rate_);
    }
}

void Eq::snapToTargets() noexcept REALTIME
{
    for (int b = 0; b < kBands; ++b) {
        Band& k = bands_[static_cast<std::size_t>(b)];
        applyBandStructure(b);
        k.mix.reset(k.on ? 1.f : 0.f);
    }
    for (PassFilter* p : {&hp_, &lp_}) {
        applyPassStructure(*p, p == &hp_);
        p->mix.reset(p->on ? 1.f : 0.f);
    }
    out_.reset(out_.target());
    bypass_.reset();
}

void Eq::reset() noexcept REALTIME
{
    updateTargets();
    snapToTargets();
    for (auto& d : dynOut_)
        d.store(0.f, std::memory_order_relaxed);
    started_ = false;
}

void Eq::setParameter(int index, float value) noexcept REALTIME
{
    if (index < 0 || index >= P::kCount || kTable[static_cast<std::size_t>(index)].is(params::kOutput))
        return;
    values_[static_cast<std::size_t>(index)] = kTable[static_cast<std::size_t>(index)].clamp(value);
    updateTargets();
    if (!started_)
        snapToTargets();
}

float Eq::outputValue(int index) const noexcept
{
    if (index >= P::kDynGain1 && index < P::kDynGain1 + kBands)
        return kTable[static_cast<std::size_t>(index)].clamp(
            dynOut_[static_cast<std::size_t>(index - P::kDynGain1)].load(std::memory_order_relaxed));
    return parameter(index);
}

void Eq::processPass(PassFilter& p, bool highPass, double& l, double& r) noexcept REALTIME
{
    if (!p.mix.smoothing() && p.mix.current() == 0.f) {
        if (passPending(p, highPass))
            applyPassStructure(p, highPass);
        if (!p.on)
            return;
    }
    const float m = fadeShape(p.mix.next());
    const float lf = p.logFreq.next(), lr = p.logRes.next();
    if (std::exp(static_cast<double>(lf)) != p.f || std::exp(static_cast<double>(lr)) != p.res)
        designPass(p, highPass);
    double yl = l, yr = r;
    for (int s = 0; s < p.sections; ++s) {
        const auto i = static_cast<std::size_t>(s);
        yl = p.filt[0][i].tick(yl, p.coefs[i]);
        yr = p.filt[1][i].tick(yr, p.coefs[i]);
    }
    if (m == 1.f) {
        l = yl;
        r = yr;
    } else {
        l += m * (yl - l);
        r += m * (yr - r);
    }
}

void Eq::processBand(int b, double& l, double& r, double scl, double scr) noexcept REALTIME
{
    Band& k = bands_[static_cast<std::size_t>(b)];
    if (!k.mix.smoothing() && k.mix.current() == 0.f) {
        if (bandPending(b))
            applyBandStructure(b);
        if (!k.on)
            return;
    }
    const float m = fadeShape(k.mix.next());
    k.logFreq.next();
    k.gainDb.next();
    k.logQ.next();
    const float dm = k.dynMix.next();

    // Dynamics: detector, gain computer, attack/release smoothing of the offset (dB).
    if (dm > 0.f || k.dynMix.smoothing()) {
        const bool ext = bv(b, pe::kSc) >= 0.5f;
        const double dl = ext ? scl : l, dr = ext ? scr : r;
        double x2 = 0.0;
        switch (k.target) {
        case pe::kLeft: x2 = k.det[0].tick(dl, k.detCoefs); x2 *= x2; break;
        case pe::kRight: x2 = k.det[0].tick(dr, k.detCoefs); x2 *= x2; break;
        case pe::kMid: x2 = k.det[0].tick(0.5 * (dl + dr), k.detCoefs); x2 *= x2; break;
        case pe::kSide: x2 = k.det[0].tick(0.5 * (dl - dr), k.detCoefs); x2 *= x2; break;
        default: {
            const double a = k.det[0].tick(dl, k.detCoefs), c = k.det[1].tick(dr, k.detCoefs);
            x2 = 0.5 * (a * a + c * c);
        }
        }
        k.power += static_cast<double>(rmsCoef_) * (x2 - k.power);
        const double level = 10.0 * std::log10(2.0 * k.power + 1e-30);
        const double over = level - static_cast<double>(bv(b, pe::kThreshold));
        const double request = over > 0.0 ? over * (1.0 - 1.0 / static_cast<double>(bv(b, pe::kRatio))) : 0.0;
        const double range = bv(b, pe::kRange);
        const double target = range < 0.0 ? std::max(range, -request) : std::min(range, request);
        const double coef = std::fabs(target) > std::fabs(k.dynDb) ? k.attackCoef : k.releaseCoef;
        k.dynDb = target + coef * (k.dynDb - target);
    } else {
        k.power = k.dynDb = 0.0;
    }

    const double g = static_cast<double>(k.gainDb.current()) + static_cast<double>(dm) * k.dynDb;
    if (std::exp(static_cast<double>(k.logFreq.current())) != k.f || std::exp(static_cast<double>(k.logQ.current())) != k.q
        || g != k.g)
        designBand(b);

    auto blend = [m](double x, double y) { return m == 1.f ? y : x + static_cast<double>(m) * (y - x); };
    switch (k.target) {
    case pe::kLeft: l = blend(l, k.filt[0].tick(l, k.coefs)); break;
    case pe::kRight: r = blend(r, k.filt[1].tick(r, k.coefs)); break;
    case pe::kMid: {
        const double mid = 0.5 * (l + r), side = 0.5 * (l - r);
        const double y = blend(mid, k.filt[0].tick(mid, k.coefs));
        l = y + side;
        r = y - side;
        break;
    }
    case pe::kSide: {
        const double mid = 0.5 * (l + r), side = 0.5 * (l - r);
        const double y = blend(side, k.filt[0].tick(side, k.coefs));
        l = mid + y;
        r = mid - y;
        break;
    }
    default:
        l = blend(l, k.filt[0].tick(l, k.coefs));
        r = blend(r, k.filt[1].tick(r, k.coefs));
    }
}

void Eq::process(const float* inL, const float* inR, const float* scL, const float* scR, float* outL, float* outR,
                 std::uint32_t frames) noexcept REALTIME
{
    rt::DenormalScope noDenormals;
    if (frames > 0)
        started_ = true;
    for (std::uint32_t i = 0; i < frames; ++i) {
        const std::array<float, 2> dry{rt::finiteOrZero(inL[i]), rt::finiteOrZero(inR[i])};
        const double scl = scL ? rt::finiteOrZero(scL[i]) : 0.f, scr = scR ? rt::finiteOrZero(scR[i]) : 0.f;
        double l = dry[0], r = dry[1];
        processPass(hp_, true, l, r);
        processPass(lp_, false, l, r);
        for (int b = 0; b < kBands; ++b)
            processBand(b, l, r, scl, scr);
        const double o = out_.next();
        std::array<float, 2> wet{static_cast<float>(l * o), static_cast<float>(r * o)};
        bypass_.process(dry, wet);
        outL[i] = wet[0];
        outR[i] = wet[1];
    }

    for (int b = 0; b < kBands; ++b) {
        Band& k = bands_[static_cast<std::size_t>(b)];
        for (auto& f : k.filt)
            f.sanitize();
        for (auto& f : k.det)
            f.sanitize();
        const bool badPower = rt::sanitize(k.power), badDyn = rt::sanitize(k.dynDb);
        if (badPower || badDyn)
            k.power = k.dynDb = 0.0;
        dynOut_[static_cast<std::size_t>(b)].store(
            static_cast<float>(k.dynDb * static_cast<double>(k.dynMix.current())), std::memory_order_relaxed);
    }
    for (PassFilter* p : {&hp_, &lp_})
        for (auto& ch : p->filt)
            for (auto& s : ch)
                s.sanitize();
}

} // namespace mixwright::dsp
