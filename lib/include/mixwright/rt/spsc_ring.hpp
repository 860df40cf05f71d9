// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Lock-free single-producer single-consumer ring of trivially copyable items.
// Storage is allocated once (constructor or prepare()); push/pop never allocate or
// block and are safe on the audio thread. Capacity is rounded up to a power of two.
// Tested by tests/test_rt.cpp (order, wrap-around, full/empty, two threads).

#pragma once

#include "mixwright/rt/realtime.hpp"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <memory>
#include <type_traits>

namespace mixwright::rt {

template <typename T>
class SpscRing {
    static_assert(std::is_trivially_copyable_v<T>, "SpscRing items are copied with memcpy");

public:
    SpscRing() = default;
    explicit SpscRing(std::size_t minCapacity) { prepare(minCapacity); }

    /// Allocates; not real-time. Not safe while another thread uses the ring.
    void prepare(std::size_t minCapacity)
    {
        std::size_t cap = 2;
        while (cap < minCapacity + 1)
            cap <<= 1;
        buf_ = std::make_unique<T[]>(cap);
        mask_ = cap - 1;
        head_.store(0, std::memory_order_relaxed);
        tail_.store(0, std::memory_order_relaxed);
    }

    std::size_t capacity() const noexcept { return mask_; }

    /// Items ready to read (consumer side).
    std::size_t readable() const noexcept REALTIME
    {
        return (head_.load(std::memory_order_acquire) - tail_.load(std::memory_order_relaxed)) & mask_;
    }
    /// Free slots (producer side).
    std::size_t writable() const noexcept REALTIME
    {
        return mask_ - ((head_.load(std::memory_order_relaxed) - tail_.load(std::memory_order_acquire)) & mask_);
    }

    /// Writes all n items or none; returns false when there is no room.
    bool push(const T* items, std::size_t n) noexcept REALTIME
    {
        if (n > writable())
            return false;
        const std::size_t h = head_.load(std::memory_order_relaxed);
        const std::size_t first = std::min(n, mask_ + 1 - (h & mask_));
        std::memcpy(&buf_[h & mask_], items, first * sizeof(T));
        std::memcpy(&buf_[0], items + first, (n - first) * sizeof(T));
        head_.store((h + n) & mask_, std::memory_order_release);
        return true;
    }
    bool push(const T& item) noexcept REALTIME { return push(&item, 1); }

    /// Reads up to n items; returns how many were read.
    std::size_t pop(T* items, std::size_t n) noexcept REALTIME
    {
        n = std::min(n, readable());
        const std::size_t t = tail_.load(std::memory_order_relaxed);
        const std::size_t first = std::min(n, mask_ + 1 - (t & mask_));
        std::memcpy(items, &buf_[t & mask_], first * sizeof(T));
        std::memcpy(items + first, &buf_[0], (n - first) * sizeof(T));
        tail_.store((t + n) & mask_, std::memory_order_release);
        return n;
    }
    bool pop(T& item) noexcept REALTIME { return pop(&item, 1) == 1; }

private:
    std::unique_ptr<T[]> buf_;
    std::size_t mask_ = 0;
    alignas(64) std::atomic<std::size_t> head_{0};
    alignas(64) std::atomic<std::size_t> tail_{0};
};

} // namespace mixwright::rt
