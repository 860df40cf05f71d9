// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright EQ's DSP against independent references:
// - every band type's digital magnitude against its analog prototype (closed-form
//   formula, see matched_biquad.hpp) over f0 20 Hz..20 kHz, Q 0.1..20, gain +-24 dB,
//   at 44.1/48/96 kHz, evaluated 20 Hz..20 kHz, every design within 0.1 dB, on a grid
//   (the max deviation table is printed) and on random designs;
// - the running EQ's impulse response against the designed coefficients;
// - HP/LP Butterworth cascades against |H|^2 = 1/(1 + (f/fc)^(+-2N));
// - L/R/M/S targeting: the untouched component within 1e-6;
// - dynamic band: static curve against the closed-form compressor/upward curve within
//   0.2 dB, attack/release time constants within 10 %;
// - automation: second difference of the output bounded (no clicks) while sweeping
//   frequency, gain, Q, type and target; a hard coefficient switch violates the bound;
// - block-size independence (1, 17, 64, 4096, random), bit-exact, with automation.

#define BOOST_TEST_MODULE eq
#include <boost/test/unit_test.hpp>

#include "mixwright/dsp/eq.hpp"
#include "support.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <random>
#include <sstream>

using namespace mixwright;
namespace pe = params::eq;
using dsp::BandType;
using P = pe::Index;

namespace {

struct Stereo {
    std::vector<float> l, r;
};

using Settings = std::vector<std::pair<int, float>>;

std::unique_ptr<dsp::Eq> make(const Settings& settings, double rate = 48000.0)
{
    auto e = std::make_unique<dsp::Eq>();
    e->prepare(rate, 8192);
    for (auto [i, v] : settings)
        e->setParameter(i, v); // before the first audio: applies at once
    return e;
}

int bi(int band, pe::BandField f) { return pe::bandIndex(band, f); }

Stereo run(dsp::Eq& e, const Stereo& in, std::uint32_t block = 512, const Stereo* sc = nullptr)
{
    Stereo out{in.l, in.r};
    for (std::size_t pos = 0; pos < in.l.size(); pos += block) {
        const auto n = static_cast<std::uint32_t>(std::min<std::size_t>(block, in.l.size() - pos));
        e.process(&in.l[pos], &in.r[pos], sc ? &sc->l[pos] : nullptr, sc ? &sc->r[pos] : nullptr, &out.l[pos],
                  &out.r[pos], n);
    }
    return out;
}

/// Deviation in dB with both sides floored at `floorDb` (notch and band-pass responses
/// reach -inf; a 0.1 dB criterion below -20 dB, 0.1 % of full scale, is not meaningful).
double deviation(double analogDb, double digitalDb, double floorDb = -40.0)
{
    return std::fabs(std::max(analogDb, floorDb) - std::max(digitalDb, floorDb));
}

double floorFor(BandType t) { return t == BandType::Notch || t == BandType::BandPass ? -20.0 : -40.0; }

std::vector<double> f0Grid()
{
    std::vector<double> f;
    for (double x = 20.0; x < 20000.0; x *= std::pow(2.0, 1.0 / 3.0))
        f.push_back(x);
    f.push_back(20000.0);
    return f;
}

} // namespace

BOOST_AUTO_TEST_SUITE(design)

// The design's accuracy table: the EQ's sections (Vicanek's matched design refined by
// MagnitudeFit, as the EQ converges to) against the analog prototypes. The goal
// is +-0.1 dB everywhere: every design of the grid must meet it at every rate, and the
// worst must keep a margin (kMarginDb; measured worst 0.062 dB). Printed per type and
// rate: the worst deviation over the full grid, the matched design's worst for
// comparison, the share of grid designs within 0.1 dB and the share of designs that
// needed a second section.
constexpr double kGoalDb = 0.1;
constexpr double kMarginDb = 0.08;

struct TypeRow {
    const char* name;
    BandType type;
    bool hasGain;
    double maxQ; // shelves/tilt: Q above 2 is a resonant shelf, tested to 2
};
constexpr TypeRow kTypeRows[] = {
    {"bell", BandType::Bell, true, 20.0},          {"low shelf", BandType::LowShelf, true, 2.0},
    {"high shelf", BandType::HighShelf, true, 2.0}, {"notch", BandType::Notch, false, 20.0},
    {"band-pass", BandType::BandPass, false, 20.0}, {"tilt", BandType::Tilt, true, 2.0},
};
constexpr double kRates[] = {44100.0, 48000.0, 96000.0};

/// Worst floored deviation of `c` from the analog prototype at `freqs`, and at 20 kHz
/// and around f0 (1/64 octave steps over +-1/4 octave: a Q 20 resonance is 0.07
/// octave wide, narrower than any fixed grid).
double worstDeviation(const dsp::FittedSections& c, BandType type, double f0, double gain, double q, double fs,
                      const std::vector<double>& freqs)
{
    double worst = 0.0;
    auto at = [&](double f) {
        const double a = dsp::analogMagnitudeDb(type, f0, gain, q, f);
        worst = std::max(worst, deviation(a, mwtest::db(c.magnitude(f, fs)), floorFor(type)));
    };
    for (double f : freqs)
        at(f);
    at(20000.0);
    for (int k = -16; k <= 16; ++k) {
        const double f = f0 * std::exp2(k / 64.0);
        if (f >= 20.0 && f <= 20000.0)
            at(f);
    }
    return worst;
}

BOOST_AUTO_TEST_CASE(analog_match_table)
{
    const double qs[] = {0.1, 0.2, 0.5, 0.707, 1.0, 2.0, 4.0, 8.0, 20.0};
    const double gains[] = {-24.0, -12.0, -6.0, -1.0, 1.0, 6.0, 12.0, 24.0};
    const auto f0s = f0Grid();
    const auto freqs = mwtest::logGrid(20.0, 20000.0, 24);

    BOOST_TEST_MESSAGE("max |digital - analog| dB, 20 Hz..20 kHz (24 points per octave, 20 kHz, f0 +-1/4 octave in "
                       "1/64 octave steps); f0 grid 1/3 oct 20 Hz..20 kHz, Q 0.1..20, gain +-24 dB");
    BOOST_TEST_MESSAGE("type        rate    worst dB (at f0, Q, gain)           matched design's worst, share of "
                       "designs within 0.1 dB, share with two sections");
    for (const TypeRow& row : kTypeRows) {
        for (double fs : kRates) {
            double worst = 0.0, wf0 = 0.0, wq = 0.0, wg = 0.0, matchedWorst = 0.0;
            int designs = 0, within = 0, two = 0;
            for (double f0 : f0s) {
                for (double q : qs) {
                    if (q > row.maxQ)
                        continue;
                    for (double g : gains) {
                        if (!row.hasGain && g != gains[0])
                            continue;
                        const double gain = row.hasGain ? g : 0.0;
                        const auto c = dsp::designAnalogMatched(row.type, f0, gain, q, fs);
                        const auto m = dsp::designMatched(row.type, f0, gain, q, fs);
                        const double e = worstDeviation(c, row.type, f0, gain, q, fs, freqs);
                        matchedWorst = std::max(matchedWorst,
                                                worstDeviation({m, {}, 1}, row.type, f0, gain, q, fs, freqs));
                        if (e > worst) {
                            worst = e;
                            wf0 = f0;
                            wq = q;
                            wg = gain;
                        }
                        ++designs;
                        within += e <= kGoalDb ? 1 : 0;
                        two += c.sections == 2 ? 1 : 0;
                    }
                }
            }
            char line[240];
            std::snprintf(line, sizeof line,
                          "%-10s %6.0f  %6.3f (f0 %7.0f Hz, Q %5.2f, %+5.1f dB)  matched %6.3f  within 0.1 dB %5.1f %%  "
                          "two sections %4.1f %%",
                          row.name, fs, worst, wf0, wq, wg, matchedWorst, 100.0 * within / designs,
                          100.0 * two / designs);
            BOOST_TEST_MESSAGE(line);
            BOOST_TEST(within == designs, row.name << " at " << fs << " Hz: " << designs - within << " of " << designs
                                                   << " designs miss 0.1 dB");
            BOOST_TEST(worst <= kMarginDb, row.name << " at " << fs << " Hz: " << worst << " dB");
        }
    }
}

// Off the grid: random f0 (log-uniform 20 Hz..20 kHz), Q (log-uniform 0.1..20, 2 for
// shelves and tilt) and gain (uniform +-24 dB), a fixed seed, evaluated at 48 points per
// octave, 20 kHz and around f0, so that the fit is not tuned to the table's grid.
BOOST_AUTO_TEST_CASE(analog_match_random)
{
    constexpr int kSamples = 300; // per type and rate
    std::mt19937 rng(20260311);
    auto uniform = [&rng] { return (static_cast<double>(rng()) + 0.5) / 4294967296.0; };
    const auto freqs = mwtest::logGrid(20.0, 20000.0, 48);
    BOOST_TEST_MESSAGE("random designs (" << kSamples << " per type and rate): worst |digital - analog| dB");
    for (const TypeRow& row : kTypeRows) {
        for (double fs : kRates) {
            double worst = 0.0, wf0 = 0.0, wq = 0.0, wg = 0.0;
            int within = 0;
            for (int i = 0; i < kSamples; ++i) {
                const double f0 = 20.0 * std::pow(1000.0, uniform());
                const double q = 0.1 * std::pow(row.maxQ / 0.1, uniform());
                const double u = uniform();
                const double gain = row.hasGain ? -24.0 + 48.0 * u : 0.0;
                const auto c = dsp::designAnalogMatched(row.type, f0, gain, q, fs);
                const double e = worstDeviation(c, row.type, f0, gain, q, fs, freqs);
                within += e <= kGoalDb ? 1 : 0;
                if (e > worst) {
                    worst = e;
                    wf0 = f0;
                    wq = q;
                    wg = gain;
                }
            }
            char line[200];
            std::snprintf(line, sizeof line, "%-10s %6.0f  %6.3f (f0 %8.2f Hz, Q %6.3f, %+6.2f dB)  within 0.1 dB %5.1f %%",
                          row.name, fs, worst, wf0, wq, wg, 100.0 * within / kSamples);
            BOOST_TEST_MESSAGE(line);
            BOOST_TEST(within == kSamples, row.name << " at " << fs << " Hz: " << kSamples - within << " miss 0.1 dB");
            BOOST_TEST(worst <= kMarginDb, row.name << " at " << fs << " Hz: " << worst << " dB");
        }
    }
}

BOOST_AUTO_TEST_CASE(reference_bell_10k_beats_bilinear_cramping)
{
    // QUALITY.md: bell 10 kHz, +6 dB, Q 1, 48 kHz: cookbook (bilinear) is 1.6 dB under
    // the analog bell at 20 kHz, the best peer 0.57 dB.
    const auto c = dsp::designAnalogMatched(BandType::Bell, 10000.0, 6.0, 1.0, 48000.0);
    const double e = std::fabs(mwtest::db(c.magnitude(20000.0, 48000.0))
                               - dsp::analogMagnitudeDb(BandType::Bell, 10000.0, 6.0, 1.0, 20000.0));
    BOOST_TEST_MESSAGE("bell 10 kHz +6 dB Q 1 at 48 kHz: deviation at 20 kHz " << e << " dB");
    BOOST_TEST(e < 0.1);
}

BOOST_AUTO_TEST_CASE(butterworth_cascades)
{
    // |H|^2 = 1 / (1 + (f/fc)^(2N)) (low-pass), (f/fc)^(2N) / (1 + (f/fc)^(2N)) (high-pass),
    // compared down to -60 dB.
    const auto freqs = mwtest::logGrid(20.0, 20000.0, 12);
    constexpr double kPassBound = 1.0, kStopBound = 7.0; // measured: see the printed table
    for (double fs : {44100.0, 48000.0, 96000.0}) {
        for (int slope = 0; slope < 6; ++slope) {
            const int order = pe::kSlopeOrders[slope];
            double worst = 0.0, worstPass = 0.0;
            for (bool high : {false, true}) {
                for (double fc : {30.0, 100.0, 1000.0, 5000.0}) {
                    const auto plan = dsp::butterworthPlan(order, std::sqrt(0.5));
                    for (double f : freqs) {
                        double h = 1.0;
                        for (int s = 0; s < plan.sections; ++s) {
                            const double q = plan.q[static_cast<std::size_t>(s)];
                            const auto c = q == 0.0 ? dsp::designMatchedFirstOrder(high, fc, fs)
                                                    : dsp::designMatched(high ? BandType::HighPass : BandType::LowPass,
                                                                         fc, 0.0, q, fs);
                            h *= c.magnitude(f, fs);
                        }
                        const double x = std::pow(high ? fc / f : f / fc, 2.0 * order);
                        const double ref = -10.0 * std::log10(1.0 + x);
                        const double e = std::fabs(std::max(ref, -60.0) - std::max(mwtest::db(h), -60.0));
                        worst = std::max(worst, e);
                        if (ref >= -12.0)
                            worstPass = std::max(worstPass, e);
                    }
                }
            }
            BOOST_TEST_MESSAGE("Butterworth order " << order << " at " << fs << " Hz (fc <= 5 kHz): down to -12 dB "
                                                    << worstPass << " dB, down to -60 dB " << worst << " dB");
            BOOST_TEST(worstPass <= kPassBound);
            BOOST_TEST(worst <= kStopBound);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(processing)

BOOST_AUTO_TEST_CASE(impulse_response_matches_design)
{
    // The running EQ converges to the fitted design (within its first ~0.3 s: one fit
    // step per 64 samples), so the impulse comes after a second of silence. At 15 kHz
    // the matched design alone is off by about a dB: the comparison with the analog
    // prototype shows that the fit is what runs.
    for (double f0 : {3000.0, 15000.0}) {
        for (int type = 0; type < 6; ++type) {
            auto e = make({{bi(2, pe::kEnable), 1.f}, {bi(2, pe::kType), float(type)}, {bi(2, pe::kFreq), float(f0)},
                           {bi(2, pe::kGain), 9.f}, {bi(2, pe::kQ), 2.f}});
            constexpr std::size_t kSettle = 48000;
            Stereo in{std::vector<float>(kSettle + 16384, 0.f), std::vector<float>(kSettle + 16384, 0.f)};
            in.l[kSettle] = in.r[kSettle] = 1.f;
            const Stereo out = run(*e, in);
            const std::vector<float> l(out.l.begin() + kSettle, out.l.end()), r(out.r.begin() + kSettle, out.r.end());
            const auto bt = static_cast<BandType>(type);
            const auto c = dsp::designAnalogMatched(bt, f0, 9.0, 2.0, 48000.0);
            double worstAnalog = 0.0;
            for (double f : mwtest::logGrid(20.0, 20000.0, 3)) {
                const double want = mwtest::db(c.magnitude(f, 48000.0));
                if (want < -60.0)
                    continue;
                const double got = mwtest::db(mwtest::magnitudeAt(l, f, 48000.0));
                BOOST_TEST(std::fabs(got - want) <= 1e-3);
                BOOST_TEST(std::fabs(mwtest::db(mwtest::magnitudeAt(r, f, 48000.0)) - want) <= 1e-3);
                worstAnalog = std::max(worstAnalog, deviation(dsp::analogMagnitudeDb(bt, f0, 9.0, 2.0, f), got, floorFor(bt)));
            }
            BOOST_TEST_MESSAGE("type " << type << " f0 " << f0 << ": running EQ vs analog prototype " << worstAnalog << " dB");
            BOOST_TEST(worstAnalog <= 0.1);
        }
    }
}

BOOST_AUTO_TEST_CASE(targets_leave_the_other_component_untouched)
{
    const Stereo in{mwtest::noise(48000, 0.5f, 3), mwtest::noise(48000, 0.5f, 4)};
    for (int target : {pe::kLeft, pe::kRight, pe::kMid, pe::kSide}) {
        auto e = make({{bi(0, pe::kEnable), 1.f}, {bi(0, pe::kFreq), 1000.f}, {bi(0, pe::kGain), 12.f},
                       {bi(0, pe::kQ), 1.f}, {bi(0, pe::kTarget), float(target)}, {bi(5, pe::kEnable), 1.f},
                       {bi(5, pe::kType), float(pe::kHighShelf)}, {bi(5, pe::kGain), -9.f},
                       {bi(5, pe::kTarget), float(target)}});
        const Stereo out = run(*e, in);
        double maxErr = 0.0, changed = 0.0;
        for (std::size_t i = 0; i < in.l.size(); ++i) {
            const double il = in.l[i], ir = in.r[i], ol = out.l[i], or_ = out.r[i];
            double keptIn = 0, keptOut = 0, fxIn = 0, fxOut = 0;
            switch (target) {
            case pe::kLeft: keptIn = ir; keptOut = or_; fxIn = il; fxOut = ol; break;
            case pe::kRight: keptIn = il; keptOut = ol; fxIn = ir; fxOut = or_; break;
            case pe::kMid: keptIn = 0.5 * (il - ir); keptOut = 0.5 * (ol - or_); fxIn = il + ir; fxOut = ol + or_; break;
            default: keptIn = 0.5 * (il + ir); keptOut = 0.5 * (ol + or_); fxIn = il - ir; fxOut = ol - or_; break;
            }
            maxErr = std::max(maxErr, std::fabs(keptIn - keptOut));
            changed = std::max(changed, std::fabs(fxIn - fxOut));
        }
        BOOST_TEST_MESSAGE("target " << target << ": untouched component max error " << maxErr);
        BOOST_TEST(maxErr <= 1e-6);
        BOOST_TEST(changed > 0.1); // the targeted component is processed
    }
}

BOOST_AUTO_TEST_CASE(defaults_are_transparent_and_bypass_is_exact)
{
    const Stereo in{mwtest::noise(4096, 0.5f, 5), mwtest::noise(4096, 0.5f, 6)};
    auto e = make({});
    const Stereo out = run(*e, in);
    BOOST_TEST(out.l == in.l);
    BOOST_TEST(out.r == in.r);
    auto b = make({{bi(0, pe::kEnable), 1.f}, {bi(0, pe::kGain), 12.f}, {P::kBypass, 1.f}});
    const Stereo outB = run(*b, in);
    BOOST_TEST(outB.l == in.l);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(dynamics)

namespace {

/// Steady-state gain (dB) of a dynamic bell at 1 kHz for a 1 kHz sine at `levelDb` peak.
double steadyGainDb(float levelDb, float threshold, float ratio, float range, float* reported)
{
    auto e = make({{bi(3, pe::kEnable), 1.f}, {bi(3, pe::kFreq), 1000.f}, {bi(3, pe::kQ), 1.f},
                   {bi(3, pe::kGain), 0.f}, {bi(3, pe::kDyn), 1.f}, {bi(3, pe::kThreshold), threshold},
                   {bi(3, pe::kRatio), ratio}, {bi(3, pe::kRange), range}, {bi(3, pe::kAttack), 5.f},
                   {bi(3, pe::kRelease), 50.f}});
    const double amp = std::pow(10.0, levelDb / 20.0);
    const auto s = mwtest::sine(48000, 1000.0, 48000.0, amp);
    const Stereo out = run(*e, Stereo{s, s});
    *reported = e->outputValue(pe::kDynGain1 + 3);
    const std::size_t tail = 4800; // last 100 ms, 100 whole periods
    return mwtest::db(mwtest::rms(&out.l[out.l.size() - tail], tail) / mwtest::rms(&s[s.size() - tail], tail));
}

} // namespace

BOOST_AUTO_TEST_CASE(static_curve_matches_closed_form)
{
    struct Case {
        float threshold, ratio, range;
    };
    for (Case c : {Case{-30.f, 4.f, -24.f}, Case{-20.f, 2.f, -6.f}, Case{-40.f, 3.f, 12.f}}) {
        double worst = 0.0;
        for (float level = -60.f; level <= 0.f; level += 5.f) {
            const double over = level - c.threshold;
            const double request = over > 0 ? over * (1.0 - 1.0 / c.ratio) : 0.0;
            const double want = c.range < 0 ? std::max<double>(c.range, -request) : std::min<double>(c.range, request);
            float reported = 0.f;
            const double got = steadyGainDb(level, c.threshold, c.ratio, c.range, &reported);
            worst = std::max(worst, std::fabs(got - want));
            BOOST_TEST(got == want, boost::test_tools::tolerance(0.2) << "level " << level);
            BOOST_TEST(std::fabs(reported - want) <= 0.2);
        }
        BOOST_TEST_MESSAGE("static curve T " << c.threshold << " R " << c.ratio << " range " << c.range
                                              << ": worst " << worst << " dB");
    }
}

BOOST_AUTO_TEST_CASE(attack_and_release_time_constants)
{
    const float attackMs = 50.f, releaseMs = 500.f;
    auto e = make({{bi(3, pe::kEnable), 1.f}, {bi(3, pe::kFreq), 1000.f}, {bi(3, pe::kQ), 1.f},
                   {bi(3, pe::kDyn), 1.f}, {bi(3, pe::kThreshold), -40.f}, {bi(3, pe::kRatio), 4.f},
                   {bi(3, pe::kRange), -24.f}, {bi(3, pe::kAttack), attackMs}, {bi(3, pe::kRelease), releaseMs}});
    const double fs = 48000.0;
    // 0.5 s at -70 dB, 1.5 s at -10 dB (target -22.5 dB), 3 s at -70 dB.
    const std::size_t n1 = 24000, n2 = 72000, n3 = 144000;
    auto s = mwtest::sine(n1 + n2 + n3, 1000.0, fs, 1.0);
    for (std::size_t i = 0; i < s.size(); ++i)
        s[i] *= static_cast<float>(i >= n1 && i < n1 + n2 ? std::pow(10.0, -0.5) : std::pow(10.0, -3.5));
    std::vector<float> gain(s.size());
    std::vector<float> outL(1), outR(1);
    for (std::size_t i = 0; i < s.size(); ++i) {
        e->process(&s[i], &s[i], nullptr, nullptr, outL.data(), outR.data(), 1);
        gain[i] = e->outputValue(pe::kDynGain1 + 3);
    }
    const double full = gain[n1 + n2 - 1];
    BOOST_TEST(full == -22.5, boost::test_tools::tolerance(0.02));
    std::size_t a = n1, r = n1 + n2;
    while (a < n1 + n2 && gain[a] > full * (1.0 - std::exp(-1.0)))
        ++a;
    while (r < s.size() && gain[r] < full * std::exp(-1.0))
        ++r;
    const double attack = 1e3 * static_cast<double>(a - n1) / fs, release = 1e3 * static_cast<double>(r - n1 - n2) / fs;
    BOOST_TEST_MESSAGE("attack time constant " << attack << " ms (set " << attackMs << "), release " << release
                                               << " ms (set " << releaseMs << ")");
    BOOST_TEST(attack == attackMs, boost::test_tools::tolerance(0.1));
    BOOST_TEST(release == releaseMs, boost::test_tools::tolerance(0.1));
}

BOOST_AUTO_TEST_CASE(shelf_detector_follows_a_type_change)
{
    // A dynamic bell at 2 kHz switched to a low shelf while running: its detector becomes
    // a low-pass, so a -20 dB 500 Hz tone is seen at full level, 10 dB over the -30 dB
    // threshold: -7.5 dB at 4:1. (The bell's band-pass would see it 11.8 dB lower, under
    // the threshold.)
    auto e = make({{bi(3, pe::kEnable), 1.f}, {bi(3, pe::kFreq), 2000.f}, {bi(3, pe::kQ), 1.f},
                   {bi(3, pe::kDyn), 1.f}, {bi(3, pe::kThreshold), -30.f}, {bi(3, pe::kRatio), 4.f},
                   {bi(3, pe::kRange), -24.f}, {bi(3, pe::kAttack), 5.f}, {bi(3, pe::kRelease), 50.f}});
    const Stereo silence{std::vector<float>(9600, 0.f), std::vector<float>(9600, 0.f)};
    run(*e, silence);
    e->setParameter(bi(3, pe::kType), float(pe::kLowShelf));
    run(*e, silence);
    const auto tone = mwtest::sine(48000, 500.0, 48000.0, 0.1);
    run(*e, Stereo{tone, tone});
    BOOST_TEST(e->outputValue(pe::kDynGain1 + 3) == -7.5f, boost::test_tools::tolerance(0.03f));
}

BOOST_AUTO_TEST_CASE(external_sidechain_drives_the_band)
{
    // Programme: quiet 1 kHz; sidechain: loud 1 kHz. The band cuts by the sidechain's level.
    auto e = make({{bi(3, pe::kEnable), 1.f}, {bi(3, pe::kFreq), 1000.f}, {bi(3, pe::kQ), 1.f},
                   {bi(3, pe::kDyn), 1.f}, {bi(3, pe::kThreshold), -30.f}, {bi(3, pe::kRatio), 2.f},
                   {bi(3, pe::kRange), -24.f}, {bi(3, pe::kSc), float(pe::kScExternal)}});
    const auto quiet = mwtest::sine(48000, 1000.0, 48000.0, 0.01);
    const auto loud = mwtest::sine(48000, 1000.0, 48000.0, std::pow(10.0, -10.0 / 20.0));
    const Stereo sc{loud, loud};
    run(*e, Stereo{quiet, quiet}, 512, &sc);
    BOOST_TEST(e->outputValue(pe::kDynGain1 + 3) == -10.f, boost::test_tools::tolerance(0.02f));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(automation)

namespace {

/// Largest |second difference| of x over [from, to).
double maxSecondDiff(const std::vector<float>& x, std::size_t from = 2, std::size_t to = 0)
{
    double m = 0.0;
    to = to ? to : x.size();
    for (std::size_t i = std::max<std::size_t>(from, 2); i < to; ++i)
        m = std::max(m, std::fabs(static_cast<double>(x[i]) - 2.0 * x[i - 1] + x[i - 2]));
    return m;
}

/// Click bound: a sine of frequency f and peak A has |second difference| <= A (2 pi f/fs)^2.
/// An output that is the input sine shaped by a slowly varying filter stays within that
/// figure for its own peak, with a factor 2 for the envelope's and phase's movement; a
/// click (step) or zipper noise (coefficient steps) adds broadband energy far above it.
double clickBound(const std::vector<float>& y, double f, double fs)
{
    double peak = 0.0;
    for (float v : y)
        peak = std::max(peak, static_cast<double>(std::fabs(v)));
    const double w = 2.0 * std::numbers::pi * f / fs;
    return 2.0 * peak * w * w;
}

} // namespace

BOOST_AUTO_TEST_CASE(sweeps_stay_click_free)
{
    const double fs = 48000.0, f = 100.0;
    const std::size_t n = 48000;
    const auto s = mwtest::sine(n + 4800, f, fs, 0.25);
    struct Sweep {
        const char* name;
        int index;
        float from, to;
        bool log;
    };
    const Sweep sweeps[] = {
        {"frequency 20 Hz -> 20 kHz", bi(0, pe::kFreq), 20.f, 20000.f, true},
        {"frequency 20 kHz -> 20 Hz", bi(0, pe::kFreq), 20000.f, 20.f, true},
        {"gain -24 -> +24 dB", bi(0, pe::kGain), -24.f, 24.f, false},
        {"Q 0.1 -> 20", bi(0, pe::kQ), 0.1f, 20.f, true},
        {"high-pass 10 Hz -> 1 kHz", P::kHpFreq, 10.f, 1000.f, true},
    };
    for (const Sweep& sw : sweeps) {
        auto e = make({{bi(0, pe::kEnable), 1.f}, {bi(0, pe::kFreq), 100.f}, {bi(0, pe::kGain), 12.f},
                       {bi(0, pe::kQ), 2.f}, {P::kHpEnable, sw.index == P::kHpFreq ? 1.f : 0.f}, {P::kHpSlope, 3.f},
                       {sw.index, sw.from}});
        std::vector<float> outL(s.size()), outR(s.size());
        // Host automation: a new value every 64 samples for 1 s.
        for (std::size_t pos = 0; pos < s.size(); pos += 64) {
            const double t = std::min(1.0, static_cast<double>(pos) / static_cast<double>(n));
            const float v = sw.log ? sw.from * std::pow(sw.to / sw.from, static_cast<float>(t))
                                   : sw.from + (sw.to - sw.from) * static_cast<float>(t);
            e->setParameter(sw.index, v);
            e->process(&s[pos], &s[pos], nullptr, nullptr, &outL[pos], &outR[pos], 64);
        }
        // Skip the first 50 ms (the high-pass's own start-up from silence is not automation).
        const double d2 = maxSecondDiff(outL, 2400), bound = clickBound(outL, f, fs);
        BOOST_TEST_MESSAGE(sw.name << ": max |d2 y| " << d2 << ", bound " << bound);
        BOOST_TEST(d2 <= bound, sw.name);
    }
}

BOOST_AUTO_TEST_CASE(switches_stay_click_free)
{
    const double fs = 48000.0, f = 100.0;
    const auto s = mwtest::sine(96000, f, fs, 0.25);
    auto e = make({{bi(0, pe::kEnable), 1.f}, {bi(0, pe::kFreq), 120.f}, {bi(0, pe::kGain), 12.f}, {bi(0, pe::kQ), 1.f}});
    std::vector<float> outL(s.size()), outR(s.size());
    for (std::size_t pos = 0, k = 0; pos < s.size(); pos += 64, ++k) {
        if (k % 100 == 50) {
            const int step = static_cast<int>(k / 100);
            e->setParameter(bi(0, pe::kType), static_cast<float>(step % 6));
            e->setParameter(bi(0, pe::kTarget), static_cast<float>(step % 5));
            e->setParameter(P::kLpEnable, static_cast<float>(step % 2));
            e->setParameter(P::kLpFreq, 300.f);
            e->setParameter(P::kLpSlope, static_cast<float>(step % 6));
        }
        e->process(&s[pos], &s[pos], nullptr, nullptr, &outL[pos], &outR[pos], 64);
    }
    for (const auto* y : {&outL, &outR}) {
        const double d2 = maxSecondDiff(*y), bound = clickBound(*y, f, fs);
        BOOST_TEST_MESSAGE("type/target/slope switches: max |d2 y| " << d2 << ", bound " << bound);
        BOOST_TEST(d2 <= bound);
    }
}

BOOST_AUTO_TEST_CASE(a_hard_coefficient_switch_fails_the_bound)
{
    // The criterion can fail: the same filter with its coefficients switched in one
    // sample (no ramp) from 100 Hz to 1 kHz.
    const double fs = 48000.0, f = 100.0;
    const auto s = mwtest::sine(9600, f, fs, 0.25);
    const auto a = dsp::designMatched(BandType::Bell, 100.0, 12.0, 2.0, fs);
    const auto b = dsp::designMatched(BandType::Bell, 1000.0, 12.0, 2.0, fs);
    dsp::Biquad q;
    std::vector<float> y(s.size());
    for (std::size_t i = 0; i < s.size(); ++i)
        y[i] = static_cast<float>(q.tick(s[i], i < 4900 ? a : b));
    BOOST_TEST(maxSecondDiff(y, 2400) > clickBound(y, f, fs));
}

BOOST_AUTO_TEST_CASE(block_size_independent)
{
    const Stereo in{mwtest::noise(40000, 0.5f, 7), mwtest::noise(40000, 0.5f, 8)};
    const Stereo sc{mwtest::noise(40000, 0.3f, 9), mwtest::noise(40000, 0.3f, 10)};
    const Settings base{{bi(0, pe::kEnable), 1.f}, {bi(0, pe::kType), float(pe::kLowShelf)}, {bi(0, pe::kGain), 4.f},
                        {bi(2, pe::kEnable), 1.f}, {bi(2, pe::kTarget), float(pe::kMid)}, {bi(2, pe::kGain), -6.f},
                        {bi(4, pe::kEnable), 1.f}, {bi(4, pe::kDyn), 1.f}, {bi(4, pe::kThreshold), -30.f},
                        {bi(6, pe::kEnable), 1.f}, {bi(6, pe::kDyn), 1.f}, {bi(6, pe::kSc), 1.f},
                        {bi(6, pe::kTarget), float(pe::kSide)}, {P::kHpEnable, 1.f}, {P::kLpEnable, 1.f},
                        {P::kLpFreq, 8000.f}, {P::kLpSlope, 5.f}};
    // Automation events at fixed sample positions (between blocks of any size).
    const std::vector<std::pair<std::size_t, std::pair<int, float>>> events{
        {5000, {bi(2, pe::kFreq), 3000.f}}, {9000, {bi(0, pe::kType), float(pe::kTilt)}},
        {15000, {P::kHpFreq, 200.f}}, {21000, {bi(4, pe::kQ), 8.f}}, {30000, {P::kBypass, 1.f}},
        {36000, {P::kBypass, 0.f}}};
    auto render = [&](auto nextBlock) {
        auto e = make(base);
        Stereo out{in.l, in.r};
        std::size_t pos = 0, ev = 0;
        while (pos < in.l.size()) {
            while (ev < events.size() && events[ev].first == pos) {
                e->setParameter(events[ev].second.first, events[ev].second.second);
                ++ev;
            }
            std::size_t n = std::min<std::size_t>(nextBlock(), in.l.size() - pos);
            if (ev < events.size())
                n = std::min(n, events[ev].first - pos);
            e->process(&in.l[pos], &in.r[pos], &sc.l[pos], &sc.r[pos], &out.l[pos], &out.r[pos],
                       static_cast<std::uint32_t>(n));
            pos += n;
        }
        return out;
    };
    const Stereo ref = render([] { return std::size_t{40000}; });
    for (std::size_t block : {1u, 17u, 64u, 4096u}) {
        const Stereo o = render([block] { return block; });
        BOOST_TEST((o.l == ref.l && o.r == ref.r), "block " << block);
    }
    std::mt19937 rng(11);
    const Stereo o = render([&rng] { return std::size_t{1} + rng() % 700; });
    BOOST_TEST((o.l == ref.l && o.r == ref.r), "random blocks");
}

BOOST_AUTO_TEST_SUITE_END()

// The analyser's rings (plugins/eq/SpectrumTap.hpp): nothing is copied without a UI;
// with one, the four rings stay aligned, and a block that does not fit is dropped whole.
#include "../plugins/eq/SpectrumTap.hpp"

BOOST_AUTO_TEST_CASE(spectrum_tap_copies_whole_blocks_only_while_attached)
{
    mixwright::dpf::SpectrumTap tap;
    std::vector<float> a(4096), b(4096), c(4096), d(4096);
    for (std::size_t i = 0; i < a.size(); ++i) {
        a[i] = static_cast<float>(i);
        b[i] = -a[i];
        c[i] = 2.f * a[i];
        d[i] = 3.f * a[i];
    }
    tap.push(a.data(), b.data(), c.data(), d.data(), 4096);
    for (const auto& r : tap.rings)
        BOOST_TEST(r.readable() == 0u);
    tap.attached = true;
    std::size_t pushed = 0;
    for (int k = 0; k < 20; ++k) { // 20 x 4096 > capacity: later blocks are dropped whole
        tap.push(a.data(), b.data(), c.data(), d.data(), 4096);
        pushed = tap.rings[0].readable();
        for (const auto& r : tap.rings)
            BOOST_TEST(r.readable() == pushed);
    }
    BOOST_TEST(pushed % 4096 == 0u);
    BOOST_TEST(pushed <= tap.rings[0].capacity());
    BOOST_TEST(pushed >= mixwright::dpf::SpectrumTap::kCapacity - 4096);
    std::vector<float> pa(4096), pb(4096), pc(4096), pd(4096);
    BOOST_TEST(tap.pop(pa.data(), pb.data(), pc.data(), pd.data(), 4096) == 4096u);
    BOOST_TEST(pa == a);
    BOOST_TEST(pb == b);
    BOOST_TEST(pc == c);
    BOOST_TEST(pd == d);
}
