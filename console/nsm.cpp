// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC

#include "nsm.hpp"

#include "control.hpp"
#include "osc_args.hpp"

#include <lo/lo.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
#include <unistd.h>

namespace mixwright::console {

struct NsmClient::Impl {
    lo_server server = nullptr;
    lo_address nsm = nullptr;
    std::string path, clientId;
    bool opened = false;
    bool saveRequested = false;

    static int onOpen(const char*, const char*, lo_arg** argv, int, lo_message, void* user)
    {
        auto* self = static_cast<Impl*>(user);
        self->path = oscString(argv[0]);
        self->clientId = oscString(argv[2]);
        self->opened = true;
        return 0;
    }
    static int onSave(const char*, const char*, lo_arg**, int, lo_message, void* user)
    {
        static_cast<Impl*>(user)->saveRequested = true;
        return 0;
    }
    static int onOther(const char*, const char*, lo_arg**, int, lo_message, void*) { return 0; }
    void reply(const char* to, const std::string& message, bool ok)
    {
        lo_timetag now{0, 1};
        if (ok)
            lo_send_from(nsm, server, now, "/reply", "ss", to, message.c_str());
        else
            lo_send_from(nsm, server, now, "/error", "sis", to, -1, message.c_str());
    }
};

NsmClient::NsmClient() : impl_(std::make_unique<Impl>()) {}

NsmClient::~NsmClient()
{
    if (impl_->nsm)
        lo_address_free(impl_->nsm);
    if (impl_->server)
        lo_server_free(impl_->server);
}

bool NsmClient::announceAndOpen(const std::string& url, int timeoutMs, std::string* error)
{
    impl_->nsm = lo_address_new_from_url(url.c_str());
    if (!impl_->nsm) {
        *error = "NSM_URL '" + url + "' is not an OSC URL";
        return false;
    }
    impl_->server = lo_server_new_with_proto(nullptr, lo_address_get_protocol(impl_->nsm), nullptr);
    if (!impl_->server) {
        *error = "cannot open an OSC port for NSM";
        return false;
    }
    lo_server_add_method(impl_->server, "/nsm/client/open", "sss", &Impl::onOpen, impl_.get());
    lo_server_add_method(impl_->server, "/nsm/client/save", "", &Impl::onSave, impl_.get());
    lo_server_add_method(impl_->server, nullptr, nullptr, &Impl::onOther, impl_.get());
    lo_timetag now{0, 1};
    lo_send_from(impl_->nsm, impl_->server, now, "/nsm/server/announce", "sssiii", "Mixwright Console", ":",
                 "mixwright-console", 1, 2, static_cast<int>(::getpid()));
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (!impl_->opened) {
        if (std::chrono::steady_clock::now() > end) {
            *error = "NSM did not send /nsm/client/open";
            return false;
        }
        lo_server_recv_noblock(impl_->server, 20);
    }
    return true;
}

const std::string& NsmClient::path() const { return impl_->path; }
const std::string& NsmClient::clientId() const { return impl_->clientId; }

void NsmClient::replyOpen(bool ok, const std::string& message)
{
    impl_->reply("/nsm/client/open", message, ok);
}

void NsmClient::poll(Console& console)
{
    if (!impl_->server)
        return;
    while (lo_server_recv_noblock(impl_->server, 0) > 0) {
    }
    if (impl_->saveRequested) {
        impl_->saveRequested = false;
        const std::string r = console.execute("save " + impl_->path + ".json");
        impl_->reply("/nsm/client/save", r, r.rfind("ok", 0) == 0);
    }
}

} // namespace mixwright::console
