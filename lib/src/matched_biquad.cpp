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

namespace {

constexpr double kLn10Over20 = 2.302585092994046 / 20.0;

/// The fit's grid ends at 20 kHz (at 44.1 kHz too: 0.4535 fs), or 0.46 fs below that.
double gridTop(double rate) noexcept { return std::min(20000.0, 0.46 * rate); }

bool stable(const BiquadCoefs& c) noexcept
{
    return std::fabs(c.a2) < 0.99999 && std::fabs(c.a1) < 1.0 + c.a2 - 1e-9;
}

/// ln|H| at one grid point (cos/sin of w and 2w) and the complex N, D it came from.
struct Eval {
    double lnMag, nr, ni, dr, di, n2, d2;
};

inline Eval evalAt(const BiquadCoefs& c, double c1, double s1, double c2, double s2, bool withLog = true) noexcept
{
    // z^-1 = c1 - j s1, z^-2 = c2 - j s2.
    Eval e{};
    e.nr = c.b0 + c.b1 * c1 + c.b2 * c2;
    e.ni = -(c.b1 * s1 + c.b2 * s2);
    e.dr = 1.0 + c.a1 * c1 + c.a2 * c2;
    e.di = -(c.a1 * s1 + c.a2 * s2);
    e.n2 = e.nr * e.nr + e.ni * e.ni;
    e.d2 = e.dr * e.dr + e.di * e.di;
    e.lnMag = withLog ? 0.5 * std::log(std::max(e.n2, 1e-300) / std::max(e.d2, 1e-300)) : 0.0;
    return e;
}

/// Gaussian elimination with partial pivoting on a small dense system.
template <int N>
bool solveSmall(std::array<double, N * N>& m, std::array<double, N>& b) noexcept
{
    for (int col = 0; col < N; ++col) {
        int piv = col;
        for (int r = col + 1; r < N; ++r)
            if (std::fabs(m[r * N + col]) > std::fabs(m[piv * N + col]))
                piv = r;
        if (!(std::fabs(m[piv * N + col]) > 1e-300))
            return false;
        if (piv != col) {
            for (int k = 0; k < N; ++k)
                std::swap(m[col * N + k], m[piv * N + k]);
            std::swap(b[col], b[piv]);
        }
        for (int r = col + 1; r < N; ++r) {
            const double f = m[r * N + col] / m[col * N + col];
            for (int k = col; k < N; ++k)
                m[r * N + k] -= f * m[col * N + k];
            b[r] -= f * b[col];
        }
    }
    for (int col = N - 1; col >= 0; --col) {
        double v = b[col];
        for (int k = col + 1; k < N; ++k)
            v -= m[col * N + k] * b[k];
        b[col] = v / m[col * N + col];
    }
    return true;
}

} // namespace

void MagnitudeFit::prepare(double sampleRate) noexcept
{
    rate_ = sampleRate;
    n_ = 0;
    const double top = gridTop(sampleRate);
    const int octaves = static_cast<int>(std::ceil(std::log2(top / 20.0) * 8.0)); // 8 points per octave
    for (int i = 0; i <= octaves && n_ < kMaxPoints - kAroundPoints; ++i)
        addPoint(20.0 * std::pow(top / 20.0, static_cast<double>(i) / octaves));
    fixed_ = n_;
}

void MagnitudeFit::addPoint(double freq) noexcept
{
    const double w = 2.0 * std::numbers::pi * freq / rate_;
    const auto i = static_cast<std::size_t>(n_++);
    c1_[i] = std::cos(w);
    s1_[i] = std::sin(w);
    c2_[i] = std::cos(2.0 * w);
    s2_[i] = std::sin(2.0 * w);
}

void MagnitudeFit::setTarget(BandType type, double f0, double gainDb, double q) noexcept REALTIME
{
    type_ = type;
    // Below the floor the error is not counted (both sides floored): -23 dB for the
    // band-pass, whose skirts fall without end (3 dB under the -20 dB to which its
    // accuracy is specified, so the skirt just above -20 dB is fitted between grid
    // points too), -40 dB for the rest (the notch keeps -40 dB so its null region stays
    // in the fit).
    floor_ = (type == BandType::BandPass ? -23.0 : -40.0) * kLn10Over20;
    f0 = clampF0(f0, rate_);
    n_ = fixed_;
    // Around f0: its resonance is narrower than the grid's spacing at high Q, and a
    // notch's null narrower still. Points at f0 2^(k bw), bw = 1/Q octaves (about the
    // resonance's width), k spaced geometrically from 1/64 (a notch's -30 dB region)
    // to 2 (the bell's and band-pass's skirts).
    const double top = gridTop(rate_);
    const double bw = std::clamp(1.0 / std::max(q, 0.1), 0.02, 1.0);
    constexpr std::array<double, kAroundPoints> kAround{0.0,         -1.0 / 64.0, 1.0 / 64.0, -1.0 / 32.0, 1.0 / 32.0,
                                                        -1.0 / 16.0, 1.0 / 16.0,  -0.125,     0.125,       -0.25,
                                                        0.25,        -0.5,        0.5,        -1.0,        1.0,
                                                        -2.0,        2.0};
    for (double k : kAround) {
        const double f = f0 * std::exp2(k * bw);
        if (f >= 20.0 && f <= top)
            addPoint(f);
    }
    const Analog h = prototype(type, gainDb, q);
    for (int i = 0; i < n_; ++i) {
        const auto u = static_cast<std::size_t>(i);
        const double freq = std::atan2(s1_[u], c1_[u]) * rate_ / (2.0 * std::numbers::pi);
        const double db = 10.0 * std::log10(std::max(h.magSq(freq / f0), 1e-30));
        target_[u] = std::max(db * kLn10Over20, floor_);
    }
    notchCos_ = std::cos(2.0 * std::numbers::pi * f0 / rate_);
    matched_ = designMatched(type, f0, gainDb, q, rate_);
}

double MagnitudeFit::lnMagAt(const Sections& c, std::size_t u) const noexcept
{
    const Eval e = evalAt(c[0], c1_[u], s1_[u], c2_[u], s2_[u]);
    if (sections_ == 1)
        return e.lnMag;
    // One logarithm for both sections: ln(|N1|^2 |N2|^2 / (|D1|^2 |D2|^2)) / 2.
    const Eval f = evalAt(c[1], c1_[u], s1_[u], c2_[u], s2_[u], false);
    const double num = std::max(std::max(e.n2, 1e-300) * std::max(f.n2, 1e-300), 1e-300);
    const double den = std::max(std::max(e.d2, 1e-300) * std::max(f.d2, 1e-300), 1e-300);
    return 0.5 * std::log(num / den);
}

double MagnitudeFit::norm(const Sections& c, double scale, double& maxAbs) const noexcept
{
    // sum |e / scale|^p for p = 2, 4, 8 or 16 (by squaring: no pow on the audio thread)
    double sum = 0.0;
    maxAbs = 0.0;
    for (int i = 0; i < n_; ++i) {
        const auto u = static_cast<std::size_t>(i);
        const double e = std::max(lnMagAt(c, u), floor_) - target_[u];
        maxAbs = std::max(maxAbs, std::fabs(e));
        const double r = e / scale;
        double t = r * r;
        for (int k = 2; k < p_; k *= 2)
            t *= t;
        sum += t;
    }
    return sum;
}

double MagnitudeFit::maxErrorDb(const BiquadCoefs& c) const noexcept REALTIME
{
    double worst = 0.0;
    for (int i = 0; i < n_; ++i) {
        const auto u = static_cast<std::size_t>(i);
        worst = std::max(worst, std::fabs(std::max(evalAt(c, c1_[u], s1_[u], c2_[u], s2_[u]).lnMag, floor_) - target_[u]));
    }
    return worst / kLn10Over20;
}

void MagnitudeFit::start(const BiquadCoefs& init) noexcept REALTIME
{
    sections_ = bestSections_ = 1;
    steps_ = 0;
    work_ = best_ = Sections{init, BiquadCoefs{}};
    bestErr_ = maxErrorDb(init) * kLn10Over20;
    lambda_ = 1e-3;
    p_ = 2;
}

namespace {

/// The Levenberg-Marquardt step for `N` = 5 (one section) or 10 (two) parameters.
template <int N>
struct Normal {
    std::array<double, N * N> jtj{};
    std::array<double, N> jte{};
};

} // namespace

template <int N>
bool MagnitudeFit::stepN() noexcept
{
    // Parameters per section: b0, b1, b2, a1, a2; the notch's first section ties
    // b1 = -2 cos(w0) b0 and b2 = b0 (its null stays on the unit circle at f0).
    const bool notch = type_ == BandType::Notch;
    Normal<N> ne;
    double current = 0.0, emax = 0.0;
    std::array<double, kMaxPoints> err{};
    for (int i = 0; i < n_; ++i) {
        const auto u = static_cast<std::size_t>(i);
        err[u] = std::max(lnMagAt(work_, u), floor_) - target_[u];
        emax = std::max(emax, std::fabs(err[u]));
    }
    if (!(emax > 1e-7)) // within 1e-6 dB: nothing left to gain
        return false;
    for (int i = 0; i < n_; ++i) {
        const auto u = static_cast<std::size_t>(i);
        const double e = err[u];
        const double r = e / emax;
        double t = r * r; // |r|^p by squaring
        for (int k = 2; k < p_; k *= 2)
            t *= t;
        current += t;
        if (e + target_[u] <= floor_)
            continue; // below the floor the error does not depend on the coefficients
        const double w = p_ == 2 ? 1.0 : t / std::max(r * r, 1e-300); // IRLS weight |r|^(p-2)
        // d ln|H| / d b_k = Re(z^-k conj(N)) / |N|^2; d ln|H| / d a_k = -Re(z^-k conj(D)) / |D|^2.
        const double zr[3] = {1.0, c1_[u], c2_[u]}, zi[3] = {0.0, -s1_[u], -s2_[u]};
        std::array<double, N> j{};
        for (int sec = 0; sec < N / 5; ++sec) {
            // (recomputed rather than kept from the error pass: cheaper than storing it)
            const Eval v = evalAt(work_[static_cast<std::size_t>(sec)], c1_[u], s1_[u], c2_[u], s2_[u], false);
            const auto o = static_cast<std::size_t>(5 * sec);
            for (int k = 0; k < 3; ++k)
                j[o + static_cast<std::size_t>(k)] = (zr[k] * v.nr + zi[k] * v.ni) / std::max(v.n2, 1e-300);
            for (int k = 1; k < 3; ++k)
                j[o + static_cast<std::size_t>(k + 2)] = -(zr[k] * v.dr + zi[k] * v.di) / std::max(v.d2, 1e-300);
        }
        if (notch) {
            j[0] = j[0] - 2.0 * notchCos_ * j[1] + j[2];
            j[1] = j[2] = 0.0;
        }
        for (std::size_t a = 0; a < N; ++a) {
            ne.jte[a] -= w * j[a] * e;
            for (std::size_t b = a; b < N; ++b)
                ne.jtj[a * N + b] += w * j[a] * j[b];
        }
    }
    for (std::size_t a = 0; a < N; ++a)
        for (std::size_t b = 0; b < a; ++b)
            ne.jtj[a * N + b] = ne.jtj[b * N + a];
    if (notch)
        ne.jtj[1 * N + 1] = ne.jtj[2 * N + 2] = 1.0; // b1, b2 follow b0: keep the system regular
    for (std::size_t a = 0; a < N; ++a)
        ne.jtj[a * N + a] += 1e-15; // an unused section's flat directions
    for (int attempt = 0; attempt < 10; ++attempt) {
        std::array<double, N * N> m = ne.jtj;
        std::array<double, N> d = ne.jte;
        for (std::size_t a = 0; a < N; ++a)
            m[a * N + a] *= 1.0 + lambda_;
        if (!solveSmall<N>(m, d))
            return false;
        Sections t = work_;
        bool ok = true;
        for (int sec = 0; sec < N / 5; ++sec) {
            BiquadCoefs& c = t[static_cast<std::size_t>(sec)];
            const auto o = static_cast<std::size_t>(5 * sec);
            c.b0 += d[o];
            if (notch && sec == 0) {
                c.b1 = -2.0 * notchCos_ * c.b0;
                c.b2 = c.b0;
            } else {
                c.b1 += d[o + 1];
                c.b2 += d[o + 2];
                if (std::fabs(c.b2) > std::fabs(c.b0)) // reflect the zeros inside: same magnitude
                    std::swap(c.b0, c.b2);
            }
            c.a1 += d[o + 3];
            c.a2 += d[o + 4];
            ok = ok && stable(c) && std::isfinite(c.b0 + c.b1 + c.b2);
        }
        if (ok) {
            double nextMax = 0.0;
            const double next = norm(t, emax, nextMax);
            if (next < current) {
                work_ = t;
                if (nextMax < bestErr_) {
                    best_ = t;
                    bestSections_ = sections_;
                    bestErr_ = nextMax;
                }
                lambda_ = std::max(lambda_ * 0.3, 1e-9);
                if (next > current * 0.999 && p_ < kMaxP) { // this norm is done: sharpen it
                    p_ *= 2;
                    lambda_ = 1e-3;
                }
                return true;
            }
        }
        lambda_ = std::min(lambda_ * 10.0, 1e9);
    }
    if (p_ < kMaxP) { // no descent left for this norm: go on with the next
        p_ *= 2;
        lambda_ = 1e-3;
        return true;
    }
    return false;
}

void MagnitudeFit::startSecond() noexcept
{
    // Two sections start from (first) the matched design or (second) the best single
    // section, and a second section that is nearly the identity: zeros at -0.2, -0.2
    // and poles at -0.2, -0.3 (+1.2 dB at Nyquist, -0.7 dB at DC). Both choices matter
    // for wide band-passes at 44.1 kHz, where the fit has poor local minima:
    // - the matched design has the analog poles and its error sits near Nyquist, where
    //   the second section is needed; the best single section has spread its error over
    //   the whole band (a minimax fit), which the two sections must first undo;
    // - the identity (all roots at z = 0, the old start) is where the Jacobian's b_k and
    //   a_k columns coincide; from there the fit often settled on a weak resonance near
    //   12 kHz, 0.17 dB off, where a real-root shelf towards Nyquist is within 0.01 dB.
    // (Chosen by trial over the test grid; tests/test_eq.cpp also checks random designs.)
    constexpr BiquadCoefs kSecond{1.0, 0.4, 0.04, 0.5, 0.06};
    work_ = Sections{start_ == 0 ? matched_ : one_, kSecond};
    steps_ = 0;
    lambda_ = 1e-3;
    p_ = 2;
}

bool MagnitudeFit::step() noexcept REALTIME
{
    if (bestErr_ <= kGoodEnoughDb * kLn10Over20)
        return false; // nothing measurable left to gain
    if (sections_ == 1) {
        if (++steps_ <= kOneSectionSteps && stepN<5>())
            return true;
        // One section has converged (or used its steps: the last ones creep). Where it
        // still misses by more than kTwoSectionsDb, a second section joins and the fit
        // goes on with both (see startSecond).
        if (bestErr_ <= kTwoSectionsDb * kLn10Over20)
            return false;
        sections_ = 2;
        one_ = best_[0];
        start_ = 0;
        startSecond();
        return true;
    }
    if (++steps_ <= kTwoSectionSteps && stepN<10>())
        return true;
    // This start has converged or used its steps: if the best is not yet within
    // kRestartDb, the two sections start again from the best single section (the best
    // so far is kept).
    if (start_ + 1 < kSecondStarts && bestErr_ > kRestartDb * kLn10Over20) {
        ++start_;
        startSecond();
        return true;
    }
    return false;
}

FittedSections designAnalogMatched(BandType type, double f0, double gainDb, double q, double sampleRate,
                                   int maxSteps) noexcept
{
    MagnitudeFit fit;
    fit.prepare(sampleRate);
    fit.setTarget(type, f0, gainDb, q);
    fit.start(designMatched(type, f0, gainDb, q, sampleRate));
    for (int i = 0; i < maxSteps && fit.step(); ++i) {
    }
    return {fit.best()[0], fit.best()[1], fit.bestSections()};
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
