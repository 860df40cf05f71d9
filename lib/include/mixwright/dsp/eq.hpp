// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright EQ: 8 parametric bands plus Butterworth high-pass and low-pass, per-band
// channel target (stereo, left, right, mid, side), dynamic bands, output gain, bypass.
// Zero latency. Parameters: mixwright/params/eq.hpp (units, ranges, smoothing times).
//
// Signal order: input (non-finite -> 0) -> high-pass -> low-pass -> bands 1..8 ->
// output gain -> bypass crossfade. Filters: mixwright/dsp/matched_biquad.hpp
// (Vicanek's matched second-order design). M/S uses M = (L+R)/2, S = (L-R)/2, and a mid
// band returns L = M'+S, R = M'-S, so the side signal passes untouched (and vice versa).
//
// Smoothing: frequency (in log), gain (dB) and Q (log) ramp linearly per sample over
// the table's smoothing time, and the band's coefficients are redesigned every sample
// while any of them moves, so the response glides without zipper noise. Switches that
// change the filter structure (enable, type, target, HP/LP slope) fade the band out
// (10 ms, raised cosine), change it with cleared state, and fade it back in. Everything advances per
// sample from the same state, so output does not depend on the host's block length.
// When nothing ramps, fades or is dynamic for a whole block, each filter runs over the
// block in its own loop (the same arithmetic per sample, so the output is bit-identical
// to the per-sample path; the compiler keeps each recursion in registers).
//
// Dynamic bands (bell, shelves, tilt): the detector is the band's own input (or the
// external sidechain) through a band-pass at f0/Q (low-pass for a low shelf, high-pass
// for a high shelf), squared and averaged by a one-pole of max(2 ms, 1.5/f0); level = 10 log10(2 P)
// dBFS, so a sine reads its peak level. Static curve (hard knee):
//   over = level - threshold; request = over > 0 ? over (1 - 1/ratio) : 0
//   range < 0: offset = max(range, -request)   (compressor: cut above threshold)
//   range > 0: offset = min(range, +request)   (upward: boost above threshold)
// The gain computer runs every 16th sample of the running sample count (the detector
// every sample), and the band is redesigned when the dynamic gain has moved by more than
// 0.01 dB; the offset (dB) is smoothed by one-poles with the attack time (moving away from 0 dB)
// or release time (moving back), time constants to 1 - 1/e (D. Giannoulis, M.
// Massberg, J. Reiss, "Digital Dynamic Range Compressor Design - A Tutorial and
// Analysis", JAES 2012: log-domain smoothing after the gain computer). The band's
// gain is then gain + offset. Outputs b<n>_dyn_gain report the offset in dB.
// Tested by tests/test_eq.cpp.

#pragma once

#include "mixwright/dsp/bypass.hpp"
#include "mixwright/dsp/matched_biquad.hpp"
#include "mixwright/dsp/smoother.hpp"
#include "mixwright/params/eq.hpp"

#include <array>
#include <atomic>
#include <cstdint>

namespace mixwright::dsp {

class Eq {
public:
    using P = params::eq::Index;
    static constexpr const auto& kTable = params::eq::kTable;
    static constexpr int kBands = params::eq::kBands;

    Eq();

    /// Not real-time (may allocate in the future); resets state.
    void prepare(double sampleRate, std::uint32_t maxBlock);
    void reset() noexcept REALTIME;

    /// Clamps (NaN becomes the default). Before the first audio after reset() it applies
    /// at once; afterwards it ramps.
    void setParameter(int index, float value) noexcept REALTIME;
    float parameter(int index) const noexcept { return values_[static_cast<std::size_t>(index)]; }

    /// scL/scR may be nullptr (no sidechain: silence). In-place allowed.
    void process(const float* inL, const float* inR, const float* scL, const float* scR, float* outL, float* outR,
                 std::uint32_t frames) noexcept REALTIME;

    /// Output parameters (dynamic gain per band); any thread.
    float outputValue(int index) const noexcept;

    std::uint32_t latency() const noexcept { return 0; }
    double sampleRate() const noexcept { return rate_; }

private:
    struct Band {
        LinearSmoother logFreq, gainDb, logQ, mix, dynMix;
        int type = 0, target = 0;       // active structure
        bool on = false;                // active enable
        double f = 0, g = 0, q = 0;     // design inputs of `coefs`
        float lf = 0.f, lq = 0.f, gs = 0.f; // the smoothers' values they came from
        double gd = 0.0;                // dynamic part of g
        BiquadCoefs coefs, detCoefs;
        // The magnitude fit (see MagnitudeFit): coefs = matched design (base) + delta[0..4],
        // coefs2 = identity + delta[5..9] (the second section, run while `two`); delta =
        // the fit's best minus (the matched design of the fit's target, identity), moved
        // to its new value linearly over one fit period so coefficients never jump.
        MagnitudeFit fit;
        BiquadCoefs base, fitMatched, coefs2;
        std::array<double, 10> delta{}, deltaStep{}, deltaTarget{};
        std::uint32_t rampLeft = 0;
        bool fitting = false;     // the fit runs (one step per kFitStep samples)
        bool two = false;         // the second section runs
        int fitSteps = 0;         // steps taken for the current target
        double fitF = -1.0, fitG = 0.0, fitQ = 0.0;
        int fitType = -1;
        std::array<Biquad, 2> filt2;
        std::array<Biquad, 2> filt, det;
        double power = 0.0, dynDb = 0.0, rmsCoef = 1.0;
        float attackCoef = 0.f, releaseCoef = 0.f;
    };
    struct PassFilter {
        LinearSmoother logFreq, logRes, mix;
        int order = 2;
        bool on = false;
        double f = 0, res = 0;
        float lf = 0.f, lr = 0.f;
        std::array<BiquadCoefs, 4> coefs;
        std::array<std::array<Biquad, 4>, 2> filt;
        int sections = 0;
    };

    float v(int i) const noexcept { return values_[static_cast<std::size_t>(i)]; }
    float bv(int b, params::eq::BandField f) const noexcept { return v(params::eq::bandIndex(b, f)); }
    void updateTargets() noexcept REALTIME;
    void snapToTargets() noexcept REALTIME;
    void designBand(int b) noexcept REALTIME;
    void fitTick(int b) noexcept REALTIME;
    static void applyDelta(Band& k) noexcept REALTIME;
    static bool fitPending(const Band& k) noexcept;
    void designPass(PassFilter& p, bool highPass) noexcept REALTIME;
    void applyBandStructure(int b) noexcept REALTIME;
    void applyPassStructure(PassFilter& p, bool highPass) noexcept REALTIME;
    bool bandPending(int b) const noexcept;
    bool passPending(const PassFilter& p, bool highPass) const noexcept;
    void processBand(int b, double& l, double& r, double scl, double scr) noexcept REALTIME;
    void processPass(PassFilter& p, bool highPass, double& l, double& r) noexcept REALTIME;
    bool steady() const noexcept;
    void detect(int b, double dl, double dr) noexcept REALTIME;
    bool ext(int b) const noexcept;
    static void filterBand(Band& k, double& l, double& r, float m) noexcept REALTIME;
    void processSteady(const float* inL, const float* inR, const float* scL, const float* scR, float* outL, float* outR,
                       std::uint32_t frames) noexcept REALTIME;
    void publish() noexcept REALTIME;

    double rate_ = 48000.0;
    std::array<float, params::eq::kCount> values_{};
    std::array<Band, params::eq::kBands> bands_;
    PassFilter hp_, lp_;
    LinearSmoother out_;
    BypassCrossfade<2> bypass_;
    static constexpr std::uint32_t kChunk = 256;
    static constexpr std::uint64_t kDynStep = 16; // dynamic gain update period (samples, power of 2)
    static constexpr std::uint64_t kFitStep = 64; // magnitude-fit step period (samples, power of 2)
    static constexpr int kMaxFitSteps = 200;      // per target, as designAnalogMatched()
    std::uint64_t counter_ = 0;                    // samples since reset()
    std::array<double, kChunk> bufL_{}, bufR_{};
    bool started_ = false;
    std::array<std::atomic<float>, params::eq::kBands> dynOut_{};
};

} // namespace mixwright::dsp
