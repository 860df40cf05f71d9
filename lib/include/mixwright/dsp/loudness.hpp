// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Loudness and peak measurement per ITU-R BS.1770-4 and EBU R128 (EBU Tech 3341 v4
// for M/S/I, Tech 3342 v4 for LRA), for 1..kMaxChannels channels. Used by Mixwright
// Meter, mixwright-loudness and (issue 6) the console.
//
// K-weighting: the two BS.1770 biquads (high shelf +4 dB at 1682 Hz, high-pass at
// 38 Hz), re-derived for any sample rate from their analog prototypes by the bilinear
// transform with pre-warping, with the prototype constants published by libebur128
// (ebur128.c, ebur128_init_filter; derivation by B. De Man). At 48 kHz they equal
// BS.1770-4 Table 1/2 to 1e-8 (tests/test_meter.cpp checks).
//
// Timing: energies are summed in sub-blocks of round(rate / 100) samples (10 ms at
// every rate that is a multiple of 100 Hz). Momentary = last 40 sub-blocks (400 ms),
// short-term = last 300 (3 s), both re-evaluated at every sub-block boundary, so M has
// 10 ms resolution (EBU Tech 3341 cases 13/14). Gating blocks for the integrated
// loudness are the momentary windows taken every 10th sub-block (400 ms, 75 % overlap)
// and gated at -70 LUFS absolute and -10 LU relative. LRA (Tech 3342) takes the
// short-term loudness every 10th sub-block (10 Hz) once 3 s have been integrated,
// gates at -70 LUFS absolute and -20 LU relative, and returns the 95th minus the 10th
// percentile (nearest rank, as libebur128 indexes it). Both use histograms allocated
// in prepare() (unbounded duration, no allocation in process()): 0.01 LU bins from -70
// to +40 LUFS holding counts and energies for the integrated loudness (the gate's bin
// decided by its centre), 0.001 LU bins in a Fenwick tree for LRA (a value is read as
// its bin's centre: at most 0.0005 LU off).
//
// True peak: BS.1770-4 Annex 2, 4x oversampling by a 63-tap polyphase windowed-sinc
// interpolator (cut-off at the input Nyquist frequency, Kaiser window beta 7, each
// phase normalised to unity gain at DC; one of the four phases is the input sample
// itself), plus a parabolic refinement through the largest oversampled value and its
// two neighbours, which removes most of the 4x grid's under-reading near Nyquist
// (a pure 4x reads up to 0.69 dB low at fs/2). Sample peak = max |x|. The FIR and the
// refinement run in chunks of 64 samples, vectorised across outputs; on CPUs with
// AVX2/FMA (chosen at load) 16 outputs of the three phases at a time, and the
// refinement's division is skipped for any 8 candidates of which none can exceed the
// running peak (a refined value is at most min(1.25 b, b + |a - c| / 8)); the AVX2
// path reads within 2e-6 dB of the portable one. Either is bit-identical across host
// block sizes.
//
// Values are in LUFS / dBTP / dBFS; "no signal" and -inf read kFloor (-120), a true
// peak that overflows float reads 20 log10(FLT_MAX), so no reading is ever NaN or
// Inf. Non-finite input samples count as 0.
//
// Integration (integrated, LRA, maxima) can be paused (transport stopped) while M and
// S keep running; a gating block counts only if all of its 400 ms (3 s for LRA) were
// integrated. Tested by tests/test_meter.cpp against EBU Tech 3341 cases 1-6, 9-23,
// Tech 3342 cases 1-4, libebur128 and a 16x windowed-sinc true-peak reference.

#pragma once

#include "mixwright/rt/realtime.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace mixwright::dsp {

/// 4x polyphase true-peak detector for one channel (BS.1770-4 Annex 2).
class TruePeakDetector {
public:
    static constexpr int kFactor = 4;
    static constexpr int kTaps = 24;  // per phase
    /// The prototype filter (kFactor * kTaps - 1 taps); phase p of output n is
    /// sum_j h[kFactor * j + p] x[n - j].
    static const std::array<float, kFactor * kTaps>& prototype() noexcept;

    void reset() noexcept REALTIME;
    /// Interpolates; the largest absolute value (refined) accumulates until
    /// takePeak(). Peaks arrive kTaps / 2 - 1 input samples late (group delay).
    void process(const float* x, std::uint32_t n) noexcept REALTIME;
    /// The peak (linear) since the last call; clears it.
    float takePeak() noexcept REALTIME;
    /// Use the portable kernel even where AVX2/FMA is available (for the tests).
    void setPortable(bool on) noexcept { portable_ = on; }

private:
    std::array<float, kTaps - 1> hist_{}; // the last kTaps - 1 input samples, oldest first
    std::array<float, 2> last_{}; // last two oversampled |values| for the refinement
    float peak_ = 0.f;
    bool portable_ = false;
};

class LoudnessMeter {
public:
    static constexpr unsigned kMaxChannels = 8;
    static constexpr double kFloor = -120.0;

    LoudnessMeter();

    /// Allocates the histograms; sets per-channel weights to BS.1770's defaults for
    /// this channel count (1.0; 1.41 for channels 4 and 5 of a 5-channel L R C Ls Rs
    /// layout). Not real-time.
    void prepare(double sampleRate, unsigned channels);
    /// BS.1770 channel weight G_i (1.0 front, 1.41 surround, 0 for LFE).
    void setChannelWeight(unsigned channel, double weight) noexcept;

    /// Clears everything (filters, windows, integration). Real-time safe.
    void reset() noexcept REALTIME;
    /// Clears integrated loudness, LRA, peaks and maxima; M and S keep their windows.
    void resetIntegration() noexcept REALTIME;
    /// While false, integrated, LRA, peaks and maxima hold; M and S keep running.
    void setIntegrating(bool on) noexcept REALTIME;

    /// in[c] for c < channels(). Never allocates.
    void process(const float* const* in, std::uint32_t frames) noexcept REALTIME;
    /// Pushes the true-peak interpolators' delay line (kTaps / 2 samples) through with
    /// zeros, so a file's last samples count; loudness is untouched. For offline use.
    void flushTruePeak() noexcept REALTIME;

    /// Adds another meter's gating blocks, short-term values, peaks and maxima to this
    /// one (album loudness: one gating over all files, as libebur128's *_multiple).
    /// Rates may differ. Not real-time.
    void accumulate(const LoudnessMeter& other) noexcept;

    double momentary() const noexcept;      // LUFS, last 400 ms
    double shortTerm() const noexcept;      // LUFS, last 3 s
    double integrated() const noexcept;     // LUFS, gated; kFloor until a block passes
    double loudnessRange() const noexcept;  // LU; 0 until two short-term values pass
    double momentaryMax() const noexcept { return momentaryMax_; }
    double shortTermMax() const noexcept { return shortTermMax_; }
    double truePeak() const noexcept;              // dBTP, max over channels since reset
    double truePeak(unsigned channel) const noexcept;
    double samplePeak() const noexcept;            // dBFS
    double samplePeak(unsigned channel) const noexcept;
    /// Correlation of channels 0 and 1 over the last 400 ms (unweighted samples):
    /// E[LR] / sqrt(E[L^2] E[R^2]), 0 when either is silent.
    double correlation() const noexcept;
    /// Max true peak over the last 3 s (dBTP), for PSR.
    double recentTruePeak() const noexcept;
    /// Called on the audio thread at the end of every sub-block (10 ms), after M and S
    /// are updated, whatever the host's block size: the console's and the report
    /// tool's history, and the tests' traces, come from here. The callback must be
    /// real-time safe. nullptr disables it.
    using SubBlockCallback = void (*)(void* context, const LoudnessMeter& meter) noexcept REALTIME;
    void setSubBlockCallback(SubBlockCallback fn, void* context) noexcept
    {
        callback_ = fn;
        callbackContext_ = context;
    }

    /// Sub-blocks (10 ms) completed since reset(); M/S change only when this does.
    std::uint64_t subBlocks() const noexcept { return subBlocks_; }
    std::uint32_t subBlockFrames() const noexcept { return subLen_; }
    unsigned channels() const noexcept { return channels_; }
    double sampleRate() const noexcept { return rate_; }

    static double energyToLufs(double e) noexcept;

    /// K-weighting biquads (b0 b1 b2 a1 a2, a0 = 1) for a rate: shelf then high-pass.
    struct Biquad {
        double b0, b1, b2, a1, a2;
    };
    static Biquad shelfCoefs(double rate) noexcept;
    static Biquad highPassCoefs(double rate) noexcept;

private:
    static constexpr int kWindowM = 40, kWindowS = 300, kBlockStep = 10;
    static constexpr double kHistMin = -70.0, kHistMax = 40.0, kHistStep = 0.01, kLraStep = 0.001;
    /// Counts per 0.001 LU bin in a Fenwick tree: LRA's gate and percentiles in
    /// O(log n) every 100 ms, however long the programme.
    struct Fenwick {
        std::vector<std::uint32_t> tree;
        std::uint64_t total = 0;
        double energy = 0.0; // sum of the values' energies (for the relative gate)
        void clear() noexcept;
        void add(std::size_t bin, double e) noexcept;
        std::uint64_t prefix(std::size_t bins) const noexcept; // count in [0, bins)
        std::size_t find(std::uint64_t rank) const noexcept;   // bin holding the rank-th value
    };
    struct Hist {
        std::vector<std::uint64_t> count;
        std::vector<double> energy;
        std::uint64_t total = 0;
        void clear() noexcept;
        void add(double lufs, double e) noexcept;
    };
    struct Channel {
        double s1 = 0, s2 = 0, h1 = 0, h2 = 0; // TDF-II states: shelf, high-pass
        double sum = 0;                        // K-weighted sum of squares this sub-block
        float samplePeak = 0.f, truePeak = 0.f; // since resetIntegration()
        float blockPeak = 0.f;                  // sample peak of this sub-block
        TruePeakDetector tp;
    };
    void endSubBlock() noexcept REALTIME;
    void integrate() noexcept REALTIME;
    void updateGated() noexcept REALTIME;
    double windowEnergy(int subBlocks) const noexcept;

    double rate_ = 48000.0;
    unsigned channels_ = 2;
    std::uint32_t subLen_ = 480, subPos_ = 0;
    Biquad shelf_{}, hp_{};
    std::array<double, kMaxChannels> weight_{};
    std::array<Channel, kMaxChannels> ch_{};
    std::array<double, kWindowS> ring_{};     // mean-square weighted energy per sub-block
    std::array<float, kWindowS> peakRing_{};  // true peak (linear) per sub-block
    std::array<std::array<double, 3>, kWindowS> corrRing_{}; // LR, LL, RR sums per sub-block
    double corrLR_ = 0, corrLL_ = 0, corrRR_ = 0;
    int ringPos_ = 0;
    std::uint64_t subBlocks_ = 0;
    bool integrating_ = true;
    int runLength_ = 0; // consecutive integrated sub-blocks (capped at kWindowS)
    double momentary_ = 0, shortTerm_ = 0; // energies
    double momentaryMax_ = kFloor, shortTermMax_ = kFloor;
    Hist blocks_;
    Fenwick shortTerms_;
    double integrated_ = kFloor, range_ = 0.0; // updated every 100 ms, not per read
    SubBlockCallback callback_ = nullptr;
    void* callbackContext_ = nullptr;
};

} // namespace mixwright::dsp
