// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// mixwright-render: runs an audio file through a chain of LV2 plugins, offline.
// Exit codes: 0 done, 1 a file or plugin failed, 2 a usage error (bad option,
// unknown control symbol, bad value, channels that cannot be mapped).

#include "host/host.hpp"
#include "tools/chain.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

#include <sndfile.h>

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

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

void usage(FILE* f)
{
    std::fprintf(f,
        "Usage: mixwright-render [options] IN OUT -p URI [symbol=value ...] [-p URI2 ...]\n"
        "       mixwright-render --list\n"
        "       mixwright-render --rate-check [IN] -p URI ...\n"
        "\n"
        "Runs IN (any format libsndfile reads) through the LV2 plugins in order and writes OUT.\n"
        "A stereo plugin fed a mono file gets the channel twice; a mono plugin fed a\n"
        "multichannel file runs one instance per channel.\n"
        "\n"
        "Options:\n"
        "  -p, --plugin URI    add a plugin to the chain; symbol=value pairs after it set its controls\n"
        "  --preset URI        load this preset into the last plugin named (before its settings)\n"
        "  --block N           block length in frames (default 512)\n"
        "  --compensate        remove the chain's reported latency: output aligns with the input\n"
        "                      and has its length (the tail is prerolled with zeros)\n"
        "  --format F          output sample format: float, 24 or 16 (default: as the input)\n"
        "  --tempo BPM         a rolling transport from frame 0 at BPM (1..999), sent to plugins\n"
        "                      that take time:Position (tempo-synced delays, LFOs)\n"
        "  --meter N/D         the meter for --tempo (default 4/4)\n"
        "  --rate-check        instantiate each plugin at 8 k ... 384 k Hz (and IN's rate), run\n"
        "                      one block, report; exit 1 when a plugin refuses IN's rate\n"
        "  --lv2-dir DIR       also load the bundles in DIR (besides LV2_PATH)\n"
        "  --list              list installed plugins (URI and name)\n"
        "  -q, --quiet         print errors only\n"
        "  -h, --help          this help\n"
        "  --version           print the version\n");
}

struct Stage {
    PluginSpec spec;
    std::vector<std::unique_ptr<Plugin>> instances;
    bool perChannel = false;
    uint32_t outChannels = 0;
    std::vector<std::vector<float>> out; // per output channel, block frames
    std::vector<std::vector<const float*>> inPtrs; // per instance, audioInputs() entries
    std::vector<std::vector<float*>> outPtrs;      // per instance, audioOutputs() entries
    uint32_t latency = 0;
};

struct Args {
    std::vector<PluginSpec> specs;
    std::vector<std::string> files;
    std::vector<std::string> lv2Dirs;
    uint32_t block = 512;
    bool compensate = false;
    bool rateCheck = false;
    bool list = false;
    bool quiet = false;
    std::string format;
    double bpm = 0.0; // > 0: plugins get a rolling time:Position with BBT
    mixwright::host::Tempo tempo;
};

// Returns -1 to continue, else an exit code.
int parseArgs(int argc, char** argv, Args& a)
{
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto needValue = [&](std::string* value) {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "mixwright-render: %s needs a value\n", arg.c_str());
                return false;
            }
            *value = argv[++i];
            return true;
        };
        std::string v;
        if (arg == "-h" || arg == "--help") {
            usage(stdout);
            return 0;
        } else if (arg == "--version") {
            std::printf("mixwright-render %s\n", MIXWRIGHT_VERSION);
            return 0;
        } else if (arg == "--list") {
            a.list = true;
        } else if (arg == "-q" || arg == "--quiet") {
            a.quiet = true;
        } else if (arg == "--compensate") {
            a.compensate = true;
        } else if (arg == "--rate-check") {
            a.rateCheck = true;
        } else if (arg == "-p" || arg == "--plugin") {
            if (!needValue(&v))
                return kExitUsage;
            a.specs.push_back({v, {}, {}, {}});
        } else if (arg == "--preset" || arg == "--label") {
            if (!needValue(&v))
                return kExitUsage;
            if (a.specs.empty()) {
                std::fprintf(stderr, "mixwright-render: %s must follow -p URI\n", arg.c_str());
                return kExitUsage;
            }
            (arg == "--preset" ? a.specs.back().preset : a.specs.back().label) = v;
        } else if (arg == "--block") {
            if (!needValue(&v) || !mixwright::host::tools::parseUint(v, &a.block) || a.block > 65536) {
                std::fprintf(stderr, "mixwright-render: --block wants 1..65536\n");
                return kExitUsage;
            }
        } else if (arg == "--format") {
            if (!needValue(&v) || (v != "float" && v != "24" && v != "16")) {
                std::fprintf(stderr, "mixwright-render: --format wants float, 24 or 16\n");
                return kExitUsage;
            }
            a.format = v;
        } else if (arg == "--tempo") {
            char* end = nullptr;
            a.bpm = needValue(&v) ? std::strtod(v.c_str(), &end) : 0.0;
            if (!end || *end != '\0' || !(a.bpm >= 1.0 && a.bpm <= 999.0)) {
                std::fprintf(stderr, "mixwright-render: --tempo wants 1..999 (beats per minute)\n");
                return kExitUsage;
            }
            a.tempo.bpm = a.bpm;
        } else if (arg == "--meter") {
            unsigned n = 0, d = 0;
            char tail = 0;
            if (!needValue(&v) || std::sscanf(v.c_str(), "%u/%u%c", &n, &d, &tail) != 2 || n < 1 || n > 64
                || (d != 1 && d != 2 && d != 4 && d != 8 && d != 16 && d != 32)) {
                std::fprintf(stderr, "mixwright-render: --meter wants N/D (1..64 / 1, 2, 4, 8, 16 or 32)\n");
                return kExitUsage;
            }
            a.tempo.beatsPerBar = static_cast<float>(n);
            a.tempo.beatType = static_cast<float>(d);
        } else if (arg == "--lv2-dir") {
            if (!needValue(&v))
                return kExitUsage;
            a.lv2Dirs.push_back(v);
        } else if (mixwright::host::tools::isSetting(arg)) {
            if (a.specs.empty()) {
                std::fprintf(stderr, "mixwright-render: setting '%s' before any -p URI\n", arg.c_str());
                return kExitUsage;
            }
            const auto eq = arg.find('=');
            a.specs.back().settings.emplace_back(arg.substr(0, eq), arg.substr(eq + 1));
        } else if (arg.size() > 1 && arg[0] == '-') {
            std::fprintf(stderr, "mixwright-render: unknown option '%s' (see --help)\n", arg.c_str());
            return kExitUsage;
        } else {
            a.files.push_back(arg);
        }
    }
    return -1;
}

// Builds a stage for `channels` incoming channels. Returns an exit code on failure.
int buildStage(World& world, const PluginSpec& spec, double rate, uint32_t block, uint32_t channels,
               Stage& stage, std::string* error)
{
    InstanceOptions opts;
    opts.sampleRate = rate;
    opts.maxBlock = block;
    opts.nominalBlock = block;
    opts.offline = true;
    stage.spec = spec;
    bool usageError = false;
    auto first = Plugin::create(world, spec.uri, opts, error);
    if (!first)
        return kExitFailure;
    if (!mixwright::host::tools::applySpec(*first, spec, error, &usageError))
        return usageError ? kExitUsage : kExitFailure;
    const uint32_t mi = first->mainAudioInputs();
    const uint32_t mo = first->mainAudioOutputs();
    const std::string who = "plugin <" + spec.uri + ">";
    if (mi == 0 || mo == 0) {
        *error = who + " has " + std::to_string(mi) + " audio inputs and " + std::to_string(mo)
                 + " audio outputs; a render chain needs both";
        return kExitUsage;
    }
    if (mi == channels || (mi == 2 && channels == 1)) {
        stage.outChannels = mo;
    } else if (mi == 1 && mo == 1) {
        stage.perChannel = true;
        stage.outChannels = channels;
    } else {
        *error = who + " has " + std::to_string(mi) + " main audio inputs; the chain carries "
                 + std::to_string(channels) + " channels here";
        return kExitUsage;
    }
    stage.instances.push_back(std::move(first));
    for (uint32_t c = 1; stage.perChannel && c < channels; ++c) {
        auto p = Plugin::create(world, spec.uri, opts, error);
        if (!p)
            return kExitFailure;
        if (!mixwright::host::tools::applySpec(*p, spec, error, &usageError))
            return usageError ? kExitUsage : kExitFailure;
        stage.instances.push_back(std::move(p));
    }
    stage.out.assign(stage.outChannels, std::vector<float>(block, 0.f));
    return 0;
}

// Fixed pointer tables: buffers never move after this.
void wireStage(Stage& stage, const std::vector<std::vector<float>>& in)
{
    const uint32_t channels = static_cast<uint32_t>(in.size());
    for (std::size_t k = 0; k < stage.instances.size(); ++k) {
        const Plugin& p = *stage.instances[k];
        std::vector<const float*> ins;
        std::vector<float*> outs;
        uint32_t mainIn = 0, mainOut = 0;
        for (const PortInfo& port : p.ports()) {
            if (port.kind == PortKind::AudioIn) {
                if (port.sidechain) {
                    ins.push_back(nullptr); // silence
                } else if (stage.perChannel) {
                    ins.push_back(in[k].data());
                } else {
                    ins.push_back(in[std::min(mainIn, channels - 1)].data()); // mono to stereo: twice
                }
                mainIn += port.sidechain ? 0 : 1;
            } else if (port.kind == PortKind::AudioOut) {
                if (port.sidechain) {
                    outs.push_back(nullptr); // scratch
                } else if (stage.perChannel) {
                    outs.push_back(mainOut == 0 ? stage.out[k].data() : nullptr);
                } else {
                    outs.push_back(stage.out[mainOut].data());
                }
                mainOut += port.sidechain ? 0 : 1;
            }
        }
        stage.inPtrs.push_back(std::move(ins));
        stage.outPtrs.push_back(std::move(outs));
    }
}

int outputFormat(const std::string& outPath, int inFormat, const std::string& format, std::string* error)
{
    std::string ext = std::filesystem::path(outPath).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    int major = inFormat & SF_FORMAT_TYPEMASK;
    if (ext == ".wav")
        major = SF_FORMAT_WAV;
    else if (ext == ".flac")
        major = SF_FORMAT_FLAC;
    else if (ext == ".aif" || ext == ".aiff")
        major = SF_FORMAT_AIFF;
    int sub = inFormat & SF_FORMAT_SUBMASK;
    if (format == "float")
        sub = SF_FORMAT_FLOAT;
    else if (format == "24")
        sub = SF_FORMAT_PCM_24;
    else if (format == "16")
        sub = SF_FORMAT_PCM_16;
    SF_INFO probe{};
    probe.channels = 1;
    probe.samplerate = 48000;
    probe.format = major | sub;
    if (sf_format_check(&probe))
        return probe.format;
    if (!format.empty()) {
        *error = "'" + outPath + "': sample format '" + format + "' is not possible in this file type";
        return 0;
    }
    for (int fallback : {SF_FORMAT_PCM_24, SF_FORMAT_FLOAT, SF_FORMAT_PCM_16}) {
        probe.format = major | fallback;
        if (sf_format_check(&probe))
            return probe.format;
    }
    *error = "'" + outPath + "': no sample format fits this file type";
    return 0;
}

int listPlugins(World& world)
{
    auto uris = world.pluginUris();
    std::sort(uris.begin(), uris.end());
    for (const auto& uri : uris) {
        const LilvPlugin* p = world.findPlugin(uri);
        LilvNode* name = p ? lilv_plugin_get_name(p) : nullptr;
        std::printf("%-70s %s\n", uri.c_str(), name ? lilv_node_as_string(name) : "");
        lilv_node_free(name);
    }
    return 0;
}

int rateCheck(World& world, const Args& a)
{
    double fileRate = 0.0;
    if (!a.files.empty()) {
        SF_INFO info{};
        SNDFILE* f = sf_open(a.files[0].c_str(), SFM_READ, &info);
        if (!f) {
            std::fprintf(stderr, "mixwright-render: cannot open '%s': %s\n", a.files[0].c_str(), sf_strerror(nullptr));
            return kExitFailure;
        }
        fileRate = info.samplerate;
        sf_close(f);
    }
    std::vector<double> rates = {8000, 16000, 22050, 44100, 48000, 88200, 96000, 176400, 192000, 352800, 384000};
    if (fileRate > 0 && std::find(rates.begin(), rates.end(), fileRate) == rates.end())
        rates.push_back(fileRate);
    int rc = 0;
    for (const PluginSpec& spec : a.specs) {
        std::printf("%s\n", spec.uri.c_str());
        for (double rate : rates) {
            InstanceOptions opts;
            opts.sampleRate = rate;
            opts.maxBlock = a.block;
            opts.nominalBlock = a.block;
            opts.offline = true;
            std::string error;
            bool usageError = false;
            auto p = Plugin::create(world, spec.uri, opts, &error);
            if (p && !mixwright::host::tools::applySpec(*p, spec, &error, &usageError)) {
                std::fprintf(stderr, "mixwright-render: %s\n", error.c_str());
                return usageError ? kExitUsage : kExitFailure;
            }
            std::string result = "refused: " + error;
            if (p) {
                // One block of a 1 kHz tone: the output must stay finite.
                std::vector<std::vector<float>> in(p->audioInputs(), std::vector<float>(a.block));
                std::vector<std::vector<float>> out(p->audioOutputs(), std::vector<float>(a.block));
                std::vector<const float*> ip;
                std::vector<float*> op;
                for (auto& ch : in) {
                    for (uint32_t n = 0; n < a.block; ++n)
                        ch[n] = 0.25f * static_cast<float>(std::sin(2.0 * std::numbers::pi * 1000.0 * n / rate));
                    ip.push_back(ch.data());
                }
                for (auto& ch : out)
                    op.push_back(ch.data());
                p->activate();
                p->run(ip.data(), op.data(), a.block);
                bool finite = true;
                for (auto& ch : out)
                    for (float x : ch)
                        finite = finite && std::isfinite(x);
                p->deactivate();
                result = finite ? "ok, latency " + std::to_string(p->reportedLatency())
                                : "instantiated, but its output is not finite";
            }
            std::printf("  %8.0f Hz  %s%s\n", rate, result.c_str(), rate == fileRate ? "  (input file)" : "");
            if (rate == fileRate && (!p || result.rfind("ok", 0) != 0))
                rc = kExitFailure;
        }
    }
    return rc;
}

int render(World& world, const Args& a)
{
    const std::string& inPath = a.files[0];
    const std::string& outPath = a.files[1];
    SF_INFO inInfo{};
    SNDFILE* in = sf_open(inPath.c_str(), SFM_READ, &inInfo);
    if (!in) {
        std::fprintf(stderr, "mixwright-render: cannot open '%s': %s\n", inPath.c_str(), sf_strerror(nullptr));
        return kExitFailure;
    }
    std::unique_ptr<SNDFILE, int (*)(SNDFILE*)> inGuard(in, &sf_close);
    const double rate = inInfo.samplerate;
    const uint32_t block = a.block;

    // The chain.
    std::vector<Stage> stages(a.specs.size());
    uint32_t channels = static_cast<uint32_t>(inInfo.channels);
    std::vector<std::vector<float>> fileIn(channels, std::vector<float>(block, 0.f));
    const std::vector<std::vector<float>>* prev = &fileIn;
    for (std::size_t s = 0; s < stages.size(); ++s) {
        std::string error;
        const int rc = buildStage(world, a.specs[s], rate, block, channels, stages[s], &error);
        if (rc) {
            std::fprintf(stderr, "mixwright-render: %s\n", error.c_str());
            return rc;
        }
        wireStage(stages[s], *prev);
        prev = &stages[s].out;
        channels = stages[s].outChannels;
    }
    const uint32_t outChannels = channels;

    std::string error;
    SF_INFO outInfo{};
    outInfo.samplerate = inInfo.samplerate;
    outInfo.channels = static_cast<int>(outChannels);
    outInfo.format = outputFormat(outPath, inInfo.format, a.format, &error);
    if (!outInfo.format) {
        std::fprintf(stderr, "mixwright-render: %s\n", error.c_str());
        return kExitUsage;
    }
    SNDFILE* out = sf_open(outPath.c_str(), SFM_WRITE, &outInfo);
    if (!out) {
        std::fprintf(stderr, "mixwright-render: cannot write '%s': %s\n", outPath.c_str(), sf_strerror(nullptr));
        return kExitFailure;
    }
    std::unique_ptr<SNDFILE, int (*)(SNDFILE*)> outGuard(out, &sf_close);
    sf_command(out, SFC_SET_CLIPPING, nullptr, SF_TRUE);

    if (!a.quiet)
        std::printf("%s: %d ch, %d Hz, %lld frames -> %s: %u ch\n", inPath.c_str(), inInfo.channels,
                    inInfo.samplerate, static_cast<long long>(inInfo.frames), outPath.c_str(), outChannels);

    for (Stage& st : stages)
        for (auto& p : st.instances)
            p->activate();

    std::vector<float> interleavedIn(static_cast<std::size_t>(block) * static_cast<std::size_t>(inInfo.channels));
    std::vector<float> interleavedOut(static_cast<std::size_t>(block) * outChannels);
    bool first = true;
    bool inputDone = false;
    uint64_t toDrop = 0;   // output frames still to discard (latency compensation)
    uint64_t tailLeft = 0; // zero frames still to feed after the input ends
    uint64_t timelineFrame = 0;
    const auto inCh = static_cast<std::size_t>(inInfo.channels);
    for (;;) {
        uint32_t frames = 0;
        if (!inputDone) {
            const sf_count_t got = sf_readf_float(in, interleavedIn.data(), block);
            frames = got > 0 ? static_cast<uint32_t>(got) : 0;
            inputDone = frames < block;
            for (std::size_t c = 0; c < inCh; ++c)
                for (uint32_t n = 0; n < frames; ++n)
                    fileIn[c][n] = interleavedIn[n * inCh + c];
        }
        if (inputDone && frames < block && tailLeft > 0) {
            // The preroll: zeros that push the last `latency` frames out of the chain.
            const auto extra = static_cast<uint32_t>(std::min<uint64_t>(tailLeft, block - frames));
            for (auto& ch : fileIn)
                std::fill(ch.begin() + frames, ch.begin() + frames + extra, 0.f);
            frames += extra;
            tailLeft -= extra;
        }
        if (frames == 0)
            break;

        // With --tempo the file is a rolling transport from frame 0 (zero preroll included).
        mixwright::host::TransportPosition transport;
        transport.rolling = true;
        transport.frame = timelineFrame;
        if (a.bpm > 0.0)
            mixwright::host::computeBbt(transport, rate, a.tempo);
        timelineFrame += frames;
        for (Stage& st : stages)
            for (std::size_t k = 0; k < st.instances.size(); ++k)
                st.instances[k]->run(st.inPtrs[k].data(), st.outPtrs[k].data(), frames,
                                     a.bpm > 0.0 ? &transport : nullptr);

        if (first) {
            // Plugins report latency once they have run.
            first = false;
            uint64_t total = 0;
            for (std::size_t s = 0; s < stages.size(); ++s) {
                Stage& st = stages[s];
                for (auto& p : st.instances)
                    st.latency = std::max(st.latency, p->reportedLatency());
                total += st.latency;
                if (!a.quiet) {
                    const std::string inst = st.perChannel
                        ? ", " + std::to_string(st.instances.size()) + " mono instances" : std::string();
                    std::printf("  %zu. %s <%s>: latency %u samples%s\n", s + 1, st.instances[0]->name().c_str(),
                                st.spec.uri.c_str(), st.latency, inst.c_str());
                }
            }
            if (!a.quiet)
                std::printf("total latency: %llu samples%s\n", static_cast<unsigned long long>(total),
                            a.compensate ? " (compensated)" : "");
            if (a.compensate) {
                toDrop = total;
                tailLeft = total;
            }
        }

        // Interleave the last stage's output, skipping frames still to drop.
        const auto& last = stages.back().out;
        const uint32_t skip = static_cast<uint32_t>(std::min<uint64_t>(toDrop, frames));
        toDrop -= skip;
        const uint32_t keep = frames - skip;
        for (uint32_t n = 0; n < keep; ++n)
            for (uint32_t c = 0; c < outChannels; ++c)
                interleavedOut[static_cast<std::size_t>(n) * outChannels + c] = last[c][skip + n];
        if (keep > 0 && sf_writef_float(out, interleavedOut.data(), keep) != keep) {
            std::fprintf(stderr, "mixwright-render: writing '%s' failed: %s\n", outPath.c_str(), sf_strerror(out));
            return kExitFailure;
        }
    }
    if (first)
        std::fprintf(stderr, "mixwright-render: warning: '%s' holds no audio frames\n", inPath.c_str());

    for (Stage& st : stages)
        for (auto& p : st.instances)
            p->deactivate();
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    Args a;
    if (const int rc = parseArgs(argc, argv, a); rc >= 0)
        return rc;
    if (!a.list && a.specs.empty()) {
        usage(stderr);
        return kExitUsage;
    }
    if (!a.list && !a.rateCheck && a.files.size() != 2) {
        std::fprintf(stderr, "mixwright-render: want IN and OUT files (got %zu); see --help\n", a.files.size());
        return kExitUsage;
    }
    World world;
    for (const auto& dir : a.lv2Dirs)
        if (world.loadDirectory(dir) == 0)
            std::fprintf(stderr, "mixwright-render: warning: no LV2 bundles in '%s'\n", dir.c_str());
    if (a.list)
        return listPlugins(world);
    if (a.rateCheck)
        return rateCheck(world, a);
    return render(world, a);
}
