// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// DPF adaptor for Mixwright Meter: forwards to mixwright::dsp::Meter and publishes
// every reading as an LV2 control output.

#include "DistrhoPlugin.hpp"
#include "DpfParameter.hpp"
#include "mixwright/dsp/meter.hpp"

START_NAMESPACE_DISTRHO

namespace pm = mixwright::params::meter;

class MeterPlugin : public Plugin {
public:
    MeterPlugin()
        : Plugin(pm::kCount, 0, 0)
    {
        dsp_.prepare(getSampleRate(), getBufferSize());
    }

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

    void initAudioPort(bool input, uint32_t index, AudioPort& port) override
    {
        mixwright::dpf::initStereoAudioPort(input, index, port);
    }
    void initParameter(uint32_t index, Parameter& parameter) override
    {
        mixwright::dpf::initParameterFromSpec(pm::kTable[index], parameter);
    }

    float getParameterValue(uint32_t index) const override { return dsp_.outputValue(static_cast<int>(index)); }
    void setParameterValue(uint32_t index, float value) override { dsp_.setParameter(static_cast<int>(index), value); }

    void activate() override { dsp_.reset(); }
    void sampleRateChanged(double newSampleRate) override { dsp_.prepare(newSampleRate, getBufferSize()); }

    void run(const float** inputs, float** outputs, uint32_t frames) override
    {
        dsp_.setTransportRolling(getTimePosition().playing);
        dsp_.process(inputs[0], inputs[1], outputs[0], outputs[1], frames);
    }

private:
    mixwright::dsp::Meter dsp_;
    DISTRHO_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(MeterPlugin)
};

Plugin* createPlugin() { return new MeterPlugin(); }

END_NAMESPACE_DISTRHO
