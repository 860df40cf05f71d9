// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// DPF adaptor for Mixwright Meter: forwards to mixwright::dsp::Meter; copies each block
// into the scopes' rings (AudioTap) while a UI is attached.

#include "MeterPlugin.hpp"

START_NAMESPACE_DISTRHO

namespace pm = mixwright::params::meter;

MeterPlugin::MeterPlugin()
    : Plugin(pm::kCount, 0, 0)
{
    dsp_.prepare(getSampleRate(), getBufferSize());
}

void MeterPlugin::initAudioPort(bool input, uint32_t index, AudioPort& port)
{
    mixwright::dpf::initStereoAudioPort(input, index, port);
}

void MeterPlugin::initParameter(uint32_t index, Parameter& parameter)
{
    mixwright::dpf::initParameterFromSpec(pm::kTable[index], parameter);
}

float MeterPlugin::getParameterValue(uint32_t index) const { return dsp_.outputValue(static_cast<int>(index)); }
void MeterPlugin::setParameterValue(uint32_t index, float value) { dsp_.setParameter(static_cast<int>(index), value); }
void MeterPlugin::activate() { dsp_.reset(); }
void MeterPlugin::sampleRateChanged(double newSampleRate) { dsp_.prepare(newSampleRate, getBufferSize()); }

void MeterPlugin::run(const float** inputs, float** outputs, uint32_t frames)
{
    dsp_.setTransportRolling(getTimePosition().playing);
    dsp_.process(inputs[0], inputs[1], outputs[0], outputs[1], frames);
    // The output is the input, in place or not.
    tap_.push({outputs[0], outputs[1]}, frames);
}

Plugin* createPlugin() { return new MeterPlugin(); }

END_NAMESPACE_DISTRHO
