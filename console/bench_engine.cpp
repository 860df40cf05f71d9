// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// mixwright-bench-engine: the console's engine (engine.cpp) timed without JACK, in a
// loop that calls Engine::process back to back. No scheduler, no other client and no
// sleep between periods, so the figures are steadier than the console's under JACK
// (scripts/bench-console.sh) and show changes to the engine's own work that the
// machine's noise hides there; they are not what a JACK callback costs (warm caches).
// N stereo strips (demo material, fader -6 dB, pan 0.2), each with the strip inserts
// of scripts/bench-plugins.txt (the file bench-console.sh reads: Mixwright EQ with 4
// bands, Compressor and Gate) and its master inserts (the Limiter); --plugins names
// another such file (scripts/bench-plugins-peers.txt: the peers' plugins), and
// --no-plugins leaves the chains empty (the console's own work alone). Prints the mean
// cycle and its split as the console's `dsp` command does (plugins, demo, own), and
// the median, smallest and largest `own` of ten equal parts of the run.
//
// Usage: mixwright-bench-engine [--strips N] [--frames F] [--cycles C] [--plugins FILE]
//                               [--no-plugins] [--no-demo]

#include "engine.hpp"
#include "host/host.hpp"
#include "tools/chain.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using namespace mixwright;
using namespace mixwright::console;

namespace {

std::vector<float> g_silence(kMaxBlock, 0.f);
std::vector<float> g_out[2] = {std::vector<float>(kMaxBlock), std::vector<float>(kMaxBlock)};

// Port handles: 1 is a (silent) input, 1000/1001 the master's outputs.
float* buffer(void* port, uint32_t) noexcept
{
    const auto h = reinterpret_cast<uintptr_t>(port);
    return h >= 1000 ? g_out[h - 1000].data() : g_silence.data();
}

using ChainSpec = std::vector<host::tools::PluginSpec>;

[[noreturn]] void fail(const std::string& what)
{
    std::fprintf(stderr, "mixwright-bench-engine: %s\n", what.c_str());
    std::exit(1);
}

// Reads a bench-plugins.txt file: `strip|master URI symbol=value ...` per line, `#`
// comments. Exits with a message on anything else.
std::pair<ChainSpec, ChainSpec> readPlugins(const std::string& path)
{
    std::ifstream file(path);
    if (!file)
        fail("cannot read " + path);
    std::pair<ChainSpec, ChainSpec> chains;
    std::string line;
    for (int number = 1; std::getline(file, line); ++number) {
        std::istringstream words(line);
        std::string role, setting;
        host::tools::PluginSpec spec;
        if (!(words >> role) || role[0] == '#')
            continue;
        const std::string at = path + ":" + std::to_string(number) + ": ";
        if ((role != "strip" && role != "master") || !(words >> spec.uri))
            fail(at + "expected `strip` or `master`, then a plugin URI");
        while (words >> setting) {
            if (!host::tools::isSetting(setting))
                fail(at + "'" + setting + "' is not symbol=value");
            const std::size_t eq = setting.find('=');
            spec.settings.emplace_back(setting.substr(0, eq), setting.substr(eq + 1));
        }
        (role == "strip" ? chains.first : chains.second).push_back(std::move(spec));
    }
    return chains;
}

Chain* chainOf(host::World& world, const ChainSpec& spec)
{
    std::vector<Insert> inserts(spec.size());
    for (std::size_t k = 0; k < spec.size(); ++k)
        inserts[k].uri = spec[k].uri;
    std::string notes;
    std::unique_ptr<Chain> c = buildChain(world, 48000.0, kMaxBlock, inserts, &notes);
    for (std::size_t k = 0; k < spec.size(); ++k) {
        if (c->inserts[k].placeholder)
            fail(notes);
        for (auto& p : c->inserts[k].instances) {
            std::string error;
            bool usageError = false;
            if (!host::tools::applySpec(*p, spec[k], &error, &usageError))
                fail(error);
        }
    }
    return c.release();
}

} // namespace

int main(int argc, char** argv)
{
    int strips = 32, cycles = 20000;
    uint32_t frames = 64;
    bool plugins = true, demo = true;
    std::string pluginFile = MIXWRIGHT_BENCH_PLUGINS;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool more = i + 1 < argc;
        if (a == "--strips" && more)
            strips = std::clamp(std::atoi(argv[++i]), 1, kMaxStrips);
        else if (a == "--frames" && more)
            frames = static_cast<uint32_t>(std::clamp(std::atoi(argv[++i]), 1, static_cast<int>(kMaxBlock)));
        else if (a == "--cycles" && more)
            cycles = std::max(std::atoi(argv[++i]), 10);
        else if (a == "--plugins" && more)
            pluginFile = argv[++i];
        else if (a == "--no-plugins")
            plugins = false;
        else if (a == "--no-demo")
            demo = false;
        else {
            std::fprintf(stderr, "usage: mixwright-bench-engine [--strips N] [--frames F] [--cycles C] "
                                 "[--plugins FILE] [--no-plugins] [--no-demo]\n");
            return 2;
        }
    }
    const auto [stripSpec, masterSpec] = plugins ? readPlugins(pluginFile) : std::pair<ChainSpec, ChainSpec>{};
    host::World world;
    Engine engine(48000.0);
    engine.setPortBufferFn(&buffer);
    const auto send = [&](Op op, Target t, int index, int sub, float value, void* ptr = nullptr) {
        const Message m{op, t, static_cast<uint16_t>(index), static_cast<uint16_t>(sub), 0, value, ptr};
        while (!engine.post(m))
            engine.process(frames); // the ring is full: let the engine take some
    };
    void* in = reinterpret_cast<void*>(uintptr_t{1});
    for (int i = 0; i < strips; ++i) {
        send(Op::StripActive, Target::Strip, i, 2, 1.f);
        send(Op::StripPort, Target::Strip, i, 0, 0.f, in);
        send(Op::StripPort, Target::Strip, i, 1, 0.f, in);
        send(Op::Fader, Target::Strip, i, 0, -6.f);
        send(Op::Pan, Target::Strip, i, 0, 0.2f);
        if (!stripSpec.empty())
            send(Op::SwapChain, Target::Strip, i, 0, 0.f, chainOf(world, stripSpec));
    }
    send(Op::BusPort, Target::Master, 0, 0, 0.f, reinterpret_cast<void*>(uintptr_t{1000}));
    send(Op::BusPort, Target::Master, 0, 1, 0.f, reinterpret_cast<void*>(uintptr_t{1001}));
    if (!masterSpec.empty())
        send(Op::SwapChain, Target::Master, 0, 0, 0.f, chainOf(world, masterSpec));
    send(Op::Demo, Target::Engine, 0, 0, demo ? 1.f : 0.f);
    for (int i = 0; i < 2000; ++i) // settle: ramps, the EQ's fit, caches
        engine.process(frames);
    engine.takeLoad();
    std::vector<double> own;
    Engine::Load total{};
    for (int part = 0; part < 10; ++part) {
        for (int i = 0; i < cycles / 10; ++i)
            engine.process(frames);
        const Engine::Load l = engine.takeLoad();
        own.push_back((l.meanNs - l.pluginNs - l.demoNs) / 1000.0);
        total.meanNs += l.meanNs / 10.0;
        total.pluginNs += l.pluginNs / 10.0;
        total.demoNs += l.demoNs / 10.0;
    }
    std::sort(own.begin(), own.end());
    std::printf("strips %d frames %u cycles %d plugins %s: mean cycle %.2f us, plugins %.2f us, demo %.2f us, "
                "own %.2f us (parts: median %.2f, min %.2f, max %.2f)\n",
                strips, frames, cycles, plugins ? "yes" : "no", total.meanNs / 1000.0, total.pluginNs / 1000.0,
                total.demoNs / 1000.0, (total.meanNs - total.pluginNs - total.demoNs) / 1000.0,
                0.5 * (own[4] + own[5]), own.front(), own.back());
    return 0;
}
