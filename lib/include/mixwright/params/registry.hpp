// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Every Mixwright plugin: URI, bundle name and parameter table. Tests, the console
// and tools iterate this list, so a new plugin is covered once it is added here.

#pragma once

#include "mixwright/params/spec.hpp"
#include "mixwright/params/eq.hpp"
#include "mixwright/params/limiter.hpp"
#include "mixwright/params/compressor.hpp"
#include "mixwright/params/gate.hpp"
#include "mixwright/params/meter.hpp"
#include "mixwright/params/utility.hpp"

#include <array>
#include <span>
#include <string_view>

namespace mixwright::params {

struct PluginEntry {
    std::string_view uri;
    std::string_view bundle;      // mixwright-<name>.lv2
    std::string_view lv2Class;    // lv2:Plugin subclass DPF writes
    std::span<const Spec> table;
    unsigned audioInputs, audioOutputs; // sidechain inputs included
};

inline constexpr std::array kPlugins{
    PluginEntry{"urn:mixwright:utility", "mixwright-utility", "http://lv2plug.in/ns/lv2core#UtilityPlugin",
                utility::kTable, 2, 2},
    PluginEntry{"urn:mixwright:eq", "mixwright-eq", "http://lv2plug.in/ns/lv2core#ParaEQPlugin",
                eq::kTable, 4, 2},
    PluginEntry{"urn:mixwright:limiter", "mixwright-limiter", "http://lv2plug.in/ns/lv2core#LimiterPlugin",
                limiter::kTable, 2, 2},
    PluginEntry{"urn:mixwright:compressor", "mixwright-compressor", "http://lv2plug.in/ns/lv2core#CompressorPlugin",
                compressor::kTable, 4, 2},
    PluginEntry{"urn:mixwright:gate", "mixwright-gate", "http://lv2plug.in/ns/lv2core#GatePlugin",
                gate::kTable, 4, 2},
    PluginEntry{"urn:mixwright:meter", "mixwright-meter", "http://lv2plug.in/ns/lv2core#AnalyserPlugin",
                meter::kTable, 2, 2},
};

} // namespace mixwright::params
