// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// DPF adaptor for Mixwright EQ: forwards to mixwright::dsp::Eq. Declared in a header
// because the UI (built into the same binary, DISTRHO_PLUGIN_WANT_DIRECT_ACCESS) reads
// the analyser's audio from the plugin's SpectrumTap.

#pragma once

#include "DistrhoPlugin.hpp"
#include "DpfParameter.hpp"
#include "SpectrumTap.hpp"
#include "mixwright/dsp/eq.hpp"

START_NAMESPACE_DISTRHO

class EqPlugin : public Plugin {
public:
    EqPlugin();
    mixwright::dpf::SpectrumTap& spectrumTap() { return tap_; }

protected:
    const char* getLabel() const override { return "MixwrightEQ"; }
    const char* getDescription() const override
    {
        return "Analog-matched 8-band parametric EQ with high/low-pass, per-band stereo/left/right/mid/side "
               "target and dynamic bands (internal or external sidechain detector).";
    }
    const char* getMaker() const override { return "Mixwright"; }
    const char* getLicense() const override { return "ISC"; }
    uint32_t getVersion() const override { return d_version(0, 1, 0); }
    int64_t getUniqueId() const override { return d_cconst('M', 'w', 'E', 'q'); }

    void initAudioPort(bool input, uint32_t index, AudioPort& port) override;
    void initParameter(uint32_t index, Parameter& parameter) override;
    float getParameterValue(uint32_t index) const override;
    void setParameterValue(uint32_t index, float value) override;
    void activate() override;
    void sampleRateChanged(double newSampleRate) override;
    void run(const float** inputs, float** outputs, uint32_t frames) override;

private:
    mixwright::dsp::Eq dsp_;
    mixwright::dpf::SpectrumTap tap_;
    DISTRHO_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(EqPlugin)
};

END_NAMESPACE_DISTRHO
