// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// The one mapping from a Mixwright parameter spec to a DPF Parameter, and stereo
// audio-port naming. Every plugin's initParameter/initAudioPort is one call here,
// so the generated TTL always follows the table.

#pragma once

#include "DistrhoPlugin.hpp"
#include "mixwright/params/spec.hpp"

#include <string>

namespace mixwright::dpf {

inline DISTRHO::String toDpfString(std::string_view s)
{
    return DISTRHO::String(std::string(s).c_str());
}

inline void initParameterFromSpec(const params::Spec& s, DISTRHO::Parameter& p)
{
    using namespace DISTRHO;
    if (s.is(params::kBypass)) {
        // DPF names the port lv2_enabled, designates it lv2:enabled and inverts it.
        p.initDesignation(kParameterDesignationBypass);
        return;
    }
    p.hints = 0;
    if (s.is(params::kOutput))
        p.hints |= kParameterIsOutput;
    else if (!s.is(params::kNotAutomatable))
        p.hints |= kParameterIsAutomatable;
    if (s.is(params::kToggle))
        p.hints |= kParameterIsBoolean | kParameterIsInteger;
    if (s.is(params::kInteger | params::kEnum))
        p.hints |= kParameterIsInteger;
    if (s.is(params::kLog))
        p.hints |= kParameterIsLogarithmic;
    p.symbol = toDpfString(s.symbol);
    p.name = toDpfString(s.name);
    p.shortName = toDpfString(s.shortName);
    p.unit = toDpfString(params::unitSymbol(s.unit));
    p.ranges.min = s.min;
    p.ranges.max = s.max;
    p.ranges.def = s.def;
    if (s.is(params::kEnum) && !s.labels.empty()) {
        const auto n = static_cast<uint32_t>(s.labels.size());
        auto* values = new ParameterEnumerationValue[n]; // owned and freed by DPF
        for (uint32_t i = 0; i < n; ++i) {
            values[i].label = toDpfString(s.labels[i]);
            values[i].value = s.min + static_cast<float>(i);
        }
        p.enumValues.count = n;
        p.enumValues.restrictedMode = true;
        p.enumValues.values = values;
    }
}

/// Stereo ports named in_l, in_r / out_l, out_r in the stereo port group; extra
/// inputs beyond the first two are a sidechain pair sc_l, sc_r.
inline void initStereoAudioPort(bool input, uint32_t index, DISTRHO::AudioPort& port)
{
    using namespace DISTRHO;
    const bool left = (index % 2) == 0;
    const bool sidechain = input && index >= 2;
    port.groupId = kPortGroupStereo;
    if (sidechain) {
        port.hints = kAudioPortIsSidechain;
        port.groupId = kPortGroupNone;
        port.symbol = left ? "sc_l" : "sc_r";
        port.name = left ? "Sidechain Left" : "Sidechain Right";
        return;
    }
    if (input) {
        port.symbol = left ? "in_l" : "in_r";
        port.name = left ? "Input Left" : "Input Right";
    } else {
        port.symbol = left ? "out_l" : "out_r";
        port.name = left ? "Output Left" : "Output Right";
    }
}

} // namespace mixwright::dpf
