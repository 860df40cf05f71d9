// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// The lilv host and mixwright-render, checked against references that do not go
// through the host: closed-form gains, impulse positions, the TTL files themselves,
// and values read back with libsndfile. Needs LV2_PATH with our build tree and the
// Debian peers (x42, ZAM, LSP), and MIXWRIGHT_RENDER (set by meson).

#define BOOST_TEST_MODULE host
#if defined(__clang__)
// Boost.Test's registration macros use __COUNTER__, which clang >= 22 calls a C2y extension.
#pragma clang diagnostic ignored "-Wunknown-warning-option"
#pragma clang diagnostic ignored "-Wc2y-extensions"
#endif
#include <boost/test/unit_test.hpp>

#include "host/host.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <sndfile.h>

namespace fs = std::filesystem;
using mixwright::host::InstanceOptions;
using mixwright::host::Plugin;
using mixwright::host::PortKind;
using mixwright::host::World;

namespace {

const char* const kUtility = "urn:mixwright:utility";
const char* const kBalance = "http://gareus.org/oss/lv2/balance";
const char* const kDpl = "http://gareus.org/oss/lv2/dpl#stereo";
const char* const kZamEq2 = "urn:zamaudio:ZamEQ2";
const char* const kLspEq = "http://lsp-plug.in/plugins/lv2/para_equalizer_x16_stereo";

// One world for the whole module: loading every bundle takes a while.
World& world()
{
    static World w;
    return w;
}

std::unique_ptr<Plugin> load(const std::string& uri, double rate = 48000.0, uint32_t maxBlock = 512,
                             bool offline = true)
{
    InstanceOptions o;
    o.sampleRate = rate;
    o.maxBlock = maxBlock;
    o.offline = offline;
    std::string error;
    auto p = Plugin::create(world(), uri, o, &error);
    BOOST_TEST_REQUIRE(p.get() != nullptr, "loading <" << uri << "> failed: " << error);
    return p;
}

// Deterministic noise in [-0.5, 0.5).
std::vector<float> noise(std::size_t n, uint32_t seed)
{
    std::vector<float> v(n);
    for (auto& x : v) {
        seed = seed * 1664525u + 1013904223u;
        x = static_cast<float>(seed >> 8) / 16777216.f - 0.5f;
    }
    return v;
}

// Runs a stereo plugin over whole buffers in blocks of `block`.
void runStereo(Plugin& p, const std::vector<float>& l, const std::vector<float>& r, std::vector<float>& outL,
               std::vector<float>& outR, uint32_t block)
{
    outL.assign(l.size(), 0.f);
    outR.assign(r.size(), 0.f);
    for (std::size_t pos = 0; pos < l.size(); pos += block) {
        const auto n = static_cast<uint32_t>(std::min<std::size_t>(block, l.size() - pos));
        const float* in[] = {l.data() + pos, r.data() + pos};
        float* out[] = {outL.data() + pos, outR.data() + pos};
        p.run(in, out, n);
    }
}

std::size_t argmaxAbs(const std::vector<float>& v)
{
    std::size_t best = 0;
    for (std::size_t i = 1; i < v.size(); ++i)
        if (std::fabs(v[i]) > std::fabs(v[best]))
            best = i;
    return best;
}

struct TempDir {
    fs::path path;
    TempDir()
    {
        static int counter = 0;
        path = fs::temp_directory_path()
               / ("mixwright-test-host-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::create_directories(path);
    }
    ~TempDir()
    {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

// Interleaved float WAV I/O through libsndfile.
void writeWav(const fs::path& path, const std::vector<std::vector<float>>& ch, int rate = 48000)
{
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = static_cast<int>(ch.size());
    info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    BOOST_TEST_REQUIRE(f != nullptr);
    std::vector<float> inter(ch[0].size() * ch.size());
    for (std::size_t n = 0; n < ch[0].size(); ++n)
        for (std::size_t c = 0; c < ch.size(); ++c)
            inter[n * ch.size() + c] = ch[c][n];
    sf_writef_float(f, inter.data(), static_cast<sf_count_t>(ch[0].size()));
    sf_close(f);
}

std::vector<std::vector<float>> readWav(const fs::path& path, int* rate = nullptr)
{
    SF_INFO info{};
    SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
    BOOST_TEST_REQUIRE(f != nullptr, "cannot read " << path);
    std::vector<float> inter(static_cast<std::size_t>(info.frames * info.channels));
    sf_readf_float(f, inter.data(), info.frames);
    sf_close(f);
    if (rate)
        *rate = info.samplerate;
    std::vector<std::vector<float>> ch(static_cast<std::size_t>(info.channels),
                                       std::vector<float>(static_cast<std::size_t>(info.frames)));
    for (std::size_t n = 0; n < ch[0].size(); ++n)
        for (std::size_t c = 0; c < ch.size(); ++c)
            ch[c][n] = inter[n * ch.size() + c];
    return ch;
}

std::string shellQuote(const std::string& s)
{
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// Runs mixwright-render with `args`; returns its exit code.
int render(const std::vector<std::string>& args)
{
    const char* exe = std::getenv("MIXWRIGHT_RENDER");
    BOOST_TEST_REQUIRE(exe != nullptr, "MIXWRIGHT_RENDER is not set (run through meson test)");
    std::string cmd = shellQuote(exe);
    for (const auto& a : args) {
        // Appended in two steps: `" " + std::string&&` trips a GCC 12 -Wrestrict false positive.
        cmd += ' ';
        cmd += shellQuote(a);
    }
    const int status = std::system(cmd.c_str());
    BOOST_TEST_REQUIRE(WIFEXITED(status));
    return WEXITSTATUS(status);
}

// The first file named `name` inside a bundle `bundle` on LV2_PATH (or /usr/lib/lv2).
fs::path findInLv2Path(const std::string& bundle, const std::string& name)
{
    const char* env = std::getenv("LV2_PATH");
    std::stringstream ss(env ? env : "/usr/lib/lv2");
    for (std::string dir; std::getline(ss, dir, ':');)
        if (fs::exists(fs::path(dir) / bundle / name))
            return fs::path(dir) / bundle / name;
    return {};
}

std::string slurp(const fs::path& p)
{
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

} // namespace

BOOST_AUTO_TEST_SUITE(host)

BOOST_AUTO_TEST_CASE(unknown_uri_gives_null_and_a_reason)
{
    std::string error;
    auto p = Plugin::create(world(), "urn:mixwright:no-such-plugin", InstanceOptions{}, &error);
    BOOST_TEST(!p);
    BOOST_TEST(error.find("urn:mixwright:no-such-plugin") != std::string::npos);
    BOOST_TEST(error.find("not found") != std::string::npos);
    BOOST_TEST(world().findPlugin("urn:mixwright:no-such-plugin") == nullptr);
}

BOOST_AUTO_TEST_CASE(missing_feature_and_failed_instantiation_are_named)
{
    // Two fake bundles: one needs a feature nobody provides, one has no binary.
    TempDir tmp;
    const auto bundle = [&](const std::string& name, const std::string& extra) {
        fs::create_directories(tmp.path / (name + ".lv2"));
        std::ofstream(tmp.path / (name + ".lv2") / "manifest.ttl")
            << "@prefix lv2: <http://lv2plug.in/ns/lv2core#> .\n"
               "<urn:mixwright:test-" << name << "> a lv2:Plugin ;\n"
               "    lv2:binary <" << name << ".so> " << extra << " .\n";
    };
    bundle("needs-feature", "; lv2:requiredFeature <urn:mixwright:no-such-feature>");
    bundle("no-binary", "");
    BOOST_TEST(world().loadDirectory(tmp.path.string()) == 2);

    std::string error;
    BOOST_TEST(!Plugin::create(world(), "urn:mixwright:test-needs-feature", InstanceOptions{}, &error));
    BOOST_TEST(error.find("urn:mixwright:no-such-feature") != std::string::npos, error);
    error.clear();
    BOOST_TEST(!Plugin::create(world(), "urn:mixwright:test-no-binary", InstanceOptions{}, &error));
    BOOST_TEST(error.find("instantiate") != std::string::npos, error);
}

BOOST_AUTO_TEST_CASE(utility_ports_match_its_ttl)
{
    auto p = load(kUtility);
    BOOST_TEST(p->name() == "Mixwright Utility");
    BOOST_TEST(p->audioInputs() == 2u);
    BOOST_TEST(p->audioOutputs() == 2u);
    BOOST_TEST(p->mainAudioInputs() == 2u);
    // From the TTL: gain is -48..24 dB, default 0; lv2_enabled carries lv2:enabled.
    const int gain = p->controlIndex("gain");
    BOOST_TEST_REQUIRE(gain >= 0);
    const auto& info = p->ports()[static_cast<std::size_t>(gain)];
    BOOST_TEST((info.kind == PortKind::ControlIn));
    BOOST_TEST(info.min == -48.f);
    BOOST_TEST(info.max == 24.f);
    BOOST_TEST(info.def == 0.f);
    BOOST_TEST(p->control("gain") == 0.f);
    const int enabled = p->controlIndex("lv2_enabled");
    BOOST_TEST_REQUIRE(enabled >= 0);
    BOOST_TEST(p->ports()[static_cast<std::size_t>(enabled)].enabledDesignation);
    BOOST_TEST(p->setControl("gain", -6.f));
    BOOST_TEST(p->control("gain") == -6.f);
    BOOST_TEST(!p->setControl("peak_l", 1.f)); // an output
    BOOST_TEST(!p->setControl("no_such_symbol", 1.f));
    BOOST_TEST(std::isnan(p->control("no_such_symbol")));
    BOOST_TEST(p->reportedLatency() == 0u);
}

BOOST_AUTO_TEST_CASE(utility_gain_is_exact)
{
    auto p = load(kUtility, 48000.0, 256);
    BOOST_TEST(p->setControl("gain", -6.0206f));
    p->activate();
    const auto l = noise(24000, 1), r = noise(24000, 2);
    std::vector<float> outL, outR;
    runStereo(*p, l, r, outL, outR, 256);
    const float g = std::pow(10.f, -6.0206f / 20.f);
    float worst = 0.f;
    // Values set before the first run() apply at once (only later changes ramp).
    for (std::size_t n = 0; n < l.size(); ++n)
        worst = std::max({worst, std::fabs(outL[n] - g * l[n]), std::fabs(outR[n] - g * r[n])});
    BOOST_TEST(worst <= 1e-6f);
    BOOST_TEST(std::fabs(g - 0.5f) < 1e-6f);
    p->deactivate();
}

BOOST_AUTO_TEST_CASE(peer_balance_processes_audio)
{
    auto p = load(kBalance, 44100.0, 128);
    BOOST_TEST(p->audioInputs() == 2u);
    BOOST_TEST(p->audioOutputs() == 2u);
    p->activate();
    // Defaults are unity: the output is the input.
    const auto l = noise(8192, 3), r = noise(8192, 4);
    std::vector<float> outL, outR;
    runStereo(*p, l, r, outL, outR, 128);
    float worst = 0.f;
    for (std::size_t n = 0; n < l.size(); ++n)
        worst = std::max({worst, std::fabs(outL[n] - l[n]), std::fabs(outR[n] - r[n])});
    BOOST_TEST(worst <= 1e-6f);
    // Trim -6.0206 dB halves it once the plugin's own smoothing has settled.
    BOOST_TEST(p->setControl("trim", -6.0206f));
    const auto l2 = noise(44100, 5), r2 = noise(44100, 6);
    runStereo(*p, l2, r2, outL, outR, 128);
    worst = 0.f;
    for (std::size_t n = 22050; n < l2.size(); ++n)
        worst = std::max({worst, std::fabs(outL[n] - 0.5f * l2[n]), std::fabs(outR[n] - 0.5f * r2[n])});
    BOOST_TEST(worst <= 1e-5f);
    p->deactivate();
}

BOOST_AUTO_TEST_CASE(null_audio_pointers_and_odd_block_sizes)
{
    auto p = load(kUtility, 48000.0, 1024);
    p->activate();
    p->run(nullptr, nullptr, 0);
    p->run(nullptr, nullptr, 1024);
    std::vector<float> out(1024, 1.f);
    const float* in[] = {nullptr, nullptr};
    float* outs[] = {out.data(), nullptr};
    for (uint32_t n : {1u, 17u, 1024u, 333u})
        p->run(in, outs, n);
    // Silence in, silence out.
    BOOST_TEST(std::all_of(out.begin(), out.end(), [](float x) { return x == 0.f; }));
    p->deactivate();
}

BOOST_AUTO_TEST_CASE(extreme_sample_rates_instantiate)
{
    for (double rate : {8000.0, 384000.0}) {
        for (const char* uri : {kUtility, kBalance, kDpl}) {
            auto p = load(uri, rate);
            BOOST_TEST(p->options().sampleRate == rate);
            p->activate();
            p->run(nullptr, nullptr, 512);
            p->deactivate();
        }
    }
    std::string error;
    InstanceOptions bad;
    bad.sampleRate = 0.0;
    BOOST_TEST(!Plugin::create(world(), kUtility, bad, &error));
    BOOST_TEST(!error.empty());
}

BOOST_AUTO_TEST_CASE(reported_latency_equals_measured_latency)
{
    auto p = load(kDpl, 48000.0, 256);
    p->activate();
    std::vector<float> l(16384, 0.f), r(16384, 0.f);
    l[4000] = 0.25f;
    r[5000] = -0.25f;
    std::vector<float> outL, outR;
    runStereo(*p, l, r, outL, outR, 256);
    const uint32_t latency = p->reportedLatency();
    BOOST_TEST(latency > 0u);
    BOOST_TEST(argmaxAbs(outL) == 4000u + latency);
    BOOST_TEST(argmaxAbs(outR) == 5000u + latency);
    p->deactivate();
}

BOOST_AUTO_TEST_CASE(worker_plugin_runs_threaded_and_offline)
{
    // LSP's EQ uses the worker extension.
    for (bool offline : {false, true}) {
        auto p = load(kLspEq, 48000.0, 512, offline);
        p->activate();
        const auto l = noise(48000, 7), r = noise(48000, 8);
        std::vector<float> outL, outR;
        runStereo(*p, l, r, outL, outR, 512);
        BOOST_TEST(std::all_of(outL.begin(), outL.end(), [](float x) { return std::isfinite(x); }));
        double energy = 0;
        for (float x : outL)
            energy += static_cast<double>(x) * x;
        BOOST_TEST(energy > 0.0);
        p->deactivate();
    }
}

BOOST_AUTO_TEST_CASE(state_round_trip)
{
    TempDir tmp;
    for (const char* uri : {kUtility, kBalance}) {
        const fs::path dir = tmp.path / (std::string(uri) == kUtility ? "utility" : "balance");
        std::map<std::string, float> set;
        {
            auto p = load(uri);
            // Every input control to a value inside its range and away from its default.
            for (const auto& port : p->ports()) {
                if (port.kind != PortKind::ControlIn || !std::isfinite(port.min) || !std::isfinite(port.max))
                    continue;
                float v = port.min + 0.25f * (port.max - port.min);
                if (port.integer || port.toggled || port.enumeration)
                    v = std::round(v) == port.def ? port.max : std::round(v);
                BOOST_TEST(p->setControl(port.symbol, v));
                set[port.symbol] = v;
            }
            BOOST_TEST_REQUIRE(!set.empty());
            p->activate();
            p->run(nullptr, nullptr, 64);
            std::string error;
            BOOST_TEST_REQUIRE(p->saveState(dir.string(), &error), error);
        }
        BOOST_TEST_REQUIRE(fs::exists(dir / "state.ttl"));
        // The file itself names the ports (independent of lilv's reader).
        const std::string text = slurp(dir / "state.ttl");
        BOOST_TEST(text.find(uri) != std::string::npos);
        for (const auto& [symbol, v] : set)
            BOOST_TEST(text.find("\"" + symbol + "\"") != std::string::npos, symbol);

        auto q = load(uri);
        std::string error;
        BOOST_TEST_REQUIRE(q->restoreState(dir.string(), &error), error);
        for (const auto& [symbol, v] : set)
            BOOST_TEST(q->control(symbol) == v, uri << " " << symbol);
    }

    // A state of another plugin, a corrupt one and a missing one are refused cleanly.
    auto p = load(kUtility);
    std::string error;
    BOOST_TEST(!p->restoreState((tmp.path / "balance").string(), &error));
    BOOST_TEST(error.find(kBalance) != std::string::npos);
    const fs::path bad = tmp.path / "corrupt";
    fs::create_directories(bad);
    std::ofstream(bad / "state.ttl") << "@prefix lv2: <http://lv2plug.in/ns/lv2core#> .\n<> a lv2:Plugin ; [[[ garbage";
    BOOST_TEST(!p->restoreState(bad.string(), &error));
    BOOST_TEST(!p->restoreState((tmp.path / "missing").string(), &error));
    BOOST_TEST(p->control("gain") == 0.f);
}

BOOST_AUTO_TEST_CASE(presets_list_and_load)
{
    // Reference: the presets named in ZamEQ2's manifest, read as text.
    const fs::path manifest = findInLv2Path("ZamEQ2.lv2", "manifest.ttl");
    BOOST_TEST_REQUIRE(!manifest.empty(), "ZamEQ2 (zam-plugins) not found on LV2_PATH");
    const std::string text = slurp(manifest);
    std::set<std::string> expected;
    const std::regex subject(R"(<(urn:zamaudio:ZamEQ2#preset\d+)>\s+a pset:Preset)");
    for (std::sregex_iterator it(text.begin(), text.end(), subject), end; it != end; ++it)
        expected.insert((*it)[1]);
    BOOST_TEST_REQUIRE(expected.size() >= 2u);

    auto p = load(kZamEq2);
    const auto list = p->presets();
    BOOST_TEST((std::set<std::string>(list.begin(), list.end()) == expected));

    // Load each preset; its values (read from presets.ttl as text) land on the controls.
    const std::string values = slurp(findInLv2Path("ZamEQ2.lv2", "presets.ttl"));
    const std::regex block(R"(<(urn:zamaudio:ZamEQ2#preset\d+)>([^.]*(?:\.\d[^.]*)*)\.\s*\n)");
    const std::regex pair(R"q(lv2:symbol "(\w+)"\s*;\s*pset:value ([-0-9.eE]+))q");
    int checked = 0;
    for (std::sregex_iterator it(values.begin(), values.end(), block), end; it != end; ++it) {
        const std::string uri = (*it)[1];
        const std::string body = (*it)[2];
        std::string error;
        BOOST_TEST_REQUIRE(p->loadPreset(uri, &error), error);
        for (std::sregex_iterator jt(body.begin(), body.end(), pair); jt != end; ++jt) {
            const float want = std::stof((*jt)[2]);
            BOOST_TEST(p->control((*jt)[1]) == want, uri << " " << (*jt)[1]);
            ++checked;
        }
    }
    BOOST_TEST(checked >= 8);

    std::string error;
    BOOST_TEST(!p->loadPreset("urn:mixwright:no-such-preset", &error));
    BOOST_TEST(!error.empty());

    // Our own presets, when the bundle ships some: each one loads.
    auto u = load(kUtility);
    for (const auto& preset : u->presets())
        BOOST_TEST(u->loadPreset(preset, &error), preset << ": " << error);
}

BOOST_AUTO_TEST_CASE(render_round_trip_gain)
{
    TempDir tmp;
    const auto l = noise(24000, 11), r = noise(24000, 12);
    writeWav(tmp.path / "in.wav", {l, r});

    // Defaults set at instantiation take effect at once: unity from sample 0.
    BOOST_TEST_REQUIRE(render({"-q", (tmp.path / "in.wav").string(), (tmp.path / "unity.wav").string(), "-p",
                               kUtility}) == 0);
    auto out = readWav(tmp.path / "unity.wav");
    BOOST_TEST_REQUIRE(out.size() == 2u);
    BOOST_TEST_REQUIRE(out[0].size() == l.size());
    float worst = 0.f;
    for (std::size_t n = 0; n < l.size(); ++n)
        worst = std::max({worst, std::fabs(out[0][n] - l[n]), std::fabs(out[1][n] - r[n])});
    BOOST_TEST(worst <= 1e-6f);

    // -6.0206 dB is a factor 0.5, from the first sample: settings given before the first
    // run() are not ramped.
    BOOST_TEST_REQUIRE(render({"-q", "--block", "300", (tmp.path / "in.wav").string(),
                               (tmp.path / "half.wav").string(), "-p", kUtility, "gain=-6.0206"}) == 0);
    int rate = 0;
    out = readWav(tmp.path / "half.wav", &rate);
    BOOST_TEST(rate == 48000);
    BOOST_TEST_REQUIRE(out.size() == 2u);
    BOOST_TEST_REQUIRE(out[0].size() == l.size());
    worst = 0.f;
    for (std::size_t n = 0; n < l.size(); ++n)
        worst = std::max({worst, std::fabs(out[0][n] - 0.5f * l[n]), std::fabs(out[1][n] - 0.5f * r[n])});
    BOOST_TEST(worst <= 1e-6f);

    // A mono file through a stereo plugin: the channel is fed to both inputs.
    writeWav(tmp.path / "mono.wav", {l});
    BOOST_TEST_REQUIRE(render({"-q", (tmp.path / "mono.wav").string(), (tmp.path / "dual.wav").string(), "-p",
                               kUtility}) == 0);
    out = readWav(tmp.path / "dual.wav");
    BOOST_TEST_REQUIRE(out.size() == 2u);
    BOOST_TEST(out[0] == l);
    BOOST_TEST(out[1] == l);

    // Mistakes the user made exit with 2, a missing plugin with 1.
    const std::string in = (tmp.path / "in.wav").string(), bad = (tmp.path / "bad.wav").string();
    BOOST_TEST(render({"-q", in, bad, "-p", kUtility, "no_such_symbol=1"}) == 2);
    BOOST_TEST(render({"-q", in, bad, "-p", kUtility, "gain=loud"}) == 2);
    BOOST_TEST(render({"-q", in, bad, "--no-such-option", "-p", kUtility}) == 2);
    BOOST_TEST(render({"-q", in, bad, "-p", "urn:mixwright:no-such-plugin"}) == 1);
    BOOST_TEST(render({"-q", (tmp.path / "missing.wav").string(), bad, "-p", kUtility}) == 1);
}

BOOST_AUTO_TEST_CASE(render_compensates_latency)
{
    TempDir tmp;
    std::vector<float> l(30000, 0.f), r(30000, 0.f);
    l[7000] = 0.25f;
    r[29990] = 0.25f; // near the end: only the zero preroll brings it out
    writeWav(tmp.path / "imp.wav", {l, r});
    const std::string in = (tmp.path / "imp.wav").string();

    auto ref = load(kDpl);
    ref->activate();
    ref->run(nullptr, nullptr, 512);
    const uint32_t latency = ref->reportedLatency();
    BOOST_TEST_REQUIRE(latency > 0u);

    BOOST_TEST_REQUIRE(render({"-q", in, (tmp.path / "raw.wav").string(), "-p", kDpl}) == 0);
    auto raw = readWav(tmp.path / "raw.wav");
    BOOST_TEST_REQUIRE(raw[0].size() == l.size());
    BOOST_TEST(argmaxAbs(raw[0]) == 7000u + latency);

    for (const char* block : {"512", "100", "64"}) {
        BOOST_TEST_REQUIRE(render({"-q", "--compensate", "--block", block, in, (tmp.path / "comp.wav").string(),
                                   "-p", kDpl}) == 0);
        auto comp = readWav(tmp.path / "comp.wav");
        BOOST_TEST_REQUIRE(comp.size() == 2u);
        BOOST_TEST(comp[0].size() == l.size());
        BOOST_TEST(argmaxAbs(comp[0]) == 7000u, "block " << block);
        BOOST_TEST(argmaxAbs(comp[1]) == 29990u, "block " << block);
    }

    // Two limiters in a chain: the latencies add up.
    BOOST_TEST_REQUIRE(render({"-q", "--compensate", in, (tmp.path / "two.wav").string(), "-p", kDpl, "-p",
                               kDpl}) == 0);
    auto two = readWav(tmp.path / "two.wav");
    BOOST_TEST(two[0].size() == l.size());
    BOOST_TEST(argmaxAbs(two[0]) == 7000u);
    BOOST_TEST(argmaxAbs(two[1]) == 29990u);
}

// --- transport: the BBT timeline and time:Position for plugins -----------------------

BOOST_AUTO_TEST_CASE(bbt_timeline_is_a_function_of_the_frame)
{
    using mixwright::host::computeBbt;
    using mixwright::host::Tempo;
    using mixwright::host::TransportPosition;
    struct Case {
        double bpm;
        float beatsPerBar, beatType;
        uint64_t frame;
        int bar, beat, tick;
    };
    // 48 kHz: at 120 bpm a beat is 24000 frames, at 90 bpm 32000, at 128 bpm 22500.
    const Case cases[] = {
        {120, 4, 4, 0, 1, 1, 0},
        {120, 4, 4, 23999, 1, 1, 1919},       // the last tick of beat 1
        {120, 4, 4, 24000, 1, 2, 0},
        {120, 4, 4, 132000, 2, 2, 960},       // 5.5 beats
        {120, 3, 4, 168000, 3, 2, 0},         // 7 beats in 3/4
        {90, 4, 4, 32000, 1, 2, 0},
        {128, 7, 8, 22500 * 15 + 5625, 3, 2, 480}, // 15.25 beats in 7/8
    };
    for (const auto& c : cases) {
        TransportPosition p;
        p.frame = c.frame;
        computeBbt(p, 48000.0, Tempo{c.bpm, c.beatsPerBar, c.beatType});
        BOOST_TEST_REQUIRE(p.bbtValid);
        BOOST_TEST(p.bar == c.bar, "frame " << c.frame << " at " << c.bpm);
        BOOST_TEST(p.beat == c.beat, "frame " << c.frame << " at " << c.bpm);
        BOOST_TEST(p.tick == c.tick, "frame " << c.frame << " at " << c.bpm);
        BOOST_TEST(p.barStartTick == (c.bar - 1) * c.beatsPerBar * 1920.0);
        BOOST_TEST(p.bpm == c.bpm);
        BOOST_TEST(p.beatsPerBar == c.beatsPerBar);
        BOOST_TEST(p.beatType == c.beatType);
    }
    TransportPosition bad;
    computeBbt(bad, 0.0, Tempo{});
    BOOST_TEST(!bad.bbtValid);
    computeBbt(bad, 48000.0, Tempo{0.0, 4, 4});
    BOOST_TEST(!bad.bbtValid);
}

BOOST_AUTO_TEST_CASE(time_position_reaches_plugins_that_ask_for_it)
{
    // The probe reports what its time:Position port received (tests/lv2/timepos.lv2).
    using mixwright::host::TransportPosition;
    auto p = load("urn:mixwright:test:timepos", 48000.0, 512, false);
    BOOST_TEST(p->wantsTimePosition());
    for (const auto& port : p->ports())
        BOOST_TEST(port.timePosition == (port.symbol == "control"), port.symbol);
    BOOST_TEST(!load(kUtility)->wantsTimePosition());
    p->activate();
    const auto v = [&](const char* sym) { return static_cast<double>(p->control(sym)); };

    p->run(nullptr, nullptr, 512); // no transport: nothing sent
    BOOST_TEST(v("positions") == 0.0);

    TransportPosition t;
    t.frame = 0;
    mixwright::host::computeBbt(t, 48000.0, {120.0, 4.f, 4.f});
    p->run(nullptr, nullptr, 512, &t);
    BOOST_TEST(v("positions") == 1.0);
    BOOST_TEST(v("keys") == 8.0);
    BOOST_TEST(v("event_time") == 0.0);
    BOOST_TEST(v("speed") == 0.0);
    BOOST_TEST(v("frame") == 0.0);
    BOOST_TEST(v("bar") == 0.0);
    BOOST_TEST(v("bar_beat") == 0.0);
    BOOST_TEST(v("beat_unit") == 4.0);
    BOOST_TEST(v("beats_per_bar") == 4.0);
    BOOST_TEST(v("bpm") == 120.0);

    p->run(nullptr, nullptr, 512, &t); // stopped, unchanged: nothing new
    BOOST_TEST(v("positions") == 1.0);

    t.rolling = true; // start: speed 1
    p->run(nullptr, nullptr, 512, &t);
    BOOST_TEST(v("positions") == 2.0);
    BOOST_TEST(v("speed") == 1.0);
    t.frame += 512; // rolling on, as the plugin expects: nothing new
    mixwright::host::computeBbt(t, 48000.0, {120.0, 4.f, 4.f});
    p->run(nullptr, nullptr, 512, &t);
    BOOST_TEST(v("positions") == 2.0);

    t.frame = 132000; // locate while rolling: 5.5 beats = bar 2 (LV2: 1), beat 1.5 of the bar
    mixwright::host::computeBbt(t, 48000.0, {120.0, 4.f, 4.f});
    p->run(nullptr, nullptr, 256, &t);
    BOOST_TEST(v("positions") == 3.0);
    BOOST_TEST(v("frame") == 132000.0);
    BOOST_TEST(v("bar") == 1.0);
    BOOST_TEST(v("bar_beat") == 1.5);
    BOOST_TEST(v("beat") == 5.5);

    t.frame += 256; // a tempo change on the expected frame still goes out
    mixwright::host::computeBbt(t, 48000.0, {128.0, 3.f, 8.f});
    p->run(nullptr, nullptr, 512, &t);
    BOOST_TEST(v("positions") == 4.0);
    BOOST_TEST(v("bpm") == 128.0);
    BOOST_TEST(v("beats_per_bar") == 3.0);
    BOOST_TEST(v("beat_unit") == 8.0);
    BOOST_TEST(v("frame") == 132256.0);

    t.frame += 512; // stop: speed 0
    t.rolling = false;
    t.bbtValid = false; // and nobody keeps BBT: frame and speed only
    p->run(nullptr, nullptr, 512, &t);
    BOOST_TEST(v("positions") == 5.0);
    BOOST_TEST(v("keys") == 2.0);
    BOOST_TEST(v("speed") == 0.0);
    BOOST_TEST(v("bar") == -1.0);
    BOOST_TEST(v("frame") == 132768.0);

    BOOST_TEST(v("bad_types") == 0.0);
    BOOST_TEST(v("other_events") == 0.0); // the port without atom:supports time:Position
}

BOOST_AUTO_TEST_CASE(tempo_synced_peer_follows_the_time_position)
{
    // ZamDelay (zam-plugins, DPF) with "Sync BPM" on reports its delay on the output
    // "delaytime": divisor 3 is one beat, 60000 / bpm ms. Without a position it uses
    // its Time control (160 ms); 90 and 140 bpm can only come from the forged object.
    auto p = load("urn:zamaudio:ZamDelay", 48000.0, 512);
    BOOST_TEST_REQUIRE(p->wantsTimePosition());
    BOOST_TEST_REQUIRE(p->setControl("sync", 1.f));
    BOOST_TEST_REQUIRE(p->setControl("div", 3.f));
    p->activate();
    for (double bpm : {90.0, 140.0}) {
        mixwright::host::TransportPosition t;
        t.frame = 48000;
        mixwright::host::computeBbt(t, 48000.0, {bpm, 4.f, 4.f});
        for (int i = 0; i < 3; ++i)
            p->run(nullptr, nullptr, 512, &t);
        BOOST_TEST(p->control("delaytime") == 60000.0 / bpm, boost::test_tools::tolerance(1e-4));
    }
}

BOOST_AUTO_TEST_CASE(render_tempo_reaches_a_tempo_synced_delay)
{
    // mixwright-render --tempo: ZamDelay synced to one beat (divisor 3), fully wet,
    // no feedback, delays an impulse by 60000 / bpm ms; without --tempo it gets no
    // position and uses its Time control, 160 ms (7680 frames at 48 kHz). The echo's
    // peak, allowing for its low-pass.
    TempDir tmp;
    std::vector<float> x(72000, 0.f);
    x[1000] = 0.5f;
    writeWav(tmp.path / "imp.wav", {x});
    const std::string in = (tmp.path / "imp.wav").string();
    const auto echoAt = [&](const std::vector<std::string>& extra) {
        std::vector<std::string> args = {"-q"};
        args.insert(args.end(), extra.begin(), extra.end());
        args.insert(args.end(), {in, (tmp.path / "out.wav").string(), "-p", "urn:zamaudio:ZamDelay", "sync=1",
                                 "div=3", "drywet=1", "feedb=0"});
        BOOST_TEST_REQUIRE(render(args) == 0);
        const auto out = readWav(tmp.path / "out.wav");
        BOOST_TEST_REQUIRE(out.size() == 1u);
        return static_cast<long>(argmaxAbs(out[0])) - 1000;
    };
    const long plain = echoAt({}), at100 = echoAt({"--tempo", "100"}), at150 = echoAt({"--tempo", "150", "--meter", "3/4"});
    BOOST_TEST_MESSAGE("ZamDelay echo after " << plain << " (no tempo), " << at100 << " (100 bpm), " << at150
                                              << " (150 bpm) frames");
    BOOST_TEST(std::abs(plain - 7680) <= 8);
    BOOST_TEST(std::abs(at100 - 28800) <= 8);
    BOOST_TEST(std::abs(at150 - 19200) <= 8);
    BOOST_TEST(render({"-q", "--tempo", "0", in, (tmp.path / "bad.wav").string(), "-p", kUtility}) == 2);
    BOOST_TEST(render({"-q", "--meter", "4/3", in, (tmp.path / "bad.wav").string(), "-p", kUtility}) == 2);
}

BOOST_AUTO_TEST_SUITE_END()
