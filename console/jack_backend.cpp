// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC

#include "jack_backend.hpp"

#include <jack/jack.h>
#include <jack/transport.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <mutex>

namespace mixwright::console {

namespace {

host::TransportPosition positionOf(jack_transport_state_t st, const jack_position_t& pos) noexcept MIXWRIGHT_HOST_REALTIME
{
    host::TransportPosition t;
    t.rolling = st == JackTransportRolling;
    t.frame = pos.frame;
    if ((pos.valid & JackPositionBBT) != 0) {
        t.bbtValid = true;
        t.bar = pos.bar;
        t.beat = pos.beat;
        t.tick = pos.tick;
        t.ticksPerBeat = pos.ticks_per_beat;
        t.barStartTick = pos.bar_start_tick;
        t.beatsPerBar = pos.beats_per_bar;
        t.beatType = pos.beat_type;
        t.bpm = pos.beats_per_minute;
    }
    return t;
}

float* jackBuffer(void* port, uint32_t frames) noexcept
{
    return static_cast<float*>(jack_port_get_buffer(static_cast<jack_port_t*>(port), frames));
}

class JackBackend final : public Backend {
public:
    explicit JackBackend(jack_client_t* c) : client_(c)
    {
        jack_set_process_callback(client_, &JackBackend::onProcess, this);
        jack_set_latency_callback(client_, &JackBackend::onLatency, this);
        jack_set_port_registration_callback(client_, &JackBackend::onPortRegistration, this);
        jack_set_xrun_callback(client_, &JackBackend::onXrun, this);
        jack_on_info_shutdown(client_, &JackBackend::onShutdown, this);
    }
    ~JackBackend() override
    {
        if (gone_.load()) {
            // The server is gone: closing would talk to a dead socket; jack_client_close
            // still frees the client's memory and returns an error, which is fine.
        }
        jack_client_close(client_);
    }

    double sampleRate() const override { return jack_get_sample_rate(client_); }
    uint32_t bufferSize() const override { return jack_get_buffer_size(client_); }
    std::string clientName() const override { return jack_get_client_name(client_); }

    void* registerPort(const std::string& shortName, bool input) override
    {
        jack_port_t* p = jack_port_register(client_, shortName.c_str(), JACK_DEFAULT_AUDIO_TYPE,
                                            input ? JackPortIsInput : JackPortIsOutput, 0);
        if (p) {
            std::lock_guard lock(mu_);
            ports_.push_back(p);
            if (!input)
                outputs_.push_back(p);
            else
                inputs_.push_back(p);
        }
        return p;
    }
    void unregisterPort(void* port) override
    {
        auto* p = static_cast<jack_port_t*>(port);
        {
            std::lock_guard lock(mu_);
            std::erase(ports_, p);
            std::erase(inputs_, p);
            std::erase(outputs_, p);
        }
        jack_port_unregister(client_, p);
    }
    std::string portName(void* port) const override { return jack_port_name(static_cast<jack_port_t*>(port)); }
    bool connect(const std::string& from, const std::string& to, std::string* error) override
    {
        const int rc = jack_connect(client_, from.c_str(), to.c_str());
        if (rc == 0 || rc == EEXIST)
            return true;
        if (error)
            *error = "cannot connect " + from + " to " + to;
        return false;
    }
    bool portExists(const std::string& fullName) const override
    {
        return jack_port_by_name(client_, fullName.c_str()) != nullptr;
    }
    std::vector<std::string> physicalPorts(bool capture) const override
    {
        std::vector<std::string> out;
        const char** names = jack_get_ports(client_, nullptr, JACK_DEFAULT_AUDIO_TYPE,
                                            JackPortIsPhysical | (capture ? JackPortIsOutput : JackPortIsInput));
        if (names) {
            for (const char** n = names; *n; ++n)
                out.emplace_back(*n);
            jack_free(names);
        }
        return out;
    }
    std::vector<std::string> connections(void* port) const override
    {
        std::vector<std::string> out;
        const char** names = jack_port_get_all_connections(client_, static_cast<jack_port_t*>(port));
        if (names) {
            for (const char** n = names; *n; ++n)
                out.emplace_back(*n);
            jack_free(names);
        }
        return out;
    }
    bool activate(Engine& engine, std::string* error) override
    {
        engine_ = &engine;
        engine.setPortBufferFn(&jackBuffer);
        if (jack_activate(client_) != 0) {
            if (error)
                *error = "jack_activate failed";
            return false;
        }
        return true;
    }
    void deactivate() override
    {
        if (!gone_.load())
            jack_deactivate(client_);
    }
    void setLatency(uint32_t samples) override
    {
        if (latency_.exchange(samples) != samples && !gone_.load())
            jack_recompute_total_latencies(client_);
    }
    bool transportStart() override
    {
        jack_transport_start(client_);
        return true;
    }
    bool transportStop() override
    {
        jack_transport_stop(client_);
        return true;
    }
    bool transportLocate(uint64_t frame) override
    {
        return jack_transport_locate(client_, static_cast<jack_nframes_t>(frame)) == 0;
    }
    TransportInfo transport() const override
    {
        jack_position_t pos;
        const jack_transport_state_t st = jack_transport_query(client_, &pos);
        TransportInfo t;
        t.ok = true;
        t.rolling = st == JackTransportRolling || st == JackTransportStarting;
        t.frame = pos.frame;
        t.position = positionOf(st, pos);
        return t;
    }
    bool setTimebase(bool on, bool force, std::string* error) override
    {
        if (!on) {
            if (timebase_)
                jack_release_timebase(client_);
            timebase_ = false;
            return true;
        }
        if (timebase_ && !force)
            return true;
        const int rc = jack_set_timebase_callback(client_, force ? 0 : 1, &JackBackend::onTimebase, this);
        if (rc != 0) {
            if (error)
                *error = rc == EBUSY ? "another JACK client is timebase master (timebase force takes over)"
                                     : "jack_set_timebase_callback failed (" + std::to_string(rc) + ")";
            return false;
        }
        timebase_ = true;
        tbSeen_ = tbCalls_.load();
        rollSeen_ = rollCycles_.load();
        return true;
    }
    bool timebaseLost() override
    {
        if (!timebase_)
            return false;
        // Read the callback count first: a cycle counted after it cannot make a call
        // that happened before it look missing.
        const uint64_t calls = tbCalls_.load(std::memory_order_acquire);
        const uint64_t rolled = rollCycles_.load(std::memory_order_acquire);
        if (calls != tbSeen_) {
            tbSeen_ = calls;
            rollSeen_ = rolled;
            return false;
        }
        // While rolling, the master is called in every cycle: eight rolling cycles
        // without a call cannot be a race (a call is at most one cycle behind).
        if (rolled - rollSeen_ < 8)
            return false;
        timebase_ = false;
        return true;
    }
    bool serverGone() const override { return gone_.load(); }
    bool takePortsChanged() override { return portsChanged_.exchange(false); }
    uint32_t xruns() const override { return xruns_.load(); }

private:
    static int onProcess(jack_nframes_t n, void* arg) noexcept MIXWRIGHT_HOST_REALTIME
    {
        auto* self = static_cast<JackBackend*>(arg);
        if (self->engine_) {
            // jack_transport_query is real-time safe (a lock-free read of the server's
            // position); as timebase master, BBT is what onTimebase wrote last cycle.
            jack_position_t pos;
            const jack_transport_state_t st = jack_transport_query(self->client_, &pos);
            self->engine_->setTransport(positionOf(st, pos));
            self->engine_->process(n);
            if (st == JackTransportRolling)
                self->rollCycles_.fetch_add(1, std::memory_order_release);
        }
        return 0;
    }
    // Runs on the process thread after the process callback (every cycle while rolling,
    // once after a locate or on becoming master): BBT for pos->frame, which is the
    // position of the next cycle.
    static void onTimebase(jack_transport_state_t, jack_nframes_t, jack_position_t* pos, int, void* arg) noexcept
        MIXWRIGHT_HOST_REALTIME
    {
        auto* self = static_cast<JackBackend*>(arg);
        self->tbCalls_.fetch_add(1, std::memory_order_release);
        if (!self->engine_)
            return;
        host::TransportPosition t;
        t.frame = pos->frame;
        self->engine_->timebase(t);
        if (!t.bbtValid)
            return;
        pos->valid = JackPositionBBT;
        pos->bar = t.bar;
        pos->beat = t.beat;
        pos->tick = t.tick;
        pos->bar_start_tick = t.barStartTick;
        pos->beats_per_bar = t.beatsPerBar;
        pos->beat_type = t.beatType;
        pos->ticks_per_beat = t.ticksPerBeat;
        pos->beats_per_minute = t.bpm;
    }
    static void onLatency(jack_latency_callback_mode_t mode, void* arg)
    {
        // Every output carries every input with the console's latency: capture latency
        // of an output = the largest capture latency upstream of our inputs + ours;
        // playback latency of an input = the largest playback latency downstream + ours.
        // Not the process thread: the lock only guards the port lists against the
        // control thread registering ports.
        auto* self = static_cast<JackBackend*>(arg);
        std::lock_guard lock(self->mu_);
        const uint32_t ours = self->latency_.load();
        jack_latency_range_t range{0, 0}, r;
        if (mode == JackCaptureLatency) {
            for (auto* p : self->inputs_) {
                jack_port_get_latency_range(p, JackCaptureLatency, &r);
                range.min = std::max(range.min, r.min);
                range.max = std::max(range.max, r.max);
            }
            range.min += ours;
            range.max += ours;
            for (auto* p : self->outputs_)
                jack_port_set_latency_range(p, JackCaptureLatency, &range);
        } else {
            for (auto* p : self->outputs_) {
                jack_port_get_latency_range(p, JackPlaybackLatency, &r);
                range.min = std::max(range.min, r.min);
                range.max = std::max(range.max, r.max);
            }
            range.min += ours;
            range.max += ours;
            for (auto* p : self->inputs_)
                jack_port_set_latency_range(p, JackPlaybackLatency, &range);
        }
    }
    static void onPortRegistration(jack_port_id_t, int registered, void* arg)
    {
        if (registered)
            static_cast<JackBackend*>(arg)->portsChanged_.store(true);
    }
    static int onXrun(void* arg)
    {
        static_cast<JackBackend*>(arg)->xruns_.fetch_add(1);
        return 0;
    }
    static void onShutdown(jack_status_t, const char*, void* arg)
    {
        static_cast<JackBackend*>(arg)->gone_.store(true);
    }

    jack_client_t* client_;
    Engine* engine_ = nullptr;
    bool timebase_ = false; // control thread
    uint64_t tbSeen_ = 0, rollSeen_ = 0; // control thread: counts at the last timebaseLost()
    std::atomic<uint64_t> tbCalls_{0};     // timebase callbacks (process thread)
    std::atomic<uint64_t> rollCycles_{0};  // process cycles while rolling
    std::vector<jack_port_t*> ports_, inputs_, outputs_;
    std::mutex mu_;
    std::atomic<uint32_t> latency_{0};
    std::atomic<bool> gone_{false};
    std::atomic<bool> portsChanged_{false};
    std::atomic<uint32_t> xruns_{0};
};

} // namespace

std::unique_ptr<Backend> openJack(const std::string& name, const std::string& server, std::string* error)
{
    jack_status_t status{};
    int opts = JackNoStartServer;
    if (!server.empty())
        opts |= JackServerName;
    jack_client_t* c = server.empty()
        ? jack_client_open(name.c_str(), static_cast<jack_options_t>(opts), &status)
        : jack_client_open(name.c_str(), static_cast<jack_options_t>(opts), &status, server.c_str());
    if (!c) {
        if (error)
            *error = (status & JackServerFailed) ? "cannot connect to a JACK server" +
                                                       (server.empty() ? std::string() : " named '" + server + "'")
                                                 : "jack_client_open failed (status 0x" + std::to_string(status) + ")";
        return nullptr;
    }
    return std::make_unique<JackBackend>(c);
}

} // namespace mixwright::console
