// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright Compressor UI: the transfer curve (static curve plus makeup) with the
// live detector level as a moving point, a gain-reduction history, and controls built
// from the Compressor's parameter table (shared widgets). Sidechain listen is a
// toggle under the curve. Layout on an 800x420 design grid stretched to the window.

#include "DistrhoUI.hpp"
#include "DynamicsWidgets.hpp"
#include "Widgets.hpp"
#include "mixwright/dsp/dynamics.hpp"
#include "mixwright/params/compressor.hpp"

#include <array>
#include <memory>

START_NAMESPACE_DISTRHO

namespace {

namespace cp = mixwright::params::compressor;
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
    {"DETECTOR / OUTPUT", {320, 292, 470, 122}},
}};
constexpr Rect kCurve{18, 72, 284, 244};
constexpr Rect kHistory{330, 74, 450, 76};

constexpr std::array<Rect, cp::kCount> kCells = [] {
    std::array<Rect, cp::kCount> c{};
    c[cp::kDetector] = {18, 322, 92, 42};
    c[cp::kStereoMode] = {112, 322, 92, 42};
    c[cp::kSource] = {206, 322, 96, 42};
    c[cp::kAutoRelease] = {18, 372, 68, 28};
    c[cp::kAutoMakeup] = {90, 372, 68, 28};
    c[cp::kScHpOn] = {162, 372, 68, 28};
    c[cp::kScListen] = {234, 372, 68, 28};
    const int dyn[] = {cp::kThreshold, cp::kRatio, cp::kKnee, cp::kAttack, cp::kRelease, cp::kMakeup};
    for (int i = 0; i < 6; ++i)
        c[static_cast<std::size_t>(dyn[i])] = {326.0 + 77.0 * i, 188, 77, 96};
    const int out[] = {cp::kRmsWindow, cp::kLink, cp::kScHpFreq, cp::kScBandFreq, cp::kScBandGain, cp::kLookahead,
                       cp::kMix};
    for (int i = 0; i < 7; ++i)
        c[static_cast<std::size_t>(out[i])] = {324.0 + 66.0 * i, 316, 66, 96};
    c[cp::kBypass] = {708, 7, 82, 26};
    c[cp::kGainReduction] = kHistory;
    c[cp::kLevel] = kCurve;
    return c;
}();

constexpr bool allPlaced()
{
    for (const Rect& r : kCells)
        if (r.w <= 0.0 || r.h <= 0.0)
            return false;
    return true;
}
static_assert(allPlaced(), "a Compressor parameter has no cell in the UI layout");

} // namespace

class CompressorUI : public UI, public mu::ParamListener {
public:
    CompressorUI()
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
        curve_.setRange(-60.f, 6.f);
        curve_.setCurve([this](float in) { return outputLevel(in); });
        updateCurve();
        history_.setRangeDb(30.f);

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
        mu::drawBackgroundAndHeader(cr, theme_, getWidth(), kHeaderH * sy_, 12.0 * sx_, "Compressor", s_);
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

    /// The static curve plus makeup (manual, and the automatic M = -y_G(0)).
    float outputLevel(float in) const
    {
        const float ratio = values_[cp::kRatio];
        const float slope = ratio >= cp::kRatioLimit ? 0.f : 1.f / ratio;
        const float t = values_[cp::kThreshold], k = values_[cp::kKnee];
        float makeup = values_[cp::kMakeup];
        if (values_[cp::kAutoMakeup] >= 0.5f)
            makeup -= mixwright::dsp::staticCurveDb(0.f, t, slope, k);
        return mixwright::dsp::staticCurveDb(in, t, slope, k) + makeup;
    }

    void updateCurve()
    {
        curve_.setMarkers(values_[cp::kThreshold]);
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

    DISTRHO_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(CompressorUI)
};

UI* createUI() { return new CompressorUI(); }

END_NAMESPACE_DISTRHO
