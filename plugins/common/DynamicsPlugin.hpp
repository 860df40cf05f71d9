// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// The DPF adaptor shared by the sidechain dynamics plugins (Compressor, Gate): stereo
// main input plus a stereo sidechain pair, every parameter from the unit's spec table,
// and the unit's lookahead reported as latency whenever it may have changed.
// `Dsp` provides prepare/reset/setParameter/outputValue/latency/process(inL, inR,
// scL, scR, outL, outR, n); `Info` names the plugin (label, description, unique id).

#pragma once

#include "DistrhoPlugin.hpp"
#include "DpfParameter.hpp"

START_NAMESPACE_DISTRHO

template <class Dsp, class Info>
class SidechainDynamicsPlugin : public Plugin {
public:
    SidechainDynamicsPlugin()
        : Plugin(Info::kCount, 0, 0)
    {
        dsp_.prepare(getSampleRate(), getBufferSize());
        setLatency(dsp_.latency());
    }

protected:
    const char* getLabel() const override { return Info::kLabel; }
    const char* getDescription() const override { return Info::kDescription; }
    const char* getMaker() const override { return "Mixwright"; }
    const char* getLicense() const override { return "ISC"; }
    uint32_t getVersion() const override { return d_version(0, 1, 0); }
    int64_t getUniqueId() const override { return Info::kUniqueId; }

    void initAudioPort(bool input, uint32_t index, AudioPort& port) override
    {
        mixwright::dpf::initStereoAudioPort(input, index, port);
    }
    void initParameter(uint32_t index, Parameter& parameter) override
    {
        mixwright::dpf::initParameterFromSpec(Info::kTable[index], parameter);
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
    Dsp dsp_;
    DISTRHO_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(SidechainDynamicsPlugin)
};

END_NAMESPACE_DISTRHO
