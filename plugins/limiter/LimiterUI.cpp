// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright Limiter UI: shared Cairo widgets built from the Limiter parameter table in
// three sections (input, limiter, output), in/out peak meters, a gain-reduction meter
// and a gain-reduction history (the last kHistory readings the host delivered, newest
// on the right). A 640x360 design grid stretched to the window, like the Utility UI.

#include "DistrhoUI.hpp"
#include "Widgets.hpp"
#include "mixwright/params/limiter.hpp"

#include <algorithm>
#include <array>
#include <memory>

START_NAMESPACE_DISTRHO

namespace {

namespace lp = mixwright::params::limiter;
namespace mp = mixwright::params;
namespace mu = mixwright::ui;

constexpr double kDesignW = DISTRHO_UI_DEFAULT_WIDTH;
constexpr double kDesignH = DISTRHO_UI_DEFAULT_HEIGHT;
constexpr uint kMinW = 480;
constexpr uint kMinH = 270;
constexpr double kHeaderH = 40.0;
constexpr std::size_t kHistory = 240;
constexpr float kHistoryRangeDb = 24.f;

struct Rect {
    double x, y, w, h;
};

struct Section {
    const char* title;
    Rect r;
};

constexpr std::array<Section, 3> kSections{{
    {"INPUT", {10, 46, 112, 306}},
    {"LIMITER", {130, 46, 262, 306}},
    {"OUTPUT", {400, 46, 230, 306}},
}};

constexpr Rect kHistoryRect{140, 262, 242, 80};

constexpr std::array<Rect, lp::kCount> kCells = [] {
    std::array<Rect, lp::kCount> c{};
    c[lp::kInputGain] = {16, 72, 100, 96};
    c[lp::kLevelIn] = {40, 178, 64, 166};
    c[lp::kCeiling] = {136, 72, 82, 96};
    c[lp::kRelease] = {220, 72, 82, 96};
    c[lp::kLookahead] = {304, 72, 82, 96};
    c[lp::kLink] = {136, 170, 82, 90};
    c[lp::kAutoRelease] = {228, 180, 150, 28};
    c[lp::kDetection] = {224, 214, 160, 42};
    c[lp::kDither] = {408, 72, 110, 42};
    c[lp::kBits] = {408, 124, 110, 42};
    c[lp::kGainReduction] = {522, 72, 46, 272};
    c[lp::kLevelOut] = {570, 72, 54, 272};
    c[lp::kBypass] = {548, 7, 82, 26};
    return c;
}();

constexpr bool allPlaced()
{
    for (const Rect& r : kCells)
        if (r.w <= 0.0 || r.h <= 0.0)
            return false;
    return true;
}
static_assert(allPlaced(), "a Limiter parameter has no cell in the UI layout");

} // namespace

class LimiterUI : public UI, public mu::ParamListener {
public:
    LimiterUI()
        : UI(DISTRHO_UI_DEFAULT_WIDTH, DISTRHO_UI_DEFAULT_HEIGHT)
    {
        for (uint32_t i = 0; i < lp::kCount; ++i) {
            const mp::Spec& spec = lp::kTable[i];
            if (spec.is(mp::kOutput))
                meters_[i] = std::make_unique<mu::Meter>(this, spec, mu::Meter::Mode::PeakVertical, theme_);
            else
                controls_[i] = mu::makeParamWidget(this, i, spec, *this, theme_);
        }
        meters_[lp::kLevelIn]->setCaption("IN");
        meters_[lp::kLevelIn]->setScaleSide(mu::Meter::ScaleSide::Left);
        meters_[lp::kLevelOut]->setCaption("OUT");
        meters_[lp::kLevelOut]->setScaleSide(mu::Meter::ScaleSide::Right);
        meters_[lp::kGainReduction]->setCaption("GR");
        meters_[lp::kGainReduction]->setDisplayRange(0.f, kHistoryRangeDb);
        if (auto* bypass = dynamic_cast<mu::Toggle*>(controls_[lp::kBypass].get()))
            bypass->setOnColor(theme_.brand);
        history_.fill(0.f);

        const double sf = getScaleFactor();
        setGeometryConstraints(static_cast<uint>(kMinW * sf), static_cast<uint>(kMinH * sf));
        if (sf != 1.0)
            setSize(static_cast<uint>(kDesignW * sf), static_cast<uint>(kDesignH * sf));
        layout();
    }

protected:
    void parameterChanged(uint32_t index, float value) override
    {
        if (index >= lp::kCount)
            return;
        if (meters_[index]) {
            meters_[index]->setValue(value);
            if (index == lp::kGainReduction) {
                history_[historyPos_] = value;
                historyPos_ = (historyPos_ + 1) % kHistory;
                repaint();
            }
            return;
        }
        controls_[index]->setValue(value);
    }

    void onResize(const ResizeEvent& ev) override
    {
        UI::onResize(ev);
        layout();
    }

    void onCairoDisplay(const CairoGraphicsContext& context) override
    {
        cairo_t* const cr = context.handle;
        mu::drawBackgroundAndHeader(cr, theme_, getWidth(), kHeaderH * sy_, 12.0 * sx_, "Limiter", s_);

        for (const Section& sec : kSections) {
            const Rect r = scaled(sec.r);
            mu::drawPanel(cr, theme_, r.x, r.y, r.w, r.h, sec.title, s_);
        }
        drawHistory(cr);
    }

    void paramGestureBegin(mu::ParamWidget& widget) override { editParameter(widget.index(), true); }
    void paramValueChanged(mu::ParamWidget& widget, float value) override
    {
        setParameterValue(widget.index(), value);
    }
    void paramGestureEnd(mu::ParamWidget& widget) override { editParameter(widget.index(), false); }

private:
    Rect scaled(const Rect& r) const { return {r.x * sx_, r.y * sy_, r.w * sx_, r.h * sy_}; }

    // Gain reduction over time: 0 dB at the top, kHistoryRangeDb at the bottom, filled
    // downwards like a GR meter, with grid lines every 6 dB.
    void drawHistory(cairo_t* cr) const
    {
        const Rect r = scaled(kHistoryRect);
        theme_.track.apply(cr);
        mu::roundedRect(cr, r.x, r.y, r.w, r.h, theme_.cornerRadius * s_);
        cairo_fill(cr);
        cairo_set_line_width(cr, 1.0);
        theme_.panelBorder.apply(cr);
        for (float db = 6.f; db < kHistoryRangeDb; db += 6.f) {
            const double y = r.y + r.h * db / kHistoryRangeDb;
            cairo_move_to(cr, r.x, y);
            cairo_line_to(cr, r.x + r.w, y);
        }
        cairo_stroke(cr);
        const double dx = r.w / static_cast<double>(kHistory - 1);
        cairo_move_to(cr, r.x, r.y);
        for (std::size_t k = 0; k < kHistory; ++k) {
            const float v = std::clamp(history_[(historyPos_ + k) % kHistory], 0.f, kHistoryRangeDb);
            cairo_line_to(cr, r.x + dx * static_cast<double>(k), r.y + r.h * v / kHistoryRangeDb);
        }
        cairo_line_to(cr, r.x + r.w, r.y);
        cairo_close_path(cr);
        cairo_set_source_rgba(cr, 0.94, 0.31, 0.24, 0.55);
        cairo_fill_preserve(cr);
        theme_.meterHigh.apply(cr);
        cairo_stroke(cr);
        mu::drawText(cr, theme_, "GAIN REDUCTION", r.x + 6.0 * s_, r.y + r.h - 8.0 * s_, theme_.fontSmall * s_,
                     theme_.textDim, mu::Align::Left);
    }

    void layout()
    {
        sx_ = getWidth() / kDesignW;
        sy_ = getHeight() / kDesignH;
        s_ = std::min(sx_, sy_);
        for (uint32_t i = 0; i < lp::kCount; ++i) {
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

    const mu::Theme& theme_ = mu::defaultTheme();
    std::array<std::unique_ptr<mu::ParamWidget>, lp::kCount> controls_;
    std::array<std::unique_ptr<mu::Meter>, lp::kCount> meters_;
    std::array<float, kHistory> history_{};
    std::size_t historyPos_ = 0;
    double sx_ = 1.0;
    double sy_ = 1.0;
    double s_ = 1.0;

    DISTRHO_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(LimiterUI)
};

UI* createUI() { return new LimiterUI(); }

END_NAMESPACE_DISTRHO
