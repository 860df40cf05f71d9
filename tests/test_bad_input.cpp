// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Bad input against every Mixwright plugin, through the host (QUALITY.md's list):
// NaN/+Inf/-Inf/denormal audio (finite output again within one block of finite
// input, and audio still passing: no latch, no reset), controls at +-1e6 and NaN
// (clamped: finite, bounded output), sample rates 8k-384k (instantiate and process,
// or refuse with a message), block sizes 1-8192 changing every call and 0, and
// activate/deactivate cycles. Runs in the plain, ASan+UBSan and RTSan builds.

#define BOOST_TEST_MODULE bad_input
#include <boost/test/unit_test.hpp>

#include "host/host.hpp"
#include "mixwright/params/registry.hpp"
#include "support.hpp"

#include <cmath>
#include <limits>
#include <memory>
#include <random>

using namespace mixwright;

namespace {

struct Rig {
    std::unique_ptr<host::Plugin> plugin;
    std::vector<std::vector<float>> in, out;
    std::vector<const float*> inPtrs;
    std::vector<float*> outPtrs;

    Rig(host::World& world, std::string_view uri, double rate, uint32_t maxBlock = 8192)
    {
        host::InstanceOptions opt;
        opt.sampleRate = rate;
        opt.maxBlock = maxBlock;
        std::string error;
        plugin = host::Plugin::create(world, std::string(uri), opt, &error);
        BOOST_REQUIRE_MESSAGE(plugin, uri << " at " << rate << " Hz: " << error);
        in.assign(plugin->audioInputs(), std::vector<float>(maxBlock));
        out.assign(plugin->audioOutputs(), std::vector<float>(maxBlock));
        for (auto& v : in)
            inPtrs.push_back(v.data());
        for (auto& v : out)
            outPtrs.push_back(v.data());
        plugin->activate();
    }
    void fill(float value, uint32_t n)
    {
        for (auto& v : in)
            std::fill(v.begin(), v.begin() + n, value);
    }
    void fillNoise(uint32_t n, std::uint32_t seed)
    {
        for (std::size_t c = 0; c < in.size(); ++c) {
            const auto x = mwtest::noise(n, 0.25f, seed + static_cast<std::uint32_t>(c));
            std::copy(x.begin(), x.end(), in[c].begin());
        }
    }
    void run(uint32_t n) { plugin->run(inPtrs.data(), outPtrs.data(), n); }
    bool allFinite(uint32_t n, float bound = 1e4f) const
    {
        for (const auto& v : out)
            for (uint32_t i = 0; i < n; ++i)
                if (!std::isfinite(v[i]) || std::fabs(v[i]) > bound)
                    return false;
        return true;
    }
    double energy(uint32_t n) const
    {
        double e = 0.0;
        for (const auto& v : out)
            for (uint32_t i = 0; i < n; ++i)
                e += static_cast<double>(v[i]) * v[i];
        return e;
    }
};

} // namespace

BOOST_AUTO_TEST_CASE(non_finite_and_denormal_audio)
{
    host::World world;
    const float bad[] = {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                         -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::denorm_min()};
    for (const auto& entry : params::kPlugins) {
        for (float b : bad) {
            BOOST_TEST_CONTEXT(entry.uri << " input " << b)
            {
                Rig r(world, entry.uri, 48000.0);
                r.fillNoise(512, 1);
                r.run(512);
                r.fill(b, 512);
                r.in[0][100] = 0.5f; // mixed block
                r.run(512);
                r.fillNoise(512, 2);
                r.run(512); // first finite block: may still carry the tail
                r.fillNoise(512, 3);
                r.run(512);
                BOOST_TEST(r.allFinite(512));
                BOOST_TEST(r.energy(512) > 1e-3); // audio passes again, nothing latched
                // Denormal input alone must keep producing finite output too.
                for (int i = 0; i < 20; ++i) {
                    r.fill(std::numeric_limits<float>::denorm_min(), 256);
                    r.run(256);
                }
                BOOST_TEST(r.allFinite(256));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(controls_out_of_range_and_nan)
{
    host::World world;
    const float values[] = {1e6f, -1e6f, std::numeric_limits<float>::quiet_NaN(),
                            std::numeric_limits<float>::infinity()};
    for (const auto& entry : params::kPlugins) {
        for (float v : values) {
            Rig r(world, entry.uri, 48000.0);
            // One control at a time, then all at once.
            for (const auto& spec : entry.table) {
                if (spec.is(params::kOutput))
                    continue;
                BOOST_TEST_CONTEXT(entry.uri << " " << spec.symbol << " = " << v)
                {
                    BOOST_REQUIRE(r.plugin->setControl(std::string(spec.symbol), v));
                    r.fillNoise(256, 4);
                    r.run(256);
                    r.run(256);
                    BOOST_TEST(r.allFinite(256, 1e6f));
                    r.plugin->setControl(std::string(spec.symbol), spec.is(params::kBypass) ? 1.f - spec.def : spec.def);
                }
            }
            for (const auto& spec : entry.table)
                if (!spec.is(params::kOutput))
                    r.plugin->setControl(std::string(spec.symbol), v);
            for (int i = 0; i < 10; ++i) {
                r.fillNoise(512, 5 + static_cast<std::uint32_t>(i));
                r.run(512);
            }
            BOOST_TEST(r.allFinite(512, 1e6f), entry.uri << " all controls = " << v);
            // Output controls stay within their declared range.
            for (const auto& spec : entry.table) {
                if (!spec.is(params::kOutput))
                    continue;
                const float out = r.plugin->control(std::string(spec.symbol));
                BOOST_TEST((std::isfinite(out) && out >= spec.min && out <= spec.max),
                           entry.uri << " output " << spec.symbol << " = " << out);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(sample_rates_8k_to_384k)
{
    host::World world;
    for (const auto& entry : params::kPlugins) {
        for (double rate : {8000.0, 11025.0, 22050.0, 32000.0, 44100.0, 48000.0, 88200.0, 96000.0, 176400.0,
                            192000.0, 352800.0, 384000.0}) {
            BOOST_TEST_CONTEXT(entry.uri << " at " << rate)
            {
                Rig r(world, entry.uri, rate);
                r.fillNoise(4096, 6);
                for (int i = 0; i < 4; ++i)
                    r.run(4096);
                BOOST_TEST(r.allFinite(4096));
                BOOST_TEST(r.energy(4096) > 1e-3);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(block_sizes_changing_every_call_and_zero)
{
    host::World world;
    std::mt19937 rng(7);
    std::uniform_int_distribution<uint32_t> size(0, 8192);
    for (const auto& entry : params::kPlugins) {
        Rig r(world, entry.uri, 48000.0);
        r.fillNoise(8192, 8);
        r.run(0);
        bool finite = true;
        for (int i = 0; i < 200; ++i) {
            const uint32_t n = i % 10 == 0 ? 1 : size(rng);
            r.run(n);
            finite &= r.allFinite(n);
        }
        r.run(0);
        BOOST_TEST(finite, entry.uri);
    }
}

BOOST_AUTO_TEST_CASE(activate_deactivate_cycles)
{
    host::World world;
    for (const auto& entry : params::kPlugins) {
        Rig r(world, entry.uri, 44100.0, 1024);
        for (int cycle = 0; cycle < 5; ++cycle) {
            r.fillNoise(1024, 9);
            r.run(1024);
            r.plugin->deactivate();
            r.plugin->activate();
        }
        r.fillNoise(1024, 10);
        r.run(1024);
        BOOST_TEST(r.allFinite(1024));
        BOOST_TEST(r.energy(1024) > 1e-3);
    }
}
