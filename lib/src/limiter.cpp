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
        ch.hist.assign(kTaps - 1 + kChunk + PolyphaseBank<4>::kPad, 0.f);
        ch.peak.assign(kChunk + PolyphaseBank<4>::kPad, 0.f);
        ch.ring.assign(maxLa + 1, 1.f);
        ch.suffix.assign(maxLa + 2, 1.f);
        ch.gain.assign(kChunk, 1.f);
        ch.box.assign(maxLa, 0);
        ch.audio.prepare(maxLatency, kChunk);
        ch.dry.prepare(maxLatency, kChunk);
    }
    acc_.assign(kChunk + PolyphaseBank<4>::kPad, 0.f);
    simd_ = detail::haveAvx2Fma();
    gain_.assign(kChunk, 0.f);
    scratchA_.assign(kChunk, 0.f);
    scratchB_.assign(kChunk, 0.f);
    auto ms = [&](int i) { return kTable[static_cast<std::size_t>(i)].smoothingMs; };
    inGain_.prepare(rate_, ms(P::kInputGain));
    ceiling_.prepare(rate_, ms(P::kCeiling));
    link_.prepare(rate_, ms(P::kLink));
    bypass_.prepare(rate_, ms(P::kBypass));
    avgCoef_ = kAutoStep / rate_; // 1 s average of the gain reduction, updated every kAutoStep samples
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
        std::fill(ch.suffix.begin(), ch.suffix.end(), 1.f);
        ch.prefix = 1.f;
        ch.prevInterval = 0.f;
        ch.env = 1.0;
        ch.avgReduction = 0.0;
        ch.releaseCoef = releaseCoef_;
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
    float* ceil = scratchA_.data();
    float* link = scratchB_.data();
    for (std::uint32_t i = 0; i < n; ++i) {
        gain_[i] = inGain_.next();
        // (1 - 2^-21): room for the rounding of g * x, so even sample peaks land at or
        // under the ceiling exactly.
        ceil[i] = std::max(ceiling_.next() - ditherPeak_, 1e-3f) * (1.f - 0x1p-21f);
        link[i] = link_.next();
    }

    // 1. Gained input and detection, per channel.
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
                bank8_.intervalPeaks(h, pk, acc_.data(), n, simd_);
            else
                bank4_.intervalPeaks(h, pk, acc_.data(), n, simd_);
            // A sample's peak covers both intervals next to it (backwards, in place).
            const float last = pk[n - 1];
            for (std::uint32_t i = n - 1; i > 0; --i)
                pk[i] = std::max(pk[i], pk[i - 1]);
            pk[0] = std::max(pk[0], ch.prevInterval);
            ch.prevInterval = last;
        }
        // Required gain (stored over the peaks).
        for (std::uint32_t i = 0; i < n; ++i) {
            const float p = pk[i] * margin_;
            pk[i] = ceil[i] / std::max(p, ceil[i]); // exactly 1 when p <= ceiling
        }
    }
    // 2. Stereo link: r_c + l (min - r_c) <= r_c.
    {
        float* r0 = ch_[0].peak.data();
        float* r1 = ch_[1].peak.data();
        for (std::uint32_t i = 0; i < n; ++i) {
            const float rmin = std::min(r0[i], r1[i]);
            r0[i] += link[i] * (rmin - r0[i]);
            r1[i] += link[i] * (rmin - r1[i]);
        }
    }

    // 3. Envelope: running minimum, release, moving average -> gain. The two channels
    // run interleaved so their serial recursions overlap in the CPU.
    const double invBox = 1.0 / (kFixedScale * lookahead_);
    {
        struct Lane {
            const float* r;
            float* g;
            float* ring;
            std::int64_t* box;
            float* suffix;
            float prefix;
            double env;
            std::int64_t boxSum;
        };
        std::array<Lane, 2> L;
        for (std::size_t c = 0; c < 2; ++c) {
            Channel& ch = ch_[c];
            L[c] = Lane{ch.peak.data(), ch.gain.data(), ch.ring.data(), ch.box.data(), ch.suffix.data(), ch.prefix,
                        ch.env, ch.boxSum};
        }
        std::uint32_t pos = pos_, boxPos = boxPos_, index = sampleIndex_;
        for (std::uint32_t i = 0; i < n; ++i) {
            const std::uint32_t nextPos = wrapInc(pos, ringSize_);
            if ((index & (kAutoStep - 1)) == 0) {
                // The program-dependent release coefficient follows a slow average: it
                // is updated every kAutoStep samples of a fixed grid (no division per
                // sample, and the same result for any block size).
                for (std::size_t c = 0; c < 2; ++c) {
                    Channel& ch = ch_[c];
                    ch.avgReduction += ((1.0 - L[c].env) - ch.avgReduction) * avgCoef_;
                    ch.releaseCoef = autoRelease_
                        ? releaseCoef_ / (0.25 + 3.75 * std::min(1.0, 2.0 * ch.avgReduction))
                        : releaseCoef_;
                }
            }
            for (std::size_t c = 0; c < 2; ++c) {
                Lane& l = L[c];
                const float rc = l.r[i];
                if (pos == 0) {
                    // A block of W+1 samples is complete: its suffix minima.
                    float mn = 1.f;
                    for (std::uint32_t j = ringSize_; j-- > 0;) {
                        mn = std::min(mn, l.ring[j]);
                        l.suffix[j] = mn;
                    }
                }
                l.ring[pos] = rc;
                const float rOld = l.ring[nextPos]; // r[s - W]: the oldest of the W+1 entries

                // Running minimum over the window of W+1 samples ending here, as
                // min(suffix minimum of the previous block, prefix minimum of this one).
                l.prefix = pos == 0 ? rc : std::min(l.prefix, rc);
                const double m = std::min(l.suffix[pos + 1], l.prefix);

                // Instant attack, release towards m; never above m (when m < env the
                // expression is >= m, so the min is the attack).
                l.env = std::min(m, l.env + (m - l.env) * ch_[c].releaseCoef);

                const auto fixed = static_cast<std::int64_t>(l.env * kFixedScale);
                l.boxSum += fixed - l.box[boxPos];
                l.box[boxPos] = fixed;
                l.g[i] = std::min(static_cast<float>(static_cast<double>(l.boxSum) * invBox), rOld);
            }
            pos = nextPos;
            boxPos = wrapInc(boxPos, lookahead_);
            ++index;
        }
        pos_ = pos;
        boxPos_ = boxPos;
        sampleIndex_ = index;
        float blockMin = minGain_;
        for (std::size_t c = 0; c < 2; ++c) {
            Channel& ch = ch_[c];
            ch.prefix = L[c].prefix;
            ch.env = L[c].env;
            ch.boxSum = L[c].boxSum;
            for (std::uint32_t i = 0; i < n; ++i)
                blockMin = std::min(blockMin, L[c].g[i]);
        }
        minGain_ = blockMin;
    }

    // 4. Gain on the delayed input, dither, bypass, meters.
    const std::uint32_t lat = latency();
    const bool fading = bypass_.smoothing();
    const float bypassNow = bypass_.current();
    for (std::size_t c = 0; c < 2; ++c) {
        Channel& ch = ch_[c];
        const float* h = ch.hist.data() + (kTaps - 1);
        const float* g = ch.gain.data();
        float* y = scratchA_.data();
        ch.audio.process(h, y, n, lat);
        for (std::uint32_t i = 0; i < n; ++i)
            y[i] *= g[i];
        if (ditherMode_ != lp::kDitherOff)
            for (std::uint32_t i = 0; i < n; ++i)
                y[i] = dither(ch, y[i]);
        // The dry path (bypass) is the raw input, delayed by the same latency.
        float* dry = scratchB_.data();
        for (std::uint32_t i = 0; i < n; ++i)
            dry[i] = rt::finiteOrZero(in[c][i]);
        ch.dry.process(dry, dry, n, lat);
        float peakIn = 0.f, peakOut = 0.f;
        if (!fading && bypassNow == 0.f) {
            for (std::uint32_t i = 0; i < n; ++i) {
                out[c][i] = y[i];
                peakOut = std::max(peakOut, std::fabs(y[i]));
            }
        } else if (!fading) {
            for (std::uint32_t i = 0; i < n; ++i) {
                out[c][i] = dry[i];
                peakOut = std::max(peakOut, std::fabs(dry[i]));
            }
        } else {
            // The crossfade ramp advances per sample; both channels use the same values.
            LinearSmoother b = bypass_;
            for (std::uint32_t i = 0; i < n; ++i) {
                const float m = b.next();
                const float o = m == 0.f ? y[i] : (m == 1.f ? dry[i] : y[i] + m * (dry[i] - y[i]));
                out[c][i] = o;
                peakOut = std::max(peakOut, std::fabs(o));
            }
            if (c == 1)
                bypass_ = b;
        }
        for (std::uint32_t i = 0; i < n; ++i)
            peakIn = std::max(peakIn, std::fabs(h[i]));
        // Meters: chunk maxima with the 300 ms fall applied per chunk.
        const float decay = std::pow(peakDecay_, static_cast<float>(n));
        ch.peakIn = std::max(peakIn, ch.peakIn * decay);
        ch.peakOut = std::max(peakOut, ch.peakOut * decay);
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
    const float before = minGain_;
    minGain_ = 1.f;
    for (std::uint32_t done = 0; done < frames;) {
        const std::uint32_t n = std::min(kChunk, frames - done);
        processChunk(inL + done, inR + done, outL + done, outR + done, n);
        done += n;
    }
    const float blockMin = minGain_;
    minGain_ = std::min(before, blockMin);
    grOut_.store(blockMin, std::memory_order_relaxed);
    inOut_.store(std::max(ch_[0].peakIn, ch_[1].peakIn), std::memory_order_relaxed);
    outOut_.store(std::max(ch_[0].peakOut, ch_[1].peakOut), std::memory_order_relaxed);
}

} // namespace mixwright::dsp
