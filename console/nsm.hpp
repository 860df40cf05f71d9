// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// NSM (New Session Manager) client, protocol API 1.2: when NSM_URL is set the console
// announces itself, waits for /nsm/client/open, uses the client id as its JACK name
// and <path>.json as its session file (created on first save), and answers
// /nsm/client/save by saving. NSM stops clients with SIGTERM, handled in main.

#pragma once

#include <memory>
#include <string>

namespace mixwright::console {

class Console;

class NsmClient {
public:
    NsmClient();
    ~NsmClient();
    /// Announces to `url`; waits up to timeoutMs for open. False with *error.
    bool announceAndOpen(const std::string& url, int timeoutMs, std::string* error);
    const std::string& path() const;     // session path prefix from NSM
    const std::string& clientId() const; // the JACK client name to use
    /// Replies to open once the console runs (ok or the start error).
    void replyOpen(bool ok, const std::string& message);
    /// Handles save requests; never blocks.
    void poll(Console& console);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace mixwright::console
