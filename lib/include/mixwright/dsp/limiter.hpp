// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright Limiter: stereo lookahead peak limiter with true-peak detection, auto
// release, stereo link, dither and bypass. Parameters and units: see
// mixwright/params/limiter.hpp.
//
// Signal path per sample: input gain (ramped) -> detector -> required gain r ->
// running minimum over W+1 samples (W = lookahead in samples) -> release -> moving
// average over W samples -> gain applied to the input delayed by the latency ->
// dither/quantiser -> bypass crossfade (dry path delayed by the same latency).
//
// The ceiling guarantee (why the gain never lets a detected peak through): with
// m[s] = min r[s-W..s] and e[s] <= m[s] (release only ever rises towards m, attack
// is instant), the gain applied to sample s-W is g = (1/W) sum_{i=0..W-1} e[s-i];
// every term's window [s-i-W, s-i] contains s-W, so every term is <= r[s-W] and so
// is g. The running minimum uses the van Herk / Gil-Werman scheme (M. van Herk,
// Pattern Recognition Letters 13, 1992): blocks of W+1 samples, the window's minimum
// is min(suffix minimum of the previous block, prefix minimum of the current one),
// branch-free, three comparisons per sample. This is the running-minimum plus
// moving-average construction of lookahead
// limiters (as in x42 dpl and D. Sanfilippo's Faust lookahead limiter); the moving
// average makes the attack a smooth ramp spread over the whole lookahead. The sum
// runs in 32.32 fixed point (exact, no drift), and g is finally clamped to r[s-W] so
// float rounding can never break the bound.
//
// Detection: sample peak |x|, or true peak (BS.1770-4 Annex 2) from a 4x or 8x
// polyphase interpolator (true_peak.hpp). A sample's peak p[s] is the largest
// interpolated value on both intervals adjacent to it, so the gain of both samples
// around an inter-sample peak covers it. Two margins make the estimate an upper bound:
//  - grid: a signal band-limited to B = fs/2 with peak M at t0 has y'(t0) = 0 and
//    |y''| <= (2 pi B)^2 M (Bernstein's inequality), so the nearest of points spaced
//    T = 1/(L fs) reads at least M (1 - (pi/(2L))^2 / 2): p is multiplied by the
//    inverse, +0.70 dB at 4x, +0.17 dB at 8x;
//  - interpolator error: a further kExtraMarginDb (0.1 dB);
//  - gain modulation: the output is g[n] x[n], and a gain that moves fast changes the
//    interpolated waveform between samples (the kernel mixes neighbours that got
//    different gains). The error grows with the gain's slope, at most 1/W per sample
//    in the attack (the moving average) and c per sample in the release, so the
//    margin is kModulationDb * max(1/W, c_fastest) dB (c_fastest = 4c in auto mode).
//    kModulationDb = 16 is empirical: the worst overshoot measured without it on
//    random material at the fastest settings was 11/W dB; tests/test_limiter.cpp
//    checks the extremes (lookahead 0.5 ms, release 1-5 ms, auto) at 44.1-192 kHz.
//    At the defaults (1.5 ms at 48 kHz, W = 72, release 50 ms auto) it is 0.22 dB.
// With dither on, the ceiling is lowered by twice the dither noise's sample-peak
// bound (1.5 LSB times the l1 norm of the noise-shaping filter). Sample-peak mode uses
// neither margin and guarantees sample peaks only. tests/test_limiter.cpp measures the
// output with a 16x windowed-sinc reference on the hard signals at 44.1-192 kHz.
//
// Release: the envelope rises towards m by the fraction c = 1/(T fs) of the remaining
// distance per sample (time constant T). Auto release (program dependent): T = release
// * (0.25 + 3.75 w), w = min(1, 2 a), where a is a 1 s one-pole average of the linear
// gain reduction 1 - e (a and T are updated every kAutoStep = 32 samples): a transient (little average reduction) recovers 4x faster
// than the release setting, sustained limiting (a >= 0.5, 6 dB) 4x slower, so dense
// material does not pump (cf. Giannoulis, Massberg, Reiss, "Digital dynamic range
// compressor design - a tutorial and analysis", JAES 60(6), 2012, on program-dependent
// release).
//
// Stereo link l in [0, 1]: r_c <- r_c + l (min(r_L, r_R) - r_c), never above r_c.
//
// Dither to B bits (LSB q = 2^(1-B)): TPDF d = (u1 - u2) q (2 LSB peak to peak), the
// total error (quantisation q^2/12 plus dither q^2/6) is white with power q^2/4.
// Noise shaping by error feedback: noise transfer H(z) = 1 - sum c_k z^-k with the
// 9-tap E-weighted filter of Lipshitz, Vanderkooy and Wannamaker ("Minimally audible
// noise shaping", JAES 39(11), 1991) up to 50 kHz, and H(z) = (1 - z^-1)^2 above
// (where the shaped noise stays above 20 kHz anyway). The random generator (xorshift32,
// one per channel) advances once per sample, so the output is bit-exact whatever the
// host's block size.
//
// Latency = W + kFirDelay + 1 samples, whatever the detection mode. A lookahead change
// clears the limiter's state (the latency changes, so the host must realign anyway).
// Tested by tests/test_limiter.cpp.

#pragma once

#include "mixwright/dsp/delay_line.hpp"
#include "mixwright/dsp/smoother.hpp"
#include "mixwright/dsp/true_peak.hpp"
#include "mixwright/params/limiter.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <cstdint>
#include <vector>

namespace mixwright::dsp {

/// Delay line that moves whole blocks (two memcpy per side instead of a masked
/// access per sample). Holds maxDelay + maxBlock samples; in == out allowed.
class BlockDelay {
public:
    void prepare(std::uint32_t maxDelay, std::uint32_t maxBlock)
    {
        std::uint32_t size = 1;
        while (size < maxDelay + maxBlock + 1)
            size <<= 1;
        buf_.assign(size, 0.f);
        mask_ = size - 1;
        w_ = 0;
    }
    void reset() noexcept REALTIME
    {
        std::fill(buf_.begin(), buf_.end(), 0.f);
        w_ = 0;
    }
    /// out[i] = the input `delay` samples before in[i] (n <= maxBlock, delay <= maxDelay).
    void process(const float* in, float* out, std::uint32_t n, std::uint32_t delay) noexcept REALTIME
    {
        copyIn(in, n);
        copyOut(out, n, (w_ - delay) & mask_);
        w_ = (w_ + n) & mask_;
    }

private:
    void copyIn(const float* in, std::uint32_t n) noexcept
    {
        const std::uint32_t first = std::min(n, mask_ + 1 - w_);
        std::memcpy(&buf_[w_], in, first * sizeof(float));
        std::memcpy(&buf_[0], in + first, (n - first) * sizeof(float));
    }
    void copyOut(float* out, std::uint32_t n, std::uint32_t r) const noexcept
    {
        const std::uint32_t first = std::min(n, mask_ + 1 - r);
        std::memcpy(out, &buf_[r], first * sizeof(float));
        std::memcpy(out + first, &buf_[0], (n - first) * sizeof(float));
    }
    std::vector<float> buf_{0.f};
    std::uint32_t mask_ = 0, w_ = 0;
};

class Limiter {
public:
    using P = params::limiter::Index;
    static constexpr const auto& kTable = params::limiter::kTable;
    static constexpr std::uint32_t kTaps = PolyphaseBank<4>::kTaps;
    static constexpr std::uint32_t kFirDelay = PolyphaseBank<4>::kDelay;
    static constexpr std::uint32_t kChunk = 256;
    static constexpr std::uint32_t kAutoStep = 32; // samples between auto-release updates
    static constexpr float kExtraMarginDb = 0.1f;
    static constexpr double kModulationDb = 16.0; // dB per unit of gain slope (1/samples)

    Limiter();

    /// Allocates for the sample rate (buffers sized for the longest lookahead). Not real-time.
    void prepare(double sampleRate, std::uint32_t maxBlock);
    void reset() noexcept REALTIME;

    void setParameter(int index, float value) noexcept REALTIME;
    float parameter(int index) const noexcept { return values_[static_cast<std::size_t>(index)]; }
    float outputValue(int index) const noexcept;

    /// In-place allowed.
    void process(const float* inL, const float* inR, float* outL, float* outR, std::uint32_t frames) noexcept REALTIME;

    /// Latency in samples for the current lookahead (changes only when it changes).
    std::uint32_t latency() const noexcept { return lookahead_ + kFirDelay + 1; }
    static std::uint32_t lookaheadSamples(double sampleRate, float ms) noexcept;
    /// Linear factor the detector's peak is multiplied by (grid and extra margins).
    static double detectorMargin(int detection) noexcept;
    /// Linear factor for the gain's own modulation (true-peak modes), see above.
    static double modulationMargin(int detection, std::uint32_t lookahead, double fastestReleaseCoef) noexcept;
    /// The dither noise's sample-peak bound for the current settings (linear).
    float ditherPeak() const noexcept;
    /// Lowest gain applied since the last call (1 = no reduction); for tests.
    float takeMinGain() noexcept;

private:
    struct Channel {
        std::vector<float> hist;       // kTaps-1 history + kChunk block of gained input
        std::vector<float> peak;       // detector output per block sample
        std::vector<float> ring;       // r over the last W+1 samples
        std::vector<float> suffix;         // suffix minima of the previous W+1 block (+ a 1 at the end)
        std::vector<float> gain;           // gain per block sample
        std::vector<std::int64_t> box; // envelope in 32.32 fixed point, W entries
        BlockDelay audio, dry;
        float prefix = 1.f;                // prefix minimum of the current block
        std::int64_t boxSum = 0;
        float prevInterval = 0.f;
        double env = 1.0, avgReduction = 0.0; // double: long recursions stay on their definition
        double releaseCoef = 0.0;
        std::uint32_t rng = 1;
        std::array<float, 9> err{};
        float peakIn = 0.f, peakOut = 0.f;
    };

    void configure() noexcept REALTIME; // lookahead-dependent state
    void updateTargets() noexcept REALTIME;
    void processChunk(const float* inL, const float* inR, float* outL, float* outR, std::uint32_t n) noexcept REALTIME;
    float dither(Channel& ch, float y) noexcept REALTIME;

    double rate_ = 48000.0;
    std::array<float, params::limiter::kCount> values_{};
    std::array<Channel, 2> ch_;
    std::vector<float> acc_, gain_, scratchA_, scratchB_;
    LinearSmoother inGain_, ceiling_, link_, bypass_;
    PolyphaseBank<4> bank4_;
    PolyphaseBank<8> bank8_;
    std::uint32_t lookahead_ = 1, ringSize_ = 2;
    std::uint32_t pos_ = 0;   // sample counter modulo ringSize_ (ring write position)
    std::uint32_t sampleIndex_ = 0;
    std::uint32_t boxPos_ = 0;
    float peakDecay_ = 0.f;
    float margin_ = 1.f, ditherPeak_ = 0.f;
    double releaseCoef_ = 0.0, avgCoef_ = 0.0;
    float q_ = 0.f, invQ_ = 0.f;
    int detection_ = 1, ditherMode_ = 0;
    bool autoRelease_ = true, started_ = false, pendingConfigure_ = false;
    bool simd_ = false; // AVX2/FMA detector kernel
    std::array<float, 9> shaper_{};
    std::uint32_t shaperTaps_ = 0;
    float minGain_ = 1.f;
    std::atomic<float> grOut_{0.f}, inOut_{0.f}, outOut_{0.f}, minGainOut_{1.f};
};

} // namespace mixwright::dsp
