// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// OSC over UDP (liblo), bound to 127.0.0.1. Polled on the control thread, so a
// message runs exactly like a command typed on stdin.
//
// Address space: the path below /mixwright/ is the command's words, the arguments
// follow in order (numbers or strings):
//   /mixwright/set/strip/1/fader  f -6        == "set strip 1 fader -6"
//   /mixwright/solo/strip/2       s on        == "solo strip 2 on"
//   /mixwright/insert/strip/1     s URI
//   /mixwright/transport/locate   i 48000
//   /mixwright/command            s "any command line"
// Every message is answered to its sender with /mixwright/reply s "ok ..."/"error: ...".
// /mixwright/meters also answers /mixwright/meters/values with floats: for each strip,
// then the master: peak L, peak R, RMS L, RMS R in dBFS.
// /mixwright/loudness also answers /mixwright/loudness/values with the master loudness
// meter's readings as floats: momentary, short-term, integrated (LUFS), loudness range
// (LU), true-peak max (dBTP), sample-peak max (dBFS), correlation (-1..1), seconds
// measured since the last reset. /mixwright/reset/loudness (or /mixwright/loudness/reset)
// restarts the integration.

#pragma once

#include <memory>
#include <string>

namespace mixwright::console {

class Console;

class OscServer {
public:
    OscServer();
    ~OscServer();
    /// Binds 127.0.0.1:port (UDP). False with *error.
    bool open(int port, Console& console, std::string* error);
    /// Handles every message waiting; never blocks.
    void poll();
    int port() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace mixwright::console
