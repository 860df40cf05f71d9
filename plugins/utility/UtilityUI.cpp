// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright Utility UI: shared Cairo widgets built from the Utility parameter table,
// laid out in four sections (input, image, alignment, output with meters). The layout
// is a 640x320 design grid stretched to the window; widget detail (fonts, knob size)
// follows the smaller of the two stretch factors so nothing distorts.

#include "DistrhoUI.hpp"
#include "Widgets.hpp"
#include "mixwright/params/utility.hpp"

#include <array>
#include <cstdio>
#include <memory>

START_NAMESPACE_DISTRHO

namespace {

namespace up = mixwright::params::utility;
namespace mp = mixwright::params;
namespace mu = mixwright::ui;

constexpr double kDesignW = DISTRHO_UI_DEFAULT_WIDTH;
constexpr double kDesignH = DISTRHO_UI_DEFAULT_HEIGHT;
// Below this the 10 px labels stop fitting their cells.
constexpr uint kMinW = 480;
constexpr uint kMinH = 240;
constexpr double kHeaderH = 40.0;

struct Rect {
    double x, y, w, h;
};

struct Section {
    const char* title;
    Rect r;
};

constexpr std::array<Section, 4> kSections{{
    {"INPUT", {10, 46, 112, 266}},
    {"IMAGE", {130, 46, 196, 266}},
    {"ALIGNMENT", {334, 46, 130, 266}},
    {"OUTPUT", {472, 46, 158, 266}},
}};

// Cell of every parameter in design pixels; outputs are meters.
constexpr std::array<Rect, up::kCount> kCells = [] {
    std::array<Rect, up::kCount> c{};
    c[up::kTrim] = {16, 72, 100, 96};
    c[up::kPhaseL] = {20, 196, 92, 28};
    c[up::kPhaseR] = {20, 232, 92, 28};
    c[up::kSwap] = {20, 268, 92, 28};
    c[up::kWidth] = {136, 72, 92, 96};
    c[up::kPan] = {228, 72, 92, 96};
    c[up::kPanLaw] = {142, 170, 172, 42};
    c[up::kMonoBass] = {142, 252, 84, 28};
    c[up::kMonoBassFreq] = {228, 218, 92, 90};
    c[up::kDelayUnit] = {344, 72, 110, 42};
    c[up::kDelayL] = {338, 124, 63, 96};
    c[up::kDelayR] = {397, 124, 63, 96};
    c[up::kDcBlock] = {346, 268, 106, 28};
    c[up::kBypass] = {548, 7, 82, 26};
    c[up::kGain] = {476, 72, 66, 96};
    c[up::kPeakL] = {542, 72, 48, 188};
    c[up::kPeakR] = {590, 72, 32, 188};
    c[up::kCorrelation] = {476, 262, 150, 46};
    return c;
}();

// Every parameter has a cell: a parameter appended to the table without a place in
// the layout fails to compile instead of silently missing from the UI.
constexpr bool allPlaced()
{
    for (const Rect& r : kCells)
        if (r.w <= 0.0 || r.h <= 0.0)
            return false;
    return true;
}
static_assert(allPlaced(), "a Utility parameter has no cell in the UI layout");

} // namespace

class UtilityUI : public UI, public mu::ParamListener {
public:
    UtilityUI()
        : UI(DISTRHO_UI_DEFAULT_WIDTH, DISTRHO_UI_DEFAULT_HEIGHT)
    {
        for (uint32_t i = 0; i < up::kCount; ++i) {
            const mp::Spec& spec = up::kTable[i];
            if (spec.is(mp::kOutput)) {
                const auto mode =
                    spec.unit == mp::Unit::dBFS ? mu::Meter::Mode::PeakVertical : mu::Meter::Mode::Bipolar;
                meters_[i] = std::make_unique<mu::Meter>(this, spec, mode, theme_);
            } else {
                controls_[i] = mu::makeParamWidget(this, i, spec, *this, theme_);
            }
        }
        meters_[up::kPeakL]->setCaption("L");
        meters_[up::kPeakL]->setScaleSide(mu::Meter::ScaleSide::Left);
        meters_[up::kPeakR]->setCaption("R");
        if (auto* bypass = dynamic_cast<mu::Toggle*>(controls_[up::kBypass].get()))
            bypass->setOnColor(theme_.brand);

        controls_[up::kPan]->setFormatter([](float v) {
            char buf[16];
            if (v > -0.5f && v < 0.5f)
                return std::string("C");
            std::snprintf(buf, sizeof buf, "%s %.0f", v < 0.f ? "L" : "R", v < 0.f ? -v : v);
            return std::string(buf);
        });
        // The delay unit is its own parameter, so the delay knobs ask it for their unit.
        for (const int i : {up::kDelayL, up::kDelayR}) {
            controls_[i]->setFormatter([this](float v) {
                char buf[24];
                if (static_cast<int>(controls_[up::kDelayUnit]->value()) == up::kMilliseconds)
                    std::snprintf(buf, sizeof buf, v < 100.f ? "%.2f ms" : "%.1f ms", static_cast<double>(v));
                else
                    std::snprintf(buf, sizeof buf, "%.0f smp", static_cast<double>(v));
                return std::string(buf);
            });
        }

        const double sf = getScaleFactor();
        setGeometryConstraints(static_cast<uint>(kMinW * sf), static_cast<uint>(kMinH * sf));
        if (sf != 1.0)
            setSize(static_cast<uint>(kDesignW * sf), static_cast<uint>(kDesignH * sf));
        layout();
    }

protected:
    void parameterChanged(uint32_t index, float value) override
    {
        if (index >= up::kCount)
            return;
        if (meters_[index]) {
            meters_[index]->setValue(value);
            return;
        }
        controls_[index]->setValue(value);
        if (index == up::kDelayUnit)
            repaintDelayKnobs();
    }

    void onResize(const ResizeEvent& ev) override
    {
        UI::onResize(ev);
        layout();
    }

    void onCairoDisplay(const CairoGraphicsContext& context) override
    {
        cairo_t* const cr = context.handle;
        mu::drawBackgroundAndHeader(cr, theme_, getWidth(), kHeaderH * sy_, 12.0 * sx_, "Utility", s_);

        for (const Section& sec : kSections) {
            const Rect r = scaled(sec.r);
            mu::drawPanel(cr, theme_, r.x, r.y, r.w, r.h, sec.title, s_);
        }
    }

    // ParamListener: user edits go to the host as one gesture each.
    void paramGestureBegin(mu::ParamWidget& widget) override { editParameter(widget.index(), true); }
    void paramValueChanged(mu::ParamWidget& widget, float value) override
    {
        setParameterValue(widget.index(), value);
        if (widget.index() == up::kDelayUnit)
            repaintDelayKnobs();
    }
    void paramGestureEnd(mu::ParamWidget& widget) override { editParameter(widget.index(), false); }

private:
    Rect scaled(const Rect& r) const { return {r.x * sx_, r.y * sy_, r.w * sx_, r.h * sy_}; }

    void layout()
    {
        sx_ = getWidth() / kDesignW;
        sy_ = getHeight() / kDesignH;
        s_ = std::min(sx_, sy_);
        for (uint32_t i = 0; i < up::kCount; ++i) {
            const Rect r = scaled(kCells[i]);
            if (controls_[i]) {
                controls_[i]->setScale(s_);
                controls_[i]->setBounds(r.x, r.y, r.w, r.h);
            } else if (meters_[i]) {
                meters_[i]->setScale(s_);
                meters_[i]->setBounds(r.x, r.y, r.w, r.h);
            }
        }
        repaint();
    }

    void repaintDelayKnobs()
    {
        controls_[up::kDelayL]->repaint();
        controls_[up::kDelayR]->repaint();
    }

    const mu::Theme& theme_ = mu::defaultTheme();
    std::array<std::unique_ptr<mu::ParamWidget>, up::kCount> controls_;
    std::array<std::unique_ptr<mu::Meter>, up::kCount> meters_;
    double sx_ = 1.0;
    double sy_ = 1.0;
    double s_ = 1.0;

    DISTRHO_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(UtilityUI)
};

UI* createUI() { return new UtilityUI(); }

END_NAMESPACE_DISTRHO
