// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// What the UI tests share: child processes (killed if the test is interrupted), waits,
// files, plugin bundles, images (diff, colour counts, PNG output) and grabbing an X11
// window with XGetImage. Each UI test is one translation unit that includes this once.

#pragma once

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <cairo.h>
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <functional>
#include <optional>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

extern char** environ;

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// --- child processes -------------------------------------------------------------------

// PIDs to kill if meson's timeout (SIGTERM) or Ctrl-C hits us mid-test.
std::array<std::atomic<pid_t>, 8> g_children{};

extern "C" void killChildrenAndExit(int sig)
{
    for (auto& p : g_children) {
        const pid_t pid = p.load();
        if (pid > 0)
            ::kill(pid, SIGKILL);
    }
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

bool onPath(const std::string& tool)
{
    const char* path = std::getenv("PATH");
    std::string p = path ? path : "/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= p.size()) {
        const std::size_t end = std::min(p.find(':', start), p.size());
        const fs::path candidate = fs::path(p.substr(start, end - start)) / tool;
        if (::access(candidate.c_str(), X_OK) == 0)
            return true;
        start = end + 1;
    }
    return false;
}

class Process {
public:
    using Env = std::vector<std::pair<std::string, std::string>>;

    Process(const std::vector<std::string>& argv, const Env& env, const fs::path& log)
        : name_(argv.at(0))
    {
        std::unordered_map<std::string, std::string> vars;
        for (char** e = environ; *e != nullptr; ++e) {
            const std::string kv = *e;
            const auto eq = kv.find('=');
            if (eq != std::string::npos)
                vars[kv.substr(0, eq)] = kv.substr(eq + 1);
        }
        for (const auto& [k, v] : env)
            vars[k] = v;
        std::vector<std::string> envStrings;
        for (const auto& [k, v] : vars)
            envStrings.push_back(k + "=" + v);

        std::vector<char*> cargv;
        for (const auto& a : argv)
            cargv.push_back(const_cast<char*>(a.c_str()));
        cargv.push_back(nullptr);
        std::vector<char*> cenv;
        for (auto& e : envStrings)
            cenv.push_back(e.data());
        cenv.push_back(nullptr);

        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_adddup2(&fa, 1, 2);
        const int rc = posix_spawnp(&pid_, cargv[0], &fa, nullptr, cargv.data(), cenv.data());
        posix_spawn_file_actions_destroy(&fa);
        BOOST_REQUIRE_MESSAGE(rc == 0, "cannot start " << name_ << ": " << std::strerror(rc));
        for (auto& slot : g_children) {
            pid_t expected = 0;
            if (slot.compare_exchange_strong(expected, pid_))
                break;
        }
    }
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;
    ~Process() { stop(); }

    bool running()
    {
        if (pid_ <= 0)
            return false;
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            forget();
            return false;
        }
        return true;
    }

    /// SIGTERM, up to 3 s grace, then SIGKILL; always reaps.
    void stop()
    {
        if (pid_ <= 0)
            return;
        ::kill(pid_, SIGTERM);
        const auto deadline = Clock::now() + 3s;
        int status = 0;
        while (::waitpid(pid_, &status, WNOHANG) == 0) {
            if (Clock::now() > deadline) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, &status, 0);
                break;
            }
            std::this_thread::sleep_for(20ms);
        }
        forget();
    }

    pid_t pid() const { return pid_; }

private:
    void forget()
    {
        for (auto& slot : g_children) {
            pid_t expected = pid_;
            slot.compare_exchange_strong(expected, 0);
        }
        pid_ = -1;
    }

    std::string name_;
    pid_t pid_ = -1;
};

/// Polls cond every 20 ms until it holds or the timeout passes.
bool waitFor(const std::function<bool()>& cond, std::chrono::milliseconds timeout)
{
    const auto deadline = Clock::now() + timeout;
    while (!cond()) {
        if (Clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(20ms);
    }
    return true;
}

std::string readFile(const fs::path& p)
{
    std::string out;
    if (FILE* f = std::fopen(p.c_str(), "r")) {
        char buf[4096];
        std::size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
            out.append(buf, n);
        std::fclose(f);
    }
    return out;
}

fs::path outDir()
{
    fs::path p = fs::temp_directory_path();
    if (const char* d = std::getenv("MIXWRIGHT_SCREENSHOT_DIR"))
        p = d;
    else if (const char* b = std::getenv("MIXWRIGHT_BUILD_DIR"))
        p = fs::path(b) / "tests";
    fs::create_directories(p);
    return p;
}

fs::path findBundle(const std::string& name)
{
    const char* env = std::getenv("LV2_PATH");
    const std::string path = env ? env : "";
    std::size_t start = 0;
    while (start < path.size()) {
        const std::size_t end = std::min(path.find(':', start), path.size());
        const fs::path candidate = fs::path(path.substr(start, end - start)) / name;
        if (fs::exists(candidate))
            return candidate;
        start = end + 1;
    }
    return {};
}

// --- images ----------------------------------------------------------------------------

struct Image {
    int width = 0;
    int height = 0;
    std::vector<std::uint32_t> rgb; // 0xRRGGBB

    std::uint32_t at(int x, int y) const { return rgb[static_cast<std::size_t>(y) * width + x]; }
};

struct Diff {
    long count = 0;
    int x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1;
};

Diff diff(const Image& a, const Image& b)
{
    Diff d;
    if (a.width != b.width || a.height != b.height) {
        d.count = -1;
        return d;
    }
    for (int y = 0; y < a.height; ++y)
        for (int x = 0; x < a.width; ++x)
            if (a.at(x, y) != b.at(x, y)) {
                ++d.count;
                d.x0 = std::min(d.x0, x);
                d.y0 = std::min(d.y0, y);
                d.x1 = std::max(d.x1, x);
                d.y1 = std::max(d.y1, y);
            }
    return d;
}

std::size_t distinctColours(const Image& img)
{
    return std::unordered_set<std::uint32_t>(img.rgb.begin(), img.rgb.end()).size();
}

/// Fraction of pixels that differ from the most common colour (the background).
double nonBackgroundFraction(const Image& img)
{
    std::unordered_map<std::uint32_t, long> hist;
    for (const auto c : img.rgb)
        ++hist[c];
    long top = 0;
    for (const auto& [c, n] : hist)
        top = std::max(top, n);
    return img.rgb.empty() ? 0.0 : 1.0 - static_cast<double>(top) / static_cast<double>(img.rgb.size());
}

void writePng(const Image& img, const fs::path& path)
{
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, img.width, img.height);
    cairo_surface_flush(surface);
    unsigned char* data = cairo_image_surface_get_data(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    for (int y = 0; y < img.height; ++y) {
        auto* row = reinterpret_cast<std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
        for (int x = 0; x < img.width; ++x)
            row[x] = img.at(x, y);
    }
    cairo_surface_mark_dirty(surface);
    const cairo_status_t st = cairo_surface_write_to_png(surface, path.c_str());
    cairo_surface_destroy(surface);
    BOOST_TEST_MESSAGE("screenshot: " << path.string());
    BOOST_CHECK_MESSAGE(st == CAIRO_STATUS_SUCCESS, "writing " << path << " failed");
}

// --- X11 ---------------------------------------------------------------------------------

std::optional<Image> grab(Display* dpy, Window w)
{
    XWindowAttributes attr;
    if (!XGetWindowAttributes(dpy, w, &attr) || attr.map_state != IsViewable)
        return std::nullopt;
    XImage* xi = XGetImage(dpy, w, 0, 0, static_cast<unsigned>(attr.width), static_cast<unsigned>(attr.height),
                           AllPlanes, ZPixmap);
    if (xi == nullptr)
        return std::nullopt;
    const auto shiftOf = [](unsigned long mask) {
        int s = 0;
        while (mask != 0 && (mask & 1) == 0) {
            mask >>= 1;
            ++s;
        }
        return s;
    };
    const int rs = shiftOf(xi->red_mask), gs = shiftOf(xi->green_mask), bs = shiftOf(xi->blue_mask);
    Image img;
    img.width = attr.width;
    img.height = attr.height;
    img.rgb.resize(static_cast<std::size_t>(img.width) * img.height);
    for (int y = 0; y < img.height; ++y)
        for (int x = 0; x < img.width; ++x) {
            const unsigned long p = XGetPixel(xi, x, y);
            const auto r = static_cast<std::uint32_t>((p & xi->red_mask) >> rs) & 0xff;
            const auto g = static_cast<std::uint32_t>((p & xi->green_mask) >> gs) & 0xff;
            const auto b = static_cast<std::uint32_t>((p & xi->blue_mask) >> bs) & 0xff;
            img.rgb[static_cast<std::size_t>(y) * img.width + x] = (r << 16) | (g << 8) | b;
        }
    XDestroyImage(xi);
    return img;
}

} // namespace
