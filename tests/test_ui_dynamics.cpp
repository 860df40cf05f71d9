// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// The Compressor and Gate UIs through a real host, the way tests/test_ui.cpp checks
// the Utility's (its Xvfb/JACK/jalv.gtk3 harness is copied here; to be shared in one
// header): the UI paints, the transfer curve follows host control values (threshold,
// ratio), the live level point and gain-reduction history move while audio with gain
// reduction runs (jalv feeds JACK's dummy driver; the sidechain-listen toggle and a
// loud generated signal are not available there, so the history is driven by the
// plugin's own input, which JACK's dummy driver leaves silent; see the case notes).
// Screenshots go to MIXWRIGHT_SCREENSHOT_DIR.

#define BOOST_TEST_MODULE ui_dynamics
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

const char* g_pluginUri = "urn:mixwright:compressor";
const char* g_windowClass = "Mixwright Compressor";
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
Window findPluginWindow(Display* dpy, Window root)
{
    std::vector<Window> stack{root};
    while (!stack.empty()) {
        const Window w = stack.back();
        stack.pop_back();
        XClassHint hint{};
        if (XGetClassHint(dpy, w, &hint)) {
            const bool match = hint.res_class && std::strstr(hint.res_class, g_windowClass) != nullptr;
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
        for (const char* b : {"mixwright-compressor", "mixwright-gate"}) {
            const fs::path bundle = findBundle(std::string(b) + ".lv2");
            BOOST_REQUIRE_MESSAGE(!bundle.empty(), b << ".lv2 is not on LV2_PATH (run through meson test)");
            BOOST_REQUIRE_MESSAGE(fs::exists(bundle / (std::string(b) + "_ui.so")), b << " has no UI binary");
        }
        dir = outDir();

        for (int d = 91; d <= 99 && !display; ++d) {
            const std::string num = std::to_string(d);
            if (fs::exists(fs::path("/tmp") / std::string(".X").append(num).append("-lock")) ||
                fs::exists(fs::path("/tmp/.X11-unix") / std::string("X").append(num)))
                continue;
            const std::string name = std::string(":").append(num);
            auto x = std::make_unique<Process>(
                std::vector<std::string>{"Xvfb", name, "-screen", "0", "1280x800x24", "-nolisten", "tcp"},
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
    explicit Host(const std::string& tag, const std::vector<std::string>& controls = {}, Process::Env env = {})
        : log_(g_env->dir / ("ui-jalv-" + tag + ".log"))
    {
        std::vector<std::string> argv{"jalv.gtk3", "--jack-name", "mwtest-" + tag};
        for (const auto& c : controls) {
            argv.emplace_back("-c");
            argv.push_back(c);
        }
        argv.emplace_back(g_pluginUri);
        jalv_ = std::make_unique<Process>(argv, g_env->childEnv(std::move(env)), log_);

        Display* dpy = g_env->display;
        const bool shown = waitFor(
            [&] {
                window_ = findPluginWindow(dpy, DefaultRootWindow(dpy));
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

BOOST_AUTO_TEST_SUITE(compressor_and_gate)

namespace {
constexpr int kDesignW = 800; // DISTRHO_UI_DEFAULT_WIDTH/HEIGHT of both UIs
constexpr int kDesignH = 420;
constexpr int kCurveCell[4] = {18, 72, 284, 244};   // kCurve in CompressorUI.cpp / GateUI.cpp
constexpr int kHistoryCell[4] = {330, 74, 450, 76}; // kHistory
constexpr std::uint32_t kBrand = 0xff9d3c;          // Theme::brand: the level dot and the GR trace

long changedIn(const Image& a, const Image& b, const int cell[4])
{
    long n = 0;
    for (int y = cell[1]; y < cell[1] + cell[3]; ++y)
        for (int x = cell[0]; x < cell[0] + cell[2]; ++x)
            n += a.at(x, y) != b.at(x, y);
    return n;
}

long countColour(const Image& img, const int cell[4], std::uint32_t rgb)
{
    long n = 0;
    for (int y = cell[1]; y < cell[1] + cell[3]; ++y)
        for (int x = cell[0]; x < cell[0] + cell[2]; ++x)
            n += img.at(x, y) == rgb;
    return n;
}

void usePlugin(const char* uri, const char* windowClass)
{
    g_pluginUri = uri;
    g_windowClass = windowClass;
}
} // namespace

BOOST_AUTO_TEST_CASE(compressor_ui_follows_controls_and_shows_live_reduction)
{
    usePlugin("urn:mixwright:compressor", "Mixwright Compressor");
    Image plain;
    {
        Host host("comp-default");
        plain = host.image();
        writePng(plain, g_env->dir / "compressor-ui.png");
        BOOST_TEST(plain.width == kDesignW);
        BOOST_TEST(plain.height == kDesignH);
        checkNotBlank(plain, "compressor UI");
    }
    // Host control values move the curve (threshold, ratio, makeup).
    {
        Host host("comp-controls", {"threshold=-40", "ratio=100", "makeup=12", "knee=0"});
        writePng(host.image(), g_env->dir / "compressor-ui-controls.png");
        const long curve = changedIn(plain, host.image(), kCurveCell);
        BOOST_TEST_MESSAGE("threshold/ratio/makeup changed " << curve << " pixels of the transfer curve");
        BOOST_TEST(curve > 300);
    }
    // Live audio: jack_metro's 1 kHz tone (-6 dBFS, 80 ms every 100 ms) into the inputs,
    // threshold -40 dB: the level dot appears on the curve and the history fills.
    {
        Host host("comp-live", {"threshold=-40", "ratio=8", "release=400"});
        Process metro({"jack_metro", "-n", "mwmetro", "-b", "600", "-f", "1000", "-A", "0.5", "-D", "80"},
                      g_env->childEnv(), g_env->dir / "ui-metro.log");
        std::this_thread::sleep_for(500ms);
        for (const char* port : {"in_l", "in_r"})
            g_env->run({"jack_connect", "mwmetro:600_bpm", std::string("mwtest-comp-live:") + port});
        std::this_thread::sleep_for(3s); // the history scrolls; no settling while audio runs
        // The tone is on 80 ms of every 100 ms: a single grab can fall in a gap, where the
        // level point drops. Take up to 12 grabs 23 ms apart and keep the one showing
        // the most of it.
        std::optional<Image> img;
        long dot = -1;
        for (int attempt = 0; attempt < 12 && dot <= 20; ++attempt) {
            if (attempt > 0)
                std::this_thread::sleep_for(23ms);
            auto shot = grab(g_env->display, host.window());
            BOOST_REQUIRE(shot);
            const long d = countColour(*shot, kCurveCell, kBrand);
            if (d > dot) {
                dot = d;
                img = std::move(shot);
            }
        }
        writePng(*img, g_env->dir / "compressor-ui-live.png");
        const long trace = changedIn(plain, *img, kHistoryCell);
        BOOST_TEST_MESSAGE("live: " << dot << " level-dot pixels on the curve, " << trace
                                    << " history pixels changed");
        BOOST_TEST(dot > 20, "no live level point on the transfer curve");
        BOOST_TEST(trace > 300, "the gain-reduction history did not move");
    }
}

BOOST_AUTO_TEST_CASE(gate_ui_renders_and_follows_controls)
{
    usePlugin("urn:mixwright:gate", "Mixwright Gate");
    Image plain;
    {
        Host host("gate-default");
        plain = host.image();
        writePng(plain, g_env->dir / "gate-ui.png");
        BOOST_TEST(plain.width == kDesignW);
        BOOST_TEST(plain.height == kDesignH);
        checkNotBlank(plain, "gate UI");
    }
    Host host("gate-expander", {"mode=1", "ratio=4", "threshold=-30", "hysteresis=10"});
    writePng(host.image(), g_env->dir / "gate-ui-expander.png");
    const long curve = changedIn(plain, host.image(), kCurveCell);
    BOOST_TEST_MESSAGE("expander mode changed " << curve << " pixels of the transfer curve");
    BOOST_TEST(curve > 300);
}

BOOST_AUTO_TEST_SUITE_END()
