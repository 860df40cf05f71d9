// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// AVX2/FMA kernel of the polyphase true-peak detector. Selected at run time when the
// CPU has AVX2 and FMA; the portable loops in true_peak.hpp serve the rest. The
// kernel computes whole groups of 16 samples (callers pad their buffers), so every
// sample is computed by the same instruction sequence whatever the block size: the
// output stays bit-exact across host block sizes on a given machine.

#include "mixwright/dsp/true_peak.hpp"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

namespace mixwright::dsp::detail {

namespace {

// G phases at once, two vectors of 8 samples: 2G accumulators + G coefficients + 2
// inputs stay in the 16 ymm registers for G <= 4.
template <int G>
__attribute__((target("avx2,fma"))) inline void phaseGroup(const float* coef, std::uint32_t taps, const float* x,
                                                          float* peak, std::uint32_t n16)
{
    const __m256 signMask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    for (std::uint32_t i = 0; i < n16; i += 16) {
        __m256 a0[G], a1[G];
        for (int g = 0; g < G; ++g)
            a0[g] = a1[g] = _mm256_setzero_ps();
        for (std::uint32_t k = 0; k < taps; ++k) {
            const __m256 x0 = _mm256_loadu_ps(x + i - k);
            const __m256 x1 = _mm256_loadu_ps(x + i + 8 - k);
            for (int g = 0; g < G; ++g) {
                const __m256 c = _mm256_broadcast_ss(coef + static_cast<std::size_t>(g) * taps + k);
                a0[g] = _mm256_fmadd_ps(c, x0, a0[g]);
                a1[g] = _mm256_fmadd_ps(c, x1, a1[g]);
            }
        }
        __m256 p0 = _mm256_loadu_ps(peak + i), p1 = _mm256_loadu_ps(peak + i + 8);
        for (int g = 0; g < G; ++g) {
            p0 = _mm256_max_ps(p0, _mm256_and_ps(a0[g], signMask));
            p1 = _mm256_max_ps(p1, _mm256_and_ps(a1[g], signMask));
        }
        _mm256_storeu_ps(peak + i, p0);
        _mm256_storeu_ps(peak + i + 8, p1);
    }
}

} // namespace

bool haveAvx2Fma() noexcept
{
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

__attribute__((target("avx2,fma"))) void intervalPeaksAvx2(const float* coef, std::uint32_t phases, std::uint32_t taps,
                                                          std::uint32_t delay, const float* x, float* peak,
                                                          std::uint32_t n) noexcept
{
    const std::uint32_t n16 = (n + 15) & ~15u;
    const __m256 signMask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    for (std::uint32_t i = 0; i < n16; i += 8)
        _mm256_storeu_ps(peak + i, _mm256_and_ps(_mm256_loadu_ps(x + i - delay), signMask));
    std::uint32_t j = 0;
    while (phases - j >= 4) {
        phaseGroup<4>(coef + static_cast<std::size_t>(j) * taps, taps, x, peak, n16);
        j += 4;
    }
    if (phases - j == 3)
        phaseGroup<3>(coef + static_cast<std::size_t>(j) * taps, taps, x, peak, n16);
    else if (phases - j == 2)
        phaseGroup<2>(coef + static_cast<std::size_t>(j) * taps, taps, x, peak, n16);
    else if (phases - j == 1)
        phaseGroup<1>(coef + static_cast<std::size_t>(j) * taps, taps, x, peak, n16);
}

} // namespace mixwright::dsp::detail

#else

namespace mixwright::dsp::detail {
bool haveAvx2Fma() noexcept { return false; }
void intervalPeaksAvx2(const float*, std::uint32_t, std::uint32_t, std::uint32_t, const float*, float*, std::uint32_t) noexcept {}
} // namespace mixwright::dsp::detail

#endif
