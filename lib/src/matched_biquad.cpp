// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC

#include "mixwright/dsp/matched_biquad.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

namespace mixwright::dsp {

namespace {

/// H(s) = (n2 s^2 + n1 s + n0) / (d2 s^2 + d1 s + d0), s normalised to 2 pi f0.
struct Analog {
    double n0, n1, n2, d0, d1, d2;

    /// |H(jx)|^2, x = f / f0.
    double magSq(double x) const noexcept
    {
        const double nr = n0 - n2 * x * x, ni = n1 * x;
        const double dr = d0 - d2 * x * x, di = d1 * x;
        return (nr * nr + ni * ni) / (dr * dr + di * di);
    }
};

Analog prototype(BandType type, double gainDb, double q) noexcept
{
    const double a = std::pow(10.0, gainDb / 40.0);
    const double sa = std::sqrt(a);
    switch (type) {
    case BandType::Bell: return {1.0, a / q, 1.0, 1.0, 1.0 / (a * q), 1.0};
    case BandType::LowShelf: return {a * a, a * sa / q, a, 1.0, sa / q, a};
    case BandType::HighShelf: return {a, a * sa / q, a * a, a, sa / q, 1.0};
    case BandType::Tilt: return {1.0, sa / q, a, a, sa / q, 1.0};
    case BandType::Notch: return {1.0, 0.0, 1.0, 1.0, 1.0 / q, 1.0};
    case BandType::BandPass: return {0.0, 1.0 / q, 0.0, 1.0, 1.0 / q, 1.0};
    case BandType::LowPass: return {1.0, 0.0, 0.0, 1.0, 1.0 / q, 1.0};
    case BandType::HighPass: return {0.0, 0.0, 1.0, 1.0, 1.0 / q, 1.0};
    }
    return {1.0, 0.0, 0.0, 1.0, 0.0, 0.0};
}

double clampF0(double f0, double rate) noexcept { return std::clamp(f0, 1.0, 0.49 * rate); }

/// Vicanek's matched design for one analog prototype at w0 = 2 pi f0 / fs.
BiquadCoefs matched(const Analog& h, double w0) noexcept
{
    BiquadCoefs c;
    // Poles: roots of d2 s^2 + d1 s + d0 (in units of w0), mapped by z = exp(s).
    const double wp = std::sqrt(h.d0 / h.d2) * w0;
    const double zeta = h.d1 / (2.0 * std::sqrt(h.d0 * h.d2));
    const double r = std::exp(-zeta * wp);
    if (zeta < 1.0)
        c.a1 = -2.0 * r * std::cos(wp * std::sqrt(1.0 - zeta * zeta));
    else
        c.a1 = -2.0 * r * std::cosh(wp * std::sqrt(zeta * zeta - 1.0));
    c.a2 = r * r;

    const double b0d = (1.0 + c.a1 + c.a2) * (1.0 + c.a1 + c.a2);
    const double b1d = (1.0 - c.a1 + c.a2) * (1.0 - c.a1 + c.a2);
    const double b2d = -4.0 * c.a2;
    auto phis = [](double w) {
        const double p1 = std::sin(0.5 * w) * std::sin(0.5 * w);
        const double p0 = 1.0 - p1;
        return std::array<double, 3>{p0, p1, 4.0 * p0 * p1};
    };
    const double a0n = h.magSq(0.0) * b0d;
    const double a1n = h.magSq(std::numbers::pi / w0) * b1d;
    const auto p = phis(w0);
    const double den = b0d * p[0] + b1d * p[1] + b2d * p[2];
    const double a2n = (h.magSq(1.0) * den - a0n * p[0] - a1n * p[1]) / p[2];

    const double w = std::sqrt(a0n), v = std::sqrt(a1n);
    const double sum = 0.5 * (w + v); // b0 + b2
    c.b1 = 0.5 * (w - v);
    const double disc = std::sqrt(std::max(0.0, sum * sum + a2n));
    c.b0 = 0.5 * (sum + disc);
    c.b2 = sum - c.b0;
    return c;
}

BiquadCoefs invert(const BiquadCoefs& c) noexcept
{
    // 1/H: the numerator becomes the denominator (normalised by b0).
    BiquadCoefs i;
    i.b0 = 1.0 / c.b0;
    i.b1 = c.a1 / c.b0;
    i.b2 = c.a2 / c.b0;
    i.a1 = c.b1 / c.b0;
    i.a2 = c.b2 / c.b0;
    return i;
}

} // namespace

double BiquadCoefs::magnitude(double freq, double sampleRate) const noexcept
{
    const std::complex<double> z1 = std::polar(1.0, -2.0 * std::numbers::pi * freq / sampleRate);
    const std::complex<double> z2 = z1 * z1;
    return std::abs((b0 + b1 * z1 + b2 * z2) / (1.0 + a1 * z1 + a2 * z2));
}

BiquadCoefs designMatched(BandType type, double f0, double gainDb, double q, double sampleRate) noexcept REALTIME
{
    f0 = clampF0(f0, sampleRate);
    const double w0 = 2.0 * std::numbers::pi * f0 / sampleRate;
    // Keep the poles below f0 (see the header): shelves whose poles would move up are
    // designed as their mirror image and inverted. A cut bell is designed as the boost
    // and inverted: the cut's matched numerator can be unrealisable (its zeros would be
    // forced onto the unit circle) where the boost's is not.
    const bool mirror = (type == BandType::LowShelf && gainDb < 0.0) || (type == BandType::HighShelf && gainDb > 0.0)
                        || (type == BandType::Tilt && gainDb > 0.0) || (type == BandType::Bell && gainDb < 0.0);
    if (mirror)
        return invert(matched(prototype(type, -gainDb, q), w0));
    return matched(prototype(type, gainDb, q), w0);
}

BiquadCoefs designMatchedFirstOrder(bool highPass, double f0, double sampleRate) noexcept REALTIME
{
    // |H|^2 = (N0 c + N1 s) / (D0 c + D1 s), c = cos^2(w/2), s = sin^2(w/2), with
    // N0 = (b0+b1)^2, N1 = (b0-b1)^2, D0 = (1+a1)^2, D1 = (1-a1)^2. Three conditions,
    // the analog magnitude at DC, at f0 (-3.01 dB) and at Nyquist, fix pole and zero in
    // closed form (Vicanek's matching applied to a first-order section with a free pole).
    f0 = clampF0(f0, sampleRate);
    const double w0 = 2.0 * std::numbers::pi * f0 / sampleRate;
    const double xn = std::numbers::pi / w0; // Nyquist in units of f0
    const double hn2 = highPass ? xn * xn / (1.0 + xn * xn) : 1.0 / (1.0 + xn * xn);
    const double s = std::sin(0.5 * w0) * std::sin(0.5 * w0), c = 1.0 - s;
    // D0/D1 from the condition at f0 (|H|^2 = 1/2).
    const double ratio = highPass ? (2.0 * hn2 - 1.0) * s / c : 2.0 * s * (0.5 - hn2) / c;
    BiquadCoefs k;
    const double r = std::sqrt(std::max(ratio, 1e-300));
    k.a1 = (r - 1.0) / (r + 1.0);
    const double hn = std::sqrt(hn2);
    const double sum = highPass ? 0.0 : 1.0 + k.a1; // b0 + b1 = H(0) (1 + a1)
    const double diff = hn * (1.0 - k.a1);          // b0 - b1 = H(pi) (1 - a1)
    k.b0 = 0.5 * (sum + diff);
    k.b1 = 0.5 * (sum - diff);
    return k;
}

double analogMagnitudeDb(BandType type, double f0, double gainDb, double q, double freq) noexcept
{
    return 10.0 * std::log10(prototype(type, gainDb, q).magSq(freq / f0));
}

ButterworthPlan butterworthPlan(int order, double resonanceQ) noexcept REALTIME
{
    ButterworthPlan p;
    order = std::clamp(order, 1, 8);
    int k = 0;
    if (order % 2 == 1)
        p.q[static_cast<std::size_t>(k++)] = 0.0;
    // Pole pairs at angles theta = pi (2m - 1) / (2 order), m = 1..order/2 (even) or
    // theta = pi m / order (odd); Q = 1 / (2 cos theta).
    for (int m = 1; m <= order / 2; ++m) {
        const double theta = (order % 2 == 0) ? std::numbers::pi * (2.0 * m - 1.0) / (2.0 * order)
                                              : std::numbers::pi * m / order;
        p.q[static_cast<std::size_t>(k++)] = 1.0 / (2.0 * std::cos(theta));
    }
    if (order == 2)
        p.q[0] = resonanceQ;
    p.sections = k;
    return p;
}

} // namespace mixwright::dsp
