// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright Meter UI: big loudness and peak readouts, delivery-target pass/fail, a
// 60 s loudness history (momentary and short-term, target marked) and a correlation
// meter, from the plugin's control outputs (any host delivers them); a goniometer and
// a spectrum (Scopes.hpp) from the plugin's audio, which the plugin copies into
// lock-free rings (AudioTap, reached through DPF's direct access; the plugin and UI
// are one binary; the LV2 UI requires instance access). Without the plugin instance
// the audio views show a note and the rest works.
// Layout: an 840x500 design grid stretched to the window; detail follows the smaller
// stretch factor; the goniometer stays square. Redraw is capped: audio views update at
// most 30 times a second, the history advances at 10 Hz and readouts repaint only when
// a value changed, so an idle UI (silence, decayed views) costs almost nothing.

#include "DistrhoUI.hpp"
#include "MeterPlugin.hpp"
#include "Scopes.hpp"
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
constexpr uint kMinW = 630;
constexpr uint kMinH = 375;
constexpr double kHeaderH = 40.0;
constexpr std::size_t kHistory = 600; // 60 s at 10 Hz

struct Rect {
    double x, y, w, h;
};

constexpr Rect kReadouts{10, 46, 240, 322};
constexpr Rect kTargetPanel{10, 374, 240, 116};
constexpr Rect kGraph{258, 46, 332, 240};
constexpr Rect kStereo{596, 46, 234, 240};
constexpr Rect kSpectrum{258, 292, 572, 198};
constexpr Rect kHoldButton{750, 295, 74, 16}; // in the spectrum panel's title strip
constexpr double kFLo = 20.0, kFHi = 20000.0, kDbTop = 0.0, kDbBottom = -90.0;

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
        rate_ = getSampleRate();
        if (auto* plugin = static_cast<MeterPlugin*>(getPluginInstancePointer())) {
            tap_ = &plugin->scopeTap();
            tap_->attached.store(true, std::memory_order_release);
        }

        const double sf = getScaleFactor();
        setGeometryConstraints(static_cast<uint>(kMinW * sf), static_cast<uint>(kMinH * sf));
        if (sf != 1.0)
            setSize(static_cast<uint>(kDesignW * sf), static_cast<uint>(kDesignH * sf));
        layout();
    }

    ~MeterUI() override
    {
        if (tap_)
            tap_->attached.store(false, std::memory_order_release);
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

    void sampleRateChanged(double newSampleRate) override
    {
        rate_ = newSampleRate;
        layout();
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
        if (tap_ && now - lastScope_ >= std::chrono::milliseconds(33)) {
            const double dt = std::clamp(std::chrono::duration<double>(now - lastScope_).count(), 0.0, 0.25);
            lastScope_ = now;
            gonio_.decay(dt);
            for (;;) {
                const std::size_t n = tap_->pop({popL_.data(), popR_.data()}, popL_.size());
                if (n == 0)
                    break;
                gonio_.feed(popL_.data(), popR_.data(), n);
                spectrum_.feed(popL_.data(), popR_.data(), n);
            }
            const bool scope = gonio_.render();
            const bool spectrum = spectrum_.update(dt);
            dirty_ = dirty_ || scope || spectrum;
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

    bool onMouse(const MouseEvent& ev) override
    {
        if (ev.press && ev.button == 1) {
            const Rect b = scaled(kHoldButton);
            if (ev.pos.getX() >= b.x && ev.pos.getX() < b.x + b.w && ev.pos.getY() >= b.y && ev.pos.getY() < b.y + b.h) {
                peakHold_ = !peakHold_;
                repaint();
                return true;
            }
        }
        return false;
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
        drawTarget(cr);
        drawStereo(cr);
        drawSpectrum(cr);
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

    void drawTarget(cairo_t* cr)
    {
        const Rect t = scaled(kTargetPanel);
        mu::drawPanel(cr, theme_, t.x, t.y, t.w, t.h, "TARGET", s_);
        drawLamp(cr, "LOUDNESS", values_[pm::kLoudnessOk] >= 0.5f, scaled({156, 400, 86, 24}));
        drawLamp(cr, "TRUE PEAK", values_[pm::kTruePeakOk] >= 0.5f, scaled({156, 428, 86, 24}));
        const auto target = static_cast<std::size_t>(values_[pm::kTarget]);
        if (target < static_cast<std::size_t>(pt::kCount)) {
            char loud[48], peak[48];
            std::snprintf(loud, sizeof loud, "%.0f LUFS +-%.0f LU", static_cast<double>(pt::kIntegratedLufs[target]),
                          static_cast<double>(pt::kLoudnessToleranceLu));
            std::snprintf(peak, sizeof peak, "<= %.1f dBTP", static_cast<double>(pt::kTruePeakDbtp[target]));
            const Rect r = scaled({156, 458, 86, 14});
            mu::drawTextFitted(cr, theme_, loud, r.x + 0.5 * r.w, r.y + 0.5 * r.h, r.w, theme_.fontSmall * s_,
                               theme_.textDim, mu::Align::Centre);
            mu::drawTextFitted(cr, theme_, peak, r.x + 0.5 * r.w, r.y + 1.5 * r.h, r.w, theme_.fontSmall * s_,
                               theme_.textDim, mu::Align::Centre);
        }
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
            y += rowH + 6.0;
        }
    }

    void drawGraph(cairo_t* cr)
    {
        const Rect p = scaled(kGraph);
        mu::drawPanel(cr, theme_, p.x, p.y, p.w, p.h, "HISTORY (60 s)", s_);
        const Rect g = scaled({kGraph.x + 36, kGraph.y + 30, kGraph.w - 46, kGraph.h - 40});
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

    /// The goniometer's square in window pixels.
    Rect scopeRect() const
    {
        const Rect a = scaled({kStereo.x + 10, kStereo.y + 28, kStereo.w - 20, kStereo.h - 78});
        const double side = std::floor(std::min(a.w, a.h));
        return {std::floor(a.x + 0.5 * (a.w - side)), std::floor(a.y + 0.5 * (a.h - side)), side, side};
    }

    void drawStereo(cairo_t* cr)
    {
        const Rect p = scaled(kStereo);
        mu::drawPanel(cr, theme_, p.x, p.y, p.w, p.h, "STEREO", s_);
        const Rect q = scopeRect();
        const double cx = q.x + 0.5 * q.w, cy = q.y + 0.5 * q.h, r = 0.5 * q.w - 1.0;
        // Trough, unit circle, M/S cross (dashed) and the L/R diagonals.
        theme_.background.apply(cr);
        cairo_arc(cr, cx, cy, r, 0, 2 * M_PI);
        cairo_fill_preserve(cr);
        theme_.panelBorder.apply(cr);
        cairo_set_line_width(cr, 1.0);
        cairo_stroke(cr);
        const double d = r * M_SQRT1_2;
        cairo_move_to(cr, cx - d, cy - d);
        cairo_line_to(cr, cx + d, cy + d);
        cairo_move_to(cr, cx + d, cy - d);
        cairo_line_to(cr, cx - d, cy + d);
        cairo_stroke(cr);
        const double dash[] = {3.0 * s_, 3.0 * s_};
        cairo_set_dash(cr, dash, 2, 0);
        cairo_move_to(cr, cx, cy - r);
        cairo_line_to(cr, cx, cy + r);
        cairo_move_to(cr, cx - r, cy);
        cairo_line_to(cr, cx + r, cy);
        cairo_stroke(cr);
        cairo_set_dash(cr, nullptr, 0, 0);
        const double fs = theme_.fontSmall * s_;
        mu::drawText(cr, theme_, "L", cx - d - 6.0 * s_, cy - d - 4.0 * s_, fs, theme_.textDim);
        mu::drawText(cr, theme_, "R", cx + d + 6.0 * s_, cy - d - 4.0 * s_, fs, theme_.textDim);
        mu::drawText(cr, theme_, "M", cx + 7.0 * s_, q.y + 6.0 * s_, fs, theme_.textDim);
        mu::drawText(cr, theme_, "S", q.x + q.w - 4.0 * s_, cy - 7.0 * s_, fs, theme_.textDim);
        if (!tap_) {
            mu::drawTextFitted(cr, theme_, "no audio access in this host", cx, cy + 0.5 * r, q.w, fs, theme_.textDim);
        } else if (gonio_.image() && gonio_.visible()) {
            cairo_save(cr);
            cairo_arc(cr, cx, cy, r, 0, 2 * M_PI);
            cairo_clip(cr);
            cairo_set_source_surface(cr, gonio_.image(), q.x, q.y);
            cairo_paint(cr);
            cairo_restore(cr);
            char buf[32];
            std::snprintf(buf, sizeof buf, "%+.0f dB", 20.0 * std::log10(static_cast<double>(gonio_.gain())));
            mu::drawText(cr, theme_, buf, p.x + p.w - 10.0 * s_, p.y + 11.0 * s_, fs, theme_.textDim, mu::Align::Right);
        }
    }

    void drawSpectrum(cairo_t* cr)
    {
        const Rect p = scaled(kSpectrum);
        mu::drawPanel(cr, theme_, p.x, p.y, p.w, p.h, "SPECTRUM (L+R)", s_);
        const Rect hb = scaled(kHoldButton);
        (peakHold_ ? theme_.toggleOn : theme_.control).apply(cr);
        mu::roundedRect(cr, hb.x, hb.y, hb.w, hb.h, 3.0 * s_);
        cairo_fill(cr);
        mu::drawTextFitted(cr, theme_, "PEAK HOLD", hb.x + 0.5 * hb.w, hb.y + 0.5 * hb.h, hb.w - 4.0 * s_,
                           theme_.fontSmall * s_, peakHold_ ? theme_.text : theme_.textDim, mu::Align::Centre, true);

        const Rect g = scaled(plotArea());
        const double fLo = spectrum_.fLo(), fHi = spectrum_.fHi();
        auto X = [&](double f) { return g.x + g.w * std::log(f / fLo) / std::log(fHi / fLo); };
        auto Y = [&](double db) { return g.y + g.h * (kDbTop - std::clamp(db, kDbBottom, kDbTop)) / (kDbTop - kDbBottom); };
        theme_.background.apply(cr);
        cairo_rectangle(cr, g.x, g.y, g.w, g.h);
        cairo_fill(cr);
        cairo_set_line_width(cr, 1.0);
        const double fs = theme_.fontSmall * s_;
        for (double db = kDbTop; db >= kDbBottom; db -= 15.0) {
            theme_.panelBorder.apply(cr);
            cairo_move_to(cr, g.x, std::floor(Y(db)) + 0.5);
            cairo_line_to(cr, g.x + g.w, std::floor(Y(db)) + 0.5);
            cairo_stroke(cr);
            mu::drawText(cr, theme_, std::to_string(static_cast<int>(db)), g.x - 5.0 * s_, Y(db), fs, theme_.textDim,
                         mu::Align::Right);
        }
        const std::pair<double, const char*> ticks[] = {{20, "20"},   {50, "50"},  {100, "100"}, {200, "200"},
                                                        {500, "500"}, {1e3, "1k"}, {2e3, "2k"},  {5e3, "5k"},
                                                        {1e4, "10k"}, {2e4, "20k"}};
        for (const auto& [f, label] : ticks) {
            if (f < fLo || f > fHi * 1.001)
                continue;
            const double x = std::floor(X(f)) + 0.5;
            theme_.panelBorder.apply(cr);
            cairo_move_to(cr, x, g.y);
            cairo_line_to(cr, x, g.y + g.h);
            cairo_stroke(cr);
            const mu::Align align = f == fLo ? mu::Align::Left : f >= fHi * 0.999 ? mu::Align::Right : mu::Align::Centre;
            mu::drawText(cr, theme_, label, x, g.y + g.h + 8.0 * s_, fs, theme_.textDim, align);
        }
        if (!tap_) {
            mu::drawText(cr, theme_, "no audio access in this host", g.x + 0.5 * g.w, g.y + 0.5 * g.h,
                         theme_.fontNormal * s_, theme_.textDim);
            return;
        }
        const auto& level = spectrum_.level();
        const auto& peak = spectrum_.peak();
        const std::size_t n = level.size();
        if (n < 2)
            return;
        if (std::none_of(peak.begin(), peak.end(), [](float v) { return v > kDbBottom; }))
            return; // silence: no curve lying on the floor
        auto colX = [&](std::size_t c) { return g.x + g.w * static_cast<double>(c) / static_cast<double>(n - 1); };
        cairo_save(cr);
        cairo_rectangle(cr, g.x, g.y, g.w, g.h);
        cairo_clip(cr);
        cairo_move_to(cr, g.x, g.y + g.h);
        for (std::size_t c = 0; c < n; ++c)
            cairo_line_to(cr, colX(c), Y(level[c]));
        cairo_line_to(cr, g.x + g.w, g.y + g.h);
        cairo_close_path(cr);
        cairo_pattern_t* fill = cairo_pattern_create_linear(0, g.y, 0, g.y + g.h);
        cairo_pattern_add_color_stop_rgba(fill, 0.0, theme_.accent.r, theme_.accent.g, theme_.accent.b, 0.55);
        cairo_pattern_add_color_stop_rgba(fill, 1.0, theme_.accent.r, theme_.accent.g, theme_.accent.b, 0.08);
        cairo_set_source(cr, fill);
        cairo_fill_preserve(cr);
        cairo_pattern_destroy(fill);
        theme_.accent.apply(cr);
        cairo_set_line_width(cr, 1.2 * s_);
        cairo_stroke(cr);
        if (peakHold_) {
            for (std::size_t c = 0; c < n; ++c) {
                if (c == 0)
                    cairo_move_to(cr, colX(c), Y(peak[c]));
                else
                    cairo_line_to(cr, colX(c), Y(peak[c]));
            }
            theme_.brand.withAlpha(0.8).apply(cr);
            cairo_set_line_width(cr, 1.0 * s_);
            cairo_stroke(cr);
        }
        cairo_restore(cr);
    }

    static constexpr Rect plotArea()
    {
        return {kSpectrum.x + 34, kSpectrum.y + 30, kSpectrum.w - 46, kSpectrum.h - 50};
    }

    void layout()
    {
        sx_ = getWidth() / kDesignW;
        sy_ = getHeight() / kDesignH;
        s_ = std::min(sx_, sy_);
        const std::array<std::pair<int, Rect>, 4> cells{{
            {pm::kTarget, {16, 400, 134, 42}},
            {pm::kTransport, {16, 446, 134, 36}},
            {pm::kReset, {660, 8, 80, 24}},
            {pm::kBypass, {748, 8, 82, 24}},
        }};
        for (const auto& [i, r0] : cells) {
            const Rect r = scaled(r0);
            controls_[static_cast<std::size_t>(i)]->setScale(s_);
            controls_[static_cast<std::size_t>(i)]->setBounds(r.x, r.y, r.w, r.h);
        }
        const Rect c = scaled({kStereo.x + 10, kStereo.y + kStereo.h - 38, kStereo.w - 20, 32});
        correlation_->setScale(s_);
        correlation_->setBounds(c.x, c.y, c.w, c.h);
        gonio_.resize(static_cast<int>(scopeRect().w));
        const Rect g = scaled(plotArea());
        spectrum_.setColumns(std::max(32, static_cast<int>(g.w / (2.0 * s_))), kFLo, kFHi, rate_);
        repaint();
    }

    const mu::Theme& theme_ = mu::defaultTheme();
    std::array<std::unique_ptr<mu::ParamWidget>, pm::kCount> controls_;
    std::unique_ptr<mu::Meter> correlation_;
    std::array<float, pm::kCount> values_{};
    std::array<std::array<float, 2>, kHistory> history_{};
    std::size_t head_ = 0;
    Clock::time_point lastTick_ = Clock::now(), lastScope_ = Clock::now();
    bool dirty_ = true;
    double sx_ = 1.0, sy_ = 1.0, s_ = 1.0;
    double rate_ = 48000.0;

    mixwright::dpf::AudioTap<2>* tap_ = nullptr;
    std::array<float, 4096> popL_{}, popR_{};
    mu::Goniometer gonio_;
    mu::Spectrum spectrum_;
    bool peakHold_ = true;

    DISTRHO_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(MeterUI)
};

UI* createUI() { return new MeterUI(); }

END_NAMESPACE_DISTRHO
