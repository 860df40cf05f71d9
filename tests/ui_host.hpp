// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// The UI tests' host, on top of ui_harness.hpp: one Xvfb and one JACK server per test
// program (Environment, made by the global fixture from the test's uiSetup()), and
// jalv.gtk3 showing one plugin's UI, embedded through suil (Host). Each UI test is
// one translation unit that includes this once and defines uiSetup().

#pragma once

#include "ui_harness.hpp"

#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace {

constexpr auto kWindowTimeout = 20s;

/// A plugin whose UI a Host shows: its URI and its window's WM_CLASS, matched as a
/// part (DPF's pugl window carries "<brand>-<plugin name>").
struct UiPlugin {
    std::string uri, windowClass;
};

/// What a UI test program needs.
struct UiSetup {
    std::vector<std::pair<std::string, std::string>> bundles; // bundle (without .lv2), a binary it must hold
    std::string screen;                                        // Xvfb's screen, "WxHxD"
    UiPlugin plugin;                                           // the plugin a Host shows unless told
};

/// Defined by each UI test (in an anonymous namespace, as everything here).
UiSetup uiSetup();

// DPF's pugl window carries WM_CLASS "<brand>-<plugin name>"; the jalv frame does not.
Window findPluginWindow(Display* dpy, Window root, const std::string& windowClass)
{
    std::vector<Window> stack{root};
    while (!stack.empty()) {
        const Window w = stack.back();
        stack.pop_back();
        XClassHint hint{};
        if (XGetClassHint(dpy, w, &hint)) {
            const bool match = hint.res_class && std::strstr(hint.res_class, windowClass.c_str()) != nullptr;
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

[[maybe_unused]] Window topLevelOf(Display* dpy, Window w)
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
    explicit Environment(const UiSetup& setup)
    {
        std::signal(SIGTERM, killChildrenAndExit);
        std::signal(SIGINT, killChildrenAndExit);
        XSetErrorHandler([](Display*, XErrorEvent*) { return 0; }); // windows vanish while we walk the tree

        for (const char* tool : {"Xvfb", "jackd", "jalv.gtk3", "xdotool"})
            BOOST_REQUIRE_MESSAGE(onPath(tool), tool << " not found on PATH: the ui suite needs Xvfb, jackd, "
                                                           "jalv.gtk3 and xdotool (apt install xvfb jackd2 jalv "
                                                           "xdotool)");
        for (const auto& [name, binary] : setup.bundles) {
            const fs::path bundle = findBundle(name + ".lv2");
            BOOST_REQUIRE_MESSAGE(!bundle.empty(), name << ".lv2 is not on LV2_PATH (run through meson test)");
            BOOST_REQUIRE_MESSAGE(fs::exists(bundle / binary), name << ".lv2 has no " << binary);
        }
        dir = outDir();

        for (int d = 91; d <= 99 && !display; ++d) {
            const std::string num = std::to_string(d);
            if (fs::exists(fs::path("/tmp") / std::string(".X").append(num).append("-lock")) ||
                fs::exists(fs::path("/tmp/.X11-unix") / std::string("X").append(num)))
                continue;
            const std::string name = std::string(":").append(num);
            auto x = std::make_unique<Process>(
                std::vector<std::string>{"Xvfb", name, "-screen", "0", setup.screen, "-nolisten", "tcp"},
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
/// The plugin a Host shows unless told (uiSetup()'s; a test may switch it).
UiPlugin g_plugin;

struct GlobalFixture {
    GlobalFixture()
    {
        UiSetup setup = uiSetup();
        g_plugin = setup.plugin;
        g_env = new Environment(setup);
    }
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
                  const UiPlugin& plugin = g_plugin)
        : log_(g_env->dir / ("ui-jalv-" + tag + ".log"))
    {
        std::vector<std::string> argv{"jalv.gtk3", "--jack-name", "mwtest-" + tag};
        for (const auto& c : controls) {
            argv.emplace_back("-c");
            argv.push_back(c);
        }
        argv.push_back(plugin.uri);
        jalv_ = std::make_unique<Process>(argv, g_env->childEnv(std::move(env)), log_);

        Display* dpy = g_env->display;
        const bool shown = waitFor(
            [&] {
                window_ = findPluginWindow(dpy, DefaultRootWindow(dpy), plugin.windowClass);
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
