// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// The DSP library's building blocks against their definitions: the lock-free ring,
// the per-sample smoother, delay lines, the bypass crossfade, the SVF against the
// analog Butterworth prototype (bilinear with pre-warping), the LR4 all-pass sum,
// denormal flushing and NaN recovery of recursive state.

#define BOOST_TEST_MODULE dsp_building_blocks
#include <boost/test/unit_test.hpp>

#include "mixwright/dsp/bypass.hpp"
#include "mixwright/dsp/delay_line.hpp"
#include "mixwright/dsp/smoother.hpp"
#include "mixwright/dsp/svf.hpp"
#include "mixwright/rt/realtime.hpp"
#include "mixwright/rt/spsc_ring.hpp"
#include "support.hpp"

#include <complex>
#include <limits>
#include <thread>

using namespace mixwright;

BOOST_AUTO_TEST_SUITE(ring)

BOOST_AUTO_TEST_CASE(order_wraparound_full_empty)
{
    rt::SpscRing<int> ring(5);
    BOOST_TEST(ring.capacity() >= 5u);
    int out[16];
    BOOST_TEST(ring.pop(out, 4) == 0u);
    int next = 0, expect = 0;
    for (int round = 0; round < 100; ++round) {
        int items[3] = {next, next + 1, next + 2};
        BOOST_REQUIRE(ring.push(items, 3));
        next += 3;
        const std::size_t n = ring.pop(out, 2);
        for (std::size_t i = 0; i < n; ++i)
            BOOST_REQUIRE_EQUAL(out[i], expect++);
        if (ring.writable() < 3) {
            const std::size_t m = ring.pop(out, 16);
            for (std::size_t i = 0; i < m; ++i)
                BOOST_REQUIRE_EQUAL(out[i], expect++);
        }
    }
    // Full: a push that does not fit writes nothing.
    while (ring.pop(out, 16) > 0) {
    }
    std::vector<int> many(ring.capacity() + 1, 7);
    BOOST_TEST(!ring.push(many.data(), many.size()));
    BOOST_TEST(ring.readable() == 0u);
    BOOST_TEST(ring.push(many.data(), ring.capacity()));
    BOOST_TEST(ring.writable() == 0u);
}

BOOST_AUTO_TEST_CASE(two_threads_keep_order)
{
    rt::SpscRing<std::uint32_t> ring(64);
    constexpr std::uint32_t kCount = 200000;
    std::thread producer([&] {
        for (std::uint32_t i = 0; i < kCount;)
            if (ring.push(i))
                ++i;
    });
    std::uint32_t expect = 0;
    bool ordered = true;
    while (expect < kCount) {
        std::uint32_t v;
        if (ring.pop(v)) {
            ordered &= (v == expect);
            ++expect;
        }
    }
    producer.join();
    BOOST_TEST(ordered);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(smoother)

BOOST_AUTO_TEST_CASE(ramp_length_and_exact_landing)
{
    dsp::LinearSmoother s;
    s.prepare(48000.0, 20.f); // 960 samples
    BOOST_TEST(s.rampSamples() == 960u);
    s.reset(1.f);
    s.setTarget(-1.f);
    float v = 0.f;
    for (int i = 0; i < 959; ++i) {
        v = s.next();
        BOOST_REQUIRE(v > -1.f);
    }
    BOOST_TEST(s.next() == -1.f); // lands exactly, not within rounding
    BOOST_TEST(!s.smoothing());
    // Halfway point of a linear ramp from 0 to 1 is 0.5.
    s.reset(0.f);
    s.setTarget(1.f);
    for (int i = 0; i < 479; ++i)
        s.next();
    BOOST_TEST(s.next() == 0.5f, boost::test_tools::tolerance(1e-4f));
}

BOOST_AUTO_TEST_CASE(retarget_mid_ramp_is_continuous)
{
    dsp::LinearSmoother s;
    s.prepare(1000.0, 10.f); // 10 samples
    s.reset(0.f);
    s.setTarget(1.f);
    float prev = 0.f;
    for (int i = 0; i < 5; ++i)
        prev = s.next();
    s.setTarget(0.f);
    const float v = s.next();
    BOOST_TEST(std::fabs(v - prev) <= 0.1f); // no jump larger than one step
    for (int i = 0; i < 20; ++i)
        s.next();
    BOOST_TEST(s.current() == 0.f);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(delay)

BOOST_AUTO_TEST_CASE(impulse_lands_on_the_sample)
{
    for (std::uint32_t d : {0u, 1u, 7u, 255u, 256u, 1000u}) {
        dsp::DelayLine line;
        line.prepare(1000);
        std::vector<float> out(1200);
        for (std::uint32_t i = 0; i < out.size(); ++i)
            out[i] = line.process(i == 10 ? 1.f : 0.f, d);
        for (std::uint32_t i = 0; i < out.size(); ++i)
            BOOST_REQUIRE_EQUAL(out[i], i == 10 + d ? 1.f : 0.f);
    }
}

BOOST_AUTO_TEST_CASE(fading_delay_moves_without_a_step)
{
    dsp::FadingDelay d;
    d.prepare(100, 32);
    d.setDelayImmediate(0);
    // A slow ramp: changing the delay must never step by more than the fade allows.
    float prev = d.process(0.f);
    float maxJump = 0.f;
    for (int i = 1; i < 400; ++i) {
        if (i == 100)
            d.setDelay(50);
        const float x = static_cast<float>(i) * 0.001f;
        const float y = d.process(x);
        maxJump = std::max(maxJump, std::fabs(y - prev));
        prev = y;
    }
    // The taps differ by 0.05 (50 samples of the ramp), spread over 32 samples.
    BOOST_TEST(maxJump < 0.003f);
    BOOST_TEST(d.delay() == 50u);
    BOOST_TEST(prev == static_cast<float>(399 - 50) * 0.001f);
}

BOOST_AUTO_TEST_CASE(fading_delay_blocks_equal_samples)
{
    // The block form (used by the console's compensation) gives the per-sample form's
    // output bit for bit, with delay changes landing inside blocks and mid-fade, for
    // blocks of 1 to 97 samples.
    dsp::FadingDelay a, b;
    a.prepare(300, 40);
    b.prepare(300, 40);
    const auto x = mwtest::noise(6000, 0.5f, 11);
    std::vector<float> ya(x.size()), yb(x.size());
    const std::uint32_t delays[] = {2, 200, 13, 13, 250, 1, 7}; // never 0: idle blocks skip the line
    std::size_t pos = 0, change = 0;
    std::uint32_t len = 1;
    while (pos < x.size()) {
        const std::uint32_t n = std::min<std::uint32_t>(len, static_cast<std::uint32_t>(x.size() - pos));
        if (pos >= change * 850 && change < std::size(delays)) {
            a.setDelay(delays[change]);
            b.setDelay(delays[change]);
            ++change;
        }
        for (std::uint32_t i = 0; i < n; ++i)
            ya[pos + i] = a.process(x[pos + i]);
        std::copy_n(x.begin() + static_cast<std::ptrdiff_t>(pos), n, yb.begin() + static_cast<std::ptrdiff_t>(pos));
        b.process(yb.data() + pos, yb.data() + pos, n);
        pos += n;
        len = len % 97 + 13;
    }
    BOOST_TEST(change == std::size(delays));
    BOOST_TEST(ya == yb);
    BOOST_TEST(b.delay() == 7u);
    BOOST_TEST(!b.fading());
}

BOOST_AUTO_TEST_CASE(fading_delay_leaves_idle_without_reading_stale_samples)
{
    // Blocks at delay 0 skip the line; a later change to 300 samples must not read
    // what the line held from before (here: a loud burst written at delay 5). The
    // output stays on the current input until 300 new samples are in, then fades.
    dsp::FadingDelay d;
    d.prepare(1000, 64);
    std::vector<float> buf(64, 0.9f);
    d.setDelay(5);
    for (int k = 0; k < 20; ++k) // 1280 samples of 0.9 into the line
        d.process(buf.data(), buf.data(), 64);
    d.setDelay(0);
    for (int k = 0; k < 20; ++k) { // fade to 0, then idle
        std::fill(buf.begin(), buf.end(), 0.1f);
        d.process(buf.data(), buf.data(), 64);
    }
    BOOST_TEST(!d.fading());
    d.setDelay(300);
    std::vector<float> out;
    for (int k = 0; k < 40; ++k) {
        for (std::size_t i = 0; i < buf.size(); ++i)
            buf[i] = 0.1f + 0.0001f * static_cast<float>(out.size() + i); // a slow ramp
        d.process(buf.data(), buf.data(), 64);
        out.insert(out.end(), buf.begin(), buf.end());
    }
    float maxStep = 0.f, maxOut = 0.f;
    for (std::size_t i = 1; i < out.size(); ++i) {
        maxStep = std::max(maxStep, std::fabs(out[i] - out[i - 1]));
        maxOut = std::max(maxOut, out[i]);
    }
    BOOST_TEST(maxOut < 0.4f);      // never the old 0.9 burst
    BOOST_TEST(maxStep < 0.0011f);  // 300 x 0.0001 spread over 64 samples, no step
    BOOST_TEST(d.delay() == 300u);
    BOOST_TEST(out.back() == 0.1f + 0.0001f * static_cast<float>(out.size() - 1 - 300));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(bypass)

BOOST_AUTO_TEST_CASE(latency_compensated_and_bit_exact)
{
    constexpr std::uint32_t kLatency = 64;
    dsp::BypassCrossfade<1> b;
    b.setBypassed(true);
    b.prepare(48000.0, kLatency, 5.f);
    const auto x = mwtest::noise(2000, 0.5f, 3);
    for (std::size_t i = 0; i < x.size(); ++i) {
        std::array<float, 1> wet{123.f};
        b.process({x[i]}, wet);
        const float expected = i >= kLatency ? x[i - kLatency] : 0.f;
        BOOST_REQUIRE_EQUAL(wet[0], expected);
    }
    BOOST_TEST(b.fullyBypassed());
}

BOOST_AUTO_TEST_CASE(crossfade_is_monotonic_between_paths)
{
    dsp::BypassCrossfade<1> b;
    b.prepare(1000.0, 0, 10.f); // 10-sample fade
    b.setBypassed(true);
    float prev = 0.f;
    for (int i = 0; i < 12; ++i) {
        std::array<float, 1> wet{0.f};
        b.process({1.f}, wet); // dry 1, wet 0: output = fade position
        BOOST_TEST(wet[0] >= prev);
        BOOST_TEST(wet[0] <= 1.f);
        prev = wet[0];
    }
    BOOST_TEST(prev == 1.f);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(svf)

// Analog 2nd-order low-/high-pass prototype magnitude at normalised frequency w = f/fc.
static double analogLp(double w, double q) { return 1.0 / std::abs(std::complex<double>(1.0 - w * w, w / q)); }
static double analogHp(double w, double q) { return w * w / std::abs(std::complex<double>(1.0 - w * w, w / q)); }

BOOST_AUTO_TEST_CASE(matches_prewarped_analog_prototype)
{
    // The trapezoidal SVF is the bilinear transform of the analog prototype with the
    // cut-off pre-warped: |H(f)| equals the analog magnitude at tan(pi f/fs)/tan(pi fc/fs).
    double worst = 0.0;
    for (double rate : {44100.0, 48000.0, 96000.0}) {
        for (double fc : {50.0, 1000.0, 12000.0}) {
            for (double q : {0.5, std::numbers::sqrt2 / 2.0, 4.0}) {
                const auto c = dsp::SvfCoefs::make(fc, q, rate);
                dsp::Svf lp, hp;
                std::vector<float> irLp(1 << 16), irHp(1 << 16);
                for (std::size_t n = 0; n < irLp.size(); ++n) {
                    irLp[n] = static_cast<float>(lp.tick(n == 0 ? 1.0 : 0.0, c).lp);
                    irHp[n] = static_cast<float>(hp.tick(n == 0 ? 1.0 : 0.0, c).hp);
                }
                for (double f : mwtest::logGrid(20.0, 20000.0, 3)) {
                    const double w = std::tan(std::numbers::pi * f / rate) / std::tan(std::numbers::pi * fc / rate);
                    const double refLp = analogLp(w, q), refHp = analogHp(w, q);
                    if (refLp > 1e-4) // below -80 dB the float IR's rounding dominates
                        worst = std::max(worst, std::fabs(mwtest::db(mwtest::magnitudeAt(irLp, f, rate) / refLp)));
                    if (refHp > 1e-4)
                        worst = std::max(worst, std::fabs(mwtest::db(mwtest::magnitudeAt(irHp, f, rate) / refHp)));
                }
            }
        }
    }
    BOOST_TEST_MESSAGE("SVF worst deviation from pre-warped analog prototype: " << worst << " dB");
    BOOST_TEST(worst < 0.01);
}

BOOST_AUTO_TEST_CASE(nan_state_is_recovered)
{
    dsp::Svf f;
    const auto c = dsp::SvfCoefs::make(100.0, 0.7, 48000.0);
    f.tick(std::numeric_limits<double>::quiet_NaN(), c);
    f.sanitize();
    const auto out = f.tick(1.0, c);
    BOOST_TEST(std::isfinite(out.lp));
    BOOST_TEST(std::isfinite(out.hp));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(realtime)

BOOST_AUTO_TEST_CASE(denormal_scope_flushes_and_restores)
{
    volatile float tiny = std::numeric_limits<float>::denorm_min() * 8.f;
    {
        rt::DenormalScope scope;
        volatile float r = tiny * 0.5f;
        const float flushed = r;
        BOOST_TEST(flushed == 0.f);
    }
    volatile float r = tiny * 0.5f;
    const float kept = r;
    BOOST_TEST(kept != 0.f); // caller's mode restored
}

BOOST_AUTO_TEST_CASE(sanitize_reports_and_clears)
{
    double a = std::numeric_limits<double>::infinity();
    BOOST_TEST(rt::sanitize(a));
    BOOST_TEST(a == 0.0);
    double b = 1e-35;
    BOOST_TEST(!rt::sanitize(b));
    BOOST_TEST(b == 0.0);
    double c = 0.25;
    BOOST_TEST(!rt::sanitize(c));
    BOOST_TEST(c == 0.25);
}

BOOST_AUTO_TEST_SUITE_END()

#ifdef MIXWRIGHT_RTSAN
#include <sys/wait.h>
#include <unistd.h>

// Proves the RealtimeSanitizer build really checks REALTIME functions: an allocation
// inside one must kill the process. Without this, a sanitizer that silently did
// nothing would let every other test in this build pass.
static int allocateInRealtime(int n) noexcept REALTIME
{
    std::vector<int> v(static_cast<std::size_t>(n), 1);
    return v.back();
}

BOOST_AUTO_TEST_CASE(rtsan_is_active)
{
    const pid_t pid = fork();
    BOOST_REQUIRE(pid >= 0);
    if (pid == 0) {
        std::freopen("/dev/null", "w", stderr);
        allocateInRealtime(1000);
        _exit(0); // reached only when the sanitizer did not fire
    }
    int status = 0;
    waitpid(pid, &status, 0);
    BOOST_TEST(!(WIFEXITED(status) && WEXITSTATUS(status) == 0));
}
#endif

