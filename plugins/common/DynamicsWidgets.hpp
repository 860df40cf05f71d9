// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Cairo views for dynamics processors (Compressor, Gate): a transfer-curve view with
// the live detector level as a moving point, and a gain-reduction history (a short
// scrolling trace plus the current value). Both only display; they take no input.

#pragma once

#include "Theme.hpp"

#include "Cairo.hpp"

#include <array>
#include <cstddef>
#include <functional>
#include <limits>
#include <string>

namespace mixwright::ui {

/// Input level (dB, x) against output level (dB, y) over [minDb, maxDb] on both axes,
/// with the unity line, a dB grid, the curve the owner supplies, and a dot at the
/// live level on the curve (hidden below the range).
class TransferCurveView : public DGL_NAMESPACE::CairoSubWidget {
public:
    using Curve = std::function<float(float)>;

    TransferCurveView(DGL_NAMESPACE::Widget* parent, const Theme& theme = defaultTheme());
    void setCurve(Curve curve);
    void setRange(float minDb, float maxDb);
    /// Threshold marker (dashed vertical line); NaN hides it.
    void setMarkers(float threshold, float secondary = std::numeric_limits<float>::quiet_NaN());
    void setLevel(float db);
    void setScale(double scale);
    void setBounds(double x, double y, double w, double h);
    /// Call after the curve's parameters change.
    void curveChanged() { repaint(); }

protected:
    void onCairoDisplay(const DGL_NAMESPACE::CairoGraphicsContext& context) override;

private:
    double s(double v) const { return v * scale_; }

    const Theme& theme_;
    Curve curve_;
    float minDb_ = -60.f, maxDb_ = 0.f;
    float level_ = -200.f;
    float threshold_ = std::numeric_limits<float>::quiet_NaN();
    float secondary_ = std::numeric_limits<float>::quiet_NaN();
    double scale_ = 1.0;
};

/// The last kLength gain-reduction values (dB, >= 0) drawn as a trace hanging from the
/// top edge (0 dB) down to `rangeDb`, newest at the right, with the current value.
class GainReductionHistory : public DGL_NAMESPACE::CairoSubWidget {
public:
    static constexpr std::size_t kLength = 240; // 8 s at the UI's 30 Hz idle rate

    GainReductionHistory(DGL_NAMESPACE::Widget* parent, const Theme& theme = defaultTheme());
    void push(float grDb);
    void setRangeDb(float rangeDb);
    void setCaption(std::string caption) { caption_ = std::move(caption); }
    void setScale(double scale);
    void setBounds(double x, double y, double w, double h);
    float latest() const { return values_[(head_ + kLength - 1) % kLength]; }

protected:
    void onCairoDisplay(const DGL_NAMESPACE::CairoGraphicsContext& context) override;

private:
    double s(double v) const { return v * scale_; }

    const Theme& theme_;
    std::array<float, kLength> values_{};
    std::size_t head_ = 0;
    float rangeDb_ = 24.f;
    std::string caption_ = "GR";
    double scale_ = 1.0;
};

} // namespace mixwright::ui
