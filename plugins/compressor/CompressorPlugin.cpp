// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// DPF adaptor for Mixwright Compressor: forwards to mixwright::dsp::Compressor and reports its
// lookahead as latency.

#include "DistrhoPlugin.hpp"
#include "DpfParameter.hpp"
#include "mixwright/dsp/compressor.hpp"

START_NAMESPACE_DISTRHO

namespace pt = mixwright::params::compressor;

class CompressorPlugin : public Plugin {
public:
    CompressorPlugin()
        : Plugin(pt::kCount, 0, 0)
    {
        dsp_.prepare(getSampleRate(), getBufferSize());
        setLatency(dsp_.latency());
    }

protected:
    const char* getLabel() const override { return "MixwrightCompressor"; }
    const char* getDescription() const override { return "Stereo compressor: soft knee, peak/RMS detector, stereo link, mid/side, external sidechain with filters, lookahead reported as latency, parallel mix with a delay-compensated dry path."; }
    const char* getMaker() const override { return "Mixwright"; }
    const char* getLicense() const override { return "ISC"; }
    uint32_t getVersion() const override { return d_version(0, 1, 0); }
    int64_t getUniqueId() const override { return d_cconst('M', 'w', 'C', 'm'); }

    void initAudioPort(bool input, uint32_t index, AudioPort& port) override
    {
        mixwright::dpf::initStereoAudioPort(input, index, port);
    }
    void initParameter(uint32_t index, Parameter& parameter) override
    {
        mixwright::dpf::initParameterFromSpec(pt::kTable[index], parameter);
    }

    float getParameterValue(uint32_t index) const override { return dsp_.outputValue(static_cast<int>(index)); }
    void setParameterValue(uint32_t index, float value) override
    {
        dsp_.setParameter(static_cast<int>(index), value);
        setLatency(dsp_.latency());
    }

    void activate() override { dsp_.reset(); }
    void sampleRateChanged(double newSampleRate) override
    {
        dsp_.prepare(newSampleRate, getBufferSize());
        setLatency(dsp_.latency());
    }

    void run(const float** inputs, float** outputs, uint32_t frames) override
    {
        dsp_.process(inputs[0], inputs[1], inputs[2], inputs[3], outputs[0], outputs[1], frames);
    }

private:
    mixwright::dsp::Compressor dsp_;
    DISTRHO_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(CompressorPlugin)
};

Plugin* createPlugin() { return new CompressorPlugin(); }

END_NAMESPACE_DISTRHO
