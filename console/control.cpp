// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC

#include "control.hpp"

#include "mixwright/dsp/smoother.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <set>
#include <sstream>

namespace mixwright::console {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> split(const std::string& line)
{
    std::vector<std::string> t;
    std::istringstream ss(line);
    std::string w;
    while (ss >> w)
        t.push_back(w);
    return t;
}

bool parseFloat(const std::string& s, float& v)
{
    char* end = nullptr;
    v = std::strtof(s.c_str(), &end);
    return end && *end == '\0' && !s.empty() && std::isfinite(v);
}

bool parseInt(const std::string& s, int& v)
{
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool parseBool(const std::string& s, bool& v)
{
    if (s == "on" || s == "1" || s == "true" || s == "yes") {
        v = true;
        return true;
    }
    if (s == "off" || s == "0" || s == "false" || s == "no") {
        v = false;
        return true;
    }
    return false;
}

const char* kLawNames[] = {"balance", "power", "compromise", "linear"};

bool parseLaw(const std::string& s, int& law)
{
    for (int i = 0; i < 4; ++i)
        if (s == kLawNames[i]) {
            law = i;
            return true;
        }
    return parseInt(s, law) && law >= 0 && law <= 3;
}

std::string fmtDb(float g)
{
    char b[16];
    std::snprintf(b, sizeof b, "%.1f", static_cast<double>(dsp::gainToDb(g)));
    return b;
}

std::string stripPortName(int i, int channels, int ch)
{
    std::string n = "in_" + std::to_string(i + 1);
    if (channels == 2)
        n += ch == 0 ? "_l" : "_r";
    return n;
}

} // namespace

Console::Console() = default;

Console::~Console() { stop(); }

void Console::stop()
{
    if (recorder_)
        stopRecording();
    if (backend_) {
        backend_->deactivate();
        active_ = false;
    }
    engine_.reset(); // deletes the chains it holds (the callback no longer runs)
    if (loudness_)
        loudness_->stop();
    backend_.reset();
}

void Console::send(Op op, Target t, int index, float value, int sub, int sub2, void* ptr)
{
    Message m{op, t, static_cast<uint16_t>(index), static_cast<uint16_t>(sub), static_cast<uint16_t>(sub2), value, ptr};
    // The ring holds 4096 messages; if a burst fills it, wait for the callback to
    // drain it rather than drop a change.
    for (int tries = 0; !engine_->post(m) && tries < 200; ++tries)
        engine_->waitCycles(1, 50);
}

bool Console::start(const ConsoleOptions& opt, std::string* error)
{
    recordDir_ = opt.recordDir;
    world_ = std::make_unique<host::World>();
    backend_ = openJack(opt.name, opt.server, error);
    if (!backend_)
        return false;
    engine_ = std::make_unique<Engine>(backend_->sampleRate());
    loudness_ = std::make_unique<MasterLoudness>();
    loudness_->start(backend_->sampleRate());
    engine_->setMasterTap(&MasterLoudness::tap, loudness_.get());
    master_.ports[0] = backend_->registerPort("master_l", false);
    master_.ports[1] = backend_->registerPort("master_r", false);
    talkbackPort_ = backend_->registerPort("talkback", true);
    if (!master_.ports[0] || !master_.ports[1] || !talkbackPort_) {
        *error = "cannot register the master ports";
        return false;
    }
    send(Op::TalkbackPort, Target::Master, 0, 0.f, 0, 0, talkbackPort_);
    SessionModel m;
    std::string notes;
    if (!opt.session.empty()) {
        std::string text;
        if (!readFile(opt.session, text, error))
            return false;
        if (!fromJson(text, pluginFolderFor(opt.session), m, error)) {
            *error = opt.session + ": " + *error;
            return false;
        }
        sessionPath_ = opt.session;
    } else {
        const auto capture = backend_->physicalPorts(true);
        const std::size_t n = std::max<std::size_t>(capture.empty() ? 2 : capture.size(), 1);
        const bool stereo = opt.stereoPairs > 0;
        for (std::size_t i = 0; i < n && m.strips.size() < kMaxStrips; i += stereo ? 2 : 1) {
            StripModel s;
            s.channels = stereo && i + 1 < n ? 2 : 1;
            s.panLaw = s.channels == 2 ? 0 : 1;
            s.name = "Input " + std::to_string(m.strips.size() + 1);
            if (opt.connect && i < capture.size()) {
                s.connections[0].push_back(capture[i]);
                if (s.channels == 2 && i + 1 < capture.size())
                    s.connections[1].push_back(capture[i + 1]);
            }
            m.strips.push_back(std::move(s));
        }
        m.master.used = true;
        m.master.name = "Master";
        if (opt.connect) {
            const auto playback = backend_->physicalPorts(false);
            for (std::size_t c = 0; c < 2 && c < playback.size(); ++c)
                m.master.connections[c].push_back(playback[c]);
        }
    }
    if (opt.demo)
        m.demo = true;
    if (opt.recordFormatSet)
        m.recording = opt.recordFormat;
    if (!applyModel(m, &notes)) {
        *error = notes;
        return false;
    }
    if (!backend_->activate(*engine_, error))
        return false;
    active_ = true;
    tryConnections();
    if (model_.transport.timebaseMaster) {
        std::string err;
        if (!applyTimebase(false, &err))
            notes += "timebase master refused: " + err + "\n";
    }
    if (!notes.empty())
        std::fprintf(stderr, "%s", notes.c_str());
    return true;
}

Console::Live* Console::liveOf(Target t, int i)
{
    switch (t) {
    case Target::Strip: return i >= 0 && i < static_cast<int>(model_.strips.size()) ? &strips_[static_cast<std::size_t>(i)] : nullptr;
    case Target::Aux: return i >= 0 && i < kMaxAux ? &aux_[static_cast<std::size_t>(i)] : nullptr;
    case Target::Group: return i >= 0 && i < kMaxGroups ? &groups_[static_cast<std::size_t>(i)] : nullptr;
    case Target::Master: return &master_;
    case Target::Engine: break;
    }
    return nullptr;
}

std::vector<InsertModel>* Console::insertsOf(Target t, int i)
{
    switch (t) {
    case Target::Strip: return i >= 0 && i < static_cast<int>(model_.strips.size()) ? &model_.strips[static_cast<std::size_t>(i)].inserts : nullptr;
    case Target::Aux: return i >= 0 && i < kMaxAux ? &model_.aux[static_cast<std::size_t>(i)].inserts : nullptr;
    case Target::Group: return i >= 0 && i < kMaxGroups ? &model_.groups[static_cast<std::size_t>(i)].inserts : nullptr;
    case Target::Master: return &model_.master.inserts;
    case Target::Engine: break;
    }
    return nullptr;
}

bool Console::rebuildChain(Target t, int index, std::vector<InsertModel>& inserts, std::vector<Insert> spec,
                           std::string* notes)
{
    Live* live = liveOf(t, index);
    auto chain = buildChain(*world_, backend_->sampleRate(), backend_->bufferSize(), spec, notes);
    for (std::size_t k = 0; k < chain->inserts.size() && k < inserts.size(); ++k) {
        Insert& ins = chain->inserts[k];
        if (!spec[k].instances.empty() || ins.placeholder)
            continue; // taken over (already configured) or a placeholder
        const InsertModel& im = inserts[k];
        std::string err;
        for (auto& p : ins.instances) {
            if (!im.stateDir.empty() && fs::exists(fs::path(im.stateDir) / "state.ttl") &&
                !p->restoreState(im.stateDir, &err) && notes)
                *notes += "cannot restore the state of " + im.uri + ": " + err + "\n";
            for (const auto& [sym, v] : im.params)
                p->setControl(sym, v);
        }
    }
    live->chain = chain.release();
    send(Op::SwapChain, t, index, 0.f, 0, 0, live->chain);
    return true;
}

void Console::sendStrip(int i)
{
    const StripModel& s = model_.strips[static_cast<std::size_t>(i)];
    Live& l = strips_[static_cast<std::size_t>(i)];
    send(Op::StripPort, Target::Strip, i, 0.f, 0, 0, l.ports[0]);
    send(Op::StripPort, Target::Strip, i, 0.f, 1, 0, l.ports[1]);
    send(Op::Trim, Target::Strip, i, s.trim);
    send(Op::Polarity, Target::Strip, i, s.polarity ? 1.f : 0.f);
    send(Op::Fader, Target::Strip, i, s.fader);
    send(Op::PanLaw, Target::Strip, i, static_cast<float>(s.panLaw));
    send(Op::Pan, Target::Strip, i, s.pan * 0.01f);
    send(Op::Mute, Target::Strip, i, s.mute ? 1.f : 0.f);
    send(Op::Solo, Target::Strip, i, s.solo ? 1.f : 0.f);
    send(Op::MeterPre, Target::Strip, i, s.meterPre ? 1.f : 0.f);
    send(Op::Output, Target::Strip, i, static_cast<float>(s.output));
    for (int a = 0; a < kMaxAux; ++a) {
        send(Op::SendLevel, Target::Strip, i, s.sends[static_cast<std::size_t>(a)].level, a);
        send(Op::SendPre, Target::Strip, i, s.sends[static_cast<std::size_t>(a)].pre ? 1.f : 0.f, a);
    }
    send(Op::StripActive, Target::Strip, i, 1.f, s.channels);
}

void Console::sendBus(Target t, int i)
{
    const BusModel& b = t == Target::Master ? model_.master
                        : t == Target::Aux  ? model_.aux[static_cast<std::size_t>(i)]
                                            : model_.groups[static_cast<std::size_t>(i)];
    Live* l = liveOf(t, i);
    send(Op::Fader, t, i, b.fader);
    send(Op::MeterPre, t, i, b.meterPre ? 1.f : 0.f);
    if (t == Target::Aux) {
        send(Op::BusToMaster, t, i, b.toMaster ? 1.f : 0.f);
        send(Op::BusPort, t, i, 0.f, 0, 0, l->ports[0]);
        send(Op::BusPort, t, i, 0.f, 1, 0, l->ports[1]);
    }
    if (t == Target::Master) {
        send(Op::BusPort, t, i, 0.f, 0, 0, l->ports[0]);
        send(Op::BusPort, t, i, 0.f, 1, 0, l->ports[1]);
        send(Op::DimLevel, t, 0, model_.master.dimLevel);
        send(Op::Dim, t, 0, model_.master.dim ? 1.f : 0.f);
        send(Op::Mono, t, 0, model_.master.mono ? 1.f : 0.f);
        send(Op::Cut, t, 0, model_.master.cut ? 1.f : 0.f);
    } else {
        send(Op::BusActive, t, i, b.used ? 1.f : 0.f);
    }
}

bool Console::applyModel(const SessionModel& m, std::string* notes)
{
    // 1. Silence and detach what the engine runs, and wait until it has seen that, so
    //    ports can be unregistered safely.
    for (int i = 0; i < kMaxStrips; ++i) {
        send(Op::StripActive, Target::Strip, i, 0.f);
        send(Op::StripPort, Target::Strip, i, 0.f, 0, 0, nullptr);
        send(Op::StripPort, Target::Strip, i, 0.f, 1, 0, nullptr);
    }
    for (int a = 0; a < kMaxAux; ++a) {
        send(Op::BusActive, Target::Aux, a, 0.f);
        send(Op::BusPort, Target::Aux, a, 0.f, 0, 0, nullptr);
        send(Op::BusPort, Target::Aux, a, 0.f, 1, 0, nullptr);
    }
    if (active_)
        engine_->waitCycles(2, 1000);
    for (auto& l : strips_)
        for (auto& p : l.ports)
            if (p) {
                backend_->unregisterPort(p);
                p = nullptr;
            }
    for (auto& l : aux_)
        for (auto& p : l.ports)
            if (p) {
                backend_->unregisterPort(p);
                p = nullptr;
            }

    model_ = m;
    // 2. Ports.
    for (std::size_t i = 0; i < model_.strips.size(); ++i) {
        const int ch = model_.strips[i].channels;
        for (int c = 0; c < ch; ++c) {
            strips_[i].ports[static_cast<std::size_t>(c)] =
                backend_->registerPort(stripPortName(static_cast<int>(i), ch, c), true);
            if (!strips_[i].ports[static_cast<std::size_t>(c)]) {
                *notes += "cannot register port " + stripPortName(static_cast<int>(i), ch, c) + "\n";
                return false;
            }
        }
    }
    for (std::size_t a = 0; a < kMaxAux; ++a)
        if (model_.aux[a].used)
            for (std::size_t c = 0; c < 2; ++c)
                aux_[a].ports[c] = backend_->registerPort("aux" + std::to_string(a + 1) + (c == 0 ? "_l" : "_r"), false);

    // 3. Chains (instantiated, activated, state restored here; swapped in by message).
    auto build = [&](Target t, int i, std::vector<InsertModel>& ins) {
        std::vector<Insert> spec;
        for (const auto& im : ins) {
            Insert s;
            s.uri = im.uri;
            spec.push_back(std::move(s));
        }
        rebuildChain(t, i, ins, std::move(spec), notes);
    };
    for (std::size_t i = 0; i < model_.strips.size(); ++i)
        build(Target::Strip, static_cast<int>(i), model_.strips[i].inserts);
    for (int a = 0; a < kMaxAux; ++a)
        build(Target::Aux, a, model_.aux[static_cast<std::size_t>(a)].inserts);
    for (int g = 0; g < kMaxGroups; ++g)
        build(Target::Group, g, model_.groups[static_cast<std::size_t>(g)].inserts);
    build(Target::Master, 0, model_.master.inserts);

    // 4. Levels and routing; a load jumps to its values (no ramps from the old session).
    for (int i = 0; i < static_cast<int>(model_.strips.size()); ++i)
        sendStrip(i);
    for (int a = 0; a < kMaxAux; ++a)
        sendBus(Target::Aux, a);
    for (int g = 0; g < kMaxGroups; ++g)
        sendBus(Target::Group, g);
    sendBus(Target::Master, 0);
    send(Op::Demo, Target::Engine, 0, model_.demo ? 1.f : 0.f);
    send(Op::Tempo, Target::Engine, 0, static_cast<float>(model_.transport.bpm));
    send(Op::TimeSignature, Target::Engine, 0, 0.f, model_.transport.beatsPerBar, model_.transport.beatType);
    send(Op::ResetSmoothing, Target::Engine, 0, 0.f);
    updateLatency();
    if (active_) {
        tryConnections();
        std::string err;
        if (!applyTimebase(false, &err))
            *notes += "timebase master refused: " + err + "\n";
    }
    return true;
}

bool Console::applyTimebase(bool force, std::string* error)
{
    const bool want = model_.transport.timebaseMaster;
    if (!want) {
        if (timebaseOn_)
            backend_->setTimebase(false, false, nullptr);
        timebaseOn_ = false;
        return true;
    }
    if (!backend_->setTimebase(true, force, error))
        return false;
    timebaseOn_ = true;
    timebaseLost_ = false;
    refreshTimebase();
    return true;
}

void Console::checkTimebase()
{
    if (!timebaseOn_ || !active_ || backend_->serverGone() || !backend_->timebaseLost())
        return;
    timebaseOn_ = false;
    timebaseLost_ = true;
    std::fprintf(stderr, "mixwright-console: another JACK client took over as timebase master; tempo and meter "
                         "now come from it (\"timebase force\" takes it back)\n");
}

const char* Console::timebaseState() const
{
    if (timebaseOn_)
        return "master";
    if (!model_.transport.timebaseMaster)
        return "off";
    return timebaseLost_ ? "lost" : "refused";
}

void Console::refreshTimebase()
{
    // JACK calls the timebase master every cycle while rolling, but while stopped only
    // after a locate: relocating to where we are makes a new tempo or meter show at
    // once. The engine applies the change first (the callback reads it from there).
    if (!timebaseOn_ || !active_ || backend_->serverGone())
        return;
    engine_->waitCycles(2, 500);
    const auto s = backend_->transport();
    if (!s.rolling)
        backend_->transportLocate(s.frame);
}

void Console::updateLatency()
{
    uint32_t a = 0, b = 0;
    const auto lat = [](const Live& l) { return l.chain ? l.chain->latency : 0u; };
    for (std::size_t i = 0; i < model_.strips.size(); ++i)
        a = std::max(a, lat(strips_[i]));
    for (std::size_t k = 0; k < kMaxAux; ++k)
        if (model_.aux[k].used)
            b = std::max(b, lat(aux_[k]));
    for (std::size_t k = 0; k < kMaxGroups; ++k)
        if (model_.groups[k].used)
            b = std::max(b, lat(groups_[k]));
    a = std::min(a, kMaxPdc);
    b = std::min(b, kMaxPdc);
    for (std::size_t i = 0; i < model_.strips.size(); ++i)
        send(Op::CompDelay, Target::Strip, static_cast<int>(i), static_cast<float>(a - std::min(a, lat(strips_[i]))));
    for (std::size_t k = 0; k < kMaxAux; ++k)
        send(Op::CompDelay, Target::Aux, static_cast<int>(k), static_cast<float>(b - std::min(b, lat(aux_[k]))));
    for (std::size_t k = 0; k < kMaxGroups; ++k)
        send(Op::CompDelay, Target::Group, static_cast<int>(k), static_cast<float>(b - std::min(b, lat(groups_[k]))));
    send(Op::DirectDelay, Target::Engine, 0, static_cast<float>(b));
    totalLatency_ = a + b + lat(master_);
    backend_->setLatency(totalLatency_);
}

void Console::tryConnections()
{
    if (!backend_ || backend_->serverGone())
        return;
    for (std::size_t i = 0; i < model_.strips.size(); ++i)
        for (std::size_t c = 0; c < 2; ++c)
            if (strips_[i].ports[c])
                for (const auto& other : model_.strips[i].connections[c])
                    if (backend_->portExists(other))
                        backend_->connect(other, backend_->portName(strips_[i].ports[c]), nullptr);
    auto outs = [&](const BusModel& b, const Live& l) {
        for (std::size_t c = 0; c < 2; ++c)
            if (l.ports[c])
                for (const auto& other : b.connections[c])
                    if (backend_->portExists(other))
                        backend_->connect(backend_->portName(l.ports[c]), other, nullptr);
    };
    for (std::size_t k = 0; k < kMaxAux; ++k)
        outs(model_.aux[k], aux_[k]);
    outs(model_.master, master_);
}

void Console::poll()
{
    if (!engine_)
        return;
    engine_->collectGarbage();
    if (recorder_ && !reportedFailure_)
        for (const auto& tr : recorder_->tracks)
            if (tr->failed.load()) {
                std::fprintf(stderr, "mixwright-console: recording %s stopped: %s (the file keeps what was written)\n",
                             tr->path.c_str(), tr->error.c_str());
                reportedFailure_ = true;
            }
    if (backend_->serverGone())
        return;
    if (backend_->takePortsChanged())
        tryConnections();
    checkTimebase();
    if (recordFollow_) {
        const bool rolling = backend_->transport().rolling;
        std::string reply;
        if (rolling && !recorder_)
            reply = cmdRecord({"record", "start"});
        else if (!rolling && recorder_)
            reply = stopRecording();
        if (!reply.empty())
            std::fprintf(stderr, "mixwright-console: transport %s: %s\n", rolling ? "rolling" : "stopped", reply.c_str());
        if (reply.rfind("error:", 0) == 0)
            recordFollow_ = false; // e.g. nothing armed: do not retry every poll
    }
    // Follow plugins whose latency changes (e.g. a look-ahead setting), ~5 times a second.
    if (++pollCount_ % 10 == 0)
        refreshLatency();
}

bool Console::refreshLatency()
{
    bool changed = false;
    auto check = [&](Live& l) {
        if (l.chain) {
            const uint32_t before = l.chain->latency;
            changed = l.chain->measureLatency() != before || changed;
        }
    };
    for (std::size_t i = 0; i < model_.strips.size(); ++i)
        check(strips_[i]);
    for (auto& l : aux_)
        check(l);
    for (auto& l : groups_)
        check(l);
    check(master_);
    // Re-runs the delay compensation (new delays reach the engine through the ring)
    // and, when the total changed, has JACK recompute the port latencies.
    if (changed)
        updateLatency();
    return changed;
}

// --- commands ----------------------------------------------------------------------

namespace {

/// A command's target, read from its words: `strip N`, `aux N`, `group N` (index N - 1)
/// or `master`; `pos` is the first word after it.
struct Addressed {
    Target target;
    int index;
    std::size_t pos;
};

/// Reads the target at t[pos]; nullopt (and *err says why) if there is none.
std::optional<Addressed> parseTarget(const std::vector<std::string>& t, std::size_t pos, std::string* err)
{
    if (pos >= t.size()) {
        *err = "missing target (strip N, aux N, group N or master)";
        return std::nullopt;
    }
    const std::string& w = t[pos];
    if (w == "master")
        return Addressed{Target::Master, 0, pos + 1};
    Target target;
    if (w == "strip")
        target = Target::Strip;
    else if (w == "aux")
        target = Target::Aux;
    else if (w == "group")
        target = Target::Group;
    else {
        *err = "unknown target '" + w + "' (strip N, aux N, group N or master)";
        return std::nullopt;
    }
    int index = 0;
    if (pos + 1 >= t.size() || !parseInt(t[pos + 1], index)) {
        *err = w + " needs a number";
        return std::nullopt;
    }
    return Addressed{target, index - 1, pos + 2};
}

} // namespace

std::string Console::execute(const std::string& line)
{
    const auto t = split(line);
    if (t.empty() || t[0][0] == '#')
        return "ok";
    const std::string& c = t[0];
    if (backend_->serverGone() && c != "quit")
        return "error: the JACK server has gone away";
    if (c == "quit" || c == "exit") {
        quit_ = true;
        return "ok bye";
    }
    if (c == "help")
        return "ok commands: strips | set strip N trim|fader|pan|panlaw|polarity|mute|solo|meter|output|send ... | "
               "transport position | tempo [BPM] | meter [BEATS TYPE] | timebase [on|off|force] | "
               "param TARGET SLOT SYMBOL (reads) | "
               "set aux|group N on|off|fader|tomaster|meter | set master fader|dim|dimlevel|mono|cut|meter | "
               "mute|solo strip N on|off | insert TARGET URI | remove TARGET SLOT | param TARGET SLOT SYMBOL VALUE | "
               "plugins TARGET | connect strip N CH PORT | connect master|aux N CH PORT | meters | loudness | "
               "reset loudness | latency | "
               "transport start|stop|locate FRAME|state | record arm strip N|master on|off | record start|stop|state | "
               "record format wav|w64|flac [float|24|16] | "
               "dsp [plugins] | demo on|off | save [PATH] | load PATH | quit";
    if (c == "strips")
        return cmdStrips();
    if (c == "set")
        return cmdSet(t);
    if (c == "mute" || c == "solo") {
        if (t.size() != 4 || t[1] != "strip")
            return "error: usage: " + c + " strip N on|off";
        return cmdSet({"set", "strip", t[2], c, t[3]});
    }
    if (c == "insert")
        return cmdInsert(t, false);
    if (c == "remove")
        return cmdInsert(t, true);
    if (c == "param")
        return cmdParam(t);
    if (c == "plugins") {
        std::string err;
        const auto target = parseTarget(t, 1, &err);
        Live* l = target ? liveOf(target->target, target->index) : nullptr;
        if (!l)
            return "error: " + (err.empty() ? std::string("no such target") : err);
        std::string r = "ok";
        if (l->chain)
            for (std::size_t k = 0; k < l->chain->inserts.size(); ++k) {
                const auto& ins = l->chain->inserts[k];
                r += " " + std::to_string(k + 1) + ":" + ins.uri + (ins.placeholder ? "(placeholder)" : "") +
                     "(latency " + std::to_string(ins.latency) + ")";
            }
        return r;
    }
    if (c == "meters")
        return cmdMeters();
    if (c == "loudness" || (c == "reset" && t.size() == 2 && t[1] == "loudness"))
        return cmdLoudness(c == "reset" ? std::vector<std::string>{"loudness", "reset"} : t);
    if (c == "latency") {
        std::string r = "ok total " + std::to_string(totalLatency_);
        for (std::size_t i = 0; i < model_.strips.size(); ++i)
            r += " strip" + std::to_string(i + 1) + "=" +
                 std::to_string(strips_[i].chain ? strips_[i].chain->latency : 0u);
        r += " master=" + std::to_string(master_.chain ? master_.chain->latency : 0u);
        return r;
    }
    if (c == "save")
        return cmdSave(t);
    if (c == "load")
        return cmdLoad(t);
    if (c == "transport")
        return cmdTransport(t);
    if (c == "tempo" || c == "meter" || c == "timebase")
        return cmdTimeline(t);
    if (c == "connect")
        return cmdConnect(t);
    if (c == "record")
        return cmdRecord(t);
    if (c == "dsp")
        return cmdDsp(t);
    if (c == "demo") {
        bool on;
        if (t.size() != 2 || !parseBool(t[1], on))
            return "error: usage: demo on|off";
        model_.demo = on;
        send(Op::Demo, Target::Engine, 0, on ? 1.f : 0.f);
        return std::string("ok demo ") + (on ? "on" : "off");
    }
    return "error: unknown command '" + c + "' (try help)";
}

std::string Console::cmdDsp(const std::vector<std::string>& t)
{
    // Cycle time of the process callback since the last "dsp", against the period;
    // the plugins' share of it (insert timing, engine.hpp), the demo generator's (it
    // stands in for the inputs) and the console's own work (the rest). "dsp plugins"
    // adds the plugins' time per URI.
    if (t.size() > 2 || (t.size() == 2 && t[1] != "plugins"))
        return "error: usage: dsp [plugins]";
    const auto l = engine_->takeLoad();
    const double period = l.frames ? 1e9 * l.frames / backend_->sampleRate() : 0.0;
    char b[300];
    std::snprintf(b, sizeof b,
                  "ok cycle mean %.1f us max %.1f us period %.1f us load mean %.1f %% max %.1f %% xruns %u "
                  "plugins %.1f us demo %.1f us own %.1f us",
                  l.meanNs * 1e-3, l.maxNs * 1e-3, period * 1e-3, period > 0 ? 100.0 * l.meanNs / period : 0.0,
                  period > 0 ? 100.0 * l.maxNs / period : 0.0, backend_->xruns(), l.pluginNs * 1e-3,
                  l.demoNs * 1e-3, (l.meanNs - l.pluginNs - l.demoNs) * 1e-3);
    std::string r = b;
    if (t.size() < 2)
        return r;
    // Per URI: us per cycle, instances (chains), and ns per sample per channel (the
    // unit of mixwright-bench, for 2 channels).
    std::map<std::string, std::pair<double, int>> perUri;
    const auto add = [&](const std::vector<InsertModel>& inserts, int slot) {
        for (std::size_t k = 0; k < inserts.size() && k < static_cast<std::size_t>(kMaxTimedInserts); ++k) {
            auto& e = perUri[inserts[k].uri];
            e.first += l.insertNs[static_cast<std::size_t>(slot)][k];
            ++e.second;
        }
    };
    for (std::size_t i = 0; i < model_.strips.size(); ++i)
        add(model_.strips[i].inserts, static_cast<int>(i));
    for (int a = 0; a < kMaxAux; ++a)
        add(model_.aux[static_cast<std::size_t>(a)].inserts, kAuxSlot + a);
    for (int g = 0; g < kMaxGroups; ++g)
        add(model_.groups[static_cast<std::size_t>(g)].inserts, kGroupSlot + g);
    add(model_.master.inserts, kMasterSlot);
    std::snprintf(b, sizeof b, " | clock read pair %.0f ns in the cycles, %.0f ns calibrated", l.clockPairInCycleNs,
                  l.clockPairNs);
    r += b;
    for (const auto& [uri, e] : perUri) {
        const double perSample = l.frames ? e.first / (e.second * 2.0 * l.frames) : 0.0;
        std::snprintf(b, sizeof b, " | %s x%d %.1f us %.2f ns/sample/ch", uri.c_str(), e.second, e.first * 1e-3,
                      perSample);
        r += b;
    }
    return r;
}

std::string Console::cmdStrips()
{
    std::string r = "ok " + std::to_string(model_.strips.size()) + " strips";
    char b[256];
    for (std::size_t i = 0; i < model_.strips.size(); ++i) {
        const auto& s = model_.strips[i];
        std::string ports;
        for (std::size_t c = 0; c < 2; ++c)
            if (strips_[i].ports[c]) {
                if (!ports.empty())
                    ports.push_back(',');
                ports.append(backend_->portName(strips_[i].ports[c]));
            }
        std::snprintf(b, sizeof b, " | %zu %s %s in=%s trim %.1f fader %.1f pan %.0f %s%s%s%s out=%s inserts %zu", i + 1,
                      s.name.c_str(), s.channels == 2 ? "stereo" : "mono", ports.c_str(), static_cast<double>(s.trim),
                      static_cast<double>(s.fader), static_cast<double>(s.pan), kLawNames[s.panLaw],
                      s.polarity ? " polarity" : "", s.mute ? " mute" : "", s.solo ? " solo" : "",
                      s.output < 0 ? "master" : ("group" + std::to_string(s.output + 1)).c_str(), s.inserts.size());
        r += b;
    }
    return r;
}

std::string Console::cmdSet(const std::vector<std::string>& t)
{
    std::string err;
    auto target = parseTarget(t, 1, &err);
    if (!target)
        return "error: " + err;
    auto& [tg, idx, pos] = *target;
    if (!liveOf(tg, idx))
        return "error: no such " + t[1] + " (" + std::to_string(idx + 1) + ")";
    if (pos >= t.size())
        return "error: missing parameter";
    const std::string what = t[pos++];
    const std::string val = pos < t.size() ? t[pos] : "";
    float f = 0.f;
    bool b = false;
    auto needFloat = [&]() { return parseFloat(val, f); };
    auto needBool = [&]() { return parseBool(val, b); };

    if (tg == Target::Strip) {
        StripModel& s = model_.strips[static_cast<std::size_t>(idx)];
        if (what == "trim" && needFloat() && f >= -24.f && f <= 24.f) {
            s.trim = f;
            send(Op::Trim, tg, idx, f);
        } else if (what == "fader" && needFloat() && f <= 12.f) {
            s.fader = std::max(f, -120.f);
            send(Op::Fader, tg, idx, s.fader);
        } else if (what == "pan" && needFloat() && f >= -100.f && f <= 100.f) {
            s.pan = f;
            send(Op::Pan, tg, idx, f * 0.01f);
        } else if (what == "panlaw" && parseLaw(val, s.panLaw)) {
            send(Op::PanLaw, tg, idx, static_cast<float>(s.panLaw));
        } else if (what == "polarity" && needBool()) {
            s.polarity = b;
            send(Op::Polarity, tg, idx, b ? 1.f : 0.f);
        } else if (what == "mute" && needBool()) {
            s.mute = b;
            send(Op::Mute, tg, idx, b ? 1.f : 0.f);
        } else if (what == "solo" && needBool()) {
            s.solo = b;
            send(Op::Solo, tg, idx, b ? 1.f : 0.f);
        } else if (what == "meter" && (val == "pre" || val == "post")) {
            s.meterPre = val == "pre";
            send(Op::MeterPre, tg, idx, s.meterPre ? 1.f : 0.f);
        } else if (what == "name" && !val.empty()) {
            s.name = val;
        } else if (what == "output") {
            int g = -1;
            if (val != "master") {
                if (val.rfind("group", 0) != 0 || !parseInt(val.substr(5), g) || g < 1 || g > kMaxGroups)
                    return "error: output is master or group1..group" + std::to_string(kMaxGroups);
                g -= 1;
                if (!model_.groups[static_cast<std::size_t>(g)].used) {
                    model_.groups[static_cast<std::size_t>(g)].used = true;
                    send(Op::BusActive, Target::Group, g, 1.f);
                    updateLatency();
                }
            }
            s.output = g;
            send(Op::Output, tg, idx, static_cast<float>(g));
        } else if (what == "send") {
            // set strip N send A LEVEL [pre|post]
            int a = 0;
            if (!parseInt(val, a) || a < 1 || a > kMaxAux || pos + 1 >= t.size() || !parseFloat(t[pos + 1], f))
                return "error: usage: set strip N send AUX(1-" + std::to_string(kMaxAux) + ") LEVEL_DB [pre|post]";
            a -= 1;
            auto& sd = s.sends[static_cast<std::size_t>(a)];
            sd.level = std::clamp(f, -120.f, 12.f);
            if (pos + 2 < t.size()) {
                if (t[pos + 2] != "pre" && t[pos + 2] != "post")
                    return "error: send mode is pre or post";
                sd.pre = t[pos + 2] == "pre";
            }
            if (!model_.aux[static_cast<std::size_t>(a)].used)
                return "error: aux " + std::to_string(a + 1) + " is off (set aux " + std::to_string(a + 1) + " on)";
            send(Op::SendPre, tg, idx, sd.pre ? 1.f : 0.f, a);
            send(Op::SendLevel, tg, idx, sd.level, a);
        } else {
            return "error: bad strip setting '" + what + (val.empty() ? "" : " " + val) +
                   "' (trim -24..24 dB, fader <= 12 dB, pan -100..100, panlaw balance|power|compromise|linear, "
                   "polarity|mute|solo on|off, meter pre|post, output master|groupN, send A DB [pre|post], name X)";
        }
        return "ok";
    }

    BusModel& bus = tg == Target::Master ? model_.master
                    : tg == Target::Aux  ? model_.aux[static_cast<std::size_t>(idx)]
                                         : model_.groups[static_cast<std::size_t>(idx)];
    if (what == "fader" && needFloat() && f <= 12.f) {
        bus.fader = std::max(f, -120.f);
        send(Op::Fader, tg, idx, bus.fader);
    } else if (what == "meter" && (val == "pre" || val == "post")) {
        bus.meterPre = val == "pre";
        send(Op::MeterPre, tg, idx, bus.meterPre ? 1.f : 0.f);
    } else if (tg != Target::Master && (what == "on" || what == "off")) {
        const bool on = what == "on";
        if (on == bus.used)
            return "ok";
        if (tg == Target::Aux) {
            // Ports come and go with the bus: detach first, then (un)register.
            Live& l = aux_[static_cast<std::size_t>(idx)];
            send(Op::BusActive, tg, idx, 0.f);
            send(Op::BusPort, tg, idx, 0.f, 0, 0, nullptr);
            send(Op::BusPort, tg, idx, 0.f, 1, 0, nullptr);
            engine_->waitCycles(2, 1000);
            for (std::size_t c = 0; c < 2; ++c) {
                if (l.ports[c])
                    backend_->unregisterPort(l.ports[c]);
                l.ports[c] = on ? backend_->registerPort("aux" + std::to_string(idx + 1) + (c == 0 ? "_l" : "_r"), false)
                                : nullptr;
            }
        }
        bus.used = on;
        sendBus(tg, idx);
        updateLatency();
        if (on)
            tryConnections();
    } else if (tg == Target::Aux && what == "tomaster" && needBool()) {
        bus.toMaster = b;
        send(Op::BusToMaster, tg, idx, b ? 1.f : 0.f);
    } else if (tg == Target::Master && what == "dim" && needBool()) {
        model_.master.dim = b;
        send(Op::Dim, tg, 0, b ? 1.f : 0.f);
    } else if (tg == Target::Master && what == "dimlevel" && needFloat() && f <= 0.f && f >= -60.f) {
        model_.master.dimLevel = f;
        send(Op::DimLevel, tg, 0, f);
    } else if (tg == Target::Master && what == "mono" && needBool()) {
        model_.master.mono = b;
        send(Op::Mono, tg, 0, b ? 1.f : 0.f);
    } else if (tg == Target::Master && what == "talkback" && needBool()) {
        send(Op::Talkback, tg, 0, b ? 1.f : 0.f);
    } else if (tg == Target::Master && what == "cut" && needBool()) {
        model_.master.cut = b;
        send(Op::Cut, tg, 0, b ? 1.f : 0.f);
    } else {
        return "error: bad bus setting '" + what + (val.empty() ? "" : " " + val) +
               "' (fader <= 12 dB, meter pre|post, on|off, tomaster on|off; master: dim|mono|cut on|off, "
               "dimlevel -60..0)";
    }
    return "ok";
}

std::string Console::cmdInsert(const std::vector<std::string>& t, bool remove)
{
    std::string err;
    auto target = parseTarget(t, 1, &err);
    if (!target)
        return "error: " + err;
    auto& [tg, idx, pos] = *target;
    Live* live = liveOf(tg, idx);
    auto* inserts = insertsOf(tg, idx);
    if (!live || !inserts)
        return "error: no such target";
    if (pos >= t.size())
        return remove ? "error: usage: remove TARGET SLOT" : "error: usage: insert TARGET URI [SLOT]";
    std::vector<Insert> spec = live->chain ? live->chain->inserts : std::vector<Insert>();
    std::vector<InsertModel> models = *inserts;
    int slot = 0;
    if (remove) {
        if (!parseInt(t[pos], slot) || slot < 1 || slot > static_cast<int>(spec.size()))
            return "error: no insert " + t[pos] + " (there are " + std::to_string(spec.size()) + ")";
        spec.erase(spec.begin() + (slot - 1));
        models.erase(models.begin() + (slot - 1));
    } else {
        const std::string uri = t[pos];
        slot = static_cast<int>(spec.size()) + 1;
        if (pos + 1 < t.size() && (!parseInt(t[pos + 1], slot) || slot < 1 || slot > static_cast<int>(spec.size()) + 1))
            return "error: slot must be 1.." + std::to_string(spec.size() + 1);
        if (!world_->findPlugin(uri))
            return "error: plugin " + uri + " is not installed (LV2_PATH)";
        Insert s;
        s.uri = uri;
        spec.insert(spec.begin() + (slot - 1), std::move(s));
        InsertModel m;
        m.uri = uri;
        models.insert(models.begin() + (slot - 1), std::move(m));
    }
    std::string notes;
    *inserts = models;
    rebuildChain(tg, idx, *inserts, std::move(spec), &notes);
    updateLatency();
    if (!notes.empty()) {
        while (!notes.empty() && notes.back() == '\n')
            notes.pop_back();
        return "error: " + notes;
    }
    if (remove)
        return "ok removed slot " + std::to_string(slot);
    const Insert& ins = live->chain->inserts[static_cast<std::size_t>(slot - 1)];
    return "ok slot " + std::to_string(slot) + " " + ins.uri + " latency " + std::to_string(ins.latency);
}

std::string Console::cmdParam(const std::vector<std::string>& t)
{
    std::string err;
    auto target = parseTarget(t, 1, &err);
    if (!target)
        return "error: " + err;
    auto& [tg, idx, pos] = *target;
    Live* live = liveOf(tg, idx);
    int slot = 0;
    float v = 0.f;
    // Without a VALUE: read any control port, output ports included (first instance).
    const bool read = pos + 2 == t.size();
    if (!live || pos + 1 >= t.size() || !parseInt(t[pos], slot) || (!read && !parseFloat(t[pos + 2], v)))
        return "error: usage: param TARGET SLOT SYMBOL [VALUE]";
    if (!live->chain || slot < 1 || slot > static_cast<int>(live->chain->inserts.size()))
        return "error: no insert in slot " + t[pos];
    Insert& ins = live->chain->inserts[static_cast<std::size_t>(slot - 1)];
    if (ins.placeholder)
        return "error: slot " + t[pos] + " is a placeholder for " + ins.uri + " (not installed)";
    const std::string& sym = t[pos + 1];
    const int port = ins.instances[0]->controlIndex(sym);
    const auto& ports = ins.instances[0]->ports();
    if (read) {
        if (port < 0)
            return "error: " + ins.uri + " has no control '" + sym + "'";
        // An input control set here reads as set, at once: the engine applies it in
        // its next cycle, and until then the plugin's port still holds the old value.
        float value = ins.instances[0]->controlAt(static_cast<uint32_t>(port));
        const auto& set = (*insertsOf(tg, idx))[static_cast<std::size_t>(slot - 1)].params;
        if (const auto it = set.find(sym);
            it != set.end() && ports[static_cast<std::size_t>(port)].kind == host::PortKind::ControlIn)
            value = it->second;
        char b[64];
        std::snprintf(b, sizeof b, "ok %.9g", static_cast<double>(value));
        return b;
    }
    if (port < 0 || ports[static_cast<std::size_t>(port)].kind != host::PortKind::ControlIn)
        return "error: " + ins.uri + " has no input control '" + sym + "'";
    const auto& pi = ports[static_cast<std::size_t>(port)];
    if (!std::isnan(pi.min) && !std::isnan(pi.max) && (v < pi.min || v > pi.max)) {
        char b[128];
        std::snprintf(b, sizeof b, "error: %s must be within %g..%g", sym.c_str(), static_cast<double>(pi.min),
                      static_cast<double>(pi.max));
        return b;
    }
    (*insertsOf(tg, idx))[static_cast<std::size_t>(slot - 1)].params[sym] = v;
    send(Op::PluginParam, tg, idx, v, slot - 1, port);
    // A control may change the plugin's latency (a look-ahead): once the plugin has
    // run with the new value, compensate at once rather than at the next poll.
    const bool hasLatencyPort = std::any_of(ports.begin(), ports.end(), [](const host::PortInfo& p) {
        return p.kind == host::PortKind::ControlOut && p.reportsLatency;
    });
    if (hasLatencyPort && engine_->waitCycles(2, 500) && refreshLatency())
        return "ok latency " + std::to_string(totalLatency_);
    return "ok";
}

std::string Console::meterLine(bool compact)
{
    std::string r;
    char b[128];
    auto one = [&](const std::string& name, const Meter& m) {
        const float pk = std::max(m.peak[0].load(), m.peak[1].load());
        if (compact) {
            std::snprintf(b, sizeof b, "%s %6.1f ", name.c_str(), static_cast<double>(dsp::gainToDb(pk)));
        } else {
            std::snprintf(b, sizeof b, " | %s peak %s %s rms %s %s", name.c_str(), fmtDb(m.peak[0].load()).c_str(),
                          fmtDb(m.peak[1].load()).c_str(), fmtDb(m.rms[0].load()).c_str(), fmtDb(m.rms[1].load()).c_str());
        }
        r += b;
    };
    for (std::size_t i = 0; i < model_.strips.size(); ++i)
        one((compact ? "S" : "strip") + std::to_string(i + 1), engine_->stripMeter(static_cast<int>(i)));
    for (std::size_t k = 0; k < kMaxAux; ++k)
        if (model_.aux[k].used)
            one((compact ? "A" : "aux") + std::to_string(k + 1), engine_->auxMeter(static_cast<int>(k)));
    for (std::size_t k = 0; k < kMaxGroups; ++k)
        if (model_.groups[k].used)
            one((compact ? "G" : "group") + std::to_string(k + 1), engine_->groupMeter(static_cast<int>(k)));
    one(compact ? "M" : "master", engine_->masterMeter());
    return r;
}

std::vector<float> Console::meterValues() const
{
    std::vector<float> v;
    auto add = [&](const Meter& m) {
        for (const auto* a : {&m.peak[0], &m.peak[1], &m.rms[0], &m.rms[1]})
            v.push_back(dsp::gainToDb(a->load()));
    };
    for (std::size_t i = 0; i < model_.strips.size(); ++i)
        add(engine_->stripMeter(static_cast<int>(i)));
    add(engine_->masterMeter());
    return v;
}

std::string Console::cmdMeters() { return "ok dBFS" + meterLine(false) + " | loudness " + loudnessLine(); }

std::string Console::loudnessLine() const
{
    const LoudnessReading l = loudness_->read();
    char b[200];
    std::snprintf(b, sizeof b, "M %.1f S %.1f I %.1f LUFS LRA %.1f LU TP %.1f dBTP corr %+.2f", l.momentary,
                  l.shortTerm, l.integrated, l.range, l.truePeakMax, l.correlation);
    return b;
}

std::vector<float> Console::loudnessValues() const
{
    const LoudnessReading l = loudness_->read();
    std::vector<float> v;
    for (double x : {l.momentary, l.shortTerm, l.integrated, l.range, l.truePeakMax, l.samplePeakMax, l.correlation,
                     l.seconds})
        v.push_back(static_cast<float>(x));
    return v;
}

std::string Console::cmdLoudness(const std::vector<std::string>& t)
{
    if (t.size() == 2 && t[1] == "reset") {
        if (!loudness_->reset())
            return "error: the loudness meter did not respond";
        return "ok loudness reset";
    }
    if (t.size() != 1)
        return "error: usage: loudness | loudness reset | reset loudness";
    const LoudnessReading l = loudness_->read();
    char b[400];
    std::snprintf(b, sizeof b,
                  "ok loudness momentary %.3f shortterm %.3f integrated %.3f range %.3f truepeak %.3f samplepeak %.3f "
                  "momentarymax %.3f shorttermmax %.3f correlation %.4f seconds %.2f dropped %llu",
                  l.momentary, l.shortTerm, l.integrated, l.range, l.truePeakMax, l.samplePeakMax, l.momentaryMax,
                  l.shortTermMax, l.correlation, l.seconds, static_cast<unsigned long long>(l.dropped));
    return b;
}

void Console::captureParams()
{
    auto capture = [](Live& l, std::vector<InsertModel>& models) {
        if (!l.chain)
            return;
        for (std::size_t k = 0; k < l.chain->inserts.size() && k < models.size(); ++k) {
            const Insert& ins = l.chain->inserts[k];
            if (ins.placeholder || ins.instances.empty())
                continue;
            // Values set by command are in the model already (the callback may not
            // have applied the last one yet); the plugin supplies the rest.
            for (const auto& p : ins.instances[0]->ports())
                if (p.kind == host::PortKind::ControlIn && !models[k].params.contains(p.symbol))
                    models[k].params[p.symbol] = ins.instances[0]->controlAt(p.index);
        }
    };
    for (std::size_t i = 0; i < model_.strips.size(); ++i)
        capture(strips_[i], model_.strips[i].inserts);
    for (std::size_t k = 0; k < kMaxAux; ++k)
        capture(aux_[k], model_.aux[k].inserts);
    for (std::size_t k = 0; k < kMaxGroups; ++k)
        capture(groups_[k], model_.groups[k].inserts);
    capture(master_, model_.master.inserts);
}

std::string Console::cmdSave(const std::vector<std::string>& t)
{
    std::string path = t.size() > 1 ? t[1] : sessionPath_;
    if (path.empty())
        return "error: no session file yet: save PATH";
    // Let the callback apply the changes queued so far, so plugin states include them.
    engine_->waitCycles(2, 500);
    captureParams();
    // Connections: what JACK has now, plus remembered ones whose ports are absent.
    auto merge = [&](std::array<std::vector<std::string>, 2>& conn, const std::array<void*, 2>& ports) {
        for (std::size_t c = 0; c < 2; ++c) {
            if (!ports[c])
                continue;
            std::set<std::string> keep;
            for (const auto& p : conn[c])
                if (!backend_->portExists(p))
                    keep.insert(p);
            for (const auto& p : backend_->connections(ports[c]))
                keep.insert(p);
            conn[c].assign(keep.begin(), keep.end());
        }
    };
    for (std::size_t i = 0; i < model_.strips.size(); ++i)
        merge(model_.strips[i].connections, strips_[i].ports);
    for (std::size_t k = 0; k < kMaxAux; ++k)
        merge(model_.aux[k].connections, aux_[k].ports);
    merge(model_.master.connections, master_.ports);

    // Plugin states: a fresh folder, swapped in once complete; the previous one is
    // kept as .bak like the file.
    const std::string folder = pluginFolderFor(path);
    const std::string tmpFolder = folder + ".tmp";
    std::error_code ec;
    fs::remove_all(tmpFolder, ec);
    fs::create_directories(tmpFolder, ec);
    if (ec)
        return "error: cannot create " + tmpFolder + ": " + ec.message();
    SessionModel saved = model_;
    std::string errors;
    auto states = [&](Live& l, std::vector<InsertModel>& models, const std::string& prefix) {
        for (std::size_t k = 0; k < models.size(); ++k) {
            const std::string rel = prefix + "-" + std::to_string(k + 1);
            const std::string dir = (fs::path(tmpFolder) / rel).string();
            const std::string finalDir = (fs::path(folder) / rel).string();
            const Insert* ins = l.chain && k < l.chain->inserts.size() ? &l.chain->inserts[k] : nullptr;
            std::string err;
            if (ins && !ins->placeholder && !ins->instances.empty()) {
                if (!ins->instances[0]->saveState(dir, &err))
                    errors += "state of " + models[k].uri + ": " + err + "; ";
                models[k].stateDir = finalDir;
            } else if (!models[k].stateDir.empty() && fs::exists(models[k].stateDir)) {
                // A placeholder keeps the state it was loaded with.
                fs::copy(models[k].stateDir, dir, fs::copy_options::recursive, ec);
                models[k].stateDir = finalDir;
            }
        }
    };
    for (std::size_t i = 0; i < saved.strips.size(); ++i)
        states(strips_[i], saved.strips[i].inserts, "strip" + std::to_string(i + 1));
    for (std::size_t k = 0; k < kMaxAux; ++k)
        states(aux_[k], saved.aux[k].inserts, "aux" + std::to_string(k + 1));
    for (std::size_t k = 0; k < kMaxGroups; ++k)
        states(groups_[k], saved.groups[k].inserts, "group" + std::to_string(k + 1));
    states(master_, saved.master.inserts, "master");

    std::string err;
    const std::string text = toJson(saved, folder);
    if (fs::exists(folder)) {
        fs::remove_all(folder + ".bak", ec);
        fs::rename(folder, folder + ".bak", ec);
    }
    fs::rename(tmpFolder, folder, ec);
    if (ec)
        return "error: cannot move " + tmpFolder + " to " + folder + ": " + ec.message();
    if (!saveAtomic(path, text, &err))
        return "error: " + err;
    // Placeholders now point at the new copies.
    model_ = saved;
    sessionPath_ = path;
    if (!errors.empty())
        return "error: saved " + path + " but " + errors;
    return "ok saved " + path;
}

std::string Console::cmdLoad(const std::vector<std::string>& t)
{
    if (t.size() != 2)
        return "error: usage: load PATH";
    std::string text, err;
    if (!readFile(t[1], text, &err))
        return "error: " + err;
    SessionModel m;
    if (!fromJson(text, pluginFolderFor(t[1]), m, &err))
        return "error: " + t[1] + ": " + err + " (file left untouched)";
    std::string notes;
    if (!applyModel(m, &notes))
        return "error: " + notes;
    sessionPath_ = t[1];
    if (!notes.empty()) {
        for (auto& ch : notes)
            if (ch == '\n')
                ch = ';';
        return "ok loaded " + t[1] + " with notes: " + notes;
    }
    return "ok loaded " + t[1] + " (" + std::to_string(model_.strips.size()) + " strips)";
}

std::string Console::cmdTransport(const std::vector<std::string>& t)
{
    if (t.size() < 2)
        return "error: usage: transport start|stop|locate FRAME|state|position";
    if (t[1] == "start") {
        backend_->transportStart();
        return "ok";
    }
    if (t[1] == "stop") {
        backend_->transportStop();
        return "ok";
    }
    if (t[1] == "locate") {
        long long frame = -1;
        if (t.size() != 3 || std::from_chars(t[2].data(), t[2].data() + t[2].size(), frame).ec != std::errc() ||
            frame < 0 || frame > 0xffffffffLL)
            return "error: usage: transport locate FRAME (0..4294967295)";
        if (!backend_->transportLocate(static_cast<uint64_t>(frame)))
            return "error: locate refused by the server";
        return "ok";
    }
    if (t[1] == "state" || t[1] == "position") {
        // "state" keeps its reply (scripts take the frame from its last word);
        // "position" adds bar|beat|tick, tempo, meter and the timebase state.
        const auto s = backend_->transport();
        std::string r = std::string("ok ") + (s.rolling ? "rolling" : "stopped") + " frame " + std::to_string(s.frame);
        if (t[1] == "state")
            return r;
        const auto& p = s.position;
        char b[160];
        if (p.bbtValid)
            std::snprintf(b, sizeof b, " bbt %d|%d|%d bpm %g meter %g/%g", p.bar, p.beat, p.tick, p.bpm,
                          static_cast<double>(p.beatsPerBar), static_cast<double>(p.beatType));
        else
            std::snprintf(b, sizeof b, " bbt none");
        r += b;
        checkTimebase();
        r += std::string(" timebase ") + timebaseState();
        return r;
    }
    return "error: usage: transport start|stop|locate FRAME|state|position";
}

std::string Console::cmdTimeline(const std::vector<std::string>& t)
{
    TransportModel& tm = model_.transport;
    char b[96];
    if (t[0] == "tempo") {
        float bpm = 0.f;
        if (t.size() == 1) {
            std::snprintf(b, sizeof b, "ok tempo %g", tm.bpm);
            return b;
        }
        if (t.size() != 2 || !parseFloat(t[1], bpm) || bpm < kMinBpm || bpm > kMaxBpm)
            return "error: usage: tempo BPM (1..999)";
        tm.bpm = static_cast<double>(bpm);
        send(Op::Tempo, Target::Engine, 0, bpm);
        refreshTimebase();
        std::snprintf(b, sizeof b, "ok tempo %g", tm.bpm);
        return b;
    }
    if (t[0] == "meter") {
        int beats = 0, type = 0;
        if (t.size() == 1)
            return "ok meter " + std::to_string(tm.beatsPerBar) + "/" + std::to_string(tm.beatType);
        if (t.size() != 3 || !parseInt(t[1], beats) || !parseInt(t[2], type) || beats < 1 ||
            beats > kMaxBeatsPerBar || !validBeatType(type))
            return "error: usage: meter BEATS_PER_BAR(1..64) BEAT_TYPE(1|2|4|8|16|32)";
        tm.beatsPerBar = beats;
        tm.beatType = type;
        send(Op::TimeSignature, Target::Engine, 0, 0.f, beats, type);
        refreshTimebase();
        return "ok meter " + std::to_string(beats) + "/" + std::to_string(type);
    }
    // timebase on|off|force
    bool on = false;
    const bool force = t.size() == 2 && t[1] == "force";
    checkTimebase();
    if (t.size() == 1)
        return std::string("ok timebase ") + timebaseState();
    if (t.size() != 2 || (!force && !parseBool(t[1], on)))
        return "error: usage: timebase on|off|force";
    const bool before = tm.timebaseMaster;
    tm.timebaseMaster = on || force;
    std::string err;
    if (!applyTimebase(force, &err)) {
        tm.timebaseMaster = before;
        return "error: " + err;
    }
    return std::string("ok timebase ") + (timebaseOn_ ? "master" : "off");
}

std::string Console::cmdConnect(const std::vector<std::string>& t)
{
    std::string err;
    auto target = parseTarget(t, 1, &err);
    if (!target)
        return "error: " + err;
    auto& [tg, idx, pos] = *target;
    Live* l = liveOf(tg, idx);
    int ch = 0;
    if (!l || tg == Target::Group || pos + 1 >= t.size() || !parseInt(t[pos], ch) || ch < 1 || ch > 2 ||
        !l->ports[static_cast<std::size_t>(ch - 1)])
        return "error: usage: connect strip N|aux N|master CHANNEL(1-2) PORT";
    const std::string& other = t[pos + 1];
    auto& conn = tg == Target::Strip ? model_.strips[static_cast<std::size_t>(idx)].connections
                 : tg == Target::Aux ? model_.aux[static_cast<std::size_t>(idx)].connections
                                     : model_.master.connections;
    auto& list = conn[static_cast<std::size_t>(ch - 1)];
    if (std::find(list.begin(), list.end(), other) == list.end())
        list.push_back(other);
    if (!backend_->portExists(other))
        return "ok pending (" + other + " does not exist yet; connected when it appears)";
    const std::string ours = backend_->portName(l->ports[static_cast<std::size_t>(ch - 1)]);
    const bool okc = tg == Target::Strip ? backend_->connect(other, ours, &err) : backend_->connect(ours, other, &err);
    return okc ? "ok" : "error: " + err;
}

} // namespace mixwright::console

namespace mixwright::console {

std::string Console::stopRecording()
{
    if (!recorder_)
        return "error: not recording";
    send(Op::RecordRun, Target::Engine, 0, 0.f);
    send(Op::SetRecorder, Target::Engine, 0, 0.f, 0, 0, nullptr);
    // Once the callback has seen both messages it no longer touches the recorder (if
    // the server is gone the callback does not run at all).
    if (!backend_->serverGone())
        engine_->waitCycles(2, 1000);
    recorder_->finish(backend_->xruns() - xrunsAtStart_);
    std::string r = "ok take " + std::to_string(take_) + " stopped:" + recorder_->summary() + " log " +
                    recorder_->logPath;
    recorder_.reset();
    return r;
}

std::string Console::cmdRecord(const std::vector<std::string>& t)
{
    if (t.size() >= 4 && t[1] == "arm") {
        // record arm strip N on|off / record arm master on|off
        std::string err;
        auto target = parseTarget(t, 2, &err);
        if (!target)
            return "error: " + err;
        auto& [tg, idx, pos] = *target;
        bool on;
        if (pos >= t.size() || !parseBool(t[pos], on))
            return "error: usage: record arm strip N|master on|off";
        if (recorder_)
            return "error: stop the take before arming";
        if (tg == Target::Master)
            armMaster_ = on;
        else if (tg == Target::Strip && idx >= 0 && idx < static_cast<int>(model_.strips.size()))
            armed_[static_cast<std::size_t>(idx)] = on;
        else
            return "error: strips and the master can be armed";
        return "ok";
    }
    if (t.size() == 2 && t[1] == "start") {
        if (recorder_)
            return "error: already recording take " + std::to_string(take_);
        std::vector<std::pair<int, int>> tracks;
        for (std::size_t i = 0; i < model_.strips.size(); ++i)
            if (armed_[i])
                tracks.emplace_back(static_cast<int>(i), model_.strips[i].channels);
        if (armMaster_)
            tracks.emplace_back(-1, 2);
        if (tracks.empty())
            return "error: nothing armed (record arm strip N on)";
        std::string dir = recordDir_;
        if (dir.empty())
            dir = sessionPath_.empty() ? std::string("takes")
                                       : (fs::path(sessionPath_).parent_path() /
                                          (fs::path(sessionPath_).stem().string() + ".takes"))
                                             .string();
        // Next take number not used in the folder.
        int take = take_;
        char name[32];
        do {
            ++take;
            std::snprintf(name, sizeof name, "take%03d.log", take);
        } while (fs::exists(fs::path(dir) / name));
        auto rec = std::make_unique<Recorder>();
        std::string err;
        if (!rec->open(dir, take, backend_->sampleRate(), tracks, 10.0, model_.recording, &err))
            return "error: " + err;
        take_ = take;
        rec->startDiskThread();
        recorder_ = std::move(rec);
        reportedFailure_ = false;
        xrunsAtStart_ = backend_->xruns();
        send(Op::SetRecorder, Target::Engine, 0, 0.f, 0, 0, recorder_.get());
        send(Op::RecordRun, Target::Engine, 0, 1.f);
        std::string files;
        for (const auto& tr : recorder_->tracks)
            files += " " + tr->path;
        return "ok recording take " + std::to_string(take_) + ":" + files;
    }
    if (t.size() == 2 && t[1] == "stop")
        return stopRecording();
    if (t.size() >= 2 && t.size() <= 4 && t[1] == "format") {
        // record format [wav|w64|flac [float|24|16]] or record format flac:24
        if (t.size() == 2)
            return "ok record format " + formatName(model_.recording);
        std::string container = t[2], sample = t.size() == 4 ? t[3] : "";
        if (const auto colon = container.find(':'); colon != std::string::npos && t.size() == 3) {
            sample = container.substr(colon + 1);
            container.resize(colon);
        }
        RecordFormat f;
        std::string err;
        if (!parseRecordFormat(container, sample, f, &err))
            return "error: " + err;
        model_.recording = f;
        return "ok record format " + formatName(f) + (recorder_ ? " (from the next take)" : "");
    }
    if (t.size() == 3 && t[1] == "follow") {
        if (!parseBool(t[2], recordFollow_))
            return "error: usage: record follow on|off";
        return std::string("ok record follows transport: ") + (recordFollow_ ? "on" : "off");
    }
    if (t.size() == 2 && t[1] == "state") {
        if (!recorder_)
            return "ok stopped";
        return std::string("ok ") + (recorder_->rolling.load() ? "recording" : "starting") + " take " +
               std::to_string(take_) + ":" + recorder_->summary();
    }
    return "error: usage: record arm strip N|master on|off | record start | record stop | record state | "
           "record format [wav|w64|flac [float|24|16]]";
}

} // namespace mixwright::console
