// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// mixwright-console: the headless JACK console. Arguments and signals here; the
// command interpreter reads stdin (one command per line, one reply line each) on
// this thread, between polls of the console's periodic work.
// Exit codes: 0 quit or end of input, 1 start failed, 2 usage error, 3 the JACK
// server went away.

#include "control.hpp"
#ifdef MIXWRIGHT_OSC
#include "nsm.hpp"
#include "osc.hpp"
#endif
#include <filesystem>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <poll.h>
#include <unistd.h>

#ifndef MIXWRIGHT_VERSION
#define MIXWRIGHT_VERSION "unknown"
#endif

namespace {

std::atomic<bool> g_stop{false};

extern "C" void onSignal(int) { g_stop.store(true); }

void usage(FILE* f)
{
    std::fprintf(f,
        "Usage: mixwright-console [options]\n"
        "\n"
        "A headless JACK console: a strip per physical capture port with LV2 inserts,\n"
        "fader, pan, mute, solo and sends; aux and group buses; a master with inserts\n"
        "and a monitor section. Commands are read from stdin, one per line; each gets\n"
        "one reply line starting with \"ok\" or \"error:\" (type \"help\").\n"
        "\n"
        "Options:\n"
        "  --session FILE      load this session file (JSON) at start\n"
        "  --name NAME         JACK client name (default mixwright)\n"
        "  --server NAME       JACK server name (default: the default server)\n"
        "  --no-connect        do not connect to the physical ports\n"
        "  --stereo            pair the capture ports into stereo strips\n"
        "  --record-dir DIR    folder for takes (default: <session stem>.takes, or ./takes)\n"
        "  --record-format CONTAINER[:SAMPLES]\n"
        "                      takes as wav, w64 or flac with float, 24 or 16-bit samples\n"
        "                      (default: the session's, else wav:float; flac: 24 or 16)\n"
        "  --demo              feed generated demo material (tones, noise) into the strips\n"
        "  --run-seconds N     quit after N seconds (end of stdin no longer quits)\n"
        "  --osc-port N        accept OSC commands on UDP 127.0.0.1:N (see the README)\n"
        "  --live-meters       print live meters (default when stdout is a terminal)\n"
        "  --no-live-meters    do not\n"
        "  -h, --help          this help\n"
        "  --version           print the version\n"
        "\n"
        "Exit codes: 0 quit, 1 start failed, 2 usage, 3 the JACK server went away.\n");
}

} // namespace

int main(int argc, char** argv)
{
    mixwright::console::ConsoleOptions opt;
    double runSeconds = 0.0;
    bool liveMeters = ::isatty(STDOUT_FILENO) != 0;
    int oscPort = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&](const char* what) -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "mixwright-console: %s needs a value\n", what);
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "-h" || a == "--help") {
            usage(stdout);
            return 0;
        } else if (a == "--version") {
            std::printf("mixwright-console %s\n", MIXWRIGHT_VERSION);
            return 0;
        } else if (a == "--session") {
            opt.session = value("--session");
        } else if (a == "--name") {
            opt.name = value("--name");
        } else if (a == "--server") {
            opt.server = value("--server");
        } else if (a == "--no-connect") {
            opt.connect = false;
        } else if (a == "--stereo") {
            opt.stereoPairs = 1;
        } else if (a == "--record-dir") {
            opt.recordDir = value("--record-dir");
        } else if (a == "--record-format") {
            const std::string v = value("--record-format");
            const auto colon = v.find(':');
            std::string err;
            if (!mixwright::console::parseRecordFormat(v.substr(0, colon),
                                                       colon == std::string::npos ? "" : v.substr(colon + 1),
                                                       opt.recordFormat, &err)) {
                std::fprintf(stderr, "mixwright-console: --record-format: %s\n", err.c_str());
                return 2;
            }
            opt.recordFormatSet = true;
        } else if (a == "--demo") {
            opt.demo = true;
        } else if (a == "--live-meters") {
            liveMeters = true;
        } else if (a == "--no-live-meters") {
            liveMeters = false;
        } else if (a == "--osc-port") {
            const std::string v = value("--osc-port");
            char* end = nullptr;
            const long p = std::strtol(v.c_str(), &end, 10);
            if (!end || *end != '\0' || p < 1 || p > 65535) {
                std::fprintf(stderr, "mixwright-console: --osc-port needs a port number 1..65535\n");
                return 2;
            }
            oscPort = static_cast<int>(p);
        } else if (a == "--run-seconds") {
            char* end = nullptr;
            const std::string v = value("--run-seconds");
            runSeconds = std::strtod(v.c_str(), &end);
            if (!end || *end != '\0' || !(runSeconds > 0.0)) {
                std::fprintf(stderr, "mixwright-console: --run-seconds needs a positive number\n");
                return 2;
            }
        } else {
            std::fprintf(stderr, "mixwright-console: unknown option '%s'\n", a.c_str());
            usage(stderr);
            return 2;
        }
    }

    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    std::signal(SIGPIPE, SIG_IGN);
    // A file size limit (RLIMIT_FSIZE) makes a write fail with EFBIG instead of
    // killing the console: the take stops, the audio goes on.
    std::signal(SIGXFSZ, SIG_IGN);

    std::string error;
#ifdef MIXWRIGHT_OSC
    // Under NSM: the session manager names the JACK client and the session file.
    mixwright::console::NsmClient nsm;
    const char* nsmUrl = std::getenv("NSM_URL");
    if (nsmUrl && *nsmUrl) {
        if (!nsm.announceAndOpen(nsmUrl, 10000, &error)) {
            std::fprintf(stderr, "mixwright-console: %s\n", error.c_str());
            return 1;
        }
        opt.name = nsm.clientId();
        const std::string file = nsm.path() + ".json";
        opt.session = std::filesystem::exists(file) ? file : std::string();
    }
#endif
    mixwright::console::Console console;
    if (!console.start(opt, &error)) {
        std::fprintf(stderr, "mixwright-console: %s\n", error.c_str());
#ifdef MIXWRIGHT_OSC
        if (nsmUrl && *nsmUrl)
            nsm.replyOpen(false, error);
#endif
        return 1;
    }
#ifdef MIXWRIGHT_OSC
    if (nsmUrl && *nsmUrl) {
        if (opt.session.empty())
            console.execute("save " + nsm.path() + ".json"); // the file NSM will keep
        nsm.replyOpen(true, "opened " + nsm.path() + ".json");
    }
#endif
#ifdef MIXWRIGHT_OSC
    mixwright::console::OscServer osc;
    if (oscPort > 0) {
        if (!osc.open(oscPort, console, &error)) {
            std::fprintf(stderr, "mixwright-console: %s\n", error.c_str());
            return 1;
        }
        std::fprintf(stderr, "mixwright-console: OSC on osc.udp://127.0.0.1:%d/mixwright/\n", osc.port());
    }
#else
    if (oscPort > 0) {
        std::fprintf(stderr, "mixwright-console: built without OSC (liblo)\n");
        return 2;
    }
#endif
    std::fprintf(stderr, "mixwright-console: running%s (type help)\n",
                 opt.demo ? " with DEMO material generated inside the console" : "");

    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    auto lastMeter = t0;
    bool stdinOpen = true;
    std::string pending;
    int rc = 0;
    bool meterShown = false;
    auto clearMeterLine = [&] {
        if (meterShown) {
            std::fputs("\r\033[K", stdout);
            meterShown = false;
        }
    };
    while (!g_stop.load() && !console.quitRequested()) {
        if (console.serverGone()) {
            clearMeterLine();
            std::fprintf(stderr, "mixwright-console: the JACK server has gone away; exiting\n");
            rc = 3;
            break;
        }
        if (runSeconds > 0.0 &&
            std::chrono::duration<double>(Clock::now() - t0).count() >= runSeconds)
            break;
        if (!stdinOpen && runSeconds <= 0.0)
            break;
        pollfd pfd{STDIN_FILENO, POLLIN, 0};
        const int n = stdinOpen ? ::poll(&pfd, 1, 20) : (::usleep(20000), 0);
        if (n > 0) {
            char buf[4096];
            const ssize_t r = ::read(STDIN_FILENO, buf, sizeof buf);
            if (r <= 0) {
                stdinOpen = false;
            } else {
                pending.append(buf, static_cast<std::size_t>(r));
                std::size_t nl;
                while ((nl = pending.find('\n')) != std::string::npos) {
                    const std::string line = pending.substr(0, nl);
                    pending.erase(0, nl + 1);
                    const std::string reply = console.execute(line);
                    clearMeterLine();
                    std::printf("%s\n", reply.c_str());
                    std::fflush(stdout);
                    if (console.quitRequested())
                        break;
                }
            }
        }
        console.poll();
#ifdef MIXWRIGHT_OSC
        osc.poll();
        nsm.poll(console);
#endif
        if (liveMeters && Clock::now() - lastMeter > std::chrono::milliseconds(100)) {
            lastMeter = Clock::now();
            std::printf("\r\033[K%s%s dBFS | loudness %s", opt.demo ? "[demo] " : "", console.meterLine(true).c_str(),
                        console.loudnessLine().c_str());
            std::fflush(stdout);
            meterShown = true;
        }
    }
    clearMeterLine();
    std::fflush(stdout);
    console.stop();
    return rc;
}
