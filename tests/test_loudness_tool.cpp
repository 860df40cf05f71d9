// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// mixwright-loudness end to end: writes a WAV (48 kHz) and a FLAC (44.1 kHz) of
// program-like material, runs the tool with --json --plot --target, and checks its
// numbers against libebur128 on the same files: integrated per file and album
// (ebur128_loudness_global_multiple) within 0.05 LU, LRA within 0.1 LU of Tech 3342
// on libebur128's short-term loudness every 100 ms, true peak within 0.1 dB of
// libebur128's true peak (1 kHz-band material, where its interpolator is accurate);
// the pass/fail verdict against the target's numbers; and that the PNG exists, has the
// plot's size and is not blank (many pixels off the background, several colours).

#define BOOST_TEST_MODULE loudness_tool
#include <boost/test/unit_test.hpp>

#include <cairo.h>
#include <ebur128.h>
#include <sndfile.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <numbers>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::vector<float> material(double rate, double seconds, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<double> g(0.0, 1.0);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const auto n = static_cast<std::size_t>(seconds * rate);
    std::vector<float> x(2 * n);
    double lp = 0, phase = 0, level = 0.1, freq = 440;
    int kind = 0;
    std::size_t next = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (i == next) {
            next = i + static_cast<std::size_t>((0.5 + 3.0 * u(rng)) * rate);
            kind = static_cast<int>(u(rng) * 3.0);
            level = std::pow(10.0, (-45.0 + 40.0 * u(rng)) / 20.0);
            freq = 100.0 * std::pow(40.0, u(rng));
        }
        double l = 0, r = 0;
        if (kind == 1) {
            lp = 0.9 * lp + 0.1 * g(rng);
            l = 3.0 * lp;
            r = 0.7 * l + 0.3 * g(rng) * 0.3;
        } else if (kind == 2) {
            phase += 2.0 * std::numbers::pi * freq / rate;
            l = r = std::sin(phase);
        }
        x[2 * i] = static_cast<float>(level * l);
        x[2 * i + 1] = static_cast<float>(level * r);
    }
    return x;
}

void writeFile(const fs::path& p, const std::vector<float>& x, int rate, int format)
{
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = 2;
    info.format = format;
    SNDFILE* f = sf_open(p.c_str(), SFM_WRITE, &info);
    BOOST_REQUIRE_MESSAGE(f, sf_strerror(nullptr));
    sf_writef_float(f, x.data(), static_cast<sf_count_t>(x.size() / 2));
    sf_close(f);
}

/// Reads the file back (so FLAC's 24-bit rounding is what both sides measure).
std::vector<float> readFile(const fs::path& p, int& rate)
{
    SF_INFO info{};
    SNDFILE* f = sf_open(p.c_str(), SFM_READ, &info);
    BOOST_REQUIRE(f);
    std::vector<float> x(static_cast<std::size_t>(info.frames) * 2);
    sf_readf_float(f, x.data(), info.frames);
    sf_close(f);
    rate = info.samplerate;
    return x;
}

struct Ref {
    ebur128_state* st;
    double lra10;
};

Ref reference(const std::vector<float>& x, int rate)
{
    ebur128_state* st = ebur128_init(2, static_cast<unsigned long>(rate), EBUR128_MODE_I | EBUR128_MODE_S | EBUR128_MODE_TRUE_PEAK);
    const std::size_t hop = static_cast<std::size_t>(rate / 10);
    std::vector<double> st10;
    for (std::size_t pos = 0; pos < x.size() / 2; pos += hop) {
        const std::size_t n = std::min(hop, x.size() / 2 - pos);
        ebur128_add_frames_float(st, x.data() + 2 * pos, n);
        if (n == hop && pos + hop >= static_cast<std::size_t>(3 * rate)) {
            double s = 0;
            ebur128_loudness_shortterm(st, &s);
            st10.push_back(s);
        }
    }
    // Tech 3342 on the 10 Hz short-term values (indexing as libebur128).
    std::vector<double> e;
    for (double l : st10)
        if (l >= -70.0)
            e.push_back(std::pow(10.0, (l + 0.691) / 10.0));
    double mean = 0;
    for (double v : e)
        mean += v;
    mean /= static_cast<double>(e.size());
    std::vector<double> gated;
    for (double v : e)
        if (v >= mean * 0.01)
            gated.push_back(v);
    std::sort(gated.begin(), gated.end());
    const double hi = gated[static_cast<std::size_t>(static_cast<double>(gated.size() - 1) * 0.95 + 0.5)];
    const double lo = gated[static_cast<std::size_t>(static_cast<double>(gated.size() - 1) * 0.10 + 0.5)];
    return {st, 10.0 * std::log10(hi / lo)};
}

double jsonNumber(const std::string& text, const std::string& key, std::size_t occurrence)
{
    const std::regex re("\"" + key + "\": (-?[0-9.]+)");
    std::size_t k = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it, ++k)
        if (k == occurrence)
            return std::stod((*it)[1].str());
    BOOST_FAIL("no " << key << " #" << occurrence << " in output");
    return 0;
}

} // namespace

BOOST_AUTO_TEST_CASE(report_matches_libebur128_and_plot_is_drawn)
{
    const char* tool = std::getenv("MIXWRIGHT_LOUDNESS");
    BOOST_REQUIRE(tool);
    const fs::path dir = fs::temp_directory_path() / ("mixwright-loudness-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path wav = dir / "one.wav", flac = dir / "two.flac", png = dir / "plot.png";
    writeFile(wav, material(48000.0, 40.0, 1), 48000, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    writeFile(flac, material(44100.0, 30.0, 2), 44100, SF_FORMAT_FLAC | SF_FORMAT_PCM_24);

    const std::string cmd = std::string(tool) + " --json --target spotify --plot " + png.string() + " " + wav.string() + " " +
                            flac.string();
    FILE* p = popen(cmd.c_str(), "r");
    BOOST_REQUIRE(p);
    std::string out;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p))
        out.append(buf, n);
    const int status = pclose(p);
    BOOST_TEST_MESSAGE(out);
    BOOST_TEST(WIFEXITED(status));
    // The material is far from -14 LUFS: the verdict is fail, exit status 1.
    BOOST_TEST(WEXITSTATUS(status) == 1);
    BOOST_TEST(out.find("\"pass\": false") != std::string::npos);

    int r1 = 0, r2 = 0;
    const auto x1 = readFile(wav, r1), x2 = readFile(flac, r2);
    Ref a = reference(x1, r1), b = reference(x2, r2);
    double i1, i2, album, tp1, tp2;
    ebur128_loudness_global(a.st, &i1);
    ebur128_loudness_global(b.st, &i2);
    ebur128_state* both[] = {a.st, b.st};
    ebur128_loudness_global_multiple(both, 2, &album);
    double t1l, t1r, t2l, t2r;
    ebur128_true_peak(a.st, 0, &t1l);
    ebur128_true_peak(a.st, 1, &t1r);
    ebur128_true_peak(b.st, 0, &t2l);
    ebur128_true_peak(b.st, 1, &t2r);
    tp1 = 20.0 * std::log10(std::max(t1l, t1r));
    tp2 = 20.0 * std::log10(std::max(t2l, t2r));

    const double mi1 = jsonNumber(out, "integrated_lufs", 1), mi2 = jsonNumber(out, "integrated_lufs", 2);
    const double malbum = jsonNumber(out, "integrated_lufs", 3);
    BOOST_TEST(std::fabs(mi1 - i1) <= 0.05, "file 1 I " << mi1 << " libebur128 " << i1);
    BOOST_TEST(std::fabs(mi2 - i2) <= 0.05, "file 2 I " << mi2 << " libebur128 " << i2);
    BOOST_TEST(std::fabs(malbum - album) <= 0.05, "album I " << malbum << " libebur128 " << album);
    BOOST_TEST(std::fabs(jsonNumber(out, "lra_lu", 0) - a.lra10) <= 0.1, "file 1 LRA vs " << a.lra10);
    BOOST_TEST(std::fabs(jsonNumber(out, "lra_lu", 1) - b.lra10) <= 0.1, "file 2 LRA vs " << b.lra10);
    BOOST_TEST(std::fabs(jsonNumber(out, "true_peak_dbtp", 1) - tp1) <= 0.1, "file 1 TP vs " << tp1);
    BOOST_TEST(std::fabs(jsonNumber(out, "true_peak_dbtp", 2) - tp2) <= 0.1, "file 2 TP vs " << tp2);
    BOOST_TEST(std::fabs(jsonNumber(out, "plr_lu", 0) - (jsonNumber(out, "true_peak_dbtp", 1) - mi1)) <= 0.011);
    BOOST_TEST_MESSAGE("libebur128: I " << i1 << ", " << i2 << ", album " << album << "; LRA(10 Hz) " << a.lra10 << ", "
                                        << b.lra10 << "; TP " << tp1 << ", " << tp2);
    ebur128_destroy(&a.st);
    ebur128_destroy(&b.st);

    // The plot: written, right size, not blank.
    BOOST_REQUIRE(fs::exists(png));
    cairo_surface_t* s = cairo_image_surface_create_from_png(png.c_str());
    BOOST_REQUIRE(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS);
    const int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    BOOST_TEST(w == 1200);
    BOOST_TEST(h == 480);
    cairo_surface_flush(s);
    const unsigned char* data = cairo_image_surface_get_data(s);
    const int stride = cairo_image_surface_get_stride(s);
    const auto bg = *reinterpret_cast<const std::uint32_t*>(data) & 0xffffffu;
    std::size_t off = 0;
    std::set<std::uint32_t> colours;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const auto px = *reinterpret_cast<const std::uint32_t*>(data + y * stride + 4 * x) & 0xffffffu;
            off += px != bg;
            if (colours.size() < 1000)
                colours.insert(px);
        }
    cairo_surface_destroy(s);
    BOOST_TEST(off > static_cast<std::size_t>(w * h / 50), "pixels off the background: " << off);
    BOOST_TEST(colours.size() > 8u);

    // A missing file is an error (status 1), a bad option a usage error (2).
    BOOST_TEST(WEXITSTATUS(std::system((std::string(tool) + " -q " + (dir / "missing.wav").string() + " >/dev/null 2>&1").c_str())) == 1);
    BOOST_TEST(WEXITSTATUS(std::system((std::string(tool) + " --bogus >/dev/null 2>&1").c_str())) == 2);
    if (!std::getenv("MIXWRIGHT_KEEP_TEST_FILES"))
        fs::remove_all(dir);
}
