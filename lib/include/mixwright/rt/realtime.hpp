// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Real-time conventions: the REALTIME annotation (RealtimeSanitizer enforces it under
// clang >= 20), a denormal flush scope, and guards for recursive state.

#pragma once

#include <cmath>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

// Functions that run on the audio thread. Under clang >= 20 this is
// [[clang::nonblocking]]: -fsanitize=realtime then reports any allocation, lock,
// or blocking system call made inside them, and -Wfunction-effects warns statically.
#if defined(__clang__) && (__clang_major__ >= 20)
#define REALTIME [[clang::nonblocking]]
#else
#define REALTIME
#endif

namespace mixwright::rt {

/// Sets flush-to-zero and denormals-are-zero for the lifetime of the scope and
/// restores the caller's mode afterwards (the host's thread is not ours to change).
class DenormalScope {
public:
    DenormalScope() noexcept
    {
#if defined(__x86_64__) || defined(__i386__)
        saved_ = _mm_getcsr();
        _mm_setcsr(saved_ | 0x8040u); // FTZ | DAZ
#elif defined(__aarch64__)
        std::uint64_t fpcr;
        __asm__ __volatile__("mrs %0, fpcr" : "=r"(fpcr));
        saved_ = fpcr;
        __asm__ __volatile__("msr fpcr, %0" ::"r"(fpcr | (1ull << 24)));
#endif
    }
    ~DenormalScope() noexcept
    {
#if defined(__x86_64__) || defined(__i386__)
        _mm_setcsr(static_cast<unsigned>(saved_));
#elif defined(__aarch64__)
        __asm__ __volatile__("msr fpcr, %0" ::"r"(saved_));
#endif
    }
    DenormalScope(const DenormalScope&) = delete;
    DenormalScope& operator=(const DenormalScope&) = delete;

private:
    std::uint64_t saved_ = 0;
};

/// True for a finite value (not NaN, not +-Inf); cheap, and not removed without -ffast-math.
inline bool isFinite(float x) noexcept { return std::isfinite(x); }
inline bool isFinite(double x) noexcept { return std::isfinite(x); }

/// Replaces a non-finite recursive state value by zero and flushes tiny ones. Returns
/// true when it had to recover (NaN/Inf), so a unit can clear the rest of its state.
template <typename T>
inline bool sanitize(T& state) noexcept
{
    if (!std::isfinite(state)) {
        state = T(0);
        return true;
    }
    if (std::fabs(state) < T(1e-30))
        state = T(0);
    return false;
}

/// Audio input guard: non-finite samples become 0 so they never reach recursive state.
inline float finiteOrZero(float x) noexcept { return std::isfinite(x) ? x : 0.f; }

} // namespace mixwright::rt
