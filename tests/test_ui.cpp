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

#include "ui_host.hpp"

namespace {

constexpr int kDesignW = 640; // UtilityUI's design grid (DISTRHO_UI_DEFAULT_WIDTH/HEIGHT)
constexpr int kDesignH = 320;
// Centre of the Trim knob and its cell in that grid (UtilityUI.cpp, kCells[kTrim]).
constexpr double kTrimX = 66.0;
constexpr double kTrimY = 120.0;
constexpr int kTrimCell[4] = {16, 72, 100, 96};
const UiPlugin kMeter{"urn:mixwright:meter", "Mixwright Meter"};

UiSetup uiSetup()
{
    return {{{"mixwright-utility", "mixwright-utility_ui.so"}, {"mixwright-meter", "mixwright-meter_dsp.so"}},
            "1600x1000x24",
            {"urn:mixwright:utility", "Mixwright Utility"}};
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
        Host host("meter", {}, {}, kMeter);
        plain = host.image();
        writePng(plain, g_env->dir / "meter-ui.png");
        BOOST_TEST(plain.width == meter::kW);
        BOOST_TEST(plain.height == meter::kH);
        checkNotBlank(plain, "Meter UI");
    }
    {
        // EBU R128 (index 7 in data/delivery-targets.json): target text, enum and the
        // graph's target line move.
        Host host("meter-ebu", {"target=7"}, {}, kMeter);
        writePng(host.image(), g_env->dir / "meter-ui-ebu.png");
        const Diff d = diff(plain, host.image());
        BOOST_TEST(d.count > 200, "target=7 did not change the Meter UI (" << d.count << " pixels)");
    }
    // HiDPI: scale 1.5.
    Host host("meter-scale15", {}, {{"DPF_SCALE_FACTOR", "1.5"}}, kMeter);
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
        Host host("meter-live", {}, {}, kMeter);
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
    Host hidpi("meter-live15", {}, {{"DPF_SCALE_FACTOR", "1.5"}}, kMeter);
    gen.feed("mwtest-meter-live15", hidpi.window());
    const auto live15 = grab(g_env->display, hidpi.window());
    BOOST_REQUIRE(live15.has_value());
    writePng(*live15, g_env->dir / "meter-ui-live-scale15.png");
    BOOST_TEST(meter::changedIn(hidpi.image(), *live15, meter::kStereo, 1.5) > 2000,
               "the goniometer shows nothing at scale 1.5");
}
