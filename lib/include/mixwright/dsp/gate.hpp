// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright Gate: stereo gate, downward expander and ducker with hysteresis, hold,
// external key, key filters and lookahead.
//
// Parameters: see mixwright/params/gate.hpp. Key level: the largest of the two key
// channels' peak levels over a window of W samples (dBFS); both channels get the same
// gain (the stereo image never shifts).
// State (gate and ducker): the gate opens on the first sample whose level is >= the
// threshold T, and closes when the level has been below T - hysteresis for `hold`
// samples: with the level first below T - H at sample n0, samples n0 .. n0+hold-1
// stay open and n0+hold is the first closed one (hold exact to the sample). A level
// between the two thresholds keeps the state and re-arms the hold.
// Target gain: gate open 0 dB, closed `range` dB; ducker open `range`, closed 0 dB;
// expander (no hysteresis): 0 dB at or above T (and during hold), below it
// max(range, (level - T)(ratio - 1)) dB, the downward expander's static curve.
// The applied gain (dB) follows the target with a one-pole, a = exp(-1/(tau fs)),
// tau = attack toward the open state's gain, release toward the closed state's
// (63.2 % of the dB step after tau, the definition in dynamics.hpp).
// Lookahead: the audio is delayed L samples (the reported latency); the key is not.
// Outputs: gate state (1 open), gain reduction dB (largest of the block), key level.
// Tested by tests/test_dynamics.cpp (thresholds, hold, range, latency, key).

#pragma once

#include "mixwright/dsp/delay_line.hpp"
#include "mixwright/dsp/dynamics.hpp"
#include "mixwright/dsp/smoother.hpp"
#include "mixwright/params/gate.hpp"

#include <array>
#include <atomic>
#include <cstdint>

namespace mixwright::dsp {

class Gate {
public:
    using P = params::gate::Index;
    static constexpr const auto& kTable = params::gate::kTable;

    Gate();

    void prepare(double sampleRate, std::uint32_t maxBlock);
    void reset() noexcept REALTIME;
    void setParameter(int index, float value) noexcept REALTIME;
    float parameter(int index) const noexcept { return values_[static_cast<std::size_t>(index)]; }

    /// keyL/keyR may be nullptr (silent key). In-place allowed.
    void process(const float* inL, const float* inR, const float* keyL, const float* keyR, float* outL, float* outR,
                 std::uint32_t frames) noexcept REALTIME;

    float outputValue(int index) const noexcept;
    std::uint32_t latency() const noexcept { return lookahead_; }
    std::uint32_t holdSamples() const noexcept { return hold_; }
    std::uint32_t windowSamples() const noexcept { return window_; }

private:
    void updateTargets() noexcept REALTIME;
    std::uint32_t samples(float ms) const noexcept;

    double rate_ = 48000.0;
    std::array<float, params::gate::kCount> values_{};
    float open_ = 0.f, close_ = 0.f, range_ = 0.f, expand_ = 1.f;
    float attackCoef_ = 0.f, releaseCoef_ = 0.f;
    int mode_ = 0;
    std::uint32_t hold_ = 0, window_ = 1, lookahead_ = 0, maxLookahead_ = 0;
    bool external_ = false, listen_ = false;

    std::array<SidechainFilter, 2> filter_;
    std::array<LevelDetector, 2> detector_;
    std::array<DelayLine, 2> delay_;
    LinearSmoother bypass_;
    bool isOpen_ = false;
    std::uint32_t holdLeft_ = 0;
    float gainDb_ = 0.f;
    bool started_ = false;
    std::atomic<float> stateOut_{0.f}, grOut_{0.f}, levelOut_{kLevelFloorDb};
};

} // namespace mixwright::dsp
