// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Polyphase interpolator for true-peak detection (ITU-R BS.1770-4 Annex 2: estimate
// the inter-sample peak by oversampling at least 4x with an interpolating low-pass).
//
// Design: L phases (L = 4 or 8) of a Kaiser-windowed sinc (beta 5.65, about 60 dB)
// spanning kTaps = 32 input samples per phase; cutoff at the input Nyquist frequency,
// so the pass band is flat to about 0.45 fs (20 kHz at 44.1 kHz) and images of
// content below 0.45 fs fall in the stop band. Content between 0.45 fs and fs/2 is
// under-read (white noise up to Nyquist: by up to 2.7 dB); the ITU's own example filter
// (12 taps per phase) is softer still. Phase j
// (j = 1..L-1) estimates x(t) at t = n - kDelay - 1 + j/L from x[n-kTaps+1..n]; phase 0
// is the sample x[n-kDelay] itself (the windowed sinc is 0 at the other integers), so
// the detector sees the points of the interval (n-kDelay-1, n-kDelay] at time n.
// Each phase is normalised to unit DC gain. Every phase's taps are summed in a loop
// over a block of samples, which compilers vectorise (no recursion).
// How far below the true peak the detector can read, and the margin the limiter adds
// for it, is documented in limiter.hpp; tests/test_limiter.cpp checks both against a
// 16x windowed-sinc reference.

#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cmath>
#include <cstdint>
#include <numbers>

namespace mixwright::dsp {

namespace detail {
bool haveAvx2Fma() noexcept;
/// coef: `phases` rows of `taps`; computes round-up-to-16 samples: x, peak need room.
void intervalPeaksAvx2(const float* coef, std::uint32_t phases, std::uint32_t taps, std::uint32_t delay,
                       const float* x, float* peak, std::uint32_t n) noexcept;
} // namespace detail

inline double besselI0(double x)
{
    double sum = 1.0, term = 1.0;
    for (int k = 1; k < 64; ++k) {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
        if (term < 1e-17 * sum)
            break;
    }
    return sum;
}

/// Kaiser-windowed sinc at offset u (input samples) for a kernel of half-width `half`.
inline double kaiserSinc(double u, double half, double beta, double scale = 1.0)
{
    if (std::fabs(u) >= half)
        return 0.0;
    const double v = u * scale;
    const double s = v == 0.0 ? 1.0 : std::sin(std::numbers::pi * v) / (std::numbers::pi * v);
    const double r = u / half;
    return s * besselI0(beta * std::sqrt(1.0 - r * r)) / besselI0(beta);
}

template <std::uint32_t L>
struct PolyphaseBank {
    static constexpr std::uint32_t kTaps = 32;             // input samples per phase
    static constexpr std::uint32_t kDelay = kTaps / 2 - 1; // samples
    static constexpr double kKaiserBeta = 5.65;             // about 60 dB stop band
    static constexpr double kCutoff = 0.5;                  // in units of the input rate
    // coef[j-1][i] multiplies x[n-i] for phase j.
    std::array<std::array<float, kTaps>, L - 1> coef{};

    PolyphaseBank()
    {
        for (std::uint32_t j = 1; j < L; ++j) {
            double sum = 0.0;
            std::array<double, kTaps> c{};
            for (std::uint32_t i = 0; i < kTaps; ++i) {
                const double u = static_cast<double>(i) - kTaps / 2.0 + static_cast<double>(j) / L;
                c[i] = kaiserSinc(u, kTaps / 2.0, kKaiserBeta, 2.0 * kCutoff);
                sum += c[i];
            }
            for (std::uint32_t i = 0; i < kTaps; ++i)
                coef[j - 1][i] = static_cast<float>(c[i] / sum);
        }
    }

    static constexpr std::uint32_t kPad = 16; // samples past n that x, peak and acc must hold

    /// For each i in [0, n): peak[i] = max |x(t)| over the interval ending at sample
    /// x[i - kDelay], where x points at sample 0 of the block and x[-kTaps+1..-1] is
    /// history. `acc` is scratch. All three need kPad samples of room past n (the
    /// vector kernel computes whole groups of 16; the extra results are discarded).
    /// `simd`: use the AVX2/FMA kernel (only when detail::haveAvx2Fma()).
    void intervalPeaks(const float* x, float* peak, float* acc, std::uint32_t n, bool simd = false) const noexcept
    {
        if (simd) {
            detail::intervalPeaksAvx2(coef[0].data(), L - 1, kTaps, kDelay, x, peak, n);
            return;
        }
        for (std::uint32_t i = 0; i < n; ++i)
            peak[i] = std::fabs(x[static_cast<std::ptrdiff_t>(i) - static_cast<std::ptrdiff_t>(kDelay)]);
        for (std::uint32_t j = 0; j + 1 < L; ++j) {
            const auto& c = coef[j];
            for (std::uint32_t i = 0; i < n; ++i)
                acc[i] = 0.f;
            for (std::uint32_t k = 0; k < kTaps; ++k) {
                const float ck = c[k];
                const float* xk = x - k;
                for (std::uint32_t i = 0; i < n; ++i)
                    acc[i] += ck * xk[i];
            }
            for (std::uint32_t i = 0; i < n; ++i)
                peak[i] = std::max(peak[i], std::fabs(acc[i]));
        }
    }
};

} // namespace mixwright::dsp
