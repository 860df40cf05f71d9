// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// DPF adaptor for Mixwright Limiter: forwards to mixwright::dsp::Limiter and reports
// its latency (which follows the lookahead).

#include "DistrhoPlugin.hpp"
#include "DpfParameter.hpp"
#include "mixwright/dsp/limiter.hpp"

START_NAMESPACE_DISTRHO

namespace lp = mixwright::params::limiter;

class LimiterPlugin : public Plugin {
public:
    LimiterPlugin()
        : Plugin(lp::kCount, 0, 0)
    {
        dsp_.prepare(getSampleRate(), getBufferSize());
        setLatency(dsp_.latency());
    }

protected:
    const char* getLabel() const override { return "MixwrightLimiter"; }
    const char* getDescription() const override
    {
        return "Stereo lookahead true-peak limiter: input gain, ceiling in dBTP, release with auto mode, "
               "stereo link, 4x/8x true-peak detection, TPDF or noise-shaped dither, gain-reduction meter.";
    }
    const char* getMaker() const override { return "Mixwright"; }
    const char* getLicense() const override { return "ISC"; }
    uint32_t getVersion() const override { return d_version(0, 1, 0); }
    int64_t getUniqueId() const override { return d_cconst('M', 'w', 'L', 'i'); }

    void initAudioPort(bool input, uint32_t index, AudioPort& port) override
    {
        mixwright::dpf::initStereoAudioPort(input, index, port);
    }
    void initParameter(uint32_t index, Parameter& parameter) override
    {
        mixwright::dpf::initParameterFromSpec(lp::kTable[index], parameter);
    }

    float getParameterValue(uint32_t index) const override { return dsp_.outputValue(static_cast<int>(index)); }
    void setParameterValue(uint32_t index, float value) override { dsp_.setParameter(static_cast<int>(index), value); }

    void activate() override
    {
        dsp_.reset();
        setLatency(dsp_.latency());
    }
    void sampleRateChanged(double newSampleRate) override
    {
        dsp_.prepare(newSampleRate, getBufferSize());
        setLatency(dsp_.latency());
    }

    void run(const float** inputs, float** outputs, uint32_t frames) override
    {
        dsp_.process(inputs[0], inputs[1], outputs[0], outputs[1], frames);
        setLatency(dsp_.latency());
    }

private:
    mixwright::dsp::Limiter dsp_;
    DISTRHO_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(LimiterPlugin)
};

Plugin* createPlugin() { return new LimiterPlugin(); }

END_NAMESPACE_DISTRHO
