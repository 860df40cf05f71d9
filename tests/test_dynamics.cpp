// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright Compressor and Gate against independent references:
// - the static curve at steady state against the closed-form hard/soft-knee gain
//   computer (Giannoulis, Massberg, Reiss, JAES 2012, eq. 4, written out again here),
//   within 0.1 dB over a grid of threshold, ratio and knee, peak and RMS detectors;
// - attack and release time constants against their definition (63.2 % of a step of
//   the gain reduction after tau), within 10 %;
// - lookahead >= attack: no output sample above the static curve's target by > 0.1 dB;
// - reported latency = measured latency (impulse peak) for every lookahead value,
//   in the DSP and through the lilv host; mix 0 % bit-exact with the delayed input;
//   mix 50 % with no compression equals the delayed input (dry path aligned);
// - external sidechain: the key sets the gain reduction, the main input does not;
// - gate: opens and closes at the two thresholds, hold exact to the sample, range,
//   expander curve, ducker;
// - block-size independence (1, 17, 64, 4096, random) bit-exact;
// - factory presets, loaded through the host, do what their names say.
// Measured figures are printed with BOOST_TEST_MESSAGE (run with --log_level=message).

#define BOOST_TEST_MODULE dynamics
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wunknown-warning-option"
#pragma clang diagnostic ignored "-Wc2y-extensions"
#endif
#include <boost/test/unit_test.hpp>

#include "host/host.hpp"
#include "mixwright/dsp/compressor.hpp"
#include "mixwright/dsp/gate.hpp"
#include "support.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <random>
#include <sstream>

using namespace mixwright;
namespace cp = params::compressor;
namespace gp = params::gate;
using CP = cp::Index;
using GP = gp::Index;

namespace {

constexpr double kRate = 48000.0;

struct Stereo {
    std::vector<float> l, r;
};

Stereo constant(std::size_t n, float v) { return {std::vector<float>(n, v), std::vector<float>(n, v)}; }

// Closed form, written from the paper independently of dynamics.hpp (in double).
double curveDb(double x, double t, double r, double w)
{
    const double slope = r >= cp::kRatioLimit ? 0.0 : 1.0 / r;
    if (2.0 * (x - t) < -w)
        return x;
    if (w > 0.0 && 2.0 * std::fabs(x - t) <= w)
        return x + (slope - 1.0) * (x - t + w / 2.0) * (x - t + w / 2.0) / (2.0 * w);
    return t + (x - t) * slope;
}

template <class Unit>
std::unique_ptr<Unit> make(std::initializer_list<std::pair<int, float>> settings, double rate = kRate)
{
    auto u = std::make_unique<Unit>();
    for (auto [i, v] : settings)
        u->setParameter(i, v);
    u->prepare(rate, 8192);
    return u;
}

/// Runs in blocks of `block` (0 = random sizes 1..700); key may be empty (internal).
template <class Unit>
Stereo run(Unit& u, const Stereo& in, std::uint32_t block = 512, const Stereo* key = nullptr)
{
    Stereo out{std::vector<float>(in.l.size()), std::vector<float>(in.r.size())};
    std::mt19937 rng(7);
    std::uniform_int_distribution<std::uint32_t> sizes(1, 700);
    for (std::size_t pos = 0; pos < in.l.size();) {
        const std::uint32_t b = block ? block : sizes(rng);
        const auto n = static_cast<std::uint32_t>(std::min<std::size_t>(b, in.l.size() - pos));
        u.process(&in.l[pos], &in.r[pos], key ? &key->l[pos] : nullptr, key ? &key->r[pos] : nullptr, &out.l[pos],
                  &out.r[pos], n);
        pos += n;
    }
    return out;
}

std::uint32_t peakIndex(const std::vector<float>& v)
{
    return static_cast<std::uint32_t>(std::max_element(v.begin(), v.end(), [](float a, float b) {
                                          return std::fabs(a) < std::fabs(b);
                                      }) -
                                      v.begin());
}

host::World& world()
{
    static host::World w;
    return w;
}

} // namespace

BOOST_AUTO_TEST_SUITE(compressor)

BOOST_AUTO_TEST_CASE(static_curve_matches_closed_form)
{
    // Peak detector, DC levels: the detector reads the level exactly; after settling
    // the gain is the static curve's. Levels sweep up, then down (both branches).
    double worst = 0.0;
    int points = 0;
    for (float t : {-40.f, -24.f, -12.f, -3.f})
        for (float r : {1.f, 1.5f, 2.f, 4.f, 10.f, cp::kRatioLimit})
            for (float w : {0.f, 3.f, 6.f, 12.f, 24.f}) {
                auto c = make<dsp::Compressor>({{CP::kThreshold, t}, {CP::kRatio, r}, {CP::kKnee, w},
                                                {CP::kDetector, cp::kPeak}, {CP::kAttack, 0.1f},
                                                {CP::kRelease, 5.f}});
                std::vector<float> levels;
                for (float x = -60.f; x <= 0.f; x += 1.5f)
                    levels.push_back(x);
                for (float x = 0.f; x >= -60.f; x -= 2.5f)
                    levels.push_back(x);
                for (float x : levels) {
                    const float a = static_cast<float>(std::pow(10.0, x / 20.0));
                    const auto out = run(*c, constant(4800, a)); // 100 ms: > 20 release constants
                    for (const auto* ch : {&out.l, &out.r}) {
                        const double y = mwtest::db(std::fabs(ch->back()));
                        const double err = std::fabs(y - curveDb(x, t, r, w));
                        worst = std::max(worst, err);
                        BOOST_TEST(err < 0.1, "T " << t << " R " << r << " W " << w << " x " << x << ": " << y);
                    }
                    ++points;
                }
            }
    BOOST_TEST_MESSAGE("static curve (peak, DC), " << points << " points: max error " << worst << " dB");

    // RMS detector, 1 kHz sine, 10 ms window (10 periods): level = A/sqrt(2).
    double worstRms = 0.0;
    for (float t : {-30.f, -12.f})
        for (float r : {2.f, 8.f})
            for (float w : {0.f, 10.f}) {
                auto c = make<dsp::Compressor>({{CP::kThreshold, t}, {CP::kRatio, r}, {CP::kKnee, w},
                                                {CP::kDetector, cp::kRms}, {CP::kRmsWindow, 10.f},
                                                {CP::kAttack, 1.f}, {CP::kRelease, 20.f}});
                for (float x = -45.f; x <= -3.f; x += 3.f) {
                    const double amp = std::pow(10.0, x / 20.0) * std::sqrt(2.0);
                    const auto s = mwtest::sine(24000, 1000.0, kRate, amp);
                    const auto out = run(*c, Stereo{s, s});
                    const double g = mwtest::rms(&out.l[24000 - 480], 480) / mwtest::rms(&s[24000 - 480], 480);
                    const double err = std::fabs(x + mwtest::db(g) - curveDb(x, t, r, w));
                    worstRms = std::max(worstRms, err);
                    BOOST_TEST(err < 0.1, "RMS T " << t << " R " << r << " W " << w << " x " << x);
                }
            }
    BOOST_TEST_MESSAGE("static curve (RMS 10 ms, 1 kHz sine): max error " << worstRms << " dB");
}

BOOST_AUTO_TEST_CASE(auto_makeup_is_the_full_scale_reduction)
{
    // M = -(y_G(0) - 0): T -20, R 4, W 0 -> 15 dB; a 0 dBFS level comes out at 0 dBFS.
    auto c = make<dsp::Compressor>({{CP::kThreshold, -20.f}, {CP::kRatio, 4.f}, {CP::kKnee, 0.f},
                                    {CP::kDetector, cp::kPeak}, {CP::kAutoMakeup, 1.f}});
    const auto out = run(*c, constant(9600, 1.f));
    BOOST_TEST(std::fabs(mwtest::db(out.l.back())) < 0.01);
}

BOOST_AUTO_TEST_CASE(attack_and_release_time_constants)
{
    // Step of the wanted reduction: -40 dBFS (below T) to -10 dBFS: T -30, R 4, hard
    // knee -> 15 dB. By definition the reduction reaches 63.2 % after tau (attack), and
    // falls to 36.8 % of it after tau (release).
    double worst = 0.0;
    std::ostringstream table;
    for (float attack : {0.5f, 2.f, 10.f, 50.f, 200.f})
        for (float release : {5.f, 50.f, 200.f, 1000.f}) {
            auto c = make<dsp::Compressor>({{CP::kThreshold, -30.f}, {CP::kRatio, 4.f}, {CP::kKnee, 0.f},
                                            {CP::kDetector, cp::kPeak}, {CP::kAttack, attack},
                                            {CP::kRelease, release}});
            const std::size_t seg = static_cast<std::size_t>(kRate * (10 * std::max(attack, release) * 1e-3 + 0.1));
            const float lo = 0.01f, hi = static_cast<float>(std::pow(10.0, -10.0 / 20.0));
            Stereo in = constant(3 * seg, lo);
            std::fill(in.l.begin() + static_cast<long>(seg), in.l.begin() + static_cast<long>(2 * seg), hi);
            in.r = in.l;
            const auto out = run(*c, in);
            auto grAt = [&](std::size_t n) { return mwtest::db(in.l[n] / out.l[n]); };
            const double full = grAt(2 * seg - 1);
            BOOST_TEST(std::fabs(full - 15.0) < 0.01);
            std::size_t n = seg;
            while (grAt(n) < (1.0 - std::exp(-1.0)) * full)
                ++n;
            const double tA = static_cast<double>(n - seg + 1) / kRate * 1e3;
            n = 2 * seg;
            while (grAt(n) > std::exp(-1.0) * full)
                ++n;
            const double tR = static_cast<double>(n - 2 * seg + 1) / kRate * 1e3;
            const double eA = std::fabs(tA / attack - 1.0), eR = std::fabs(tR / release - 1.0);
            worst = std::max({worst, eA, eR});
            BOOST_TEST(eA < 0.10, "attack " << attack << " ms measured " << tA);
            BOOST_TEST(eR < 0.10, "release " << release << " ms measured " << tR);
            table << "  attack " << attack << " ms -> " << tA << " ms; release " << release << " ms -> " << tR
                  << " ms\n";
        }
    BOOST_TEST_MESSAGE("time constants (63.2 % definition), max relative error " << worst * 100.0 << " %\n"
                                                                                   << table.str());
}

BOOST_AUTO_TEST_CASE(program_dependent_release_is_slower_after_sustained_reduction)
{
    // Same set release; after a 20 ms burst the reduction recovers faster than after 2 s.
    auto recovery = [](double burstSeconds) {
        auto c = make<dsp::Compressor>({{CP::kThreshold, -30.f}, {CP::kRatio, 4.f}, {CP::kKnee, 0.f},
                                        {CP::kDetector, cp::kPeak}, {CP::kAttack, 1.f}, {CP::kRelease, 50.f},
                                        {CP::kAutoRelease, 1.f}});
        const auto burst = static_cast<std::size_t>(burstSeconds * kRate);
        Stereo in = constant(burst + 96000, 0.01f);
        std::fill(in.l.begin(), in.l.begin() + static_cast<long>(burst), 0.316f);
        in.r = in.l;
        const auto out = run(*c, in);
        std::size_t n = burst;
        while (mwtest::db(in.l[n] / out.l[n]) > 1.0)
            ++n;
        return static_cast<double>(n - burst) / kRate * 1e3;
    };
    const double shortMs = recovery(0.02), longMs = recovery(2.0);
    BOOST_TEST_MESSAGE("auto release: recovery to 1 dB after 20 ms burst " << shortMs << " ms, after 2 s "
                                                                           << longMs << " ms");
    BOOST_TEST(longMs > 3.0 * shortMs);
}

BOOST_AUTO_TEST_CASE(lookahead_at_least_attack_never_overshoots)
{
    // Per sample: |out[n]| in dB <= curve(|in[n - L]| in dB) + 0.1 (peak detector, the
    // static target of the very sample leaving the delay). Steps and noise bursts.
    double worst = -1e9;
    for (float look : {0.5f, 2.f, 5.f, 10.f})
        for (float attackFrac : {0.1f, 0.5f, 1.f})
            for (float knee : {0.f, 6.f}) {
                const float attack = std::max(0.1f, look * attackFrac);
                auto c = make<dsp::Compressor>({{CP::kThreshold, -20.f}, {CP::kRatio, 8.f}, {CP::kKnee, knee},
                                                {CP::kDetector, cp::kPeak}, {CP::kAttack, attack},
                                                {CP::kRelease, 50.f}, {CP::kLookahead, look}});
                const std::uint32_t lat = c->latency();
                BOOST_TEST(lat == static_cast<std::uint32_t>(std::lround(look * 1e-3 * kRate)));
                Stereo in = constant(48000, 0.001f);
                std::fill(in.l.begin() + 4800, in.l.begin() + 14400, 0.5f); // step up, then down
                const auto burst = mwtest::noise(9600, 1.f, 3);
                std::copy(burst.begin(), burst.end(), in.l.begin() + 24000);
                in.r = in.l;
                const auto out = run(*c, in);
                for (std::size_t n = lat; n < in.l.size(); ++n) {
                    const double x = mwtest::db(std::fabs(in.l[n - lat]) + 1e-30);
                    if (x < -100.0)
                        continue;
                    const double over = mwtest::db(std::fabs(out.l[n]) + 1e-30) - curveDb(x, -20.0, 8.0, knee);
                    worst = std::max(worst, over);
                    if (over > 0.1) {
                        BOOST_TEST(over <= 0.1, "lookahead " << look << " attack " << attack << " n " << n);
                        break;
                    }
                }
            }
    BOOST_TEST_MESSAGE("lookahead >= attack: largest excess over the static target " << worst << " dB");
}

BOOST_AUTO_TEST_CASE(latency_reported_equals_measured_and_mix_zero_is_delayed_input)
{
    std::ostringstream table;
    table << "latency (lookahead ms: reported / measured samples at 44.1k, 48k, 96k)\n";
    for (float look : {0.f, 0.1f, 0.5f, 1.f, 2.5f, 5.f, 7.5f, 10.f}) {
        table << "  " << look << " ms:";
        for (double rate : {44100.0, 48000.0, 96000.0}) {
            auto c = make<dsp::Compressor>({{CP::kLookahead, look}, {CP::kThreshold, -40.f}}, rate);
            Stereo in = constant(4096, 0.f);
            in.l[100] = in.r[100] = 0.005f; // -46 dBFS: below threshold, gain 1
            const auto out = run(*c, in);
            const std::uint32_t measured = peakIndex(out.l) - 100;
            BOOST_TEST(measured == c->latency());
            BOOST_TEST(c->latency() == static_cast<std::uint32_t>(std::lround(look * 1e-3 * rate)));
            table << " " << c->latency() << "/" << measured;

            // Mix 0 with heavy compression: bit-exact with the delayed input.
            auto d = make<dsp::Compressor>({{CP::kLookahead, look}, {CP::kThreshold, -40.f}, {CP::kRatio, 20.f},
                                            {CP::kMix, 0.f}, {CP::kMakeup, 12.f}},
                                           rate);
            const Stereo noise{mwtest::noise(8192, 0.9f, 11), mwtest::noise(8192, 0.9f, 12)};
            const auto dry = run(*d, noise);
            const std::uint32_t lat = d->latency();
            bool exact = true;
            for (std::size_t n = 0; n < noise.l.size(); ++n) {
                const float el = n < lat ? 0.f : noise.l[n - lat], er = n < lat ? 0.f : noise.r[n - lat];
                exact = exact && dry.l[n] == el && dry.r[n] == er;
            }
            BOOST_TEST(exact, "mix 0 not the delayed input at lookahead " << look);

            // Mix 50 % with no gain change: dry and wet aligned, so the sum is the
            // delayed input (a misaligned dry path would comb).
            auto e = make<dsp::Compressor>(
                {{CP::kLookahead, look}, {CP::kThreshold, 0.f}, {CP::kKnee, 0.f}, {CP::kMix, 50.f}}, rate);
            const auto half = run(*e, Stereo{noise.l, noise.r});
            double err = 0.0;
            for (std::size_t n = lat; n < noise.l.size(); ++n)
                err = std::max(err, static_cast<double>(std::fabs(half.l[n] - noise.l[n - lat])));
            BOOST_TEST(err < 1e-6);
        }
        table << "\n";
    }
    BOOST_TEST_MESSAGE(table.str());
}

BOOST_AUTO_TEST_CASE(external_key_controls_gain_reduction)
{
    auto c = make<dsp::Compressor>({{CP::kSource, cp::kExternal}, {CP::kThreshold, -30.f}, {CP::kRatio, 4.f},
                                    {CP::kKnee, 0.f}, {CP::kDetector, cp::kPeak}});
    // Loud main input, silent key: no gain reduction, output bit-exact.
    const Stereo loud{mwtest::noise(9600, 1.f, 5), mwtest::noise(9600, 1.f, 6)};
    const Stereo silent = constant(9600, 0.f);
    const auto out = run(*c, loud, 512, &silent);
    BOOST_TEST(out.l == loud.l, boost::test_tools::per_element());
    // Quiet main input, key at -10 dBFS: 15 dB of reduction, from the key alone.
    const auto quiet = mwtest::sine(9600, 1000.0, kRate, 0.01);
    const Stereo key = constant(9600, 0.316227766f);
    const auto out2 = run(*c, Stereo{quiet, quiet}, 512, &key);
    const double gr = mwtest::db(mwtest::rms(quiet.data() + 4800, 4800) / mwtest::rms(out2.l.data() + 4800, 4800));
    BOOST_TEST(std::fabs(gr - 15.0) < 0.05);
    BOOST_TEST(std::fabs(c->outputValue(CP::kGainReduction) - 15.f) < 0.05f);
    // Internal source: the same key is ignored.
    c->setParameter(CP::kSource, cp::kInternal);
    c->reset();
    const auto out3 = run(*c, Stereo{quiet, quiet}, 512, &key);
    BOOST_TEST(out3.l == quiet, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(sidechain_high_pass_removes_low_key)
{
    // A 40 Hz key at -6 dBFS compresses; with the key high-pass at 1 kHz (12 dB/oct,
    // about -49 dB at 40 Hz) it no longer reaches the -30 dB threshold.
    const auto low = mwtest::sine(48000, 40.0, kRate, 0.5);
    auto gr = [&](bool hp) {
        auto c = make<dsp::Compressor>({{CP::kThreshold, -30.f}, {CP::kDetector, cp::kRms},
                                        {CP::kScHpOn, hp ? 1.f : 0.f}, {CP::kScHpFreq, 1000.f}});
        run(*c, Stereo{low, low});
        return c->outputValue(CP::kGainReduction);
    };
    BOOST_TEST(gr(false) > 10.f);
    BOOST_TEST(gr(true) < 0.01f);
}

BOOST_AUTO_TEST_CASE(stereo_link)
{
    // Left at -10 dBFS, right at -40: unlinked the right is untouched; linked it gets
    // the left's 15 dB reduction.
    for (float link : {0.f, 50.f, 100.f}) {
        auto c = make<dsp::Compressor>({{CP::kThreshold, -30.f}, {CP::kRatio, 4.f}, {CP::kKnee, 0.f},
                                        {CP::kDetector, cp::kPeak}, {CP::kLink, link}});
        Stereo in{std::vector<float>(9600, 0.316227766f), std::vector<float>(9600, 0.01f)};
        const auto out = run(*c, in);
        const double grR = mwtest::db(in.r.back() / out.r.back());
        // Linked level for R: -40 + link (-10 - -40); reduction = 3/4 (level - T) above T.
        const double lev = -40.0 + link * 0.01 * 30.0;
        const double expect = lev > -30.0 ? 0.75 * (lev + 30.0) : 0.0;
        BOOST_TEST(std::fabs(grR - expect) < 0.01, "link " << link << ": " << grR);
    }
}

BOOST_AUTO_TEST_CASE(mid_side_compresses_mid_only)
{
    // L = R (pure mid) loud, plus a quiet side: in M/S unlinked, the side is untouched.
    auto c = make<dsp::Compressor>({{CP::kThreshold, -30.f}, {CP::kRatio, 4.f}, {CP::kKnee, 0.f},
                                    {CP::kDetector, cp::kPeak}, {CP::kLink, 0.f}, {CP::kStereoMode, cp::kMidSide}});
    const float m = 0.316227766f, s = 0.001f;
    Stereo in{std::vector<float>(9600, m + s), std::vector<float>(9600, m - s)};
    const auto out = run(*c, in);
    const double mOut = 0.5 * (out.l.back() + out.r.back()), sOut = 0.5 * (out.l.back() - out.r.back());
    BOOST_TEST(std::fabs(mwtest::db(m / mOut) - 15.0) < 0.01);
    BOOST_TEST(std::fabs(sOut - s) < 1e-6);
}

BOOST_AUTO_TEST_CASE(block_size_independence)
{
    std::vector<float> sig = mwtest::noise(60000, 0.2f, 21);
    for (std::size_t n = 20000; n < 30000; ++n)
        sig[n] *= 4.f;
    const Stereo in{sig, mwtest::noise(60000, 0.3f, 22)};
    const Stereo key{mwtest::noise(60000, 0.5f, 23), mwtest::noise(60000, 0.1f, 24)};
    for (float look : {0.f, 3.f})
        for (float src : {0.f, 1.f}) {
            auto settings = {std::pair<int, float>{CP::kThreshold, -24.f}, {CP::kRatio, 6.f},
                             {CP::kDetector, cp::kRms}, {CP::kAutoRelease, 1.f}, {CP::kLink, 50.f},
                             {CP::kStereoMode, cp::kMidSide}, {CP::kScHpOn, 1.f}, {CP::kScBandGain, 6.f},
                             {CP::kLookahead, look}, {CP::kMix, 70.f}, {CP::kSource, src}};
            auto ref = make<dsp::Compressor>(settings);
            const auto a = run(*ref, in, 60000, &key);
            for (std::uint32_t block : {1u, 17u, 64u, 4096u, 0u}) {
                auto c = make<dsp::Compressor>(settings);
                const auto b = run(*c, in, block, &key);
                BOOST_TEST((a.l == b.l && a.r == b.r), "block " << block << " lookahead " << look);
            }
        }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(gate)

namespace {
/// Runs one sample per call and records the gate state after each.
std::vector<float> gateStates(dsp::Gate& g, const Stereo& in, Stereo& out, const Stereo* key = nullptr)
{
    std::vector<float> st(in.l.size());
    out = {std::vector<float>(in.l.size()), std::vector<float>(in.l.size())};
    for (std::size_t n = 0; n < in.l.size(); ++n) {
        g.process(&in.l[n], &in.r[n], key ? &key->l[n] : nullptr, key ? &key->r[n] : nullptr, &out.l[n], &out.r[n],
                  1);
        st[n] = g.outputValue(GP::kGateState);
    }
    return st;
}
} // namespace

BOOST_AUTO_TEST_CASE(hysteresis_opens_and_closes_at_the_two_thresholds)
{
    for (float hyst : {0.f, 3.f, 6.f, 12.f}) {
        auto g = make<dsp::Gate>({{GP::kThreshold, -30.f}, {GP::kHysteresis, hyst}, {GP::kHold, 0.f},
                                  {GP::kWindow, 1.f}});
        const std::uint32_t w = g->windowSamples();
        // DC level ramp -50 -> -20 -> -50 dB, 0.01 dB per sample, offset by half a step
        // so that no sample sits on a threshold.
        std::vector<float> lv;
        for (double x = -50.005; x < -20.0; x += 0.01)
            lv.push_back(static_cast<float>(std::pow(10.0, x / 20.0)));
        for (double x = -19.995; x > -50.0; x -= 0.01)
            lv.push_back(static_cast<float>(std::pow(10.0, x / 20.0)));
        const Stereo in{lv, lv};
        Stereo out;
        const auto st = gateStates(*g, in, out);
        // Detector level: largest |x| of the last w samples (computed here from the input).
        auto level = [&](std::size_t n) {
            float m = 0.f;
            for (std::size_t k = 0; k < w && k <= n; ++k)
                m = std::max(m, std::fabs(lv[n - k]));
            return mwtest::db(m);
        };
        const auto openAt = static_cast<std::size_t>(std::find(st.begin(), st.end(), 1.f) - st.begin());
        const auto closeAt = static_cast<std::size_t>(std::find(st.begin() + static_cast<long>(openAt), st.end(), 0.f) -
                                                      st.begin());
        BOOST_REQUIRE(openAt < st.size());
        BOOST_REQUIRE(closeAt < st.size());
        BOOST_TEST(level(openAt) >= -30.0);
        BOOST_TEST(level(openAt - 1) < -30.0);
        BOOST_TEST(level(closeAt) < -30.0 - hyst);
        BOOST_TEST(level(closeAt - 1) >= -30.0 - hyst);
        BOOST_TEST_MESSAGE("gate hysteresis " << hyst << " dB: opened at " << level(openAt) << " dB, closed at "
                                              << level(closeAt) << " dB");
    }
}

BOOST_AUTO_TEST_CASE(hold_is_exact_to_the_sample_and_range_is_respected)
{
    for (float holdMs : {0.f, 1.f, 10.f, 100.f})
        for (float windowMs : {0.1f, 5.f}) {
            auto g = make<dsp::Gate>({{GP::kSource, gp::kExternal}, {GP::kThreshold, -20.f}, {GP::kHold, holdMs},
                                      {GP::kWindow, windowMs}, {GP::kAttack, 0.01f}, {GP::kRelease, 1.f},
                                      {GP::kRange, -40.f}});
            const std::size_t m = 4800; // key falls silent here
            Stereo key = constant(20000, 0.f);
            std::fill(key.l.begin(), key.l.begin() + static_cast<long>(m), 0.5f);
            key.r = key.l;
            const Stereo in = constant(20000, 0.1f);
            Stereo out;
            const auto st = gateStates(*g, in, out, &key);
            // Last sample with the key in the window: m + W - 2; first closed: m + W - 1 + hold.
            const std::size_t expect = m + g->windowSamples() - 1 + g->holdSamples();
            const auto firstClosed = static_cast<std::size_t>(std::find(st.begin() + 1, st.end(), 0.f) - st.begin());
            const auto firstDrop = static_cast<std::size_t>(
                std::find_if(out.l.begin() + 100, out.l.end(), [](float v) { return v != 0.1f; }) - out.l.begin());
            BOOST_TEST(firstClosed == expect, "hold " << holdMs << " ms, window " << windowMs);
            BOOST_TEST(firstDrop == expect, "hold " << holdMs << " ms, window " << windowMs);
            // Range: long after closing, the gain is -40 dB.
            BOOST_TEST(std::fabs(mwtest::db(out.l.back() / 0.1) + 40.0) < 0.01);
        }
    for (float range : {-10.f, -60.f, -90.f}) {
        auto g = make<dsp::Gate>({{GP::kThreshold, -20.f}, {GP::kRange, range}, {GP::kRelease, 1.f}});
        const auto out = run(*g, constant(9600, 0.01f)); // -40 dBFS: closed
        BOOST_TEST(std::fabs(mwtest::db(out.l.back() / 0.01) - range) < 0.01);
        BOOST_TEST(std::fabs(g->outputValue(GP::kGainReduction) + range) < 0.01);
    }
}

BOOST_AUTO_TEST_CASE(expander_and_ducker)
{
    // Expander, ratio 3, T -30: a -40 dBFS level gets (x - T)(R - 1) = -20 dB.
    auto e = make<dsp::Gate>({{GP::kMode, gp::kExpander}, {GP::kRatio, 3.f}, {GP::kThreshold, -30.f},
                              {GP::kRange, -60.f}, {GP::kHold, 0.f}, {GP::kRelease, 1.f}});
    const auto out = run(*e, constant(9600, 0.01f));
    BOOST_TEST(std::fabs(mwtest::db(out.l.back() / 0.01) + 20.0) < 0.01);
    // Ducker: a loud key takes the main signal down by the range; silence restores it.
    auto d = make<dsp::Gate>({{GP::kMode, gp::kDucker}, {GP::kSource, gp::kExternal}, {GP::kThreshold, -30.f},
                              {GP::kRange, -12.f}, {GP::kHold, 0.f}, {GP::kRelease, 10.f}});
    Stereo key = constant(48000, 0.f);
    std::fill(key.l.begin(), key.l.begin() + 24000, 0.5f);
    key.r = key.l;
    const auto dout = run(*d, constant(48000, 0.1f), 512, &key);
    BOOST_TEST(std::fabs(mwtest::db(dout.l[23999] / 0.1) + 12.0) < 0.01);
    BOOST_TEST(dout.l.back() == 0.1f);
}

BOOST_AUTO_TEST_CASE(gate_latency_and_block_size_independence)
{
    for (float look : {0.f, 1.f, 5.f, 10.f}) {
        auto g = make<dsp::Gate>({{GP::kLookahead, look}, {GP::kRange, 0.f}});
        Stereo in = constant(2048, 0.f);
        in.l[50] = in.r[50] = 0.5f;
        const auto out = run(*g, in);
        BOOST_TEST(peakIndex(out.l) - 50 == g->latency());
        BOOST_TEST(g->latency() == static_cast<std::uint32_t>(std::lround(look * 1e-3 * kRate)));
    }
    std::vector<float> sig = mwtest::noise(60000, 0.001f, 31);
    for (std::size_t n = 10000; n < 20000; ++n)
        sig[n] *= 300.f;
    const Stereo in{sig, sig};
    for (float mode : {0.f, 1.f, 2.f}) {
        auto settings = {std::pair<int, float>{GP::kMode, mode}, {GP::kThreshold, -30.f}, {GP::kLookahead, 2.f},
                         {GP::kHold, 20.f}, {GP::kScHpOn, 1.f}, {GP::kScLpOn, 1.f}};
        auto ref = make<dsp::Gate>(settings);
        const auto a = run(*ref, in, 60000);
        for (std::uint32_t block : {1u, 17u, 64u, 4096u, 0u}) {
            auto g = make<dsp::Gate>(settings);
            const auto b = run(*g, in, block);
            BOOST_TEST((a.l == b.l && a.r == b.r), "block " << block << " mode " << mode);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(through_host)

BOOST_AUTO_TEST_CASE(reported_latency_equals_measured_latency)
{
    std::ostringstream table;
    table << "host latency (lookahead ms: lv2_latency port / impulse peak)\n";
    for (const char* uri : {"urn:mixwright:compressor", "urn:mixwright:gate"})
        for (float look : {0.f, 0.5f, 1.f, 2.5f, 5.f, 10.f}) {
            host::InstanceOptions opt;
            opt.maxBlock = 1024;
            std::string error;
            auto p = host::Plugin::create(world(), uri, opt, &error);
            BOOST_REQUIRE_MESSAGE(p, error);
            BOOST_REQUIRE(p->setControl("lookahead", look));
            p->setControl("range", 0.f); // gate: unity gain (no such port on the compressor)
            p->activate();
            std::vector<float> l(1024, 0.f), r(1024, 0.f), ol(1024), orr(1024);
            l[10] = r[10] = 0.005f;
            const float* in[4] = {l.data(), r.data(), nullptr, nullptr};
            float* out[2] = {ol.data(), orr.data()};
            p->run(in, out, 1024);
            const std::uint32_t measured = peakIndex(ol) - 10;
            BOOST_TEST(p->reportedLatency() == measured, uri << " lookahead " << look);
            table << "  " << uri << " " << look << " ms: " << p->reportedLatency() << " / " << measured << "\n";
        }
    BOOST_TEST_MESSAGE(table.str());
}

BOOST_AUTO_TEST_CASE(compressor_presets_do_what_they_say)
{
    // Each preset on a -6 dBFS 1 kHz sine (plus a -6 dBFS key where relevant): the
    // steady gain reduction from the compressor's own GR output and from the audio.
    struct Expect {
        const char* fragment;
        double grMin, grMax; // dB at -6 dBFS
        bool parallel;
    };
    const Expect expects[] = {
        {"vocal-leveller", 6.0, 20.0, false},
        {"drum-bus", 3.0, 15.0, false},
        {"mix-bus", 1.0, 8.0, false},
        {"parallel-smash", 15.0, 60.0, true},
    };
    host::InstanceOptions opt;
    opt.maxBlock = 512;
    std::string error;
    auto p = host::Plugin::create(world(), "urn:mixwright:compressor", opt, &error);
    BOOST_REQUIRE_MESSAGE(p, error);
    const auto presets = p->presets();
    BOOST_TEST(presets.size() == 4u);
    for (const auto& e : expects) {
        const auto it = std::find_if(presets.begin(), presets.end(),
                                     [&](const std::string& s) { return s.find(e.fragment) != std::string::npos; });
        BOOST_REQUIRE_MESSAGE(it != presets.end(), e.fragment);
        BOOST_REQUIRE_MESSAGE(p->loadPreset(*it, &error), error);
        p->activate();
        const auto s = mwtest::sine(96000, 1000.0, 48000.0, 0.5);
        std::vector<float> ol(512), orr(512);
        float gr = 0.f;
        double sumIn = 0.0, sumOut = 0.0;
        for (std::size_t pos = 0; pos + 512 <= s.size(); pos += 512) {
            const float* in[4] = {&s[pos], &s[pos], nullptr, nullptr};
            float* out[2] = {ol.data(), orr.data()};
            p->run(in, out, 512);
            gr = p->control("gain_reduction");
            if (pos >= 48000) {
                sumIn += mwtest::rms(&s[pos], 512);
                sumOut += mwtest::rms(ol.data(), 512);
            }
        }
        BOOST_TEST_MESSAGE("preset " << *it << ": GR " << gr << " dB, output/input " << mwtest::db(sumOut / sumIn)
                                     << " dB");
        BOOST_TEST(gr >= e.grMin, e.fragment);
        BOOST_TEST(gr <= e.grMax, e.fragment);
        if (e.parallel) {
            // Parallel: a dry share keeps the output within a few dB of the input although
            // the wet path is crushed.
            BOOST_TEST(p->control("mix") < 100.f);
            BOOST_TEST(mwtest::db(sumOut / sumIn) > -6.0, e.fragment);
        } else {
            BOOST_TEST(std::fabs(mwtest::db(sumOut / sumIn) - (p->control("makeup") - gr)) < 1.5, e.fragment);
        }
        p->deactivate();
    }
}

BOOST_AUTO_TEST_SUITE_END()
