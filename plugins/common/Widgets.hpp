// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Cairo widgets shared by every Mixwright plugin UI. Each control widget is built from
// a parameter Spec (range, default, unit, label, enum labels, log mapping), so a UI
// never repeats the numbers of its parameter table. Widgets report user edits through
// ParamListener as begin / value / end gestures, which a DPF UI maps onto
// editParameter() and setParameterValue(). Every size is a design size multiplied by
// the widget's scale factor; a widget draws centred in whatever cell it is given.

#pragma once

#include "Theme.hpp"
#include "mixwright/params/spec.hpp"

#include "Cairo.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace mixwright::ui {

class ParamWidget;

/// Receives edits made by the user (never edits made by the host).
class ParamListener {
public:
    virtual ~ParamListener() = default;
    virtual void paramGestureBegin(ParamWidget& widget) = 0;
    virtual void paramValueChanged(ParamWidget& widget, float value) = 0;
    virtual void paramGestureEnd(ParamWidget& widget) = 0;
};

/// Formats a value for display: "+3.0 dB", "120 Hz", "1.20 kHz", "50 %", enum label.
std::string formatValue(const params::Spec& spec, float value);

/// Text helpers shared by widgets and UIs; fontSize is already scaled.
enum class Align { Left, Centre, Right };
void drawText(cairo_t* cr, const Theme& theme, const std::string& text, double x, double y,
              double fontSize, const Color& color, Align align = Align::Centre, bool bold = false);
/// Like drawText but shrinks the font (down to 70 %) and then truncates to fit maxWidth.
void drawTextFitted(cairo_t* cr, const Theme& theme, const std::string& text, double x, double y,
                    double maxWidth, double fontSize, const Color& color, Align align = Align::Centre,
                    bool bold = false);
void roundedRect(cairo_t* cr, double x, double y, double w, double h, double r);
/// Clears the window with the theme's background and draws the header strip of
/// height `headerH` (already scaled) with "MIXWRIGHT <name>" at x = textX.
void drawBackgroundAndHeader(cairo_t* cr, const Theme& theme, double width, double headerH, double textX,
                             const char* name, double scale);
/// A section panel with its title strip; drawn by the top-level UI behind the widgets.
void drawPanel(cairo_t* cr, const Theme& theme, double x, double y, double w, double h,
               const std::string& title, double scale);

/// Base of all controls bound to one parameter.
class ParamWidget : public DGL_NAMESPACE::CairoSubWidget {
public:
    ParamWidget(DGL_NAMESPACE::Widget* parent, std::uint32_t index, const params::Spec& spec,
                ParamListener& listener, const Theme& theme = defaultTheme());

    std::uint32_t index() const { return index_; }
    const params::Spec& spec() const { return spec_; }
    float value() const { return value_; }

    /// Value set by the host or the UI code: no listener call.
    void setValue(float value);
    void setScale(double scale);
    /// Places the widget in a cell (absolute, already scaled pixels).
    void setBounds(double x, double y, double w, double h);
    /// Replaces the default unit-based display (e.g. a unit chosen by another parameter).
    void setFormatter(std::function<std::string(float)> formatter);

protected:
    std::string displayText() const;
    /// A user edit: clamps, stores, notifies and repaints; returns true if it changed.
    bool userSet(float value);
    void beginGesture();
    void endGesture();
    double s(double designPixels) const { return designPixels * scale_; }

    const params::Spec& spec_;
    const Theme& theme_;
    std::uint32_t index_;
    ParamListener& listener_;
    float value_;
    double scale_ = 1.0;
    bool inGesture_ = false;
    std::function<std::string(float)> formatter_;
};

/// Rotary knob: vertical drag (Shift for fine), wheel, double-click resets to default.
/// Label above, value with unit below; arcs start at zero for ranges that span it.
class Knob : public ParamWidget {
public:
    using ParamWidget::ParamWidget;

protected:
    void onCairoDisplay(const DGL_NAMESPACE::CairoGraphicsContext& context) override;
    bool onMouse(const MouseEvent& ev) override;
    bool onMotion(const MotionEvent& ev) override;
    bool onScroll(const ScrollEvent& ev) override;

private:
    void nudge(double normalisedDelta);

    bool dragging_ = false;
    double lastY_ = 0.0;
    double dragNorm_ = 0.0;  // unquantised position, so slow drags on integer params still move
    std::uint32_t lastPressTime_ = 0;
};

/// Latching button showing the parameter's short name; lit when the value is max.
class Toggle : public ParamWidget {
public:
    Toggle(DGL_NAMESPACE::Widget* parent, std::uint32_t index, const params::Spec& spec,
           ParamListener& listener, const Theme& theme = defaultTheme());
    void setOnColor(const Color& color) { onColor_ = color; }

protected:
    void onCairoDisplay(const DGL_NAMESPACE::CairoGraphicsContext& context) override;
    bool onMouse(const MouseEvent& ev) override;

private:
    Color onColor_;
};

/// Label over a box showing the current enum label; click the left/right half or use
/// the wheel to step through the labels (wrapping).
class EnumSelector : public ParamWidget {
public:
    using ParamWidget::ParamWidget;

protected:
    void onCairoDisplay(const DGL_NAMESPACE::CairoGraphicsContext& context) override;
    bool onMouse(const MouseEvent& ev) override;
    bool onScroll(const ScrollEvent& ev) override;

private:
    void step(int direction);
};

/// Chooses the control for a spec: Toggle for kToggle, EnumSelector for kEnum, else Knob.
std::unique_ptr<ParamWidget> makeParamWidget(DGL_NAMESPACE::Widget* parent, std::uint32_t index,
                                             const params::Spec& spec, ParamListener& listener,
                                             const Theme& theme = defaultTheme());

/// Display of an output parameter. PeakVertical: a bar in dB with a hold marker and an
/// optional dB scale beside it; click resets the hold. Bipolar: a horizontal bar from
/// the centre of the spec's range (correlation -1..+1).
class Meter : public DGL_NAMESPACE::CairoSubWidget {
public:
    enum class Mode { PeakVertical, Bipolar };
    enum class ScaleSide { None, Left, Right };

    Meter(DGL_NAMESPACE::Widget* parent, const params::Spec& spec, Mode mode,
          const Theme& theme = defaultTheme());

    void setValue(float value);
    float value() const { return value_; }
    void setScale(double scale);
    void setBounds(double x, double y, double w, double h);
    /// Visible range of a peak meter; values outside are pinned to the ends.
    void setDisplayRange(float min, float max);
    void setScaleSide(ScaleSide side) { scaleSide_ = side; }
    /// Short caption under the bar ("L", "R") or above a bipolar bar.
    void setCaption(std::string caption) { caption_ = std::move(caption); }

protected:
    void onCairoDisplay(const DGL_NAMESPACE::CairoGraphicsContext& context) override;
    bool onMouse(const MouseEvent& ev) override;

private:
    using Clock = std::chrono::steady_clock;

    double fraction(float value) const;
    void drawPeak(cairo_t* cr);
    void drawBipolar(cairo_t* cr);
    double s(double designPixels) const { return designPixels * scale_; }

    const params::Spec& spec_;
    const Theme& theme_;
    Mode mode_;
    ScaleSide scaleSide_ = ScaleSide::None;
    std::string caption_;
    float value_;
    float hold_;
    Clock::time_point holdTime_{};
    float displayMin_ = -60.f;
    float displayMax_ = 6.f;
    double scale_ = 1.0;
};

} // namespace mixwright::ui
