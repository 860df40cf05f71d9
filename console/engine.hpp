// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// The console's real-time engine: strips, aux and group buses, the master with its
// monitor section, plugin delay compensation and meters.
//
// Threading: every piece of audio-thread state lives in one struct (RtState), owned
// by the Engine and touched only by process(). Every change reaches it through ONE
// typed lock-free ring of trivially copyable Messages; objects too large for a
// message (an insert Chain with its plugin instances) are built outside the callback
// and swapped in by pointer, and the old one comes back through a second ring to be
// deleted outside it. Meters go the other way through atomics. process() allocates,
// locks, logs and throws nothing (REALTIME; RealtimeSanitizer checks it).
//
// Signal flow of a strip (1 or 2 inputs; a mono strip carries its input on both
// internal channels so that stereo plugins and the pan law apply):
//   input (+ demo generator) -> trim x polarity -> insert chain -> PDC delay
//   -> [pre meter] -> [pre sends] -> fader -> pan (law selectable) -> mute/solo
//   -> [post meter] -> [post sends] -> master or group bus.
// Mute and solo-in-place act on the fader path and the post-fader sends; pre-fader
// sends keep feeding monitor mixes. Buses: sum -> chain -> PDC delay -> fader ->
// meters; aux buses go to their own output ports (and, when toMaster is set, to the
// master); groups go to the master. Master: sum -> chain -> fader -> meters
// (+ recorder, loudness tap) -> monitor (mono, dim, cut) -> output ports. Talkback: while on, the talkback
// input is added to every active aux output (cue mixes) and the main output is dimmed
// by the dim level.
// Gains, pan and monitor switches ramp per sample (LinearSmoother, 20 ms); values
// that arrive before the first audio after start apply at once. While none of a
// strip's (or bus's, or the monitor's) smoothers moves, the same products run with
// constants in loops that vectorise: the output is the same to the bit.
//
// Cost: the plugins' runs evict the console's own data between strips, so the
// callback keeps what it reads per strip and chain in few cache lines (Chain::runs
// and its pools, prefetched a strip ahead), runs the inserts ping-pong between two
// buffer pairs instead of copying after each, and computes meters block-wise. Insert
// timing (for `dsp`): each cycle one strip or bus takes its turn and its plugins'
// run() calls (and a strip's demo generator) are timed; per slot the mean per cycle,
// summed over slots, is the plugins' share of the mean cycle.
//
// Delay compensation (two levels, computed by the control thread): every strip is
// delayed to the largest strip chain latency A; every bus output is delayed to the
// largest bus chain latency B, and the strips that go straight to the master are
// delayed by B as a whole. Every path to the master therefore has latency A + B, and
// the console's total capture-to-playback latency is A + B + master chain latency.
// When a plugin's latency changes while running, the compensating delays move to
// their new lengths by crossfading the old and the new tap over kPdcFadeMs, so the
// paths that did not change do not jump (before the first audio they apply at once).
//
// Tested by tests/test_console.cpp through JACK (gains exact, pan laws, mute, solo,
// sends pre/post, PDC alignment, placeholders).

#pragma once

#include "demo.hpp"
#include "host/host.hpp"
#include "mixwright/dsp/delay_line.hpp"
#include "mixwright/dsp/smoother.hpp"
#include "mixwright/rt/realtime.hpp"
#include "mixwright/rt/spsc_ring.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mixwright::console {

class Recorder;
struct RecordTrack;

constexpr int kMaxStrips = 64; // one bit each in RtState's masks
constexpr int kMaxAux = 4;
constexpr int kMaxGroups = 4;
constexpr uint32_t kMaxBlock = 8192;     // the largest JACK period the engine accepts
constexpr uint32_t kMaxPdc = 16383;      // compensation delay lines (samples, allocated once)
constexpr float kSmoothMs = 20.f;
constexpr double kPdcFadeMs = 20.0;     // crossfade when a compensation delay changes
constexpr int kMaxTimedInserts = 16;     // inserts per chain that the insert timing covers
/// Chains, for the insert timing: strips, then aux buses, groups and the master.
constexpr int kChainSlots = kMaxStrips + kMaxAux + kMaxGroups + 1;
constexpr int kAuxSlot = kMaxStrips, kGroupSlot = kMaxStrips + kMaxAux, kMasterSlot = kChainSlots - 1;

/// Insert timing of one chain (see Engine::process): per insert, the summed time of
/// its plugin's run() calls in the cycles that timed this chain, and how many did;
/// for a strip also the demo generator's time (it stands in for the inputs).
struct InsertTimes {
    std::array<std::atomic<int64_t>, kMaxTimedInserts> ns{};
    std::array<std::atomic<uint32_t>, kMaxTimedInserts> runs{}; // timed run() calls
    std::atomic<int64_t> demoNs{0};
    std::atomic<uint64_t> cycles{0};
};

/// One insert: a plugin (one instance, or two for a mono plugin on a stereo path),
/// or a placeholder for a plugin that is not installed (keeps its URI and state for
/// the session, passes audio untouched).
struct Insert {
    std::string uri;
    std::vector<std::shared_ptr<host::Plugin>> instances; // empty for a placeholder
    bool placeholder = false;
    bool monoPair = false;      // two 1-in/1-out instances, one per channel
    bool monoToStereo = false;  // one 1-in/2-out instance fed the left channel
    uint32_t latency = 0;
};

/// An insert chain, built and activated outside the callback, run by the engine,
/// returned to the control thread for deletion.
struct Chain {
    std::vector<Insert> inserts;
    uint32_t latency = 0;
    /// What process() reads, packed so that a cycle touches few cache lines (the
    /// plugins' runs in between evict them): one entry per plugin run() in chain
    /// order, its port pointer arrays in two shared pools (audioInputs() and
    /// audioOutputs() entries per run; unused ones, sidechains, stay nullptr).
    enum class Feed : uint8_t { Stereo, MonoToStereo, PairLeft, PairRight };
    struct Run {
        host::Plugin* plugin;
        uint32_t insert;      // index in inserts
        uint32_t in, out;     // offsets in inPool / outPool
        uint16_t ins, outs;   // audio inputs / outputs
        Feed feed;
    };
    std::vector<Run> runs;
    std::vector<const float*> inPool;
    std::vector<float*> outPool;
    /// Per insert, the latency its plugin reported after its last run (written by
    /// process(), read by measureLatency(): the latency port itself is the plugin's).
    std::unique_ptr<std::atomic<uint32_t>[]> reported;

    /// Builds the run list and the port pools; call after filling inserts.
    void prepare();
    /// Runs every insert on l/r (n <= kMaxBlock), ping-pong with the scratch pair
    /// sl/sr (n frames each), and returns the pair that holds the result: l/r or
    /// sl/sr; the other pair is overwritten. Plugins that take
    /// time:Position get `transport` (nullptr: none this cycle). With `times`, each
    /// plugin run() is timed (minus `clockNs`, the cost of one clock read pair) into it.
    std::array<float*, 2> process(float* l, float* r, float* sl, float* sr, uint32_t n,
                                  const host::TransportPosition* transport = nullptr, InsertTimes* times = nullptr,
                                  int64_t clockNs = 0) noexcept REALTIME;
    /// Starts loading what process() reads first (a hint; no effect on the result).
    void prefetch() const noexcept REALTIME;
    /// Re-reads each plugin's reported latency, as published by process() (control
    /// thread).
    uint32_t measureLatency();
};

/// Peak (instant attack, 300 ms exponential fall) and RMS (300 ms exponential mean
/// square), per channel, published per block through atomics. Computed block-wise
/// (Engine::meter): the peak is the largest |x[i]| fall^(age of sample i), the mean
/// square the one-pole's closed form, in lanes of 8 samples that vectorise.
struct Meter {
    std::array<std::atomic<float>, 2> peak{};
    std::array<std::atomic<float>, 2> rms{};
    std::array<float, 2> peakState{}, msState{};
};

enum class Op : uint8_t {
    StripActive,   // value 0/1, sub = channels
    StripPort,     // sub = channel, ptr = backend port handle (input)
    Trim,          // dB
    Polarity,      // 0/1
    Fader,         // dB (strips and buses)
    Pan,           // -1..1
    PanLaw,        // 0..3 (dsp::panGains)
    Mute,
    Solo,
    SendLevel,     // sub = aux index, dB (<= -120 is off)
    SendPre,       // sub = aux index, 0/1
    Output,        // value: -1 master, 0..kMaxGroups-1 group
    MeterPre,      // 0/1
    SwapChain,     // ptr = Chain*
    PluginParam,   // sub = insert slot, sub2 = port index, value
    CompDelay,     // samples
    BusActive,     // aux/group
    BusPort,       // sub = channel, ptr = output port handle (aux, master)
    BusToMaster,   // aux only
    Dim, DimLevel, Mono, Cut, // master monitor
    Talkback,      // value 0/1: talkback input into the aux outputs, main output dimmed
    TalkbackPort,  // ptr = input port handle
    Demo,          // value 0/1: generated demo material into the strips
    DirectDelay,   // samples: the strips that go straight to the master
    Tempo,         // value = beats per minute (the timebase master's timeline)
    TimeSignature, // sub = beats per bar, sub2 = beat type
    ResetSmoothing, // apply every target at once (after a session load)
    SetRecorder,   // ptr = Recorder* (nullptr: none); the control thread owns it
    RecordRun      // value 0/1: all armed tracks start/stop in this cycle
};

enum class Target : uint8_t { Strip, Aux, Group, Master, Engine };

struct Message {
    Op op;
    Target target;
    uint16_t index;
    uint16_t sub;
    uint16_t sub2;
    float value;
    void* ptr;
};

/// The backend resolves a port handle to its buffer for this cycle.
using PortBufferFn = float* (*)(void* port, uint32_t frames) noexcept;

struct Strip {
    bool active = false;
    int channels = 1;
    std::array<void*, 2> port{};
    Chain* chain = nullptr;
    dsp::LinearSmoother trim, fader, panL, panR, mute;
    std::array<dsp::LinearSmoother, kMaxAux> send;
    std::array<bool, kMaxAux> sendPre{};
    float trimDb = 0.f, faderDb = 0.f, pan = 0.f;
    int panLaw = 1;
    bool polarity = false, muted = false, solo = false, meterPre = false;
    int output = -1;
    std::array<dsp::FadingDelay, 2> comp; // PDC: crossfades when the compensation changes
};

struct Bus {
    bool active = false;
    std::array<void*, 2> port{};
    Chain* chain = nullptr;
    dsp::LinearSmoother fader;
    bool toMaster = false;
    bool meterPre = false;
    std::array<dsp::FadingDelay, 2> comp; // PDC: crossfades when the compensation changes
    std::vector<float> l, r;
};

/// All audio-thread state.
struct RtState {
    std::array<Strip, kMaxStrips> strips;
    // Strips are processed one after the other, so they share one pair of work
    // buffers, and every chain (strips and buses) one scratch pair for its ping-pong:
    // the same few KiB for every strip, which stay in cache, where buffers per strip
    // and chain made every strip's audio a new stream through it.
    std::vector<float> workL, workR, scratchL, scratchR;
    // Which strips are active and soloed, one bit per strip (kept with Strip::active
    // and Strip::solo): the callback finds the active strips and any solo without
    // touching the strips' structs, which the last cycle's plugins pushed out of cache.
    uint64_t activeStrips = 0, soloStrips = 0;
    std::array<Bus, kMaxAux> aux;
    std::array<Bus, kMaxGroups> groups;
    Bus master;
    std::vector<float> directL, directR;
    std::array<dsp::FadingDelay, 2> directComp;
    dsp::LinearSmoother dim, mono, cut, talk;
    void* talkbackPort = nullptr;
    bool talkOn = false;
    float dimDb = -20.f;
    bool dimOn = false;
    bool demo = false;
    // Per strip, the demo generator (its tables too: kept out of Strip, whose lines
    // the callback prefetches a strip ahead).
    std::array<DemoSource, kMaxStrips> demoSources;
    host::Tempo tempo;                 // the session's timeline (timebase master)
    host::TransportPosition transport; // this cycle's, from the backend
    bool haveTransport = false;
    bool fresh = true; // no audio yet since start: targets apply at once
    double rate = 48000.0;
    Recorder* recorder = nullptr;
    bool recording = false;
    std::array<RecordTrack*, kMaxStrips> recStrip{};
    RecordTrack* recMaster = nullptr;
    float meterPeakFall = 0.f, meterRmsCoef = 0.f;
    // Block-wise meters (the peak's fall and the mean square's 1 - coef are the same
    // decay): per lane the decay to the end of its chunk, the decay over one chunk of
    // 16 samples, and over meterN samples (the block rounded down to chunks).
    std::array<float, 16> meterLaneDecay{};
    float meterChunkDecay = 0.f;
    uint32_t meterN = 0;
    float meterDecayN = 0.f;
};

class Engine {
public:
    explicit Engine(double sampleRate);
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    /// Control thread: queue a change. False when the ring is full (caller retries).
    bool post(const Message& m);
    /// Control thread: chains the engine has let go of (delete them).
    void collectGarbage();
    /// Control thread: wait until the callback has run `cycles` more times (bounded by
    /// timeoutMs; returns false when it did not, e.g. the server stopped).
    bool waitCycles(uint32_t cycles, int timeoutMs);

    void setPortBufferFn(PortBufferFn fn) { bufferFn_ = fn; }

    /// The process callback body.
    void process(uint32_t frames) noexcept REALTIME;

    // Meters (read by the control thread).
    const Meter& stripMeter(int i) const { return stripMeters_[static_cast<std::size_t>(i)]; }
    const Meter& auxMeter(int i) const { return auxMeters_[static_cast<std::size_t>(i)]; }
    const Meter& groupMeter(int i) const { return groupMeters_[static_cast<std::size_t>(i)]; }
    const Meter& masterMeter() const { return masterMeter_; }

    uint64_t cycles() const { return cycles_.load(std::memory_order_acquire); }
    /// Cycle time of process() since the last call (control thread; resets): mean
    /// and maximum in nanoseconds, and the frames of the last cycle.
    /// pluginNs: the plugins' share of the mean cycle, from the insert timing: per
    /// chain, the mean time of its plugins' run() calls per cycle, summed over chains;
    /// insertNs holds that mean per chain slot and insert.
    struct Load {
        double meanNs;
        double maxNs;
        uint32_t frames;
        double pluginNs = 0.0;
        double demoNs = 0.0; // the demo generator's share (--demo)
        // The cost of a pair of clock reads subtracted from each timed interval: as
        // calibrated at start (hot) and as measured in the timed cycles (the latter
        // is what the shares above are corrected with).
        double clockPairNs = 0.0, clockPairInCycleNs = 0.0;
        std::array<std::array<double, kMaxTimedInserts>, kChainSlots> insertNs{};
    };
    Load takeLoad();
    uint32_t droppedMessages() const { return dropped_.load(); }
    double sampleRate() const { return rt_.rate; }

    /// Hook for the master loudness meter (master_loudness.hpp): called once per cycle
    /// with the master after its fader, before the monitor section (the programme, as
    /// recorded), when set. Must be REALTIME.
    using MasterTap = void (*)(void* user, const float* l, const float* r, uint32_t n) noexcept;
    void setMasterTap(MasterTap fn, void* user); // control thread, before activation

    /// Audio thread, before process(): the transport as the server reports it for this
    /// cycle; process() hands it to the plugins that take time:Position.
    void setTransport(const host::TransportPosition& t) noexcept REALTIME;
    /// Audio thread, as JACK timebase master: fills the BBT of `pos` (pos.frame given)
    /// from the session's tempo and meter (Op::Tempo, Op::TimeSignature).
    void timebase(host::TransportPosition& pos) noexcept REALTIME;

private:
    void apply(const Message& m) noexcept REALTIME;
    void meter(Meter& m, const float* l, const float* r, uint32_t n) noexcept REALTIME;
    void prepareMeters(uint32_t n) noexcept REALTIME;
    void retire(Chain* c) noexcept REALTIME;
    void snapAll() noexcept REALTIME;
    /// Runs a bus's chain, delay, fader and meter; returns where its output is.
    std::array<float*, 2> processBus(Bus& b, Meter& m, int slot, uint32_t n) noexcept REALTIME;
    InsertTimes* timing(int slot) noexcept REALTIME;
    /// Runs chain `c` on l/r with the shared scratch pair and this cycle's transport;
    /// returns the pair that holds the result (Chain::process).
    std::array<float*, 2> runChain(Chain& c, float* l, float* r, uint32_t n, InsertTimes* times) noexcept REALTIME;

    RtState rt_;
    std::array<Meter, kMaxStrips> stripMeters_;
    std::array<Meter, kMaxAux> auxMeters_;
    std::array<Meter, kMaxGroups> groupMeters_;
    Meter masterMeter_;
    rt::SpscRing<Message> inbox_;
    rt::SpscRing<Chain*> garbage_;
    std::atomic<uint64_t> cycles_{0};
    std::atomic<uint32_t> dropped_{0};
    std::atomic<uint64_t> loadSumNs_{0}, loadCount_{0}, loadMaxNs_{0};
    std::atomic<uint32_t> lastFrames_{0};
    // Insert timing: one slot per cycle, taking turns (timing(): the slot timed this
    // cycle, and the next one in use, an active strip or a bus with a chain, found
    // while the cycle runs). Clock reads cost about 2 x 50 ns a run here: timing every
    // insert of every cycle would add a few % to the cycle it measures.
    std::array<InsertTimes, kChainSlots> insertTimes_;
    int timedSlot_ = 0, nextTimed_ = kChainSlots, firstChain_ = kChainSlots;
    int64_t clockNs_ = 0;
    std::atomic<int64_t> clockSumNs_{0};
    std::atomic<uint64_t> clockCount_{0};
    PortBufferFn bufferFn_ = nullptr;
    MasterTap tap_ = nullptr;
    void* tapUser_ = nullptr;
};

/// Builds a chain from URIs (control thread): instantiates, activates and runs one
/// silent block to read each plugin's latency. A URI that is not installed (or fails
/// to instantiate) becomes a placeholder; *notes gets one line per placeholder.
/// `reuse` lists instances that may be taken over (an existing chain's inserts).
std::unique_ptr<Chain> buildChain(host::World& world, double rate, uint32_t block,
                                  const std::vector<Insert>& spec, std::string* notes);

} // namespace mixwright::console
