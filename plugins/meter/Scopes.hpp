// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// The Meter UI's audio views, fed on the UI thread from the plugin's AudioTap:
// - Goniometer: stereo vectorscope, mid (L+R)/sqrt2 up, side to the right (R-L)/sqrt2,
//   so a left-only signal lies on the upper-left diagonal. Every sample is splatted
//   (bilinear) into a glow buffer that decays with a 120 ms time constant (phosphor
//   persistence); a slow automatic gain (peak envelope, 1.5 s release, at most +60 dB)
//   keeps the figure at about 85 % of the radius.
// - Spectrum: 4096-point FFT (FFTW) of (L+R)/2, Hann window, at most one transform
//   per UI frame over the newest samples; levels in dBFS of a sine (window gain
//   compensated, so a sine reads its level to within the Hann window's 1.4 dB
//   scalloping); each log-frequency column shows the loudest bin it covers (as the
//   EQ's analyser) or, where it covers at most one bin, interpolates between bins;
//   rise is smoothed (30 ms), fall is 24 dB/s; optional peak hold (2 s, then 12 dB/s).
// Both cost nothing while the audio is silent and their display has decayed: update
// and advance report whether anything visible changed, and the UI repaints only then.

#pragma once

#include <cairo.h>
#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

namespace mixwright::ui {

class Goniometer {
public:
    Goniometer() = default;
    ~Goniometer()
    {
        if (image_)
            cairo_surface_destroy(image_);
    }
    Goniometer(const Goniometer&) = delete;
    Goniometer& operator=(const Goniometer&) = delete;

    /// Side of the square view in device pixels; clears the glow.
    void resize(int side)
    {
        side = std::max(side, 8);
        if (side == side_)
            return;
        side_ = side;
        glow_.assign(static_cast<std::size_t>(side) * static_cast<std::size_t>(side), 0.f);
        if (image_)
            cairo_surface_destroy(image_);
        image_ = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, side, side);
        visible_ = false;
        render();
    }

    /// Fades the glow and the gain envelope by dt seconds.
    void decay(double dt)
    {
        env_ *= static_cast<float>(std::exp(-dt / 1.5));
        if (!visible_)
            return;
        const auto k = static_cast<float>(std::exp(-dt / 0.12));
        for (float& g : glow_)
            g *= k;
        dirty_ = true;
    }

    void feed(const float* l, const float* r, std::size_t n)
    {
        if (side_ == 0 || n == 0)
            return;
        constexpr float kInvSqrt2 = 0.70710678f;
        float peak = 0.f;
        for (std::size_t i = 0; i < n; ++i)
            peak = std::max({peak, std::fabs(l[i] + r[i]), std::fabs(r[i] - l[i])});
        peak *= kInvSqrt2;
        if (!(peak > 1e-6f) || !std::isfinite(peak))
            return; // silence (or garbage): nothing to draw
        env_ = std::max(env_, peak);
        const float gain = 0.85f / std::max(env_, 0.85e-3f);
        const float radius = 0.5f * static_cast<float>(side_ - 2);
        const float centre = 0.5f * static_cast<float>(side_);
        const float scale = gain * radius * kInvSqrt2;
        // Larger views spread the same samples over more pixels: keep the brightness.
        const float weight = 0.3f * std::max(1.f, std::pow(static_cast<float>(side_) / 180.f, 1.5f));
        // At most the newest 8192 frames per UI frame: the glow would saturate anyway.
        const std::size_t first = n > 8192 ? n - 8192 : 0;
        for (std::size_t i = first; i < n; ++i) {
            const float x = centre + scale * (r[i] - l[i]);
            const float y = centre - scale * (l[i] + r[i]);
            splat(x, y, weight);
        }
        visible_ = dirty_ = true;
    }

    /// Updates the image after decay() and feed(); returns whether it changed.
    bool render()
    {
        if (!image_ || !dirty_)
            return false;
        dirty_ = false;
        cairo_surface_flush(image_);
        unsigned char* data = cairo_image_surface_get_data(image_);
        const int stride = cairo_image_surface_get_stride(image_);
        float maxGlow = 0.f;
        for (int y = 0; y < side_; ++y) {
            auto* row = reinterpret_cast<std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
            const float* g = glow_.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(side_);
            for (int x = 0; x < side_; ++x) {
                const float v = g[x];
                maxGlow = std::max(maxGlow, v);
                row[x] = pixel(v);
            }
        }
        cairo_surface_mark_dirty(image_);
        if (maxGlow < 0.004f && visible_) {
            std::fill(glow_.begin(), glow_.end(), 0.f);
            visible_ = false;
            dirty_ = true; // one more frame to clear the last traces
        }
        return true;
    }

    bool visible() const { return visible_; }
    int side() const { return side_; }
    /// Gain applied to the figure (linear), for the display.
    float gain() const { return 0.85f / std::max(env_, 0.85e-3f); }
    cairo_surface_t* image() const { return image_; }

private:
    void splat(float x, float y, float w)
    {
        const float fx = std::floor(x), fy = std::floor(y);
        const int ix = static_cast<int>(fx), iy = static_cast<int>(fy);
        if (ix < 0 || iy < 0 || ix + 1 >= side_ || iy + 1 >= side_)
            return;
        const float ax = x - fx, ay = y - fy;
        float* p = glow_.data() + static_cast<std::size_t>(iy) * static_cast<std::size_t>(side_) + ix;
        p[0] += w * (1.f - ax) * (1.f - ay);
        p[1] += w * ax * (1.f - ay);
        p[side_] += w * (1.f - ax) * ay;
        p[side_ + 1] += w * ax * ay;
    }

    /// Glow to premultiplied ARGB: the accent blue, whitening where it is dense.
    static std::uint32_t pixel(float g)
    {
        if (g < 0.004f)
            return 0;
        const float a = g / (1.f + g);
        const float white = a * a * 0.7f;
        auto ch = [&](float c) { return static_cast<std::uint32_t>(255.f * a * (c + (1.f - c) * white) + 0.5f); };
        return (static_cast<std::uint32_t>(255.f * a + 0.5f) << 24) | (ch(0x4f / 255.f) << 16) | (ch(0xb3 / 255.f) << 8)
               | ch(1.f);
    }

    int side_ = 0;
    std::vector<float> glow_;
    cairo_surface_t* image_ = nullptr;
    float env_ = 0.f;
    bool visible_ = false, dirty_ = false;
};

class Spectrum {
public:
    static constexpr int kSize = 4096;
    static constexpr int kBins = kSize / 2 + 1;
    static constexpr float kFloorDb = -140.f;

    Spectrum()
    {
        in_ = fftwf_alloc_real(kSize);
        out_ = fftwf_alloc_complex(kBins);
        plan_ = fftwf_plan_dft_r2c_1d(kSize, in_, out_, FFTW_ESTIMATE);
        double sum = 0.0;
        window_.resize(kSize);
        for (int i = 0; i < kSize; ++i) {
            window_[static_cast<std::size_t>(i)] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / kSize));
            sum += window_[static_cast<std::size_t>(i)];
        }
        norm_ = static_cast<float>(2.0 / sum);
        hist_.assign(kSize, 0.f);
        power_.assign(kBins, 0.f);
    }
    ~Spectrum()
    {
        fftwf_destroy_plan(plan_);
        fftwf_free(in_);
        fftwf_free(out_);
    }
    Spectrum(const Spectrum&) = delete;
    Spectrum& operator=(const Spectrum&) = delete;

    /// Columns spaced logarithmically from fLo to fHi (clamped to Nyquist).
    void setColumns(int columns, double fLo, double fHi, double rate)
    {
        columns = std::max(columns, 8);
        rate_ = rate > 0 ? rate : 48000.0;
        fLo_ = fLo;
        fHi_ = std::min(fHi, 0.5 * rate_);
        const double df = rate_ / kSize;
        lo_.assign(static_cast<std::size_t>(columns), 0);
        hi_.assign(static_cast<std::size_t>(columns), 0);
        frac_.assign(static_cast<std::size_t>(columns), 0.f);
        level_.assign(static_cast<std::size_t>(columns), kFloorDb);
        peak_.assign(static_cast<std::size_t>(columns), kFloorDb);
        held_.assign(static_cast<std::size_t>(columns), 0.f);
        const double ratio = std::log(fHi_ / fLo_);
        for (int c = 0; c < columns; ++c) {
            auto fAt = [&](double x) { return fLo_ * std::exp(ratio * x / (columns - 1)); };
            const double f = fAt(c);
            const auto i = static_cast<std::size_t>(c);
            lo_[i] = std::clamp(static_cast<int>(std::ceil(fAt(c - 0.5) / df)), 1, kBins - 1);
            hi_[i] = std::clamp(static_cast<int>(std::floor(fAt(c + 0.5) / df)), 1, kBins - 1);
            if (hi_[i] <= lo_[i]) { // at most one bin: interpolate at f
                const double pos = std::clamp(f / df, 1.0, kBins - 2.0);
                lo_[i] = static_cast<int>(pos);
                hi_[i] = -1;
                frac_[i] = static_cast<float>(pos - lo_[i]);
            }
        }
        active_ = false;
    }

    void feed(const float* l, const float* r, std::size_t n)
    {
        for (std::size_t i = 0; i < n; ++i) {
            float v = 0.5f * (l[i] + r[i]);
            v = std::isfinite(v) ? v : 0.f;
            hist_[pos_] = v;
            pos_ = (pos_ + 1) % kSize;
            zeros_ = v == 0.f ? zeros_ + 1 : 0;
        }
        fresh_ += n;
    }

    /// Advances the display by dt seconds; returns whether it changed.
    bool update(double dt)
    {
        if (level_.empty())
            return false;
        // A window of digital silence needs no transform (hosts keep running the plugin).
        const bool analyse = fresh_ >= kSize / 16 && !(zeros_ >= kSize && !active_);
        if (!analyse && !active_)
            return false;
        if (analyse) {
            fresh_ = 0;
            for (int i = 0; i < kSize; ++i)
                in_[i] = hist_[(pos_ + static_cast<std::size_t>(i)) % kSize] * window_[static_cast<std::size_t>(i)];
            fftwf_execute(plan_);
            for (int b = 0; b < kBins; ++b)
                power_[static_cast<std::size_t>(b)] = (out_[b][0] * out_[b][0] + out_[b][1] * out_[b][1]) * norm_ * norm_;
        }
        const auto fall = static_cast<float>(24.0 * dt);
        const auto rise = static_cast<float>(1.0 - std::exp(-dt / 0.03));
        bool active = false;
        for (std::size_t c = 0; c < level_.size(); ++c) {
            float db = level_[c] - fall;
            if (analyse) {
                float p;
                if (hi_[c] < 0) {
                    const auto b = static_cast<std::size_t>(lo_[c]);
                    p = power_[b] + frac_[c] * (power_[b + 1] - power_[b]);
                } else {
                    p = 0.f;
                    for (int b = lo_[c]; b <= hi_[c]; ++b)
                        p = std::max(p, power_[static_cast<std::size_t>(b)]);
                }
                const float now = p > 1e-14f ? 10.f * std::log10(p) : kFloorDb;
                db = now > level_[c] ? level_[c] + rise * (now - level_[c]) : std::max(now, db);
            }
            level_[c] = std::max(db, kFloorDb);
            if (level_[c] >= peak_[c]) {
                peak_[c] = level_[c];
                held_[c] = 0.f;
            } else {
                held_[c] += static_cast<float>(dt);
                if (held_[c] > 2.f)
                    peak_[c] = std::max(level_[c], peak_[c] - static_cast<float>(12.0 * dt));
            }
            active = active || peak_[c] > kFloorDb + 1.f;
        }
        const bool changed = active || active_;
        active_ = active;
        return changed;
    }

    const std::vector<float>& level() const { return level_; }
    const std::vector<float>& peak() const { return peak_; }
    double fLo() const { return fLo_; }
    double fHi() const { return fHi_; }

private:
    float* in_ = nullptr;
    fftwf_complex* out_ = nullptr;
    fftwf_plan plan_ = nullptr;
    std::vector<float> window_, hist_, power_;
    float norm_ = 1.f;
    std::size_t pos_ = 0, fresh_ = 0, zeros_ = 0;
    double rate_ = 48000.0, fLo_ = 20.0, fHi_ = 20000.0;
    std::vector<int> lo_, hi_;
    std::vector<float> frac_, level_, peak_, held_;
    bool active_ = false;
};

} // namespace mixwright::ui
