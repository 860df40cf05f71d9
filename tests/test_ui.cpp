// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// The Utility UI through a real host: a private Xvfb and JACK server, jalv.gtk3
// embedding the DPF X11 UI via suil. Grabs the plugin window with XGetImage, writes
// PNGs to MIXWRIGHT_SCREENSHOT_DIR and checks that the UI draws something, reacts to
// the mouse wheel on a knob, to control values set by the host, to a window resize
// and to a scale factor of 2; the Meter UI at scales 1 and 1.5 and, with LSP's
// oscillator and noise generator playing into it, its goniometer and spectrum
// (meter-ui-live*.png). Missing tools are a failure, never a skip.

#define BOOST_TEST_MODULE ui
#include <boost/test/unit_test.hpp>

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

constexpr const char* kPluginUri = "urn:mixwright:utility";
constexpr int kDesignW = 640; // UtilityUI's design grid (DISTRHO_UI_DEFAULT_WIDTH/HEIGHT)
constexpr int kDesignH = 320;
// Centre of the Trim knob and its cell in that grid (UtilityUI.cpp, kCells[kTrim]).
constexpr double kTrimX = 66.0;
constexpr double kTrimY = 120.0;
constexpr int kTrimCell[4] = {16, 72, 100, 96};
constexpr auto kWindowTimeout = 20s;

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

// DPF's pugl window carries WM_CLASS "<brand>-<plugin name>"; the jalv frame does not.
Window findPluginWindow(Display* dpy, Window root, const char* windowClass = "Mixwright Utility")
{
    std::vector<Window> stack{root};
    while (!stack.empty()) {
        const Window w = stack.back();
        stack.pop_back();
        XClassHint hint{};
        if (XGetClassHint(dpy, w, &hint)) {
            const bool match = hint.res_class && std::strstr(hint.res_class, windowClass) != nullptr;
            XFree(hint.res_name);
            XFree(hint.res_class);
            XWindowAttributes attr;
            if (match && XGetWindowAttributes(dpy, w, &attr) && attr.map_state == IsViewable && attr.width > 1)
                return w;
        }
        Window r, parent;
        Window* children = nullptr;
        unsigned n = 0;
        if (XQueryTree(dpy, w, &r, &parent, &children, &n)) {
            for (unsigned i = 0; i < n; ++i)
                stack.push_back(children[i]);
            if (children)
                XFree(children);
        }
    }
    return 0;
}

Window topLevelOf(Display* dpy, Window w)
{
    for (;;) {
        Window root, parent;
        Window* children = nullptr;
        unsigned n = 0;
        if (!XQueryTree(dpy, w, &root, &parent, &children, &n))
            return 0;
        if (children)
            XFree(children);
        if (parent == root)
            return w;
        w = parent;
    }
}

// --- the fixture: one Xvfb and one JACK server for all cases ----------------------------

struct Environment {
    Environment()
    {
        std::signal(SIGTERM, killChildrenAndExit);
        std::signal(SIGINT, killChildrenAndExit);
        XSetErrorHandler([](Display*, XErrorEvent*) { return 0; }); // windows vanish while we walk the tree

        for (const char* tool : {"Xvfb", "jackd", "jalv.gtk3", "xdotool"})
            BOOST_REQUIRE_MESSAGE(onPath(tool), tool << " not found on PATH: the ui suite needs Xvfb, jackd, "
                                                           "jalv.gtk3 and xdotool (apt install xvfb jackd2 jalv "
                                                           "xdotool)");
        const fs::path bundle = findBundle("mixwright-utility.lv2");
        BOOST_REQUIRE_MESSAGE(!bundle.empty(), "mixwright-utility.lv2 is not on LV2_PATH (run through meson test)");
        BOOST_REQUIRE_MESSAGE(fs::exists(bundle / "mixwright-utility_ui.so"), "the Utility bundle has no UI binary");
        dir = outDir();

        for (int d = 91; d <= 99 && !display; ++d) {
            const std::string num = std::to_string(d);
            if (fs::exists(fs::path("/tmp") / std::string(".X").append(num).append("-lock")) ||
                fs::exists(fs::path("/tmp/.X11-unix") / std::string("X").append(num)))
                continue;
            const std::string name = std::string(":").append(num);
            auto x = std::make_unique<Process>(
                std::vector<std::string>{"Xvfb", name, "-screen", "0", "1600x1000x24", "-nolisten", "tcp"},
                Process::Env{}, dir / "ui-xvfb.log");
            Display* dpy = nullptr;
            waitFor([&] { return !x->running() || (dpy = XOpenDisplay(name.c_str())) != nullptr; }, 10s);
            if (dpy) {
                display = dpy;
                displayName = name;
                xvfb = std::move(x);
            }
        }
        BOOST_REQUIRE_MESSAGE(display,
                              "could not start Xvfb on any of :91..:99; log: " << readFile(dir / "ui-xvfb.log"));

        jackName = "mwtest-ui-" + std::to_string(::getpid());
        jackd = std::make_unique<Process>(std::vector<std::string>{"jackd", "-n", jackName, "-d", "dummy", "-r",
                                                                   "48000", "-p", "256"},
                                          Process::Env{{"JACK_NO_AUDIO_RESERVATION", "1"}}, dir / "ui-jackd.log");
        // jackd2 creates its server socket under /dev/shm once it accepts clients.
        const fs::path sock = "/dev/shm/jack_" + jackName + "_" + std::to_string(::getuid()) + "_0";
        BOOST_REQUIRE_MESSAGE(waitFor([&] { return fs::exists(sock) || !jackd->running(); }, 10s) && jackd->running(),
                              "jackd did not start; log: " << readFile(dir / "ui-jackd.log"));
    }

    ~Environment()
    {
        jackd.reset();
        if (display)
            XCloseDisplay(display);
        xvfb.reset();
    }

    Process::Env childEnv(Process::Env extra = {}) const
    {
        extra.emplace_back("DISPLAY", displayName);
        extra.emplace_back("JACK_DEFAULT_SERVER", jackName);
        extra.emplace_back("JACK_NO_START_SERVER", "1");
        extra.emplace_back("JACK_NO_AUDIO_RESERVATION", "1");
        extra.emplace_back("GDK_BACKEND", "x11");
        extra.emplace_back("NO_AT_BRIDGE", "1"); // no accessibility bus in the sandbox
        return extra;
    }

    /// Runs a short tool (xdotool) to completion.
    void run(const std::vector<std::string>& argv) const
    {
        Process p(argv, childEnv(), dir / "ui-tool.log");
        BOOST_REQUIRE_MESSAGE(waitFor([&] { return !p.running(); }, 5s), argv[0] << " did not finish");
    }

    std::unique_ptr<Process> xvfb, jackd;
    Display* display = nullptr;
    std::string displayName, jackName;
    fs::path dir;
};

Environment* g_env = nullptr;

struct GlobalFixture {
    GlobalFixture() { g_env = new Environment(); }
    ~GlobalFixture()
    {
        delete g_env;
        g_env = nullptr;
    }
};
BOOST_TEST_GLOBAL_FIXTURE(GlobalFixture);

/// One jalv.gtk3 instance with the plugin UI shown and painted.
class Host {
public:
    explicit Host(const std::string& tag, const std::vector<std::string>& controls = {}, Process::Env env = {},
                  const std::string& uri = kPluginUri, const char* windowClass = "Mixwright Utility")
        : log_(g_env->dir / ("ui-jalv-" + tag + ".log"))
    {
        std::vector<std::string> argv{"jalv.gtk3", "--jack-name", "mwtest-" + tag};
        for (const auto& c : controls) {
            argv.emplace_back("-c");
            argv.push_back(c);
        }
        argv.push_back(uri);
        jalv_ = std::make_unique<Process>(argv, g_env->childEnv(std::move(env)), log_);

        Display* dpy = g_env->display;
        const bool shown = waitFor(
            [&] {
                window_ = findPluginWindow(dpy, DefaultRootWindow(dpy), windowClass);
                return window_ != 0 || !jalv_->running();
            },
            kWindowTimeout);
        BOOST_REQUIRE_MESSAGE(shown && window_ != 0,
                              "the plugin UI window did not appear; jalv log:\n" << readFile(log_));
        image_ = settle();
    }

    /// Waits until two grabs 100 ms apart match and are not blank: the UI has painted.
    Image settle()
    {
        std::optional<Image> last;
        Image result;
        const bool ok = waitFor(
            [&] {
                std::this_thread::sleep_for(80ms);
                auto img = grab(g_env->display, window_);
                if (!img)
                    return false;
                const bool stable = last && diff(*last, *img).count == 0 && distinctColours(*img) > 1;
                last = std::move(img);
                if (stable)
                    result = *last;
                return stable;
            },
            kWindowTimeout);
        BOOST_REQUIRE_MESSAGE(ok, "the plugin UI never settled into a painted frame; jalv log:\n" << readFile(log_));
        return result;
    }

    Window window() const { return window_; }
    const Image& image() const { return image_; }

private:
    fs::path log_;
    std::unique_ptr<Process> jalv_;
    Window window_ = 0;
    Image image_;
};

void checkNotBlank(const Image& img, const std::string& what)
{
    const auto colours = distinctColours(img);
    const double covered = nonBackgroundFraction(img);
    BOOST_TEST_MESSAGE(what << ": " << img.width << "x" << img.height << ", " << colours << " colours, "
                            << covered * 100 << " % non-background");
    BOOST_TEST(colours >= 64u, what << " has only " << colours << " distinct colours");
    BOOST_TEST(covered >= 0.15, what << " is mostly one colour (" << covered * 100 << " % drawn)");
}

} // namespace

BOOST_AUTO_TEST_CASE(renders_reacts_to_wheel_and_resizes)
{
    Host host("default");
    const Image before = host.image();
    writePng(before, g_env->dir / "utility-ui.png");
    BOOST_TEST(before.width == kDesignW);
    BOOST_TEST(before.height == kDesignH);
    checkNotBlank(before, "default UI");

    // Five wheel notches up over the Trim knob: the knob's arc and value text change,
    // nothing else does.
    const double sx = before.width / static_cast<double>(kDesignW);
    const double sy = before.height / static_cast<double>(kDesignH);
    const std::string win = std::to_string(host.window());
    g_env->run({"xdotool", "mousemove", "--sync", "--window", win, std::to_string(static_cast<int>(kTrimX * sx)),
                std::to_string(static_cast<int>(kTrimY * sy))});
    g_env->run({"xdotool", "click", "--repeat", "5", "--delay", "20", "4"});
    const Image after = host.settle();
    writePng(after, g_env->dir / "utility-ui-after.png");
    const Diff d = diff(before, after);
    BOOST_TEST_MESSAGE("wheel changed " << d.count << " pixels in [" << d.x0 << "," << d.y0 << "]-[" << d.x1 << ","
                                        << d.y1 << "]");
    BOOST_TEST(d.count > 100, "the Trim knob did not redraw after wheel events");
    BOOST_TEST(d.x0 >= static_cast<int>(kTrimCell[0] * sx) - 2);
    BOOST_TEST(d.y0 >= static_cast<int>(kTrimCell[1] * sy) - 2);
    BOOST_TEST(d.x1 <= static_cast<int>((kTrimCell[0] + kTrimCell[2]) * sx) + 2);
    BOOST_TEST(d.y1 <= static_cast<int>((kTrimCell[1] + kTrimCell[3]) * sy) + 2);

    // A double-click resets Trim to its default: the UI is pixel-identical to the start.
    g_env->run({"xdotool", "click", "--repeat", "2", "--delay", "60", "1"});
    const Image reset = host.settle();
    const Diff r = diff(before, reset);
    BOOST_TEST(r.count == 0, "double-click did not restore the default rendering (" << r.count << " pixels differ)");

    // The host window grows; the plugin window follows and lays out again.
    const Window top = topLevelOf(g_env->display, host.window());
    g_env->run({"xdotool", "windowsize", std::to_string(top), "960", "505"});
    XWindowAttributes attr{};
    const bool grew = waitFor(
        [&] { return XGetWindowAttributes(g_env->display, host.window(), &attr) && attr.width >= 900; }, 5s);
    BOOST_TEST_MESSAGE("after resizing the host window the plugin window is " << attr.width << "x" << attr.height);
    BOOST_TEST(grew, "the plugin window did not follow the host window's resize");
    if (grew) {
        const Image resized = host.settle();
        writePng(resized, g_env->dir / "utility-ui-resized.png");
        checkNotBlank(resized, "resized UI");
    }
}

BOOST_AUTO_TEST_CASE(host_control_values_reach_the_ui)
{
    Image plain;
    {
        Host host("plain");
        plain = host.image();
    }
    Host host("preset", {"trim=12", "width=200", "pan=-50", "phase_l=1", "pan_law=1", "delay_l=480"});
    writePng(host.image(), g_env->dir / "utility-ui-preset.png");
    checkNotBlank(host.image(), "UI with control values");
    const Diff d = diff(plain, host.image());
    BOOST_TEST(d.count > 500, "control values given to the host did not change the UI (" << d.count << " pixels)");
    // The trim knob at +12 dB must differ from the default, independent of the others.
    long trimChanged = 0;
    for (int y = kTrimCell[1]; y < kTrimCell[1] + kTrimCell[3]; ++y)
        for (int x = kTrimCell[0]; x < kTrimCell[0] + kTrimCell[2]; ++x)
            trimChanged += plain.at(x, y) != host.image().at(x, y);
    BOOST_TEST(trimChanged > 50, "the Trim knob does not show trim=12");
}

BOOST_AUTO_TEST_CASE(scale_factor_two_doubles_the_ui)
{
    // DPF reads DPF_SCALE_FACTOR where the host gives no ui:scaleFactor.
    Host host("scale2", {}, {{"DPF_SCALE_FACTOR", "2"}});
    writePng(host.image(), g_env->dir / "utility-ui-scale2.png");
    BOOST_TEST(host.image().width == 2 * kDesignW);
    BOOST_TEST(host.image().height == 2 * kDesignH);
    checkNotBlank(host.image(), "UI at scale factor 2");
}

// --- Mixwright Meter UI (MeterUI.cpp: 840x500 design grid) -------------------------------

namespace meter {
constexpr int kW = 840, kH = 500;
// Design-grid rectangles (x, y, w, h) of the audio views, as in MeterUI.cpp.
constexpr int kStereo[4] = {596, 46, 234, 240};
constexpr int kSpectrum[4] = {258, 292, 572, 198};

long changedIn(const Image& a, const Image& b, const int (&r)[4], double scale = 1.0)
{
    long n = 0;
    const int x0 = static_cast<int>(r[0] * scale), y0 = static_cast<int>(r[1] * scale);
    const int x1 = std::min(a.width, static_cast<int>((r[0] + r[2]) * scale));
    const int y1 = std::min(a.height, static_cast<int>((r[1] + r[3]) * scale));
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x)
            n += a.at(x, y) != b.at(x, y);
    return n;
}

/// A 440 Hz sine (LSP oscillator, -12 dB) into both inputs and noise (LSP noise
/// generator, about -10 dB) into the right one as well (JACK sums the connections), so the
/// goniometer draws a smeared, tilted figure and the spectrum a peak over a noise floor.
struct Generators {
    Generators()
        : osc({"jalv.gtk3", "--jack-name", "mwgen", "-c", "gain=0.25", "http://lsp-plug.in/plugins/lv2/oscillator_mono"},
              g_env->childEnv(), g_env->dir / "ui-jalv-gen.log")
        , noise({"jalv.gtk3", "--jack-name", "mwnoise", "-c", "na_1=0.3", "http://lsp-plug.in/plugins/lv2/noise_generator_x1"},
                g_env->childEnv(), g_env->dir / "ui-jalv-noise.log")
    {
        std::this_thread::sleep_for(3s);
        // Their windows may cover ours: move them off the screen.
        g_env->run({"xdotool", "search", "--name", "Oscillator", "windowmove", "%@", "1700", "1100"});
        g_env->run({"xdotool", "search", "--name", "Noise", "windowmove", "%@", "1700", "1100"});
    }
    /// Connects the generators to a jalv client and raises the plugin's window.
    void feed(const std::string& client, Window plugin) const
    {
        g_env->run({"jack_connect", "mwgen:out", client + ":in_l"});
        g_env->run({"jack_connect", "mwgen:out", client + ":in_r"});
        g_env->run({"jack_connect", "mwnoise:out_1", client + ":in_r"});
        g_env->run({"xdotool", "windowraise", std::to_string(topLevelOf(g_env->display, plugin))});
        std::this_thread::sleep_for(2s);
    }
    Process osc, noise;
};
} // namespace meter

BOOST_AUTO_TEST_CASE(meter_ui_renders_shows_target_and_scales)
{
    Image plain;
    {
        Host host("meter", {}, {}, "urn:mixwright:meter", "Mixwright Meter");
        plain = host.image();
        writePng(plain, g_env->dir / "meter-ui.png");
        BOOST_TEST(plain.width == meter::kW);
        BOOST_TEST(plain.height == meter::kH);
        checkNotBlank(plain, "Meter UI");
    }
    {
        // EBU R128 (index 7 in data/delivery-targets.json): target text, enum and the
        // graph's target line move.
        Host host("meter-ebu", {"target=7"}, {}, "urn:mixwright:meter", "Mixwright Meter");
        writePng(host.image(), g_env->dir / "meter-ui-ebu.png");
        const Diff d = diff(plain, host.image());
        BOOST_TEST(d.count > 200, "target=7 did not change the Meter UI (" << d.count << " pixels)");
    }
    // HiDPI: scale 1.5.
    Host host("meter-scale15", {}, {{"DPF_SCALE_FACTOR", "1.5"}}, "urn:mixwright:meter", "Mixwright Meter");
    writePng(host.image(), g_env->dir / "meter-ui-scale15.png");
    BOOST_TEST(host.image().width == meter::kW * 3 / 2);
    BOOST_TEST(host.image().height == meter::kH * 3 / 2);
    checkNotBlank(host.image(), "Meter UI at scale factor 1.5");
}

BOOST_AUTO_TEST_CASE(meter_ui_goniometer_and_spectrum_show_the_audio)
{
    // The plugin copies its audio to the UI through instance access (one binary);
    // jalv.gtk3 provides it. Screenshots with audio playing, at scale 1 and 1.5, and
    // after the host window grew.
    const meter::Generators gen;
    {
        Host host("meter-live", {}, {}, "urn:mixwright:meter", "Mixwright Meter");
        const Image silent = host.image();
        gen.feed("mwtest-meter-live", host.window());
        const auto live = grab(g_env->display, host.window());
        BOOST_REQUIRE(live.has_value());
        writePng(*live, g_env->dir / "meter-ui-live.png");
        const long stereo = meter::changedIn(silent, *live, meter::kStereo);
        const long spectrum = meter::changedIn(silent, *live, meter::kSpectrum);
        BOOST_TEST_MESSAGE("audio changed " << stereo << " pixels in the stereo panel, " << spectrum
                                            << " in the spectrum panel");
        BOOST_TEST(stereo > 1000, "the goniometer shows nothing with audio running");
        BOOST_TEST(spectrum > 3000, "the spectrum shows nothing with audio running");

        const Window top = topLevelOf(g_env->display, host.window());
        g_env->run({"xdotool", "windowsize", std::to_string(top), "1260", "640"});
        XWindowAttributes attr{};
        const bool grew = waitFor(
            [&] { return XGetWindowAttributes(g_env->display, host.window(), &attr) && attr.width >= 1200; }, 5s);
        BOOST_TEST(grew, "the plugin window did not follow the host window's resize");
        if (grew) {
            std::this_thread::sleep_for(1s);
            const auto resized = grab(g_env->display, host.window());
            BOOST_REQUIRE(resized.has_value());
            writePng(*resized, g_env->dir / "meter-ui-live-resized.png");
            checkNotBlank(*resized, "resized Meter UI with audio");
        }
        // And down to its minimum size (630x375, 3/4 of the design grid).
        g_env->run({"xdotool", "windowsize", std::to_string(top), "600", "360"});
        const bool shrank = waitFor(
            [&] { return XGetWindowAttributes(g_env->display, host.window(), &attr) && attr.width <= 700; }, 5s);
        BOOST_TEST_MESSAGE("after shrinking the host window the plugin window is " << attr.width << "x" << attr.height);
        if (shrank) {
            std::this_thread::sleep_for(1s);
            const auto small = grab(g_env->display, host.window());
            BOOST_REQUIRE(small.has_value());
            writePng(*small, g_env->dir / "meter-ui-live-small.png");
            checkNotBlank(*small, "Meter UI at its minimum size with audio");
        }
    }
    Host hidpi("meter-live15", {}, {{"DPF_SCALE_FACTOR", "1.5"}}, "urn:mixwright:meter", "Mixwright Meter");
    gen.feed("mwtest-meter-live15", hidpi.window());
    const auto live15 = grab(g_env->display, hidpi.window());
    BOOST_REQUIRE(live15.has_value());
    writePng(*live15, g_env->dir / "meter-ui-live-scale15.png");
    BOOST_TEST(meter::changedIn(hidpi.image(), *live15, meter::kStereo, 1.5) > 2000,
               "the goniometer shows nothing at scale 1.5");
}
