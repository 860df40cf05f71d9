// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Audio for the EQ UI's analyser: four lock-free SPSC rings (input L/R, output L/R).
// The audio thread only copies each block into them (memcpy, no per-sample work), and
// only while a UI is attached; when the UI falls behind, whole blocks are dropped so
// the four rings stay aligned. The UI (reached through DPF's direct access) pops and
// runs the FFT on its own thread.

#pragma once

#include "mixwright/rt/spsc_ring.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>

namespace mixwright::dpf {

struct SpectrumTap {
    static constexpr std::size_t kCapacity = 1 << 15;

    SpectrumTap()
    {
        for (auto& r : rings)
            r.prepare(kCapacity);
    }

    /// Audio thread: copies one block; never blocks or allocates.
    void push(const float* inL, const float* inR, const float* outL, const float* outR, std::uint32_t n) noexcept REALTIME
    {
        if (!attached.load(std::memory_order_acquire))
            return;
        for (const auto& r : rings)
            if (r.writable() < n)
                return;
        rings[0].push(inL, n);
        rings[1].push(inR, n);
        rings[2].push(outL, n);
        rings[3].push(outR, n);
    }

    /// UI thread: pops up to n frames of each ring; returns the frame count.
    std::size_t pop(float* inL, float* inR, float* outL, float* outR, std::size_t n) noexcept
    {
        for (const auto& r : rings)
            n = std::min(n, r.readable());
        rings[0].pop(inL, n);
        rings[1].pop(inR, n);
        rings[2].pop(outL, n);
        rings[3].pop(outR, n);
        return n;
    }

    rt::SpscRing<float> rings[4];
    std::atomic<bool> attached{false};
};

} // namespace mixwright::dpf
