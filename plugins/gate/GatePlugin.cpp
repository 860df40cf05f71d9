// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// DPF adaptor for Mixwright Gate: mixwright::dsp::Gate behind the shared sidechain
// dynamics adaptor (lookahead reported as latency).

#include "DynamicsPlugin.hpp"
#include "mixwright/dsp/gate.hpp"

START_NAMESPACE_DISTRHO

namespace {
struct GateInfo {
    static constexpr uint32_t kCount = mixwright::params::gate::kCount;
    static constexpr const auto& kTable = mixwright::params::gate::kTable;
    static constexpr const char* kLabel = "MixwrightGate";
    static constexpr const char* kDescription =
        "Stereo gate, expander and ducker: hysteresis, hold, range, external key with filters, lookahead reported "
        "as latency.";
    static constexpr int64_t kUniqueId = d_cconst('M', 'w', 'G', 'a');
};
} // namespace

Plugin* createPlugin() { return new SidechainDynamicsPlugin<mixwright::dsp::Gate, GateInfo>(); }

END_NAMESPACE_DISTRHO
