// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// The Mixwright look: one dark studio palette and one set of font sizes shared by
// every plugin UI, so the suite reads as one product. Sizes are in unscaled pixels;
// widgets multiply them by their scale factor.

#pragma once

#include <cairo.h>

namespace mixwright::ui {

struct Color {
    double r = 0.0;
    double g = 0.0;
    double b = 0.0;
    double a = 1.0;

    static constexpr Color rgb(unsigned hex, double alpha = 1.0)
    {
        return {((hex >> 16) & 0xff) / 255.0, ((hex >> 8) & 0xff) / 255.0, (hex & 0xff) / 255.0, alpha};
    }
    constexpr Color withAlpha(double alpha) const { return {r, g, b, alpha}; }
    void apply(cairo_t* cr) const { cairo_set_source_rgba(cr, r, g, b, a); }
};

struct Theme {
    Color background = Color::rgb(0x17191d);
    Color header = Color::rgb(0x1f2227);
    Color panel = Color::rgb(0x23262c);
    Color panelBorder = Color::rgb(0x33373f);
    Color panelTitle = Color::rgb(0x8a93a3);
    Color text = Color::rgb(0xe4e7ec);
    Color textDim = Color::rgb(0x9aa2b1);
    Color accent = Color::rgb(0x4fb3ff);      // values, active arcs
    Color brand = Color::rgb(0xff9d3c);       // logo, bypass
    Color control = Color::rgb(0x2e3239);     // knob body, button face
    Color controlEdge = Color::rgb(0x464b55);
    Color track = Color::rgb(0x383c44);       // knob track, meter trough
    Color toggleOn = Color::rgb(0x2f7fc1);
    Color meterLow = Color::rgb(0x3ccf6e);
    Color meterMid = Color::rgb(0xe5c33b);
    Color meterHigh = Color::rgb(0xf0503c);
    Color negative = Color::rgb(0xf0503c);    // correlation below zero

    const char* fontFace = "DejaVu Sans";
    double fontSmall = 9.0;    // scales, units
    double fontNormal = 10.5;  // labels, values
    double fontTitle = 15.0;   // plugin title
    double cornerRadius = 4.0;
    double lineWidth = 1.0;
};

inline const Theme& defaultTheme()
{
    static const Theme theme;
    return theme;
}

} // namespace mixwright::ui
