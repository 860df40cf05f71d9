// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// A one-tempo, one-meter musical timeline (see transport.hpp).

#include "host/transport.hpp"

#include <algorithm>
#include <cmath>

namespace mixwright::host {

void computeBbt(TransportPosition& pos, double rate, const Tempo& t) noexcept
{
    pos.bbtValid = false;
    if (!(rate > 0.0) || !(t.bpm > 0.0) || !std::isfinite(t.bpm) || !(t.beatsPerBar >= 1.f) || !(t.beatType > 0.f))
        return;
    // Whole ticks from the start in one division (extended precision: the product is
    // exact for integral tempi and any 32-bit frame), then integers: no tick is lost
    // to rounding at the top of a beat. A fractional meter (JACK allows one) rounds down.
    const auto perBar = static_cast<uint64_t>(t.beatsPerBar);
    const auto tpb = static_cast<uint64_t>(kTicksPerBeat);
    const long double exact = static_cast<long double>(pos.frame) * static_cast<long double>(t.bpm)
                              * static_cast<long double>(kTicksPerBeat) / (60.0L * static_cast<long double>(rate));
    const auto ticks = static_cast<uint64_t>(std::min(std::floor(exact), 1.0e18L));
    const uint64_t bars = std::min<uint64_t>(ticks / (perBar * tpb), 2000000000u);
    const uint64_t inBar = ticks - bars * perBar * tpb;
    pos.bar = static_cast<int32_t>(bars) + 1;
    pos.beat = static_cast<int32_t>(std::min<uint64_t>(inBar / tpb, perBar - 1)) + 1;
    pos.tick = static_cast<int32_t>(inBar % tpb);
    pos.ticksPerBeat = kTicksPerBeat;
    pos.barStartTick = static_cast<double>(bars * perBar) * kTicksPerBeat;
    pos.beatsPerBar = t.beatsPerBar;
    pos.beatType = t.beatType;
    pos.bpm = t.bpm;
    pos.bbtValid = true;
}

double totalBeats(const TransportPosition& pos) noexcept
{
    const double tpb = pos.ticksPerBeat > 0.0 ? pos.ticksPerBeat : kTicksPerBeat;
    return static_cast<double>(pos.bar - 1) * std::floor(static_cast<double>(pos.beatsPerBar))
           + static_cast<double>(pos.beat - 1) + static_cast<double>(pos.tick) / tpb;
}

} // namespace mixwright::host
