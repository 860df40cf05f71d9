// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// mixwright-loudness: EBU R128 / BS.1770-4 loudness report for audio files, on the
// same mixwright::dsp::LoudnessMeter as Mixwright Meter. Per file and for the set as
// an album (one gating over all files): integrated loudness, LRA (Tech 3342, short-
// term at 10 Hz), true peak, sample peak, PLR, maxima; pass/fail against a delivery
// target read at run time from delivery-targets.json; optional JSON; a PNG plot
// (Cairo) of momentary and short-term loudness with the target marked.
// Exit codes: 0 done (and every file and the album pass, when a target is given),
// 1 a file failed to read or a target check failed, 2 a usage error.

#include "mixwright/dsp/loudness.hpp"
#include "mixwright/params/delivery_targets.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <cairo.h>
#include <sndfile.h>
#include <unistd.h>

#ifndef MIXWRIGHT_VERSION
#define MIXWRIGHT_VERSION "unknown"
#endif
#ifndef MIXWRIGHT_TARGETS_FILE
#define MIXWRIGHT_TARGETS_FILE ""
#endif

namespace {

using mixwright::dsp::LoudnessMeter;

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

void usage(FILE* f)
{
    std::fprintf(f,
        "Usage: mixwright-loudness [options] FILE...\n"
        "\n"
        "Measures each file (WAV, FLAC, anything libsndfile reads) per ITU-R BS.1770-4 /\n"
        "EBU R128 and the set as an album: integrated loudness (LUFS), loudness range (LU,\n"
        "EBU Tech 3342 with short-term loudness at 10 Hz), true peak (dBTP, 4x oversampled),\n"
        "sample peak, PLR (true peak - integrated), momentary and short-term maxima.\n"
        "\n"
        "Options:\n"
        "  -t, --target ID     check against a delivery target (id or name, e.g. spotify)\n"
        "  --targets FILE      delivery targets file (default: $MIXWRIGHT_TARGETS or\n"
        "                      %s)\n"
        "  --list-targets      print the delivery targets and exit\n"
        "  --json              print JSON instead of a table\n"
        "  --plot FILE.png     write momentary/short-term loudness over time (files end to end)\n"
        "  -q, --quiet         no progress bar\n"
        "  -h, --help          this help\n"
        "  --version           print the version\n"
        "\n"
        "Exit status: 0 done (all pass, with --target), 1 a file could not be read or a\n"
        "target check failed, 2 usage error.\n",
        MIXWRIGHT_TARGETS_FILE);
}

struct Target {
    std::string id, name;
    double lufs = 0, truePeak = 0;
};

struct Targets {
    std::vector<Target> list;
    double toleranceLu = 1.0;
    std::string source;
};

/// Reads delivery-targets.json (flat objects with id, name, integrated_lufs,
/// true_peak_dbtp). Falls back to the table compiled from the same file at build time.
Targets loadTargets(const std::string& path)
{
    Targets t;
    std::ifstream f(path);
    if (f) {
        std::stringstream ss;
        ss << f.rdbuf();
        const std::string json = ss.str();
        const std::regex object(R"(\{[^{}]*\})");
        auto field = [](const std::string& obj, const char* key, bool quoted) -> std::string {
            const std::regex re(std::string("\"") + key + (quoted ? R"re("\s*:\s*"([^"]*)")re" : R"re("\s*:\s*(-?[0-9.eE+-]+))re"));
            std::smatch m;
            return std::regex_search(obj, m, re) ? m[1].str() : std::string();
        };
        for (auto it = std::sregex_iterator(json.begin(), json.end(), object); it != std::sregex_iterator(); ++it) {
            const std::string obj = it->str();
            Target x;
            x.id = field(obj, "id", true);
            x.name = field(obj, "name", true);
            const std::string l = field(obj, "integrated_lufs", false), p = field(obj, "true_peak_dbtp", false);
            if (x.id.empty() || l.empty() || p.empty())
                continue;
            x.lufs = std::stod(l);
            x.truePeak = std::stod(p);
            t.list.push_back(x);
        }
        const std::string tol = field(json, "loudness_tolerance_lu", false);
        if (!tol.empty())
            t.toleranceLu = std::stod(tol);
        if (!t.list.empty()) {
            t.source = path;
            return t;
        }
    }
    namespace pt = mixwright::params::targets;
    for (int i = 0; i < pt::kCount; ++i)
        t.list.push_back({std::string(pt::kIds[i]), std::string(pt::kNames[i]), pt::kIntegratedLufs[i], pt::kTruePeakDbtp[i]});
    t.toleranceLu = pt::kLoudnessToleranceLu;
    t.source = "built-in";
    return t;
}

std::string lower(std::string s)
{
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

struct History {
    std::vector<float> m, s; // every 100 ms
    unsigned skip = 0;
};

void recordHistory(void* ctx, const LoudnessMeter& meter) noexcept REALTIME
{
    auto* h = static_cast<History*>(ctx);
    if (meter.subBlocks() % 10 != 0 || h->m.size() == h->m.capacity())
        return; // capacity reserved from the file length: never reallocates here
    h->m.push_back(static_cast<float>(meter.momentary()));
    h->s.push_back(static_cast<float>(meter.shortTerm()));
}

struct Result {
    std::string path;
    double rate = 0, seconds = 0;
    unsigned channels = 0;
    double integrated = 0, range = 0, truePeak = 0, samplePeak = 0, momentaryMax = 0, shortTermMax = 0;
    History history;
    std::unique_ptr<LoudnessMeter> meter;
};

void progress(const std::string& name, double fraction)
{
    const int width = 40;
    const int filled = static_cast<int>(fraction * width + 0.5);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(static_cast<std::size_t>(width), '.');
    std::printf("\r%-30.30s [%s] %3d%%", name.c_str(), bar.c_str(), static_cast<int>(fraction * 100.0 + 0.5));
    std::fflush(stdout);
}

bool measureFile(const std::string& path, bool showProgress, Result& r, std::string& error)
{
    SF_INFO info{};
    SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
    if (!f) {
        error = sf_strerror(nullptr);
        return false;
    }
    if (info.channels < 1 || static_cast<unsigned>(info.channels) > LoudnessMeter::kMaxChannels || info.samplerate <= 0) {
        sf_close(f);
        error = "unsupported channel count or sample rate";
        return false;
    }
    r.path = path;
    r.rate = info.samplerate;
    r.channels = static_cast<unsigned>(info.channels);
    r.meter = std::make_unique<LoudnessMeter>();
    LoudnessMeter& m = *r.meter;
    m.prepare(r.rate, r.channels);
    if (r.channels == 6) { // 5.1 in WAV order L R C LFE Ls Rs: LFE excluded, surrounds +1.5 dB
        m.setChannelWeight(3, 0.0);
        m.setChannelWeight(4, 1.41);
        m.setChannelWeight(5, 1.41);
    }
    const auto frames = static_cast<std::size_t>(std::max<sf_count_t>(0, info.frames));
    r.history.m.reserve(frames / static_cast<std::size_t>(info.samplerate / 10 + 1) + 16);
    r.history.s.reserve(r.history.m.capacity());
    m.setSubBlockCallback(&recordHistory, &r.history);

    constexpr std::size_t kChunk = 8192;
    std::vector<float> inter(kChunk * r.channels);
    std::vector<std::vector<float>> planar(r.channels, std::vector<float>(kChunk));
    std::vector<const float*> ptr(r.channels);
    std::size_t done = 0;
    const bool bar = showProgress && frames > static_cast<std::size_t>(10.0 * r.rate);
    const std::size_t step = std::max<std::size_t>(frames / 200, kChunk);
    std::size_t nextBar = 0;
    std::string name = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
    for (;;) {
        const sf_count_t got = sf_readf_float(f, inter.data(), static_cast<sf_count_t>(kChunk));
        if (got <= 0)
            break;
        const auto n = static_cast<std::size_t>(got);
        for (unsigned c = 0; c < r.channels; ++c) {
            for (std::size_t i = 0; i < n; ++i)
                planar[c][i] = inter[i * r.channels + c];
            ptr[c] = planar[c].data();
        }
        m.process(ptr.data(), static_cast<std::uint32_t>(n));
        done += n;
        if (bar && done >= nextBar) {
            progress(name, frames ? static_cast<double>(done) / static_cast<double>(frames) : 1.0);
            nextBar = done + step;
        }
    }
    sf_close(f);
    if (bar) {
        progress(name, 1.0);
        std::printf("\r\033[K");
        std::fflush(stdout);
    }
    m.flushTruePeak();
    m.setSubBlockCallback(nullptr, nullptr);
    r.seconds = static_cast<double>(done) / r.rate;
    r.integrated = m.integrated();
    r.range = m.loudnessRange();
    r.truePeak = m.truePeak();
    r.samplePeak = m.samplePeak();
    r.momentaryMax = m.momentaryMax();
    r.shortTermMax = m.shortTermMax();
    return true;
}

struct Verdict {
    bool loudness, peak;
    bool pass() const { return loudness && peak; }
};

Verdict check(const Target& t, double tol, double integrated, double truePeak)
{
    return {integrated > LoudnessMeter::kFloor && std::fabs(integrated - t.lufs) <= tol, truePeak <= t.truePeak};
}

std::string jsonString(const std::string& s)
{
    std::string o = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            o += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            o += buf;
            continue;
        }
        o += c;
    }
    return o + "\"";
}

// -inf readings (silence) are reported as the meter's floor in text and null in JSON.
std::string num(double v, bool json)
{
    if (v <= LoudnessMeter::kFloor)
        return json ? "null" : "-inf";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

bool writePlot(const std::string& path, const std::vector<Result>& results, const Target* target, double tol)
{
    const int w = 1200, h = 480;
    const double left = 60, right = 20, top = 30, bottom = 40;
    cairo_surface_t* surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t* cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 0.09, 0.10, 0.12);
    cairo_paint(cr);

    double total = 0;
    for (const auto& r : results)
        total += static_cast<double>(r.history.m.size()) * 0.1;
    total = std::max(total, 1.0);
    double hiL = -10, loL = -60;
    if (target) {
        hiL = std::max(hiL, target->lufs + 6);
        loL = std::min(loL, target->lufs - 30);
    }
    for (const auto& r : results)
        hiL = std::max(hiL, std::ceil((r.momentaryMax + 3) / 10) * 10);
    hiL = std::min(hiL, 20.0);
    const double pw = w - left - right, ph = h - top - bottom;
    auto X = [&](double t) { return left + pw * t / total; };
    auto Y = [&](double l) { return top + ph * (hiL - std::clamp(l, loL, hiL)) / (hiL - loL); };

    // Grid and labels.
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 12);
    cairo_set_line_width(cr, 1);
    for (double l = std::ceil(loL / 10) * 10; l <= hiL; l += 10) {
        cairo_set_source_rgb(cr, 0.25, 0.27, 0.30);
        cairo_move_to(cr, left, Y(l) + 0.5);
        cairo_line_to(cr, w - right, Y(l) + 0.5);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.75, 0.77, 0.80);
        cairo_move_to(cr, 8, Y(l) + 4);
        cairo_show_text(cr, (std::to_string(static_cast<int>(l))).c_str());
    }
    const double tick = total > 1200 ? 300 : total > 300 ? 60 : total > 60 ? 10 : total > 10 ? 5 : 1;
    for (double t = 0; t <= total; t += tick) {
        cairo_set_source_rgb(cr, 0.2, 0.22, 0.25);
        cairo_move_to(cr, X(t) + 0.5, top);
        cairo_line_to(cr, X(t) + 0.5, h - bottom);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.75, 0.77, 0.80);
        char buf[32];
        std::snprintf(buf, sizeof buf, "%d:%02d", static_cast<int>(t) / 60, static_cast<int>(t) % 60);
        cairo_move_to(cr, X(t) - 12, h - bottom + 16);
        cairo_show_text(cr, buf);
    }
    cairo_move_to(cr, 8, 18);
    cairo_show_text(cr, "LUFS");
    cairo_move_to(cr, w - right - 280, h - 8);
    cairo_show_text(cr, "momentary (thin), short-term (thick), time m:ss");

    if (target) {
        cairo_set_source_rgba(cr, 0.2, 0.8, 0.3, 0.15);
        cairo_rectangle(cr, left, Y(target->lufs + tol), pw, Y(target->lufs - tol) - Y(target->lufs + tol));
        cairo_fill(cr);
        const double dash[] = {6, 4};
        cairo_set_dash(cr, dash, 2, 0);
        cairo_set_source_rgb(cr, 0.3, 0.9, 0.4);
        cairo_set_line_width(cr, 1.5);
        cairo_move_to(cr, left, Y(target->lufs));
        cairo_line_to(cr, w - right, Y(target->lufs));
        cairo_stroke(cr);
        cairo_set_dash(cr, nullptr, 0, 0);
        char buf[128];
        std::snprintf(buf, sizeof buf, "target %s: %.0f LUFS", target->name.c_str(), target->lufs);
        cairo_move_to(cr, left + 6, Y(target->lufs) - 6);
        cairo_show_text(cr, buf);
    }

    double t0 = 0;
    for (const auto& r : results) {
        const auto& hm = r.history.m;
        const auto& hs = r.history.s;
        for (int pass = 0; pass < 2; ++pass) {
            const auto& v = pass == 0 ? hm : hs;
            if (pass == 0) {
                cairo_set_source_rgba(cr, 0.45, 0.65, 0.95, 0.6);
                cairo_set_line_width(cr, 1);
            } else {
                cairo_set_source_rgb(cr, 1.0, 0.75, 0.25);
                cairo_set_line_width(cr, 2.2);
            }
            for (std::size_t i = 0; i < v.size(); ++i) {
                const double x = X(t0 + 0.1 * static_cast<double>(i + 1)), y = Y(v[i]);
                if (i == 0)
                    cairo_move_to(cr, x, y);
                else
                    cairo_line_to(cr, x, y);
            }
            cairo_stroke(cr);
        }
        // File boundary and name.
        cairo_set_source_rgb(cr, 0.6, 0.6, 0.65);
        cairo_set_line_width(cr, 1);
        cairo_move_to(cr, X(t0) + 0.5, top);
        cairo_line_to(cr, X(t0) + 0.5, h - bottom);
        cairo_stroke(cr);
        const std::string name = r.path.substr(r.path.find_last_of('/') == std::string::npos ? 0 : r.path.find_last_of('/') + 1);
        char buf[256];
        std::snprintf(buf, sizeof buf, "%s  I %s LUFS", name.c_str(), num(r.integrated, false).c_str());
        cairo_move_to(cr, X(t0) + 4, top - 8);
        cairo_show_text(cr, buf);
        t0 += static_cast<double>(hm.size()) * 0.1;
    }

    cairo_destroy(cr);
    const bool ok = cairo_surface_write_to_png(surf, path.c_str()) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(surf);
    return ok;
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> files;
    std::string targetName, targetsFile, plotPath;
    bool json = false, quiet = false, listTargets = false;
    if (const char* env = std::getenv("MIXWRIGHT_TARGETS"))
        targetsFile = env;
    else
        targetsFile = MIXWRIGHT_TARGETS_FILE;

    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&](const char* opt) -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "mixwright-loudness: %s needs a value\n", opt);
                std::exit(kExitUsage);
            }
            return argv[++i];
        };
        if (a == "-h" || a == "--help") {
            usage(stdout);
            return 0;
        } else if (a == "--version") {
            std::printf("mixwright-loudness %s\n", MIXWRIGHT_VERSION);
            return 0;
        } else if (a == "-t" || a == "--target") {
            targetName = value("--target");
        } else if (a == "--targets") {
            targetsFile = value("--targets");
        } else if (a == "--list-targets") {
            listTargets = true;
        } else if (a == "--json") {
            json = true;
        } else if (a == "--plot") {
            plotPath = value("--plot");
        } else if (a == "-q" || a == "--quiet") {
            quiet = true;
        } else if (a.size() > 1 && a[0] == '-') {
            std::fprintf(stderr, "mixwright-loudness: unknown option %s\n", a.c_str());
            usage(stderr);
            return kExitUsage;
        } else {
            files.push_back(a);
        }
    }

    const Targets targets = loadTargets(targetsFile);
    if (listTargets) {
        std::printf("delivery targets (%s), loudness tolerance +-%.1f LU:\n", targets.source.c_str(), targets.toleranceLu);
        for (const auto& t : targets.list)
            std::printf("  %-16s %-22s %6.1f LUFS  %5.1f dBTP\n", t.id.c_str(), t.name.c_str(), t.lufs, t.truePeak);
        return 0;
    }
    const Target* target = nullptr;
    if (!targetName.empty()) {
        for (const auto& t : targets.list)
            if (lower(t.id) == lower(targetName) || lower(t.name) == lower(targetName))
                target = &t;
        if (!target) {
            std::fprintf(stderr, "mixwright-loudness: unknown target '%s' (see --list-targets)\n", targetName.c_str());
            return kExitUsage;
        }
    }
    if (files.empty()) {
        usage(stderr);
        return kExitUsage;
    }

    const bool tty = isatty(STDOUT_FILENO) != 0;
    std::vector<Result> results;
    bool failed = false;
    for (const auto& path : files) {
        Result r;
        std::string error;
        if (!measureFile(path, tty && !quiet, r, error)) {
            std::fprintf(stderr, "mixwright-loudness: %s: %s\n", path.c_str(), error.c_str());
            failed = true;
            continue;
        }
        results.push_back(std::move(r));
    }

    LoudnessMeter album;
    album.prepare(48000.0, 1);
    double albumSeconds = 0;
    for (const auto& r : results) {
        album.accumulate(*r.meter);
        albumSeconds += r.seconds;
    }
    const double albumI = album.integrated(), albumTp = album.truePeak();
    const double albumPlr = albumI > LoudnessMeter::kFloor ? albumTp - albumI : 0.0;

    bool allPass = true;
    if (json) {
        std::printf("{\n");
        if (target)
            std::printf("  \"target\": {\"id\": %s, \"name\": %s, \"integrated_lufs\": %.1f, \"true_peak_dbtp\": %.1f, "
                        "\"tolerance_lu\": %.1f},\n",
                        jsonString(target->id).c_str(), jsonString(target->name).c_str(), target->lufs, target->truePeak,
                        targets.toleranceLu);
        std::printf("  \"lra_short_term_rate_hz\": 10,\n  \"files\": [\n");
        for (std::size_t i = 0; i < results.size(); ++i) {
            const auto& r = results[i];
            const double plr = r.integrated > LoudnessMeter::kFloor ? r.truePeak - r.integrated : 0.0;
            std::printf("    {\"path\": %s, \"sample_rate\": %.0f, \"channels\": %u, \"seconds\": %.3f, "
                        "\"integrated_lufs\": %s, \"lra_lu\": %.2f, \"true_peak_dbtp\": %s, \"sample_peak_dbfs\": %s, "
                        "\"plr_lu\": %.2f, \"momentary_max_lufs\": %s, \"short_term_max_lufs\": %s",
                        jsonString(r.path).c_str(), r.rate, r.channels, r.seconds, num(r.integrated, true).c_str(), r.range,
                        num(r.truePeak, true).c_str(), num(r.samplePeak, true).c_str(), plr,
                        num(r.momentaryMax, true).c_str(), num(r.shortTermMax, true).c_str());
            if (target) {
                const Verdict v = check(*target, targets.toleranceLu, r.integrated, r.truePeak);
                allPass = allPass && v.pass();
                std::printf(", \"loudness_ok\": %s, \"true_peak_ok\": %s, \"pass\": %s", v.loudness ? "true" : "false",
                            v.peak ? "true" : "false", v.pass() ? "true" : "false");
            }
            std::printf("}%s\n", i + 1 < results.size() ? "," : "");
        }
        std::printf("  ],\n  \"album\": {\"files\": %zu, \"seconds\": %.3f, \"integrated_lufs\": %s, \"lra_lu\": %.2f, "
                    "\"true_peak_dbtp\": %s, \"plr_lu\": %.2f",
                    results.size(), albumSeconds, num(albumI, true).c_str(), album.loudnessRange(), num(albumTp, true).c_str(),
                    albumPlr);
        if (target) {
            const Verdict v = check(*target, targets.toleranceLu, albumI, albumTp);
            allPass = allPass && v.pass();
            std::printf(", \"loudness_ok\": %s, \"true_peak_ok\": %s, \"pass\": %s", v.loudness ? "true" : "false",
                        v.peak ? "true" : "false", v.pass() ? "true" : "false");
        }
        std::printf("}\n}\n");
    } else {
        std::printf("%-32s %10s %8s %10s %8s%s\n", "file", "I (LUFS)", "LRA (LU)", "TP (dBTP)", "PLR (LU)",
                    target ? "  target" : "");
        auto line = [&](const std::string& name, double i, double lra, double tp) {
            const double plr = i > LoudnessMeter::kFloor ? tp - i : 0.0;
            std::string verdict;
            if (target) {
                const Verdict v = check(*target, targets.toleranceLu, i, tp);
                allPass = allPass && v.pass();
                verdict = v.pass() ? "  pass" : std::string("  FAIL") + (v.loudness ? "" : " (loudness)") + (v.peak ? "" : " (true peak)");
            }
            std::string shown = name.size() > 32 ? "..." + name.substr(name.size() - 29) : name;
            std::printf("%-32s %10s %8.1f %10s %8.1f%s\n", shown.c_str(), num(i, false).c_str(), lra, num(tp, false).c_str(), plr,
                        verdict.c_str());
        };
        for (const auto& r : results)
            line(r.path, r.integrated, r.range, r.truePeak);
        if (results.size() > 1 || target)
            line("album", albumI, album.loudnessRange(), albumTp);
        if (target)
            std::printf("target %s: %.1f LUFS +-%.1f LU, true peak <= %.1f dBTP\n", target->name.c_str(), target->lufs,
                        targets.toleranceLu, target->truePeak);
    }

    if (!plotPath.empty() && !results.empty()) {
        if (!writePlot(plotPath, results, target, targets.toleranceLu)) {
            std::fprintf(stderr, "mixwright-loudness: cannot write %s\n", plotPath.c_str());
            failed = true;
        }
    }
    return failed || !allPass ? kExitFailure : 0;
}
