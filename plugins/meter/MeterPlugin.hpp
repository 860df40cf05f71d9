// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// DPF adaptor for Mixwright Meter: forwards to mixwright::dsp::Meter and publishes
// every reading as an LV2 control output. Declared in a header because the UI (built
// into the same binary, DISTRHO_PLUGIN_WANT_DIRECT_ACCESS) reads the goniometer's and
// spectrum's audio from the plugin's AudioTap.

#pragma once

#include "AudioTap.hpp"
#include "DistrhoPlugin.hpp"
#include "DpfParameter.hpp"
#include "mixwright/dsp/meter.hpp"

START_NAMESPACE_DISTRHO

class MeterPlugin : public Plugin {
public:
    MeterPlugin();
    mixwright::dpf::AudioTap<2>& scopeTap() { return tap_; }

protected:
    const char* getLabel() const override { return "MixwrightMeter"; }
    const char* getDescription() const override
    {
        return "EBU R128 / ITU-R BS.1770-4 loudness meter: momentary, short-term, integrated, loudness range, "
               "true peak, sample peak, PLR, PSR, stereo correlation and delivery-target pass/fail, all as "
               "control outputs.";
    }
    const char* getMaker() const override { return "Mixwright"; }
    const char* getLicense() const override { return "ISC"; }
    uint32_t getVersion() const override { return d_version(0, 1, 0); }
    int64_t getUniqueId() const override { return d_cconst('M', 'w', 'M', 'e'); }

    void initAudioPort(bool input, uint32_t index, AudioPort& port) override;
    void initParameter(uint32_t index, Parameter& parameter) override;
    float getParameterValue(uint32_t index) const override;
    void setParameterValue(uint32_t index, float value) override;
    void activate() override;
    void sampleRateChanged(double newSampleRate) override;
    void run(const float** inputs, float** outputs, uint32_t frames) override;

private:
    mixwright::dsp::Meter dsp_;
    mixwright::dpf::AudioTap<2> tap_;
    DISTRHO_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(MeterPlugin)
};

END_NAMESPACE_DISTRHO
