// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright EQ's factory presets (ttl/eq/presets.ttl), loaded through the lilv host
// (host::Plugin::loadPreset) from the built bundle. Each preset's response, measured
// from the plugin's impulse response, is compared with the analog prototypes of the
// bands it enables (closed-form formulas) and the Butterworth |H|^2 of its filters;
// the de-esser is checked with tones: a loud 6.5 kHz tone is cut by its range, a low
// tone passes untouched.

#define BOOST_TEST_MODULE eq_presets
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wunknown-warning-option"
#pragma clang diagnostic ignored "-Wc2y-extensions"
#endif
#include <boost/test/unit_test.hpp>

#include "host/host.hpp"
#include "mixwright/dsp/matched_biquad.hpp"
#include "mixwright/params/eq.hpp"
#include "support.hpp"

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

using mixwright::host::InstanceOptions;
using mixwright::host::Plugin;
using mixwright::host::World;
namespace pe = mixwright::params::eq;

namespace {

constexpr double kRate = 48000.0;
const std::string kUri = "urn:mixwright:eq";

World& world()
{
    static World w;
    return w;
}

std::unique_ptr<Plugin> loadWithPreset(const std::string& preset)
{
    InstanceOptions o;
    o.sampleRate = kRate;
    o.maxBlock = 512;
    o.offline = true;
    std::string error;
    auto p = Plugin::create(world(), kUri, o, &error);
    BOOST_TEST_REQUIRE(p.get() != nullptr, error);
    BOOST_TEST_REQUIRE(p->loadPreset(kUri + "#preset-" + preset, &error), error);
    p->activate();
    return p;
}

/// Runs a stereo signal (same on both channels) through the plugin, block 512; left out.
std::vector<float> runThrough(Plugin& p, const std::vector<float>& x)
{
    std::vector<float> l(x.size()), r(x.size());
    for (std::size_t pos = 0; pos < x.size(); pos += 512) {
        const auto n = static_cast<uint32_t>(std::min<std::size_t>(512, x.size() - pos));
        const float* in[] = {&x[pos], &x[pos], nullptr, nullptr};
        float* out[] = {&l[pos], &r[pos]};
        p.run(in, out, n);
    }
    return l;
}

/// Expected response (dB) from the plugin's current controls: analog prototypes of the
/// enabled static bands plus Butterworth |H|^2 of the enabled HP/LP.
double expectedDb(const Plugin& p, double f)
{
    auto ctl = [&p](const char* prefix, int band, const char* field) {
        char symbol[32];
        if (band > 0)
            std::snprintf(symbol, sizeof symbol, "%s%d_%s", prefix, band, field);
        else
            std::snprintf(symbol, sizeof symbol, "%s_%s", prefix, field);
        return static_cast<double>(p.control(symbol));
    };
    double db = 0.0;
    for (int b = 1; b <= pe::kBands; ++b) {
        if (ctl("b", b, "enable") < 0.5)
            continue;
        const auto type = static_cast<mixwright::dsp::BandType>(static_cast<int>(ctl("b", b, "type")));
        db += mixwright::dsp::analogMagnitudeDb(type, ctl("b", b, "freq"), ctl("b", b, "gain"), ctl("b", b, "q"), f);
    }
    for (const char* side : {"hp", "lp"}) {
        if (ctl(side, 0, "enable") < 0.5)
            continue;
        const int order = pe::kSlopeOrders[static_cast<int>(ctl(side, 0, "slope"))];
        const double fc = ctl(side, 0, "freq");
        db -= 10.0 * std::log10(1.0 + std::pow(side[0] == 'h' ? fc / f : f / fc, 2.0 * order));
    }
    return db + p.control("gain");
}

void checkStaticResponse(const std::string& preset)
{
    auto p = loadWithPreset(preset);
    std::vector<float> imp(32768, 0.f);
    imp[0] = 1.f;
    const auto ir = runThrough(*p, imp);
    double worst = 0.0;
    for (double f : mwtest::logGrid(30.0, 16000.0, 6)) {
        const double got = mwtest::db(mwtest::magnitudeAt(ir, f, kRate)), want = expectedDb(*p, f);
        // Matched design: within 0.15 dB below 5 kHz, 0.5 dB above (see test_eq's table).
        BOOST_TEST(std::fabs(got - want) <= (f < 5000.0 ? 0.15 : 0.5), preset << " at " << f << " Hz: " << got
                                                                           << " dB, analog " << want << " dB");
        worst = std::max(worst, std::fabs(got - want));
    }
    BOOST_TEST_MESSAGE(preset << ": worst deviation from the analog response " << worst << " dB");
}

} // namespace

BOOST_AUTO_TEST_CASE(every_factory_preset_is_listed_and_loads)
{
    InstanceOptions o;
    std::string error;
    auto p = Plugin::create(world(), kUri, o, &error);
    BOOST_TEST_REQUIRE(p.get() != nullptr, error);
    const auto presets = p->presets();
    BOOST_TEST(presets.size() == 4u);
    for (const auto& uri : presets)
        BOOST_TEST(p->loadPreset(uri, &error), uri << ": " << error);
}

BOOST_AUTO_TEST_CASE(vocal_presence) { checkStaticResponse("vocal-presence"); }
BOOST_AUTO_TEST_CASE(kick_bass_carve) { checkStaticResponse("kick-bass-carve"); }

BOOST_AUTO_TEST_CASE(master_tilt)
{
    checkStaticResponse("master-tilt");
    auto p = loadWithPreset("master-tilt");
    // The tilt's ends: -1.5 dB at 20 Hz, +1.5 dB at 20 kHz (analog), 0 dB at 1 kHz.
    BOOST_TEST(expectedDb(*p, 1000.0) == 0.0, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(std::fabs(expectedDb(*p, 20.0) + 1.5) < 0.05);
}

BOOST_AUTO_TEST_CASE(de_ess)
{
    // Quiet: flat. A -10 dBFS 6.5 kHz tone: 20 dB over -30 at 4:1 asks -15 dB, range -9 dB.
    const double loud = std::pow(10.0, -10.0 / 20.0);
    auto p = loadWithPreset("de-ess");
    const auto s = mwtest::sine(48000, 6500.0, kRate, loud);
    const auto y = runThrough(*p, s);
    const std::size_t tail = 4800;
    const double g = mwtest::db(mwtest::rms(&y[y.size() - tail], tail) / mwtest::rms(&s[s.size() - tail], tail));
    BOOST_TEST_MESSAGE("de-ess: 6.5 kHz at -10 dBFS cut by " << g << " dB; reported " << p->control("b6_dyn_gain"));
    BOOST_TEST(g == -9.0, boost::test_tools::tolerance(0.2 / 9.0));
    BOOST_TEST(p->control("b6_dyn_gain") == -9.f, boost::test_tools::tolerance(0.02f));

    auto q = loadWithPreset("de-ess");
    const auto low = mwtest::sine(48000, 200.0, kRate, loud);
    const auto z = runThrough(*q, low);
    const double g2 = mwtest::db(mwtest::rms(&z[z.size() - tail], tail) / mwtest::rms(&low[low.size() - tail], tail));
    BOOST_TEST(std::fabs(g2) < 0.05);

    auto r = loadWithPreset("de-ess");
    const auto quiet = mwtest::sine(48000, 6500.0, kRate, 0.01);
    const auto w = runThrough(*r, quiet);
    const double g3 = mwtest::db(mwtest::rms(&w[w.size() - tail], tail) / mwtest::rms(&quiet[quiet.size() - tail], tail));
    BOOST_TEST(std::fabs(g3) < 0.05);
}
