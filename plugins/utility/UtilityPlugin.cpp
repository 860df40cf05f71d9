// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// DPF adaptor for Mixwright Utility: forwards to mixwright::dsp::Utility.

#include "DistrhoPlugin.hpp"
#include "DpfParameter.hpp"
#include "mixwright/dsp/utility.hpp"

START_NAMESPACE_DISTRHO

namespace up = mixwright::params::utility;

class UtilityPlugin : public Plugin {
public:
    UtilityPlugin()
        : Plugin(up::kCount, 0, 0)
    {
        dsp_.prepare(getSampleRate(), getBufferSize());
    }

protected:
    const char* getLabel() const override { return "MixwrightUtility"; }
    const char* getDescription() const override
    {
        return "Stereo utility: trim, polarity, swap, alignment delay, DC blocker, width, mono bass, "
               "balance/pan, output gain, peak and correlation meters.";
    }
    const char* getMaker() const override { return "Mixwright"; }
    const char* getLicense() const override { return "ISC"; }
    uint32_t getVersion() const override { return d_version(0, 1, 0); }
    int64_t getUniqueId() const override { return d_cconst('M', 'w', 'U', 't'); }

    void initAudioPort(bool input, uint32_t index, AudioPort& port) override
    {
        mixwright::dpf::initStereoAudioPort(input, index, port);
    }
    void initParameter(uint32_t index, Parameter& parameter) override
    {
        mixwright::dpf::initParameterFromSpec(up::kTable[index], parameter);
    }

    float getParameterValue(uint32_t index) const override { return dsp_.outputValue(static_cast<int>(index)); }
    void setParameterValue(uint32_t index, float value) override { dsp_.setParameter(static_cast<int>(index), value); }

    void activate() override { dsp_.reset(); }
    void sampleRateChanged(double newSampleRate) override { dsp_.prepare(newSampleRate, getBufferSize()); }

    void run(const float** inputs, float** outputs, uint32_t frames) override
    {
        dsp_.process(inputs[0], inputs[1], outputs[0], outputs[1], frames);
    }

private:
    mixwright::dsp::Utility dsp_;
    DISTRHO_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(UtilityPlugin)
};

Plugin* createPlugin() { return new UtilityPlugin(); }

END_NAMESPACE_DISTRHO
