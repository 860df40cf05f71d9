// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Audio for a UI's scopes: N lock-free SPSC rings, one per channel. The audio thread
// only copies each block into them (memcpy, no per-sample work, no allocation or
// lock), and only while a UI is attached; when the UI falls behind, whole blocks are
// dropped so the rings stay aligned. The UI (reached through DPF's direct access) pops
// on its own thread. The same scheme as the EQ's SpectrumTap, for any channel count.

#pragma once

#include "mixwright/rt/spsc_ring.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>

namespace mixwright::dpf {

template <std::size_t N>
struct AudioTap {
    static constexpr std::size_t kCapacity = 1 << 15;

    AudioTap()
    {
        for (auto& r : rings)
            r.prepare(kCapacity);
    }

    /// Audio thread: copies one block of every channel; never blocks or allocates.
    void push(const std::array<const float*, N>& channels, std::uint32_t n) noexcept REALTIME
    {
        if (!attached.load(std::memory_order_acquire))
            return;
        for (const auto& r : rings)
            if (r.writable() < n)
                return;
        for (std::size_t c = 0; c < N; ++c)
            rings[c].push(channels[c], n);
    }

    /// UI thread: pops up to n frames of every channel; returns the frame count.
    std::size_t pop(const std::array<float*, N>& channels, std::size_t n) noexcept
    {
        for (const auto& r : rings)
            n = std::min(n, r.readable());
        for (std::size_t c = 0; c < N; ++c)
            rings[c].pop(channels[c], n);
        return n;
    }

    std::array<rt::SpscRing<float>, N> rings;
    std::atomic<bool> attached{false};
};

} // namespace mixwright::dpf
