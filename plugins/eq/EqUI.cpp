// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Mixwright EQ UI: a response graph (total curve, one curve per enabled band, the
// high/low-pass, and for dynamic bands the curve with the current dynamic gain, dashed)
// with draggable band nodes (drag: frequency and gain; wheel: Q; click selects the
// band), a band selector, the selected band's controls, and the filter/output panel;
// a right-click on any knob there opens a numeric entry field.
// Behind the curves a live pre/post spectrum: the plugin copies its audio into
// lock-free rings (SpectrumTap, reached through DPF's direct access), the UI pops it in
// uiIdle() and runs a 4096-point FFT (FFTW, Hann window, 50 % overlap) on (L+R)/2.
// Curves are computed from the same design functions the DSP uses
// (mixwright/dsp/matched_biquad.hpp), so the graph shows what the audio gets. The
// layout is a 900x520 design grid stretched to the window (resizable, HiDPI through
// DPF's scale factor).

#include "DistrhoUI.hpp"
#include "EqPlugin.hpp"
#include "Widgets.hpp"
#include "mixwright/dsp/matched_biquad.hpp"
#include "mixwright/params/eq.hpp"

#include <fftw3.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <memory>
#include <vector>

START_NAMESPACE_DISTRHO

namespace {

namespace pe = mixwright::params::eq;
namespace mp = mixwright::params;
namespace mu = mixwright::ui;
namespace md = mixwright::dsp;

constexpr double kDesignW = DISTRHO_UI_DEFAULT_WIDTH;
constexpr double kDesignH = DISTRHO_UI_DEFAULT_HEIGHT;
constexpr uint kMinW = 600;
constexpr uint kMinH = 350;
constexpr double kHeaderH = 40.0;
constexpr double kDbRange = 24.0;
constexpr double kFMin = 20.0, kFMax = 20000.0;

struct Rect {
    double x, y, w, h;
};

constexpr Rect kGraph{10, 46, 880, 250};
constexpr Rect kSelector{10, 302, 600, 26};
constexpr Rect kBandPanel{10, 332, 600, 182};
constexpr Rect kFilterPanel{618, 302, 272, 212};

// Cells of one band's controls (the selected band's are shown).
constexpr std::array<Rect, pe::kBandStride> kBandCells = [] {
    std::array<Rect, pe::kBandStride> c{};
    c[pe::kEnable] = {18, 360, 70, 28};
    c[pe::kType] = {96, 354, 110, 40};
    c[pe::kTarget] = {214, 354, 100, 40};
    c[pe::kDyn] = {322, 360, 80, 28};
    c[pe::kSc] = {410, 354, 190, 40};
    c[pe::kFreq] = {14, 404, 72, 100};
    c[pe::kGain] = {86, 404, 72, 100};
    c[pe::kQ] = {158, 404, 72, 100};
    c[pe::kThreshold] = {236, 404, 72, 100};
    c[pe::kRatio] = {308, 404, 72, 100};
    c[pe::kAttack] = {380, 404, 72, 100};
    c[pe::kRelease] = {452, 404, 72, 100};
    c[pe::kRange] = {524, 404, 72, 100};
    return c;
}();

constexpr std::array<std::pair<int, Rect>, 9> kFilterCells{{
    {pe::kHpEnable, {626, 332, 58, 26}},
    {pe::kHpSlope, {624, 362, 64, 40}},
    {pe::kHpFreq, {690, 326, 64, 86}},
    {pe::kHpRes, {752, 326, 64, 86}},
    {pe::kLpEnable, {626, 422, 58, 26}},
    {pe::kLpSlope, {624, 452, 64, 40}},
    {pe::kLpFreq, {690, 416, 64, 86}},
    {pe::kLpRes, {752, 416, 64, 86}},
    {pe::kOutGain, {818, 360, 68, 100}},
}};
constexpr Rect kBypassCell{808, 7, 82, 26};

const mu::Color kBandColors[pe::kBands] = {
    mu::Color::rgb(0xff6b6b), mu::Color::rgb(0xffa94d), mu::Color::rgb(0xffd43b), mu::Color::rgb(0x69db7c),
    mu::Color::rgb(0x38d9a9), mu::Color::rgb(0x4dabf7), mu::Color::rgb(0x9775fa), mu::Color::rgb(0xf783ac),
};

bool hasGain(int type) { return type != pe::kNotch && type != pe::kBandPass; }

/// The EQ's parameter values as the UI knows them (host values and user edits).
struct Model {
    std::array<float, pe::kCount> v{};
    double rate = 48000.0;

    Model()
    {
        for (std::size_t i = 0; i < v.size(); ++i)
            v[i] = pe::kTable[i].def;
    }
    float band(int b, pe::BandField f) const { return v[static_cast<std::size_t>(pe::bandIndex(b, f))]; }
    bool on(int b) const { return band(b, pe::kEnable) >= 0.5f; }
    int type(int b) const { return static_cast<int>(band(b, pe::kType)); }
    float dynGain(int b) const
    {
        return band(b, pe::kDyn) >= 0.5f ? v[static_cast<std::size_t>(pe::kDynGain1 + b)] : 0.f;
    }

    /// A band's response in dB: the analog prototype, which the running filter follows
    /// within the accuracy table of tests/test_eq.cpp (a fit per curve would cost the UI
    /// a millisecond per band and redraw).
    double bandDb(int b, bool withDynamics, double f) const
    {
        const double g = band(b, pe::kGain) + (withDynamics ? dynGain(b) : 0.f);
        return md::analogMagnitudeDb(static_cast<md::BandType>(type(b)), band(b, pe::kFreq), g, band(b, pe::kQ), f);
    }
    /// The enabled high-/low-pass as sections (empty when off).
    std::vector<md::BiquadCoefs> passSections(bool high) const
    {
        std::vector<md::BiquadCoefs> out;
        if (v[high ? pe::kHpEnable : pe::kLpEnable] < 0.5f)
            return out;
        const int order = pe::kSlopeOrders[static_cast<int>(v[high ? pe::kHpSlope : pe::kLpSlope])];
        const double fc = v[high ? pe::kHpFreq : pe::kLpFreq];
        const auto plan = md::butterworthPlan(order, v[high ? pe::kHpRes : pe::kLpRes]);
        for (int s = 0; s < plan.sections; ++s) {
            const double q = plan.q[static_cast<std::size_t>(s)];
            out.push_back(q == 0.0 ? md::designMatchedFirstOrder(high, fc, rate)
                                   : md::designMatched(high ? md::BandType::HighPass : md::BandType::LowPass, fc, 0.0,
                                                       q, rate));
        }
        return out;
    }
    double db(const md::BiquadCoefs& c, double f) const
    {
        return 20.0 * std::log10(std::max(1e-9, c.magnitude(f, rate)));
    }
};

/// Pre/post spectrum of (L+R)/2: 4096-point FFT, Hann window, hop 2048, levels in dBFS
/// of a sine (window gain compensated), falling 20 dB/s in the display.
class Analyser {
public:
    static constexpr int kSize = 4096;
    static constexpr int kBins = kSize / 2 + 1;

    Analyser()
    {
        in_ = fftwf_alloc_real(kSize);
        out_ = fftwf_alloc_complex(kBins);
        plan_ = fftwf_plan_dft_r2c_1d(kSize, in_, out_, FFTW_ESTIMATE);
        double sum = 0.0;
        for (int i = 0; i < kSize; ++i) {
            window_[static_cast<std::size_t>(i)] =
                static_cast<float>(0.5 - 0.5 * std::cos(2.0 * M_PI * i / kSize));
            sum += window_[static_cast<std::size_t>(i)];
        }
        norm_ = static_cast<float>(2.0 / sum);
        for (auto& d : db_)
            d.fill(-200.f);
    }
    ~Analyser()
    {
        fftwf_destroy_plan(plan_);
        fftwf_free(in_);
        fftwf_free(out_);
    }
    Analyser(const Analyser&) = delete;
    Analyser& operator=(const Analyser&) = delete;

    /// Appends frames; returns true when new spectra were computed.
    bool feed(const float* inL, const float* inR, const float* outL, const float* outR, std::size_t n, double dt)
    {
        bool fresh = false;
        for (std::size_t i = 0; i < n; ++i) {
            hist_[0][pos_] = 0.5f * (inL[i] + inR[i]);
            hist_[1][pos_] = 0.5f * (outL[i] + outR[i]);
            pos_ = (pos_ + 1) % kSize;
            if (++sinceHop_ >= kSize / 2) {
                sinceHop_ = 0;
                for (int k = 0; k < 2; ++k)
                    analyse(k, dt);
                fresh = true;
            }
        }
        return fresh;
    }
    const std::array<float, kBins>& db(int which) const { return db_[static_cast<std::size_t>(which)]; }
    bool active() const { return db_[0][10] > -150.f || db_[1][10] > -150.f; }

private:
    void analyse(int k, double dt)
    {
        for (int i = 0; i < kSize; ++i)
            in_[i] = hist_[static_cast<std::size_t>(k)][(pos_ + static_cast<std::size_t>(i)) % kSize]
                     * window_[static_cast<std::size_t>(i)];
        fftwf_execute(plan_);
        const float fall = static_cast<float>(20.0 * dt);
        auto& d = db_[static_cast<std::size_t>(k)];
        for (int b = 0; b < kBins; ++b) {
            const float mag = std::hypot(out_[b][0], out_[b][1]) * norm_;
            const float level = 20.f * std::log10(std::max(mag, 1e-10f));
            d[static_cast<std::size_t>(b)] = std::max(level, d[static_cast<std::size_t>(b)] - fall);
        }
    }

    float* in_ = nullptr;
    fftwf_complex* out_ = nullptr;
    fftwf_plan plan_ = nullptr;
    std::array<float, kSize> window_{};
    float norm_ = 1.f;
    std::array<std::array<float, kSize>, 2> hist_{};
    std::size_t pos_ = 0;
    int sinceHop_ = 0;
    std::array<std::array<float, kBins>, 2> db_{};
};

/// The response graph with its band nodes.
class Graph : public DGL_NAMESPACE::CairoSubWidget {
public:
    using Edit = std::function<void(int index, float value, int gesture)>; // gesture: +1 begin, 0 value, -1 end

    Graph(DGL_NAMESPACE::Widget* parent, const Model& model, const Analyser& analyser, const mu::Theme& theme,
          Edit edit, std::function<void(int)> select)
        : CairoSubWidget(parent), model_(model), analyser_(analyser), theme_(theme), edit_(std::move(edit)),
          select_(std::move(select))
    {
    }

    void setBounds(double x, double y, double w, double h, double scale)
    {
        scale_ = scale;
        setAbsolutePos(static_cast<int>(std::lround(x)), static_cast<int>(std::lround(y)));
        setSize(static_cast<uint>(std::max(1l, std::lround(w))), static_cast<uint>(std::max(1l, std::lround(h))));
    }
    void setSelected(int b)
    {
        selected_ = b;
        repaint();
    }

protected:
    double xOf(double f) const { return getWidth() * std::log(f / kFMin) / std::log(kFMax / kFMin); }
    double fOf(double x) const { return kFMin * std::pow(kFMax / kFMin, std::clamp(x / getWidth(), 0.0, 1.0)); }
    double yOf(double db) const { return getHeight() * (0.5 - 0.5 * db / (kDbRange + 3.0)); }
    double dbOf(double y) const { return (0.5 - y / getHeight()) * 2.0 * (kDbRange + 3.0); }

    double nodeDb(int b) const { return hasGain(model_.type(b)) ? model_.band(b, pe::kGain) : 0.0; }

    int nodeAt(double x, double y) const
    {
        const double r = 10.0 * scale_;
        for (int b = pe::kBands - 1; b >= 0; --b) {
            if (!model_.on(b))
                continue;
            const double dx = x - xOf(model_.band(b, pe::kFreq)), dy = y - yOf(nodeDb(b));
            if (dx * dx + dy * dy <= r * r)
                return b;
        }
        return -1;
    }

    void onCairoDisplay(const DGL_NAMESPACE::CairoGraphicsContext& context) override
    {
        cairo_t* const cr = context.handle;
        const double w = getWidth(), h = getHeight();
        mu::Color::rgb(0x101216).apply(cr);
        mu::roundedRect(cr, 0, 0, w, h, theme_.cornerRadius * scale_);
        cairo_fill(cr);

        // Grid: decades and their 2/5 subdivisions, dB every 6.
        cairo_set_line_width(cr, 1.0);
        for (double f : {20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0, 20000.0}) {
            const double x = std::floor(xOf(f)) + 0.5;
            theme_.panelBorder.apply(cr);
            cairo_move_to(cr, x, 0);
            cairo_line_to(cr, x, h);
            cairo_stroke(cr);
            char buf[16];
            std::snprintf(buf, sizeof buf, f >= 1000.0 ? "%.0fk" : "%.0f", f >= 1000.0 ? f / 1000.0 : f);
            mu::drawText(cr, theme_, buf, std::clamp(x, 10.0 * scale_, w - 12.0 * scale_), h - 8.0 * scale_,
                         theme_.fontSmall * scale_, theme_.textDim);
        }
        for (double db = -kDbRange; db <= kDbRange; db += 6.0) {
            const double y = std::floor(yOf(db)) + 0.5;
            (db == 0.0 ? theme_.controlEdge : theme_.panelBorder).apply(cr);
            cairo_move_to(cr, 0, y);
            cairo_line_to(cr, w, y);
            cairo_stroke(cr);
            char buf[16];
            std::snprintf(buf, sizeof buf, "%+.0f", db);
            mu::drawText(cr, theme_, buf, 16.0 * scale_, y - 6.0 * scale_, theme_.fontSmall * scale_, theme_.textDim);
        }

        if (analyser_.active())
            drawSpectrum(cr);

        const int n = std::max(64, static_cast<int>(w / (2.0 * scale_)));
        std::vector<double> fs(static_cast<std::size_t>(n)), total(static_cast<std::size_t>(n), 0.0),
            totalDyn(static_cast<std::size_t>(n), 0.0);
        for (int i = 0; i < n; ++i)
            fs[static_cast<std::size_t>(i)] = fOf(w * i / (n - 1));

        auto path = [&](const std::vector<double>& db) {
            for (int i = 0; i < n; ++i) {
                const double y = std::clamp(yOf(db[static_cast<std::size_t>(i)]), -2.0, h + 2.0);
                if (i == 0)
                    cairo_move_to(cr, w * i / (n - 1), y);
                else
                    cairo_line_to(cr, w * i / (n - 1), y);
            }
        };

        bool anyDynamic = false;
        std::vector<double> curve(static_cast<std::size_t>(n));
        for (int b = 0; b < pe::kBands; ++b) {
            if (!model_.on(b))
                continue;
            const bool dynamic = model_.dynGain(b) != 0.f;
            for (int i = 0; i < n; ++i) {
                const auto k = static_cast<std::size_t>(i);
                curve[k] = model_.bandDb(b, false, fs[k]);
                total[k] += curve[k];
                totalDyn[k] += dynamic ? model_.bandDb(b, true, fs[k]) : curve[k];
            }
            anyDynamic = anyDynamic || model_.dynGain(b) != 0.f;
            // Band curve, filled towards 0 dB.
            path(curve);
            cairo_line_to(cr, w, yOf(0.0));
            cairo_line_to(cr, 0, yOf(0.0));
            cairo_close_path(cr);
            kBandColors[b].withAlpha(b == selected_ ? 0.22 : 0.10).apply(cr);
            cairo_fill(cr);
            path(curve);
            kBandColors[b].withAlpha(0.7).apply(cr);
            cairo_set_line_width(cr, 1.2 * scale_);
            cairo_stroke(cr);
        }
        const auto hp = model_.passSections(true), lp = model_.passSections(false);
        for (int i = 0; i < n; ++i) {
            const auto k = static_cast<std::size_t>(i);
            double pass = model_.v[pe::kOutGain];
            for (const auto* sections : {&hp, &lp})
                for (const auto& c : *sections)
                    pass += model_.db(c, fs[k]);
            total[k] += pass;
            totalDyn[k] += pass;
        }
        if (anyDynamic) {
            path(totalDyn);
            const double dash[] = {5.0 * scale_, 4.0 * scale_};
            cairo_set_dash(cr, dash, 2, 0.0);
            theme_.brand.apply(cr);
            cairo_set_line_width(cr, 1.6 * scale_);
            cairo_stroke(cr);
            cairo_set_dash(cr, nullptr, 0, 0.0);
        }
        path(total);
        theme_.text.apply(cr);
        cairo_set_line_width(cr, 2.2 * scale_);
        cairo_stroke(cr);

        // Nodes: numbered discs; a dynamic band shows a bar to its current dynamic gain.
        for (int b = 0; b < pe::kBands; ++b) {
            if (!model_.on(b))
                continue;
            const double x = xOf(model_.band(b, pe::kFreq)), y = yOf(nodeDb(b));
            if (model_.dynGain(b) != 0.f) {
                theme_.brand.apply(cr);
                cairo_set_line_width(cr, 3.0 * scale_);
                cairo_move_to(cr, x, y);
                cairo_line_to(cr, x, yOf(nodeDb(b) + model_.dynGain(b)));
                cairo_stroke(cr);
            }
            cairo_arc(cr, x, y, (b == selected_ ? 9.0 : 7.5) * scale_, 0, 2 * M_PI);
            kBandColors[b].apply(cr);
            cairo_fill_preserve(cr);
            (b == selected_ ? theme_.text : mu::Color::rgb(0x101216)).apply(cr);
            cairo_set_line_width(cr, 1.5 * scale_);
            cairo_stroke(cr);
            char buf[4];
            std::snprintf(buf, sizeof buf, "%d", b + 1);
            mu::drawText(cr, theme_, buf, x, y, theme_.fontSmall * scale_, mu::Color::rgb(0x101216), mu::Align::Centre,
                         true);
        }
    }

    /// Pre (filled) and post (line) spectra, 0 dBFS at the top, -96 dBFS at the bottom;
    /// each pixel column shows the loudest bin it covers.
    void drawSpectrum(cairo_t* cr)
    {
        const double w = getWidth(), h = getHeight();
        const int cols = std::max(32, static_cast<int>(w / (2.0 * scale_)));
        for (int which = 0; which < 2; ++which) {
            const auto& d = analyser_.db(which);
            for (int c = 0; c <= cols; ++c) {
                const double x = w * c / cols;
                const double f0 = fOf(x - 0.5 * w / cols), f1 = fOf(x + 0.5 * w / cols);
                const int b0 = std::clamp(static_cast<int>(f0 / model_.rate * Analyser::kSize), 1, Analyser::kBins - 1);
                const int b1 = std::clamp(static_cast<int>(f1 / model_.rate * Analyser::kSize), b0, Analyser::kBins - 1);
                float level = -200.f;
                for (int b = b0; b <= b1; ++b)
                    level = std::max(level, d[static_cast<std::size_t>(b)]);
                const double y = std::clamp(h * (-static_cast<double>(level) / 96.0), 0.0, h);
                if (c == 0)
                    cairo_move_to(cr, x, y);
                else
                    cairo_line_to(cr, x, y);
            }
            if (which == 0) {
                cairo_line_to(cr, w, h);
                cairo_line_to(cr, 0, h);
                cairo_close_path(cr);
                theme_.textDim.withAlpha(0.16).apply(cr);
                cairo_fill(cr);
            } else {
                theme_.accent.withAlpha(0.55).apply(cr);
                cairo_set_line_width(cr, 1.0 * scale_);
                cairo_stroke(cr);
            }
        }
    }

    bool onMouse(const MouseEvent& ev) override
    {
        if (ev.button != DGL_NAMESPACE::kMouseButtonLeft)
            return false;
        if (ev.press) {
            if (!contains(ev.pos))
                return false;
            const int b = nodeAt(ev.pos.getX(), ev.pos.getY());
            if (b < 0)
                return false;
            select_(b);
            dragging_ = b;
            edit_(pe::bandIndex(b, pe::kFreq), 0.f, +1);
            if (hasGain(model_.type(b)))
                edit_(pe::bandIndex(b, pe::kGain), 0.f, +1);
            return true;
        }
        if (dragging_ < 0)
            return false;
        edit_(pe::bandIndex(dragging_, pe::kFreq), 0.f, -1);
        if (hasGain(model_.type(dragging_)))
            edit_(pe::bandIndex(dragging_, pe::kGain), 0.f, -1);
        dragging_ = -1;
        return true;
    }

    bool onMotion(const MotionEvent& ev) override
    {
        if (dragging_ < 0)
            return false;
        edit_(pe::bandIndex(dragging_, pe::kFreq), static_cast<float>(fOf(ev.pos.getX())), 0);
        if (hasGain(model_.type(dragging_)))
            edit_(pe::bandIndex(dragging_, pe::kGain),
                  static_cast<float>(std::clamp(dbOf(ev.pos.getY()), -kDbRange, kDbRange)), 0);
        return true;
    }

    bool onScroll(const ScrollEvent& ev) override
    {
        if (!contains(ev.pos))
            return false;
        const int b = nodeAt(ev.pos.getX(), ev.pos.getY());
        if (b < 0)
            return false;
        select_(b);
        const int qi = pe::bandIndex(b, pe::kQ);
        const double factor = std::pow(2.0, ev.delta.getY() / 6.0); // six notches per octave of Q
        edit_(qi, 0.f, +1);
        edit_(qi, static_cast<float>(model_.band(b, pe::kQ) * factor), 0);
        edit_(qi, 0.f, -1);
        return true;
    }

private:
    const Model& model_;
    const Analyser& analyser_;
    const mu::Theme& theme_;
    Edit edit_;
    std::function<void(int)> select_;
    double scale_ = 1.0;
    int selected_ = 0;
    int dragging_ = -1;
};

/// Eight buttons choosing the band whose controls are shown.
class BandSelector : public DGL_NAMESPACE::CairoSubWidget {
public:
    BandSelector(DGL_NAMESPACE::Widget* parent, const Model& model, const mu::Theme& theme,
                 std::function<void(int)> select)
        : CairoSubWidget(parent), model_(model), theme_(theme), select_(std::move(select))
    {
    }
    void setBounds(double x, double y, double w, double h, double scale)
    {
        scale_ = scale;
        setAbsolutePos(static_cast<int>(std::lround(x)), static_cast<int>(std::lround(y)));
        setSize(static_cast<uint>(std::max(1l, std::lround(w))), static_cast<uint>(std::max(1l, std::lround(h))));
    }
    void setSelected(int b)
    {
        selected_ = b;
        repaint();
    }

protected:
    void onCairoDisplay(const DGL_NAMESPACE::CairoGraphicsContext& context) override
    {
        cairo_t* const cr = context.handle;
        const double bw = getWidth() / pe::kBands, h = getHeight();
        for (int b = 0; b < pe::kBands; ++b) {
            const double x = b * bw + 2.0 * scale_;
            mu::roundedRect(cr, x, 1.0, bw - 4.0 * scale_, h - 2.0, theme_.cornerRadius * scale_);
            (b == selected_ ? theme_.controlEdge : theme_.control).apply(cr);
            cairo_fill_preserve(cr);
            (model_.on(b) ? kBandColors[b] : theme_.track).apply(cr);
            cairo_set_line_width(cr, (b == selected_ ? 2.0 : 1.0) * scale_);
            cairo_stroke(cr);
            char buf[32];
            std::snprintf(buf, sizeof buf, "%d  %s", b + 1,
                          std::string(pe::kTypeLabels[static_cast<std::size_t>(model_.type(b))]).c_str());
            mu::drawTextFitted(cr, theme_, buf, x + 0.5 * (bw - 4.0 * scale_), 0.5 * h, bw - 10.0 * scale_,
                               theme_.fontSmall * scale_, model_.on(b) ? theme_.text : theme_.textDim);
        }
    }
    bool onMouse(const MouseEvent& ev) override
    {
        if (ev.button != DGL_NAMESPACE::kMouseButtonLeft || !ev.press || !contains(ev.pos))
            return false;
        select_(std::clamp(static_cast<int>(ev.pos.getX() / (getWidth() / pe::kBands)), 0, pe::kBands - 1));
        return true;
    }

private:
    const Model& model_;
    const mu::Theme& theme_;
    std::function<void(int)> select_;
    double scale_ = 1.0;
    int selected_ = 0;
};

/// Numeric entry: a right-click on a knob of the band or filter panels opens a text
/// field over it; digits, '.', '-', 'k' (x1000), Backspace; Enter sets the value
/// (clamped to the parameter's range), Escape or a click elsewhere cancels. Covers the
/// lower panels and draws nothing while closed.
class NumberEntry : public DGL_NAMESPACE::CairoSubWidget {
public:
    using Hit = std::function<int(double x, double y, Rect& cell)>; // parameter under the point, or -1
    using Commit = std::function<void(int index, float value)>;

    NumberEntry(DGL_NAMESPACE::Widget* parent, const mu::Theme& theme, Hit hit, Commit commit)
        : CairoSubWidget(parent), theme_(theme), hit_(std::move(hit)), commit_(std::move(commit))
    {
    }
    void setBounds(double x, double y, double w, double h, double scale)
    {
        scale_ = scale;
        ox_ = x;
        oy_ = y;
        setAbsolutePos(static_cast<int>(std::lround(x)), static_cast<int>(std::lround(y)));
        setSize(static_cast<uint>(std::max(1l, std::lround(w))), static_cast<uint>(std::max(1l, std::lround(h))));
    }
    bool isOpen() const { return index_ >= 0; }

protected:
    void onCairoDisplay(const DGL_NAMESPACE::CairoGraphicsContext& context) override
    {
        if (index_ < 0)
            return;
        cairo_t* const cr = context.handle;
        const double x = cell_.x - ox_, y = cell_.y - oy_ + cell_.h - 22.0 * scale_;
        mu::roundedRect(cr, x + 2.0 * scale_, y, cell_.w - 4.0 * scale_, 20.0 * scale_, theme_.cornerRadius * scale_);
        mu::Color::rgb(0x101216).apply(cr);
        cairo_fill_preserve(cr);
        theme_.accent.apply(cr);
        cairo_set_line_width(cr, 1.5 * scale_);
        cairo_stroke(cr);
        mu::drawTextFitted(cr, theme_, text_ + "_", x + 0.5 * cell_.w, y + 10.0 * scale_, cell_.w - 8.0 * scale_,
                           theme_.fontNormal * scale_, theme_.text);
    }

    bool onMouse(const MouseEvent& ev) override
    {
        if (!ev.press)
            return false;
        if (index_ >= 0) { // any click closes the field
            index_ = -1;
            repaint();
        }
        if (ev.button != DGL_NAMESPACE::kMouseButtonRight || !contains(ev.pos))
            return false;
        Rect cell{};
        const int index = hit_(ev.pos.getX() + ox_, ev.pos.getY() + oy_, cell);
        if (index < 0)
            return false;
        index_ = index;
        cell_ = cell;
        text_.clear();
        repaint();
        return true;
    }

    bool onKeyboard(const KeyboardEvent& ev) override
    {
        if (index_ < 0 || !ev.press)
            return false;
        const uint k = ev.key;
        if ((k >= '0' && k <= '9') || k == '.' || k == '-' || k == 'k' || k == 'K') {
            if (text_.size() < 12)
                text_.push_back(static_cast<char>(k == 'K' ? 'k' : k));
        } else if (k == DGL_NAMESPACE::kKeyBackspace) {
            if (!text_.empty())
                text_.pop_back();
        } else if (k == DGL_NAMESPACE::kKeyEscape) {
            index_ = -1;
        } else if (k == '\r' || k == '\n') {
            char* end = nullptr;
            double v = std::strtod(text_.c_str(), &end);
            if (end != text_.c_str()) {
                if (end && *end == 'k')
                    v *= 1000.0;
                commit_(index_, static_cast<float>(v));
            }
            index_ = -1;
        } else {
            return false;
        }
        repaint();
        return true;
    }

private:
    const mu::Theme& theme_;
    Hit hit_;
    Commit commit_;
    double scale_ = 1.0, ox_ = 0.0, oy_ = 0.0;
    int index_ = -1;
    Rect cell_{};
    std::string text_;
};

} // namespace

class EqUI : public UI, public mu::ParamListener {
public:
    EqUI()
        : UI(DISTRHO_UI_DEFAULT_WIDTH, DISTRHO_UI_DEFAULT_HEIGHT)
    {
        model_.rate = getSampleRate();
        if (auto* plugin = static_cast<EqPlugin*>(getPluginInstancePointer())) {
            tap_ = &plugin->spectrumTap();
            tap_->attached.store(true, std::memory_order_release);
        }
        auto select = [this](int b) { selectBand(b); };
        graph_ = std::make_unique<Graph>(
            this, model_, analyser_, theme_,
            [this](int index, float value, int gesture) {
                if (gesture != 0) {
                    editParameter(static_cast<uint32_t>(index), gesture > 0);
                    return;
                }
                const float v = pe::kTable[static_cast<std::size_t>(index)].clamp(value);
                model_.v[static_cast<std::size_t>(index)] = v;
                setParameterValue(static_cast<uint32_t>(index), v);
                if (controls_[static_cast<std::size_t>(index)])
                    controls_[static_cast<std::size_t>(index)]->setValue(v);
                graph_->repaint();
            },
            select);
        selector_ = std::make_unique<BandSelector>(this, model_, theme_, select);
        for (uint32_t i = 0; i < pe::kCount; ++i) {
            const mp::Spec& spec = pe::kTable[i];
            if (!spec.is(mp::kOutput))
                controls_[i] = mu::makeParamWidget(this, i, spec, *this, theme_);
        }
        if (auto* bypass = dynamic_cast<mu::Toggle*>(controls_[pe::kBypass].get()))
            bypass->setOnColor(theme_.brand);
        entry_ = std::make_unique<NumberEntry>(
            this, theme_,
            [this](double x, double y, Rect& cell) {
                auto inside = [&](const Rect& r) {
                    const Rect c = scaled(r);
                    if (x < c.x || y < c.y || x >= c.x + c.w || y >= c.y + c.h)
                        return false;
                    cell = c;
                    return true;
                };
                for (int f = 0; f < pe::kBandStride; ++f) {
                    const int i = pe::bandIndex(selected_, static_cast<pe::BandField>(f));
                    if (dynamic_cast<mu::Knob*>(controls_[static_cast<std::size_t>(i)].get())
                        && inside(kBandCells[static_cast<std::size_t>(f)]))
                        return i;
                }
                for (const auto& [i, r] : kFilterCells)
                    if (dynamic_cast<mu::Knob*>(controls_[static_cast<std::size_t>(i)].get()) && inside(r))
                        return i;
                return -1;
            },
            [this](int index, float value) {
                const auto i = static_cast<std::size_t>(index);
                const float v = pe::kTable[i].clamp(value);
                model_.v[i] = v;
                editParameter(static_cast<uint32_t>(index), true);
                setParameterValue(static_cast<uint32_t>(index), v);
                editParameter(static_cast<uint32_t>(index), false);
                controls_[i]->setValue(v);
                graph_->repaint();
            });

        const double sf = getScaleFactor();
        setGeometryConstraints(static_cast<uint>(kMinW * sf), static_cast<uint>(kMinH * sf));
        if (sf != 1.0)
            setSize(static_cast<uint>(kDesignW * sf), static_cast<uint>(kDesignH * sf));
        selectBand(0);
        layout();
    }

    ~EqUI() override
    {
        if (tap_)
            tap_->attached.store(false, std::memory_order_release);
    }

protected:
    void uiIdle() override
    {
        if (!tap_)
            return;
        bool fresh = false;
        std::size_t total = 0;
        for (;;) {
            const std::size_t n = tap_->pop(popInL_.data(), popInR_.data(), popOutL_.data(), popOutR_.data(),
                                            popInL_.size());
            if (n == 0)
                break;
            total += n;
            fresh = analyser_.feed(popInL_.data(), popInR_.data(), popOutL_.data(), popOutR_.data(), n,
                                   0.5 * Analyser::kSize / model_.rate) || fresh;
        }
        if (fresh || total > 0)
            graph_->repaint();
    }

    void parameterChanged(uint32_t index, float value) override
    {
        if (index >= pe::kCount)
            return;
        model_.v[index] = value;
        if (controls_[index])
            controls_[index]->setValue(value);
        graph_->repaint();
        if (index < static_cast<uint32_t>(pe::kBands * pe::kBandStride))
            selector_->repaint();
    }

    void sampleRateChanged(double newSampleRate) override
    {
        model_.rate = newSampleRate;
        graph_->repaint();
    }

    void onResize(const ResizeEvent& ev) override
    {
        UI::onResize(ev);
        layout();
    }

    void onCairoDisplay(const CairoGraphicsContext& context) override
    {
        cairo_t* const cr = context.handle;
        mu::drawBackgroundAndHeader(cr, theme_, getWidth(), kHeaderH * sy_, 12.0 * sx_, "EQ", s_);

        char title[32];
        std::snprintf(title, sizeof title, "BAND %d", selected_ + 1);
        const Rect bp = scaled(kBandPanel);
        mu::drawPanel(cr, theme_, bp.x, bp.y, bp.w, bp.h, title, s_);
        const Rect fp = scaled(kFilterPanel);
        mu::drawPanel(cr, theme_, fp.x, fp.y, fp.w, fp.h, "FILTERS / OUTPUT", s_);
    }

    void paramGestureBegin(mu::ParamWidget& widget) override { editParameter(widget.index(), true); }
    void paramValueChanged(mu::ParamWidget& widget, float value) override
    {
        model_.v[widget.index()] = value;
        setParameterValue(widget.index(), value);
        graph_->repaint();
        selector_->repaint();
    }
    void paramGestureEnd(mu::ParamWidget& widget) override { editParameter(widget.index(), false); }

private:
    Rect scaled(const Rect& r) const { return {r.x * sx_, r.y * sy_, r.w * sx_, r.h * sy_}; }

    void selectBand(int b)
    {
        selected_ = b;
        for (int k = 0; k < pe::kBands; ++k)
            for (int f = 0; f < pe::kBandStride; ++f)
                controls_[static_cast<std::size_t>(pe::bandIndex(k, static_cast<pe::BandField>(f)))]->setVisible(k == b);
        graph_->setSelected(b);
        selector_->setSelected(b);
        repaint();
    }

    void layout()
    {
        sx_ = getWidth() / kDesignW;
        sy_ = getHeight() / kDesignH;
        s_ = std::min(sx_, sy_);
        auto place = [this](uint32_t i, const Rect& cell) {
            const Rect r = scaled(cell);
            controls_[i]->setScale(s_);
            controls_[i]->setBounds(r.x, r.y, r.w, r.h);
        };
        for (int b = 0; b < pe::kBands; ++b)
            for (int f = 0; f < pe::kBandStride; ++f)
                place(static_cast<uint32_t>(pe::bandIndex(b, static_cast<pe::BandField>(f))),
                      kBandCells[static_cast<std::size_t>(f)]);
        for (const auto& [index, cell] : kFilterCells)
            place(static_cast<uint32_t>(index), cell);
        place(pe::kBypass, kBypassCell);
        const Rect g = scaled(kGraph);
        graph_->setBounds(g.x, g.y, g.w, g.h, s_);
        const Rect sel = scaled(kSelector);
        selector_->setBounds(sel.x, sel.y, sel.w, sel.h, s_);
        entry_->setBounds(kBandPanel.x * sx_, kFilterPanel.y * sy_, (kFilterPanel.x + kFilterPanel.w - kBandPanel.x) * sx_,
                          (kBandPanel.y + kBandPanel.h - kFilterPanel.y) * sy_, s_);
        repaint();
    }

    const mu::Theme& theme_ = mu::defaultTheme();
    Model model_;
    Analyser analyser_;
    mixwright::dpf::SpectrumTap* tap_ = nullptr;
    std::array<float, 2048> popInL_{}, popInR_{}, popOutL_{}, popOutR_{};
    std::unique_ptr<Graph> graph_;
    std::unique_ptr<BandSelector> selector_;
    std::unique_ptr<NumberEntry> entry_;
    std::array<std::unique_ptr<mu::ParamWidget>, pe::kCount> controls_;
    int selected_ = 0;
    double sx_ = 1.0;
    double sy_ = 1.0;
    double s_ = 1.0;

    DISTRHO_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(EqUI)
};

UI* createUI() { return new EqUI(); }

END_NAMESPACE_DISTRHO
