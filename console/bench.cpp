// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// mixwright-bench: CPU cost of LV2 plugins side by side. All plugins run in one
// process, interleaved block by block (A, B, C, A, B, C, ...), so frequency scaling
// and cache noise hit them alike; many short repetitions, and the median is reported
// in ns per sample per channel together with the ratio to the first plugin. The
// process's FTZ/DAZ mode is left alone, as a host leaves it: plugins set their own.
// To compare with the console (scripts/bench-console.sh): --instances N runs N
// instances of every plugin strip by strip (A1 B1 C1 A2 B2 C2 ...), so the working
// set is that of N strips and not of one hot instance; --chain feeds each plugin the
// output of the one before it, as on an insert chain; --signal demo gives instance i
// the console's demo material for strip i (demo.hpp).

#include "demo.hpp"
#include "host/host.hpp"
#include "tools/chain.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <numbers>
#include <thread>
#include <string>
#include <vector>

#ifndef MIXWRIGHT_VERSION
#define MIXWRIGHT_VERSION "unknown"
#endif

namespace {

using mixwright::host::InstanceOptions;
using mixwright::host::Plugin;
using mixwright::host::PortInfo;
using mixwright::host::PortKind;
using mixwright::host::World;
using mixwright::host::tools::PluginSpec;
using Clock = std::chrono::steady_clock;

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

void usage(FILE* f)
{
    std::fprintf(f,
        "Usage: mixwright-bench [options] -p URI [symbol=value ...] [--label NAME] [-p URI2 ...]\n"
        "\n"
        "Runs the plugins interleaved block by block in one process and prints, per block\n"
        "length, the median CPU time in ns per sample per channel (channels = the plugin's\n"
        "main audio outputs, at least 1) and the ratio to the first plugin.\n"
        "\n"
        "Options:\n"
        "  -p, --plugin URI    add a plugin; symbol=value pairs after it set its controls\n"
        "  --label NAME        name the last plugin in the table\n"
        "  --preset URI        load a preset into the last plugin\n"
        "  --blocks LIST       block lengths, comma separated (default 64,512)\n"
        "  --reps N            repetitions per block length (default 200)\n"
        "  --seconds S         audio per repetition per plugin (default 0.05)\n"
        "  --rate HZ           sample rate (default 48000)\n"
        "  --signal KIND       pink (noise, -12 dBFS RMS, default), sine (997 Hz, -12 dBFS peak)\n"
        "                      or demo (the console's demo material, instance i = strip i)\n"
        "  --instances N       N instances of every plugin, run strip by strip (default 1);\n"
        "                      the time reported is per instance\n"
        "  --chain             feed each plugin the previous plugin's output (an insert chain)\n"
        "  --paced             run one block of every instance per period of real time and\n"
        "                      sleep in between, as an audio callback does (default: back to back)\n"
        "  --lv2-dir DIR       also load the bundles in DIR (besides LV2_PATH)\n"
        "  --sidechain-signal  feed the test signal to sidechain inputs too (default silence)\n"
        "  --json              print JSON instead of the table\n"
        "  -h, --help, --version\n");
}

// Deterministic white noise (xorshift64*), uniform in [-1, 1).
class Noise {
public:
    explicit Noise(uint64_t seed) : s_(seed ? seed : 0x9E3779B97F4A7C15ull) {}
    double next()
    {
        s_ ^= s_ >> 12;
        s_ ^= s_ << 25;
        s_ ^= s_ >> 27;
        const uint64_t r = s_ * 0x2545F4914F6CDD1Dull;
        return static_cast<double>(r >> 11) * (2.0 / 9007199254740992.0) - 1.0;
    }

private:
    uint64_t s_;
};

// Two channels of the test signal, `frames` long.
std::vector<std::vector<float>> makeSignal(const std::string& kind, double rate, std::size_t frames)
{
    std::vector<std::vector<float>> sig(2, std::vector<float>(frames));
    const double target = std::pow(10.0, -12.0 / 20.0);
    for (std::size_t c = 0; c < 2; ++c) {
        if (kind == "sine") {
            for (std::size_t n = 0; n < frames; ++n)
                sig[c][n] = static_cast<float>(target * std::sin(2.0 * std::numbers::pi * 997.0 * static_cast<double>(n) / rate
                                                                 + 0.5 * static_cast<double>(c)));
            continue;
        }
        // Paul Kellet's economy pink filter on white noise, then scaled to the RMS target.
        Noise noise(0x1234567u + 7919u * c);
        double b0 = 0, b1 = 0, b2 = 0;
        std::vector<double> tmp(frames);
        double sum = 0;
        for (std::size_t n = 0; n < frames; ++n) {
            const double w = noise.next();
            b0 = 0.99765 * b0 + w * 0.0990460;
            b1 = 0.96300 * b1 + w * 0.2965164;
            b2 = 0.57000 * b2 + w * 1.0526913;
            tmp[n] = b0 + b1 + b2 + w * 0.1848;
            sum += tmp[n] * tmp[n];
        }
        const double gain = target / std::sqrt(sum / static_cast<double>(frames));
        for (std::size_t n = 0; n < frames; ++n)
            sig[c][n] = static_cast<float>(tmp[n] * gain);
    }
    return sig;
}

struct Instance {
    std::unique_ptr<Plugin> plugin;
    std::vector<const float*> ins;
    std::vector<float*> outs;
    std::vector<std::vector<float>> outBufs;
};

struct Entry {
    PluginSpec spec;
    std::string name;
    uint32_t channels = 1;
    std::vector<Instance> inst;
    std::vector<int> inMap; // per audio input: signal channel, or -1 for silence (sidechain)
    std::vector<double> perRep;
    std::vector<double> medians; // per block length
};

double median(std::vector<double> v)
{
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    const std::size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

// Median cost of one now()/now() pair, subtracted from each timed block.
double clockOverheadNs()
{
    std::vector<double> d(20000);
    for (double& x : d) {
        const auto t0 = Clock::now();
        const auto t1 = Clock::now();
        x = static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
    }
    return median(std::move(d));
}

std::string jsonEscape(const std::string& s)
{
    std::string out;
    for (char ch : s) {
        if (ch == '"' || ch == '\\')
            out += '\\';
        if (static_cast<unsigned char>(ch) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", ch);
            out += buf;
            continue;
        }
        out += ch;
    }
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<PluginSpec> specs;
    std::vector<uint32_t> blocks = {64, 512};
    std::vector<std::string> lv2Dirs;
    uint32_t reps = 200;
    double seconds = 0.05;
    double rate = 48000.0;
    std::string signal = "pink";
    uint32_t instances = 1;
    bool chain = false;
    bool paced = false;
    bool json = false;
    bool sidechainSignal = false;

    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        std::string v;
        const auto needValue = [&]() {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "mixwright-bench: %s needs a value\n", arg.c_str());
                return false;
            }
            v = argv[++i];
            return true;
        };
        if (arg == "-h" || arg == "--help") {
            usage(stdout);
            return 0;
        } else if (arg == "--version") {
            std::printf("mixwright-bench %s\n", MIXWRIGHT_VERSION);
            return 0;
        } else if (arg == "--json") {
            json = true;
        } else if (arg == "--chain") {
            chain = true;
        } else if (arg == "--paced") {
            paced = true;
        } else if (arg == "--instances") {
            if (!needValue() || !mixwright::host::tools::parseUint(v, &instances) || instances > 1024) {
                std::fprintf(stderr, "mixwright-bench: --instances wants an integer from 1 to 1024\n");
                return kExitUsage;
            }
        } else if (arg == "--sidechain-signal") {
            sidechainSignal = true;
        } else if (arg == "-p" || arg == "--plugin") {
            if (!needValue())
                return kExitUsage;
            specs.push_back({v, {}, {}, {}});
        } else if (arg == "--label" || arg == "--preset") {
            if (!needValue())
                return kExitUsage;
            if (specs.empty()) {
                std::fprintf(stderr, "mixwright-bench: %s must follow -p URI\n", arg.c_str());
                return kExitUsage;
            }
            (arg == "--label" ? specs.back().label : specs.back().preset) = v;
        } else if (arg == "--blocks") {
            if (!needValue() || !mixwright::host::tools::parseUintList(v, &blocks)
                || *std::max_element(blocks.begin(), blocks.end()) > 65536) {
                std::fprintf(stderr, "mixwright-bench: --blocks wants a list like 64,512 (each 1..65536)\n");
                return kExitUsage;
            }
        } else if (arg == "--reps") {
            if (!needValue() || !mixwright::host::tools::parseUint(v, &reps)) {
                std::fprintf(stderr, "mixwright-bench: --reps wants a positive integer\n");
                return kExitUsage;
            }
        } else if (arg == "--seconds" || arg == "--rate") {
            if (!needValue())
                return kExitUsage;
            char* end = nullptr;
            const double x = std::strtod(v.c_str(), &end);
            if (end == v.c_str() || *end || !(x > 0) || !std::isfinite(x)
                || (arg == "--rate" && (x < 8000 || x > 384000)) || (arg == "--seconds" && x > 60)) {
                std::fprintf(stderr, "mixwright-bench: bad value '%s' for %s\n", v.c_str(), arg.c_str());
                return kExitUsage;
            }
            (arg == "--rate" ? rate : seconds) = x;
        } else if (arg == "--signal") {
            if (!needValue() || (v != "pink" && v != "sine" && v != "demo")) {
                std::fprintf(stderr, "mixwright-bench: --signal wants pink, sine or demo\n");
                return kExitUsage;
            }
            signal = v;
        } else if (arg == "--lv2-dir") {
            if (!needValue())
                return kExitUsage;
            lv2Dirs.push_back(v);
        } else if (mixwright::host::tools::isSetting(arg) && !specs.empty()) {
            const auto eq = arg.find('=');
            specs.back().settings.emplace_back(arg.substr(0, eq), arg.substr(eq + 1));
        } else {
            std::fprintf(stderr, "mixwright-bench: unexpected argument '%s' (see --help)\n", arg.c_str());
            return kExitUsage;
        }
    }
    if (specs.empty()) {
        usage(stderr);
        return kExitUsage;
    }

    World world;
    for (const auto& dir : lv2Dirs)
        world.loadDirectory(dir);

    std::vector<Entry> entries(specs.size());
    for (std::size_t k = 0; k < specs.size(); ++k)
        entries[k].spec = specs[k];

    const double overhead = clockOverheadNs();
    for (uint32_t block : blocks) {
        const auto blocksPerRep = static_cast<std::size_t>(std::ceil(seconds * rate / block));
        const std::size_t repFrames = blocksPerRep * block;
        const std::size_t sigFrames = std::max<std::size_t>(static_cast<std::size_t>(2.0 * rate), 2 * repFrames);
        const auto sig = makeSignal(signal == "demo" ? "pink" : signal, rate, sigFrames);
        // Demo material: generated block by block per instance (untimed), as the console does.
        std::vector<mixwright::console::DemoSource> demo(instances);
        std::vector<std::vector<float>> demoBuf(instances, std::vector<float>(2 * static_cast<std::size_t>(block)));
        for (std::size_t j = 0; j < instances; ++j)
            demo[j].reset(j);

        // Fresh instances per block length: each sees a host whose nominal block is this one.
        for (Entry& e : entries) {
            InstanceOptions opts;
            opts.sampleRate = rate;
            opts.maxBlock = block;
            opts.nominalBlock = block;
            e.inst.clear();
            e.inst.resize(instances);
            for (Instance& in : e.inst) {
                std::string error;
                in.plugin = Plugin::create(world, e.spec.uri, opts, &error);
                if (!in.plugin) {
                    std::fprintf(stderr, "mixwright-bench: %s\n", error.c_str());
                    return kExitFailure;
                }
                bool usageError = false;
                if (!mixwright::host::tools::applySpec(*in.plugin, e.spec, &error, &usageError)) {
                    std::fprintf(stderr, "mixwright-bench: %s\n", error.c_str());
                    return usageError ? kExitUsage : kExitFailure;
                }
            }
            Plugin& first = *e.inst[0].plugin;
            e.name = e.spec.label.empty() ? first.name() : e.spec.label;
            e.channels = std::max<uint32_t>(1, first.mainAudioOutputs());
            e.inMap.clear();
            int main = 0, side = 0;
            for (const PortInfo& p : first.ports())
                if (p.kind == PortKind::AudioIn) {
                    if (p.sidechain)
                        e.inMap.push_back(sidechainSignal ? (side++ % 2) : -1);
                    else
                        e.inMap.push_back(main++ % 2);
                }
            for (Instance& in : e.inst) {
                in.ins.assign(e.inMap.size(), nullptr);
                in.outBufs.assign(in.plugin->audioOutputs(), std::vector<float>(block));
                in.outs.clear();
                for (auto& b : in.outBufs)
                    in.outs.push_back(b.data());
                in.plugin->activate();
            }
            e.perRep.clear();
        }

        const uint32_t warmup = std::max<uint32_t>(2, reps / 10);
        std::vector<double> acc(entries.size());
        const auto period = std::chrono::nanoseconds(static_cast<int64_t>(1e9 * block / rate));
        auto wake = Clock::now();
        for (uint32_t rep = 0; rep < warmup + reps; ++rep) {
            const std::size_t start = (static_cast<std::size_t>(rep) * repFrames) % (sigFrames - repFrames);
            std::fill(acc.begin(), acc.end(), 0.0);
            for (std::size_t b = 0; b < blocksPerRep; ++b) {
                const std::size_t pos = start + b * block;
                if (paced) {
                    wake += period;
                    std::this_thread::sleep_until(wake);
                }
                for (std::size_t i = 0; i < instances; ++i) {
                    // This instance's (strip's) input: the test signal, or its demo material.
                    std::array<const float*, 2> src{sig[0].data() + pos, sig[1].data() + pos};
                    if (signal == "demo") {
                        float* l = demoBuf[i].data();
                        float* r = l + block;
                        std::fill_n(l, 2 * static_cast<std::size_t>(block), 0.f);
                        demo[i].add(i, rate, l, r, block);
                        src = {l, r};
                    }
                    for (std::size_t k = 0; k < entries.size(); ++k) {
                        Entry& e = entries[k];
                        Instance& in = e.inst[i];
                        for (std::size_t j = 0; j < e.inMap.size(); ++j)
                            in.ins[j] = e.inMap[j] < 0 ? nullptr : src[static_cast<std::size_t>(e.inMap[j])];
                        const auto t0 = Clock::now();
                        in.plugin->run(in.ins.data(), in.outs.data(), block);
                        const auto t1 = Clock::now();
                        acc[k] += static_cast<double>(
                                      std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count())
                                  - overhead;
                        if (chain && !in.outs.empty()) {
                            const std::size_t outs = std::max<std::size_t>(1, e.channels);
                            src = {in.outs[0], in.outs[std::min<std::size_t>(1, outs - 1)]};
                        }
                    }
                }
            }
            if (rep < warmup)
                continue;
            for (std::size_t k = 0; k < entries.size(); ++k)
                entries[k].perRep.push_back(std::max(0.0, acc[k])
                                            / static_cast<double>(repFrames * entries[k].channels * instances));
        }
        for (Entry& e : entries) {
            e.medians.push_back(median(e.perRep));
            for (Instance& in : e.inst)
                in.plugin->deactivate();
            e.inst.clear();
        }
    }

    const auto ratio = [&](const Entry& e, std::size_t bi) {
        const double ref = entries[0].medians[bi];
        return ref > 0 ? e.medians[bi] / ref : 0.0;
    };
    if (json) {
        std::printf("{\n  \"rate\": %.0f,\n  \"reps\": %u,\n  \"seconds\": %g,\n  \"signal\": \"%s\",\n"
                    "  \"instances\": %u,\n  \"chain\": %s,\n"
                    "  \"unit\": \"ns per sample per channel (median)\",\n  \"plugins\": [\n",
                    rate, reps, seconds, signal.c_str(), instances, chain ? "true" : "false");
        for (std::size_t k = 0; k < entries.size(); ++k) {
            const Entry& e = entries[k];
            std::printf("    {\"label\": \"%s\", \"uri\": \"%s\", \"channels\": %u, \"blocks\": {",
                        jsonEscape(e.name).c_str(), jsonEscape(e.spec.uri).c_str(), e.channels);
            for (std::size_t bi = 0; bi < blocks.size(); ++bi)
                std::printf("%s\"%u\": {\"ns\": %.3f, \"ratio\": %.3f}", bi ? ", " : "", blocks[bi], e.medians[bi],
                            ratio(e, bi));
            std::printf("}}%s\n", k + 1 < entries.size() ? "," : "");
        }
        std::printf("  ]\n}\n");
        return 0;
    }

    std::printf("%.0f Hz, %s, %u reps x %g s per block length; median ns per sample per channel "
                "(ratio to the first plugin)\n",
                rate,
                signal == "pink"   ? "pink noise -12 dBFS RMS"
                : signal == "sine" ? "997 Hz sine -12 dBFS"
                                   : "console demo material",
                reps, seconds);
    if (instances > 1 || chain)
        std::printf("%u instances of each plugin, strip by strip%s; time per instance\n", instances,
                    chain ? ", chained" : "");
    std::printf("%-40s %3s", "plugin", "ch");
    for (uint32_t b : blocks)
        std::printf("  %10s %6s", ("block " + std::to_string(b)).c_str(), "ratio");
    std::printf("\n");
    for (const Entry& e : entries) {
        std::string name = e.name.size() > 40 ? e.name.substr(0, 37) + "..." : e.name;
        std::printf("%-40s %3u", name.c_str(), e.channels);
        for (std::size_t bi = 0; bi < blocks.size(); ++bi)
            std::printf("  %10.2f %6.2f", e.medians[bi], ratio(e, bi));
        std::printf("\n");
    }
    return 0;
}
