// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Zero heap allocations (and frees) on the audio path: the lib's process() and every
// plugin's run() through the host, at 44.1k-192k and block sizes 1 to 8192, with
// parameter changes between blocks, and the time:Position the host forges for
// plugins that take it. The counter itself is checked first, so the
// test cannot pass because counting is broken.

#define BOOST_TEST_MODULE alloc
#include <boost/test/unit_test.hpp>

#include "alloc_counter.hpp"
#include "host/host.hpp"
#include "mixwright/dsp/eq.hpp"
#include "mixwright/dsp/utility.hpp"
#include "mixwright/params/registry.hpp"
#include "support.hpp"

#include <memory>
#include <vector>

using namespace mixwright;

namespace {
const double kRates[] = {44100.0, 48000.0, 88200.0, 96000.0, 192000.0};
const std::uint32_t kBlocks[] = {1, 17, 64, 512, 4096, 8192};
} // namespace

BOOST_AUTO_TEST_CASE(counter_counts)
{
    mwtest::CountAllocations c;
    auto* p = new std::vector<int>(100);
    delete p;
    void* m = std::malloc(10);
    std::free(m);
    BOOST_TEST(c.count() >= 4u);
}

BOOST_AUTO_TEST_CASE(utility_process_allocates_nothing)
{
    using P = params::utility::Index;
    const auto in = mwtest::noise(8192, 0.5f, 1);
    std::vector<float> outL(8192), outR(8192);
    for (double rate : kRates) {
        auto u = std::make_unique<dsp::Utility>();
        u->prepare(rate, 8192);
        std::size_t count = 0;
        {
            mwtest::CountAllocations c;
            int step = 0;
            for (std::uint32_t block : kBlocks) {
                for (int rep = 0; rep < 4; ++rep, ++step) {
                    u->setParameter(P::kMonoBass, static_cast<float>(step % 2));
                    u->setParameter(P::kDelayL, static_cast<float>(step * 3 % 50));
                    u->setParameter(P::kWidth, static_cast<float>(step * 37 % 200));
                    u->setParameter(P::kBypass, static_cast<float>((step / 3) % 2));
                    u->process(in.data(), in.data(), outL.data(), outR.data(), block);
                }
            }
            count = c.count();
        }
        BOOST_TEST(count == 0u, "rate " << rate << ": " << count << " allocations");
    }
}

BOOST_AUTO_TEST_CASE(eq_magnitude_fit_allocates_nothing)
{
    // Every band on, high in the band (where the magnitude fit runs), moved between
    // blocks so the fit restarts and steps on the audio path.
    namespace pe = params::eq;
    const auto in = mwtest::noise(8192, 0.5f, 3);
    std::vector<float> outL(8192), outR(8192);
    for (double rate : kRates) {
        auto e = std::make_unique<dsp::Eq>();
        e->prepare(rate, 8192);
        for (int b = 0; b < pe::kBands; ++b) {
            e->setParameter(pe::bandIndex(b, pe::kEnable), 1.f);
            e->setParameter(pe::bandIndex(b, pe::kType), static_cast<float>(b % 6));
            e->setParameter(pe::bandIndex(b, pe::kFreq), 6000.f + 1500.f * static_cast<float>(b));
            e->setParameter(pe::bandIndex(b, pe::kGain), 9.f);
            e->setParameter(pe::bandIndex(b, pe::kQ), 0.3f);
        }
        std::size_t count = 0;
        {
            mwtest::CountAllocations c;
            int step = 0;
            for (std::uint32_t block : kBlocks) {
                for (int rep = 0; rep < 4; ++rep, ++step) {
                    e->setParameter(pe::bandIndex(step % pe::kBands, pe::kFreq), 4000.f + 977.f * static_cast<float>(step % 16));
                    e->setParameter(pe::bandIndex((step + 3) % pe::kBands, pe::kDyn), static_cast<float>(step % 2));
                    e->process(in.data(), in.data(), in.data(), in.data(), outL.data(), outR.data(), block);
                }
            }
            count = c.count();
        }
        BOOST_TEST(count == 0u, "rate " << rate << ": " << count << " allocations");
    }
}

BOOST_AUTO_TEST_CASE(every_plugin_run_allocates_nothing)
{
    host::World world;
    const auto in = mwtest::noise(8192, 0.5f, 2);
    std::vector<std::vector<float>> outs(8, std::vector<float>(8192));
    for (const auto& entry : params::kPlugins) {
        for (double rate : kRates) {
            host::InstanceOptions opt;
            opt.sampleRate = rate;
            opt.maxBlock = 8192;
            std::string error;
            auto plugin = host::Plugin::create(world, std::string(entry.uri), opt, &error);
            BOOST_REQUIRE_MESSAGE(plugin, entry.uri << ": " << error);
            plugin->activate();
            std::vector<const float*> inPtrs(plugin->audioInputs(), in.data());
            std::vector<float*> outPtrs;
            for (uint32_t i = 0; i < plugin->audioOutputs(); ++i)
                outPtrs.push_back(outs[i].data());
            // Control ports by index, prepared outside the counted scope.
            std::vector<uint32_t> controls;
            for (const auto& p : plugin->ports())
                if (p.kind == host::PortKind::ControlIn)
                    controls.push_back(p.index);
            plugin->run(inPtrs.data(), outPtrs.data(), 64); // first run may settle lazily
            std::size_t count = 0;
            {
                mwtest::CountAllocations c;
                int step = 0;
                for (std::uint32_t block : kBlocks) {
                    for (int rep = 0; rep < 3; ++rep, ++step) {
                        const uint32_t port = controls[static_cast<std::size_t>(step) % controls.size()];
                        plugin->setControlAt(port, plugin->controlAt(port)); // a write per block
                        plugin->run(inPtrs.data(), outPtrs.data(), block);
                    }
                }
                count = c.count();
            }
            BOOST_TEST(count == 0u, entry.uri << " at " << rate << ": " << count << " allocations");
            plugin->deactivate();
        }
    }
}

BOOST_AUTO_TEST_CASE(time_position_forging_allocates_nothing)
{
    // The host forges time:Position into the atom port on start, stop, locate and
    // tempo changes: every run below sends one, and none may allocate. ZamDelay
    // (zam-plugins) takes time:Position and is a plain DSP plugin otherwise.
    host::World world;
    host::InstanceOptions opt;
    opt.maxBlock = 512;
    std::string error;
    auto plugin = host::Plugin::create(world, "urn:zamaudio:ZamDelay", opt, &error);
    BOOST_REQUIRE_MESSAGE(plugin, error);
    BOOST_REQUIRE(plugin->wantsTimePosition());
    BOOST_REQUIRE(plugin->setControl("sync", 1.f));
    plugin->activate();
    host::TransportPosition t;
    plugin->run(nullptr, nullptr, 64, &t);
    std::size_t count = 0;
    {
        mwtest::CountAllocations c;
        for (int i = 0; i < 64; ++i) {
            t.rolling = i % 2 == 0;
            t.frame = static_cast<uint64_t>(i) * 100000u;
            host::computeBbt(t, opt.sampleRate, {60.0 + i, static_cast<float>(1 + i % 7), 4.f});
            plugin->run(nullptr, nullptr, 256, &t);
        }
        count = c.count();
    }
    BOOST_TEST(count == 0u, count << " allocations");
    plugin->deactivate();
}
