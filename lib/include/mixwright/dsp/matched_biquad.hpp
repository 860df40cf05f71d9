// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Analog-matched second-order (and first-order) IIR sections for the EQ, zero latency.
//
// Design: M. Vicanek, "Matched Second Order Digital Filters" (2016). The poles are the
// analog poles mapped exactly (impulse invariance: z = exp(s T)); the numerator is then
// chosen so that |H(e^jw)|^2 equals the analog |H(jW)|^2 at three frequencies: DC,
// Nyquist and f0. Vicanek writes |H|^2 = (A0 p0 + A1 p1 + A2 p2) / (B0 p0 + B1 p1 + B2 p2)
// with p1 = sin^2(w/2), p0 = 1 - p1, p2 = 4 p0 p1, which is linear in A0..A2, so the
// three conditions give A0..A2 in closed form and the numerator b0..b2 follows from
// A0 = (b0+b1+b2)^2, A1 = (b0-b1+b2)^2, A2 = -4 b0 b2 (the minimum-phase root is taken).
// We apply his recipe to every prototype below (his paper gives LP/HP/BP/peaking).
// Where the analog poles would lie above Nyquist (a low-shelf cut's or high-shelf
// boost's poles sit at f0*10^(|g|/80)), the mirror filter (same type, gain -g, whose
// poles are below f0) is designed and inverted; its numerator is minimum phase, so the
// inverse is stable. Unlike the bilinear transform there is no cramping near Nyquist.
// Bands whose skirts reach Nyquist (high f0, low Q, resonant shelves) still miss the
// analog curve by up to 4 dB at 44.1 kHz with three matched points; MagnitudeFit below
// refines the section from there (all coefficients free, a second section where one
// is not enough).
//
// Analog prototypes, s normalised to 2 pi f0, A = 10^(g/40) (g = gain in dB):
//   bell       (s^2 + s A/Q + 1) / (s^2 + s/(A Q) + 1)                 peak g at f0
//   low shelf  A (s^2 + s sqrt(A)/Q + A) / (A s^2 + s sqrt(A)/Q + 1)   g at DC, 0 dB at HF
//   high shelf A (A s^2 + s sqrt(A)/Q + 1) / (s^2 + s sqrt(A)/Q + A)   0 dB at DC, g at HF
//   notch      (s^2 + 1) / (s^2 + s/Q + 1)
//   band-pass  (s/Q) / (s^2 + s/Q + 1)                                 0 dB at f0
//   tilt       high shelf of gain g times 10^(-g/40): -g/2 at DC, +g/2 at HF, 0 dB at f0
//   low-pass   1 / (s^2 + s/Q + 1), high-pass s^2 / (s^2 + s/Q + 1); first order
//              1/(s+1), s/(s+1) (pole and zero free, matched at DC, f0 and Nyquist). Butterworth cascades for
//              6..48 dB/oct use the standard section Qs 1/(2 cos theta_k).
// (The shelf and bell prototypes are those of R. Bristow-Johnson's "Audio EQ Cookbook",
// before its bilinear transform.)
//
// Units: f0 in Hz (clamped to 1 Hz .. 0.49 fs), gain in dB, Q dimensionless.
// Tested by tests/test_eq.cpp: the fitted sections' magnitude against analogMagnitudeDb
// over a grid of f0 (20 Hz..20 kHz), Q (0.1..20), gain (+-24 dB) at 44.1/48/96 kHz and
// over random designs in the same ranges: every design within 0.1 dB from 20 Hz to
// 20 kHz (worst 0.011-0.062 dB per type and rate; README has the table).

#pragma once

#include "mixwright/rt/realtime.hpp"

#include <array>
#include <cstdint>

namespace mixwright::dsp {

enum class BandType : std::uint8_t { Bell = 0, LowShelf, HighShelf, Notch, BandPass, Tilt, LowPass, HighPass };

/// y = b0 x + b1 x1 + b2 x2 - a1 y1 - a2 y2.
struct BiquadCoefs {
    double b0 = 1.0, b1 = 0.0, b2 = 0.0, a1 = 0.0, a2 = 0.0;

    /// |H(e^jw)| at `freq` Hz.
    double magnitude(double freq, double sampleRate) const noexcept;
};

/// Second-order matched design of `type` (LowPass/HighPass: resonant 2nd-order section).
BiquadCoefs designMatched(BandType type, double f0, double gainDb, double q, double sampleRate) noexcept REALTIME;

/// First-order matched low-/high-pass (b2 = a2 = 0): |H| equals the analog at DC, f0, Nyquist.
BiquadCoefs designMatchedFirstOrder(bool highPass, double f0, double sampleRate) noexcept REALTIME;

/// Analog prototype magnitude in dB at `freq` (second-order types; the test reference).
double analogMagnitudeDb(BandType type, double f0, double gainDb, double q, double freq) noexcept;

/// Refines a band's filter so that its magnitude follows the analog prototype from
/// 20 Hz to 20 kHz (or 0.46 fs below 43.5 kHz) where the matched design cannot: bands
/// whose skirts reach Nyquist (high f0, low Q, resonant shelves). Vicanek's design fixes
/// the poles by impulse invariance and matches only three frequencies; here all five
/// coefficients are free and a damped Gauss-Newton (Levenberg-Marquardt) iteration
/// minimises the p-norm of the dB error over a fixed log grid (8 points per octave, to
/// 20 kHz itself) plus 17 points around f0 (f0 2^(k/Q) octaves, |k| from 1/64 to 2: a
/// high-Q resonance and a notch's null are narrower than the grid's spacing), starting
/// from the matched design. Iteratively reweighted least squares (weights |e|^(p-2))
/// turns the p-norm into a sequence of weighted least-squares problems (C. S. Burrus,
/// "Iterative reweighted least squares"; the classical L_p filter design); p starts at 2
/// and doubles to 16 as each norm stalls, so the result approaches the minimax
/// (largest-error) fit. The Jacobian of ln|H| is Re(z^-k / N) for b_k and -Re(z^-k / D)
/// for a_k. The error is floored (not counted below) at -40 dB, -23 dB for the
/// band-pass (specified down to -20 dB). Where one section still misses by more than
/// kTwoSectionsDb, a second section joins and the ten coefficients go on together: two
/// sections reach the prototype in the corners where one cannot (wide bells and
/// band-passes, resonant shelves, notches near Nyquist). The two-section fit has poor
/// local minima (wide band-passes at 44.1 kHz: 0.17 dB where another minimum is within
/// 0.01 dB), so it starts from the matched design, not from the best single section
/// (whose minimax error is spread over the whole band), with a near-identity second
/// section whose roots lie on the negative real axis, not at the origin (where the b_k
/// and a_k directions coincide); if that start ends above kRestartDb, a second start
/// from the best single section follows, and the best result of all is kept. A step is
/// kept only when it lowers the norm and every pole stays inside the unit circle; the
/// notch keeps its first section's zeros on the unit circle at f0, so its null stays
/// exact. Each step is bounded work (no allocation, a fixed grid of at most kMaxPoints)
/// and the whole fit at most 200 steps, so the EQ runs one step per band every few
/// samples on the audio thread until the fit converges; designAnalogMatched() runs it
/// to convergence for the tests.
class MagnitudeFit {
public:
    static constexpr int kAroundPoints = 17; // the points around f0 (setTarget)
    static constexpr int kMaxPoints = 84 + kAroundPoints; // 8 per octave over 20 Hz..20 kHz: 81
    static constexpr double kTwoSectionsDb = 0.05;
    static constexpr double kGoodEnoughDb = 0.002; // the fit stops below this error
    using Sections = std::array<BiquadCoefs, 2>;

    /// The fixed grid for `sampleRate`.
    void prepare(double sampleRate) noexcept;
    /// A new prototype to fit (call start() next).
    void setTarget(BandType type, double f0, double gainDb, double q) noexcept REALTIME;
    /// Starts the iteration, with one section, from `init` (the matched design, or the
    /// last fit carried over to a nearby target).
    void start(const BiquadCoefs& init) noexcept REALTIME;
    /// One Levenberg-Marquardt step (kept only if it lowers the norm). Returns false once
    /// converged.
    bool step() noexcept REALTIME;
    /// The design with the smallest largest error seen so far (never worse than start's):
    /// the second section is the identity while bestSections() is 1.
    const Sections& best() const noexcept { return best_; }
    int bestSections() const noexcept { return bestSections_; }
    double bestErrorDb() const noexcept { return bestErr_ / 0.11512925464970229; }
    /// Largest |dB error| of one section `c` over the grid (both sides floored: -23 dB for
    /// the band-pass, -40 dB otherwise).
    double maxErrorDb(const BiquadCoefs& c) const noexcept REALTIME;

private:
    template <int N>
    bool stepN() noexcept;
    double lnMagAt(const Sections& c, std::size_t u) const noexcept;
    double norm(const Sections& c, double scale, double& maxAbs) const noexcept;
    void addPoint(double freq) noexcept;
    void startSecond() noexcept;
    static constexpr int kMaxP = 16;

    double rate_ = 48000.0;
    int fixed_ = 0, n_ = 0;
    std::array<double, kMaxPoints> c1_{}, s1_{}, c2_{}, s2_{}; // cos/sin of w and 2w
    std::array<double, kMaxPoints> target_{};                  // ln|H_analog|, floored
    BandType type_ = BandType::Bell;
    double floor_ = -40.0 * 0.11512925464970229; // ln units
    double notchCos_ = 0.0; // notch: cos(w0) of its fixed zeros
    double lambda_ = 1e-3;
    int p_ = 2;        // the norm being minimised: 2, 4, 8, 16
    int sections_ = 1; // sections being fitted
    int steps_ = 0;    // steps taken with one section, or from the second section's start
    static constexpr int kOneSectionSteps = 60;
    // Two sections: each of kSecondStarts starts takes at most kTwoSectionSteps steps;
    // the second is tried when the best still misses by more than kRestartDb. With the
    // calls that join and restart, step() returns true at most 60 + 1 + 69 + 1 + 69 =
    // 200 times.
    static constexpr int kSecondStarts = 2;
    static constexpr int kTwoSectionSteps = 69;
    static constexpr double kRestartDb = 0.03;
    int start_ = 0;         // the two sections' start (see startSecond)
    BiquadCoefs one_{};     // the best single section
    BiquadCoefs matched_{}; // the target's matched design
    Sections work_{}, best_{};
    int bestSections_ = 1;
    double bestErr_ = 0.0; // ln units
};

/// A band's fitted filter: `first`, then `second` when `sections` is 2.
struct FittedSections {
    BiquadCoefs first, second;
    int sections = 1;

    double magnitude(double freq, double sampleRate) const noexcept
    {
        return first.magnitude(freq, sampleRate) * (sections == 2 ? second.magnitude(freq, sampleRate) : 1.0);
    }
};

/// The matched design refined by MagnitudeFit to convergence (at most `maxSteps`).
FittedSections designAnalogMatched(BandType type, double f0, double gainDb, double q, double sampleRate,
                                   int maxSteps = 200) noexcept;

/// Butterworth cascade for a slope of 6 * order dB/oct, order 1..8: sections' Qs
/// (0 marks the first-order section of an odd order). `resonanceQ` replaces the Q of
/// an order-2 filter (the 12 dB slope); other orders are pure Butterworth.
struct ButterworthPlan {
    int sections = 0;
    std::array<double, 4> q{};
};
ButterworthPlan butterworthPlan(int order, double resonanceQ) noexcept REALTIME;

/// Transposed direct form II, double precision state (low-frequency sections at 96 kHz
/// have poles within 1e-5 of z = 1, which float state would quantise audibly).
struct Biquad {
    double s1 = 0.0, s2 = 0.0;

    double tick(double x, const BiquadCoefs& c) noexcept
    {
        const double y = c.b0 * x + s1;
        s1 = c.b1 * x - c.a1 * y + s2;
        s2 = c.b2 * x - c.a2 * y;
        return y;
    }
    void reset() noexcept { s1 = s2 = 0.0; }
    void sanitize() noexcept
    {
        if (rt::sanitize(s1) || rt::sanitize(s2))
            reset();
    }
};

} // namespace mixwright::dsp
