// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// The audio backend behind a small interface, and its JACK implementation (jackd2,
// PipeWire's JACK, netJACK2 alike). The engine never sees JACK: it gets port handles
// and a function that turns a handle into this cycle's buffer.
//
// JACK callbacks: process (the engine's REALTIME cycle, handed this cycle's transport
// position first), latency (sets the ports' latency ranges from the console's total
// latency), timebase (while the console is timebase master: BBT from the engine's
// tempo and meter, REALTIME), port registration and shutdown (both only set atomic
// flags that the control thread polls).

#pragma once

#include "engine.hpp"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace mixwright::console {

struct TransportInfo {
    bool rolling = false;
    uint64_t frame = 0;
    bool ok = false;
    host::TransportPosition position; // with BBT when the timebase master gives it
};

class Backend {
public:
    virtual ~Backend() = default;
    virtual double sampleRate() const = 0;
    virtual uint32_t bufferSize() const = 0;
    virtual std::string clientName() const = 0;
    /// Registers a port named `shortName` (client-local); nullptr on failure.
    virtual void* registerPort(const std::string& shortName, bool input) = 0;
    virtual void unregisterPort(void* port) = 0;
    /// Full name ("client:port") of one of our ports.
    virtual std::string portName(void* port) const = 0;
    /// Connects two ports by full name; already connected counts as success.
    virtual bool connect(const std::string& from, const std::string& to, std::string* error) = 0;
    virtual bool portExists(const std::string& fullName) const = 0;
    /// Physical capture (true) or playback (false) ports, by full name.
    virtual std::vector<std::string> physicalPorts(bool capture) const = 0;
    /// Full names of the ports connected to one of ours.
    virtual std::vector<std::string> connections(void* port) const = 0;
    virtual bool activate(Engine& engine, std::string* error) = 0;
    virtual void deactivate() = 0;
    /// The console's capture-to-playback latency in samples (reported to the server).
    virtual void setLatency(uint32_t samples) = 0;
    virtual bool transportStart() = 0;
    virtual bool transportStop() = 0;
    virtual bool transportLocate(uint64_t frame) = 0;
    virtual TransportInfo transport() const = 0;
    /// Becomes timebase master (the engine fills BBT), conditionally (refused while
    /// another client is master) unless `force`; or stops being master (on = false).
    virtual bool setTimebase(bool on, bool force, std::string* error) = 0;
    /// True (once) when the console was timebase master and another client has taken
    /// over: JACK gives no notice, so this sees the transport roll for several cycles
    /// without our timebase callback being called. The console is then no longer master.
    virtual bool timebaseLost() = 0;
    /// True once the server has gone away (shutdown callback).
    virtual bool serverGone() const = 0;
    /// True when ports appeared since the last call (registration callback).
    virtual bool takePortsChanged() = 0;
    virtual uint32_t xruns() const = 0;
};

/// Opens a JACK client `name` on server `server` (empty: the default server). Never
/// starts a server (JackNoStartServer). nullptr and *error on failure.
std::unique_ptr<Backend> openJack(const std::string& name, const std::string& server, std::string* error);

} // namespace mixwright::console
