// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Small helpers shared by the test suites: deterministic signals, magnitude of an
// impulse response at one frequency (direct DFT), decibels.

#pragma once

#include <cmath>
#include <complex>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

namespace mwtest {

inline std::vector<float> noise(std::size_t n, float amplitude, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> d(-amplitude, amplitude);
    std::vector<float> v(n);
    for (auto& x : v)
        x = d(rng);
    return v;
}

inline std::vector<float> sine(std::size_t n, double freq, double rate, double amplitude, double phase = 0.0)
{
    std::vector<float> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<float>(amplitude * std::sin(2.0 * std::numbers::pi * freq * static_cast<double>(i) / rate + phase));
    return v;
}

/// |H(f)| of an impulse response by a direct DFT at one frequency.
inline double magnitudeAt(const std::vector<float>& ir, double freq, double rate)
{
    std::complex<double> acc{0.0, 0.0};
    const double w = -2.0 * std::numbers::pi * freq / rate;
    for (std::size_t n = 0; n < ir.size(); ++n)
        acc += static_cast<double>(ir[n]) * std::polar(1.0, w * static_cast<double>(n));
    return std::abs(acc);
}

inline double db(double x) { return 20.0 * std::log10(x); }

inline double rms(const float* x, std::size_t n)
{
    double s = 0.0;
    for (std::size_t i = 0; i < n; ++i)
        s += static_cast<double>(x[i]) * x[i];
    return std::sqrt(s / static_cast<double>(n));
}

/// Log-spaced frequencies from f0 to f1, `perOctave` points per octave.
inline std::vector<double> logGrid(double f0, double f1, int perOctave)
{
    std::vector<double> f;
    for (double x = f0; x <= f1 * 1.0001; x *= std::pow(2.0, 1.0 / perOctave))
        f.push_back(x);
    return f;
}

} // namespace mwtest
