// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// The transport as a host sees it, independent of JACK: rolling or stopped, the frame,
// and (when someone keeps a musical timeline) bar/beat/tick with tempo and meter.
// Conventions follow JACK's jack_position_t: bar and beat count from 1, ticks from 0.
// Plugin::run() turns it into an LV2 time:Position object for the plugins that ask for
// one (see host.hpp); computeBbt() is the timeline the console keeps as JACK timebase
// master, and that an offline tool can keep for itself.
// Tested by tests/test_host.cpp (BBT against closed forms, the time:Position objects
// a probe plugin receives, ZamDelay's tempo sync) and tests/test_console.cpp (BBT as
// another JACK client sees it).

#pragma once

#include <cstdint>

#if defined(__clang__) && (__clang_major__ >= 20)
#define MIXWRIGHT_TRANSPORT_REALTIME [[clang::nonblocking]]
#else
#define MIXWRIGHT_TRANSPORT_REALTIME
#endif

namespace mixwright::host {

constexpr double kTicksPerBeat = 1920.0;

struct TransportPosition {
    bool rolling = false;
    uint64_t frame = 0;
    bool bbtValid = false;    // the fields below mean something
    int32_t bar = 1;          // from 1
    int32_t beat = 1;         // from 1, within the bar
    int32_t tick = 0;         // from 0, within the beat
    double ticksPerBeat = kTicksPerBeat;
    double barStartTick = 0.0; // ticks from the timeline's start to this bar
    float beatsPerBar = 4.f;
    float beatType = 4.f;     // the note value of one beat (4: a quarter note)
    double bpm = 120.0;       // beats (of beatType) per minute
};

/// A timeline with one tempo and one meter from frame 0 (bar 1, beat 1, tick 0).
struct Tempo {
    double bpm = 120.0;
    float beatsPerBar = 4.f;
    float beatType = 4.f;
};

/// Fills the BBT fields of `pos` for `pos.frame` on the timeline `t` at `rate` Hz:
/// beats = frame x bpm / (60 x rate), whole bars of beatsPerBar beats, ticks of
/// kTicksPerBeat per beat (truncated). A pure function of the frame, so a locate
/// lands exactly and a tempo change re-maps the whole timeline (one tempo marker at
/// the start, as in a DAW without a tempo map). Invalid input leaves bbtValid false.
void computeBbt(TransportPosition& pos, double rate, const Tempo& t) noexcept MIXWRIGHT_TRANSPORT_REALTIME;

/// Beats (of beatType) from the timeline's start to `pos` (needs bbtValid).
double totalBeats(const TransportPosition& pos) noexcept MIXWRIGHT_TRANSPORT_REALTIME;

} // namespace mixwright::host
