// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// A minimal LV2 X11 UI host for screenshot tests that must not depend on JACK: opens
// a window on $DISPLAY (Xvfb in the tests), instantiates a plugin UI inside it
// (ui:parent, urid:map, ui:idleInterface), sends control values as a host would
// (port_event), idles the UI, grabs the window and writes a PNG. It then checks the
// picture is not blank and, with --gr-port, that the gain-reduction history region
// is painted: the UI drew what the host sent.
//
// Usage: ui_snapshot BUNDLE_DIR UI_SO PLUGIN_URI OUT.png [--gr-port N] [PORT=VALUE ...]

#include <cairo.h>
#include <dlfcn.h>
#include <lv2/ui/ui.h>
#include <lv2/urid/urid.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

std::map<std::string, LV2_URID> g_urids;

LV2_URID mapUri(LV2_URID_Map_Handle, const char* uri)
{
    auto it = g_urids.find(uri);
    if (it != g_urids.end())
        return it->second;
    const auto id = static_cast<LV2_URID>(g_urids.size() + 1);
    g_urids.emplace(uri, id);
    return id;
}

void writeFn(LV2UI_Controller, uint32_t, uint32_t, uint32_t, const void*) {}

int fail(const char* msg)
{
    std::fprintf(stderr, "ui_snapshot: %s\n", msg);
    return 1;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 5)
        return fail("usage: ui_snapshot BUNDLE_DIR UI_SO PLUGIN_URI OUT.png [--gr-port N] [PORT=VALUE ...]");
    const std::string bundle = std::string(argv[1]) + "/";
    const std::string so = bundle + argv[2];
    const char* pluginUri = argv[3];
    const char* out = argv[4];
    int grPort = -1;
    std::vector<std::pair<uint32_t, float>> values;
    for (int i = 5; i < argc; ++i) {
        if (std::strcmp(argv[i], "--gr-port") == 0 && i + 1 < argc) {
            grPort = std::atoi(argv[++i]);
        } else if (const char* eq = std::strchr(argv[i], '=')) {
            values.emplace_back(static_cast<uint32_t>(std::atoi(argv[i])), static_cast<float>(std::atof(eq + 1)));
        }
    }

    Display* dpy = XOpenDisplay(nullptr);
    if (!dpy)
        return fail("cannot open $DISPLAY");
    const int screen = DefaultScreen(dpy);
    const Window parent = XCreateSimpleWindow(dpy, RootWindow(dpy, screen), 0, 0, 640, 360, 0, 0, 0);
    XMapWindow(dpy, parent);
    XSync(dpy, False);

    void* lib = dlopen(so.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        return fail(dlerror());
    auto descFn = reinterpret_cast<LV2UI_DescriptorFunction>(dlsym(lib, "lv2ui_descriptor"));
    if (!descFn)
        return fail("no lv2ui_descriptor");
    const LV2UI_Descriptor* desc = descFn(0);
    if (!desc)
        return fail("no UI descriptor 0");

    LV2_URID_Map map{nullptr, mapUri};
    const LV2_Feature mapFeature{LV2_URID__map, &map};
    const LV2_Feature parentFeature{LV2_UI__parent, reinterpret_cast<void*>(parent)};
    const LV2_Feature* features[] = {&mapFeature, &parentFeature, nullptr};
    LV2UI_Widget widget = nullptr;
    LV2UI_Handle ui = desc->instantiate(desc, pluginUri, bundle.c_str(), writeFn, nullptr, &widget, features);
    if (!ui)
        return fail("UI instantiate failed");
    const auto* idle = desc->extension_data
        ? static_cast<const LV2UI_Idle_Interface*>(desc->extension_data(LV2_UI__idleInterface)) : nullptr;
    if (!idle)
        return fail("UI has no idle interface");

    auto idleFor = [&](int ms) {
        const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        while (std::chrono::steady_clock::now() < end) {
            idle->idle(ui);
            while (XPending(dpy)) {
                XEvent ev;
                XNextEvent(dpy, &ev);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    };
    idleFor(300);
    for (const auto& [port, value] : values)
        desc->port_event(ui, port, sizeof(float), 0, &value);
    if (grPort >= 0) {
        // A gain-reduction trace as a host would deliver it, one reading per idle.
        for (int k = 0; k < 240; ++k) {
            const float gr = static_cast<float>(6.0 + 6.0 * std::sin(k / 15.0) + (k % 40 < 3 ? 6.0 : 0.0));
            desc->port_event(ui, static_cast<uint32_t>(grPort), sizeof(float), 0, &gr);
            idle->idle(ui);
        }
    }
    idleFor(500);

    // The plugin UI is the parent's child; grab the parent (same size).
    XWindowAttributes attr;
    XGetWindowAttributes(dpy, parent, &attr);
    XImage* img = XGetImage(dpy, parent, 0, 0, static_cast<unsigned>(attr.width), static_cast<unsigned>(attr.height),
                            AllPlanes, ZPixmap);
    if (!img)
        return fail("XGetImage failed");
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, img->width, img->height);
    unsigned char* dst = cairo_image_surface_get_data(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    std::set<unsigned long> colours;
    long reddish = 0;
    for (int y = 0; y < img->height; ++y) {
        auto* row = reinterpret_cast<uint32_t*>(dst + y * stride);
        for (int x = 0; x < img->width; ++x) {
            const unsigned long p = XGetPixel(img, x, y);
            row[x] = static_cast<uint32_t>(p & 0xffffff);
            colours.insert(p & 0xffffff);
            const int r = static_cast<int>((p >> 16) & 0xff), g = static_cast<int>((p >> 8) & 0xff);
            // GR history region of the 640x360 design (LimiterUI.cpp kHistoryRect).
            if (x >= 140 && x < 382 && y >= 262 && y < 342 && r > 120 && g < 110)
                ++reddish;
        }
    }
    cairo_surface_mark_dirty(surface);
    const bool written = cairo_surface_write_to_png(surface, out) == CAIRO_STATUS_SUCCESS;
    std::printf("screenshot %s: %dx%d, %zu colours, %ld red pixels in the GR history\n", out, img->width, img->height,
                colours.size(), reddish);
    cairo_surface_destroy(surface);
    XDestroyImage(img);
    desc->cleanup(ui);
    XDestroyWindow(dpy, parent);
    XCloseDisplay(dpy);
    if (!written)
        return fail("PNG not written");
    if (colours.size() < 20)
        return fail("the window is (nearly) blank");
    if (grPort >= 0 && reddish < 500)
        return fail("the gain-reduction history is not drawn");
    return 0;
}
