// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright Gate UI: the transfer curve of the closed state (gate: range below the
// threshold; expander: its ratio floored at the range; ducker: range above the
// threshold) with open and close thresholds marked and the live key level as a
// moving point, a gain-reduction history captioned with the gate state, and controls
// built from the Gate's parameter table. Layout on an 800x420 design grid.

#include "DistrhoUI.hpp"
#include "DynamicsWidgets.hpp"
#include "Widgets.hpp"
#include "mixwright/params/gate.hpp"

#include <algorithm>
#include <array>
#include <memory>

START_NAMESPACE_DISTRHO

namespace {

namespace cp = mixwright::params::gate;
namespace mp = mixwright::params;
namespace mu = mixwright::ui;

constexpr double kDesignW = DISTRHO_UI_DEFAULT_WIDTH;
constexpr double kDesignH = DISTRHO_UI_DEFAULT_HEIGHT;
constexpr double kHeaderH = 40.0;

struct Rect {
    double x, y, w, h;
};

struct Section {
    const char* title;
    Rect r;
};

constexpr std::array<Section, 4> kSections{{
    {"TRANSFER", {10, 46, 300, 368}},
    {"GAIN REDUCTION", {320, 46, 470, 112}},
    {"DYNAMICS", {320, 164, 470, 122}},
    {"KEY / OUTPUT", {320, 292, 470, 122}},
}};
constexpr Rect kCurve{18, 72, 284, 244};
constexpr Rect kHistory{330, 74, 450, 76};

constexpr std::array<Rect, cp::kCount> kCells = [] {
    std::array<Rect, cp::kCount> c{};
    c[cp::kMode] = {18, 322, 140, 42};
    c[cp::kSource] = {162, 322, 140, 42};
    c[cp::kScHpOn] = {18, 372, 92, 28};
    c[cp::kScLpOn] = {114, 372, 92, 28};
    c[cp::kScListen] = {210, 372, 92, 28};
    const int dyn[] = {cp::kThreshold, cp::kHysteresis, cp::kRange, cp::kAttack, cp::kHold, cp::kRelease};
    for (int i = 0; i < 6; ++i)
        c[static_cast<std::size_t>(dyn[i])] = {326.0 + 77.0 * i, 188, 77, 96};
    const int out[] = {cp::kRatio, cp::kWindow, cp::kScHpFreq, cp::kScLpFreq, cp::kLookahead};
    for (int i = 0; i < 5; ++i)
        c[static_cast<std::size_t>(out[i])] = {330.0 + 90.0 * i, 316, 90, 96};
    c[cp::kBypass] = {708, 7, 82, 26};
    c[cp::kGainReduction] = kHistory;
    c[cp::kLevel] = kCurve;
    c[cp::kGateState] = kHistory;
    return c;
}();

constexpr bool allPlaced()
{
    for (const Rect& r : kCells)
        if (r.w <= 0.0 || r.h <= 0.0)
            return false;
    return true;
}
static_assert(allPlaced(), "a Gate parameter has no cell in the UI layout");

} // namespace

class GateUI : public UI, public mu::ParamListener {
public:
    GateUI()
        : UI(DISTRHO_UI_DEFAULT_WIDTH, DISTRHO_UI_DEFAULT_HEIGHT)
        , curve_(this, theme_)
        , history_(this, theme_)
    {
        for (uint32_t i = 0; i < cp::kCount; ++i) {
            values_[i] = cp::kTable[i].def;
            if (!cp::kTable[i].is(mp::kOutput))
                controls_[i] = mu::makeParamWidget(this, i, cp::kTable[i], *this, theme_);
        }
        if (auto* bypass = dynamic_cast<mu::Toggle*>(controls_[cp::kBypass].get()))
            bypass->setOnColor(theme_.brand);
        curve_.setRange(-84.f, 0.f);
        curve_.setCurve([this](float in) { return outputLevel(in); });
        updateCurve();
        history_.setRangeDb(90.f);
        history_.setCaption("CLOSED");

        const double sf = getScaleFactor();
        setGeometryConstraints(static_cast<uint>(600 * sf), static_cast<uint>(315 * sf));
        if (sf != 1.0)
            setSize(static_cast<uint>(kDesignW * sf), static_cast<uint>(kDesignH * sf));
        layout();
    }

protected:
    void parameterChanged(uint32_t index, float value) override
    {
        if (index >= cp::kCount)
            return;
        values_[index] = value;
        if (index == cp::kLevel) {
            curve_.setLevel(value);
            return;
        }
        if (index == cp::kGainReduction)
            return; // sampled in uiIdle() for the history
        if (index == cp::kGateState) {
            history_.setCaption(value >= 0.5f ? "OPEN" : "CLOSED");
            return;
        }
        controls_[index]->setValue(value);
        updateCurve();
    }

    void uiIdle() override { history_.push(values_[cp::kGainReduction]); }

    void onResize(const ResizeEvent& ev) override
    {
        UI::onResize(ev);
        layout();
    }

    void onCairoDisplay(const CairoGraphicsContext& context) override
    {
        cairo_t* const cr = context.handle;
        mu::drawBackgroundAndHeader(cr, theme_, getWidth(), kHeaderH * sy_, 12.0 * sx_, "Gate", s_);
        for (const Section& sec : kSections) {
            const Rect r = scaled(sec.r);
            mu::drawPanel(cr, theme_, r.x, r.y, r.w, r.h, sec.title, s_);
        }
    }

    void paramGestureBegin(mu::ParamWidget& widget) override { editParameter(widget.index(), true); }
    void paramValueChanged(mu::ParamWidget& widget, float value) override
    {
        setParameterValue(widget.index(), value);
        values_[widget.index()] = value;
        updateCurve();
    }
    void paramGestureEnd(mu::ParamWidget& widget) override { editParameter(widget.index(), false); }

private:
    Rect scaled(const Rect& r) const { return {r.x * sx_, r.y * sy_, r.w * sx_, r.h * sy_}; }

    /// Output level of the closed (gate, expander) or keyed (ducker) state.
    float outputLevel(float in) const
    {
        const float t = values_[cp::kThreshold], range = values_[cp::kRange];
        switch (static_cast<int>(values_[cp::kMode])) {
        case cp::kExpander:
            return in >= t ? in : in + std::max(range, (in - t) * (values_[cp::kRatio] - 1.f));
        case cp::kDucker:
            return in >= t ? in + range : in;
        default:
            return in >= t ? in : in + range;
        }
    }

    void updateCurve()
    {
        curve_.setMarkers(values_[cp::kThreshold], values_[cp::kThreshold] - values_[cp::kHysteresis]);
        curve_.curveChanged();
    }

    void layout()
    {
        sx_ = getWidth() / kDesignW;
        sy_ = getHeight() / kDesignH;
        s_ = std::min(sx_, sy_);
        for (uint32_t i = 0; i < cp::kCount; ++i) {
            if (!controls_[i])
                continue;
            const Rect r = scaled(kCells[i]);
            controls_[i]->setScale(s_);
            controls_[i]->setBounds(r.x, r.y, r.w, r.h);
        }
        const Rect c = scaled(kCurve), h = scaled(kHistory);
        curve_.setScale(s_);
        curve_.setBounds(c.x, c.y, c.w, c.h);
        history_.setScale(s_);
        history_.setBounds(h.x, h.y, h.w, h.h);
        repaint();
    }

    const mu::Theme& theme_ = mu::defaultTheme();
    mu::TransferCurveView curve_;
    mu::GainReductionHistory history_;
    std::array<std::unique_ptr<mu::ParamWidget>, cp::kCount> controls_;
    std::array<float, cp::kCount> values_{};
    double sx_ = 1.0, sy_ = 1.0, s_ = 1.0;

    DISTRHO_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(GateUI)
};

UI* createUI() { return new GateUI(); }

END_NAMESPACE_DISTRHO
