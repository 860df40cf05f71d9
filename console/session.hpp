// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// The console's session: a plain model of strips, buses and the master (what the
// control thread edits and the engine is told), its JSON form (nlohmann-json) and
// atomic file saves.
//
// File: one human-readable JSON object {"format": "mixwright-console-session",
// "version": 1, ...} next to a folder `<file stem>.plugins/` holding one LV2 state
// folder per insert (host::Plugin::saveState). Saving writes `<file>.tmp`, fsyncs it,
// keeps the previous file as `<file>.bak` and renames the temporary over the file.
// Loading refuses a file whose version is newer than kSessionVersion, and a file that
// is not valid JSON or not a session, with a message naming the file; the file is
// never written by a failed load.

#pragma once

#include "engine.hpp"
#include "recorder.hpp"

#include <array>
#include <map>
#include <string>
#include <vector>

namespace mixwright::console {

constexpr int kSessionVersion = 1;

struct InsertModel {
    std::string uri;
    std::map<std::string, float> params; // input controls by symbol
    std::string stateDir;                // absolute path of its saved LV2 state, "" when none
};

struct SendModel {
    float level = -120.f; // dB; -120 is off
    bool pre = false;
};

struct StripModel {
    std::string name;
    int channels = 1;
    float trim = 0.f, fader = 0.f, pan = 0.f; // pan in % (-100..100)
    int panLaw = 1;                           // dsp::panGains law
    bool polarity = false, mute = false, solo = false, meterPre = false;
    int output = -1; // -1 master, else group index
    std::array<SendModel, kMaxAux> sends{};
    std::vector<InsertModel> inserts;
    std::array<std::vector<std::string>, 2> connections; // per input channel
};

struct BusModel {
    bool used = false;
    std::string name;
    float fader = 0.f;
    bool toMaster = false, meterPre = false;
    std::vector<InsertModel> inserts;
    std::array<std::vector<std::string>, 2> connections; // per output channel (aux, master)
};

struct MasterModel : BusModel {
    bool dim = false, mono = false, cut = false;
    float dimLevel = -20.f;
};

/// JACK transport: the musical timeline the console keeps as timebase master. JSON:
/// "transport": {"timebaseMaster": true, "bpm": 120, "beatsPerBar": 4, "beatType": 4}
/// (snake_case keys are read too). Absent: not master, 120 bpm, 4/4.
struct TransportModel {
    bool timebaseMaster = false;
    double bpm = 120.0;   // kMinBpm..kMaxBpm
    int beatsPerBar = 4;  // 1..kMaxBeatsPerBar
    int beatType = 4;     // 1, 2, 4, 8, 16 or 32
};
constexpr double kMinBpm = 1.0, kMaxBpm = 999.0;
constexpr int kMaxBeatsPerBar = 64;
bool validBeatType(int t);

struct SessionModel {
    std::vector<StripModel> strips;
    std::array<BusModel, kMaxAux> aux{};
    std::array<BusModel, kMaxGroups> groups{};
    MasterModel master;
    TransportModel transport;
    bool demo = false;
    RecordFormat recording; // "recording": {"container": "wav", "sample": "float"}
};

/// The folder for plugin states that goes with a session file.
std::string pluginFolderFor(const std::string& sessionPath);

std::string toJson(const SessionModel& s, const std::string& pluginFolder);
/// Parses a session file's text; false with a readable *error (newer version,
/// corrupt file, wrong values). Relative state paths are resolved against `pluginFolder`.
bool fromJson(const std::string& text, const std::string& pluginFolder, SessionModel& out, std::string* error);

/// Reads a whole file; false with *error.
bool readFile(const std::string& path, std::string& out, std::string* error);
/// Atomic save: path.tmp, fsync, previous kept as path.bak, rename, fsync the folder.
bool saveAtomic(const std::string& path, const std::string& text, std::string* error);

} // namespace mixwright::console
