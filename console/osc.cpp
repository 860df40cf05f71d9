// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC

#include "osc.hpp"

#include "control.hpp"
#include "osc_args.hpp"

#include <lo/lo.h>

#include <cstring>
#include <string>

namespace mixwright::console {

struct OscServer::Impl {
    lo_server server = nullptr;
    Console* console = nullptr;
    std::string lastError;

    static void onError(int num, const char* msg, const char* where)
    {
        (void)num;
        (void)msg;
        (void)where; // reported through open()'s return value
    }

    static int onMessage(const char* path, const char* types, lo_arg** argv, int argc, lo_message msg, void* user)
    {
        auto* self = static_cast<Impl*>(user);
        const std::string p = path;
        const std::string prefix = "/mixwright/";
        lo_address from = lo_message_get_source(msg);
        std::string reply;
        if (p.rfind(prefix, 0) != 0) {
            reply = "error: OSC paths start with /mixwright/";
        } else {
            std::string line;
            if (p == "/mixwright/command") {
                line = argc >= 1 && types[0] == 's' ? std::string(oscString(argv[0])) : "";
            } else {
                line = p.substr(prefix.size());
                for (auto& c : line)
                    if (c == '/')
                        c = ' ';
                for (int i = 0; i < argc; ++i) {
                    line += ' ';
                    switch (types[i]) {
                    case 's': line += oscString(argv[i]); break;
                    case 'i': line += std::to_string(oscValue<int32_t>(argv[i])); break;
                    case 'h': line += std::to_string(oscValue<int64_t>(argv[i])); break;
                    case 'f': line += std::to_string(oscValue<float>(argv[i])); break;
                    case 'd': line += std::to_string(oscValue<double>(argv[i])); break;
                    case 'T': line += "on"; break;
                    case 'F': line += "off"; break;
                    default: line += "?"; break;
                    }
                }
            }
            reply = self->console->execute(line);
            if (p == "/mixwright/meters" && from) {
                lo_message m = lo_message_new();
                for (float v : self->console->meterValues())
                    lo_message_add_float(m, v);
                lo_send_message_from(from, self->server, "/mixwright/meters/values", m);
                lo_message_free(m);
            }
            if (p == "/mixwright/loudness" && from) {
                lo_message m = lo_message_new();
                for (float v : self->console->loudnessValues())
                    lo_message_add_float(m, v);
                lo_send_message_from(from, self->server, "/mixwright/loudness/values", m);
                lo_message_free(m);
            }
        }
        if (from) {
            lo_timetag now{0, 1}; // LO_TT_IMMEDIATE without its C compound literal
            lo_send_from(from, self->server, now, "/mixwright/reply", "s", reply.c_str());
        }
        return 0;
    }
};

OscServer::OscServer() : impl_(std::make_unique<Impl>()) {}

OscServer::~OscServer()
{
    if (impl_->server)
        lo_server_free(impl_->server);
}

bool OscServer::open(int port, Console& console, std::string* error)
{
    impl_->console = &console;
    const std::string p = std::to_string(port);
    // Unicast on the loopback interface only (the "ip" argument binds the socket).
    impl_->server = lo_server_new_multicast_iface(nullptr, p.c_str(), nullptr, "127.0.0.1", &Impl::onError);
    if (!impl_->server) {
        *error = "cannot open OSC on 127.0.0.1:" + p + " (UDP port in use?)";
        return false;
    }
    lo_server_add_method(impl_->server, nullptr, nullptr, &Impl::onMessage, impl_.get());
    return true;
}

void OscServer::poll()
{
    if (!impl_->server)
        return;
    while (lo_server_recv_noblock(impl_->server, 0) > 0) {
    }
}

int OscServer::port() const { return impl_->server ? lo_server_get_port(impl_->server) : 0; }

} // namespace mixwright::console
