// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// DPF adaptor for Mixwright EQ: forwards to mixwright::dsp::Eq; copies each block into
// the analyser's rings (SpectrumTap) while a UI is attached.

#include "EqPlugin.hpp"

#include <algorithm>

START_NAMESPACE_DISTRHO

namespace pe = mixwright::params::eq;

EqPlugin::EqPlugin()
    : Plugin(pe::kCount, 0, 0)
{
    dsp_.prepare(getSampleRate(), getBufferSize());
}

void EqPlugin::initAudioPort(bool input, uint32_t index, AudioPort& port)
{
    mixwright::dpf::initStereoAudioPort(input, index, port);
}

void EqPlugin::initParameter(uint32_t index, Parameter& parameter)
{
    mixwright::dpf::initParameterFromSpec(pe::kTable[index], parameter);
}

float EqPlugin::getParameterValue(uint32_t index) const { return dsp_.outputValue(static_cast<int>(index)); }
void EqPlugin::setParameterValue(uint32_t index, float value) { dsp_.setParameter(static_cast<int>(index), value); }
void EqPlugin::activate() { dsp_.reset(); }
void EqPlugin::sampleRateChanged(double newSampleRate) { dsp_.prepare(newSampleRate, getBufferSize()); }

void EqPlugin::run(const float** inputs, float** outputs, uint32_t frames)
{
    // The input is copied before processing: hosts may run in place.
    if (!tap_.attached.load(std::memory_order_relaxed)) {
        dsp_.process(inputs[0], inputs[1], inputs[2], inputs[3], outputs[0], outputs[1], frames);
        return;
    }
    for (uint32_t done = 0; done < frames;) {
        const uint32_t n = std::min<uint32_t>(frames - done, 512);
        float preL[512], preR[512];
        std::copy_n(inputs[0] + done, n, preL);
        std::copy_n(inputs[1] + done, n, preR);
        dsp_.process(inputs[0] + done, inputs[1] + done, inputs[2] + done, inputs[3] + done, outputs[0] + done,
                     outputs[1] + done, n);
        tap_.push(preL, preR, outputs[0] + done, outputs[1] + done, n);
        done += n;
    }
}

Plugin* createPlugin() { return new EqPlugin(); }

END_NAMESPACE_DISTRHO
