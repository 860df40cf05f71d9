// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC

#include "mixwright/dsp/limiter.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>

namespace mixwright::dsp {

namespace lp = params::limiter;

namespace {

// Lipshitz, Vanderkooy, Wannamaker 1991, 9-tap E-weighted noise shaper (44.1 kHz).
constexpr std::array<float, 9> kLipshitz9{2.412f, -3.370f, 3.937f, -4.174f, 3.353f, -2.205f, 1.281f, -0.569f, 0.0847f};
// (1 - z^-1)^2 = 1 - 2 z^-1 + z^-2, i.e. c = {2, -1}.
constexpr std::array<float, 2> kSecondOrder{2.f, -1.f};
constexpr double kFixedScale = 4294967296.0; // 2^32: the envelope in 32.32 fixed point

inline std::uint32_t xorshift(std::uint32_t& s) noexcept
{
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    return s;
}

inline std::uint32_t wrapInc(std::uint32_t i, std::uint32_t size) noexcept
{
    return ++i == size ? 0 : i;
}

} // namespace

Limiter::Limiter()
{
    for (std::size_t i = 0; i < values_.size(); ++i)
        values_[i] = kTable[i].def;
}

std::uint32_t Limiter::lookaheadSamples(double sampleRate, float ms) noexcept
{
    const long n = std::lround(static_cast<double>(ms) * 1e-3 * sampleRate);
    return static_cast<std::uint32_t>(std::max(1L, n));
}

double Limiter::detectorMargin(int detection) noexcept
{
    if (detection == lp::kSamplePeak)
        return 1.0;
    const double L = detection == lp::kTruePeak8x ? 8.0 : 4.0;
    const double a = std::numbers::pi / (2.0 * L);
    return std::pow(10.0, kExtraMarginDb / 20.0) / (1.0 - 0.5 * a * a);
}

double Limiter::modulationMargin(int detection, std::uint32_t lookahead, double fastestReleaseCoef) noexcept
{
    if (detection == lp::kSamplePeak)
        return 1.0;
    const double slope = std::max(1.0 / lookahead, fastestReleaseCoef);
    return std::pow(10.0, kModulationDb * slope / 20.0);
}

void Limiter::prepare(double sampleRate, std::uint32_t /*maxBlock*/)
{
    rate_ = sampleRate;
    const std::uint32_t maxLa = lookaheadSamples(rate_, lp::kMaxLookaheadMs);
    const std::uint32_t maxLatency = maxLa + kFirDelay + 1;
    for (auto& ch : ch_) {
        ch.hist.assign(kTaps - 1 + kChunk, 0.f);
        ch.peak.assign(kChunk, 0.f);
        ch.ring.assign(maxLa + 1, 1.f);
        ch.dqIdx.assign(maxLa + 2, 0);
        ch.dqVal.assign(maxLa + 2, 1.f);
        ch.box.assign(maxLa, 0);
        ch.audio.prepare(maxLatency);
        ch.dry.prepare(maxLatency);
    }
    acc_.assign(kChunk, 0.f);
    gain_.assign(kChunk, 0.f);
    auto ms = [&](int i) { return kTable[static_cast<std::size_t>(i)].smoothingMs; };
    inGain_.prepare(rate_, ms(P::kInputGain));
    ceiling_.prepare(rate_, ms(P::kCeiling));
    link_.prepare(rate_, ms(P::kLink));
    bypass_.prepare(rate_, ms(P::kBypass));
    avgCoef_ = 1.0 / rate_; // 1 s average of the gain reduction
    peakDecay_ = static_cast<float>(std::exp(-1.0 / (0.3 * rate_)));
    reset();
}

void Limiter::configure() noexcept REALTIME
{
    lookahead_ = lookaheadSamples(rate_, values_[P::kLookahead]);
    ringSize_ = lookahead_ + 1;
    pos_ = 0;
    boxPos_ = 0;
    sampleIndex_ = 0;
    const auto one = static_cast<std::int64_t>(kFixedScale);
    for (auto& ch : ch_) {
        std::fill(ch.hist.begin(), ch.hist.end(), 0.f);
        std::fill(ch.ring.begin(), ch.ring.end(), 1.f);
        std::fill(ch.box.begin(), ch.box.end(), one);
        ch.boxSum = one * static_cast<std::int64_t>(lookahead_);
        ch.dqHead = ch.dqSize = 0;
        ch.prevInterval = 0.f;
        ch.env = 1.0;
        ch.avgReduction = 0.0;
        ch.audio.reset();
        ch.dry.reset();
    }
}

void Limiter::updateTargets() noexcept REALTIME
{
    inGain_.setTarget(dbToGain(values_[P::kInputGain]));
    ceiling_.setTarget(dbToGain(values_[P::kCeiling]));
    link_.setTarget(values_[P::kLink] * 0.01f);
    bypass_.setTarget(values_[P::kBypass] >= 0.5f ? 1.f : 0.f);
    releaseCoef_ = std::min(1.0, 1.0 / (values_[P::kRelease] * 1e-3 * rate_));
    autoRelease_ = values_[P::kAutoRelease] >= 0.5f;
    detection_ = static_cast<int>(values_[P::kDetection]);
    margin_ = static_cast<float>(detectorMargin(detection_) *
                                 modulationMargin(detection_, lookaheadSamples(rate_, values_[P::kLookahead]),
                                                  releaseCoef_ * (autoRelease_ ? 4.0 : 1.0)));
    ditherMode_ = static_cast<int>(values_[P::kDither]);
    const int bits = std::array{16, 20, 24}[static_cast<std::size_t>(std::clamp(static_cast<int>(values_[P::kBits]), 0, 2))];
    q_ = std::ldexp(1.f, 1 - bits);
    invQ_ = 1.f / q_;
    shaper_.fill(0.f);
    shaperTaps_ = 0;
    if (ditherMode_ == lp::kDitherShaped) {
        if (rate_ <= 50000.0) {
            std::copy(kLipshitz9.begin(), kLipshitz9.end(), shaper_.begin());
            shaperTaps_ = kLipshitz9.size();
        } else {
            std::copy(kSecondOrder.begin(), kSecondOrder.end(), shaper_.begin());
            shaperTaps_ = kSecondOrder.size();
        }
    }
    float l1 = 1.f;
    for (std::uint32_t k = 0; k < shaperTaps_; ++k)
        l1 += std::fabs(shaper_[k]);
    // Quantisation error <= q/2 plus dither <= q; shaped by H (l1 norm); x2 for the
    // inter-sample peaks of the noise.
    ditherPeak_ = ditherMode_ == lp::kDitherOff ? 0.f : 2.f * 1.5f * q_ * l1;
    if (lookaheadSamples(rate_, values_[P::kLookahead]) != lookahead_)
        pendingConfigure_ = true;
}

void Limiter::reset() noexcept REALTIME
{
    updateTargets();
    for (LinearSmoother* s : {&inGain_, &ceiling_, &link_, &bypass_})
        s->reset(s->target());
    configure();
    pendingConfigure_ = false;
    ch_[0].rng = 0x9E3779B9u;
    ch_[1].rng = 0x7F4A7C15u;
    for (auto& ch : ch_) {
        ch.err.fill(0.f);
        ch.peakIn = ch.peakOut = 0.f;
    }
    minGain_ = 1.f;
    grOut_.store(1.f, std::memory_order_relaxed);
    inOut_.store(0.f, std::memory_order_relaxed);
    outOut_.store(0.f, std::memory_order_relaxed);
    started_ = false;
}

void Limiter::setParameter(int index, float value) noexcept REALTIME
{
    if (index < 0 || index >= P::kCount || kTable[static_cast<std::size_t>(index)].is(params::kOutput))
        return;
    values_[static_cast<std::size_t>(index)] = kTable[static_cast<std::size_t>(index)].clamp(value);
    updateTargets();
    if (!started_) {
        for (LinearSmoother* s : {&inGain_, &ceiling_, &link_, &bypass_})
            s->reset(s->target());
        if (pendingConfigure_) {
            configure();
            pendingConfigure_ = false;
        }
    }
}

float Limiter::outputValue(int index) const noexcept
{
    auto out = [](int i, float v) { return kTable[static_cast<std::size_t>(i)].clamp(v); };
    switch (index) {
    case P::kGainReduction: return out(index, -gainToDb(grOut_.load(std::memory_order_relaxed)));
    case P::kLevelIn: return out(index, gainToDb(inOut_.load(std::memory_order_relaxed)));
    case P::kLevelOut: return out(index, gainToDb(outOut_.load(std::memory_order_relaxed)));
    default: return parameter(index);
    }
}

float Limiter::ditherPeak() const noexcept { return ditherPeak_; }

float Limiter::takeMinGain() noexcept
{
    const float g = minGain_;
    minGain_ = 1.f;
    return g;
}

float Limiter::dither(Channel& ch, float y) noexcept REALTIME
{
    const float u1 = static_cast<float>(xorshift(ch.rng) >> 8) * 0x1p-24f;
    const float u2 = static_cast<float>(xorshift(ch.rng) >> 8) * 0x1p-24f;
    const float d = (u1 - u2) * q_;
    float v = y;
    for (std::uint32_t k = 0; k < shaperTaps_; ++k)
        v -= shaper_[k] * ch.err[k];
    const float yq = std::floor((v + d) * invQ_ + 0.5f) * q_;
    if (shaperTaps_ > 0) {
        for (std::uint32_t k = shaperTaps_ - 1; k > 0; --k)
            ch.err[k] = ch.err[k - 1];
        ch.err[0] = yq - v;
        // The feedback is bounded (|e| <= 1.5 q); anything else is a NaN/Inf upstream.
        if (!(std::fabs(ch.err[0]) <= 2.f * q_))
            ch.err.fill(0.f);
    }
    return yq;
}

void Limiter::processChunk(const float* inL, const float* inR, float* outL, float* outR, std::uint32_t n) noexcept REALTIME
{
    const std::array<const float*, 2> in{inL, inR};
    const std::array<float*, 2> out{outL, outR};
    for (std::uint32_t i = 0; i < n; ++i)
        gain_[i] = inGain_.next();
    for (std::size_t c = 0; c < 2; ++c) {
        Channel& ch = ch_[c];
        float* h = ch.hist.data() + (kTaps - 1);
        for (std::uint32_t i = 0; i < n; ++i)
            h[i] = rt::finiteOrZero(in[c][i]) * gain_[i];
        float* pk = ch.peak.data();
        if (detection_ == lp::kSamplePeak) {
            for (std::uint32_t i = 0; i < n; ++i)
                pk[i] = std::fabs(h[static_cast<std::ptrdiff_t>(i) - static_cast<std::ptrdiff_t>(kFirDelay + 1)]);
        } else {
            if (detection_ == lp::kTruePeak8x)
                bank8_.intervalPeaks(h, pk, acc_.data(), n);
            else
                bank4_.intervalPeaks(h, pk, acc_.data(), n);
            // A sample's peak covers both intervals next to it.
            float prev = ch.prevInterval;
            for (std::uint32_t i = 0; i < n; ++i) {
                const float cur = pk[i];
                pk[i] = std::max(prev, cur);
                prev = cur;
            }
            ch.prevInterval = prev;
        }
    }

    const std::uint32_t lat = latency();
    const double invBox = 1.0 / (kFixedScale * lookahead_);
    const std::uint32_t dqCap = static_cast<std::uint32_t>(ch_[0].dqIdx.size());
    for (std::uint32_t i = 0; i < n; ++i) {
        // (1 - 2^-21): room for the rounding of g * x, so even sample peaks land at or
        // under the ceiling exactly.
        const float ceil = std::max(ceiling_.next() - ditherPeak_, 1e-3f) * (1.f - 0x1p-21f);
        const float link = link_.next();
        std::array<float, 2> r;
        for (std::size_t c = 0; c < 2; ++c) {
            const float p = ch_[c].peak[i] * margin_;
            r[c] = p > ceil ? ceil / p : 1.f;
        }
        const float rmin = std::min(r[0], r[1]);
        std::array<float, 2> y;
        for (std::size_t c = 0; c < 2; ++c) {
            Channel& ch = ch_[c];
            const float rc = r[c] + link * (rmin - r[c]);
            ch.ring[pos_] = rc;
            const float rOld = ch.ring[wrapInc(pos_, ringSize_)]; // r[s - W]

            // Running minimum over the last W+1 samples: monotonic deque.
            while (ch.dqSize > 0) {
                std::uint32_t back = ch.dqHead + ch.dqSize - 1;
                if (back >= dqCap)
                    back -= dqCap;
                if (ch.dqVal[back] < rc)
                    break;
                --ch.dqSize;
            }
            std::uint32_t slot = ch.dqHead + ch.dqSize;
            if (slot >= dqCap)
                slot -= dqCap;
            ch.dqIdx[slot] = sampleIndex_;
            ch.dqVal[slot] = rc;
            ++ch.dqSize;
            while (sampleIndex_ - ch.dqIdx[ch.dqHead] > lookahead_) {
                ch.dqHead = wrapInc(ch.dqHead, dqCap);
                --ch.dqSize;
            }
            const double m = ch.dqVal[ch.dqHead];

            // Instant attack, release towards m; never above m.
            if (m < ch.env) {
                ch.env = m;
            } else {
                double coef = releaseCoef_;
                if (autoRelease_)
                    coef /= 0.25 + 3.75 * std::min(1.0, 2.0 * ch.avgReduction);
                ch.env = std::min(m, ch.env + (m - ch.env) * coef);
            }
            ch.avgReduction += ((1.0 - ch.env) - ch.avgReduction) * avgCoef_;

            const auto fixed = static_cast<std::int64_t>(ch.env * kFixedScale);
            ch.boxSum += fixed - ch.box[boxPos_];
            ch.box[boxPos_] = fixed;
            const float g = std::min(static_cast<float>(static_cast<double>(ch.boxSum) * invBox), rOld);
            minGain_ = std::min(minGain_, g);

            const float x = ch.audio.process(ch.hist[kTaps - 1 + i], lat);
            y[c] = g * x;
            if (ditherMode_ != lp::kDitherOff)
                y[c] = dither(ch, y[c]);
        }
        pos_ = wrapInc(pos_, ringSize_);
        boxPos_ = wrapInc(boxPos_, lookahead_);
        ++sampleIndex_;

        const float b = bypass_.next();
        for (std::size_t c = 0; c < 2; ++c) {
            Channel& ch = ch_[c];
            const float dry = ch.dry.process(rt::finiteOrZero(in[c][i]), lat);
            const float o = b == 0.f ? y[c] : (b == 1.f ? dry : y[c] + b * (dry - y[c]));
            ch.peakIn = std::max(std::fabs(ch.hist[kTaps - 1 + i]), ch.peakIn * peakDecay_);
            ch.peakOut = std::max(std::fabs(o), ch.peakOut * peakDecay_);
            out[c][i] = o;
        }
    }

    for (auto& ch : ch_) {
        std::memmove(ch.hist.data(), ch.hist.data() + n, (kTaps - 1) * sizeof(float));
        if (!rt::isFinite(ch.env) || !rt::isFinite(ch.avgReduction)) {
            ch.env = 1.0;
            ch.avgReduction = 0.0;
        }
    }
}

void Limiter::process(const float* inL, const float* inR, float* outL, float* outR, std::uint32_t frames) noexcept REALTIME
{
    rt::DenormalScope noDenormals;
    if (frames == 0)
        return;
    started_ = true;
    if (pendingConfigure_) {
        configure();
        pendingConfigure_ = false;
    }
    float blockMin = 1.f;
    const float before = minGain_;
    minGain_ = 1.f;
    for (std::uint32_t done = 0; done < frames;) {
        const std::uint32_t n = std::min(kChunk, frames - done);
        processChunk(inL + done, inR + done, outL + done, outR + done, n);
        done += n;
    }
    blockMin = minGain_;
    minGain_ = std::min(before, blockMin);
    grOut_.store(blockMin, std::memory_order_relaxed);
    inOut_.store(std::max(ch_[0].peakIn, ch_[1].peakIn), std::memory_order_relaxed);
    outOut_.store(std::max(ch_[0].peakOut, ch_[1].peakOut), std::memory_order_relaxed);
}

} // namespace mixwright::dsp
