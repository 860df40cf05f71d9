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

/// The dynamic gain redesigns the band only once it has moved by more than 0.01 dB
/// (inaudible steps; a settled dynamic band costs no redesigns), and always when it
/// returns to exactly 0 dB.
bool dynamicMoved(double now, double applied) noexcept
{
    return now == 0.0 ? applied != 0.0 : std::fabs(now - applied) > 0.01;
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

/// Stereo pair of one biquad stage as two-lane vectors (GCC/clang vector extension):
/// lane 0 left, lane 1 right. The lane arithmetic is exactly Biquad::tick's, in the
/// same order, so results are bit-identical to the scalar path.
typedef double V2 __attribute__((vector_size(16)));

struct Stage {
    V2 b0, b1, b2, a1, a2;
    Biquad* left;
    Biquad* right;
};

/// Runs N cascaded stages over the block in one loop; states stay in registers.
template <int N>
void runStages(const Stage* st, double* l, double* r, std::uint32_t frames) noexcept
{
    V2 s1[N], s2[N];
    for (int k = 0; k < N; ++k) {
        s1[k] = V2{st[k].left->s1, st[k].right->s1};
        s2[k] = V2{st[k].left->s2, st[k].right->s2};
    }
    for (std::uint32_t i = 0; i < frames; ++i) {
        V2 x{l[i], r[i]};
        for (int k = 0; k < N; ++k) {
            const V2 y = st[k].b0 * x + s1[k];
            s1[k] = st[k].b1 * x - st[k].a1 * y + s2[k];
            s2[k] = st[k].b2 * x - st[k].a2 * y;
            x = y;
        }
        l[i] = x[0];
        r[i] = x[1];
    }
    for (int k = 0; k < N; ++k) {
        st[k].left->s1 = s1[k][0];
        st[k].right->s1 = s1[k][1];
        st[k].left->s2 = s2[k][0];
        st[k].right->s2 = s2[k][1];
    }
}

void runCascade(const Stage* st, int n, double* l, double* r, std::uint32_t frames) noexcept
{
    while (n >= 4) {
        runStages<4>(st, l, r, frames);
        st += 4;
        n -= 4;
    }
    switch (n) {
    case 3: runStages<3>(st, l, r, frames); break;
    case 2: runStages<2>(st, l, r, frames); break;
    case 1: runStages<1>(st, l, r, frames); break;
    default: break;
    }
}

Stage stage(const BiquadCoefs& c, Biquad& left, Biquad& right) noexcept
{
    return {V2{c.b0, c.b0}, V2{c.b1, c.b1}, V2{c.b2, c.b2}, V2{c.a1, c.a1}, V2{c.a2, c.a2}, &left, &right};
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
        k.fit.prepare(rate_);
    }
    for (PassFilter* p : {&hp_, &lp_}) {
        const bool high = p == &hp_;
        p->logFreq.prepare(rate_, ms(high ? P::kHpFreq : P::kLpFreq));
        p->logRes.prepare(rate_, ms(high ? P::kHpRes : P::kLpRes));
        p->mix.prepare(rate_, ms(high ? P::kHpEnable : P::kLpEnable));
    }
    out_.prepare(rate_, ms(P::kOutGain));
    bypass_.prepare(rate_, 0, ms(P::kBypass));
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
        k.attackCoef = timeCoef(bv(b, pe::kAttack), rate_ / kDynStep);
        k.releaseCoef = timeCoef(bv(b, pe::kRelease), rate_ / kDynStep);
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
    for (auto& f : k.filt2)
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
    k.f = -1.0; // the detector's filter follows the type: redesign it too
    // The magnitude fit starts again from the matched design (the band is silent).
    k.delta = k.deltaStep = k.deltaTarget = {};
    k.rampLeft = 0;
    k.fitType = -1;
    k.fitting = false;
    k.two = false;
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
    const double dyn = static_cast<double>(k.dynMix.current()) * k.dynDb;
    const double g = static_cast<double>(k.gainDb.current()) + dyn;
    k.lf = k.logFreq.current();
    k.lq = k.logQ.current();
    if (f != k.f || q != k.q) {
        const BandType dt = k.type == pe::kLowShelf    ? BandType::LowPass
                            : k.type == pe::kHighShelf ? BandType::HighPass
                                                       : BandType::BandPass;
        k.detCoefs = designMatched(dt, f, 0.0, dt == BandType::BandPass ? q : std::numbers::sqrt2 / 2.0, rate_);
        // Power averaging over at least 1.5 periods of f0 (and 2 ms): a tone at a low
        // band's frequency does not ripple the gain.
        k.rmsCoef = 1.0 - std::exp(-1.0 / (std::max(0.002, 1.5 / f) * rate_));
    }
    k.f = f;
    k.q = q;
    k.g = g;
    k.gs = k.gainDb.current();
    k.gd = dyn;
    k.base = designMatched(bandType(k.type), f, g, q, rate_);
    applyDelta(k);
}

namespace {

BiquadCoefs plus(BiquadCoefs c, const double* d) noexcept
{
    c.b0 += d[0];
    c.b1 += d[1];
    c.b2 += d[2];
    c.a1 += d[3];
    c.a2 += d[4];
    return c;
}

bool stablePoles(const BiquadCoefs& c) noexcept { return std::fabs(c.a2) < 0.99999 && std::fabs(c.a1) < 1.0 + c.a2 - 1e-9; }

bool secondIsIdentity(const std::array<double, 10>& d) noexcept
{
    return d[5] == 0.0 && d[6] == 0.0 && d[7] == 0.0 && d[8] == 0.0 && d[9] == 0.0;
}

} // namespace

void Eq::applyDelta(Band& k) noexcept REALTIME
{
    // The correction was fitted for a nearby design; if it would move a pole out of the
    // unit circle, the matched design alone is used until the next fit step.
    const BiquadCoefs c = plus(k.base, k.delta.data()), c2 = plus(BiquadCoefs{}, k.delta.data() + 5);
    const bool ok = stablePoles(c) && stablePoles(c2);
    k.coefs = ok ? c : k.base;
    k.coefs2 = ok ? c2 : BiquadCoefs{};
    if (!secondIsIdentity(k.delta))
        k.two = true;
}

void Eq::fitTick(int b) noexcept REALTIME
{
    // Every kFitStep samples of the running count (the same samples whatever the host's
    // blocks): one Levenberg-Marquardt step of the band's magnitude fit. The fit's
    // target is the static design (a dynamic band's moving gain uses the correction of
    // its static gain), so a dynamic band does not keep the fit busy.
    Band& k = bands_[static_cast<std::size_t>(b)];
    const double g = k.gs;
    if (k.type != k.fitType || k.f != k.fitF || k.q != k.fitQ || g != k.fitG) {
        const BandType t = bandType(k.type);
        k.fit.setTarget(t, k.f, g, k.q);
        const BiquadCoefs matched = designMatched(t, k.f, g, k.q, rate_);
        // Warm start from the current first-section correction carried over, if it is
        // the better start (the second section starts again from the identity).
        const BiquadCoefs warm = plus(matched, k.delta.data());
        k.fit.start(matched);
        const double matchedErr = k.fit.bestErrorDb();
        if (stablePoles(warm) && (k.delta[0] != 0.0 || k.delta[4] != 0.0)) {
            k.fit.start(warm);
            if (k.fit.bestErrorDb() > matchedErr)
                k.fit.start(matched);
        }
        k.fitType = k.type;
        k.fitF = k.f;
        k.fitQ = k.q;
        k.fitG = g;
        k.fitSteps = 0;
        k.fitting = true;
        k.fitMatched = matched;
    }
    if (k.fitting)
        k.fitting = k.fit.step() && ++k.fitSteps < kMaxFitSteps;
    const auto& best = k.fit.best();
    const BiquadCoefs& m = k.fitMatched;
    const BiquadCoefs& s = best[1];
    const std::array<double, 10> target{best[0].b0 - m.b0, best[0].b1 - m.b1, best[0].b2 - m.b2, best[0].a1 - m.a1,
                                        best[0].a2 - m.a2, s.b0 - 1.0, s.b1, s.b2, s.a1, s.a2};
    if (target != k.deltaTarget) {
        k.deltaTarget = target;
        for (std::size_t i = 0; i < target.size(); ++i)
            k.deltaStep[i] = (target[i] - k.delta[i]) / static_cast<double>(kFitStep);
        k.rampLeft = static_cast<std::uint32_t>(kFitStep);
    }
}

bool Eq::fitPending(const Band& k) noexcept
{
    // (A second section back at the identity is pending until its state has drained.)
    return k.on
           && (k.fitting || k.rampLeft > 0 || k.type != k.fitType || k.f != k.fitF || k.q != k.fitQ
               || static_cast<double>(k.gs) != k.fitG || (k.two && secondIsIdentity(k.delta)));
}

void Eq::designPass(PassFilter& p, bool highPass) noexcept REALTIME
{
    p.lf = p.logFreq.current();
    p.lr = p.logRes.current();
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
    counter_ = 0;
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
    if (lf != p.lf || lr != p.lr)
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

void Eq::detect(int b, double dl, double dr) noexcept REALTIME
{
    // Detector power per sample; the gain computer and its smoothing every kDynStep
    // samples of the running sample count (so the band's coefficients are redesigned at
    // that rate, at the same samples whatever the host's blocks).
    Band& k = bands_[static_cast<std::size_t>(b)];
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
    k.power += k.rmsCoef * (x2 - k.power);
    if ((counter_ & (kDynStep - 1)) != 0)
        return;
    const double level = 10.0 * std::log10(2.0 * k.power + 1e-30);
    const double over = level - static_cast<double>(bv(b, pe::kThreshold));
    const double request = over > 0.0 ? over * (1.0 - 1.0 / static_cast<double>(bv(b, pe::kRatio))) : 0.0;
    const double range = bv(b, pe::kRange);
    const double target = range < 0.0 ? std::max(range, -request) : std::min(range, request);
    const double coef = std::fabs(target) > std::fabs(k.dynDb) ? k.attackCoef : k.releaseCoef;
    k.dynDb = target + coef * (k.dynDb - target);
}

bool Eq::ext(int b) const noexcept { return bv(b, pe::kSc) >= 0.5f; }

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

    if (dm > 0.f || k.dynMix.smoothing())
        detect(b, ext(b) ? scl : l, ext(b) ? scr : r);
    else
        k.power = k.dynDb = 0.0;

    if (k.logFreq.current() != k.lf || k.logQ.current() != k.lq || k.gainDb.current() != k.gs
        || dynamicMoved(static_cast<double>(dm) * k.dynDb, k.gd))
        designBand(b);
    if (k.rampLeft > 0) {
        --k.rampLeft;
        for (std::size_t j = 0; j < k.delta.size(); ++j)
            k.delta[j] = k.rampLeft == 0 ? k.deltaTarget[j] : k.delta[j] + k.deltaStep[j];
        applyDelta(k);
    } else if (k.two && secondIsIdentity(k.delta) && k.filt2[0].s1 == 0.0 && k.filt2[0].s2 == 0.0
               && k.filt2[1].s1 == 0.0 && k.filt2[1].s2 == 0.0) {
        k.two = false; // an identity section with drained state: exactly the input
    }
    if ((counter_ & (kFitStep - 1)) == 0 && fitPending(k))
        fitTick(b);

    filterBand(k, l, r, m);
}

void Eq::filterBand(Band& k, double& l, double& r, float m) noexcept
{
    auto blend = [m](double x, double y) { return m == 1.f ? y : x + static_cast<double>(m) * (y - x); };
    auto tick = [&k](std::size_t ch, double x) {
        const double y = k.filt[ch].tick(x, k.coefs);
        return k.two ? k.filt2[ch].tick(y, k.coefs2) : y;
    };
    switch (k.target) {
    case pe::kLeft: l = blend(l, tick(0, l)); break;
    case pe::kRight: r = blend(r, tick(1, r)); break;
    case pe::kMid: {
        const double mid = 0.5 * (l + r), side = 0.5 * (l - r);
        const double y = blend(mid, tick(0, mid));
        l = y + side;
        r = y - side;
        break;
    }
    case pe::kSide: {
        const double mid = 0.5 * (l + r), side = 0.5 * (l - r);
        const double y = blend(side, tick(0, side));
        l = mid + y;
        r = mid - y;
        break;
    }
    default:
        l = blend(l, tick(0, l));
        r = blend(r, tick(1, r));
    }
}

bool Eq::steady() const noexcept
{
    if (!started_ || out_.smoothing() || !bypass_.steady())
        return false;
    for (int b = 0; b < kBands; ++b) {
        const Band& k = bands_[static_cast<std::size_t>(b)];
        if (k.mix.smoothing() || bandPending(b) || k.dynMix.smoothing())
            return false;
        if (k.on && (k.logFreq.smoothing() || k.gainDb.smoothing() || k.logQ.smoothing()))
            return false;
        if (fitPending(k))
            return false;
    }
    for (int i = 0; i < 2; ++i) {
        const PassFilter& p = i == 0 ? hp_ : lp_;
        if (p.mix.smoothing() || passPending(p, i == 0) || (p.on && (p.logFreq.smoothing() || p.logRes.smoothing())))
            return false;
    }
    return true;
}

void Eq::processSteady(const float* inL, const float* inR, const float* scL, const float* scR, float* outL, float* outR,
                       std::uint32_t frames) noexcept REALTIME
{
    // The same operations as the per-sample path in steady state (mix 1, no ramps).
    double* l = bufL_.data();
    double* r = bufR_.data();
    for (std::uint32_t i = 0; i < frames; ++i) {
        l[i] = rt::finiteOrZero(inL[i]);
        r[i] = rt::finiteOrZero(inR[i]);
    }
    // Stereo stages (HP, LP, stereo bands) run fused in cascades; a band on one channel
    // or on M/S ends the cascade and runs in its own loop.
    std::array<Stage, 24> st; // HP and LP (4 sections each), 8 bands of up to 2 sections
    int n = 0;
    for (PassFilter* p : {&hp_, &lp_}) {
        if (!p->on)
            continue;
        for (int s = 0; s < p->sections; ++s) {
            const auto si = static_cast<std::size_t>(s);
            st[static_cast<std::size_t>(n++)] = stage(p->coefs[si], p->filt[0][si], p->filt[1][si]);
        }
    }
    const std::uint64_t counter0 = counter_;
    for (int b = 0; b < kBands; ++b) {
        Band& k = bands_[static_cast<std::size_t>(b)];
        if (!k.on)
            continue;
        if (k.dynMix.current() == 1.f) {
            // Dynamic band: the per-sample path's operations with mix 1.
            runCascade(st.data(), n, l, r, frames);
            n = 0;
            const bool e = ext(b);
            for (std::uint32_t i = 0; i < frames; ++i) {
                counter_ = counter0 + i;
                const double scl = scL ? rt::finiteOrZero(scL[i]) : 0.f, scr = scR ? rt::finiteOrZero(scR[i]) : 0.f;
                detect(b, e ? scl : l[i], e ? scr : r[i]);
                if (dynamicMoved(1.0 * k.dynDb, k.gd))
                    designBand(b);
                filterBand(k, l[i], r[i], 1.f);
            }
            counter_ = counter0;
            continue;
        }
        if (k.target == params::eq::kStereo) {
            st[static_cast<std::size_t>(n++)] = stage(k.coefs, k.filt[0], k.filt[1]);
            if (k.two)
                st[static_cast<std::size_t>(n++)] = stage(k.coefs2, k.filt2[0], k.filt2[1]);
            continue;
        }
        runCascade(st.data(), n, l, r, frames);
        n = 0;
        if (k.two) { // two sections on one channel or on M/S: the per-sample path's operations
            for (std::uint32_t i = 0; i < frames; ++i)
                filterBand(k, l[i], r[i], 1.f);
            continue;
        }
        const BiquadCoefs c = k.coefs;
        Biquad f0 = k.filt[0], f1 = k.filt[1];
        switch (k.target) {
        case params::eq::kLeft:
            for (std::uint32_t i = 0; i < frames; ++i)
                l[i] = f0.tick(l[i], c);
            break;
        case params::eq::kRight:
            for (std::uint32_t i = 0; i < frames; ++i)
                r[i] = f1.tick(r[i], c);
            break;
        case params::eq::kMid:
            for (std::uint32_t i = 0; i < frames; ++i) {
                const double mid = 0.5 * (l[i] + r[i]), side = 0.5 * (l[i] - r[i]);
                const double y = f0.tick(mid, c);
                l[i] = y + side;
                r[i] = y - side;
            }
            break;
        default:
            for (std::uint32_t i = 0; i < frames; ++i) {
                const double mid = 0.5 * (l[i] + r[i]), side = 0.5 * (l[i] - r[i]);
                const double y = f0.tick(side, c);
                l[i] = mid + y;
                r[i] = mid - y;
            }
        }
        k.filt[0] = f0;
        k.filt[1] = f1;
    }
    runCascade(st.data(), n, l, r, frames);
    counter_ = counter0 + frames;
    if (bypass_.bypassed()) {
        for (std::uint32_t i = 0; i < frames; ++i) {
            outL[i] = rt::finiteOrZero(inL[i]);
            outR[i] = rt::finiteOrZero(inR[i]);
        }
        return;
    }
    const double o = out_.current();
    for (std::uint32_t i = 0; i < frames; ++i) {
        outL[i] = static_cast<float>(l[i] * o);
        outR[i] = static_cast<float>(r[i] * o);
    }
}

void Eq::process(const float* inL, const float* inR, const float* scL, const float* scR, float* outL, float* outR,
                 std::uint32_t frames) noexcept REALTIME
{
    rt::DenormalScope noDenormals;
    if (frames > 0)
        started_ = true;
    std::uint32_t i = 0;
    while (i < frames) {
        const std::uint32_t n = std::min(kChunk, frames - i);
        if (steady()) {
            processSteady(inL + i, inR + i, scL ? scL + i : nullptr, scR ? scR + i : nullptr, outL + i, outR + i, n);
            i += n;
            continue;
        }
        for (const std::uint32_t end = i + n; i < end; ++i) {
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
            ++counter_;
        }
    }
    publish();
}

void Eq::publish() noexcept REALTIME
{
    for (int b = 0; b < kBands; ++b) {
        Band& k = bands_[static_cast<std::size_t>(b)];
        for (auto& f : k.filt)
            f.sanitize();
        for (auto& f : k.filt2)
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
