// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC

#include "DynamicsWidgets.hpp"

#include "Widgets.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>


namespace mixwright::ui {

using DGL_NAMESPACE::CairoGraphicsContext;
using DGL_NAMESPACE::Widget;

namespace {
void placeWidget(DGL_NAMESPACE::CairoSubWidget& w, double x, double y, double width, double height)
{
    w.setAbsolutePos(static_cast<int>(std::lround(x)), static_cast<int>(std::lround(y)));
    w.setSize(static_cast<uint>(std::max(1l, std::lround(width))), static_cast<uint>(std::max(1l, std::lround(height))));
}
} // namespace

// --- TransferCurveView ------------------------------------------------------------------

TransferCurveView::TransferCurveView(Widget* parent, const Theme& theme)
    : CairoSubWidget(parent)
    , theme_(theme)
{
}

void TransferCurveView::setCurve(Curve curve)
{
    curve_ = std::move(curve);
    repaint();
}

void TransferCurveView::setRange(float minDb, float maxDb)
{
    minDb_ = minDb;
    maxDb_ = maxDb;
    repaint();
}

void TransferCurveView::setMarkers(float threshold, float secondary)
{
    threshold_ = threshold;
    secondary_ = secondary;
    repaint();
}

void TransferCurveView::setLevel(float db)
{
    if (db == level_)
        return;
    level_ = db;
    repaint();
}

void TransferCurveView::setScale(double scale)
{
    scale_ = scale;
    repaint();
}

void TransferCurveView::setBounds(double x, double y, double w, double h) { placeWidget(*this, x, y, w, h); }

void TransferCurveView::onCairoDisplay(const CairoGraphicsContext& context)
{
    cairo_t* const cr = context.handle;
    const double w = getWidth(), h = getHeight();
    const double pad = s(22.0); // room for the axis labels, left and bottom
    const double x0 = pad, y0 = s(4.0), pw = w - pad - s(4.0), ph = h - pad - s(4.0);
    const double span = maxDb_ - minDb_;
    auto px = [&](double db) { return x0 + (db - minDb_) / span * pw; };
    auto py = [&](double db) { return y0 + ph - (db - minDb_) / span * ph; };

    theme_.track.withAlpha(0.35).apply(cr);
    cairo_rectangle(cr, x0, y0, pw, ph);
    cairo_fill(cr);

    // Grid every 12 dB, labelled on both axes.
    cairo_set_line_width(cr, s(1.0));
    for (double db = std::ceil(minDb_ / 12.0) * 12.0; db <= maxDb_ + 0.01; db += 12.0) {
        theme_.panelBorder.apply(cr);
        cairo_move_to(cr, std::round(px(db)) + 0.5, y0);
        cairo_line_to(cr, std::round(px(db)) + 0.5, y0 + ph);
        cairo_move_to(cr, x0, std::round(py(db)) + 0.5);
        cairo_line_to(cr, x0 + pw, std::round(py(db)) + 0.5);
        cairo_stroke(cr);
        char buf[16];
        std::snprintf(buf, sizeof buf, "%.0f", db);
        drawText(cr, theme_, buf, px(db), y0 + ph + s(9.0), theme_.fontSmall * scale_, theme_.textDim);
        drawText(cr, theme_, buf, x0 - s(3.0), py(db), theme_.fontSmall * scale_, theme_.textDim, Align::Right);
    }
    // Unity line.
    theme_.textDim.withAlpha(0.4).apply(cr);
    cairo_move_to(cr, px(minDb_), py(minDb_));
    cairo_line_to(cr, px(maxDb_), py(maxDb_));
    cairo_stroke(cr);

    const double dash[] = {s(3.0), s(3.0)};
    for (const float m : {threshold_, secondary_}) {
        if (!(m >= minDb_ && m <= maxDb_))
            continue;
        cairo_set_dash(cr, dash, 2, 0.0);
        theme_.brand.withAlpha(m == threshold_ ? 0.7 : 0.4).apply(cr);
        cairo_move_to(cr, std::round(px(m)) + 0.5, y0);
        cairo_line_to(cr, std::round(px(m)) + 0.5, y0 + ph);
        cairo_stroke(cr);
        cairo_set_dash(cr, nullptr, 0, 0.0);
    }

    if (curve_) {
        cairo_save(cr);
        cairo_rectangle(cr, x0, y0, pw, ph);
        cairo_clip(cr);
        cairo_set_line_width(cr, s(2.0));
        theme_.accent.apply(cr);
        const int steps = std::max(2, static_cast<int>(pw));
        for (int i = 0; i <= steps; ++i) {
            const double in = minDb_ + span * i / steps;
            const double out = curve_(static_cast<float>(in));
            if (i == 0)
                cairo_move_to(cr, px(in), py(out));
            else
                cairo_line_to(cr, px(in), py(out));
        }
        cairo_stroke(cr);

        // The live detector level on the curve.
        if (level_ >= minDb_) {
            const double in = std::min<double>(level_, maxDb_);
            const double out = curve_(static_cast<float>(in));
            cairo_arc(cr, px(in), py(out), s(5.0), 0.0, 2.0 * M_PI);
            theme_.brand.apply(cr);
            cairo_fill_preserve(cr);
            theme_.background.apply(cr);
            cairo_set_line_width(cr, s(1.5));
            cairo_stroke(cr);
        }
        cairo_restore(cr);
    }
    drawText(cr, theme_, "in dB", x0 + pw - s(2.0), y0 + ph - s(8.0), theme_.fontSmall * scale_, theme_.textDim,
             Align::Right);
}

// --- GainReductionHistory ---------------------------------------------------------------

GainReductionHistory::GainReductionHistory(Widget* parent, const Theme& theme)
    : CairoSubWidget(parent)
    , theme_(theme)
{
}

void GainReductionHistory::push(float grDb)
{
    values_[head_] = std::isfinite(grDb) ? std::max(0.f, grDb) : 0.f;
    head_ = (head_ + 1) % kLength;
    repaint();
}

void GainReductionHistory::setRangeDb(float rangeDb)
{
    rangeDb_ = std::max(1.f, rangeDb);
    repaint();
}

void GainReductionHistory::setScale(double scale)
{
    scale_ = scale;
    repaint();
}

void GainReductionHistory::setBounds(double x, double y, double w, double h) { placeWidget(*this, x, y, w, h); }

void GainReductionHistory::onCairoDisplay(const CairoGraphicsContext& context)
{
    cairo_t* const cr = context.handle;
    const double w = getWidth(), h = getHeight();
    const double readoutW = s(70.0);
    const double gx = 0.0, gw = w - readoutW - s(6.0), gy = 0.0, gh = h;

    roundedRect(cr, gx, gy, gw, gh, s(3.0));
    theme_.track.withAlpha(0.35).apply(cr);
    cairo_fill(cr);

    // Grid: 3, 6, 12, 24 dB (those inside the range).
    cairo_set_line_width(cr, s(1.0));
    for (const double db : {3.0, 6.0, 12.0, 24.0, 48.0}) {
        if (db >= rangeDb_)
            continue;
        const double y = std::round(gy + db / rangeDb_ * gh) + 0.5;
        theme_.panelBorder.apply(cr);
        cairo_move_to(cr, gx, y);
        cairo_line_to(cr, gx + gw, y);
        cairo_stroke(cr);
        char buf[8];
        std::snprintf(buf, sizeof buf, "%.0f", db);
        drawText(cr, theme_, buf, gx + s(4.0), y - s(6.0), theme_.fontSmall * scale_, theme_.textDim, Align::Left);
    }

    // Trace, oldest at the left.
    cairo_move_to(cr, gx, gy);
    for (std::size_t i = 0; i < kLength; ++i) {
        const float v = values_[(head_ + i) % kLength];
        const double x = gx + gw * static_cast<double>(i) / static_cast<double>(kLength - 1);
        cairo_line_to(cr, x, gy + std::min(1.0, static_cast<double>(v / rangeDb_)) * gh);
    }
    cairo_line_to(cr, gx + gw, gy);
    cairo_close_path(cr);
    theme_.brand.withAlpha(0.35).apply(cr);
    cairo_fill_preserve(cr);
    theme_.brand.apply(cr);
    cairo_set_line_width(cr, s(1.5));
    cairo_stroke(cr);

    // Current value.
    char buf[24];
    const double gr = latest();
    std::snprintf(buf, sizeof buf, gr >= 0.05 ? "-%.1f dB" : "%.1f dB", gr);
    drawText(cr, theme_, caption_, w - readoutW * 0.5, h * 0.3, theme_.fontSmall * scale_, theme_.textDim);
    drawText(cr, theme_, buf, w - readoutW * 0.5, h * 0.6, theme_.fontNormal * scale_ * 1.2, theme_.text,
             Align::Centre, true);
}

} // namespace mixwright::ui
