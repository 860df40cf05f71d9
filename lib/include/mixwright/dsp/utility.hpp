// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright Utility: stereo trim, polarity, L/R swap, alignment delay, DC blocker,
// M/S width, mono-bass, balance/pan with selectable law, output gain, bypass and
// output meters (peak per channel, correlation). Zero latency.
//
// Parameters: see mixwright/params/utility.hpp (units, ranges, smoothing times).
// Signal order: trim*polarity -> swap -> delay -> DC blocker -> width (M/S, M=(L+R)/2,
// S=(L-R)/2, S scaled by width) -> mono-bass -> pan -> output gain -> bypass -> meters.
// Mono-bass: a 4th-order Linkwitz-Riley crossover (two Butterworth SVF sections per
// branch; S. Linkwitz, "Active crossover networks for non-coincident drivers", JAES
// 1976); the low branch of the mid signal replaces both channels' lows, the highs
// stay per channel, so LP4+HP4 is an all-pass: flat magnitude, stereo highs untouched.
// Pan laws at pan position p in [-1, 1], x = (p+1)/2, theta = x*pi/2:
//   balance         gL = min(1, 1-p), gR = min(1, 1+p)       (centre 0 dB)
//   constant power  gL = cos(theta), gR = sin(theta)          (centre -3.01 dB)
//   compromise      gL = sqrt((1-x) cos(theta)), gR = sqrt(x sin(theta)) (-4.52 dB)
//   linear          gL = 1-x, gR = x                          (centre -6.02 dB)
// Meters: peak with instant attack and a 300 ms exponential fall; correlation
// E[LR]/sqrt(E[L^2]E[R^2]) averaged over 300 ms (0 when silent).
// Tested by tests/test_utility.cpp against these formulas.

#pragma once

#include "mixwright/dsp/bypass.hpp"
#include "mixwright/dsp/delay_line.hpp"
#include "mixwright/dsp/smoother.hpp"
#include "mixwright/dsp/svf.hpp"
#include "mixwright/params/utility.hpp"

#include <array>
#include <atomic>
#include <cstdint>

namespace mixwright::dsp {

struct PanGains {
    float l, r;
};
PanGains panGains(int law, float pan) noexcept;

class Utility {
public:
    using P = params::utility::Index;
    static constexpr const auto& kTable = params::utility::kTable;

    Utility();

    /// Allocates buffers for the sample rate; resets state. Not real-time.
    void prepare(double sampleRate, std::uint32_t maxBlock);
    void reset() noexcept REALTIME;

    /// Sets a parameter by table index; clamps (NaN becomes the default). Real-time safe.
    /// Ramped once audio has run since reset(); before that it applies at once.
    void setParameter(int index, float value) noexcept REALTIME;
    float parameter(int index) const noexcept { return values_[static_cast<std::size_t>(index)]; }

    /// In-place allowed (in == out).
    void process(const float* inL, const float* inR, float* outL, float* outR, std::uint32_t frames) noexcept REALTIME;

    /// Meter outputs (peak in dBFS, correlation -1..1); any thread.
    float outputValue(int index) const noexcept;

    std::uint32_t latency() const noexcept { return 0; }

private:
    void updateTargets() noexcept REALTIME;
    void snapToTargets() noexcept REALTIME;
    template <bool Steady>
    void processBlock(const float* inL, const float* inR, float* outL, float* outR, std::uint32_t frames) noexcept REALTIME;
    void updateMeters(const float* outL, const float* outR, std::uint32_t frames) noexcept REALTIME;
    std::uint32_t delaySamples(float v) const noexcept;

    double rate_ = 48000.0;
    std::array<float, params::utility::kCount> values_{};
    LinearSmoother gainL_, gainR_, swap_, width_, monoMix_, panL_, panR_, out_, dcMix_;
    LinearSmoother xoverFreq_;
    std::array<FadingDelay, 2> delay_;
    std::array<DcBlocker, 2> dc_;
    Svf lowA_, lowB_;                 // LR4 low-pass on the mid signal
    std::array<Svf, 2> highA_, highB_; // LR4 high-pass per channel
    SvfCoefs xover_;
    float xoverCurrent_ = 0.f;
    bool xoverRunning_ = false;
    bool started_ = false; // audio processed since the last reset
    BypassCrossfade<2> bypass_;
    float peakDecay_ = 0.f, corrCoef_ = 0.f;
    float peakL_ = 0.f, peakR_ = 0.f;
    std::uint32_t meterFrames_ = 0; // block length the two coefficients below are for
    float meterPeakDecay_ = 1.f;
    double meterCorrCoef_ = 1.0;
    double sLR_ = 0.0, sLL_ = 0.0, sRR_ = 0.0;
    std::atomic<float> peakOutL_{0.f}, peakOutR_{0.f}, corrOut_{0.f};
};

} // namespace mixwright::dsp
