// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// The console's engine (console/engine.cpp) driven directly, without JACK: the test
// plays the backend (port buffers are its own arrays) and calls Engine::process with
// block sizes of its choosing, which a JACK server does not allow. Checks:
//  - strip meters follow the per-sample definition (peak: instant attack, 300 ms
//    exponential fall; RMS: 300 ms exponential mean square), computed here in double
//    per sample, for any block size (the engine computes them block-wise in lanes);
//  - the master output does not depend on the block size: the same session and the
//    same changes give the same samples, to the bit, for blocks of 64 and for random
//    blocks of 1 to 8192 frames;
//  - insert chains of any length, on strips, a group bus and the master, apply every
//    insert once (Mixwright Utility, +2 dB each: the gain is 10^(2k/20) for k inserts),
//    whichever buffer the chain's ping-pong ends in;
//  - the demo material (console/demo.hpp, generated in lanes) follows its closed-form
//    definition, computed here in double per sample, for any block size and rate.

#define BOOST_TEST_MODULE engine
#include <boost/test/unit_test.hpp>

#include "demo.hpp"
#include "engine.hpp"
#include "host/host.hpp"

#include <cmath>
#include <memory>
#include <numbers>
#include <random>
#include <vector>

using namespace mixwright;
using namespace mixwright::console;

namespace {

constexpr double kRate = 48000.0;

/// The backend's side: input ports 1..2*kInputs (handles are small integers), the
/// master's outputs 1000/1001.
struct Ports {
    static constexpr int kInputs = 4;
    static inline std::vector<std::vector<float>> in; // per input port, the current block
    static inline std::array<std::vector<float>, 2> out;

    static float* buffer(void* port, uint32_t) noexcept
    {
        const auto h = reinterpret_cast<uintptr_t>(port);
        if (h >= 1000)
            return out[h - 1000].data();
        return in[h - 1].data();
    }
    static void* input(int i) { return reinterpret_cast<void*>(static_cast<uintptr_t>(i + 1)); }
    static void* output(int ch) { return reinterpret_cast<void*>(static_cast<uintptr_t>(1000 + ch)); }
    static void reset()
    {
        in.assign(2 * kInputs, std::vector<float>(kMaxBlock, 0.f));
        out = {std::vector<float>(kMaxBlock, 0.f), std::vector<float>(kMaxBlock, 0.f)};
    }
};

struct Rig {
    Engine engine{kRate};
    Rig()
    {
        Ports::reset();
        engine.setPortBufferFn(&Ports::buffer);
        send(Op::BusPort, Target::Master, 0, 0, 0.f, Ports::output(0));
        send(Op::BusPort, Target::Master, 0, 1, 0.f, Ports::output(1));
    }
    /// Queues a change; it applies at the start of the next process().
    void send(Op op, Target t, int index, int sub, float value, void* ptr = nullptr, int sub2 = 0)
    {
        const Message m{op, t, static_cast<uint16_t>(index), static_cast<uint16_t>(sub), static_cast<uint16_t>(sub2),
                        value, ptr};
        BOOST_REQUIRE(engine.post(m));
    }
    /// A stereo strip on input ports 2i, 2i+1, fader 0 dB, balance pan law (0 dB at
    /// the centre), so that its post-fader signal is its input.
    void stereoStrip(int i)
    {
        send(Op::StripActive, Target::Strip, i, 2, 1.f);
        send(Op::StripPort, Target::Strip, i, 0, 0.f, Ports::input(2 * i));
        send(Op::StripPort, Target::Strip, i, 1, 0.f, Ports::input(2 * i + 1));
        send(Op::PanLaw, Target::Strip, i, 0, 0.f);
    }
};

/// One LV2 world for the suite (loading it takes a while).
host::World& world()
{
    static host::World w;
    return w;
}

/// A chain of k Mixwright Utility inserts, each set to +2 dB output gain.
Chain* utilityChain(int k)
{
    std::vector<Insert> spec(static_cast<std::size_t>(k));
    for (auto& s : spec)
        s.uri = "urn:mixwright:utility";
    std::string notes;
    std::unique_ptr<Chain> c = buildChain(world(), kRate, kMaxBlock, spec, &notes);
    BOOST_REQUIRE(c);
    for (auto& ins : c->inserts) {
        BOOST_REQUIRE_MESSAGE(!ins.placeholder, "Mixwright Utility not found: " << notes);
        for (auto& p : ins.instances)
            BOOST_REQUIRE(p->setControl("gain", 2.f));
    }
    return c.release();
}

/// Test signal of input port p at frame t: sine bursts, silence, noise, a NaN.
float signal(int p, uint64_t t)
{
    const double s = static_cast<double>(t) / kRate;
    const double phase = 2.0 * std::numbers::pi * (300.0 + 170.0 * p) * s;
    const uint64_t cycle = t % 48000;
    if (t == 7777)
        return std::nanf("");
    if (cycle < 9600) // 0.2 s burst
        return static_cast<float>((0.3 + 0.1 * p) * std::sin(phase));
    if (cycle < 33600) // 0.5 s silence: the meters fall
        return 0.f;
    // noise (a fixed LCG per port and frame)
    const uint32_t h = static_cast<uint32_t>(t * 2654435761u + static_cast<uint32_t>(p) * 40503u);
    return static_cast<float>(static_cast<double>(h >> 8) / 8388608.0 - 1.0) * 0.25f;
}

void fillInputs(uint64_t t0, uint32_t n)
{
    for (int p = 0; p < 2 * Ports::kInputs; ++p)
        for (uint32_t i = 0; i < n; ++i)
            Ports::in[static_cast<std::size_t>(p)][i] = signal(p, t0 + i);
}

/// Block sizes: random in 1..max, cut so that they also end on every multiple of
/// `grid` (where a test applies changes).
std::vector<uint32_t> blocks(uint64_t total, uint32_t max, uint64_t grid, unsigned seed)
{
    std::mt19937 rng(seed);
    std::uniform_int_distribution<uint32_t> size(1, max);
    std::vector<uint32_t> out;
    for (uint64_t t = 0; t < total;) {
        const uint64_t toGrid = grid - t % grid;
        const auto n = static_cast<uint32_t>(std::min<uint64_t>({size(rng), toGrid, total - t}));
        out.push_back(n);
        t += n;
    }
    return out;
}

} // namespace

BOOST_AUTO_TEST_CASE(meters_follow_the_per_sample_ballistics)
{
    const double fall = std::exp(-1.0 / (0.3 * kRate)), c = 1.0 - fall;
    for (const uint32_t max : {1u, 7u, 64u, 1000u, kMaxBlock}) {
        Rig rig;
        rig.stereoStrip(0);
        std::array<double, 2> pk{}, ms{};
        double worstPk = 0.0, worstRms = 0.0;
        uint64_t t = 0;
        for (const uint32_t n : blocks(static_cast<uint64_t>(2.5 * kRate), max, 48000, 11 + max)) {
            fillInputs(t, n);
            rig.engine.process(n);
            for (std::size_t ch = 0; ch < 2; ++ch) {
                for (uint32_t i = 0; i < n; ++i) {
                    double x = Ports::in[ch][i];
                    if (!std::isfinite(x))
                        x = 0.0; // the engine reads non-finite input as 0
                    pk[ch] = std::max(std::fabs(x), pk[ch] * fall);
                    ms[ch] += c * (x * x - ms[ch]);
                }
                const Meter& m = rig.engine.stripMeter(0);
                const double gotPk = m.peak[ch].load(), gotRms = m.rms[ch].load();
                // Relative error, with a floor at -120 dBFS (a meter's resolution).
                const auto rel = [](double got, double want) { return std::fabs(got - want) / std::max(want, 1e-6); };
                worstPk = std::max(worstPk, rel(gotPk, pk[ch]));
                worstRms = std::max(worstRms, rel(gotRms, std::sqrt(ms[ch])));
            }
            t += n;
        }
        BOOST_TEST_MESSAGE("blocks up to " << max << ": worst relative error peak " << worstPk << ", RMS "
                                           << worstRms);
        // float state, summed in 16 lanes: within 2e-4 (0.002 dB) of the double reference
        // (measured: 6e-5 at worst, with blocks of 1 frame).
        BOOST_CHECK_LT(worstPk, 2e-4);
        BOOST_CHECK_LT(worstRms, 2e-4);
    }
}

BOOST_AUTO_TEST_CASE(output_does_not_depend_on_the_block_size)
{
    // Three stereo strips: one into a group bus with a chain of 3 inserts, one with a
    // chain of 2 and a post-fader send to an aux that returns to the master, one
    // plain; the master has a chain of 1. Every 0.25 s a fader, a pan or a send moves
    // (each move ramps for 20 ms across block boundaries).
    const uint64_t total = static_cast<uint64_t>(2 * kRate), grid = 12000;
    const auto render = [&](const std::vector<uint32_t>& sizes) {
        Rig rig;
        for (int i = 0; i < 3; ++i)
            rig.stereoStrip(i);
        rig.send(Op::BusActive, Target::Group, 0, 0, 1.f);
        rig.send(Op::Output, Target::Strip, 0, 0, 0.f); // group 0
        rig.send(Op::SwapChain, Target::Group, 0, 0, 0.f, utilityChain(3));
        rig.send(Op::SwapChain, Target::Strip, 1, 0, 0.f, utilityChain(2));
        rig.send(Op::BusActive, Target::Aux, 0, 0, 1.f);
        rig.send(Op::BusToMaster, Target::Aux, 0, 0, 1.f);
        rig.send(Op::SendLevel, Target::Strip, 1, 0, -6.f);
        rig.send(Op::SwapChain, Target::Master, 0, 0, 0.f, utilityChain(1));
        std::array<std::vector<float>, 2> out;
        uint64_t t = 0;
        int step = 0;
        for (const uint32_t n : sizes) {
            if (t % grid == 0 && t > 0) {
                const float v = static_cast<float>(step % 5) - 3.f;
                rig.send(Op::Fader, Target::Strip, step % 3, 0, v * 2.f);
                rig.send(Op::Pan, Target::Strip, (step + 1) % 3, 0, v / 4.f);
                rig.send(Op::SendLevel, Target::Strip, 1, 0, v * 3.f);
                ++step;
            }
            fillInputs(t, n);
            rig.engine.process(n);
            for (std::size_t ch = 0; ch < 2; ++ch)
                out[ch].insert(out[ch].end(), Ports::out[ch].begin(), Ports::out[ch].begin() + n);
            t += n;
        }
        return out;
    };
    const auto ref = render(blocks(total, 64, grid, 1));
    double level = 0.0;
    for (float x : ref[0])
        level = std::max(level, static_cast<double>(std::fabs(x)));
    BOOST_REQUIRE_GT(level, 0.1); // the rig makes sound
    for (const uint32_t max : {1u, 5u, 333u, kMaxBlock}) {
        const auto got = render(blocks(total, max, grid, 100 + max));
        for (std::size_t ch = 0; ch < 2; ++ch) {
            std::size_t firstDiff = got[ch].size();
            for (std::size_t i = 0; i < got[ch].size(); ++i)
                if (got[ch][i] != ref[ch][i]) {
                    firstDiff = i;
                    break;
                }
            BOOST_CHECK_MESSAGE(firstDiff == got[ch].size(),
                                "blocks up to " << max << ", channel " << ch << ": first difference at frame "
                                                << firstDiff);
        }
    }
}

BOOST_AUTO_TEST_CASE(chains_of_any_length_apply_every_insert)
{
    // k inserts of +2 dB on strip 0 (to the master), on strip 1 (into group 0, which
    // has k inserts too), and on the master (k inserts): DC 0.1 in, after the gains'
    // 20 ms ramps the outputs are 0.1 x 10^(2k/20) x (master chain).
    for (int k = 0; k <= 4; ++k) {
        for (const bool group : {false, true}) {
            Rig rig;
            rig.stereoStrip(group ? 1 : 0);
            if (k > 0)
                rig.send(Op::SwapChain, Target::Strip, group ? 1 : 0, 0, 0.f, utilityChain(k));
            if (group) {
                rig.send(Op::BusActive, Target::Group, 0, 0, 1.f);
                rig.send(Op::Output, Target::Strip, 1, 0, 0.f);
                if (k > 0)
                    rig.send(Op::SwapChain, Target::Group, 0, 0, 0.f, utilityChain(k));
            }
            if (k > 0)
                rig.send(Op::SwapChain, Target::Master, 0, 0, 0.f, utilityChain(k));
            for (auto& p : Ports::in)
                std::fill(p.begin(), p.end(), 0.1f);
            for (int b = 0; b < 100; ++b) // 0.13 s at 64 frames
                rig.engine.process(64);
            const int gains = group ? 3 * k : 2 * k;
            const double want = 0.1 * std::pow(10.0, 2.0 * gains / 20.0);
            for (std::size_t ch = 0; ch < 2; ++ch)
                BOOST_CHECK_MESSAGE(std::fabs(Ports::out[ch][63] - want) < 1e-5 * want,
                                    k << " inserts" << (group ? " (strip, group, master)" : " (strip, master)")
                                      << ", channel " << ch << ": " << Ports::out[ch][63] << ", want " << want);
        }
    }
}

BOOST_AUTO_TEST_CASE(demo_material_follows_its_definition)
{
    // x[t] = 0.25 (0.6 + 0.4 sin(2 pi p t / rate)) sin(2 pi f t / rate) + 0.01 (u[t] / 2^23 - 1),
    // f = 110 x 1.5^(i mod 6) Hz, p = 0.5 + 0.25 (i mod 3) Hz, u[t] the top 24 bits of
    // the LCG after t + 1 steps from the seed 0x9e3779b9 (i + 1).
    std::mt19937 rng(7);
    double worst = 0.0;
    for (const double rate : {8000.0, 48000.0, 384000.0})
        for (const uint32_t maxBlock : {1u, 7u, 64u, 1000u, 8192u})
            for (const std::size_t strip : {std::size_t{0}, std::size_t{4}, std::size_t{11}}) {
                const double f = 110.0 * std::pow(1.5, static_cast<double>(strip % 6));
                const double p = 0.5 + 0.25 * static_cast<double>(strip % 3);
                DemoSource demo;
                demo.reset(strip);
                uint32_t u = 0x9e3779b9u * static_cast<uint32_t>(strip + 1);
                std::uniform_int_distribution<uint32_t> size(1, maxBlock);
                std::vector<float> l(8192), r(8192);
                const auto total = static_cast<uint64_t>(3.0 * rate); // 3 s
                for (uint64_t t0 = 0; t0 < total;) {
                    const uint32_t n = maxBlock == 64 ? 64u : size(rng);
                    // The material is added: start from a known ramp.
                    for (uint32_t i = 0; i < n; ++i)
                        l[i] = r[i] = 0.001f * static_cast<float>(i % 50);
                    demo.add(strip, rate, l.data(), r.data(), n);
                    for (uint32_t i = 0; i < n; ++i) {
                        BOOST_REQUIRE(l[i] == r[i]);
                        const double t = static_cast<double>(t0 + i);
                        u = u * 1664525u + 1013904223u;
                        const double want = 0.25 * (0.6 + 0.4 * std::sin(2.0 * std::numbers::pi * p * t / rate))
                                                * std::sin(2.0 * std::numbers::pi * f * t / rate)
                                            + 0.01 * (static_cast<double>(u >> 8) / 8388608.0 - 1.0);
                        const double got = static_cast<double>(l[i]) - 0.001 * static_cast<double>(i % 50);
                        worst = std::max(worst, std::fabs(got - want));
                    }
                    t0 += n;
                }
            }
    BOOST_TEST_MESSAGE("demo material: worst |generated - definition| " << worst);
    BOOST_TEST(worst < 5e-5);
}
