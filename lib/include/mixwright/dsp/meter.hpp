// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright Meter: a stereo pass-through loudness and peak analyser. Wraps
// LoudnessMeter (BS.1770-4 / EBU R128, see loudness.hpp) and adds stereo correlation,
// PLR, PSR, delivery-target pass/fail, transport-following integration and reset.
//
// Parameters: see mixwright/params/meter.hpp.
//   target     index into data/delivery-targets.json (generated delivery_targets.hpp)
//   transport  0 free running: always integrates; 1 follow host transport: integrates
//              while the host rolls, pauses while it is stopped. A host that has never
//              reported a rolling transport (none, or not started yet) counts as rolling,
//              so the meter works in hosts without transport.
//   reset      rising edge clears integrated, LRA, peak and maximum readings
//   bypass     audio passes unchanged either way; bypassed, measurement holds
// Outputs (published through atomics, readable from any thread, clamped to their
// declared ranges, never NaN): momentary, short-term, integrated (LUFS), LRA (LU),
// true-peak max (dBTP), sample-peak max (dBFS), PLR = true-peak max - integrated,
// PSR = max true peak of the last 3 s - short-term (both 0 while the loudness reads
// the floor), correlation E[LR]/sqrt(E[L^2]E[R^2]) over the last 400 ms (0 when
// silent), loudness_ok = |integrated - target| <= tolerance (data file,
// 1 LU), true_peak_ok = true-peak max <= the target's ceiling.
// Tested by tests/test_meter.cpp (formulas above, transport, reset) and, through the
// built bundle, by the generic lv2/bad-input/allocation/RTSan suites.

#pragma once

#include "mixwright/dsp/loudness.hpp"
#include "mixwright/params/meter.hpp"

#include <array>
#include <atomic>
#include <cstdint>

namespace mixwright::dsp {

class Meter {
public:
    using P = params::meter::Index;
    static constexpr const auto& kTable = params::meter::kTable;

    Meter();

    /// Allocates; resets. Not real-time.
    void prepare(double sampleRate, std::uint32_t maxBlock);
    void reset() noexcept REALTIME;

    void setParameter(int index, float value) noexcept REALTIME;
    float parameter(int index) const noexcept { return values_[static_cast<std::size_t>(index)]; }

    /// Host transport state for the next process() call (DPF's TimePosition::playing).
    void setTransportRolling(bool rolling) noexcept REALTIME;

    /// In-place allowed. Output = input (a meter never alters audio).
    void process(const float* inL, const float* inR, float* outL, float* outR, std::uint32_t frames) noexcept REALTIME;

    /// Any thread.
    float outputValue(int index) const noexcept;

    const LoudnessMeter& loudness() const noexcept { return meter_; }
    std::uint32_t latency() const noexcept { return 0; }

private:
    void publish() noexcept REALTIME;

    std::array<float, params::meter::kCount> values_{};
    std::array<std::atomic<float>, params::meter::kCount> out_{};
    LoudnessMeter meter_;
    std::uint64_t published_ = ~std::uint64_t{0}; // sub-block count at the last publish()
    bool rolling_ = false, seenRolling_ = false, resetHigh_ = false;
};

} // namespace mixwright::dsp
