// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// The EQ UI through a real host (the harness of tests/test_ui.cpp): a private Xvfb and
// JACK server, jalv.gtk3 embedding the DPF X11 UI via suil. Grabs the plugin window,
// writes PNGs (eq-ui*.png) to MIXWRIGHT_SCREENSHOT_DIR and checks that the UI draws the
// bands the host set, that the wheel over a band node changes that band's Q (the
// curve redraws inside the graph only), and that it follows a window resize and a
// scale factor of 2. Missing tools are a failure, never a skip.

#define BOOST_TEST_MODULE eq_ui
#include <boost/test/unit_test.hpp>

#include "ui_harness.hpp"

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <cairo.h>

#include <algorithm>
#include <cmath>
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

namespace {

constexpr const char* kPluginUri = "urn:mixwright:eq";
constexpr int kDesignW = 900; // EqUI's design grid (DISTRHO_UI_DEFAULT_WIDTH/HEIGHT)
constexpr int kDesignH = 520;
// The graph in that grid (EqUI.cpp, kGraph) and its scales: 20 Hz..20 kHz, +-27 dB.
constexpr int kGraph[4] = {10, 46, 880, 250};
double graphX(double f) { return kGraph[0] + kGraph[2] * std::log(f / 20.0) / std::log(1000.0); }
double graphY(double db) { return kGraph[1] + kGraph[3] * (0.5 - 0.5 * db / 27.0); }
constexpr auto kWindowTimeout = 20s;


// DPF's pugl window carries WM_CLASS "<brand>-<plugin name>"; the jalv frame does not.
Window findPluginWindow(Display* dpy, Window root)
{
    std::vector<Window> stack{root};
    while (!stack.empty()) {
        const Window w = stack.back();
        stack.pop_back();
        XClassHint hint{};
        if (XGetClassHint(dpy, w, &hint)) {
            const bool match = hint.res_class && std::strstr(hint.res_class, "Mixwright EQ") != nullptr;
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
        const fs::path bundle = findBundle("mixwright-eq.lv2");
        BOOST_REQUIRE_MESSAGE(!bundle.empty(), "mixwright-eq.lv2 is not on LV2_PATH (run through meson test)");
        BOOST_REQUIRE_MESSAGE(fs::exists(bundle / "mixwright-eq_dsp.so"), "the EQ bundle has no binary");
        dir = outDir();

        for (int d = 91; d <= 99 && !display; ++d) {
            const std::string num = std::to_string(d);
            if (fs::exists(fs::path("/tmp") / std::string(".X").append(num).append("-lock")) ||
                fs::exists(fs::path("/tmp/.X11-unix") / std::string("X").append(num)))
                continue;
            const std::string name = std::string(":").append(num);
            auto x = std::make_unique<Process>(
                std::vector<std::string>{"Xvfb", name, "-screen", "0", "2200x1400x24", "-nolisten", "tcp"},
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
        argv.emplace_back(kPluginUri);
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

    /// Stops jalv and waits until its window is gone, so the next Host cannot find it.
    ~Host()
    {
        jalv_.reset();
        if (window_ != 0)
            waitFor(
                [&] {
                    XWindowAttributes a{};
                    return XGetWindowAttributes(g_env->display, window_, &a) == 0;
                },
                5s);
    }
    Host(const Host&) = delete;
    Host& operator=(const Host&) = delete;

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

const std::vector<std::string> kBands{"b1_enable=1", "b1_gain=4",   "b3_enable=1", "b3_gain=-6", "b3_q=2",
                                      "b5_enable=1", "b5_gain=5",   "b5_q=1.4",    "b8_enable=1", "b8_gain=3",
                                      "hp_enable=1", "hp_freq=40",  "hp_slope=3",  "b6_enable=1", "b6_type=3",
                                      "b6_freq=6000", "b6_q=8"};

BOOST_AUTO_TEST_CASE(renders_bands_and_wheel_on_a_node_changes_q)
{
    Image plain;
    {
        Host host("plain");
        plain = host.image();
        writePng(plain, g_env->dir / "eq-ui-default.png");
        checkNotBlank(plain, "default EQ UI");
    }
    Host host("bands", kBands);
    const Image before = host.image();
    writePng(before, g_env->dir / "eq-ui.png");
    BOOST_TEST(before.width == kDesignW);
    BOOST_TEST(before.height == kDesignH);
    checkNotBlank(before, "EQ UI with bands");
    const Diff bands = diff(plain, before);
    BOOST_TEST(bands.count > 2000, "the bands set by the host do not show (" << bands.count << " pixels)");

    // Wheel up over band 3's node (400 Hz, -6 dB): its Q rises, the curves in the graph
    // redraw; the node stays where it is.
    const std::string win = std::to_string(host.window());
    g_env->run({"xdotool", "mousemove", "--sync", "--window", win, std::to_string(static_cast<int>(graphX(400.0))),
                std::to_string(static_cast<int>(graphY(-6.0)))});
    g_env->run({"xdotool", "click", "--repeat", "6", "--delay", "30", "4"});
    const Image after = host.settle();
    writePng(after, g_env->dir / "eq-ui-wheel.png");
    const Diff d = diff(before, after);
    BOOST_TEST_MESSAGE("wheel changed " << d.count << " pixels in [" << d.x0 << "," << d.y0 << "]-[" << d.x1 << ","
                                        << d.y1 << "]");
    BOOST_TEST(d.count > 200, "the wheel over a band node did not change the response");
    BOOST_TEST(d.y0 >= kGraph[1] - 2);
    // Changes stay in the graph and the band panel (the Q knob of band 3, now selected).
    BOOST_TEST(d.x0 >= kGraph[0] - 2);

    // The host window grows; the plugin window follows and lays out again.
    const Window top = topLevelOf(g_env->display, host.window());
    g_env->run({"xdotool", "windowsize", std::to_string(top), "1200", "700"});
    XWindowAttributes attr{};
    const bool grew = waitFor(
        [&] { return XGetWindowAttributes(g_env->display, host.window(), &attr) && attr.width >= 1100; }, 5s);
    BOOST_TEST_MESSAGE("after resizing the host window the plugin window is " << attr.width << "x" << attr.height);
    BOOST_TEST(grew, "the plugin window did not follow the host window's resize");
    if (grew) {
        const Image resized = host.settle();
        writePng(resized, g_env->dir / "eq-ui-resized.png");
        checkNotBlank(resized, "resized EQ UI");
    }
}

BOOST_AUTO_TEST_CASE(scale_factor_two_doubles_the_ui)
{
    Host host("scale2", kBands, {{"DPF_SCALE_FACTOR", "2"}});
    writePng(host.image(), g_env->dir / "eq-ui-scale2.png");
    BOOST_TEST(host.image().width == 2 * kDesignW);
    BOOST_TEST(host.image().height == 2 * kDesignH);
    checkNotBlank(host.image(), "EQ UI at scale factor 2");
}

BOOST_AUTO_TEST_CASE(live_spectrum_and_dynamic_gain_show_the_audio)
{
    // A 440 Hz sine from LSP's oscillator (another jalv on the same JACK server) into the
    // EQ, whose band 3 is a dynamic cut at 440 Hz: the pre/post spectrum appears in the
    // graph and the band's dynamic gain is drawn (dashed total curve, bar at the node).
    Host host("spectrum", {"b3_enable=1", "b3_freq=440", "b3_q=2", "b3_dyn=1", "b3_thresh=-40", "b3_ratio=4",
                           "b3_range=-12", "b6_enable=1", "b6_gain=6"});
    const Image silent = host.image();
    writePng(silent, g_env->dir / "eq-ui-silent.png");
    Process gen({"jalv.gtk3", "--jack-name", "mwgen", "http://lsp-plug.in/plugins/lv2/oscillator_mono"},
                g_env->childEnv(), g_env->dir / "ui-jalv-gen.log");
    std::this_thread::sleep_for(2s);
    for (const char* port : {"mwtest-spectrum:in_l", "mwtest-spectrum:in_r"})
        g_env->run({"jack_connect", "mwgen:out", port});
    // The generator's window may cover ours: move it away and raise the EQ's.
    const Window top = topLevelOf(g_env->display, host.window());
    g_env->run({"xdotool", "search", "--name", "Oscillator", "windowmove", "%@", "1300", "700"});
    g_env->run({"xdotool", "windowraise", std::to_string(top)});
    std::this_thread::sleep_for(1500ms);
    const auto live = grab(g_env->display, host.window());
    BOOST_REQUIRE(live.has_value());
    writePng(*live, g_env->dir / "eq-ui-spectrum.png");
    const Diff d = diff(silent, *live);
    BOOST_TEST_MESSAGE("audio changed " << d.count << " pixels in [" << d.x0 << "," << d.y0 << "]-[" << d.x1 << ","
                                        << d.y1 << "]");
    BOOST_TEST(d.count > 2000, "no spectrum or dynamic gain appeared with audio running");
    BOOST_TEST(d.y0 >= kGraph[1] - 2);
}

BOOST_AUTO_TEST_CASE(numeric_entry_sets_a_band_frequency)
{
    // Right-click on band 1's frequency knob (EqUI.cpp kBandCells[kFreq] = 14,404,72,100),
    // type 1.5k and Enter: the knob reads 1.50 kHz and the band's node moves in the graph.
    Host host("entry", kBands);
    const Image before = host.image();
    const std::string win = std::to_string(host.window());
    g_env->run({"xdotool", "mousemove", "--sync", "--window", win, "50", "454"});
    g_env->run({"xdotool", "click", "3"});
    g_env->run({"xdotool", "type", "--window", win, "--delay", "30", "1.5k"});
    const Image typing = host.settle();
    writePng(typing, g_env->dir / "eq-ui-entry-typing.png");
    g_env->run({"xdotool", "key", "--window", win, "Return"});
    const Image after = host.settle();
    writePng(after, g_env->dir / "eq-ui-entry.png");
    long graphChanged = 0;
    for (int y = kGraph[1]; y < kGraph[1] + kGraph[3]; ++y)
        for (int x = kGraph[0]; x < kGraph[0] + kGraph[2]; ++x)
            graphChanged += before.at(x, y) != after.at(x, y);
    BOOST_TEST_MESSAGE("numeric entry changed " << graphChanged << " graph pixels");
    BOOST_TEST(graphChanged > 500, "typing 1.5k into band 1's frequency did not move the band");
}
