// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// DPF adaptor for Mixwright EQ: forwards to mixwright::dsp::Eq.

#include "DistrhoPlugin.hpp"
#include "DpfParameter.hpp"
#include "mixwright/dsp/eq.hpp"

START_NAMESPACE_DISTRHO

namespace pe = mixwright::params::eq;

class EqPlugin : public Plugin {
public:
    EqPlugin()
        : Plugin(pe::kCount, 0, 0)
    {
        dsp_.prepare(getSampleRate(), getBufferSize());
    }

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

    void initAudioPort(bool input, uint32_t index, AudioPort& port) override
    {
        mixwright::dpf::initStereoAudioPort(input, index, port);
    }
    void initParameter(uint32_t index, Parameter& parameter) override
    {
        mixwright::dpf::initParameterFromSpec(pe::kTable[index], parameter);
    }

    float getParameterValue(uint32_t index) const override { return dsp_.outputValue(static_cast<int>(index)); }
    void setParameterValue(uint32_t index, float value) override { dsp_.setParameter(static_cast<int>(index), value); }

    void activate() override { dsp_.reset(); }
    void sampleRateChanged(double newSampleRate) override { dsp_.prepare(newSampleRate, getBufferSize()); }

    void run(const float** inputs, float** outputs, uint32_t frames) override
    {
        dsp_.process(inputs[0], inputs[1], inputs[2], inputs[3], outputs[0], outputs[1], frames);
    }

private:
    mixwright::dsp::Eq dsp_;
    DISTRHO_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(EqPlugin)
};

Plugin* createPlugin() { return new EqPlugin(); }

END_NAMESPACE_DISTRHO
