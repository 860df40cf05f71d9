// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// The EQ UI through a real host (tests/ui_host.hpp): a private Xvfb and
// JACK server, jalv.gtk3 embedding the DPF X11 UI via suil. Grabs the plugin window,
// writes PNGs (eq-ui*.png) to MIXWRIGHT_SCREENSHOT_DIR and checks that the UI draws the
// bands the host set, that the wheel over a band node changes that band's Q (the
// curve redraws inside the graph only), and that it follows a window resize and a
// scale factor of 2. Missing tools are a failure, never a skip.

#define BOOST_TEST_MODULE eq_ui
#include <boost/test/unit_test.hpp>

#include "ui_host.hpp"

#include <cmath>

namespace {

constexpr int kDesignW = 900; // EqUI's design grid (DISTRHO_UI_DEFAULT_WIDTH/HEIGHT)
constexpr int kDesignH = 520;
// The graph in that grid (EqUI.cpp, kGraph) and its scales: 20 Hz..20 kHz, +-27 dB.
constexpr int kGraph[4] = {10, 46, 880, 250};
double graphX(double f) { return kGraph[0] + kGraph[2] * std::log(f / 20.0) / std::log(1000.0); }
double graphY(double db) { return kGraph[1] + kGraph[3] * (0.5 - 0.5 * db / 27.0); }

UiSetup uiSetup()
{
    return {{{"mixwright-eq", "mixwright-eq_dsp.so"}}, "2200x1400x24", {"urn:mixwright:eq", "Mixwright EQ"}};
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
