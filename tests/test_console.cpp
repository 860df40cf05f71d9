// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// mixwright-console through JACK: a private `jackd -n mwtest-console-<pid> -d dummy`
// (stopped by its PID), the console as a child process driven through its stdin, and
// two small JACK clients in this process: a source that injects known signals into
// the console's inputs (DC levels, simultaneous impulses) and a sink that records its
// outputs. References are closed forms: dB to gain 10^(dB/20), the pan laws
// (balance min(1, 1 -+ p); constant power cos/sin(pi/4 (p+1))), send pre = input x
// send gain, post = input x fader x pan x send gain; PDC: impulses injected on the
// same frame leave the master on the same frame, and the console reports the largest
// strip latency (x42 dpl: 64 samples at 48 kHz) to JACK, also after a plugin's latency
// changes (Mixwright Compressor's lookahead: 5 ms = 240 samples). Master loudness: the
// lib's LoudnessMeter run offline on the same 1 kHz sine, and the closed form (two
// channels of a 1 kHz sine of amplitude A read 20 log10 A LUFS and dBTP). Recording
// formats: read back with libsndfile, float bit-exact, integers within half a step.

#define BOOST_TEST_MODULE console
#include <boost/test/unit_test.hpp>

#include "mixwright/dsp/loudness.hpp"
#include "osc_args.hpp"

#include <jack/jack.h>
#include <lo/lo.h>
#include <sndfile.h>
#include <sys/resource.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <numbers>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using mixwright::console::oscString;
using mixwright::console::oscValue;

namespace {

const std::string kDpl = "http://gareus.org/oss/lv2/dpl#stereo";

std::array<std::atomic<pid_t>, 8> g_children{};

extern "C" void killChildrenAndExit(int sig)
{
    // SIGTERM, not SIGKILL: a SIGKILLed jackd leaves its entry in jackd2's shared
    // server registry (8 slots per machine, reclaimed only by a server of that name).
    for (auto& p : g_children) {
        const pid_t pid = p.load();
        if (pid > 0)
            ::kill(pid, SIGTERM);
    }
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

void track(pid_t pid)
{
    for (auto& slot : g_children) {
        pid_t expected = 0;
        if (slot.compare_exchange_strong(expected, pid))
            return;
    }
}
void untrack(pid_t pid)
{
    for (auto& slot : g_children) {
        pid_t expected = pid;
        slot.compare_exchange_strong(expected, 0);
    }
}

template <typename F>
bool waitFor(F f, std::chrono::milliseconds timeout)
{
    const auto end = Clock::now() + timeout;
    while (!f()) {
        if (Clock::now() > end)
            return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

std::string readText(const fs::path& p)
{
    std::ifstream f(p, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

void writeText(const fs::path& p, const std::string& s)
{
    std::ofstream f(p, std::ios::binary);
    f << s;
}

fs::path workDir()
{
    const char* b = std::getenv("MIXWRIGHT_BUILD_DIR");
    fs::path d = fs::path(b ? b : ".") / "tests" / ("console-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
}

/// A child process; stdin/stdout as pipes when `pipes`, stderr to a log.
class Child {
public:
    Child(const std::vector<std::string>& argv, const fs::path& log, bool pipes)
    {
        std::vector<char*> cargv;
        for (const auto& a : argv)
            cargv.push_back(const_cast<char*>(a.c_str()));
        cargv.push_back(nullptr);
        int in[2] = {-1, -1}, out[2] = {-1, -1};
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        if (pipes) {
            BOOST_REQUIRE(::pipe2(in, O_CLOEXEC) == 0 && ::pipe2(out, O_CLOEXEC) == 0);
            posix_spawn_file_actions_adddup2(&fa, in[0], 0);
            posix_spawn_file_actions_adddup2(&fa, out[1], 1);
        } else {
            posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
            posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        }
        if (pipes)
            posix_spawn_file_actions_addopen(&fa, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        else
            posix_spawn_file_actions_adddup2(&fa, 1, 2); // one file description: no overwriting
        const int rc = posix_spawnp(&pid_, cargv[0], &fa, nullptr, cargv.data(), environ);
        posix_spawn_file_actions_destroy(&fa);
        BOOST_REQUIRE_MESSAGE(rc == 0, "cannot start " << argv[0] << ": " << std::strerror(rc));
        track(pid_);
        if (pipes) {
            ::close(in[0]);
            ::close(out[1]);
            toChild_ = in[1];
            fromChild_ = out[0];
        }
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    ~Child()
    {
        if (toChild_ >= 0)
            ::close(toChild_);
        stop();
        if (fromChild_ >= 0)
            ::close(fromChild_);
    }

    pid_t pid() const { return pid_; }
    bool running()
    {
        if (pid_ <= 0)
            return false;
        if (::waitpid(pid_, &status_, WNOHANG) == pid_) {
            untrack(pid_);
            pid_ = -1;
            return false;
        }
        return true;
    }
    /// Waits for exit up to `timeout`; returns the exit code, or -1 if still running.
    int wait(std::chrono::milliseconds timeout)
    {
        if (!waitFor([&] { return !running(); }, timeout))
            return -1;
        return WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
    }
    void signal(int sig)
    {
        if (pid_ > 0)
            ::kill(pid_, sig);
    }
    /// SIGTERM, then SIGKILL after `grace` (jackd gets 60 s: see killChildrenAndExit).
    void stop(std::chrono::milliseconds grace = 3000ms)
    {
        if (pid_ <= 0)
            return;
        ::kill(pid_, SIGTERM);
        if (wait(grace) < 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status_, 0);
            untrack(pid_);
            pid_ = -1;
        }
    }
    void closeInput()
    {
        if (toChild_ >= 0)
            ::close(toChild_);
        toChild_ = -1;
    }
    /// Sends one command line and returns the reply line ("" on timeout).
    std::string cmd(const std::string& line, std::chrono::milliseconds timeout = 15000ms)
    {
        const std::string l = line + "\n";
        if (::write(toChild_, l.data(), l.size()) != static_cast<ssize_t>(l.size()))
            return "";
        return readLine(timeout);
    }
    std::string readLine(std::chrono::milliseconds timeout)
    {
        const auto end = Clock::now() + timeout;
        while (true) {
            const auto nl = buf_.find('\n');
            if (nl != std::string::npos) {
                std::string r = buf_.substr(0, nl);
                buf_.erase(0, nl + 1);
                return r;
            }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count();
            if (left <= 0)
                return "";
            pollfd p{fromChild_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left)) <= 0)
                continue;
            char b[4096];
            const ssize_t r = ::read(fromChild_, b, sizeof b);
            if (r <= 0)
                return "";
            buf_.append(b, static_cast<std::size_t>(r));
        }
    }

private:
    pid_t pid_ = -1;
    int status_ = 0;
    int toChild_ = -1, fromChild_ = -1;
    std::string buf_;
};

std::unique_ptr<Child> startJackd(const std::string& name, const fs::path& dir)
{
    ::setenv("JACK_NO_AUDIO_RESERVATION", "1", 1);
    const fs::path log = dir / (name + ".log");
    const fs::path sock = "/dev/shm/jack_" + name + "_" + std::to_string(::getuid()) + "_0";
    // jackd2 allows 8 servers per machine; other test runs may hold them for a moment.
    for (int attempt = 0; attempt < 30; ++attempt) {
        auto j = std::make_unique<Child>(std::vector<std::string>{"jackd", "-n", name, "-d", "dummy", "-r", "48000",
                                                                  "-p", "256", "-C", "4", "-P", "2"},
                                         log, false);
        // Up to 60 s: jackd2 waits for its metadata database in /dev/shm/jack_db-<uid>,
        // which can take ~20 s when another run left it half-initialised.
        if (waitFor([&] { return fs::exists(sock) || !j->running(); }, 60000ms) && j->running())
            return j;
        if (readText(log).find("Too many servers") == std::string::npos)
            break;
        BOOST_TEST_MESSAGE("jackd: too many servers active, retrying");
        std::this_thread::sleep_for(1000ms);
    }
    BOOST_FAIL("jackd did not start; log: " << readText(log));
    return nullptr;
}

/// Source: per port a DC level, an impulse of `level` every `period` frames or a sine
/// (all ports share one frame counter, so their impulses are simultaneous).
class Source {
public:
    static constexpr int kPorts = 4;
    explicit Source(const std::string& server)
    {
        jack_status_t st;
        client_ = jack_client_open("mwtest-src", static_cast<jack_options_t>(JackNoStartServer | JackServerName), &st,
                                   server.c_str());
        BOOST_REQUIRE(client_);
        for (int i = 0; i < kPorts; ++i)
            ports_[static_cast<std::size_t>(i)] = jack_port_register(client_, ("out_" + std::to_string(i + 1)).c_str(),
                                                                     JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput, 0);
        jack_set_process_callback(client_, &Source::process, this);
        BOOST_REQUIRE(jack_activate(client_) == 0);
    }
    ~Source() { jack_client_close(client_); }
    void dc(int port, float v)
    {
        level_[static_cast<std::size_t>(port)].store(v);
        impulse_[static_cast<std::size_t>(port)].store(false);
        sine_[static_cast<std::size_t>(port)].store(false);
    }
    void impulses(int port, float v)
    {
        level_[static_cast<std::size_t>(port)].store(v);
        impulse_[static_cast<std::size_t>(port)].store(true);
        sine_[static_cast<std::size_t>(port)].store(false);
    }
    /// A 1 kHz sine (at 48 kHz: kSinePeriod samples) of amplitude v: sineAt(frame, v).
    void sine(int port, float v)
    {
        sine_[static_cast<std::size_t>(port)].store(true); // first: no DC step on the way
        impulse_[static_cast<std::size_t>(port)].store(false);
        level_[static_cast<std::size_t>(port)].store(v);
    }
    static constexpr uint64_t kSinePeriod = 48;
    static float sineAt(uint64_t frame, float amp)
    {
        const double ph = 2.0 * std::numbers::pi * static_cast<double>(frame % kSinePeriod) / kSinePeriod;
        return static_cast<float>(static_cast<double>(amp) * std::sin(ph));
    }
    void silence()
    {
        for (int i = 0; i < kPorts; ++i)
            dc(i, 0.f);
    }
    std::string port(int i) const { return jack_port_name(ports_[static_cast<std::size_t>(i)]); }
    jack_client_t* client() const { return client_; }
    static constexpr uint32_t kPeriod = 4096;
    /// The source frame at the start of the current (or last) cycle.
    uint64_t cycleStart() const { return cycleStart_.load(std::memory_order_acquire); }

private:
    static int process(jack_nframes_t n, void* arg)
    {
        auto* self = static_cast<Source*>(arg);
        // Read by the Sink, which runs later in the same cycle (it is downstream).
        self->cycleStart_.store(self->frame_, std::memory_order_release);
        for (std::size_t p = 0; p < kPorts; ++p) {
            auto* out = static_cast<float*>(jack_port_get_buffer(self->ports_[p], n));
            const float v = self->level_[p].load();
            const bool imp = self->impulse_[p].load();
            const bool sine = self->sine_[p].load();
            for (jack_nframes_t i = 0; i < n; ++i) {
                const uint64_t f = self->frame_ + i;
                out[i] = sine ? sineAt(f, v) : imp ? (f % kPeriod == 0 ? v : 0.f) : v;
            }
        }
        self->frame_ += n;
        return 0;
    }
    jack_client_t* client_ = nullptr;
    std::array<jack_port_t*, kPorts> ports_{};
    std::array<std::atomic<float>, kPorts> level_{};
    std::array<std::atomic<bool>, kPorts> impulse_{};
    std::array<std::atomic<bool>, kPorts> sine_{};
    uint64_t frame_ = 0;
    std::atomic<uint64_t> cycleStart_{0};
};

/// Sink: records its inputs on request.
class Sink {
public:
    static constexpr int kPorts = 4;
    explicit Sink(const std::string& server)
    {
        jack_status_t st;
        client_ = jack_client_open("mwtest-sink", static_cast<jack_options_t>(JackNoStartServer | JackServerName), &st,
                                   server.c_str());
        BOOST_REQUIRE(client_);
        for (int i = 0; i < kPorts; ++i)
            ports_[static_cast<std::size_t>(i)] = jack_port_register(client_, ("in_" + std::to_string(i + 1)).c_str(),
                                                                     JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
        jack_set_process_callback(client_, &Sink::process, this);
        BOOST_REQUIRE(jack_activate(client_) == 0);
    }
    ~Sink() { jack_client_close(client_); }
    std::string port(int i) const { return jack_port_name(ports_[static_cast<std::size_t>(i)]); }

    /// Skips `skip` frames (let ramps settle), then records `frames`.
    std::array<std::vector<float>, kPorts> record(uint32_t frames, uint32_t skip = 2400)
    {
        for (auto& b : bufs_)
            b.assign(frames, 0.f);
        skip_ = skip;
        pos_ = 0;
        want_ = frames;
        armed_.store(true);
        BOOST_REQUIRE(waitFor([&] { return done_.load(); }, 10000ms));
        done_.store(false);
        return bufs_;
    }
    /// The source's frame counter at the first sample of the last record() (needs
    /// follow(); source, console and sink run in that order within a cycle).
    uint64_t startFrame() const { return start_; }
    void follow(const Source* s) { source_.store(s); }

private:
    static int process(jack_nframes_t n, void* arg)
    {
        auto* self = static_cast<Sink*>(arg);
        if (!self->armed_.load())
            return 0;
        std::array<const float*, kPorts> in{};
        for (std::size_t p = 0; p < kPorts; ++p)
            in[p] = static_cast<const float*>(jack_port_get_buffer(self->ports_[p], n));
        const Source* src = self->source_.load();
        const uint64_t now = src ? src->cycleStart() : 0;
        for (jack_nframes_t i = 0; i < n; ++i) {
            if (self->skip_ > 0) {
                --self->skip_;
                continue;
            }
            if (self->pos_ == 0)
                self->start_ = now + i;
            if (self->pos_ < self->want_) {
                for (std::size_t p = 0; p < kPorts; ++p)
                    self->bufs_[p][self->pos_] = in[p][i];
                ++self->pos_;
            }
        }
        if (self->pos_ >= self->want_) {
            self->armed_.store(false);
            self->done_.store(true);
        }
        return 0;
    }
    jack_client_t* client_ = nullptr;
    std::array<jack_port_t*, kPorts> ports_{};
    std::array<std::vector<float>, kPorts> bufs_;
    uint32_t skip_ = 0, pos_ = 0, want_ = 0;
    uint64_t start_ = 0;
    std::atomic<const Source*> source_{nullptr};
    std::atomic<bool> armed_{false}, done_{false};
};

double dbToGain(double db) { return std::pow(10.0, db / 20.0); }

/// Every sample of `x` equals `expected` within a relative 2e-6 (float arithmetic).
void checkLevel(const std::vector<float>& x, double expected, const std::string& what)
{
    double worst = 0.0;
    for (float v : x)
        worst = std::max(worst, std::fabs(static_cast<double>(v) - expected));
    BOOST_TEST_MESSAGE(what << ": expected " << expected << ", first " << x.front() << ", worst error " << worst);
    BOOST_CHECK_MESSAGE(worst <= 2e-6 * std::max(1.0, std::fabs(expected)) + 1e-9,
                        what << ": expected " << expected << ", got " << x.front() << " (worst error " << worst << ")");
}

std::size_t argmaxAbs(const std::vector<float>& x)
{
    std::size_t k = 0;
    for (std::size_t i = 1; i < x.size(); ++i)
        if (std::fabs(x[i]) > std::fabs(x[k]))
            k = i;
    return k;
}

/// The shared world: one server, the console (4 mono strips, no automatic
/// connections), the source into strips 1..4 and the sink on master_l/master_r.
struct Rig {
    Rig()
    {
        std::signal(SIGTERM, killChildrenAndExit);
        std::signal(SIGINT, killChildrenAndExit);
        std::signal(SIGABRT, killChildrenAndExit); // a sanitizer abort must not orphan jackd
        std::signal(SIGPIPE, SIG_IGN); // the console may be gone when we write to it
        dir = workDir();
        server = "mwtest-console-" + std::to_string(::getpid());
        jackd = startJackd(server, dir);
        const char* b = std::getenv("MIXWRIGHT_BUILD_DIR");
        exe = (fs::path(b ? b : ".") / "console" / "mixwright-console").string();
        oscPort = 20000 + static_cast<int>(::getpid() % 20000);
        console = std::make_unique<Child>(std::vector<std::string>{exe, "--server", server, "--name", "mwc",
                                                                   "--no-connect", "--no-live-meters", "--osc-port",
                                                                   std::to_string(oscPort)},
                                          dir / "console.log", true);
        BOOST_REQUIRE_MESSAGE(console->cmd("strips", 60000ms).rfind("ok 4 strips", 0) == 0,
                              "console did not start; log: " << readText(dir / "console.log"));
        src = std::make_unique<Source>(server);
        sink = std::make_unique<Sink>(server);
        sink->follow(src.get());
        for (int i = 0; i < 4; ++i)
            BOOST_REQUIRE(ok(console->cmd("connect strip " + std::to_string(i + 1) + " 1 " + src->port(i))));
        BOOST_REQUIRE(ok(console->cmd("connect master 1 " + sink->port(0))));
        BOOST_REQUIRE(ok(console->cmd("connect master 2 " + sink->port(1))));
    }
    ~Rig()
    {
        if (console) {
            console->cmd("quit", 3000ms);
            console->wait(3000ms);
        }
        sink.reset();
        src.reset();
        console.reset();
        if (jackd)
            jackd->stop(60000ms);
        jackd.reset();
    }
    static bool ok(const std::string& reply) { return reply.rfind("ok", 0) == 0; }
    void must(const std::string& line)
    {
        const std::string r = console->cmd(line);
        BOOST_REQUIRE_MESSAGE(ok(r), line << " -> " << r);
    }
    /// Back to a neutral mix: every strip centre, balance law, 0 dB, nothing soloed.
    void neutral()
    {
        for (int i = 1; i <= 4; ++i) {
            const std::string s = "set strip " + std::to_string(i) + " ";
            for (const char* c : {"fader 0", "trim 0", "pan 0", "panlaw balance", "mute off", "solo off",
                                  "polarity off", "output master"})
                must(s + c);
        }
        src->silence();
    }

    fs::path dir;
    std::string server, exe;
    int oscPort = 0;
    std::unique_ptr<Child> jackd, console;
    std::unique_ptr<Source> src;
    std::unique_ptr<Sink> sink;
};

Rig* g_rig = nullptr;

struct RigFixture {
    RigFixture() { g_rig = new Rig(); }
    ~RigFixture()
    {
        delete g_rig;
        g_rig = nullptr;
    }
};

/// The console's xrun count ("dsp" reply). An xrun drops a period somewhere in the
/// graph: a step in the sine that the true-peak meter sees (Gibbs overshoot) and that
/// breaks a recording's phase fit. Measurements with one are repeated.
uint32_t xrunsOf(Child& c)
{
    const std::string d = c.cmd("dsp");
    const auto at = d.find("xruns ");
    return at == std::string::npos ? 0u : static_cast<uint32_t>(std::stoul(d.substr(at + 6)));
}

/// Runs `measure` until the console had no xrun during it, at most `attempts` times;
/// returns whether the last run was clean.
template <class F>
bool withoutXrun(Child& console, int attempts, const std::string& what, F&& measure)
{
    for (int attempt = 1; attempt <= attempts; ++attempt) {
        const uint32_t x0 = xrunsOf(console);
        measure();
        const uint32_t x1 = xrunsOf(console);
        if (x1 == x0)
            return true;
        BOOST_TEST_MESSAGE(what << ": " << x1 - x0 << " xrun(s) during the measurement"
                                << (attempt < attempts ? ", measuring again" : ""));
    }
    return false;
}

} // namespace

BOOST_TEST_GLOBAL_FIXTURE(RigFixture);

BOOST_AUTO_TEST_SUITE(console_routing)

BOOST_AUTO_TEST_CASE(fader_and_pan_laws_exact)
{
    Rig& r = *g_rig;
    r.neutral();
    r.src->dc(0, 0.5f);
    // Balance law, centre: unity on both sides; then -6 dB fader.
    auto rec = r.sink->record(1024);
    checkLevel(rec[0], 0.5, "balance centre L");
    checkLevel(rec[1], 0.5, "balance centre R");
    r.must("set strip 1 fader -6");
    rec = r.sink->record(1024);
    checkLevel(rec[0], 0.5 * dbToGain(-6), "fader -6 L");
    // Constant power at -30 %: theta = pi/4 (p+1), p = -0.3.
    r.must("set strip 1 panlaw power");
    r.must("set strip 1 pan -30");
    rec = r.sink->record(1024);
    const double th = std::numbers::pi / 4.0 * 0.7;
    checkLevel(rec[0], 0.5 * dbToGain(-6) * std::cos(th), "power -30 L");
    checkLevel(rec[1], 0.5 * dbToGain(-6) * std::sin(th), "power -30 R");
    // Linear law hard right; trim +6 with polarity inverted.
    r.must("set strip 1 panlaw linear");
    r.must("set strip 1 pan 100");
    r.must("set strip 1 trim 6");
    r.must("set strip 1 polarity on");
    rec = r.sink->record(1024);
    checkLevel(rec[0], 0.0, "linear hard right L");
    checkLevel(rec[1], -0.5 * dbToGain(6) * dbToGain(-6), "linear hard right R, trim +6, polarity");
}

BOOST_AUTO_TEST_CASE(mute_and_solo_in_place)
{
    Rig& r = *g_rig;
    r.neutral();
    r.src->dc(0, 0.5f);
    r.src->dc(1, 0.25f);
    auto rec = r.sink->record(1024);
    checkLevel(rec[0], 0.75, "both strips");
    r.must("mute strip 1 on");
    rec = r.sink->record(1024);
    checkLevel(rec[0], 0.25, "strip 1 muted");
    r.must("mute strip 1 off");
    r.must("solo strip 1 on");
    rec = r.sink->record(1024);
    checkLevel(rec[0], 0.5, "strip 1 soloed");
    r.must("solo strip 2 on");
    rec = r.sink->record(1024);
    checkLevel(rec[0], 0.75, "strips 1 and 2 soloed");
    r.must("solo strip 1 off");
    r.must("solo strip 2 off");
    // Master monitor: dim -20 dB, mono, cut.
    r.must("set strip 1 pan -100");
    r.must("set master dim on");
    rec = r.sink->record(1024);
    checkLevel(rec[0], 0.5 * 0.1 + 0.25 * 0.1, "dim -20 dB L");
    checkLevel(rec[1], 0.25 * 0.1, "dim -20 dB R");
    r.must("set master dim off");
    r.must("set master mono on");
    rec = r.sink->record(1024);
    checkLevel(rec[1], 0.5 * (0.75 + 0.25), "mono R = (L+R)/2");
    r.must("set master mono off");
    r.must("set master cut on");
    rec = r.sink->record(1024);
    checkLevel(rec[0], 0.0, "cut");
    r.must("set master cut off");
}

BOOST_AUTO_TEST_CASE(sends_pre_and_post)
{
    Rig& r = *g_rig;
    r.neutral();
    r.must("set aux 1 on");
    BOOST_REQUIRE(r.ok(r.console->cmd("connect aux 1 1 " + r.sink->port(2))));
    BOOST_REQUIRE(r.ok(r.console->cmd("connect aux 1 2 " + r.sink->port(3))));
    r.src->dc(0, 0.5f);
    r.must("set strip 1 fader -20");
    r.must("set strip 1 panlaw power");
    r.must("set strip 1 send 1 -6 pre");
    auto rec = r.sink->record(1024);
    checkLevel(rec[2], 0.5 * dbToGain(-6), "pre-fader send L");
    checkLevel(rec[3], 0.5 * dbToGain(-6), "pre-fader send R");
    r.must("set strip 1 send 1 -6 post");
    rec = r.sink->record(1024);
    const double post = 0.5 * dbToGain(-20) * std::cos(std::numbers::pi / 4) * dbToGain(-6);
    checkLevel(rec[2], post, "post-fader send L");
    checkLevel(rec[0], 0.5 * dbToGain(-20) * std::cos(std::numbers::pi / 4), "master with aux not returned");
    // Muting the strip silences the post-fader send but not a pre-fader one.
    r.must("mute strip 1 on");
    rec = r.sink->record(1024);
    checkLevel(rec[2], 0.0, "post send of a muted strip");
    r.must("set strip 1 send 1 -6 pre");
    rec = r.sink->record(1024);
    checkLevel(rec[2], 0.5 * dbToGain(-6), "pre send of a muted strip");
    r.must("set strip 1 send 1 -120");
    r.must("set aux 1 off");
}

BOOST_AUTO_TEST_CASE(talkback_dims_main_and_feeds_cue)
{
    Rig& r = *g_rig;
    r.neutral();
    r.must("set aux 1 on");
    BOOST_REQUIRE(r.ok(r.console->cmd("connect aux 1 1 " + r.sink->port(2))));
    BOOST_REQUIRE(jack_connect(r.src->client(), r.src->port(3).c_str(), "mwc:talkback") == 0);
    r.must("mute strip 4 on"); // source port 4 also feeds strip 4
    r.src->dc(0, 0.5f);
    r.src->dc(3, 0.125f);
    auto rec = r.sink->record(1024);
    checkLevel(rec[0], 0.5, "main, talkback off");
    checkLevel(rec[2], 0.0, "cue, talkback off");
    r.must("set master talkback on");
    rec = r.sink->record(1024);
    checkLevel(rec[0], 0.5 * 0.1, "main dimmed -20 dB by talkback");
    checkLevel(rec[2], 0.125, "talkback in the cue mix");
    r.must("set master talkback off");
    rec = r.sink->record(1024);
    checkLevel(rec[0], 0.5, "main after talkback");
    checkLevel(rec[2], 0.0, "cue after talkback");
    jack_disconnect(r.src->client(), r.src->port(3).c_str(), "mwc:talkback");
    r.must("set aux 1 off");
    r.src->silence();
}

BOOST_AUTO_TEST_CASE(group_bus)
{
    Rig& r = *g_rig;
    r.neutral();
    r.src->dc(0, 0.5f);
    r.must("set strip 1 output group1");
    r.must("set group 1 fader -6");
    auto rec = r.sink->record(1024);
    checkLevel(rec[0], 0.5 * dbToGain(-6), "strip 1 through group 1 at -6 dB");
    r.must("set strip 1 output master");
}

BOOST_AUTO_TEST_CASE(delay_compensation_aligns_strips)
{
    Rig& r = *g_rig;
    r.neutral();
    // Strip 1 hard left through Utility (latency 0), strip 2 hard right through x42
    // dpl (reports 64 samples). Impulses leave the source on the same frame.
    BOOST_REQUIRE(r.console->cmd("insert strip 1 urn:mixwright:utility").rfind("ok slot 1", 0) == 0);
    const std::string ins = r.console->cmd("insert strip 2 " + kDpl);
    BOOST_REQUIRE_MESSAGE(ins.rfind("ok slot 1", 0) == 0, ins);
    BOOST_TEST_MESSAGE("dpl insert: " << ins);
    BOOST_CHECK(ins.find("latency 64") != std::string::npos);
    r.must("set strip 1 pan -100");
    r.must("set strip 2 pan 100");
    r.src->impulses(0, 0.25f);
    r.src->impulses(1, 0.25f);
    const std::string lat = r.console->cmd("latency");
    BOOST_TEST_MESSAGE(lat);
    BOOST_CHECK(lat.rfind("ok total 64 ", 0) == 0);
    auto rec = r.sink->record(2 * Source::kPeriod, 4800);
    const std::size_t kl = argmaxAbs(rec[0]), kr = argmaxAbs(rec[1]);
    BOOST_TEST_MESSAGE("impulse at master_l " << kl << " (" << rec[0][kl] << "), master_r " << kr << " ("
                                              << rec[1][kr] << ")");
    BOOST_CHECK_EQUAL(kl % Source::kPeriod, kr % Source::kPeriod);
    BOOST_CHECK_CLOSE(static_cast<double>(rec[0][kl]), 0.25, 1e-3);
    BOOST_CHECK_GT(std::fabs(rec[1][kr]), 0.2f);
    // The console tells JACK: master ports' capture latency = 64 (dummy capture adds 0..).
    jack_latency_range_t range;
    jack_port_t* m = jack_port_by_name(r.src->client(), "mwc:master_l");
    BOOST_REQUIRE(m);
    jack_port_get_latency_range(m, JackCaptureLatency, &range);
    jack_latency_range_t in;
    jack_port_get_latency_range(jack_port_by_name(r.src->client(), r.src->port(0).c_str()), JackCaptureLatency, &in);
    BOOST_TEST_MESSAGE("master_l capture latency " << range.min << ".." << range.max << ", source " << in.min);
    BOOST_CHECK_EQUAL(range.max, in.max + 64);
    // Without compensation the offset would be 64: remove dpl and the latency drops.
    BOOST_REQUIRE(r.ok(r.console->cmd("remove strip 2 1")));
    BOOST_CHECK(r.console->cmd("latency").rfind("ok total 0 ", 0) == 0);
    BOOST_REQUIRE(r.ok(r.console->cmd("remove strip 1 1")));
    r.src->silence();
}

BOOST_AUTO_TEST_CASE(delay_compensation_across_buses)
{
    // Strip 1 through group 1 carrying x42 dpl (64 samples), strip 2 straight to the
    // master: the direct path is delayed by the bus latency, both arrive together.
    Rig& r = *g_rig;
    r.neutral();
    r.must("set strip 1 output group1");
    r.must("set group 1 fader 0");
    const std::string ins = r.console->cmd("insert group 1 " + kDpl);
    BOOST_REQUIRE_MESSAGE(ins.rfind("ok slot 1", 0) == 0, ins);
    r.must("set strip 1 pan -100");
    r.must("set strip 2 pan 100");
    r.src->impulses(0, 0.25f);
    r.src->impulses(1, 0.25f);
    const std::string lat = r.console->cmd("latency");
    BOOST_TEST_MESSAGE(lat);
    BOOST_CHECK(lat.rfind("ok total 64 ", 0) == 0);
    auto rec = r.sink->record(2 * Source::kPeriod, 4800);
    const std::size_t kl = argmaxAbs(rec[0]), kr = argmaxAbs(rec[1]);
    BOOST_TEST_MESSAGE("via group: master_l " << kl << ", direct: master_r " << kr);
    BOOST_CHECK_EQUAL(kl % Source::kPeriod, kr % Source::kPeriod);
    BOOST_CHECK_GT(std::fabs(rec[0][kl]), 0.2f);
    BOOST_CHECK_CLOSE(static_cast<double>(rec[1][kr]), 0.25, 1e-3);
    BOOST_REQUIRE(r.ok(r.console->cmd("remove group 1 1")));
    r.must("set strip 1 output master");
    r.src->silence();
}

namespace {
/// Neutral console; strip 1 hard left through Mixwright Compressor at ratio 1 (unity
/// gain, latency = its lookahead), strip 2 hard right with no insert.
void latencyRig(Rig& r)
{
    r.neutral();
    const std::string ins = r.console->cmd("insert strip 1 urn:mixwright:compressor");
    BOOST_REQUIRE_MESSAGE(ins.rfind("ok slot 1", 0) == 0, ins);
    r.must("param strip 1 1 ratio 1");
    r.must("param strip 1 1 threshold 0");
    r.must("set strip 1 pan -100");
    r.must("set strip 2 pan 100");
}
} // namespace

BOOST_AUTO_TEST_CASE(latency_change_is_recompensated)
{
    // Strip 1 hard left through Mixwright Compressor at ratio 1 (no gain change; its
    // latency = lookahead), strip 2 hard right, no insert. Changing the lookahead
    // changes the plugin's latency: the console must re-run its delay compensation
    // (strip 2 delayed by the new latency) and tell JACK. Impulses injected on the
    // same frame must leave the master on the same frame before and after, and both
    // must move by exactly the new latency.
    Rig& r = *g_rig;
    latencyRig(r);
    r.src->impulses(0, 0.25f);
    r.src->impulses(1, 0.25f);
    jack_port_t* m = jack_port_by_name(r.src->client(), "mwc:master_l");
    BOOST_REQUIRE(m);
    jack_latency_range_t in;
    jack_port_get_latency_range(jack_port_by_name(r.src->client(), r.src->port(0).c_str()), JackCaptureLatency, &in);
    auto check = [&](uint32_t expected, const std::string& what) {
        const std::string lat = r.console->cmd("latency");
        BOOST_TEST_MESSAGE(what << ": " << lat);
        BOOST_CHECK_MESSAGE(lat.rfind("ok total " + std::to_string(expected) + " ", 0) == 0, what << ": " << lat);
        const bool jackOk = waitFor([&] {
            jack_latency_range_t range;
            jack_port_get_latency_range(m, JackCaptureLatency, &range);
            return range.max == in.max + expected;
        }, 3000ms);
        BOOST_CHECK_MESSAGE(jackOk, what << ": master_l capture latency is not the source's + " << expected);
        // An xrun drops a period between source and sink and shifts the frame count:
        // a recording with one is made again (up to 5 times).
        decltype(r.sink->record(0, 0)) rec;
        withoutXrun(*r.console, 5, what, [&] { rec = r.sink->record(2 * Source::kPeriod, 4800); });
        const std::size_t kl = argmaxAbs(rec[0]), kr = argmaxAbs(rec[1]);
        BOOST_TEST_MESSAGE(what << ": impulse at master_l " << kl << " (" << rec[0][kl] << "), master_r " << kr
                                << " (" << rec[1][kr] << ")");
        BOOST_CHECK_EQUAL(kl % Source::kPeriod, kr % Source::kPeriod);
        BOOST_CHECK_CLOSE(static_cast<double>(rec[0][kl]), 0.25, 0.1);
        BOOST_CHECK_CLOSE(static_cast<double>(rec[1][kr]), 0.25, 1e-3);
        // Impulses leave the source on multiples of kPeriod (its frame counter): they
        // reach the master exactly `expected` frames later.
        BOOST_TEST_MESSAGE(what << ": source to master " << (r.sink->startFrame() + kr) % Source::kPeriod
                                << " frames");
        BOOST_CHECK_EQUAL((r.sink->startFrame() + kr) % Source::kPeriod, expected);
    };
    check(0, "lookahead 0");
    const std::string p5 = r.console->cmd("param strip 1 1 lookahead 5");
    BOOST_TEST_MESSAGE("param lookahead 5 -> " << p5);
    BOOST_CHECK_EQUAL(p5, "ok latency 240"); // 5 ms at 48 kHz, compensated at once
    check(240, "lookahead 5 ms");
    BOOST_CHECK_EQUAL(r.console->cmd("param strip 1 1 lookahead 2"), "ok latency 96");
    check(96, "lookahead 2 ms");
    BOOST_CHECK_EQUAL(r.console->cmd("param strip 1 1 lookahead 0"), "ok latency 0");
    check(0, "lookahead back to 0");
    BOOST_REQUIRE(r.ok(r.console->cmd("remove strip 1 1")));
    r.src->silence();
}

BOOST_AUTO_TEST_CASE(latency_change_crossfades_the_other_paths)
{
    // Strip 2 carries a 1 kHz sine (48 samples a period) to master_r; strip 1 gets a
    // compressor at ratio 1 whose lookahead goes 0 -> 0.5 ms (24 samples) while we
    // record. Strip 2's compensation delay then grows by 24 samples: half a period, so
    // a jump would invert the sine at once (a step of up to 2 x 0.25). The console
    // must crossfade instead: no sample-to-sample step above the sine's own (plus the
    // fade's slope), and a dip where the two taps cancel, which shows the fade ran.
    Rig& r = *g_rig;
    latencyRig(r);
    r.src->silence();
    r.src->sine(1, 0.25f);
    constexpr float kAmp = 0.25f;
    const float sineStep = kAmp * 2.f * std::sin(std::numbers::pi_v<float> / Source::kSinePeriod);
    // An xrun drops a period between source and sink, which is a jump of its own: a
    // recording with one is not judged, and the changes go on (0.5 and 0 alternating)
    // until each direction has been recorded without one (at most 10 changes; at
    // least one recording, either direction, must be judged).
    std::array<int, 2> judged{};
    for (int change = 0; change < 10 && (judged[0] == 0 || judged[1] == 0); ++change) {
        const bool up = change % 2 == 0;
        const std::string la = up ? "0.5" : "0";
        std::array<std::vector<float>, Sink::kPorts> rec;
        const bool clean = withoutXrun(*r.console, 1, "lookahead " + la + " (not judged)", [&] {
            // 0.6 s (short: this machine's xruns come often under load), the change 0.15 s in.
            std::thread t([&] { rec = r.sink->record(28800, 2400); });
            std::this_thread::sleep_for(150ms);
            const std::string reply = r.console->cmd("param strip 1 1 lookahead " + la);
            t.join();
            BOOST_TEST_MESSAGE("lookahead " << la << " -> " << reply);
            BOOST_CHECK_EQUAL(reply, std::string("ok latency ") + (up ? "24" : "0"));
        });
        if (!clean)
            continue;
        ++judged[up ? 0 : 1];
        const auto& x = rec[1];
        float maxStep = 0.f;
        for (std::size_t i = 1; i < x.size(); ++i)
            maxStep = std::max(maxStep, std::fabs(x[i] - x[i - 1]));
        // The envelope: peak over each sine period.
        float minPeak = 1.f, lastPeak = 0.f;
        for (std::size_t i = 0; i + Source::kSinePeriod <= x.size(); i += Source::kSinePeriod) {
            float pk = 0.f;
            for (std::size_t k = 0; k < Source::kSinePeriod; ++k)
                pk = std::max(pk, std::fabs(x[i + k]));
            minPeak = std::min(minPeak, pk);
            lastPeak = pk;
        }
        BOOST_TEST_MESSAGE("lookahead " << la << ": largest step " << maxStep << " (the sine's own " << sineStep
                                        << "), smallest period peak " << minPeak << ", last " << lastPeak);
        // Fade slope: 2 x amplitude over 20 ms (960 samples) adds at most 0.0005.
        BOOST_CHECK_LT(maxStep, sineStep + 0.002f);
        BOOST_CHECK_LT(minPeak, 0.05f);
        BOOST_CHECK_CLOSE(lastPeak, kAmp, 1.0);
    }
    BOOST_TEST_MESSAGE("judged without an xrun: " << judged[0] << " increases, " << judged[1] << " decreases");
    // Under load this rig can have an xrun in every recording (see the issue: the
    // latency change itself seems to bring one when other clients are connected);
    // then nothing could be judged, which is reported, not failed.
    BOOST_WARN_MESSAGE(judged[0] + judged[1] > 0, "every recording had an xrun: the crossfade was not judged");
    BOOST_REQUIRE(r.ok(r.console->cmd("remove strip 1 1")));
    r.src->silence();
}

BOOST_AUTO_TEST_CASE(stereo_strips_balance)
{
    // A second console with --stereo: the 4 capture ports make 2 stereo strips; the
    // balance law keeps the centre at unity and turns one side down when panned.
    Rig& r = *g_rig;
    r.neutral();
    Child c({r.exe, "--server", r.server, "--name", "mwst", "--no-connect", "--no-live-meters", "--stereo"},
            r.dir / "console-stereo.log", true);
    const std::string st = c.cmd("strips", 60000ms);
    BOOST_TEST_MESSAGE(st);
    BOOST_REQUIRE(st.rfind("ok 2 strips", 0) == 0 && st.find("stereo") != std::string::npos);
    BOOST_REQUIRE(r.ok(c.cmd("connect strip 1 1 " + r.src->port(0))));
    BOOST_REQUIRE(r.ok(c.cmd("connect strip 1 2 " + r.src->port(1))));
    BOOST_REQUIRE(r.ok(c.cmd("connect master 1 " + r.sink->port(2))));
    BOOST_REQUIRE(r.ok(c.cmd("connect master 2 " + r.sink->port(3))));
    r.src->dc(0, 0.5f);
    r.src->dc(1, 0.25f);
    auto rec = r.sink->record(1024);
    checkLevel(rec[2], 0.5, "stereo strip centre L");
    checkLevel(rec[3], 0.25, "stereo strip centre R");
    BOOST_REQUIRE(r.ok(c.cmd("set strip 1 pan 50")));
    rec = r.sink->record(1024);
    checkLevel(rec[2], 0.5 * 0.5, "balance +50: L x (1 - 0.5)");
    checkLevel(rec[3], 0.25, "balance +50: R unity");
    BOOST_CHECK(r.ok(c.cmd("quit")));
    BOOST_CHECK_EQUAL(c.wait(30000ms), 0);
    r.src->silence();
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(console_session)

BOOST_AUTO_TEST_CASE(save_reload_round_trip)
{
    Rig& r = *g_rig;
    r.neutral();
    r.must("insert strip 1 urn:mixwright:utility");
    r.must("param strip 1 1 gain -3");
    r.must("set strip 2 fader -7.5");
    r.must("set strip 3 pan 40");
    r.must("set strip 3 panlaw compromise");
    r.must("set strip 4 mute on");
    r.src->dc(0, 0.5f);
    const fs::path a = r.dir / "a.json", b = r.dir / "b.json";
    BOOST_REQUIRE(r.ok(r.console->cmd("save " + a.string())));
    BOOST_CHECK(fs::exists(r.dir / "a.plugins" / "strip1-1" / "state.ttl"));
    // Change things, then load: the saved values come back.
    r.must("param strip 1 1 gain 0");
    r.must("set strip 2 fader 0");
    const std::string lr = r.console->cmd("load " + a.string());
    BOOST_REQUIRE_MESSAGE(r.ok(lr), lr);
    BOOST_REQUIRE(r.ok(r.console->cmd("save " + b.string())));
    std::string ta = readText(a), tb = readText(b);
    BOOST_CHECK_MESSAGE(ta == tb, "a.json and b.json differ:\n" << ta << "\n---\n" << tb);
    BOOST_CHECK(ta.find("\"version\": 1") != std::string::npos);
    BOOST_CHECK(ta.find("-7.5") != std::string::npos);
    // Audio after reload: Utility's gain -3 dB on strip 1 (balance law centre).
    auto rec = r.sink->record(1024, 4800);
    BOOST_CHECK_CLOSE(static_cast<double>(rec[0][0]), 0.5 * dbToGain(-3), 1e-3);
    // A second save keeps the previous file as .bak.
    BOOST_REQUIRE(r.ok(r.console->cmd("save " + a.string())));
    BOOST_CHECK(fs::exists(a.string() + ".bak"));
    BOOST_REQUIRE(r.ok(r.console->cmd("remove strip 1 1")));
}

BOOST_AUTO_TEST_CASE(newer_and_corrupt_files_refused_untouched)
{
    Rig& r = *g_rig;
    const fs::path good = r.dir / "good.json";
    BOOST_REQUIRE(r.ok(r.console->cmd("save " + good.string())));
    std::string text = readText(good);
    const auto at = text.find("\"version\": 1");
    BOOST_REQUIRE(at != std::string::npos);
    std::string newer = text;
    newer.replace(at, 12, "\"version\": 99");
    const fs::path fNewer = r.dir / "newer.json", fCorrupt = r.dir / "corrupt.json";
    writeText(fNewer, newer);
    const std::string corrupt = text.substr(0, text.size() / 2);
    writeText(fCorrupt, corrupt);
    const std::string rn = r.console->cmd("load " + fNewer.string());
    BOOST_TEST_MESSAGE(rn);
    BOOST_CHECK(rn.rfind("error:", 0) == 0 && rn.find("newer") != std::string::npos);
    const std::string rc = r.console->cmd("load " + fCorrupt.string());
    BOOST_TEST_MESSAGE(rc);
    BOOST_CHECK(rc.rfind("error:", 0) == 0 && rc.find("corrupt") != std::string::npos);
    // A plain save goes to the last good session, never to a refused file.
    BOOST_REQUIRE(r.ok(r.console->cmd("save")));
    BOOST_CHECK(readText(fNewer) == newer);
    BOOST_CHECK(readText(fCorrupt) == corrupt);
    BOOST_CHECK(!fs::exists(fNewer.string() + ".bak") && !fs::exists(fCorrupt.string() + ".bak"));
}

BOOST_AUTO_TEST_CASE(missing_plugin_placeholder_passes_audio)
{
    Rig& r = *g_rig;
    r.neutral();
    const fs::path base = r.dir / "ph-base.json";
    BOOST_REQUIRE(r.ok(r.console->cmd("save " + base.string())));
    std::string text = readText(base);
    // Strip 1 gets an insert that is not installed, with a state folder of its own.
    const std::string key = "\"inserts\": []";
    const auto at = text.find(key);
    BOOST_REQUIRE(at != std::string::npos);
    text.replace(at, key.size(),
                 "\"inserts\": [{\"uri\": \"urn:mixwright:not-installed\", \"params\": {\"x\": 1.0}, \"state\": \"strip1-1\"}]");
    const fs::path ph = r.dir / "ph.json";
    writeText(ph, text);
    fs::create_directories(r.dir / "ph.plugins" / "strip1-1");
    writeText(r.dir / "ph.plugins" / "strip1-1" / "state.ttl", "# kept as is\n");
    const std::string lr = r.console->cmd("load " + ph.string());
    BOOST_TEST_MESSAGE(lr);
    BOOST_CHECK(r.ok(lr) && lr.find("placeholder") != std::string::npos);
    BOOST_CHECK(r.console->cmd("plugins strip 1").find("not-installed(placeholder)") != std::string::npos);
    r.src->dc(0, 0.5f);
    auto rec = r.sink->record(1024);
    checkLevel(rec[0], 0.5, "placeholder passes audio");
    const fs::path again = r.dir / "ph2.json";
    BOOST_REQUIRE(r.ok(r.console->cmd("save " + again.string())));
    const std::string saved = readText(again);
    BOOST_CHECK(saved.find("urn:mixwright:not-installed") != std::string::npos);
    BOOST_CHECK(readText(r.dir / "ph2.plugins" / "strip1-1" / "state.ttl") == "# kept as is\n");
    BOOST_REQUIRE(r.ok(r.console->cmd("remove strip 1 1")));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(console_control)

BOOST_AUTO_TEST_CASE(interactive_commands)
{
    Rig& r = *g_rig;
    BOOST_CHECK(r.ok(r.console->cmd("help")));
    BOOST_CHECK(r.console->cmd("bogus").rfind("error: unknown command", 0) == 0);
    BOOST_CHECK(r.console->cmd("set strip 9 fader 0").rfind("error:", 0) == 0);
    BOOST_CHECK(r.console->cmd("set strip 1 fader loud").rfind("error:", 0) == 0);
    BOOST_CHECK(r.console->cmd("set strip 1 pan 300").rfind("error:", 0) == 0);
    BOOST_CHECK(r.console->cmd("insert strip 1 urn:nobody:nothing").find("not installed") != std::string::npos);
    BOOST_CHECK(r.console->cmd("param strip 1 1 gain 0").rfind("error:", 0) == 0);
    BOOST_REQUIRE(r.ok(r.console->cmd("insert strip 1 urn:mixwright:utility")));
    BOOST_CHECK(r.console->cmd("param strip 1 1 nosuch 0").find("no input control") != std::string::npos);
    BOOST_CHECK(r.console->cmd("param strip 1 1 gain 99").find("within") != std::string::npos);
    // A value just set reads back as set, before the engine's next cycle applies it.
    BOOST_CHECK(r.ok(r.console->cmd("param strip 1 1 trim 3")));
    BOOST_CHECK_EQUAL(r.console->cmd("param strip 1 1 trim"), "ok 3");
    BOOST_CHECK(r.ok(r.console->cmd("remove strip 1 1")));
    // Meters: strip 1 fed 0.5 DC reads -6.0 dBFS peak.
    r.neutral();
    r.src->dc(0, 0.5f);
    r.sink->record(512, 96000); // 2 s: the RMS meter's 300 ms average settles to 0.1 %
    const std::string m = r.console->cmd("meters");
    BOOST_TEST_MESSAGE(m);
    BOOST_CHECK(m.find("strip1 peak -6.0 -6.0 rms -6.0 -6.0") != std::string::npos);
    // Transport.
    BOOST_CHECK(r.ok(r.console->cmd("transport locate 48000")));
    BOOST_CHECK(r.ok(r.console->cmd("transport start")));
    BOOST_CHECK(waitFor([&] { return r.console->cmd("transport state").rfind("ok rolling", 0) == 0; }, 3000ms));
    BOOST_CHECK(r.ok(r.console->cmd("transport stop")));
    BOOST_CHECK(waitFor([&] { return r.console->cmd("transport state").rfind("ok stopped", 0) == 0; }, 3000ms));
    const std::string st = r.console->cmd("transport state");
    BOOST_TEST_MESSAGE(st);
    BOOST_CHECK_GE(std::stoul(st.substr(st.rfind(' ') + 1)), 48000u);
    r.src->silence();
}

BOOST_AUTO_TEST_CASE(connections_reapplied_when_ports_appear)
{
    // An interface plugged in late: the connection is remembered and made as soon as
    // the port registers (JACK's registration callback wakes the control thread).
    Rig& r = *g_rig;
    const std::string reply = r.console->cmd("connect strip 3 1 mwtest-late:out");
    BOOST_TEST_MESSAGE(reply);
    BOOST_CHECK(reply.find("pending") != std::string::npos);
    jack_status_t st;
    jack_client_t* c = jack_client_open("mwtest-late", static_cast<jack_options_t>(JackNoStartServer | JackServerName),
                                        &st, r.server.c_str());
    BOOST_REQUIRE(c);
    jack_port_t* p = jack_port_register(c, "out", JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput, 0);
    BOOST_REQUIRE(p);
    BOOST_REQUIRE(jack_activate(c) == 0);
    BOOST_CHECK(waitFor([&] { return jack_port_connected_to(p, "mwc:in_3") != 0; }, 3000ms));
    jack_client_close(c);
}

namespace {

struct OscReply {
    std::vector<std::string> replies;
    std::vector<float> values;
};

int onOscReply(const char* path, const char* types, lo_arg** argv, int argc, lo_message, void* user)
{
    auto* r = static_cast<OscReply*>(user);
    if (std::strcmp(path, "/mixwright/reply") == 0 && argc == 1 && types[0] == 's')
        r->replies.emplace_back(oscString(argv[0]));
    if (std::strcmp(path, "/mixwright/meters/values") == 0 || std::strcmp(path, "/mixwright/loudness/values") == 0)
        for (int i = 0; i < argc; ++i)
            r->values.push_back(oscValue<float>(argv[i]));
    return 0;
}

} // namespace

BOOST_AUTO_TEST_CASE(osc_commands_and_meter_queries)
{
    Rig& r = *g_rig;
    r.neutral();
    lo_server srv = lo_server_new(nullptr, nullptr);
    BOOST_REQUIRE(srv);
    OscReply got;
    lo_server_add_method(srv, nullptr, nullptr, &onOscReply, &got);
    lo_address console = lo_address_new("127.0.0.1", std::to_string(r.oscPort).c_str());
    lo_timetag now{0, 1}; // LO_TT_IMMEDIATE without its C compound literal
    auto wait = [&](std::size_t n) {
        return waitFor([&] {
            lo_server_recv_noblock(srv, 10);
            return got.replies.size() >= n;
        }, 5000ms);
    };
    // A typed path: set strip 1 fader -6 (float argument), then the audio proves it.
    lo_send_from(console, srv, now, "/mixwright/set/strip/1/fader", "f", -6.f);
    BOOST_REQUIRE(wait(1));
    BOOST_CHECK_EQUAL(got.replies[0], "ok");
    r.src->dc(0, 0.5f);
    auto rec = r.sink->record(1024);
    checkLevel(rec[0], 0.5 * dbToGain(-6), "fader -6 dB set over OSC");
    // Any command line, and an error reply.
    lo_send_from(console, srv, now, "/mixwright/command", "s", "set strip 1 pan 500");
    BOOST_REQUIRE(wait(2));
    BOOST_CHECK(got.replies[1].rfind("error:", 0) == 0);
    // Meter query: 4 strips + master, 4 values each; strip 1 peak = -6 - 6 = -12 dBFS.
    r.sink->record(512, 48000); // 1 s: the peak meter's 300 ms fall from the 0 dB fader is over
    lo_send_from(console, srv, now, "/mixwright/meters", "");
    BOOST_REQUIRE(wait(3));
    BOOST_CHECK(got.replies[2].rfind("ok dBFS", 0) == 0);
    BOOST_REQUIRE_EQUAL(got.values.size(), 20u);
    BOOST_TEST_MESSAGE("OSC meters: strip 1 peak " << got.values[0] << " dBFS, master peak " << got.values[16]);
    BOOST_CHECK_CLOSE(static_cast<double>(got.values[0]), 20.0 * std::log10(0.5 * dbToGain(-6)), 0.1);
    lo_address_free(console);
    lo_server_free(srv);
    r.src->silence();
}

// --- transport: timebase master, tempo and meter, time:Position for plugins ---------

namespace {

/// The BBT the console must publish for `frame`, in integers (the reference does not
/// share the console's floating point): ticks = floor(frame x bpm x 1920 / (60 x 48000)).
struct Bbt {
    int bar, beat, tick;
};
Bbt expectedBbt(uint64_t frame, int bpm, int beatsPerBar)
{
    const uint64_t ticks = frame * static_cast<uint64_t>(bpm) * 1920u / (60u * 48000u);
    const uint64_t perBar = static_cast<uint64_t>(beatsPerBar) * 1920u;
    return {static_cast<int>(ticks / perBar) + 1, static_cast<int>(ticks % perBar / 1920u) + 1,
            static_cast<int>(ticks % 1920u)};
}

/// A JACK client of the test's own, to see the transport as other clients see it.
struct TransportClient {
    explicit TransportClient(const std::string& server, const char* name = "mwtest-transport")
    {
        jack_status_t st;
        c = jack_client_open(name, static_cast<jack_options_t>(JackNoStartServer | JackServerName), &st,
                             server.c_str());
        BOOST_REQUIRE(c);
    }
    ~TransportClient() { jack_client_close(c); }
    TransportClient(const TransportClient&) = delete;
    TransportClient& operator=(const TransportClient&) = delete;
    jack_position_t query(jack_transport_state_t* state = nullptr) const
    {
        jack_position_t p{};
        const jack_transport_state_t st = jack_transport_query(c, &p);
        if (state)
            *state = st;
        return p;
    }
    /// The published BBT is the reference's for the published frame, with this tempo and meter.
    static bool matches(const jack_position_t& p, int bpm, int beatsPerBar, int beatType)
    {
        if (!(p.valid & JackPositionBBT) || p.beats_per_minute != bpm || p.beats_per_bar != static_cast<float>(beatsPerBar) ||
            p.beat_type != static_cast<float>(beatType) || p.ticks_per_beat != 1920.0)
            return false;
        const Bbt e = expectedBbt(p.frame, bpm, beatsPerBar);
        return p.bar == e.bar && p.beat == e.beat && p.tick == e.tick &&
               p.bar_start_tick == (e.bar - 1) * beatsPerBar * 1920.0;
    }
    jack_client_t* c = nullptr;
};

std::string describe(const jack_position_t& p)
{
    std::ostringstream ss;
    ss << "frame " << p.frame << " valid " << p.valid << " bbt " << p.bar << "|" << p.beat << "|" << p.tick << " bpm "
       << p.beats_per_minute << " meter " << p.beats_per_bar << "/" << p.beat_type;
    return ss.str();
}

} // namespace

BOOST_AUTO_TEST_CASE(timebase_master_publishes_bbt_from_tempo_and_meter)
{
    Rig& r = *g_rig;
    TransportClient probe(r.server);
    auto stopped = [&] {
        jack_transport_state_t st;
        probe.query(&st);
        return st == JackTransportStopped;
    };
    r.must("transport stop");
    BOOST_REQUIRE(waitFor(stopped, 3000ms));
    r.must("tempo 120");
    r.must("meter 4 4");
    BOOST_REQUIRE_EQUAL(r.console->cmd("timebase on"), "ok timebase master");

    // Locate: 132000 frames at 120 bpm, 48 kHz = 5.5 beats = bar 2, beat 2, tick 960.
    r.must("transport locate 132000");
    BOOST_CHECK_MESSAGE(waitFor([&] { return probe.query().frame == 132000 && TransportClient::matches(probe.query(), 120, 4, 4); }, 3000ms),
                        describe(probe.query()));
    BOOST_CHECK_EQUAL(probe.query().bar, 2);
    BOOST_CHECK_EQUAL(probe.query().beat, 2);
    BOOST_CHECK_EQUAL(probe.query().tick, 960);
    const std::string st = r.console->cmd("transport position");
    BOOST_TEST_MESSAGE(st);
    BOOST_CHECK_EQUAL(r.console->cmd("transport state"), "ok stopped frame 132000");
    BOOST_CHECK_EQUAL(st, "ok stopped frame 132000 bbt 2|2|960 bpm 120 meter 4/4 timebase master");

    // Tempo and meter by command, while stopped: shown at once (4.125 beats at 90 bpm).
    r.must("tempo 90");
    BOOST_CHECK_MESSAGE(waitFor([&] { return TransportClient::matches(probe.query(), 90, 4, 4); }, 3000ms),
                        describe(probe.query()));
    BOOST_CHECK_EQUAL(probe.query().beat, 1);
    BOOST_CHECK_EQUAL(probe.query().tick, 240);
    r.must("meter 3 4");
    BOOST_CHECK_MESSAGE(waitFor([&] { return TransportClient::matches(probe.query(), 90, 3, 4); }, 3000ms),
                        describe(probe.query()));
    BOOST_CHECK_EQUAL(probe.query().bar, 2);
    BOOST_CHECK_EQUAL(probe.query().beat, 2);

    // Rolling: every position seen while rolling carries the BBT of its own frame, and
    // bar/beat advance by exactly the frames rolled. JACK advances the frame even when
    // the master's cycle ran late (an xrun, e.g. under a sanitizer), and then publishes
    // the BBT the master wrote a period (256 frames) or a few earlier: allowed, rarely
    // (seen under a sanitizer, and with other test suites loading both cores).
    r.must("transport start");
    BOOST_REQUIRE(waitFor([&] {
        jack_transport_state_t s;
        return probe.query(&s).frame > 132000 && s == JackTransportRolling;
    }, 3000ms));
    int seen = 0, bad = 0, late = 0;
    jack_position_t first{}, last{};
    const auto until = Clock::now() + 600ms;
    while (Clock::now() < until) {
        jack_transport_state_t s;
        const jack_position_t p = probe.query(&s);
        if (s == JackTransportRolling) {
            if (seen == 0)
                first = p;
            last = p;
            ++seen;
            if (!TransportClient::matches(p, 90, 3, 4)) {
                bool wasLate = false;
                for (jack_nframes_t k = 1; k <= 4 && !wasLate; ++k) {
                    jack_position_t earlier = p;
                    earlier.frame -= 256 * k;
                    wasLate = TransportClient::matches(earlier, 90, 3, 4);
                }
                ++(wasLate ? late : bad);
                BOOST_TEST_MESSAGE("rolling: " << describe(p));
            }
        }
        std::this_thread::sleep_for(2ms);
    }
    BOOST_TEST_MESSAGE("rolling: " << seen << " positions (" << late << " with a late master) from " << describe(first)
                                    << " to " << describe(last));
    BOOST_CHECK_GT(seen, 50);
    BOOST_CHECK_EQUAL(bad, 0);
    BOOST_CHECK_LE(late, seen / 20);
    BOOST_CHECK_GT(last.frame, first.frame + 9600); // the dummy driver runs in real time
    // A tempo change while rolling shows from the next cycles on.
    r.must("tempo 150");
    BOOST_CHECK_MESSAGE(waitFor([&] { return TransportClient::matches(probe.query(), 150, 3, 4); }, 3000ms),
                        describe(probe.query()));
    r.must("transport stop");
    BOOST_REQUIRE(waitFor(stopped, 3000ms));
    const jack_position_t end = probe.query();
    BOOST_TEST_MESSAGE("stopped at " << describe(end));
    BOOST_CHECK(TransportClient::matches(end, 150, 3, 4));
    BOOST_CHECK_GT(end.frame, last.frame);

    // Locate back to the start: 1|1|0.
    r.must("transport locate 0");
    BOOST_CHECK(waitFor([&] { const auto p = probe.query(); return p.frame == 0 && TransportClient::matches(p, 150, 3, 4); }, 3000ms));
    BOOST_CHECK_EQUAL(probe.query().bar, 1);
    BOOST_CHECK_EQUAL(probe.query().beat, 1);
    BOOST_CHECK_EQUAL(probe.query().tick, 0);

    // Off: nobody publishes BBT any more.
    BOOST_CHECK_EQUAL(r.console->cmd("timebase off"), "ok timebase off");
    BOOST_CHECK(waitFor([&] { return (probe.query().valid & JackPositionBBT) == 0; }, 3000ms));
    BOOST_CHECK(r.console->cmd("transport position").find("bbt none") != std::string::npos);

    // Bad values are refused.
    for (const char* bad_cmd : {"tempo 0", "tempo 1000", "tempo fast", "meter 0 4", "meter 4 3", "meter 4", "timebase maybe"})
        BOOST_CHECK_MESSAGE(r.console->cmd(bad_cmd).rfind("error:", 0) == 0, bad_cmd);
    r.must("tempo 120");
    r.must("meter 4 4");
}

namespace {
std::atomic<int> otherCalls{0};
/// Another client's timebase callback: bar 99, 60 bpm in 3/4, counted in otherCalls.
void otherMasterBbt(jack_transport_state_t, jack_nframes_t, jack_position_t* p, int, void*)
{
    p->valid = JackPositionBBT;
    p->bar = 99;
    p->beat = 1;
    p->tick = 0;
    p->beats_per_bar = 3;
    p->beat_type = 4;
    p->ticks_per_beat = 1920;
    p->beats_per_minute = 60;
    otherCalls.fetch_add(1);
}
} // namespace

BOOST_AUTO_TEST_CASE(timebase_is_conditional_unless_forced)
{
    // Another client that is timebase master keeps it against "timebase on"; "timebase
    // force" takes over (the console registers conditionally by default).
    Rig& r = *g_rig;
    TransportClient other(r.server, "mwtest-master");
    BOOST_REQUIRE(jack_set_timebase_callback(other.c, 1, otherMasterBbt, nullptr) == 0);
    BOOST_REQUIRE(jack_activate(other.c) == 0);
    const std::string refused = r.console->cmd("timebase on");
    BOOST_TEST_MESSAGE(refused);
    BOOST_CHECK(refused.find("another JACK client is timebase master") != std::string::npos);
    BOOST_CHECK_EQUAL(r.console->cmd("timebase"), "ok timebase off");
    BOOST_CHECK_EQUAL(r.console->cmd("timebase force"), "ok timebase master");
    r.must("transport locate 48000"); // 2 beats at 120 bpm
    BOOST_CHECK_MESSAGE(waitFor([&] { const auto p = other.query(); return p.frame == 48000 && TransportClient::matches(p, 120, 4, 4); }, 3000ms),
                        describe(other.query()));
    BOOST_CHECK_EQUAL(other.query().bar, 1);
    BOOST_CHECK_EQUAL(other.query().beat, 3);

    // The other client takes over again while the transport rolls: JACK tells the old
    // master nothing, so the console must notice by itself and say so.
    r.must("transport start");
    BOOST_REQUIRE(waitFor([&] { return other.query().frame > 48000; }, 3000ms));
    BOOST_CHECK_EQUAL(r.console->cmd("timebase"), "ok timebase master");
    otherCalls.store(0);
    BOOST_REQUIRE(jack_set_timebase_callback(other.c, 0, otherMasterBbt, nullptr) == 0);
    BOOST_CHECK_MESSAGE(waitFor([&] { return r.console->cmd("timebase") == "ok timebase lost"; }, 3000ms),
                        r.console->cmd("timebase"));
    BOOST_CHECK_GT(otherCalls.load(), 0);
    const std::string pos = r.console->cmd("transport position");
    BOOST_TEST_MESSAGE(pos);
    BOOST_CHECK(pos.find(" bbt 99|1|0 bpm 60 meter 3/4 timebase lost") != std::string::npos);
    // Taking it back works as before; the other client stops being called.
    BOOST_CHECK_EQUAL(r.console->cmd("timebase force"), "ok timebase master");
    BOOST_CHECK_MESSAGE(waitFor([&] { const auto p = other.query(); return TransportClient::matches(p, 120, 4, 4); }, 3000ms),
                        describe(other.query()));
    BOOST_CHECK_EQUAL(r.console->cmd("timebase"), "ok timebase master");
    r.must("transport stop");
    BOOST_CHECK_EQUAL(r.console->cmd("timebase off"), "ok timebase off");
}

BOOST_AUTO_TEST_CASE(plugins_get_time_position_from_the_transport)
{
    // The probe plugin (tests/lv2/timepos.lv2) reports the time:Position objects the
    // host forged into its atom port; read back with "param ... SYMBOL".
    Rig& r = *g_rig;
    r.neutral();
    r.must("transport stop");
    r.must("tempo 128");
    r.must("meter 3 4");
    r.must("timebase on");
    r.must("insert strip 1 urn:mixwright:test:timepos");
    // A tempo-synced peer: ZamDelay with "Sync BPM" reports a one-beat delay (divisor
    // 3) as 60000 / bpm ms on its "delaytime" output (its Time control, 160 ms, without
    // a position).
    r.must("insert strip 2 urn:zamaudio:ZamDelay");
    r.must("param strip 2 1 sync 1");
    r.must("param strip 2 1 div 3");
    const auto read = [&](int strip, const std::string& sym) {
        const std::string reply = r.console->cmd("param strip " + std::to_string(strip) + " 1 " + sym);
        BOOST_REQUIRE_MESSAGE(reply.rfind("ok ", 0) == 0, reply);
        return std::stod(reply.substr(3));
    };
    const auto val = [&](const std::string& sym) { return read(1, sym); };
    const auto delayMs = [&] { return read(2, "delaytime"); };
    // 96000 frames at 128 bpm = 4.2666 beats: LV2 bar 1 (from 0), barBeat 1.2666.
    r.must("transport locate 96000");
    BOOST_CHECK(waitFor([&] { return val("frame") == 96000.0 && val("bpm") == 128.0; }, 3000ms));
    BOOST_CHECK_EQUAL(val("speed"), 0.0);
    BOOST_CHECK_EQUAL(val("beats_per_bar"), 3.0);
    BOOST_CHECK_EQUAL(val("beat_unit"), 4.0);
    BOOST_CHECK_EQUAL(val("bar"), 1.0);
    const Bbt e = expectedBbt(96000, 128, 3);
    BOOST_CHECK_CLOSE(val("bar_beat"), e.beat - 1 + e.tick / 1920.0, 1e-4);
    BOOST_CHECK_EQUAL(val("keys"), 8.0);
    BOOST_CHECK_EQUAL(val("event_time"), 0.0);
    BOOST_CHECK(waitFor([&] { return std::fabs(delayMs() - 60000.0 / 128.0) < 1e-3; }, 3000ms));
    const double d128 = delayMs(); // outside the message: the read logs its own check
    BOOST_TEST_MESSAGE("ZamDelay at 128 bpm: " << d128 << " ms");
    // Stopped and unchanged: no new positions (the host sends on change only).
    const double before = val("positions");
    r.sink->record(256, 4800);
    BOOST_CHECK_EQUAL(val("positions"), before);
    // Rolling: speed 1; the position is sent at the start, not every cycle (again only
    // when JACK's frame jumps, which a late cycle can make it do).
    r.must("transport start");
    BOOST_CHECK(waitFor([&] { return val("speed") == 1.0; }, 3000ms));
    const double rolling = val("positions");
    r.sink->record(256, 9600); // 0.2 s = ~37 cycles
    BOOST_CHECK_LE(val("positions"), rolling + 4.0);
    // A tempo change while rolling reaches the plugin.
    r.must("tempo 100");
    BOOST_CHECK(waitFor([&] { return val("bpm") == 100.0; }, 3000ms));
    BOOST_CHECK(waitFor([&] { return std::fabs(delayMs() - 600.0) < 1e-3; }, 3000ms));
    const double d100 = delayMs(); // outside the message: the read logs its own check
    BOOST_TEST_MESSAGE("ZamDelay at 100 bpm: " << d100 << " ms");
    r.must("transport stop");
    BOOST_CHECK(waitFor([&] { return val("speed") == 0.0; }, 3000ms));
    // Without a timebase master: frame and speed only.
    r.must("timebase off");
    BOOST_CHECK(waitFor([&] { return val("keys") == 2.0; }, 3000ms));
    BOOST_CHECK_EQUAL(val("bar"), -1.0);
    BOOST_CHECK_EQUAL(val("bad_types"), 0.0);
    BOOST_CHECK_EQUAL(val("other_events"), 0.0);
    r.must("remove strip 1 1");
    r.must("remove strip 2 1");
    r.must("tempo 120");
    r.must("meter 4 4");
}

BOOST_AUTO_TEST_CASE(transport_settings_saved_restored_and_over_osc)
{
    Rig& r = *g_rig;
    r.neutral();
    TransportClient probe(r.server);
    r.must("transport stop");
    r.must("tempo 128");
    r.must("meter 7 8");
    r.must("timebase on");
    const fs::path a = r.dir / "tempo.json";
    r.must("save " + a.string());
    const std::string text = readText(a);
    BOOST_CHECK(text.find("\"transport\"") != std::string::npos);
    BOOST_CHECK(text.find("\"timebaseMaster\": true") != std::string::npos);
    BOOST_CHECK(text.find("\"bpm\": 128") != std::string::npos);
    BOOST_CHECK(text.find("\"beatsPerBar\": 7") != std::string::npos);
    BOOST_CHECK(text.find("\"beatType\": 8") != std::string::npos);
    // Change everything, then load: tempo, meter and timebase come back, in JACK too.
    r.must("tempo 90");
    r.must("meter 4 4");
    r.must("timebase off");
    BOOST_CHECK(waitFor([&] { return (probe.query().valid & JackPositionBBT) == 0; }, 3000ms));
    const std::string lr = r.console->cmd("load " + a.string());
    BOOST_REQUIRE_MESSAGE(r.ok(lr), lr);
    BOOST_CHECK_EQUAL(r.console->cmd("tempo"), "ok tempo 128");
    BOOST_CHECK_EQUAL(r.console->cmd("meter"), "ok meter 7/8");
    BOOST_CHECK_EQUAL(r.console->cmd("timebase"), "ok timebase master");
    BOOST_CHECK_MESSAGE(waitFor([&] { return TransportClient::matches(probe.query(), 128, 7, 8); }, 3000ms),
                        describe(probe.query()));
    // The issue's snake_case spelling loads too; bad values are refused, file untouched.
    std::string snake = text;
    for (auto [from, to] : {std::pair<std::string, std::string>{"\"timebaseMaster\": true", "\"timebase_master\": false"},
                            {"\"beatsPerBar\": 7", "\"beats_per_bar\": 5"},
                            {"\"beatType\": 8", "\"beat_type\": 4"},
                            {"\"bpm\": 128", "\"bpm\": 100"}})
        snake.replace(snake.find(from), from.size(), to);
    const fs::path b = r.dir / "tempo-snake.json";
    writeText(b, snake);
    BOOST_REQUIRE(r.ok(r.console->cmd("load " + b.string())));
    BOOST_CHECK_EQUAL(r.console->cmd("tempo"), "ok tempo 100");
    BOOST_CHECK_EQUAL(r.console->cmd("meter"), "ok meter 5/4");
    BOOST_CHECK_EQUAL(r.console->cmd("timebase"), "ok timebase off");
    std::string wrong = text;
    const auto bpmAt = wrong.find("\"bpm\": 128"); // 128 or 128.0, whichever the writer chose
    wrong.replace(bpmAt, wrong.find_first_of(",\n}", bpmAt) - bpmAt, "\"bpm\": -5");
    writeText(b, wrong);
    BOOST_CHECK(r.console->cmd("load " + b.string()).find("transport") != std::string::npos);
    BOOST_CHECK_EQUAL(r.console->cmd("tempo"), "ok tempo 100");

    // OSC: the same commands by path.
    lo_server srv = lo_server_new(nullptr, nullptr);
    BOOST_REQUIRE(srv);
    OscReply got;
    lo_server_add_method(srv, nullptr, nullptr, &onOscReply, &got);
    lo_address console = lo_address_new("127.0.0.1", std::to_string(r.oscPort).c_str());
    lo_timetag now{0, 1};
    auto wait = [&](std::size_t n) {
        return waitFor([&] {
            lo_server_recv_noblock(srv, 10);
            return got.replies.size() >= n;
        }, 5000ms);
    };
    lo_send_from(console, srv, now, "/mixwright/tempo", "f", 140.f);
    BOOST_REQUIRE(wait(1));
    BOOST_CHECK_EQUAL(got.replies[0], "ok tempo 140");
    lo_send_from(console, srv, now, "/mixwright/meter", "ii", 6, 8);
    BOOST_REQUIRE(wait(2));
    BOOST_CHECK_EQUAL(got.replies[1], "ok meter 6/8");
    lo_send_from(console, srv, now, "/mixwright/timebase", "s", "on");
    BOOST_REQUIRE(wait(3));
    BOOST_CHECK_EQUAL(got.replies[2], "ok timebase master");
    BOOST_CHECK_MESSAGE(waitFor([&] { return TransportClient::matches(probe.query(), 140, 6, 8); }, 3000ms),
                        describe(probe.query()));
    lo_send_from(console, srv, now, "/mixwright/timebase", "F");
    BOOST_REQUIRE(wait(4));
    BOOST_CHECK_EQUAL(got.replies[3], "ok timebase off");
    lo_address_free(console);
    lo_server_free(srv);
    r.must("tempo 120");
    r.must("meter 4 4");
}

namespace {

std::vector<std::string> wordsOf(const std::string& s)
{
    std::istringstream ss(s);
    std::vector<std::string> w;
    std::string x;
    while (ss >> x)
        w.push_back(x);
    return w;
}

struct Wav {
    int channels = 0;
    std::vector<float> data;
    sf_count_t frames() const { return channels ? static_cast<sf_count_t>(data.size()) / channels : 0; }
};

Wav readWav(const std::string& path)
{
    SF_INFO info{};
    SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
    BOOST_REQUIRE_MESSAGE(f, "cannot read " << path << ": " << sf_strerror(nullptr));
    Wav w;
    w.channels = info.channels;
    w.data.resize(static_cast<std::size_t>(info.frames * info.channels));
    BOOST_CHECK_EQUAL(sf_readf_float(f, w.data.data(), info.frames), info.frames);
    sf_close(f);
    return w;
}

} // namespace

BOOST_AUTO_TEST_CASE(recording_bit_exact_and_frame_aligned)
{
    // Strip 1: impulses of 0.25 every 4096 frames, hard left; strip 2: DC 0.5, hard
    // right; balance law, 0 dB: the master's L is strip 1 and its R is strip 2.
    Rig& r = *g_rig;
    r.neutral();
    r.must("set strip 1 pan -100");
    r.must("set strip 2 pan 100");
    r.src->impulses(0, 0.25f);
    r.src->dc(1, 0.5f);
    r.sink->record(256, 4800);
    r.must("record arm strip 1 on");
    r.must("record arm strip 2 on");
    r.must("record arm master on");
    const std::string start = r.console->cmd("record start");
    BOOST_REQUIRE_MESSAGE(start.rfind("ok recording take", 0) == 0, start);
    const auto w = wordsOf(start);
    BOOST_REQUIRE_EQUAL(w.size(), 7u);
    const std::string f1 = w[4], f2 = w[5], fm = w[6];
    r.sink->record(256, 14400); // about 0.3 s of audio
    const std::string stop = r.console->cmd("record stop");
    BOOST_TEST_MESSAGE(stop);
    BOOST_REQUIRE(stop.rfind("ok take", 0) == 0);
    const Wav s1 = readWav(f1), s2 = readWav(f2), m = readWav(fm);
    BOOST_TEST_MESSAGE("frames: strip1 " << s1.frames() << ", strip2 " << s2.frames() << ", master " << m.frames());
    BOOST_CHECK_EQUAL(s1.channels, 1);
    BOOST_CHECK_EQUAL(m.channels, 2);
    BOOST_CHECK_GT(s1.frames(), 9600);
    BOOST_CHECK_EQUAL(s1.frames(), s2.frames());
    BOOST_CHECK_EQUAL(s1.frames(), m.frames());
    // Bit-exact: strip 2 is 0.5 throughout; strip 1 is 0 or 0.25 on one residue.
    std::size_t bad2 = 0, impulses = 0, bad1 = 0, badM = 0;
    long residue = -1;
    for (std::size_t i = 0; i < s2.data.size(); ++i)
        bad2 += s2.data[i] != 0.5f;
    for (std::size_t i = 0; i < s1.data.size(); ++i) {
        if (s1.data[i] == 0.25f) {
            ++impulses;
            const long res = static_cast<long>(i % Source::kPeriod);
            bad1 += residue >= 0 && res != residue;
            residue = res;
        } else {
            bad1 += s1.data[i] != 0.f;
        }
    }
    // Frame-aligned: the master's L equals strip 1 sample for sample, R is strip 2.
    for (std::size_t i = 0; i < s1.data.size() && 2 * i + 1 < m.data.size(); ++i)
        badM += m.data[2 * i] != s1.data[i] || m.data[2 * i + 1] != s2.data[i];
    BOOST_TEST_MESSAGE("strip 1 impulses " << impulses << " at residue " << residue);
    BOOST_CHECK_EQUAL(bad2, 0u);
    BOOST_CHECK_EQUAL(bad1, 0u);
    BOOST_CHECK_GE(impulses, 2u);
    BOOST_CHECK_EQUAL(badM, 0u);
    BOOST_CHECK(stop.find(".log") != std::string::npos);
    for (const char* a : {"record arm strip 1 off", "record arm strip 2 off", "record arm master off"})
        r.must(a);
    r.src->silence();
}

BOOST_AUTO_TEST_CASE(recording_follows_transport)
{
    Rig& r = *g_rig;
    r.must("transport stop");
    BOOST_REQUIRE(waitFor([&] { return r.console->cmd("transport state").rfind("ok stopped", 0) == 0; }, 3000ms));
    r.must("record arm strip 1 on");
    r.must("record follow on");
    r.must("transport start");
    BOOST_CHECK(waitFor([&] { return r.console->cmd("record state").rfind("ok recording", 0) == 0; }, 3000ms));
    r.must("transport stop");
    BOOST_CHECK(waitFor([&] { return r.console->cmd("record state") == "ok stopped"; }, 3000ms));
    r.must("record follow off");
    r.must("record arm strip 1 off");
}

BOOST_AUTO_TEST_CASE(recording_on_a_full_disk_stops_the_take_cleanly)
{
    // RLIMIT_FSIZE 64 KiB for a second console: a mono float take fills it in ~0.3 s.
    Rig& r = *g_rig;
    const fs::path dir = r.dir / "full";
    rlimit saved{};
    ::getrlimit(RLIMIT_FSIZE, &saved);
    rlimit small = saved;
    small.rlim_cur = 64 * 1024;
    BOOST_REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
    Child c({r.exe, "--server", r.server, "--name", "mwfull", "--no-connect", "--no-live-meters", "--record-dir",
             dir.string(), "--demo"},
            r.dir / "console-full.log", true);
    ::setrlimit(RLIMIT_FSIZE, &saved);
    BOOST_REQUIRE(r.ok(c.cmd("record arm strip 1 on", 60000ms)));
    const std::string start = c.cmd("record start");
    BOOST_REQUIRE_MESSAGE(start.rfind("ok recording", 0) == 0, start);
    BOOST_CHECK(waitFor([&] { return c.cmd("record state").find("failed") != std::string::npos; }, 5000ms));
    BOOST_CHECK(c.cmd("strips").rfind("ok 4 strips", 0) == 0); // still running
    const std::string stop = c.cmd("record stop");
    BOOST_TEST_MESSAGE(stop);
    BOOST_CHECK(stop.find("failed") != std::string::npos);
    const auto w = wordsOf(start);
    const Wav wav = readWav(w.back());
    BOOST_TEST_MESSAGE("full-disk take: " << wav.frames() << " frames kept");
    BOOST_CHECK_GT(wav.frames(), 4800);
    BOOST_CHECK(readText(r.dir / "console-full.log").find("stopped") != std::string::npos);
    BOOST_CHECK(r.ok(c.cmd("quit")));
    BOOST_CHECK_EQUAL(c.wait(30000ms), 0);
}

namespace {

/// "ok loudness momentary -6.021 shortterm ..." as name -> value.
std::map<std::string, double> loudnessOf(const std::string& reply)
{
    std::map<std::string, double> v;
    std::istringstream ss(reply);
    std::string ok, what, key, val;
    ss >> ok >> what;
    while (ss >> key >> val)
        v[key] = std::strtod(val.c_str(), nullptr);
    return v;
}

} // namespace

BOOST_AUTO_TEST_CASE(master_loudness_matches_the_lib_meter)
{
    // Strip 1 (mono, centre, balance law: unity to both sides) carries a 1 kHz sine of
    // amplitude 0.5, so the master is that sine on L and R. Reference: the lib's
    // LoudnessMeter run offline on the same samples (4 s), and the closed form: a
    // 1 kHz sine reads -3.01 LUFS per channel at full scale (BS.1770 is normalised so),
    // so two channels at amplitude A read 20 log10(A) LUFS, true peak 20 log10(A).
    Rig& r = *g_rig;
    r.neutral();
    r.must("set master fader 0");
    constexpr float kAmp = 0.5f;
    r.src->sine(0, kAmp);
    r.sink->record(256, 4800); // fader ramps settled
    std::map<std::string, double> v;
    const bool clean = withoutXrun(*r.console, 8, "loudness", [&] {
        BOOST_REQUIRE_EQUAL(r.console->cmd("reset loudness"), "ok loudness reset");
        BOOST_REQUIRE(waitFor([&] {
            v = loudnessOf(r.console->cmd("loudness"));
            return v["seconds"] >= 4.0;
        }, 30000ms));
    });
    mixwright::dsp::LoudnessMeter ref;
    ref.prepare(48000.0, 2);
    std::vector<float> x(4 * 48000);
    for (std::size_t k = 0; k < x.size(); ++k)
        x[k] = Source::sineAt(k, kAmp);
    const float* in[2] = {x.data(), x.data()};
    ref.process(in, static_cast<uint32_t>(x.size()));
    const double closed = 20.0 * std::log10(static_cast<double>(kAmp));
    BOOST_TEST_MESSAGE(r.console->cmd("loudness"));
    BOOST_TEST_MESSAGE("console: M " << v["momentary"] << " S " << v["shortterm"] << " I " << v["integrated"]
                       << " LRA " << v["range"] << " TP " << v["truepeak"] << " corr " << v["correlation"]
                       << " after " << v["seconds"] << " s, dropped " << v["dropped"]);
    BOOST_TEST_MESSAGE("lib offline: M " << ref.momentary() << " S " << ref.shortTerm() << " I " << ref.integrated()
                       << " LRA " << ref.loudnessRange() << " TP " << ref.truePeak() << " corr "
                       << ref.correlation() << "; closed form " << closed);
    BOOST_TEST_MESSAGE("differences console - lib: I " << v["integrated"] - ref.integrated() << " M "
                       << v["momentary"] - ref.momentary() << " S " << v["shortterm"] - ref.shortTerm() << " TP "
                       << v["truepeak"] - ref.truePeak());
    BOOST_CHECK_SMALL(v["integrated"] - ref.integrated(), 0.01);
    BOOST_CHECK_SMALL(v["momentary"] - ref.momentary(), 0.01);
    BOOST_CHECK_SMALL(v["shortterm"] - ref.shortTerm(), 0.01);
    // A step left by an xrun raises the true peak (overshoot) but never lowers the
    // maximum of a steady sine: exact only for a clean measurement.
    if (clean)
        BOOST_CHECK_SMALL(v["truepeak"] - ref.truePeak(), 0.01);
    else
        BOOST_TEST_MESSAGE("every measurement had xruns (machine loaded): true peak checked as >= the reference");
    BOOST_CHECK_GE(v["truepeak"], ref.truePeak() - 0.01);
    BOOST_CHECK_SMALL(v["range"] - ref.loudnessRange(), 0.01);
    BOOST_CHECK_SMALL(v["correlation"] - 1.0, 1e-3);
    BOOST_CHECK_EQUAL(v["dropped"], 0.0);
    BOOST_CHECK_SMALL(ref.integrated() - closed, 0.05);
    BOOST_CHECK_SMALL(v["integrated"] - closed, 0.05);
    BOOST_CHECK_SMALL(ref.truePeak() - closed, 0.05);
    if (clean)
        BOOST_CHECK_SMALL(v["truepeak"] - closed, 0.05);
    // Published at >= 30 Hz: over 1 s of queries, at least 30 different readings.
    {
        std::set<double> seen;
        const auto end = Clock::now() + 1000ms;
        while (Clock::now() < end)
            seen.insert(loudnessOf(r.console->cmd("loudness"))["seconds"]);
        BOOST_TEST_MESSAGE("distinct readings in 1 s: " << seen.size());
        BOOST_CHECK_GE(seen.size(), 30u);
    }
    // The meters command and the OSC query carry the same readings.
    const std::string meters = r.console->cmd("meters");
    BOOST_TEST_MESSAGE(meters);
    BOOST_CHECK(meters.find("| loudness M ") != std::string::npos);
    lo_server srv = lo_server_new(nullptr, nullptr);
    BOOST_REQUIRE(srv);
    OscReply got;
    lo_server_add_method(srv, nullptr, nullptr, &onOscReply, &got);
    lo_address console = lo_address_new("127.0.0.1", std::to_string(r.oscPort).c_str());
    lo_timetag now{0, 1};
    lo_send_from(console, srv, now, "/mixwright/loudness", "");
    BOOST_REQUIRE(waitFor([&] {
        lo_server_recv_noblock(srv, 10);
        return !got.replies.empty();
    }, 5000ms));
    BOOST_CHECK(got.replies[0].rfind("ok loudness momentary", 0) == 0);
    BOOST_REQUIRE_EQUAL(got.values.size(), 8u); // M S I LRA TPmax SPmax corr seconds
    BOOST_CHECK_SMALL(static_cast<double>(got.values[2]) - ref.integrated(), 0.01);
    BOOST_CHECK_GE(static_cast<double>(got.values[4]), ref.truePeak() - 0.01); // a maximum (see above)
    // Reset over OSC: silence first, then the integration restarts empty.
    r.src->silence();
    r.sink->record(256, 24000); // 0.5 s: the momentary window is past the sine
    lo_send_from(console, srv, now, "/mixwright/reset/loudness", "");
    BOOST_REQUIRE(waitFor([&] {
        lo_server_recv_noblock(srv, 10);
        return got.replies.size() >= 2;
    }, 5000ms));
    BOOST_CHECK_EQUAL(got.replies[1], "ok loudness reset");
    BOOST_REQUIRE(waitFor([&] {
        v = loudnessOf(r.console->cmd("loudness"));
        return v["seconds"] >= 1.0 && v["seconds"] < 4.0;
    }, 10000ms));
    BOOST_TEST_MESSAGE("after reset in silence: " << r.console->cmd("loudness"));
    BOOST_CHECK_EQUAL(v["integrated"], -120.0);
    BOOST_CHECK_EQUAL(v["truepeak"], -120.0);
    BOOST_CHECK_EQUAL(v["momentary"], -120.0);
    lo_address_free(console);
    lo_server_free(srv);
}

BOOST_AUTO_TEST_CASE(recording_formats_wav_w64_flac)
{
    // Strip 1 carries a 1 kHz sine of amplitude 0.7 (48 samples a period, sample k =
    // Source::sineAt(k)). Each container and sample format is recorded and read back
    // with libsndfile: float is bit-exact, 24- and 16-bit are within half a step
    // (2^-24, 2^-16: libsndfile rounds to the nearest step when clipping is on).
    Rig& r = *g_rig;
    r.neutral();
    constexpr float kAmp = 0.7f;
    r.src->sine(0, kAmp);
    r.sink->record(256, 2400);
    r.must("record arm strip 1 on");
    const std::string bad = r.console->cmd("record format flac float");
    BOOST_TEST_MESSAGE("flac float -> " << bad);
    BOOST_CHECK(bad.rfind("error: FLAC cannot hold 32-bit float", 0) == 0);
    BOOST_CHECK(r.console->cmd("record format ogg").rfind("error: unknown container", 0) == 0);
    struct Case {
        std::string format, ext;
        int major, minor, bits; // bits 0: float
    };
    const std::vector<Case> cases = {
        {"wav float", ".wav", SF_FORMAT_WAV, SF_FORMAT_FLOAT, 0},
        {"wav 24", ".wav", SF_FORMAT_WAV, SF_FORMAT_PCM_24, 24},
        {"wav 16", ".wav", SF_FORMAT_WAV, SF_FORMAT_PCM_16, 16},
        {"w64 float", ".w64", SF_FORMAT_W64, SF_FORMAT_FLOAT, 0},
        {"w64 24", ".w64", SF_FORMAT_W64, SF_FORMAT_PCM_24, 24},
        {"w64 16", ".w64", SF_FORMAT_W64, SF_FORMAT_PCM_16, 16},
        {"flac:24", ".flac", SF_FORMAT_FLAC, SF_FORMAT_PCM_24, 24},
        {"flac 16", ".flac", SF_FORMAT_FLAC, SF_FORMAT_PCM_16, 16},
    };
    for (const auto& c : cases) {
        std::string file;
        const bool clean = withoutXrun(*r.console, 4, c.format + " take", [&] {
            const std::string set = r.console->cmd("record format " + c.format);
            BOOST_REQUIRE_MESSAGE(set.rfind("ok record format ", 0) == 0, set);
            const std::string start = r.console->cmd("record start");
            BOOST_REQUIRE_MESSAGE(start.rfind("ok recording take", 0) == 0, start);
            file = wordsOf(start).back();
            r.sink->record(256, 9600); // about 0.2 s
            const std::string stop = r.console->cmd("record stop");
            BOOST_REQUIRE_MESSAGE(stop.rfind("ok take", 0) == 0, stop);
        });
        BOOST_WARN_MESSAGE(clean, c.format << ": every take had an xrun (machine loaded): not checked");
        if (!clean)
            continue;
        BOOST_CHECK_EQUAL(fs::path(file).extension().string(), c.ext);
        SF_INFO info{};
        SNDFILE* f = sf_open(file.c_str(), SFM_READ, &info);
        BOOST_REQUIRE_MESSAGE(f, "cannot read " << file << ": " << sf_strerror(nullptr));
        BOOST_CHECK_EQUAL(info.format & SF_FORMAT_TYPEMASK, c.major);
        BOOST_CHECK_EQUAL(info.format & SF_FORMAT_SUBMASK, c.minor);
        BOOST_CHECK_EQUAL(info.channels, 1);
        BOOST_CHECK_EQUAL(info.samplerate, 48000);
        std::vector<float> x(static_cast<std::size_t>(info.frames));
        BOOST_CHECK_EQUAL(sf_readf_float(f, x.data(), info.frames), info.frames);
        sf_close(f);
        BOOST_CHECK_GT(x.size(), 4800u);
        // The take starts on an unknown frame of the sine: take the phase that fits.
        double best = 1e9;
        for (uint64_t k = 0; k < Source::kSinePeriod && !x.empty(); ++k) {
            double worst = 0.0;
            for (std::size_t i = 0; i < x.size(); ++i)
                worst = std::max(worst, std::fabs(static_cast<double>(x[i]) - Source::sineAt(k + i, kAmp)));
            best = std::min(best, worst);
        }
        const double step = c.bits ? std::ldexp(1.0, -(c.bits - 1)) : 0.0;
        BOOST_TEST_MESSAGE(c.format << ": " << file << ", " << x.size() << " frames, worst error " << best
                           << (c.bits ? " = " + std::to_string(best / step) + " steps" : std::string(" (float)")));
        if (c.bits == 0)
            BOOST_CHECK_MESSAGE(best == 0.0, c.format << ": not bit-exact (worst error " << best << ")");
        else
            BOOST_CHECK_MESSAGE(best <= 0.5 * step * (1.0 + 1e-6),
                                c.format << ": error " << best / step << " steps");
    }
    // The format is part of the session.
    r.must("record format w64 16");
    const fs::path sess = r.dir / "formats.json";
    r.must("save " + sess.string());
    const std::string text = readText(sess);
    BOOST_CHECK(text.find("\"container\": \"w64\"") != std::string::npos);
    BOOST_CHECK(text.find("\"sample\": \"16\"") != std::string::npos);
    // A session asking for float FLAC is refused with the reason, nothing changes.
    std::string badText = text;
    badText.replace(badText.find("\"w64\""), 5, "\"flac\"");
    badText.replace(badText.find("\"sample\": \"16\""), 14, "\"sample\": \"float\"");
    writeText(r.dir / "formats-bad.json", badText);
    const std::string load = r.console->cmd("load " + (r.dir / "formats-bad.json").string());
    BOOST_TEST_MESSAGE(load);
    BOOST_CHECK(load.find("FLAC cannot hold 32-bit float") != std::string::npos);
    BOOST_CHECK_EQUAL(r.console->cmd("record format"), "ok record format w64:16");
    // And on the command line: refused before anything starts (usage error, exit 2).
    Child opt({r.exe, "--record-format", "flac:float", "--server", r.server}, r.dir / "console-format.log", false);
    BOOST_CHECK_EQUAL(opt.wait(10000ms), 2);
    BOOST_CHECK(readText(r.dir / "console-format.log").find("FLAC cannot hold 32-bit float") != std::string::npos);
    r.must("record format wav float");
    r.must("record arm strip 1 off");
    r.src->silence();
}

namespace {

struct NsmServer {
    std::vector<std::string> paths; // OSC paths received
    std::vector<std::string> replies; // first string argument of /reply and /error
    lo_address client = nullptr;
};

int onNsm(const char* path, const char* types, lo_arg** argv, int argc, lo_message msg, void* user)
{
    auto* n = static_cast<NsmServer*>(user);
    n->paths.emplace_back(path);
    if (std::strcmp(path, "/nsm/server/announce") == 0 && !n->client) {
        lo_address src = lo_message_get_source(msg);
        n->client = lo_address_new_from_url(lo_address_get_url(src));
    }
    if ((std::strcmp(path, "/reply") == 0 || std::strcmp(path, "/error") == 0) && argc >= 1 && types[0] == 's')
        n->replies.emplace_back(std::string(path) + " " + oscString(argv[0]));
    return 0;
}

} // namespace

BOOST_AUTO_TEST_CASE(nsm_open_and_save)
{
    // This test plays the session manager: the console announces, gets open with a
    // path and a client id (its JACK name), and saves on /nsm/client/save.
    Rig& r = *g_rig;
    lo_server srv = lo_server_new_with_proto(nullptr, LO_UDP, nullptr);
    BOOST_REQUIRE(srv);
    NsmServer nsm;
    lo_server_add_method(srv, nullptr, nullptr, &onNsm, &nsm);
    const std::string url = "osc.udp://127.0.0.1:" + std::to_string(lo_server_get_port(srv)) + "/";
    ::setenv("NSM_URL", url.c_str(), 1);
    Child c({r.exe, "--server", r.server, "--no-connect", "--no-live-meters"}, r.dir / "console-nsm.log", true);
    ::unsetenv("NSM_URL");
    auto until = [&](auto pred) {
        return waitFor([&] {
            lo_server_recv_noblock(srv, 10);
            return pred();
        }, 60000ms);
    };
    BOOST_REQUIRE(until([&] { return nsm.client != nullptr; }));
    const fs::path base = r.dir / "nsm" / "Mixwright.mwnsm";
    fs::create_directories(base.parent_path());
    lo_timetag now{0, 1};
    lo_send_from(nsm.client, srv, now, "/nsm/client/open", "sss", base.c_str(), "Mixwright", "mwnsm");
    BOOST_REQUIRE(until([&] { return !nsm.replies.empty(); }));
    BOOST_CHECK_EQUAL(nsm.replies[0], "/reply /nsm/client/open");
    jack_port_t* p = jack_port_by_name(r.src->client(), "mwnsm:master_l");
    BOOST_CHECK_MESSAGE(p != nullptr, "the JACK client is named by NSM's client id");
    BOOST_CHECK(fs::exists(base.string() + ".json"));
    BOOST_REQUIRE(r.ok(c.cmd("set strip 1 fader -9")));
    lo_send_from(nsm.client, srv, now, "/nsm/client/save", "");
    BOOST_REQUIRE(until([&] { return nsm.replies.size() >= 2; }));
    BOOST_CHECK_EQUAL(nsm.replies[1], "/reply /nsm/client/save");
    BOOST_CHECK(readText(base.string() + ".json").find("-9.0") != std::string::npos);
    c.signal(SIGTERM); // how NSM stops a client
    BOOST_CHECK_EQUAL(c.wait(30000ms), 0);
    lo_address_free(nsm.client);
    lo_server_free(srv);
}

BOOST_AUTO_TEST_CASE(server_killed_console_exits_cleanly)
{
    // The last test: kill the shared server (a second private server is not always
    // possible: jackd2 allows 8 servers per machine, shared with other test runs).
    // SIGTERM: a SIGKILLed jackd would leave its registry entry behind for good.
    Rig& r = *g_rig;
    BOOST_REQUIRE(r.ok(r.console->cmd("strips")));
    r.jackd->signal(SIGTERM);
    const int rc = r.console->wait(30000ms);
    BOOST_CHECK_EQUAL(rc, 3);
    BOOST_CHECK_EQUAL(r.jackd->wait(60000ms), 0);
    BOOST_CHECK(readText(r.dir / "console.log").find("gone away") != std::string::npos);
    for (const auto& e : fs::directory_iterator("/dev/shm"))
        if (e.path().filename().string().find(r.server + "_") != std::string::npos)
            fs::remove_all(e.path());
}

BOOST_AUTO_TEST_SUITE_END()
