// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// DPF adaptor for Mixwright Compressor: mixwright::dsp::Compressor behind the shared
// sidechain dynamics adaptor (lookahead reported as latency).

#include "DynamicsPlugin.hpp"
#include "mixwright/dsp/compressor.hpp"

START_NAMESPACE_DISTRHO

namespace {
struct CompressorInfo {
    static constexpr uint32_t kCount = mixwright::params::compressor::kCount;
    static constexpr const auto& kTable = mixwright::params::compressor::kTable;
    static constexpr const char* kLabel = "MixwrightCompressor";
    static constexpr const char* kDescription =
        "Stereo compressor: soft knee, peak/RMS detector, stereo link, mid/side, external sidechain with filters, "
        "lookahead reported as latency, parallel mix with a delay-compensated dry path.";
    static constexpr int64_t kUniqueId = d_cconst('M', 'w', 'C', 'm');
};
} // namespace

Plugin* createPlugin() { return new SidechainDynamicsPlugin<mixwright::dsp::Compressor, CompressorInfo>(); }

END_NAMESPACE_DISTRHO
