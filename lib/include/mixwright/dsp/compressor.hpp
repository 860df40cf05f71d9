// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright Compressor: feed-forward, log-domain stereo compressor after Giannoulis,
// Massberg and Reiss (JAES 2012; pieces and formulas in dynamics.hpp).
//
// Parameters: see mixwright/params/compressor.hpp. Threshold T dB, ratio R (100 =
// limiting, slope 0), knee W dB, attack/release tau ms (63.2 % definition, see
// dynamics.hpp), program-dependent release, makeup dB and automatic makeup (the
// paper's M = -(y_G(0 dBFS) - 0): what the static curve takes off a full-scale
// level), peak or RMS detector (window ms), stereo link 0-100 %, L/R or M/S, internal
// or external key, key high-pass and emphasis band, key listen, lookahead 0-10 ms,
// dry/wet mix, bypass; outputs: gain reduction dB (largest of the block), detector
// level dBFS.
//
// Signal flow per sample: key (input or sc_l/sc_r) -> M/S (if chosen) -> key filter
// -> detector level per channel (dBFS) -> link: l_c + link (max(l_L, l_R) - l_c) ->
// wanted reduction x_L = l - y_G(l) >= 0 -> smoothing -> gain 10^((makeup - y_L)/20)
// on the input delayed by the lookahead (L samples, the reported latency).
// Smoothing: without lookahead, the smooth branching detector (attack, release);
// with lookahead, LookaheadShaper (hold L+1, linear attack ramp of `attack`) then a
// release-only one-pole. Program-dependent release: a slow stage charges from the
// wanted reduction with a 300 ms time constant and releases 5x slower than `release`; the
// larger of the two stages applies, so short peaks recover at the set release and
// sustained reduction recovers slowly.
// Mix: out = dry_L + mix (wet - dry_L) with the dry path delayed by the same L
// samples (no comb filtering in parallel compression); mix 0 is bit-exact dry_L.
// Tested by tests/test_dynamics.cpp.

#pragma once

#include "mixwright/dsp/delay_line.hpp"
#include "mixwright/dsp/dynamics.hpp"
#include "mixwright/dsp/smoother.hpp"
#include "mixwright/params/compressor.hpp"

#include <array>
#include <atomic>
#include <cstdint>

namespace mixwright::dsp {

class Compressor {
public:
    using P = params::compressor::Index;
    static constexpr const auto& kTable = params::compressor::kTable;

    Compressor();

    /// Allocates for the sample rate; resets state. Not real-time.
    void prepare(double sampleRate, std::uint32_t maxBlock);
    void reset() noexcept REALTIME;

    /// By table index; clamps (NaN becomes the default). Before the first audio after
    /// reset() it applies at once, later smoothed parameters ramp.
    void setParameter(int index, float value) noexcept REALTIME;
    float parameter(int index) const noexcept { return values_[static_cast<std::size_t>(index)]; }

    /// scL/scR may be nullptr (silent key). In-place allowed (in == out).
    void process(const float* inL, const float* inR, const float* scL, const float* scR, float* outL, float* outR,
                 std::uint32_t frames) noexcept REALTIME;

    /// Output parameters (gain reduction, detector level); any thread.
    float outputValue(int index) const noexcept;

    /// Lookahead in samples: the latency to report.
    std::uint32_t latency() const noexcept { return lookahead_; }

    /// The static curve for the current settings: output level (dB) for input level (dB).
    float staticCurve(float inputDb) const noexcept { return staticCurveDb(inputDb, threshold_, slope_, knee_); }

private:
    static constexpr std::uint32_t kChunk = 64;
    struct Scratch {
        std::array<float, kChunk> dl, dr, kl, kr, pl, pr, lv, w0, w1, r0, r1, dm, sl, mk, mx, bp;
    };

    void processChunk(const float* inL, const float* inR, const float* scL, const float* scR, float* outL,
                      float* outR, std::uint32_t n, bool fullLink, float& grMax, float& levelMax) noexcept REALTIME;
    void updateTargets() noexcept REALTIME;
    std::uint32_t samples(float ms) const noexcept;

    double rate_ = 48000.0;
    std::array<float, params::compressor::kCount> values_{};
    // Derived settings
    float threshold_ = 0.f, slope_ = 1.f, knee_ = 0.f, link_ = 1.f;
    float relCoef_ = 0.f, slowAttack_ = 0.f, slowRelease_ = 0.f;
    std::uint32_t lookahead_ = 0, maxLookahead_ = 0;
    bool midSide_ = false, external_ = false, autoRelease_ = false, listen_ = false;

    std::array<SidechainFilter, 2> filter_;
    std::array<LevelDetector, 2> detector_;
    std::array<BranchingSmoother, 2> smooth_, slow_;
    std::array<LookaheadShaper, 2> shaper_;
    std::array<float, 2> release_{};
    std::array<DelayLine, 2> delay_;
    LinearSmoother makeup_, mix_, bypass_;
    bool started_ = false;
    bool linkedState_ = false; // only channel 0's smoothing state is current
    Scratch scratch_{};
    std::atomic<float> grOut_{0.f}, levelOut_{kLevelFloorDb};
};

} // namespace mixwright::dsp
