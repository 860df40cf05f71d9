// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright Meter UI: big loudness and peak readouts, delivery-target pass/fail, a
// 60 s loudness history (momentary and short-term, target marked) and a correlation
// meter, from the plugin's control outputs (any host delivers them). Layout: a 720x420
// design grid stretched to the window; detail follows the smaller stretch factor.
// Redraw is capped: the history advances at 10 Hz in uiIdle() and readouts repaint
// only when a value changed, so an idle UI costs almost nothing.
// Not yet: goniometer and spectrum (they need audio, not control outputs).

#include "DistrhoUI.hpp"
#include "Widgets.hpp"
#include "mixwright/params/meter.hpp"

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>

START_NAMESPACE_DISTRHO

namespace {

namespace pm = mixwright::params::meter;
namespace pt = mixwright::params::targets;
namespace mp = mixwright::params;
namespace mu = mixwright::ui;

constexpr double kDesignW = DISTRHO_UI_DEFAULT_WIDTH;
constexpr double kDesignH = DISTRHO_UI_DEFAULT_HEIGHT;
constexpr uint kMinW = 540;
constexpr uint kMinH = 315;
constexpr double kHeaderH = 40.0;
constexpr std::size_t kHistory = 600; // 60 s at 10 Hz

struct Rect {
    double x, y, w, h;
};

constexpr Rect kReadouts{10, 46, 250, 366};
constexpr Rect kGraph{268, 46, 442, 250};
constexpr Rect kTargetPanel{268, 302, 442, 110};

std::string fmt(float v, const char* unit, float floor = pm::kFloor)
{
    if (v <= floor)
        return std::string("-inf ") + unit;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %s", static_cast<double>(v), unit);
    return buf;
}

} // namespace

class MeterUI : public UI, public mu::ParamListener {
public:
    MeterUI()
        : UI(DISTRHO_UI_DEFAULT_WIDTH, DISTRHO_UI_DEFAULT_HEIGHT)
    {
        for (uint32_t i = 0; i < pm::kCount; ++i) {
            values_[i] = pm::kTable[i].def;
            if (!pm::kTable[i].is(mp::kOutput))
                controls_[i] = mu::makeParamWidget(this, i, pm::kTable[i], *this, theme_);
        }
        correlation_ = std::make_unique<mu::Meter>(this, pm::kTable[pm::kCorrelation], mu::Meter::Mode::Bipolar, theme_);
        if (auto* bypass = dynamic_cast<mu::Toggle*>(controls_[pm::kBypass].get()))
            bypass->setOnColor(theme_.brand);
        history_.fill({pm::kFloor, pm::kFloor});

        const double sf = getScaleFactor();
        setGeometryConstraints(static_cast<uint>(kMinW * sf), static_cast<uint>(kMinH * sf));
        if (sf != 1.0)
            setSize(static_cast<uint>(kDesignW * sf), static_cast<uint>(kDesignH * sf));
        layout();
    }

protected:
    void parameterChanged(uint32_t index, float value) override
    {
        if (index >= pm::kCount || !std::isfinite(value))
            return;
        if (values_[index] == value)
            return;
        values_[index] = value;
        if (index == pm::kCorrelation)
            correlation_->setValue(value);
        else if (controls_[index])
            controls_[index]->setValue(value);
        dirty_ = true;
    }

    void uiIdle() override
    {
        const auto now = Clock::now();
        if (now - lastTick_ >= std::chrono::milliseconds(100)) {
            lastTick_ = now;
            history_[head_] = {values_[pm::kMomentary], values_[pm::kShortTerm]};
            head_ = (head_ + 1) % kHistory;
            dirty_ = true;
        }
        if (dirty_) {
            dirty_ = false;
            repaint();
        }
    }

    void onResize(const ResizeEvent& ev) override
    {
        UI::onResize(ev);
        layout();
    }

    void onCairoDisplay(const CairoGraphicsContext& context) override
    {
        cairo_t* const cr = context.handle;
        const double w = getWidth();
        theme_.background.apply(cr);
        cairo_paint(cr);
        theme_.header.apply(cr);
        cairo_rectangle(cr, 0, 0, w, kHeaderH * sy_);
        cairo_fill(cr);

        const double ty = 0.5 * kHeaderH * sy_;
        const double tx = 12.0 * sx_;
        mu::drawText(cr, theme_, "MIXWRIGHT", tx, ty, theme_.fontTitle * s_, theme_.brand, mu::Align::Left, true);
        cairo_text_extents_t ext;
        cairo_text_extents(cr, "MIXWRIGHT", &ext);
        mu::drawText(cr, theme_, "Meter", tx + ext.x_advance + 8.0 * s_, ty, theme_.fontTitle * s_, theme_.text,
                     mu::Align::Left, false);

        drawReadouts(cr);
        drawGraph(cr);
        const Rect t = scaled(kTargetPanel);
        mu::drawPanel(cr, theme_, t.x, t.y, t.w, t.h, "TARGET", s_);
        drawLamp(cr, "LOUDNESS", values_[pm::kLoudnessOk] >= 0.5f, scaled({430, 326, 90, 26}));
        drawLamp(cr, "TRUE PEAK", values_[pm::kTruePeakOk] >= 0.5f, scaled({526, 326, 90, 26}));
        const auto target = static_cast<std::size_t>(values_[pm::kTarget]);
        if (target < static_cast<std::size_t>(pt::kCount)) {
            char buf[96];
            std::snprintf(buf, sizeof buf, "%.0f LUFS +-%.0f LU, <= %.1f dBTP", static_cast<double>(pt::kIntegratedLufs[target]),
                          static_cast<double>(pt::kLoudnessToleranceLu), static_cast<double>(pt::kTruePeakDbtp[target]));
            const Rect r = scaled({430, 354, 276, 16});
            mu::drawTextFitted(cr, theme_, buf, r.x, r.y + 0.5 * r.h, r.w, theme_.fontNormal * s_, theme_.textDim,
                               mu::Align::Left);
        }
    }

    void paramGestureBegin(mu::ParamWidget& widget) override { editParameter(widget.index(), true); }
    void paramValueChanged(mu::ParamWidget& widget, float value) override
    {
        setParameterValue(widget.index(), value);
        values_[widget.index()] = value;
        dirty_ = true;
    }
    void paramGestureEnd(mu::ParamWidget& widget) override { editParameter(widget.index(), false); }

private:
    using Clock = std::chrono::steady_clock;

    Rect scaled(const Rect& r) const { return {r.x * sx_, r.y * sy_, r.w * sx_, r.h * sy_}; }

    void drawLamp(cairo_t* cr, const char* label, bool ok, const Rect& r)
    {
        const bool measured = values_[pm::kIntegrated] > pm::kFloor;
        const mu::Color c = !measured ? theme_.track : ok ? theme_.meterLow : theme_.meterHigh;
        c.apply(cr);
        mu::roundedRect(cr, r.x, r.y, r.w, r.h, 4.0 * s_);
        cairo_fill(cr);
        std::string text = std::string(label) + (measured ? (ok ? " OK" : " FAIL") : "");
        mu::drawTextFitted(cr, theme_, text, r.x + 0.5 * r.w, r.y + 0.5 * r.h, r.w - 6.0 * s_, theme_.fontNormal * s_,
                           measured ? theme_.background : theme_.textDim, mu::Align::Centre, true);
    }

    void drawReadouts(cairo_t* cr)
    {
        const Rect p = scaled(kReadouts);
        mu::drawPanel(cr, theme_, p.x, p.y, p.w, p.h, "LOUDNESS", s_);
        struct Row {
            const char* label;
            std::string value;
            double size;
            mu::Color color;
        };
        const float tp = values_[pm::kTruePeak];
        const auto target = static_cast<std::size_t>(values_[pm::kTarget]);
        const bool over = target < static_cast<std::size_t>(pt::kCount) && tp > pt::kTruePeakDbtp[target];
        const Row rows[] = {
            {"INTEGRATED", fmt(values_[pm::kIntegrated], "LUFS"), 26.0, theme_.text},
            {"SHORT-TERM", fmt(values_[pm::kShortTerm], "LUFS"), 18.0, theme_.accent},
            {"MOMENTARY", fmt(values_[pm::kMomentary], "LUFS"), 18.0, theme_.accent},
            {"RANGE (LRA)", fmt(values_[pm::kRange], "LU", -1.f), 16.0, theme_.text},
            {"TRUE PEAK MAX", fmt(tp, "dBTP"), 16.0, over ? theme_.meterHigh : theme_.text},
            {"SAMPLE PEAK MAX", fmt(values_[pm::kSamplePeak], "dBFS"), 12.0, theme_.textDim},
            {"PLR / PSR", fmt(values_[pm::kPlr], "LU", -100.f) + " / " + fmt(values_[pm::kPsr], "LU", -100.f), 12.0,
             theme_.textDim},
        };
        double y = kReadouts.y + 30.0;
        for (const Row& r : rows) {
            const double rowH = r.size * 1.25 + 14.0;
            mu::drawText(cr, theme_, r.label, (kReadouts.x + 12.0) * sx_, y * sy_, theme_.fontSmall * s_, theme_.panelTitle,
                         mu::Align::Left);
            mu::drawTextFitted(cr, theme_, r.value, (kReadouts.x + 12.0) * sx_, (y + 6.0 + 0.6 * r.size) * sy_,
                               (kReadouts.w - 24.0) * sx_, r.size * s_, r.color, mu::Align::Left, true);
            y += rowH + 8.0;
        }
    }

    void drawGraph(cairo_t* cr)
    {
        const Rect p = scaled(kGraph);
        mu::drawPanel(cr, theme_, p.x, p.y, p.w, p.h, "HISTORY (60 s)", s_);
        const Rect g = scaled({kGraph.x + 36, kGraph.y + 24, kGraph.w - 46, kGraph.h - 34});
        const double hi = 0.0, lo = -60.0;
        auto Y = [&](double l) { return g.y + g.h * (hi - std::clamp(l, lo, hi)) / (hi - lo); };
        cairo_set_line_width(cr, 1.0);
        for (double l = lo; l <= hi; l += 10.0) {
            theme_.panelBorder.apply(cr);
            cairo_move_to(cr, g.x, std::floor(Y(l)) + 0.5);
            cairo_line_to(cr, g.x + g.w, std::floor(Y(l)) + 0.5);
            cairo_stroke(cr);
            mu::drawText(cr, theme_, std::to_string(static_cast<int>(l)), g.x - 6.0 * s_, Y(l), theme_.fontSmall * s_,
                         theme_.textDim, mu::Align::Right);
        }
        const auto target = static_cast<std::size_t>(values_[pm::kTarget]);
        if (target < static_cast<std::size_t>(pt::kCount)) {
            const double ty = Y(pt::kIntegratedLufs[target]);
            const double dash[] = {5.0 * s_, 4.0 * s_};
            cairo_set_dash(cr, dash, 2, 0);
            theme_.meterLow.apply(cr);
            cairo_move_to(cr, g.x, ty);
            cairo_line_to(cr, g.x + g.w, ty);
            cairo_stroke(cr);
            cairo_set_dash(cr, nullptr, 0, 0);
        }
        for (int series = 0; series < 2; ++series) {
            (series == 0 ? theme_.accent.withAlpha(0.5) : theme_.brand).apply(cr);
            cairo_set_line_width(cr, (series == 0 ? 1.0 : 2.0) * s_);
            bool pen = false;
            for (std::size_t k = 0; k < kHistory; ++k) {
                const auto& h = history_[(head_ + k) % kHistory];
                const float v = series == 0 ? h[0] : h[1];
                const double x = g.x + g.w * static_cast<double>(k) / (kHistory - 1);
                if (v <= pm::kFloor) {
                    pen = false;
                    continue;
                }
                if (pen)
                    cairo_line_to(cr, x, Y(v));
                else
                    cairo_move_to(cr, x, Y(v));
                pen = true;
            }
            cairo_stroke(cr);
        }
    }

    void layout()
    {
        sx_ = getWidth() / kDesignW;
        sy_ = getHeight() / kDesignH;
        s_ = std::min(sx_, sy_);
        const std::array<std::pair<int, Rect>, 4> cells{{
            {pm::kTarget, {278, 326, 146, 42}},
            {pm::kTransport, {278, 370, 146, 36}},
            {pm::kReset, {540, 8, 80, 24}},
            {pm::kBypass, {628, 8, 82, 24}},
        }};
        for (const auto& [i, r0] : cells) {
            const Rect r = scaled(r0);
            controls_[static_cast<std::size_t>(i)]->setScale(s_);
            controls_[static_cast<std::size_t>(i)]->setBounds(r.x, r.y, r.w, r.h);
        }
        const Rect c = scaled({430, 372, 276, 36});
        correlation_->setScale(s_);
        correlation_->setBounds(c.x, c.y, c.w, c.h);
        repaint();
    }

    const mu::Theme& theme_ = mu::defaultTheme();
    std::array<std::unique_ptr<mu::ParamWidget>, pm::kCount> controls_;
    std::unique_ptr<mu::Meter> correlation_;
    std::array<float, pm::kCount> values_{};
    std::array<std::array<float, 2>, kHistory> history_{};
    std::size_t head_ = 0;
    Clock::time_point lastTick_ = Clock::now();
    bool dirty_ = true;
    double sx_ = 1.0, sy_ = 1.0, s_ = 1.0;

    DISTRHO_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(MeterUI)
};

UI* createUI() { return new MeterUI(); }

END_NAMESPACE_DISTRHO
