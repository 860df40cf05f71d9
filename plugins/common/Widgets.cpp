// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC

#include "Widgets.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>

namespace mixwright::ui {

using DGL_NAMESPACE::CairoGraphicsContext;
using DGL_NAMESPACE::CairoSubWidget;
using DGL_NAMESPACE::Widget;
using params::Spec;
using params::Unit;

namespace {

constexpr double kPi = std::numbers::pi;
// Knob sweep: 270 degrees with the gap at the bottom, the convention of hardware pots.
constexpr double kArcStart = 0.75 * kPi;
constexpr double kArcSweep = 1.5 * kPi;
// A full-range drag is this many design pixels; Shift makes it ten times finer.
constexpr double kDragPixels = 220.0;
constexpr double kFineFactor = 0.1;
constexpr double kWheelStep = 0.02;
constexpr std::uint32_t kDoubleClickMs = 350;
constexpr auto kHoldTime = std::chrono::milliseconds(1500);

std::string printf1(const char* format, double value)
{
    std::array<char, 64> buf{};
    std::snprintf(buf.data(), buf.size(), format, value);
    return buf.data();
}

void setFont(cairo_t* cr, const Theme& theme, double size, bool bold)
{
    cairo_select_font_face(cr, theme.fontFace, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

double textWidth(cairo_t* cr, const std::string& text)
{
    cairo_text_extents_t ext;
    cairo_text_extents(cr, text.c_str(), &ext);
    return ext.x_advance;
}

// Draws with the current font; y is the vertical centre of the line, so text sits in
// the middle of a cell independent of the font's ascent.
void showText(cairo_t* cr, const std::string& text, double x, double y, const Color& color, Align align)
{
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    const double w = textWidth(cr, text);
    double left = x;
    if (align == Align::Centre)
        left = x - 0.5 * w;
    else if (align == Align::Right)
        left = x - w;
    color.apply(cr);
    cairo_move_to(cr, std::round(left), std::round(y + 0.5 * (fe.ascent - fe.descent)));
    cairo_show_text(cr, text.c_str());
    // show_text leaves a current point; without this the next arc would join it.
    cairo_new_path(cr);
}

bool isBipolar(const Spec& spec) { return spec.min < 0.f && spec.max > 0.f && !spec.is(params::kLog); }

} // namespace

std::string formatValue(const Spec& spec, float value)
{
    value = spec.clamp(value);
    if (spec.is(params::kEnum)) {
        const auto i = static_cast<std::size_t>(value - spec.min);
        return i < spec.labels.size() ? std::string(spec.labels[i]) : std::string();
    }
    if (spec.is(params::kToggle))
        return value >= 0.5f ? "On" : "Off";

    switch (spec.unit) {
    case Unit::dB:
    case Unit::dBFS:
        if (spec.is(params::kOutput) && value <= spec.min)
            return "-inf";
        if (std::fabs(value) < 0.05f)
            return "0.0 dB";
        return printf1("%+.1f dB", value);
    case Unit::Hz:
        if (value >= 1000.f)
            return printf1("%.2f kHz", value / 1000.0);
        return printf1(value < 100.f ? "%.1f Hz" : "%.0f Hz", value);
    case Unit::ms:
        return printf1(value < 100.f ? "%.2f ms" : "%.1f ms", value);
    case Unit::percent:
        return printf1("%.0f %%", value);
    case Unit::samples:
        return printf1("%.0f smp", value);
    case Unit::coef:
        return printf1("%+.2f", value);
    case Unit::LUFS:
    case Unit::dBTP:
        if (spec.is(params::kOutput) && value <= spec.min)
            return "-inf";
        return printf1(spec.unit == Unit::LUFS ? "%.1f LUFS" : "%.1f dBTP", value);
    case Unit::LU:
        return printf1("%.1f LU", value);
    case Unit::None:
        break;
    }
    if (spec.is(params::kInteger) || spec.max - spec.min >= 100.f)
        return printf1("%.0f", value);
    return printf1("%.2f", value);
}

void drawText(cairo_t* cr, const Theme& theme, const std::string& text, double x, double y, double fontSize,
              const Color& color, Align align, bool bold)
{
    setFont(cr, theme, fontSize, bold);
    showText(cr, text, x, y, color, align);
}

void drawTextFitted(cairo_t* cr, const Theme& theme, const std::string& text, double x, double y,
                    double maxWidth, double fontSize, const Color& color, Align align, bool bold)
{
    setFont(cr, theme, fontSize, bold);
    const double w = textWidth(cr, text);
    if (w <= maxWidth) {
        showText(cr, text, x, y, color, align);
        return;
    }
    // Hinted text does not scale exactly with the font size: 3 % spare, so a text that
    // can fit shrunk is not also truncated by a character.
    const double shrunk = std::max(0.7, 0.97 * maxWidth / w) * fontSize;
    setFont(cr, theme, shrunk, bold);
    std::string fitted = text;
    while (fitted.size() > 1 && textWidth(cr, fitted) > maxWidth) {
        fitted.pop_back();
        while (!fitted.empty() && (static_cast<unsigned char>(fitted.back()) & 0xc0) == 0x80)
            fitted.pop_back(); // never cut a UTF-8 sequence in half
        fitted.back() = '.';
    }
    showText(cr, fitted, x, y, color, align);
}

void roundedRect(cairo_t* cr, double x, double y, double w, double h, double r)
{
    r = std::min({r, 0.5 * w, 0.5 * h});
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -0.5 * kPi, 0.0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0.0, 0.5 * kPi);
    cairo_arc(cr, x + r, y + h - r, r, 0.5 * kPi, kPi);
    cairo_arc(cr, x + r, y + r, r, kPi, 1.5 * kPi);
    cairo_close_path(cr);
}

void drawBackgroundAndHeader(cairo_t* cr, const Theme& theme, double width, double headerH, double textX,
                             const char* name, double scale)
{
    theme.background.apply(cr);
    cairo_paint(cr);
    theme.header.apply(cr);
    cairo_rectangle(cr, 0, 0, width, headerH);
    cairo_fill(cr);
    theme.panelBorder.apply(cr);
    cairo_rectangle(cr, 0, headerH - 1.0, width, 1.0);
    cairo_fill(cr);

    const double ty = 0.5 * headerH;
    drawText(cr, theme, "MIXWRIGHT", textX, ty, theme.fontTitle * scale, theme.brand, Align::Left, true);
    cairo_text_extents_t ext;
    cairo_text_extents(cr, "MIXWRIGHT", &ext);
    drawText(cr, theme, name, textX + ext.x_advance + 8.0 * scale, ty, theme.fontTitle * scale, theme.text, Align::Left,
             false);
}

void drawPanel(cairo_t* cr, const Theme& theme, double x, double y, double w, double h, const std::string& title,
               double scale)
{
    const double r = theme.cornerRadius * scale;
    roundedRect(cr, x + 0.5, y + 0.5, w - 1.0, h - 1.0, r);
    theme.panel.apply(cr);
    cairo_fill_preserve(cr);
    cairo_set_line_width(cr, theme.lineWidth * scale);
    theme.panelBorder.apply(cr);
    cairo_stroke(cr);

    const double strip = 22.0 * scale;
    cairo_move_to(cr, x + 8.0 * scale, y + strip);
    cairo_line_to(cr, x + w - 8.0 * scale, y + strip);
    theme.panelBorder.apply(cr);
    cairo_stroke(cr);
    drawText(cr, theme, title, x + 10.0 * scale, y + 0.5 * strip + 0.5, theme.fontSmall * scale, theme.panelTitle,
             Align::Left, true);
}

// --- ParamWidget ---------------------------------------------------------------------

ParamWidget::ParamWidget(Widget* parent, std::uint32_t index, const Spec& spec, ParamListener& listener,
                         const Theme& theme)
    : CairoSubWidget(parent)
    , spec_(spec)
    , theme_(theme)
    , index_(index)
    , listener_(listener)
    , value_(spec.def)
{
}

void ParamWidget::setValue(float value)
{
    value = spec_.clamp(value);
    if (value == value_)
        return;
    value_ = value;
    repaint();
}

void ParamWidget::setScale(double scale)
{
    scale_ = scale;
    repaint();
}

void ParamWidget::setBounds(double x, double y, double w, double h)
{
    setAbsolutePos(static_cast<int>(std::lround(x)), static_cast<int>(std::lround(y)));
    setSize(static_cast<uint>(std::max(1l, std::lround(w))), static_cast<uint>(std::max(1l, std::lround(h))));
}

void ParamWidget::setFormatter(std::function<std::string(float)> formatter)
{
    formatter_ = std::move(formatter);
    repaint();
}

std::string ParamWidget::displayText() const { return formatter_ ? formatter_(value_) : formatValue(spec_, value_); }

bool ParamWidget::userSet(float value)
{
    value = spec_.clamp(value);
    if (value == value_)
        return false;
    value_ = value;
    listener_.paramValueChanged(*this, value_);
    repaint();
    return true;
}

void ParamWidget::beginGesture()
{
    if (inGesture_)
        return;
    inGesture_ = true;
    listener_.paramGestureBegin(*this);
}

void ParamWidget::endGesture()
{
    if (!inGesture_)
        return;
    inGesture_ = false;
    listener_.paramGestureEnd(*this);
}

// --- Knob ------------------------------------------------------------------------------

void Knob::onCairoDisplay(const CairoGraphicsContext& context)
{
    cairo_t* const cr = context.handle;
    const double w = getWidth();
    const double h = getHeight();
    const double label = s(16.0);
    const double valueLine = s(16.0);

    drawTextFitted(cr, theme_, std::string(spec_.shortName), 0.5 * w, 0.5 * label, w - s(2.0),
                   theme_.fontNormal * scale_, theme_.textDim);

    const double d = std::min({w - s(8.0), h - label - valueLine - s(4.0), s(60.0)});
    if (d > s(8.0)) {
        const double r = 0.5 * d;
        const double cx = 0.5 * w;
        const double cy = label + s(2.0) + 0.5 * (h - label - valueLine - s(4.0));
        const double norm = params::toNormalised(spec_, value_);
        const double from = isBipolar(spec_) ? params::toNormalised(spec_, 0.f) : 0.0;
        const double trackW = std::max(1.5, s(3.5));

        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_line_width(cr, trackW);
        theme_.track.apply(cr);
        cairo_arc(cr, cx, cy, r - 0.5 * trackW, kArcStart, kArcStart + kArcSweep);
        cairo_stroke(cr);

        const double a0 = kArcStart + kArcSweep * std::min(from, norm);
        const double a1 = kArcStart + kArcSweep * std::max(from, norm);
        if (a1 - a0 > 1e-3) {
            theme_.accent.apply(cr);
            cairo_arc(cr, cx, cy, r - 0.5 * trackW, a0, a1);
            cairo_stroke(cr);
        }

        // Body: a soft vertical gradient reads as a lit cap without skeuomorphic detail.
        const double br = r - trackW - s(3.0);
        cairo_pattern_t* grad = cairo_pattern_create_linear(0, cy - br, 0, cy + br);
        const Color top = theme_.controlEdge;
        const Color bottom = theme_.control;
        cairo_pattern_add_color_stop_rgb(grad, 0.0, top.r, top.g, top.b);
        cairo_pattern_add_color_stop_rgb(grad, 1.0, bottom.r, bottom.g, bottom.b);
        cairo_arc(cr, cx, cy, br, 0, 2 * kPi);
        cairo_set_source(cr, grad);
        cairo_fill_preserve(cr);
        cairo_pattern_destroy(grad);
        cairo_set_line_width(cr, std::max(1.0, s(1.0)));
        theme_.background.apply(cr);
        cairo_stroke(cr);

        const double angle = kArcStart + kArcSweep * norm;
        cairo_set_line_width(cr, std::max(1.5, s(2.2)));
        theme_.text.apply(cr);
        cairo_move_to(cr, cx + std::cos(angle) * br * 0.25, cy + std::sin(angle) * br * 0.25);
        cairo_line_to(cr, cx + std::cos(angle) * (br - s(2.5)), cy + std::sin(angle) * (br - s(2.5)));
        cairo_stroke(cr);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    }

    drawTextFitted(cr, theme_, displayText(), 0.5 * w, h - 0.5 * valueLine, w - s(2.0), theme_.fontNormal * scale_,
                   dragging_ ? theme_.accent : theme_.text);
}

void Knob::nudge(double normalisedDelta)
{
    dragNorm_ = std::clamp(dragNorm_ + normalisedDelta, 0.0, 1.0);
    userSet(params::fromNormalised(spec_, static_cast<float>(dragNorm_)));
}

bool Knob::onMouse(const MouseEvent& ev)
{
    if (ev.button != DGL_NAMESPACE::kMouseButtonLeft)
        return false;
    if (!ev.press) {
        if (!dragging_)
            return false;
        dragging_ = false;
        endGesture();
        repaint();
        return true;
    }
    if (!contains(ev.pos))
        return false;

    if (lastPressTime_ != 0 && ev.time - lastPressTime_ < kDoubleClickMs) {
        lastPressTime_ = 0;
        dragging_ = false;
        beginGesture();
        userSet(spec_.def);
        endGesture();
        return true;
    }
    lastPressTime_ = ev.time;
    dragging_ = true;
    lastY_ = ev.pos.getY();
    dragNorm_ = params::toNormalised(spec_, value_);
    beginGesture();
    repaint();
    return true;
}

bool Knob::onMotion(const MotionEvent& ev)
{
    if (!dragging_)
        return false;
    const double dy = lastY_ - ev.pos.getY();
    lastY_ = ev.pos.getY();
    const double fine = (ev.mod & DGL_NAMESPACE::kModifierShift) != 0 ? kFineFactor : 1.0;
    nudge(dy / s(kDragPixels) * fine);
    return true;
}

bool Knob::onScroll(const ScrollEvent& ev)
{
    if (!contains(ev.pos))
        return false;
    dragNorm_ = params::toNormalised(spec_, value_);
    const double fine = (ev.mod & DGL_NAMESPACE::kModifierShift) != 0 ? kFineFactor : 1.0;
    beginGesture();
    if (spec_.is(params::kInteger) && spec_.max - spec_.min <= 50.f) {
        // Small integer ranges: one wheel notch is one step, not a fraction of the range.
        userSet(value_ + static_cast<float>(ev.delta.getY() >= 0 ? 1 : -1));
    } else {
        nudge(ev.delta.getY() * kWheelStep * fine);
    }
    endGesture();
    return true;
}

// --- Toggle ----------------------------------------------------------------------------

Toggle::Toggle(Widget* parent, std::uint32_t index, const Spec& spec, ParamListener& listener, const Theme& theme)
    : ParamWidget(parent, index, spec, listener, theme)
    , onColor_(theme.toggleOn)
{
}

void Toggle::onCairoDisplay(const CairoGraphicsContext& context)
{
    cairo_t* const cr = context.handle;
    const double w = getWidth();
    const double h = getHeight();
    const double bh = std::min(h - 2.0, s(24.0));
    const double y = 0.5 * (h - bh);
    const bool on = value_ >= 0.5f * (spec_.min + spec_.max);

    roundedRect(cr, 1.0, y, w - 2.0, bh, theme_.cornerRadius * scale_);
    (on ? onColor_ : theme_.control).apply(cr);
    cairo_fill_preserve(cr);
    cairo_set_line_width(cr, std::max(1.0, s(1.0)));
    (on ? onColor_.withAlpha(0.6) : theme_.controlEdge).apply(cr);
    cairo_stroke(cr);

    // The LED keeps state readable in greyscale and for colour-blind users.
    const double ledR = s(3.5);
    const double ledX = 1.0 + s(10.0);
    cairo_arc(cr, ledX, y + 0.5 * bh, ledR, 0, 2 * kPi);
    (on ? Color{1.0, 1.0, 1.0, 0.95} : theme_.background).apply(cr);
    cairo_fill(cr);

    const double textLeft = ledX + ledR + s(4.0);
    drawTextFitted(cr, theme_, std::string(spec_.shortName), 0.5 * (textLeft + w - s(4.0)), y + 0.5 * bh,
                   w - s(4.0) - textLeft, theme_.fontNormal * scale_, on ? theme_.text : theme_.textDim,
                   Align::Centre, on);
}

bool Toggle::onMouse(const MouseEvent& ev)
{
    if (ev.button != DGL_NAMESPACE::kMouseButtonLeft || !ev.press || !contains(ev.pos))
        return false;
    const bool on = value_ >= 0.5f * (spec_.min + spec_.max);
    beginGesture();
    userSet(on ? spec_.min : spec_.max);
    endGesture();
    return true;
}

// --- EnumSelector ----------------------------------------------------------------------

void EnumSelector::onCairoDisplay(const CairoGraphicsContext& context)
{
    cairo_t* const cr = context.handle;
    const double w = getWidth();
    const double h = getHeight();
    const double label = s(16.0);
    const double bh = std::min(h - label - 1.0, s(24.0));
    const double y = label + 0.5 * (h - label - bh);

    drawTextFitted(cr, theme_, std::string(spec_.shortName), 0.5 * w, 0.5 * label, w, theme_.fontNormal * scale_,
                   theme_.textDim);

    roundedRect(cr, 1.0, y, w - 2.0, bh, theme_.cornerRadius * scale_);
    theme_.background.apply(cr);
    cairo_fill_preserve(cr);
    cairo_set_line_width(cr, std::max(1.0, s(1.0)));
    theme_.controlEdge.apply(cr);
    cairo_stroke(cr);

    const double arrow = s(3.5);
    const double cy = y + 0.5 * bh;
    theme_.accent.apply(cr);
    cairo_move_to(cr, s(7.0), cy);
    cairo_line_to(cr, s(7.0) + arrow, cy - arrow);
    cairo_line_to(cr, s(7.0) + arrow, cy + arrow);
    cairo_close_path(cr);
    cairo_fill(cr);
    cairo_move_to(cr, w - s(7.0), cy);
    cairo_line_to(cr, w - s(7.0) - arrow, cy - arrow);
    cairo_line_to(cr, w - s(7.0) - arrow, cy + arrow);
    cairo_close_path(cr);
    cairo_fill(cr);

    drawTextFitted(cr, theme_, displayText(), 0.5 * w, cy, w - s(28.0), theme_.fontNormal * scale_, theme_.text);
}

void EnumSelector::step(int direction)
{
    const int count = static_cast<int>(spec_.max - spec_.min) + 1;
    int i = static_cast<int>(value_ - spec_.min) + direction;
    i = ((i % count) + count) % count;
    beginGesture();
    userSet(spec_.min + static_cast<float>(i));
    endGesture();
}

bool EnumSelector::onMouse(const MouseEvent& ev)
{
    if (ev.button != DGL_NAMESPACE::kMouseButtonLeft || !ev.press || !contains(ev.pos))
        return false;
    step(ev.pos.getX() < 0.5 * getWidth() ? -1 : 1);
    return true;
}

bool EnumSelector::onScroll(const ScrollEvent& ev)
{
    if (!contains(ev.pos))
        return false;
    step(ev.delta.getY() > 0 ? -1 : 1);
    return true;
}

std::unique_ptr<ParamWidget> makeParamWidget(Widget* parent, std::uint32_t index, const Spec& spec,
                                             ParamListener& listener, const Theme& theme)
{
    if (spec.is(params::kToggle))
        return std::make_unique<Toggle>(parent, index, spec, listener, theme);
    if (spec.is(params::kEnum))
        return std::make_unique<EnumSelector>(parent, index, spec, listener, theme);
    return std::make_unique<Knob>(parent, index, spec, listener, theme);
}

// --- Meter -----------------------------------------------------------------------------

Meter::Meter(Widget* parent, const Spec& spec, Mode mode, const Theme& theme)
    : CairoSubWidget(parent)
    , spec_(spec)
    , theme_(theme)
    , mode_(mode)
    , value_(spec.def)
    , hold_(spec.def)
{
}

void Meter::setValue(float value)
{
    value = spec_.clamp(value);
    const auto now = Clock::now();
    if (value >= hold_ || now - holdTime_ > kHoldTime) {
        hold_ = value;
        holdTime_ = now;
    }
    if (value == value_)
        return;
    value_ = value;
    repaint();
}

void Meter::setScale(double scale)
{
    scale_ = scale;
    repaint();
}

void Meter::setBounds(double x, double y, double w, double h)
{
    setAbsolutePos(static_cast<int>(std::lround(x)), static_cast<int>(std::lround(y)));
    setSize(static_cast<uint>(std::max(1l, std::lround(w))), static_cast<uint>(std::max(1l, std::lround(h))));
}

void Meter::setDisplayRange(float min, float max)
{
    displayMin_ = min;
    displayMax_ = max;
    repaint();
}

double Meter::fraction(float value) const
{
    if (mode_ == Mode::Bipolar)
        return std::clamp((value - spec_.min) / (spec_.max - spec_.min), 0.f, 1.f);
    return std::clamp((value - displayMin_) / (displayMax_ - displayMin_), 0.f, 1.f);
}

void Meter::onCairoDisplay(const CairoGraphicsContext& context)
{
    if (mode_ == Mode::Bipolar)
        drawBipolar(context.handle);
    else
        drawPeak(context.handle);
}

void Meter::drawPeak(cairo_t* cr)
{
    const double w = getWidth();
    const double h = getHeight();
    const double readout = s(16.0);
    const double caption = s(16.0);
    const double scaleW = scaleSide_ == ScaleSide::None ? 0.0 : s(22.0);
    const double bw = std::min(s(10.0), w - scaleW - 2.0);
    const double barX = scaleSide_ == ScaleSide::Left ? scaleW + 0.5 * (w - scaleW - bw)
                      : scaleSide_ == ScaleSide::Right ? 0.5 * (w - scaleW - bw)
                                                       : 0.5 * (w - bw);
    const double top = readout + s(2.0);
    const double bh = h - readout - caption - s(4.0);
    if (bh < s(10.0))
        return;
    const auto yOf = [&](float db) { return top + bh * (1.0 - fraction(db)); };

    // Scale and ticks first, so the bar draws over the tick ends.
    cairo_set_line_width(cr, std::max(1.0, s(1.0)));
    for (const float db : {6.f, 0.f, -6.f, -12.f, -18.f, -24.f, -36.f, -48.f, -60.f, -72.f, -90.f}) {
        if (db < displayMin_ || db > displayMax_)
            continue;
        const double y = std::round(yOf(db)) + 0.5;
        if (scaleSide_ == ScaleSide::None)
            continue;
        const bool left = scaleSide_ == ScaleSide::Left;
        const double tick0 = left ? barX - s(4.0) : barX + bw + s(1.0);
        theme_.panelTitle.apply(cr);
        cairo_move_to(cr, tick0, y);
        cairo_line_to(cr, tick0 + s(3.0), y);
        cairo_stroke(cr);
        const std::string text = db > 0.f ? printf1("+%.0f", db) : printf1("%.0f", db);
        drawText(cr, theme_, text, left ? barX - s(6.0) : barX + bw + s(6.0), y, theme_.fontSmall * scale_,
                 db == 0.f ? theme_.text : theme_.textDim, left ? Align::Right : Align::Left);
    }

    roundedRect(cr, barX, top, bw, bh, s(2.0));
    theme_.background.apply(cr);
    cairo_fill(cr);

    // Colours follow level, not bar height: green up to -12, amber towards 0, red above.
    cairo_pattern_t* grad = cairo_pattern_create_linear(0, top + bh, 0, top);
    const auto stop = [&](float db, const Color& c) {
        cairo_pattern_add_color_stop_rgb(grad, fraction(db), c.r, c.g, c.b);
    };
    stop(displayMin_, theme_.meterLow);
    stop(-12.f, theme_.meterLow);
    stop(-3.f, theme_.meterMid);
    stop(0.f, theme_.meterHigh);
    stop(displayMax_, theme_.meterHigh);

    // Unlit segments show the colour zones faintly, as on a hardware LED meter.
    cairo_save(cr);
    roundedRect(cr, barX, top, bw, bh, s(2.0));
    cairo_clip(cr);
    cairo_set_source(cr, grad);
    cairo_paint_with_alpha(cr, 0.13);
    cairo_restore(cr);

    const double fillTop = yOf(value_);
    if (value_ > displayMin_) {
        cairo_rectangle(cr, barX, fillTop, bw, top + bh - fillTop);
        cairo_set_source(cr, grad);
        cairo_fill(cr);
    }
    if (hold_ > displayMin_) {
        const double y = yOf(hold_);
        cairo_rectangle(cr, barX, y - std::max(1.0, s(1.0)), bw, std::max(1.5, s(2.0)));
        cairo_set_source(cr, grad);
        cairo_fill(cr);
    }
    cairo_pattern_destroy(grad);

    const std::string holdText = hold_ <= spec_.min ? "-inf" : printf1("%.1f", hold_);
    const double textX = barX + 0.5 * bw;
    drawText(cr, theme_, holdText, textX, 0.5 * readout, theme_.fontSmall * scale_,
             hold_ > 0.f ? theme_.meterHigh : theme_.text, Align::Centre);
    drawText(cr, theme_, caption_, textX, h - 0.5 * caption, theme_.fontNormal * scale_, theme_.textDim,
             Align::Centre, true);
}

void Meter::drawBipolar(cairo_t* cr)
{
    const double w = getWidth();
    const double h = getHeight();
    const double line = s(16.0);
    const double bh = std::min(s(10.0), h - 2.0 * line);
    const double margin = s(8.0);
    const double bw = w - 2.0 * margin;
    const double y = line + s(2.0);

    drawText(cr, theme_, caption_.empty() ? std::string(spec_.shortName) : caption_, margin, 0.5 * line,
             theme_.fontNormal * scale_, theme_.textDim, Align::Left);
    drawText(cr, theme_, formatValue(spec_, value_), w - margin, 0.5 * line, theme_.fontNormal * scale_,
             value_ < 0.f ? theme_.negative : theme_.text, Align::Right);

    roundedRect(cr, margin, y, bw, bh, s(2.0));
    theme_.background.apply(cr);
    cairo_fill(cr);

    const double x0 = margin + bw * fraction(0.5f * (spec_.min + spec_.max));
    const double x1 = margin + bw * fraction(value_);
    cairo_rectangle(cr, std::min(x0, x1), y, std::fabs(x1 - x0), bh);
    (value_ < 0.f ? theme_.negative : theme_.meterLow).apply(cr);
    cairo_fill(cr);

    cairo_set_line_width(cr, std::max(1.0, s(1.0)));
    const double tickTop = y + bh + s(1.0);
    for (const float v : {spec_.min, 0.5f * (spec_.min + spec_.max), spec_.max}) {
        const double x = std::round(margin + bw * fraction(v)) + 0.5;
        theme_.panelTitle.apply(cr);
        cairo_move_to(cr, x, tickTop);
        cairo_line_to(cr, x, tickTop + s(3.0));
        cairo_stroke(cr);
        const Align align = v == spec_.min ? Align::Left : v == spec_.max ? Align::Right : Align::Centre;
        const double tx = v == spec_.min ? margin : v == spec_.max ? margin + bw : x;
        drawText(cr, theme_, v > 0.f ? printf1("+%.0f", v) : printf1("%.0f", v), tx, tickTop + s(10.0),
                 theme_.fontSmall * scale_, theme_.textDim, align);
    }
}

bool Meter::onMouse(const MouseEvent& ev)
{
    if (ev.button != DGL_NAMESPACE::kMouseButtonLeft || !ev.press || !contains(ev.pos))
        return false;
    hold_ = value_;
    holdTime_ = Clock::now();
    repaint();
    return true;
}

} // namespace mixwright::ui
