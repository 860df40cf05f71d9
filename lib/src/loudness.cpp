// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC

#include "mixwright/dsp/loudness.hpp"
#include "mixwright/dsp/true_peak.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace mixwright::dsp {

namespace {

// GCC/Clang vector extension: four floats, portable across SSE2 and NEON.
using V4 = float __attribute__((vector_size(16)));

double besselI0(double x)
{
    double sum = 1.0, term = 1.0;
    for (int k = 1; k < 50; ++k) {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
    }
    return sum;
}

std::array<float, TruePeakDetector::kFactor * TruePeakDetector::kTaps> makePrototype()
{
    constexpr int L = TruePeakDetector::kFactor;
    constexpr int N = L * TruePeakDetector::kTaps - 1; // odd length: one phase is the input itself
    constexpr double kBeta = 4.5;
    const double c = (N - 1) / 2.0;
    std::array<double, N + 1> h{};
    for (int k = 0; k < N; ++k) {
        const double t = (k - c) / L;
        const double sinc = t == 0.0 ? 1.0 : std::sin(std::numbers::pi * t) / (std::numbers::pi * t);
        const double r = (k - c) / c;
        h[static_cast<std::size_t>(k)] = sinc * besselI0(kBeta * std::sqrt(std::max(0.0, 1.0 - r * r))) / besselI0(kBeta);
    }
    // Each phase passes DC at unity, so a constant reads its own level.
    for (int p = 0; p < L; ++p) {
        double s = 0.0;
        for (int k = p; k < N + 1; k += L)
            s += h[static_cast<std::size_t>(k)];
        for (int k = p; k < N + 1; k += L)
            h[static_cast<std::size_t>(k)] /= s;
    }
    std::array<float, N + 1> out{};
    for (std::size_t k = 0; k < out.size(); ++k)
        out[k] = static_cast<float>(h[k]);
    return out;
}

// Per-phase coefficients in window order (oldest sample first) for the three
// interpolating phases; the fourth phase is the input sample kTaps/2 - 1 back.
struct PhaseCoefs {
    std::array<std::array<float, TruePeakDetector::kTaps>, 3> c{};
};

PhaseCoefs makePhases()
{
    constexpr int L = TruePeakDetector::kFactor, T = TruePeakDetector::kTaps;
    const auto& h = TruePeakDetector::prototype();
    PhaseCoefs pc;
    for (int p = 0; p < 3; ++p)
        for (int k = 0; k < T; ++k)
            pc.c[static_cast<std::size_t>(p)][static_cast<std::size_t>(k)] = h[static_cast<std::size_t>(L * (T - 1 - k) + p)];
    return pc;
}

// Built at library load, never on the audio thread.
const PhaseCoefs kPhases = makePhases();
const bool kUseAvx2 = detail::haveAvx2Fma();

#if defined(__x86_64__) && defined(__GNUC__)
#define MIXWRIGHT_TP_AVX2 1

/// One vector of candidates b with time neighbours a and c (see chunkPeakAvx2); `best`
/// holds the running peak in every lane.
__attribute__((target("avx2,fma"), always_inline)) inline void refineAvx2(__m256 a, __m256 b, __m256 c, __m256 valid,
                                                                         __m256& best)
{
    const __m256 localMax =
        _mm256_and_ps(valid, _mm256_and_ps(_mm256_cmp_ps(b, a, _CMP_GE_OQ), _mm256_cmp_ps(b, c, _CMP_GE_OQ)));
    const __m256 limit = _mm256_mul_ps(_mm256_set1_ps(1.25f), b);
    // At a local maximum -den = (b - a) + (b - c) >= |a - c|, so the refined value is at
    // most b + |a - c| / 8 (and 1.25 b); the factor covers the rounding of the exact
    // formula below. Vectors in which no lane can beat the peak skip the division.
    const __m256 ac = _mm256_sub_ps(a, c);
    const __m256 absAc = _mm256_andnot_ps(_mm256_set1_ps(-0.f), ac);
    const __m256 bound = _mm256_mul_ps(_mm256_min_ps(limit, _mm256_fmadd_ps(_mm256_set1_ps(0.125f), absAc, b)),
                                       _mm256_set1_ps(1.0f + 1.0f / 65536.0f));
    if (_mm256_testz_ps(_mm256_cmp_ps(bound, best, _CMP_GT_OQ), localMax))
        return;
    const __m256 den = _mm256_add_ps(_mm256_sub_ps(a, _mm256_mul_ps(_mm256_set1_ps(2.f), b)), c);
    const __m256 neg = _mm256_cmp_ps(den, _mm256_setzero_ps(), _CMP_LT_OQ);
    const __m256 safe = _mm256_blendv_ps(_mm256_set1_ps(-1.f), den, neg);
    const __m256 q = _mm256_sub_ps(b, _mm256_div_ps(_mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(0.125f), ac), ac), safe));
    __m256 refined = _mm256_blendv_ps(b, q, neg);
    refined = _mm256_blendv_ps(limit, refined, _mm256_cmp_ps(refined, limit, _CMP_LT_OQ));
    const __m256 candidate = _mm256_and_ps(refined, localMax);
    __m256 m = _mm256_blendv_ps(candidate, best, _mm256_cmp_ps(best, candidate, _CMP_GT_OQ));
    m = _mm256_max_ps(m, _mm256_permute2f128_ps(m, m, 1));
    m = _mm256_max_ps(m, _mm256_shuffle_ps(m, m, _MM_SHUFFLE(1, 0, 3, 2)));
    best = _mm256_max_ps(m, _mm256_shuffle_ps(m, m, _MM_SHUFFLE(2, 3, 0, 1)));
}

/// AVX2/FMA true-peak kernel for one chunk: the three interpolating phases for 16
/// outputs at a time (6 accumulators, taps loaded once for all phases), then the
/// parabolic refinement on the four phase arrays without interleaving them (each
/// value's time neighbours are read from the adjacent phase arrays). The refinement is
/// the portable path's arithmetic op for op; its division is skipped for a vector of 8
/// when no local maximum there could beat the running peak (a refined value is at most
/// 1.25 b), which leaves the maximum unchanged.
/// buf: kTaps - 1 history samples then kChunk inputs (zero past m).
/// carry: |phase 2| and |phase 3| of the previous chunk's last sample, updated.
template <int kTaps, int kChunk>
__attribute__((target("avx2,fma"))) float chunkPeakAvx2(const float* buf, int m, const PhaseCoefs& pc, int delay,
                                                        float carry[2], float best)
{
    constexpr int kHist = kTaps - 1;
    const __m256 signMask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    // p0, p1 at [i], p2 and p3 at [i + 1] with the carried values at [0]. 8 spare
    // lanes so the lane-masked tail can read them.
    alignas(32) float p0[kChunk + 8], p1[kChunk + 8], p2[kChunk + 16], p3[kChunk + 16];
    const float* c0 = pc.c[0].data();
    const float* c1 = pc.c[1].data();
    const float* c2 = pc.c[2].data();
    for (int i = 0; i < m; i += 16) {
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, b0 = a0, b1 = a0, d0 = a0, d1 = a0;
        for (int k = 0; k < kTaps; ++k) {
            const __m256 w0 = _mm256_loadu_ps(buf + i + k);
            const __m256 w1 = _mm256_loadu_ps(buf + i + k + 8);
            const __m256 k0 = _mm256_broadcast_ss(c0 + k), k1 = _mm256_broadcast_ss(c1 + k),
                         k2 = _mm256_broadcast_ss(c2 + k);
            a0 = _mm256_fmadd_ps(k0, w0, a0);
            a1 = _mm256_fmadd_ps(k0, w1, a1);
            b0 = _mm256_fmadd_ps(k1, w0, b0);
            b1 = _mm256_fmadd_ps(k1, w1, b1);
            d0 = _mm256_fmadd_ps(k2, w0, d0);
            d1 = _mm256_fmadd_ps(k2, w1, d1);
        }
        _mm256_store_ps(p0 + i, _mm256_and_ps(a0, signMask));
        _mm256_store_ps(p0 + i + 8, _mm256_and_ps(a1, signMask));
        _mm256_store_ps(p1 + i, _mm256_and_ps(b0, signMask));
        _mm256_store_ps(p1 + i + 8, _mm256_and_ps(b1, signMask));
        _mm256_storeu_ps(p2 + i + 1, _mm256_and_ps(d0, signMask));
        _mm256_storeu_ps(p2 + i + 9, _mm256_and_ps(d1, signMask));
        _mm256_storeu_ps(p3 + i + 1, _mm256_and_ps(_mm256_loadu_ps(buf + i + kHist - delay), signMask));
        _mm256_storeu_ps(p3 + i + 9, _mm256_and_ps(_mm256_loadu_ps(buf + i + 8 + kHist - delay), signMask));
    }
    p2[0] = carry[0];
    p3[0] = carry[1];

    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    __m256 best8 = _mm256_set1_ps(best);
    for (int i = 0; i < m; i += 8) {
        const __m256 valid = _mm256_castsi256_ps(_mm256_cmpgt_epi32(_mm256_set1_epi32(m - i), lanes));
        const __m256 v0 = _mm256_load_ps(p0 + i), v1 = _mm256_load_ps(p1 + i);
        const __m256 v2 = _mm256_loadu_ps(p2 + i + 1), v3 = _mm256_loadu_ps(p3 + i + 1);
        const __m256 v2prev = _mm256_loadu_ps(p2 + i), v3prev = _mm256_loadu_ps(p3 + i);
        refineAvx2(v2prev, v3prev, v0, valid, best8); // the previous sample itself
        refineAvx2(v3prev, v0, v1, valid, best8);
        refineAvx2(v0, v1, v2, valid, best8);
        refineAvx2(v1, v2, v3, valid, best8);
    }
    carry[0] = p2[m];
    carry[1] = p3[m];
    return _mm256_cvtss_f32(best8);
}
#endif

} // namespace

const std::array<float, TruePeakDetector::kFactor * TruePeakDetector::kTaps>& TruePeakDetector::prototype() noexcept
{
    static const auto h = makePrototype();
    return h;
}

void TruePeakDetector::reset() noexcept REALTIME
{
    hist_.fill(0.f);
    last_.fill(0.f);
    peak_ = 0.f;
}

void TruePeakDetector::process(const float* x, std::uint32_t n) noexcept REALTIME
{
    const PhaseCoefs& pc = kPhases;
    constexpr int kDelay = kTaps / 2 - 1; // phase 3 = x[n - kDelay]
    constexpr int kChunk = 64;
    constexpr int kHist = kTaps - 1;
    // The FIR runs over a chunk at a time, vectorised across output samples; each
    // output still sums its taps in the same order, so chunking never changes a bit.
    alignas(32) float buf[kHist + kChunk];
    alignas(32) float y[3][kChunk];
    // |values| in time order with the previous chunk's last two in front, then the
    // refined peak at every position (0 where it is not a local maximum).
    alignas(32) float v[4 * kChunk + 2];
    float best = peak_;
    for (std::uint32_t pos = 0; pos < n;) {
        const int m = static_cast<int>(std::min<std::uint32_t>(kChunk, n - pos));
        std::copy(hist_.begin(), hist_.end(), buf);
        for (int i = 0; i < m; ++i)
            buf[kHist + i] = rt::finiteOrZero(x[pos + static_cast<std::uint32_t>(i)]);
        for (int i = m; i < kChunk; ++i)
            buf[kHist + i] = 0.f;
#ifdef MIXWRIGHT_TP_AVX2
        if (kUseAvx2 && !portable_) {
            best = chunkPeakAvx2<kTaps, kChunk>(buf, m, pc, kDelay, last_.data(), best);
            std::copy(buf + m, buf + m + kHist, hist_.begin());
            pos += static_cast<std::uint32_t>(m);
            continue;
        }
#endif
        // Eight outputs of each of the three phases in registers; the taps' loads are
        // shared by the phases. Each lane sums its taps in order, like scalar code.
        const float* c0 = pc.c[0].data();
        const float* c1 = pc.c[1].data();
        const float* c2 = pc.c[2].data();
        for (int i = 0; i < m; i += 8) {
            V4 a0{}, a1{}, b0{}, b1{}, d0{}, d1{};
            for (int k = 0; k < kTaps; ++k) {
                V4 w0, w1;
                std::memcpy(&w0, buf + i + k, sizeof w0);
                std::memcpy(&w1, buf + i + k + 4, sizeof w1);
                a0 += c0[k] * w0;
                a1 += c0[k] * w1;
                b0 += c1[k] * w0;
                b1 += c1[k] * w1;
                d0 += c2[k] * w0;
                d1 += c2[k] * w1;
            }
            std::memcpy(&y[0][i], &a0, sizeof a0);
            std::memcpy(&y[0][i + 4], &a1, sizeof a1);
            std::memcpy(&y[1][i], &b0, sizeof b0);
            std::memcpy(&y[1][i + 4], &b1, sizeof b1);
            std::memcpy(&y[2][i], &d0, sizeof d0);
            std::memcpy(&y[2][i + 4], &d1, sizeof d1);
        }
        v[0] = last_[0];
        v[1] = last_[1];
        for (int i = 0; i < m; ++i) {
            v[2 + 4 * i] = std::fabs(y[0][i]);
            v[3 + 4 * i] = std::fabs(y[1][i]);
            v[4 + 4 * i] = std::fabs(y[2][i]);
            v[5 + 4 * i] = std::fabs(buf[i + kHist - kDelay]);
        }
        // Every local maximum b (neighbours a, c) is refined by the parabola through the
        // three, b - (a - c)^2 / (8 (a - 2b + c)), clamped to 1.25 b. Branch-free, four
        // at a time; max is exact in any order, so the result stays bit-identical.
        const int count = 4 * m;
        const V4 zero{}, minusOne{-1.f, -1.f, -1.f, -1.f};
        V4 best4{best, 0.f, 0.f, 0.f};
        for (int j = 0; j < count; j += 4) {
            V4 a, b, c;
            std::memcpy(&a, v + j, sizeof a);
            std::memcpy(&b, v + j + 1, sizeof b);
            std::memcpy(&c, v + j + 2, sizeof c);
            const V4 den = a - 2.f * b + c;
            const V4 safe = den < zero ? den : minusOne; // divide unconditionally
            const V4 ac = a - c;
            const V4 q = b - 0.125f * ac * ac / safe;
            V4 refined = den < zero ? q : b;
            const V4 limit = 1.25f * b;
            refined = refined < limit ? refined : limit;
            const V4 candidate = ((b >= a) & (b >= c)) ? refined : zero;
            best4 = best4 > candidate ? best4 : candidate;
        }
        best = std::max(std::max(best4[0], best4[1]), std::max(best4[2], best4[3]));
        last_[0] = v[count];
        last_[1] = v[count + 1];
        std::copy(buf + m, buf + m + kHist, hist_.begin());
        pos += static_cast<std::uint32_t>(m);
    }
    peak_ = best;
}

float TruePeakDetector::takePeak() noexcept REALTIME
{
    const float p = peak_;
    peak_ = 0.f;
    return p;
}

// --- LoudnessMeter ---------------------------------------------------------------

LoudnessMeter::Biquad LoudnessMeter::shelfCoefs(double rate) noexcept
{
    // High shelf: analog prototype constants from libebur128 (ebur128_init_filter).
    const double f0 = 1681.974450955533, g = 3.999843853973347, q = 0.7071752369554196;
    const double k = std::tan(std::numbers::pi * f0 / rate);
    const double vh = std::pow(10.0, g / 20.0);
    const double vb = std::pow(vh, 0.4996667741545416);
    const double a0 = 1.0 + k / q + k * k;
    return {(vh + vb * k / q + k * k) / a0, 2.0 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0,
            2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0};
}

LoudnessMeter::Biquad LoudnessMeter::highPassCoefs(double rate) noexcept
{
    // RLB high-pass; numerator 1, -2, 1 as in BS.1770-4 Table 2.
    const double f0 = 38.13547087602444, q = 0.5003270373238773;
    const double k = std::tan(std::numbers::pi * f0 / rate);
    const double a0 = 1.0 + k / q + k * k;
    return {1.0, -2.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0};
}

double LoudnessMeter::energyToLufs(double e) noexcept
{
    if (!(e > 1e-15)) // also catches NaN
        return kFloor;
    return std::max(kFloor, -0.691 + 10.0 * std::log10(e));
}

void LoudnessMeter::Hist::clear() noexcept
{
    std::fill(count.begin(), count.end(), 0);
    std::fill(energy.begin(), energy.end(), 0.0);
    total = 0;
}

void LoudnessMeter::Hist::add(double lufs, double e) noexcept
{
    const auto n = static_cast<long>(count.size());
    const long i = std::clamp(static_cast<long>(std::floor((lufs - kHistMin) / kHistStep)), 0L, n - 1);
    ++count[static_cast<std::size_t>(i)];
    energy[static_cast<std::size_t>(i)] += e;
    ++total;
}

void LoudnessMeter::Fenwick::clear() noexcept
{
    std::fill(tree.begin(), tree.end(), 0u);
    total = 0;
    energy = 0.0;
}

void LoudnessMeter::Fenwick::add(std::size_t bin, double e) noexcept
{
    for (std::size_t i = bin + 1; i <= tree.size(); i += i & (~i + 1))
        ++tree[i - 1];
    ++total;
    energy += e;
}

std::uint64_t LoudnessMeter::Fenwick::prefix(std::size_t bins) const noexcept
{
    std::uint64_t s = 0;
    for (std::size_t i = std::min(bins, tree.size()); i > 0; i -= i & (~i + 1))
        s += tree[i - 1];
    return s;
}

std::size_t LoudnessMeter::Fenwick::find(std::uint64_t rank) const noexcept
{
    // Largest position whose prefix count is <= rank; the value sits in the next bin.
    std::size_t pos = 0;
    std::size_t step = 1;
    while (step * 2 <= tree.size())
        step *= 2;
    for (; step > 0; step /= 2) {
        if (pos + step <= tree.size() && tree[pos + step - 1] <= rank) {
            pos += step;
            rank -= tree[pos - 1];
        }
    }
    return std::min(pos, tree.size() - 1);
}

LoudnessMeter::LoudnessMeter()
{
    weight_.fill(1.0);
}

void LoudnessMeter::prepare(double sampleRate, unsigned channels)
{
    rate_ = sampleRate > 0.0 ? sampleRate : 48000.0;
    channels_ = std::clamp(channels, 1u, kMaxChannels);
    subLen_ = static_cast<std::uint32_t>(std::max(1L, std::lround(rate_ / 100.0)));
    shelf_ = shelfCoefs(rate_);
    hp_ = highPassCoefs(rate_);
    weight_.fill(1.0);
    if (channels_ == 5)
        weight_[3] = weight_[4] = 1.41;
    const auto bins = static_cast<std::size_t>(std::lround((kHistMax - kHistMin) / kHistStep));
    blocks_.count.assign(bins, 0);
    blocks_.energy.assign(bins, 0.0);
    shortTerms_.tree.assign(static_cast<std::size_t>(std::lround((kHistMax - kHistMin) / kLraStep)), 0u);
    reset();
}

void LoudnessMeter::setChannelWeight(unsigned channel, double weight) noexcept
{
    if (channel < kMaxChannels && std::isfinite(weight))
        weight_[channel] = std::max(0.0, weight);
}

void LoudnessMeter::reset() noexcept REALTIME
{
    for (auto& c : ch_) {
        c.s1 = c.s2 = c.h1 = c.h2 = c.sum = 0.0;
        c.blockPeak = 0.f;
        c.tp.reset();
    }
    ring_.fill(0.0);
    peakRing_.fill(0.f);
    corrRing_.fill({0.0, 0.0, 0.0});
    corrLR_ = corrLL_ = corrRR_ = 0.0;
    ringPos_ = 0;
    subPos_ = 0;
    subBlocks_ = 0;
    momentary_ = shortTerm_ = 0.0;
    resetIntegration();
}

void LoudnessMeter::resetIntegration() noexcept REALTIME
{
    blocks_.clear();
    shortTerms_.clear();
    integrated_ = kFloor;
    range_ = 0.0;
    momentaryMax_ = shortTermMax_ = kFloor;
    for (auto& c : ch_)
        c.samplePeak = c.truePeak = 0.f;
    runLength_ = 0;
}

void LoudnessMeter::setIntegrating(bool on) noexcept REALTIME
{
    if (!on)
        runLength_ = 0;
    integrating_ = on;
}

namespace {

struct KState {
    double s1, s2, h1, h2, sum;
};

} // namespace

void LoudnessMeter::process(const float* const* in, std::uint32_t frames) noexcept REALTIME
{
    rt::DenormalScope noDenormals;
    const Biquad f = shelf_, g = hp_;
    // One channel of K-weighting: a recursive chain, so latency-bound; two channels
    // run interleaved in one loop so their chains overlap.
    auto step = [&](double v, KState& k) {
        // The terms that do not depend on this sample's output are summed first, so the
        // recursion's critical path is one multiply and two adds per biquad.
        const double y = f.b0 * v + k.s1;
        k.s1 = (f.b1 * v + k.s2) - f.a1 * y;
        k.s2 = f.b2 * v - f.a2 * y;
        const double z = g.b0 * y + k.h1;
        k.h1 = (g.b1 * y + k.h2) - g.a1 * z;
        k.h2 = g.b2 * y - g.a2 * z;
        k.sum += z * z; // straight into the sub-block sum: host blocks never change a bit
    };
    auto load = [](const Channel& c) { return KState{c.s1, c.s2, c.h1, c.h2, c.sum}; };
    auto store = [](Channel& c, const KState& k) {
        // Recursive state: never NaN/Inf (finite input of +-3e38 can still overflow).
        if (std::isfinite(k.s1 + k.s2 + k.h1 + k.h2 + k.sum)) {
            c.s1 = k.s1;
            c.s2 = k.s2;
            c.h1 = k.h1;
            c.h2 = k.h2;
            c.sum = k.sum;
        } else {
            c.s1 = c.s2 = c.h1 = c.h2 = c.sum = 0.0;
        }
    };

    std::uint32_t pos = 0;
    while (pos < frames) {
        const std::uint32_t n = std::min(frames - pos, subLen_ - subPos_);
        unsigned c = 0;
        for (; c + 1 < channels_; c += 2) {
            const float* xl = in[c] + pos;
            const float* xr = in[c + 1] + pos;
            KState l = load(ch_[c]), r = load(ch_[c + 1]);
            float pl = 0.f, pr = 0.f;
            double lr = corrLR_, ll = corrLL_, rr = corrRR_;
            for (std::uint32_t i = 0; i < n; ++i) {
                const float a = rt::finiteOrZero(xl[i]), b = rt::finiteOrZero(xr[i]);
                pl = std::max(pl, std::fabs(a));
                pr = std::max(pr, std::fabs(b));
                step(a, l);
                step(b, r);
                lr += static_cast<double>(a) * b;
                ll += static_cast<double>(a) * a;
                rr += static_cast<double>(b) * b;
            }
            if (c == 0) { // stereo correlation of the first pair
                corrLR_ = lr;
                corrLL_ = ll;
                corrRR_ = rr;
            }
            store(ch_[c], l);
            store(ch_[c + 1], r);
            ch_[c].blockPeak = std::max(ch_[c].blockPeak, pl);
            ch_[c + 1].blockPeak = std::max(ch_[c + 1].blockPeak, pr);
        }
        if (c < channels_) {
            const float* x = in[c] + pos;
            KState k = load(ch_[c]);
            float p = 0.f;
            for (std::uint32_t i = 0; i < n; ++i) {
                const float a = rt::finiteOrZero(x[i]);
                p = std::max(p, std::fabs(a));
                step(a, k);
            }
            store(ch_[c], k);
            ch_[c].blockPeak = std::max(ch_[c].blockPeak, p);
        }
        for (unsigned k = 0; k < channels_; ++k) {
            ch_[k].tp.process(in[k] + pos, n);
            if (integrating_)
                ch_[k].samplePeak = std::max(ch_[k].samplePeak, ch_[k].blockPeak);
        }
        pos += n;
        subPos_ += n;
        if (subPos_ == subLen_)
            endSubBlock();
    }
}

double LoudnessMeter::correlation() const noexcept
{
    double lr = 0.0, ll = 0.0, rr = 0.0;
    int i = ringPos_;
    for (int k = 0; k < kWindowM; ++k) {
        i = i == 0 ? kWindowS - 1 : i - 1;
        const auto& s = corrRing_[static_cast<std::size_t>(i)];
        lr += s[0];
        ll += s[1];
        rr += s[2];
    }
    const double e = ll * rr;
    return e > 1e-20 && std::isfinite(e) ? std::clamp(lr / std::sqrt(e), -1.0, 1.0) : 0.0;
}

double LoudnessMeter::windowEnergy(int subBlocks) const noexcept
{
    double e = 0.0;
    int i = ringPos_;
    for (int k = 0; k < subBlocks; ++k) {
        i = i == 0 ? kWindowS - 1 : i - 1;
        e += ring_[static_cast<std::size_t>(i)];
    }
    return e / (static_cast<double>(subBlocks) * subLen_);
}

void LoudnessMeter::endSubBlock() noexcept REALTIME
{
    double e = 0.0;
    float peak = 0.f;
    for (unsigned c = 0; c < channels_; ++c) {
        Channel& st = ch_[c];
        e += weight_[c] * st.sum;
        st.sum = 0.0;
        // Tiny recursive state flushed here, at a fixed place in the stream.
        rt::sanitize(st.s1);
        rt::sanitize(st.s2);
        rt::sanitize(st.h1);
        rt::sanitize(st.h2);
        // A sampled signal's true peak is at least its sample peak.
        const float tp = std::max(st.tp.takePeak(), st.blockPeak);
        st.blockPeak = 0.f;
        peak = std::max(peak, tp);
        if (integrating_)
            st.truePeak = std::max(st.truePeak, tp);
    }
    if (!std::isfinite(e))
        e = 0.0;
    ring_[static_cast<std::size_t>(ringPos_)] = e;
    peakRing_[static_cast<std::size_t>(ringPos_)] = peak;
    const bool finite = std::isfinite(corrLR_ + corrLL_ + corrRR_);
    corrRing_[static_cast<std::size_t>(ringPos_)] = {finite ? corrLR_ : 0.0, finite ? corrLL_ : 0.0, finite ? corrRR_ : 0.0};
    corrLR_ = corrLL_ = corrRR_ = 0.0;
    ringPos_ = ringPos_ + 1 == kWindowS ? 0 : ringPos_ + 1;
    subPos_ = 0;
    ++subBlocks_;

    momentary_ = windowEnergy(kWindowM);
    shortTerm_ = windowEnergy(kWindowS);
    if (integrating_)
        integrate();
    if (callback_)
        callback_(callbackContext_, *this);
}

void LoudnessMeter::integrate() noexcept REALTIME
{
    runLength_ = std::min(runLength_ + 1, kWindowS);
    momentaryMax_ = std::max(momentaryMax_, energyToLufs(momentary_));
    shortTermMax_ = std::max(shortTermMax_, energyToLufs(shortTerm_));
    if (subBlocks_ % kBlockStep != 0)
        return;
    bool changed = false;
    if (runLength_ >= kWindowM) {
        const double l = energyToLufs(momentary_);
        if (l > kHistMin) {
            blocks_.add(l, momentary_);
            changed = true;
        }
    }
    if (runLength_ >= kWindowS) {
        const double l = energyToLufs(shortTerm_);
        if (l >= kHistMin) {
            const auto bins = static_cast<double>(shortTerms_.tree.size());
            shortTerms_.add(static_cast<std::size_t>(std::clamp(std::floor((l - kHistMin) / kLraStep), 0.0, bins - 1.0)),
                            shortTerm_);
            changed = true;
        }
    }
    if (changed)
        updateGated();
}

void LoudnessMeter::updateGated() noexcept REALTIME
{
    const std::size_t bins = blocks_.count.size();
    auto binOf = [&](double lufs) {
        return static_cast<std::size_t>(std::clamp(std::ceil((lufs - kHistMin) / kHistStep - 0.5), 0.0, static_cast<double>(bins)));
    };

    // Integrated: relative gate at -10 LU below the mean of the absolutely gated blocks.
    if (blocks_.total > 0) {
        double sum = 0.0;
        for (std::size_t i = 0; i < bins; ++i)
            sum += blocks_.energy[i];
        const double gate = energyToLufs(sum / static_cast<double>(blocks_.total)) - 10.0;
        double gated = 0.0;
        std::uint64_t n = 0;
        for (std::size_t i = binOf(gate); i < bins; ++i) {
            gated += blocks_.energy[i];
            n += blocks_.count[i];
        }
        integrated_ = n > 0 ? energyToLufs(gated / static_cast<double>(n)) : kFloor;
    }

    // LRA: relative gate -20 LU below the energy mean, then 95th minus 10th
    // percentile (nearest rank) of the values whose bin centre passes the gate.
    const Fenwick& f = shortTerms_;
    if (f.total > 0) {
        const double gate = energyToLufs(f.energy / static_cast<double>(f.total)) - 20.0;
        const auto first = static_cast<std::size_t>(
            std::clamp(std::ceil((gate - kHistMin) / kLraStep - 0.5), 0.0, static_cast<double>(f.tree.size())));
        const std::uint64_t below = f.prefix(first);
        const std::uint64_t n = f.total - below;
        if (n < 2) {
            range_ = 0.0;
            return;
        }
        const auto lowRank = static_cast<std::uint64_t>(static_cast<double>(n - 1) * 0.10 + 0.5);
        const auto highRank = static_cast<std::uint64_t>(static_cast<double>(n - 1) * 0.95 + 0.5);
        const auto value = [&](std::uint64_t rank) {
            return kHistMin + (static_cast<double>(f.find(below + rank)) + 0.5) * kLraStep;
        };
        range_ = std::max(0.0, value(highRank) - value(lowRank));
    }
}

void LoudnessMeter::accumulate(const LoudnessMeter& o) noexcept
{
    if (o.blocks_.count.size() != blocks_.count.size() || o.shortTerms_.tree.size() != shortTerms_.tree.size())
        return;
    for (std::size_t i = 0; i < blocks_.count.size(); ++i) {
        blocks_.count[i] += o.blocks_.count[i];
        blocks_.energy[i] += o.blocks_.energy[i];
    }
    blocks_.total += o.blocks_.total;
    // Fenwick trees are linear in the counts: the element-wise sum is the tree of the union.
    for (std::size_t i = 0; i < shortTerms_.tree.size(); ++i)
        shortTerms_.tree[i] += o.shortTerms_.tree[i];
    shortTerms_.total += o.shortTerms_.total;
    shortTerms_.energy += o.shortTerms_.energy;
    float tp = 0.f, sp = 0.f;
    for (unsigned c = 0; c < o.channels_; ++c) {
        tp = std::max(tp, o.ch_[c].truePeak);
        sp = std::max(sp, o.ch_[c].samplePeak);
    }
    ch_[0].truePeak = std::max(ch_[0].truePeak, tp);
    ch_[0].samplePeak = std::max(ch_[0].samplePeak, sp);
    momentaryMax_ = std::max(momentaryMax_, o.momentaryMax_);
    shortTermMax_ = std::max(shortTermMax_, o.shortTermMax_);
    updateGated();
}

double LoudnessMeter::momentary() const noexcept { return energyToLufs(momentary_); }
double LoudnessMeter::shortTerm() const noexcept { return energyToLufs(shortTerm_); }
double LoudnessMeter::integrated() const noexcept { return integrated_; }
double LoudnessMeter::loudnessRange() const noexcept { return range_; }

namespace {
double toDb(float g)
{
    if (!(g > 1e-6f))
        return LoudnessMeter::kFloor;
    // The interpolator can overflow on samples near FLT_MAX: read the largest float.
    const double v = std::isfinite(g) ? static_cast<double>(g) : static_cast<double>(std::numeric_limits<float>::max());
    return std::max(LoudnessMeter::kFloor, 20.0 * std::log10(v));
}
} // namespace

double LoudnessMeter::truePeak(unsigned channel) const noexcept
{
    return channel < channels_ ? toDb(ch_[channel].truePeak) : kFloor;
}

double LoudnessMeter::samplePeak(unsigned channel) const noexcept
{
    return channel < channels_ ? toDb(ch_[channel].samplePeak) : kFloor;
}

double LoudnessMeter::truePeak() const noexcept
{
    float m = 0.f;
    for (unsigned c = 0; c < channels_; ++c)
        m = std::max(m, ch_[c].truePeak);
    return toDb(m);
}

double LoudnessMeter::samplePeak() const noexcept
{
    float m = 0.f;
    for (unsigned c = 0; c < channels_; ++c)
        m = std::max(m, ch_[c].samplePeak);
    return toDb(m);
}

double LoudnessMeter::recentTruePeak() const noexcept
{
    float m = 0.f;
    for (float v : peakRing_)
        m = std::max(m, v);
    return toDb(m);
}

void LoudnessMeter::flushTruePeak() noexcept REALTIME
{
    const std::array<float, TruePeakDetector::kTaps + 1> zeros{};
    for (unsigned c = 0; c < channels_; ++c) {
        Channel& st = ch_[c];
        st.tp.process(zeros.data(), static_cast<std::uint32_t>(zeros.size()));
        const float tp = std::max(st.tp.takePeak(), st.blockPeak);
        st.blockPeak = 0.f;
        if (integrating_)
            st.truePeak = std::max(st.truePeak, tp);
    }
}

} // namespace mixwright::dsp
