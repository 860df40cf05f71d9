// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright Utility's DSP against closed-form references: exact polarity, width 0 is
// exact mono, pan-law gains at centre and extremes, mono-bass LR4 sum flat within
// +-0.01 dB and highs keeping their image, alignment delay exact to the sample,
// bypass bit-exact, gain formulas, DC blocker, meters, and output independent of the
// host's block size. Also the parameter spec's compile-time validation.

#define BOOST_TEST_MODULE utility
#include <boost/test/unit_test.hpp>

#include "mixwright/dsp/utility.hpp"
#include "support.hpp"

#include <complex>
#include <functional>
#include <memory>
#include <random>

using namespace mixwright;
namespace up = params::utility;
using P = up::Index;

namespace {

constexpr double kRate = 48000.0;

struct Stereo {
    std::vector<float> l, r;
};

std::unique_ptr<dsp::Utility> make(std::initializer_list<std::pair<int, float>> settings, double rate = kRate)
{
    auto u = std::make_unique<dsp::Utility>();
    for (auto [i, v] : settings)
        u->setParameter(i, v);
    u->prepare(rate, 8192); // settings before prepare: no ramp, steady state from sample 0
    return u;
}

Stereo run(const std::unique_ptr<dsp::Utility>& up, const Stereo& in, std::uint32_t block = 512)
{
    dsp::Utility& u = *up;
    Stereo out{in.l, in.r};
    for (std::size_t pos = 0; pos < in.l.size(); pos += block) {
        const auto n = static_cast<std::uint32_t>(std::min<std::size_t>(block, in.l.size() - pos));
        u.process(&in.l[pos], &in.r[pos], &out.l[pos], &out.r[pos], n);
    }
    return out;
}

Stereo noiseStereo(std::size_t n, std::uint32_t seed = 1)
{
    return {mwtest::noise(n, 0.5f, seed), mwtest::noise(n, 0.5f, seed + 100)};
}

} // namespace

BOOST_AUTO_TEST_SUITE(params_table)

BOOST_AUTO_TEST_CASE(validation_rejects_bad_specs)
{
    using params::Spec;
    using params::Unit;
    static_assert(params::valid(Spec{"ok", "Ok", "Ok", Unit::dB, -1.f, 1.f, 0.f}));
    static_assert(!params::valid(Spec{"9bad", "Bad", "Bad", Unit::dB, -1.f, 1.f, 0.f}));          // symbol
    static_assert(!params::valid(Spec{"bad", "Bad", "Bad", Unit::dB, 1.f, -1.f, 0.f}));           // range
    static_assert(!params::valid(Spec{"bad", "Bad", "Bad", Unit::dB, -1.f, 1.f, 2.f}));           // default
    static_assert(!params::valid(Spec{"bad", "Bad", "Bad", Unit::Hz, 0.f, 1.f, 0.5f, params::kLog})); // log from 0
    static_assert(!params::valid(Spec{"bad", "Bad", "This short name is too long", Unit::dB, -1.f, 1.f, 0.f}));
    constexpr std::array<Spec, 2> dup{{{"a", "A", "A"}, {"a", "B", "B"}}};
    static_assert(!params::validTable(dup));
    BOOST_TEST(params::validTable(up::kTable));
}

BOOST_AUTO_TEST_CASE(clamp_and_normalise)
{
    const auto& freq = up::kTable[P::kMonoBassFreq];
    BOOST_TEST(freq.clamp(1e6f) == 500.f);
    BOOST_TEST(freq.clamp(-1e6f) == 20.f);
    BOOST_TEST(freq.clamp(std::numeric_limits<float>::quiet_NaN()) == 120.f);
    BOOST_TEST(params::toNormalised(freq, 100.f) == 0.5f, boost::test_tools::tolerance(1e-5f)); // 20*sqrt(25)
    BOOST_TEST(params::fromNormalised(freq, 0.5f) == 100.f, boost::test_tools::tolerance(1e-4f));
    BOOST_TEST(up::kTable[P::kPanLaw].clamp(2.4f) == 2.f);
    BOOST_TEST(up::kTable[P::kSwap].clamp(0.7f) == 1.f);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(behaviour)

BOOST_AUTO_TEST_CASE(defaults_are_transparent)
{
    auto u = make({});
    const auto in = noiseStereo(4096);
    const auto out = run(u, in);
    BOOST_TEST(out.l == in.l, boost::test_tools::per_element());
    BOOST_TEST(out.r == in.r, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(settings_before_first_audio_apply_at_once_later_ones_ramp)
{
    // A host sends its initial control values after activate(), before any audio.
    auto u = make({});
    u->reset();
    u->setParameter(P::kGain, -6.0206f);
    const auto in = noiseStereo(2048);
    const auto out = run(u, in);
    BOOST_TEST(std::fabs(out.l[0] - 0.5f * in.l[0]) < 1e-6f);
    // Once audio has run, a change ramps over 20 ms: the first sample moves by one step only.
    u->setParameter(P::kGain, 0.f);
    const auto out2 = run(u, in);
    const float step = 0.5f / static_cast<float>(0.020 * kRate);
    BOOST_TEST(std::fabs(out2.l[0] / in.l[0] - 0.5f) <= 1.5f * step);
    BOOST_TEST(out2.l[2000] == in.l[2000]);
}

BOOST_AUTO_TEST_CASE(polarity_is_exact_negation)
{
    auto u = make({{P::kPhaseL, 1.f}});
    const auto in = noiseStereo(4096);
    const auto out = run(u, in);
    for (std::size_t i = 0; i < in.l.size(); ++i) {
        BOOST_REQUIRE_EQUAL(out.l[i], -in.l[i]);
        BOOST_REQUIRE_EQUAL(out.r[i], in.r[i]);
    }
    // Switching polarity while running lands on exact negation after the ramp.
    auto v = make({});
    run(v, noiseStereo(256, 9));
    v->setParameter(P::kPhaseR, 1.f);
    const auto ramp = static_cast<std::size_t>(0.020 * kRate);
    const auto out2 = run(v, in);
    for (std::size_t i = ramp; i < in.l.size(); ++i)
        BOOST_REQUIRE_EQUAL(out2.r[i], -in.r[i]);
}

BOOST_AUTO_TEST_CASE(width_zero_is_exact_mono_and_200_doubles_side)
{
    auto u = make({{P::kWidth, 0.f}});
    const auto in = noiseStereo(4096);
    const auto out = run(u, in);
    for (std::size_t i = 0; i < in.l.size(); ++i) {
        const float m = 0.5f * (in.l[i] + in.r[i]);
        BOOST_REQUIRE_EQUAL(out.l[i], m);
        BOOST_REQUIRE_EQUAL(out.r[i], m);
    }
    auto w = make({{P::kWidth, 200.f}});
    const auto out2 = run(w, in);
    for (std::size_t i = 0; i < in.l.size(); ++i) {
        const double m = 0.5 * (in.l[i] + in.r[i]), s = 0.5 * (in.l[i] - in.r[i]);
        BOOST_REQUIRE_SMALL(out2.l[i] - (m + 2 * s), 1e-6);
        BOOST_REQUIRE_SMALL(out2.r[i] - (m - 2 * s), 1e-6);
    }
}

BOOST_AUTO_TEST_CASE(swap_exchanges_channels)
{
    auto u = make({{P::kSwap, 1.f}});
    const auto in = noiseStereo(2048);
    const auto out = run(u, in);
    BOOST_TEST(out.l == in.r, boost::test_tools::per_element());
    BOOST_TEST(out.r == in.l, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(pan_law_values_at_centre_and_extremes)
{
    // Reference gains in dB at centre for each law, and (L, R) at hard left.
    struct Law {
        int law;
        double centreDb;
    };
    const Law laws[] = {{up::kBalance, 0.0}, {up::kConstantPower, -3.0103}, {up::kCompromise, -4.5154}, {up::kLinear, -6.0206}};
    const Stereo in{std::vector<float>(2048, 0.5f), std::vector<float>(2048, 0.5f)};
    for (const auto& law : laws) {
        for (float pan : {-100.f, 0.f, 100.f}) {
            auto u = make({{P::kPanLaw, static_cast<float>(law.law)}, {P::kPan, pan}});
            const auto out = run(u, in);
            const double gl = out.l.back() / 0.5, gr = out.r.back() / 0.5;
            if (pan == 0.f) {
                BOOST_TEST(mwtest::db(gl) == law.centreDb, boost::test_tools::tolerance(1e-3 / 6.0));
                BOOST_TEST(mwtest::db(gr) == law.centreDb, boost::test_tools::tolerance(1e-3 / 6.0));
            } else {
                const double expectL = pan < 0 ? 1.0 : 0.0, expectR = pan < 0 ? 0.0 : 1.0;
                BOOST_TEST_CONTEXT("law " << law.law << " pan " << pan)
                {
                    BOOST_TEST(std::fabs(gl - expectL) < 1e-6);
                    BOOST_TEST(std::fabs(gr - expectR) < 1e-6);
                }
            }
        }
    }
    // Constant power: L^2 + R^2 = 1 at every position.
    for (float p = -1.f; p <= 1.f; p += 0.125f) {
        const auto g = dsp::panGains(up::kConstantPower, p);
        BOOST_TEST(g.l * g.l + g.r * g.r == 1.f, boost::test_tools::tolerance(1e-6f));
    }
}

BOOST_AUTO_TEST_CASE(gain_and_trim_follow_decibels)
{
    auto u = make({{P::kTrim, 6.0206f}, {P::kGain, -12.0412f}});
    const auto in = noiseStereo(1024);
    const auto out = run(u, in);
    for (std::size_t i = 0; i < in.l.size(); ++i)
        BOOST_REQUIRE_SMALL(out.l[i] - in.l[i] * 0.5f, 2e-6f); // +6 dB - 12 dB = x0.5
}

BOOST_AUTO_TEST_CASE(delay_exact_to_the_sample)
{
    const double rates[] = {44100.0, 48000.0, 96000.0};
    for (double rate : rates) {
        auto u = make({{P::kDelayUnit, up::kSamples}, {P::kDelayL, 37.f}, {P::kDelayR, 0.f}}, rate);
        Stereo in{std::vector<float>(600, 0.f), std::vector<float>(600, 0.f)};
        in.l[100] = in.r[100] = 1.f;
        auto out = run(u, in, 64);
        for (std::size_t i = 0; i < 600; ++i) {
            BOOST_REQUIRE_EQUAL(out.l[i], i == 137 ? 1.f : 0.f);
            BOOST_REQUIRE_EQUAL(out.r[i], i == 100 ? 1.f : 0.f);
        }
        // 2.5 ms in milliseconds mode is round(2.5e-3 * rate) samples.
        auto v = make({{P::kDelayUnit, up::kMilliseconds}, {P::kDelayR, 2.5f}}, rate);
        Stereo in2{std::vector<float>(1000, 0.f), std::vector<float>(1000, 0.f)};
        in2.r[10] = 1.f;
        out = run(v, in2, 17);
        const auto expected = 10 + static_cast<std::size_t>(std::lround(2.5e-3 * rate));
        for (std::size_t i = 0; i < 1000; ++i)
            BOOST_REQUIRE_EQUAL(out.r[i], i == expected ? 1.f : 0.f);
    }
}

BOOST_AUTO_TEST_CASE(bypass_is_bit_exact)
{
    auto u = make({{P::kBypass, 1.f}, {P::kGain, 12.f}, {P::kWidth, 0.f}, {P::kMonoBass, 1.f}, {P::kDelayL, 5.f}});
    auto in = noiseStereo(4096);
    in.l[5] = std::numeric_limits<float>::denorm_min();
    const auto out = run(u, in);
    BOOST_TEST(out.l == in.l, boost::test_tools::per_element());
    BOOST_TEST(out.r == in.r, boost::test_tools::per_element());
    // Engaged while running: bit-exact once the 20 ms fade is over.
    auto v = make({{P::kGain, 12.f}});
    run(v, noiseStereo(1000, 4));
    v->setParameter(P::kBypass, 1.f);
    const auto out2 = run(v, in);
    for (std::size_t i = static_cast<std::size_t>(0.020 * kRate); i < in.l.size(); ++i)
        BOOST_REQUIRE_EQUAL(out2.l[i], in.l[i]);
}

BOOST_AUTO_TEST_CASE(mono_bass_sum_is_flat_and_highs_keep_their_image)
{
    for (float xover : {60.f, 120.f, 300.f}) {
        auto u = make({{P::kMonoBass, 1.f}, {P::kMonoBassFreq, xover}});
        // Identical channels: output = LP4(x) + HP4(x), an all-pass: flat magnitude.
        Stereo imp{std::vector<float>(1 << 17, 0.f), std::vector<float>(1 << 17, 0.f)};
        imp.l[0] = imp.r[0] = 1.f;
        const auto ir = run(u, imp, 4096);
        double worst = 0.0;
        for (double f : mwtest::logGrid(10.0, 20000.0, 6))
            worst = std::max(worst, std::fabs(mwtest::db(mwtest::magnitudeAt(ir.l, f, kRate))));
        BOOST_TEST_MESSAGE("mono-bass " << xover << " Hz: worst deviation " << worst << " dB");
        BOOST_TEST(worst < 0.01);

        // Left-only content well above the crossover stays on the left.
        auto v = make({{P::kMonoBass, 1.f}, {P::kMonoBassFreq, xover}});
        const Stereo hi{mwtest::sine(48000, 16.0 * xover, kRate, 0.5), std::vector<float>(48000, 0.f)};
        const auto outHi = run(v, hi);
        const double leak = mwtest::rms(&outHi.r[24000], 24000) / mwtest::rms(&outHi.l[24000], 24000);
        BOOST_TEST(mwtest::db(leak) < -60.0);
        // Left-only content well below the crossover is shared equally: mono.
        auto w = make({{P::kMonoBass, 1.f}, {P::kMonoBassFreq, xover}});
        const Stereo lo{mwtest::sine(96000, xover / 8.0, kRate, 0.5), std::vector<float>(96000, 0.f)};
        const auto outLo = run(w, lo);
        const double ratio = mwtest::rms(&outLo.r[48000], 48000) / mwtest::rms(&outLo.l[48000], 48000);
        BOOST_TEST(std::fabs(mwtest::db(ratio)) < 0.1);
    }
}

BOOST_AUTO_TEST_CASE(dc_blocker_removes_dc_and_passes_audio)
{
    auto u = make({{P::kDcBlock, 1.f}});
    Stereo dc{std::vector<float>(96000, 0.25f), std::vector<float>(96000, 0.25f)};
    const auto out = run(u, dc);
    BOOST_TEST(std::fabs(out.l.back()) < 1e-4); // exp(-2 pi 5 * 2 s) ~ 0
    auto v = make({{P::kDcBlock, 1.f}});
    const Stereo tone{mwtest::sine(48000, 1000.0, kRate, 0.5), mwtest::sine(48000, 1000.0, kRate, 0.5)};
    const auto out2 = run(v, tone);
    // H(z) = (1 - z^-1) / (1 - R z^-1), R = exp(-2 pi 5 / fs): compare at 1 kHz.
    const double r = std::exp(-2.0 * std::numbers::pi * 5.0 / kRate);
    const auto z1 = std::polar(1.0, -2.0 * std::numbers::pi * 1000.0 / kRate);
    const double expected = std::abs((1.0 - z1) / (1.0 - r * z1));
    const double measured = mwtest::rms(&out2.l[24000], 24000) / mwtest::rms(&tone.l[24000], 24000);
    BOOST_TEST(std::fabs(mwtest::db(measured / expected)) < 1e-3);
}

BOOST_AUTO_TEST_CASE(meters_read_peak_and_correlation)
{
    auto u = make({});
    const auto s = mwtest::sine(48000, 997.0, kRate, 0.5);
    run(u, {s, s});
    BOOST_TEST(u->outputValue(P::kPeakL) == -6.0206f, boost::test_tools::tolerance(0.05f / 6.f));
    BOOST_TEST(u->outputValue(P::kCorrelation) == 1.f, boost::test_tools::tolerance(1e-3f));
    auto v = make({{P::kPhaseR, 1.f}});
    run(v, {s, s});
    BOOST_TEST(v->outputValue(P::kCorrelation) == -1.f, boost::test_tools::tolerance(1e-3f));
    auto w = make({});
    run(w, noiseStereo(96000, 11));
    BOOST_TEST(std::fabs(w->outputValue(P::kCorrelation)) < 0.1f);
    auto z = make({});
    run(z, {std::vector<float>(4800, 0.f), std::vector<float>(4800, 0.f)});
    BOOST_TEST(z->outputValue(P::kCorrelation) == 0.f);
    BOOST_TEST(z->outputValue(P::kPeakL) == -120.f);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(block_size)

// Everything on, a parameter change at a fixed sample: output must not depend on how
// the host cuts the stream into blocks.
Stereo render(const std::function<std::uint32_t()>& nextBlock)
{
    auto u = make({{P::kWidth, 150.f}, {P::kMonoBass, 1.f}, {P::kMonoBassFreq, 90.f}, {P::kDelayL, 3.f},
                   {P::kDcBlock, 1.f}, {P::kPan, -30.f}, {P::kPanLaw, 1.f}, {P::kTrim, 3.f}});
    const auto in = noiseStereo(30000, 5);
    Stereo out{in.l, in.r};
    constexpr std::size_t kChangeAt = 12000;
    std::size_t pos = 0;
    bool changed = false;
    while (pos < in.l.size()) {
        if (!changed && pos == kChangeAt) {
            u->setParameter(P::kMonoBassFreq, 250.f);
            u->setParameter(P::kGain, -6.f);
            u->setParameter(P::kDelayL, 9.f);
            u->setParameter(P::kSwap, 1.f);
            changed = true;
        }
        std::size_t n = nextBlock();
        const std::size_t limit = changed ? in.l.size() : kChangeAt;
        n = std::min(n, limit - pos);
        u->process(&in.l[pos], &in.r[pos], &out.l[pos], &out.r[pos], static_cast<std::uint32_t>(n));
        pos += n;
    }
    return out;
}

BOOST_AUTO_TEST_CASE(bit_exact_for_any_block_size)
{
    const auto ref = render([] { return 30000u; });
    for (std::uint32_t b : {1u, 17u, 64u, 4096u}) {
        const auto out = render([b] { return b; });
        BOOST_TEST_CONTEXT("block " << b)
        {
            BOOST_TEST(out.l == ref.l, boost::test_tools::per_element());
            BOOST_TEST(out.r == ref.r, boost::test_tools::per_element());
        }
    }
    std::mt19937 rng(42);
    std::uniform_int_distribution<std::uint32_t> d(1, 8192);
    const auto out = render([&] { return d(rng); });
    BOOST_TEST(out.l == ref.l, boost::test_tools::per_element());
    BOOST_TEST(out.r == ref.r, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
