// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// The control side of the console: owns the session model, the JACK backend and the
// engine; turns commands (one line in, one line out: "ok ..." or "error: ...") into
// engine messages, builds insert chains outside the callback, computes delay
// compensation, saves and loads sessions, and reapplies JACK connections by port
// name whenever ports appear. Runs on one thread (main's loop); see console(1) and
// the README for the command list.

#pragma once

#include "engine.hpp"
#include "jack_backend.hpp"
#include "master_loudness.hpp"
#include "recorder.hpp"
#include "session.hpp"

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace mixwright::console {

struct ConsoleOptions {
    std::string name = "mixwright";
    std::string server;
    std::string session;
    bool connect = true;
    bool demo = false;
    int stereoPairs = 0; // --stereo: capture ports paired into stereo strips
    std::string recordDir; // takes folder; default: <session stem>.takes, or ./takes
    bool recordFormatSet = false; // --record-format: overrides the session's
    RecordFormat recordFormat;
};

class Console {
public:
    Console();
    ~Console();

    /// Opens the backend and the engine, loads the session (or builds the default one:
    /// a strip per physical capture port) and activates. False with *error.
    bool start(const ConsoleOptions& opt, std::string* error);
    /// Executes one command line; returns the reply line (no newline).
    std::string execute(const std::string& line);
    /// Periodic work on the control thread (call every few ms): deletes retired
    /// chains, follows plugin latency changes, reapplies connections.
    void poll();
    bool quitRequested() const { return quit_; }
    bool serverGone() const { return backend_ && backend_->serverGone(); }
    /// One line of meters (dBFS peaks), for the live display.
    std::string meterLine(bool compact);
    /// Meters as numbers (dBFS): per strip, then the master: peak L, peak R, RMS L, RMS R.
    std::vector<float> meterValues() const;
    /// The master loudness meter, for the live display: "M -14.2 S -15.0 I -16.1 LUFS ...".
    std::string loudnessLine() const;
    /// Master loudness as numbers: momentary, short-term, integrated (LUFS), range (LU),
    /// true-peak max (dBTP), sample-peak max (dBFS), correlation, seconds measured.
    std::vector<float> loudnessValues() const;
    void stop();

private:
    struct Live {
        Chain* chain = nullptr; // the chain the engine runs (owned by the engine)
        std::array<void*, 2> ports{};
    };

    std::string cmdSet(const std::vector<std::string>& t);
    std::string cmdInsert(const std::vector<std::string>& t, bool remove);
    std::string cmdParam(const std::vector<std::string>& t);
    std::string cmdMeters();
    std::string cmdLoudness(const std::vector<std::string>& t);
    std::string cmdStrips();
    std::string cmdDsp(const std::vector<std::string>& t);
    std::string cmdSave(const std::vector<std::string>& t);
    std::string cmdLoad(const std::vector<std::string>& t);
    std::string cmdTransport(const std::vector<std::string>& t);
    std::string cmdTimeline(const std::vector<std::string>& t); // tempo, meter, timebase
    bool applyTimebase(bool force, std::string* error);
    void refreshTimebase();
    /// Notices another client taking over as timebase master (poll and the transport
    /// and timebase queries call it); says so on stderr once.
    void checkTimebase();
    const char* timebaseState() const;
    std::string cmdConnect(const std::vector<std::string>& t);
    std::string cmdRecord(const std::vector<std::string>& t);
    std::string stopRecording();

    bool applyModel(const SessionModel& m, std::string* notes);
    void send(Op op, Target t, int index, float value, int sub = 0, int sub2 = 0, void* ptr = nullptr);
    void sendStrip(int i);
    void sendBus(Target t, int i);
    void updateLatency();
    /// Re-reads every chain's plugin latencies; on a change re-runs updateLatency().
    bool refreshLatency();
    void tryConnections();
    bool rebuildChain(Target t, int index, std::vector<InsertModel>& inserts, std::vector<Insert> spec,
                      std::string* notes);
    std::vector<InsertModel>* insertsOf(Target t, int index);
    Live* liveOf(Target t, int index);
    void captureParams();

    std::unique_ptr<host::World> world_;
    std::unique_ptr<Backend> backend_;
    std::unique_ptr<Engine> engine_;
    std::unique_ptr<MasterLoudness> loudness_; // fed by the engine's master tap
    SessionModel model_;
    std::string sessionPath_;
    std::array<Live, kMaxStrips> strips_{};
    std::array<Live, kMaxAux> aux_{};
    std::array<Live, kMaxGroups> groups_{};
    Live master_{};
    void* talkbackPort_ = nullptr;
    uint32_t totalLatency_ = 0;
    std::array<bool, kMaxStrips> armed_{};
    bool armMaster_ = false;
    std::unique_ptr<Recorder> recorder_;
    int take_ = 0;
    uint32_t xrunsAtStart_ = 0;
    bool reportedFailure_ = false;
    bool recordFollow_ = false; // start/stop takes with JACK transport
    bool timebaseOn_ = false;   // the console is JACK timebase master (model_.transport says if it wants to be)
    bool timebaseLost_ = false; // it was, until another client took over
    std::string recordDir_;
    bool quit_ = false;
    bool active_ = false;
    int pollCount_ = 0;
};

} // namespace mixwright::console
