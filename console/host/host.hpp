// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// The shared lilv host (jalv-shaped): one way to load and run an LV2 plugin, used by
// the console, the tools (mixwright-render, mixwright-bench) and the tests.
//
// Provides to plugins: urid:map/unmap, options (sample rate, min/max/nominal block
// length, sequence size), buf-size:boundedBlockLength, log (to stderr, never from
// the audio thread), state:makePath/mapPath/freePath, worker (schedule with a worker
// thread, or synchronous in offline mode), and the hardRTCapable/isLive flags.
// Transport: every atom input that supports time:Position gets a time:Position object
// (speed, frame, and bar, barBeat, beat, beatUnit, beatsPerBar, beatsPerMinute when the
// position has BBT) whenever the transport the caller passes to run() changes: rolling
// starts or stops, a locate, a tempo or meter change, and on the first such run().
// Tempo reaches plugins through that atom only (not through LV2 options).

#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "host/transport.hpp"

#include <lilv/lilv.h>
#include <lv2/urid/urid.h>

#if defined(__clang__) && (__clang_major__ >= 20)
#define MIXWRIGHT_HOST_REALTIME [[clang::nonblocking]]
#else
#define MIXWRIGHT_HOST_REALTIME
#endif

namespace mixwright::host {

/// The lilv world plus the URID map. One per process; thread-safe map/unmap.
class World {
public:
    /// Loads every bundle on LV2_PATH (or the default LV2 path).
    World();
    ~World();
    World(const World&) = delete;
    World& operator=(const World&) = delete;

    LilvWorld* lilv() const;
    LV2_URID map(const char* uri);
    const char* unmap(LV2_URID urid);
    LV2_URID_Map* mapFeature();
    LV2_URID_Unmap* unmapFeature();

    /// nullptr when the URI is unknown.
    const LilvPlugin* findPlugin(const std::string& uri) const;
    /// URIs of all installed plugins.
    std::vector<std::string> pluginUris() const;
    /// Loads every bundle (`*.lv2` folder) found in `dir` in addition to the LV2 path,
    /// so a tool can see a build tree and the installed plugins at once. Returns how
    /// many bundles were loaded.
    int loadDirectory(const std::string& dir);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

enum class PortKind { AudioIn, AudioOut, ControlIn, ControlOut, AtomIn, AtomOut, CvIn, CvOut, Other };

struct PortInfo {
    uint32_t index;
    PortKind kind;
    std::string symbol;
    std::string name;
    float min, max, def;       // NaN when the TTL gives none
    bool toggled, integer, enumeration, logarithmic;
    bool sidechain;            // lv2:isSideChain
    bool reportsLatency;       // lv2:reportsLatency or lv2:designation lv2:latency
    bool enabledDesignation;   // lv2:designation lv2:enabled (bypass)
    bool timePosition;         // an atom input that supports time:Position
};

struct InstanceOptions {
    double sampleRate = 48000.0;
    uint32_t maxBlock = 8192;     // the largest run() the host will make
    uint32_t minBlock = 0;        // buf-size:minBlockLength
    uint32_t nominalBlock = 0;    // 0 = maxBlock
    bool offline = false;         // worker runs synchronously in run()'s caller
};

/// One plugin instance with its port buffers. Audio buffers are owned by the caller
/// and connected per run(); control ports are owned here.
class Plugin {
public:
    /// Instantiates `uri`. On failure returns nullptr and sets *error to a readable reason.
    static std::unique_ptr<Plugin> create(World& world, const std::string& uri,
                                          const InstanceOptions& options, std::string* error);
    ~Plugin();
    Plugin(const Plugin&) = delete;
    Plugin& operator=(const Plugin&) = delete;

    const std::string& uri() const;
    std::string name() const;
    const std::vector<PortInfo>& ports() const;
    uint32_t audioInputs() const;   // count of audio input ports, sidechain included
    uint32_t audioOutputs() const;
    uint32_t mainAudioInputs() const; // without sidechain inputs
    uint32_t mainAudioOutputs() const; // without sidechain outputs
    const InstanceOptions& options() const;

    /// Control port by symbol; -1 when none.
    int controlIndex(const std::string& symbol) const;
    /// Sets an input control by symbol (value as given: tests send out-of-range and NaN
    /// on purpose). Returns false when there is no such input control. Not real-time.
    bool setControl(const std::string& symbol, float value);
    /// Reads any control port (input or output) by symbol; NaN when none.
    float control(const std::string& symbol) const;
    /// Real-time safe setter/getter by port index (the console uses these).
    void setControlAt(uint32_t portIndex, float value) noexcept MIXWRIGHT_HOST_REALTIME;
    float controlAt(uint32_t portIndex) const noexcept MIXWRIGHT_HOST_REALTIME;

    /// Latency the plugin reports on its latency output port (after at least one run).
    uint32_t reportedLatency() const noexcept MIXWRIGHT_HOST_REALTIME;

    void activate();
    void deactivate();

    /// Runs one block. `in`/`out` hold audioInputs()/audioOutputs() pointers in port
    /// index order (nullptr entries, or a nullptr array, get an internal silent/scratch
    /// buffer). frames <= maxBlock (larger is clamped); frames == 0 is passed to the
    /// plugin as is. Atom ports get empty sequences, except that with a `transport`
    /// the time:Position ports get a position event at frame 0 when it changed since
    /// the last run() (see above; a run without one changes nothing). Never allocates.
    /// The caller activates first and never runs one instance from two threads at once.
    void run(const float* const* in, float* const* out, uint32_t frames,
             const TransportPosition* transport = nullptr) noexcept MIXWRIGHT_HOST_REALTIME;
    /// True when some atom input supports time:Position.
    bool wantsTimePosition() const;

    /// LV2 state: saves to `dir` (state.ttl plus files the plugin writes) / restores
    /// from it. Errors return false and set *error; a corrupt state never crashes.
    /// Not concurrent with run() (LV2 forbids it for restore).
    bool saveState(const std::string& dir, std::string* error);
    bool restoreState(const std::string& dir, std::string* error);
    /// Loads an lv2:Preset by URI (e.g. from ttl/ presets); false when unknown.
    bool loadPreset(const std::string& presetUri, std::string* error);
    /// The preset URIs that apply to this plugin.
    std::vector<std::string> presets() const;

    LilvInstance* instance() const;

private:
    Plugin();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace mixwright::host
