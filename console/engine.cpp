// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC

#include "engine.hpp"

#include "recorder.hpp"

#include "mixwright/dsp/utility.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstring>
#include <thread>
#include <time.h>
#include <vector>

namespace mixwright::console {

namespace {

constexpr float kOffDb = -120.f;

float gainOf(float db) noexcept { return db <= kOffDb ? 0.f : dsp::dbToGain(db); }

void prepareSmoother(dsp::LinearSmoother& s, double rate, float value)
{
    s.prepare(rate, kSmoothMs);
    s.reset(value);
}

void setBit(uint64_t& mask, int bit, bool on) noexcept
{
    const uint64_t b = uint64_t{1} << bit;
    mask = on ? mask | b : mask & ~b;
}

/// Both channels' compensation delays to `samples` (0 for anything not positive or
/// not a number; at most kMaxPdc); they crossfade to it (see FadingDelay).
void setDelays(std::array<dsp::FadingDelay, 2>& lines, float samples) noexcept REALTIME
{
    const uint32_t d = samples > 0.f ? static_cast<uint32_t>(std::min(samples, static_cast<float>(kMaxPdc))) : 0u;
    for (auto& line : lines)
        line.setDelay(d);
}

uint32_t pdcFade(double rate)
{
    return static_cast<uint32_t>(std::lround(kPdcFadeMs * 0.001 * rate));
}

void prepareBus(Bus& b, double rate)
{
    prepareSmoother(b.fader, rate, 1.f);
    for (auto& d : b.comp)
        d.prepare(kMaxPdc, pdcFade(rate));
    b.l.assign(kMaxBlock, 0.f);
    b.r.assign(kMaxBlock, 0.f);
}

uint64_t nowNs() noexcept
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); // vDSO: no system call, no lock
    return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

/// x[i] *= g.next() on both channels. A settled smoother is a constant (what next()
/// would return n times), so the loop vectorises; a settled 1 changes nothing (x 1 == x).
void applyGain(dsp::LinearSmoother& g, float* l, float* r, uint32_t n) noexcept REALTIME
{
    if (g.smoothing()) {
        for (uint32_t i = 0; i < n; ++i) {
            const float v = g.next();
            l[i] *= v;
            r[i] *= v;
        }
        return;
    }
    const float v = g.current();
    if (v == 1.f)
        return;
    for (uint32_t i = 0; i < n; ++i) {
        l[i] *= v;
        r[i] *= v;
    }
}

/// An input port's samples (non-finite ones as 0), or silence without a port.
void readInput(float* dst, const float* src, uint32_t n) noexcept REALTIME
{
    if (src == nullptr) {
        std::fill_n(dst, n, 0.f);
        return;
    }
    for (uint32_t i = 0; i < n; ++i)
        dst[i] = rt::finiteOrZero(src[i]);
}

/// Median cost of a pair of back-to-back nowNs() reads (subtracted from each timed
/// run, as mixwright-bench does with its clock).
int64_t clockPairNs()
{
    std::vector<int64_t> d(2001);
    for (auto& x : d) {
        const uint64_t t0 = nowNs();
        x = static_cast<int64_t>(nowNs() - t0);
    }
    std::nth_element(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(d.size() / 2), d.end());
    return d[d.size() / 2];
}

} // namespace

// --- Chain -------------------------------------------------------------------------

void Chain::prepare()
{
    latency = 0;
    reported = std::make_unique<std::atomic<uint32_t>[]>(inserts.size());
    runs.clear();
    inPool.clear();
    outPool.clear();
    for (auto& ins : inserts) {
        const auto index = static_cast<uint32_t>(&ins - inserts.data());
        if (!ins.placeholder)
            for (std::size_t k = 0; k < ins.instances.size(); ++k) {
                host::Plugin& p = *ins.instances[k];
                const Feed feed = ins.monoPair ? (k == 0 ? Feed::PairLeft : Feed::PairRight)
                                  : ins.monoToStereo ? Feed::MonoToStereo
                                                     : Feed::Stereo;
                runs.push_back({&p, index, static_cast<uint32_t>(inPool.size()), static_cast<uint32_t>(outPool.size()),
                                static_cast<uint16_t>(p.audioInputs()), static_cast<uint16_t>(p.audioOutputs()), feed});
                inPool.resize(inPool.size() + p.audioInputs(), nullptr);
                outPool.resize(outPool.size() + p.audioOutputs(), nullptr);
            }
        latency += ins.latency;
        reported[index].store(ins.latency, std::memory_order_relaxed);
    }
}

std::array<float*, 2> Chain::process(float* l, float* r, float* sl, float* sr, uint32_t n,
                                     const host::TransportPosition* transport, InsertTimes* times,
                                     int64_t clockNs) noexcept REALTIME
{
    // Ping-pong: each plugin reads one buffer pair and writes the other (never in
    // place), so nothing is copied between inserts, nor after the last one: the
    // caller goes on with the pair that holds the result.
    float* cur[2] = {l, r};
    float* other[2] = {sl, sr};
    for (std::size_t k = 0; k < runs.size(); ++k) {
        const Run& run = runs[k];
        const float** in = inPool.data() + run.in;
        float** out = outPool.data() + run.out;
        const bool right = run.feed == Feed::PairRight;
        if (run.ins > 0)
            in[0] = cur[right ? 1 : 0];
        if (run.feed == Feed::Stereo && run.ins > 1)
            in[1] = cur[1];
        if (run.outs > 0)
            out[0] = other[right ? 1 : 0];
        if ((run.feed == Feed::Stereo || run.feed == Feed::MonoToStereo) && run.outs > 1)
            out[1] = other[1];
        const uint64_t t0 = times ? nowNs() : 0;
        run.plugin->run(in, out, n, transport);
        if (times && run.insert < kMaxTimedInserts) {
            times->ns[run.insert].fetch_add(static_cast<int64_t>(nowNs() - t0) - clockNs, std::memory_order_relaxed);
            times->runs[run.insert].fetch_add(1, std::memory_order_relaxed);
        }
        if (run.feed == Feed::PairLeft)
            continue; // the right channel's instance follows
        if (run.feed != Feed::PairRight && run.outs == 1)
            std::copy_n(other[0], n, other[1]);
        std::swap(cur[0], other[0]);
        std::swap(cur[1], other[1]);
        // An insert's latency is its first instance's (the left one of a pair).
        const host::Plugin* first = run.feed == Feed::PairRight ? runs[k - 1].plugin : run.plugin;
        reported[run.insert].store(first->reportedLatency(), std::memory_order_relaxed);
    }
    return {cur[0], cur[1]};
}

void Chain::prefetch() const noexcept REALTIME
{
    __builtin_prefetch(runs.data());
    __builtin_prefetch(inPool.data());
    __builtin_prefetch(outPool.data());
    __builtin_prefetch(reported.get());
    for (const Run& run : runs)
        __builtin_prefetch(run.plugin);
}

uint32_t Chain::measureLatency()
{
    uint32_t total = 0;
    for (auto& ins : inserts) {
        if (!ins.placeholder && !ins.instances.empty())
            ins.latency = reported[static_cast<std::size_t>(&ins - inserts.data())].load(std::memory_order_relaxed);
        total += ins.latency;
    }
    latency = total;
    return total;
}

std::unique_ptr<Chain> buildChain(host::World& world, double rate, uint32_t block,
                                  const std::vector<Insert>& spec, std::string* notes)
{
    auto chain = std::make_unique<Chain>();
    host::InstanceOptions opt;
    opt.sampleRate = rate;
    opt.maxBlock = kMaxBlock;
    opt.nominalBlock = std::min(block, kMaxBlock);
    for (const auto& s : spec) {
        Insert ins;
        ins.uri = s.uri;
        if (!s.instances.empty() || s.placeholder) {
            ins = s; // taken over from the chain in use: same instances, same state
            chain->inserts.push_back(std::move(ins));
            continue;
        }
        std::string err;
        auto first = host::Plugin::create(world, s.uri, opt, &err);
        if (!first) {
            ins.placeholder = true;
            if (notes)
                *notes += "placeholder for " + s.uri + " (" + err + "); audio passes through\n";
            chain->inserts.push_back(std::move(ins));
            continue;
        }
        const uint32_t mi = first->mainAudioInputs(), mo = first->mainAudioOutputs();
        if (mi == 1 && mo == 1) {
            ins.monoPair = true;
            auto second = host::Plugin::create(world, s.uri, opt, &err);
            if (!second) {
                ins.placeholder = true;
                if (notes)
                    *notes += "placeholder for " + s.uri + " (second instance: " + err + ")\n";
                chain->inserts.push_back(std::move(ins));
                continue;
            }
            ins.instances.push_back(std::move(first));
            ins.instances.push_back(std::move(second));
        } else if (mi == 1 && mo == 2) {
            ins.monoToStereo = true;
            ins.instances.push_back(std::move(first));
        } else if (mi == 2 && mo == 2) {
            ins.instances.push_back(std::move(first));
        } else {
            ins.placeholder = true;
            if (notes)
                *notes += "placeholder for " + s.uri + ": " + std::to_string(mi) + " in / " +
                          std::to_string(mo) + " out audio is not supported on a strip\n";
            chain->inserts.push_back(std::move(ins));
            continue;
        }
        for (auto& p : ins.instances)
            p->activate();
        // One silent block so the latency output port holds the plugin's report.
        for (auto& p : ins.instances)
            p->run(nullptr, nullptr, opt.nominalBlock);
        ins.latency = ins.instances[0]->reportedLatency();
        chain->inserts.push_back(std::move(ins));
    }
    chain->prepare();
    return chain;
}

// --- Engine ------------------------------------------------------------------------

Engine::Engine(double sampleRate)
{
    rt_.rate = sampleRate;
    for (std::size_t i = 0; i < rt_.strips.size(); ++i) {
        Strip& s = rt_.strips[i];
        prepareSmoother(s.trim, sampleRate, 1.f);
        prepareSmoother(s.fader, sampleRate, 1.f);
        const auto g = dsp::panGains(s.panLaw, 0.f);
        prepareSmoother(s.panL, sampleRate, g.l);
        prepareSmoother(s.panR, sampleRate, g.r);
        prepareSmoother(s.mute, sampleRate, 1.f);
        for (auto& snd : s.send)
            prepareSmoother(snd, sampleRate, 0.f);
        for (auto& d : s.comp)
            d.prepare(kMaxPdc, pdcFade(sampleRate));
        rt_.demoSources[i].reset(i);
    }
    for (auto& b : rt_.aux)
        prepareBus(b, sampleRate);
    for (auto& b : rt_.groups)
        prepareBus(b, sampleRate);
    prepareBus(rt_.master, sampleRate);
    rt_.master.active = true;
    for (auto* v : {&rt_.workL, &rt_.workR, &rt_.scratchL, &rt_.scratchR})
        v->assign(kMaxBlock, 0.f);
    rt_.directL.assign(kMaxBlock, 0.f);
    rt_.directR.assign(kMaxBlock, 0.f);
    for (auto& d : rt_.directComp)
        d.prepare(kMaxPdc, pdcFade(sampleRate));
    prepareSmoother(rt_.dim, sampleRate, 1.f);
    prepareSmoother(rt_.mono, sampleRate, 0.f);
    prepareSmoother(rt_.cut, sampleRate, 1.f);
    prepareSmoother(rt_.talk, sampleRate, 0.f);
    rt_.meterPeakFall = static_cast<float>(std::exp(-1.0 / (0.3 * sampleRate)));
    rt_.meterRmsCoef = static_cast<float>(1.0 - std::exp(-1.0 / (0.3 * sampleRate)));
    const double logFall = -1.0 / (0.3 * sampleRate); // fall and keep are the same decay
    for (std::size_t k = 0; k < rt_.meterLaneDecay.size(); ++k) {
        const double age = static_cast<double>(rt_.meterLaneDecay.size() - 1 - k);
        rt_.meterLaneDecay[k] = static_cast<float>(std::exp(logFall * age));
    }
    rt_.meterChunkDecay = static_cast<float>(std::exp(logFall * static_cast<double>(rt_.meterLaneDecay.size())));
    inbox_.prepare(4096);
    garbage_.prepare(1024);
    clockNs_ = clockPairNs();
}

Engine::~Engine()
{
    // Called after the backend stopped the callback: the chains are ours again.
    collectGarbage();
    for (auto& s : rt_.strips)
        delete s.chain;
    for (auto& b : rt_.aux)
        delete b.chain;
    for (auto& b : rt_.groups)
        delete b.chain;
    delete rt_.master.chain;
}

bool Engine::post(const Message& m)
{
    if (inbox_.push(m))
        return true;
    dropped_.fetch_add(1);
    return false;
}

void Engine::collectGarbage()
{
    Chain* c = nullptr;
    while (garbage_.pop(c))
        delete c;
}

bool Engine::waitCycles(uint32_t n, int timeoutMs)
{
    const uint64_t target = cycles() + n;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (cycles() < target) {
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

void Engine::setMasterTap(MasterTap fn, void* user)
{
    tap_ = fn;
    tapUser_ = user;
}

void Engine::setTransport(const host::TransportPosition& t) noexcept REALTIME
{
    rt_.transport = t;
    rt_.haveTransport = true;
}

void Engine::timebase(host::TransportPosition& pos) noexcept REALTIME
{
    host::computeBbt(pos, rt_.rate, rt_.tempo);
}

void Engine::retire(Chain* c) noexcept REALTIME
{
    // The garbage ring is sized far beyond the chains that can be in flight; if it is
    // ever full the chain leaks rather than being freed on the audio thread.
    if (c != nullptr)
        garbage_.push(c);
}

void Engine::snapAll() noexcept REALTIME
{
    auto snap = [](dsp::LinearSmoother& s) { s.reset(s.target()); };
    for (auto& s : rt_.strips) {
        snap(s.trim);
        snap(s.fader);
        snap(s.panL);
        snap(s.panR);
        snap(s.mute);
        for (auto& x : s.send)
            snap(x);
    }
    for (auto& b : rt_.aux)
        snap(b.fader);
    for (auto& b : rt_.groups)
        snap(b.fader);
    snap(rt_.master.fader);
    // Compensation delays too (a session load, the first audio): no crossfade.
    auto jump = [](std::array<dsp::FadingDelay, 2>& d) { d[0].jumpToTarget(); d[1].jumpToTarget(); };
    for (auto& s : rt_.strips)
        jump(s.comp);
    for (auto& b : rt_.aux)
        jump(b.comp);
    for (auto& b : rt_.groups)
        jump(b.comp);
    jump(rt_.master.comp);
    jump(rt_.directComp);
    snap(rt_.dim);
    snap(rt_.mono);
    snap(rt_.cut);
    snap(rt_.talk);
}

void Engine::apply(const Message& m) noexcept REALTIME
{
    Bus* bus = nullptr;
    Strip* s = nullptr;
    switch (m.target) {
    case Target::Strip:
        if (m.index >= kMaxStrips)
            return;
        s = &rt_.strips[m.index];
        break;
    case Target::Aux:
        if (m.index >= kMaxAux)
            return;
        bus = &rt_.aux[m.index];
        break;
    case Target::Group:
        if (m.index >= kMaxGroups)
            return;
        bus = &rt_.groups[m.index];
        break;
    case Target::Master:
        bus = &rt_.master;
        break;
    case Target::Engine:
        break;
    }
    const bool on = m.value >= 0.5f;
    auto updatePan = [](Strip& st) noexcept {
        const auto g = dsp::panGains(st.panLaw, st.pan);
        st.panL.setTarget(g.l);
        st.panR.setTarget(g.r);
    };
    switch (m.op) {
    case Op::StripActive:
        if (s) {
            s->active = on;
            setBit(rt_.activeStrips, m.index, on);
            s->channels = m.sub == 2 ? 2 : 1;
            for (auto& d : s->comp)
                d.reset();
        }
        break;
    case Op::StripPort:
        if (s && m.sub < 2)
            s->port[m.sub] = m.ptr;
        break;
    case Op::Trim:
        if (s) {
            s->trimDb = m.value;
            s->trim.setTarget((s->polarity ? -1.f : 1.f) * gainOf(m.value));
        }
        break;
    case Op::Polarity:
        if (s) {
            s->polarity = on;
            s->trim.setTarget((s->polarity ? -1.f : 1.f) * gainOf(s->trimDb));
        }
        break;
    case Op::Fader:
        if (s)
            s->fader.setTarget(gainOf(m.value));
        else if (bus)
            bus->fader.setTarget(gainOf(m.value));
        break;
    case Op::Pan:
        if (s) {
            s->pan = std::clamp(m.value, -1.f, 1.f);
            updatePan(*s);
        }
        break;
    case Op::PanLaw:
        if (s) {
            s->panLaw = static_cast<int>(m.value);
            updatePan(*s);
        }
        break;
    case Op::Mute:
        if (s)
            s->muted = on;
        break;
    case Op::Solo:
        if (s) {
            s->solo = on;
            setBit(rt_.soloStrips, m.index, on);
        }
        break;
    case Op::SendLevel:
        if (s && m.sub < kMaxAux)
            s->send[m.sub].setTarget(gainOf(m.value));
        break;
    case Op::SendPre:
        if (s && m.sub < kMaxAux)
            s->sendPre[m.sub] = on;
        break;
    case Op::Output:
        if (s)
            s->output = static_cast<int>(m.value);
        break;
    case Op::MeterPre:
        if (s)
            s->meterPre = on;
        else if (bus)
            bus->meterPre = on;
        break;
    case Op::SwapChain: {
        Chain* next = static_cast<Chain*>(m.ptr);
        Chain** slot = s ? &s->chain : bus ? &bus->chain : nullptr;
        if (slot) {
            retire(*slot);
            *slot = next;
        } else {
            retire(next);
        }
        break;
    }
    case Op::PluginParam: {
        Chain* c = s ? s->chain : bus ? bus->chain : nullptr;
        if (c && m.sub < c->inserts.size())
            for (auto& p : c->inserts[m.sub].instances)
                p->setControlAt(m.sub2, m.value);
        break;
    }
    case Op::CompDelay:
        if (auto* lines = s ? &s->comp : bus ? &bus->comp : nullptr)
            setDelays(*lines, m.value);
        break;
    case Op::BusActive:
        if (bus)
            bus->active = on;
        break;
    case Op::BusPort:
        if (bus && m.sub < 2)
            bus->port[m.sub] = m.ptr;
        break;
    case Op::BusToMaster:
        if (bus)
            bus->toMaster = on;
        break;
    case Op::Dim:
        rt_.dimOn = on;
        rt_.dim.setTarget(rt_.dimOn || rt_.talkOn ? gainOf(rt_.dimDb) : 1.f);
        break;
    case Op::DimLevel:
        rt_.dimDb = m.value;
        rt_.dim.setTarget(rt_.dimOn || rt_.talkOn ? gainOf(rt_.dimDb) : 1.f);
        break;
    case Op::Talkback:
        rt_.talkOn = on;
        rt_.talk.setTarget(on ? 1.f : 0.f);
        rt_.dim.setTarget(rt_.dimOn || rt_.talkOn ? gainOf(rt_.dimDb) : 1.f);
        break;
    case Op::TalkbackPort:
        rt_.talkbackPort = m.ptr;
        break;
    case Op::Mono:
        rt_.mono.setTarget(on ? 1.f : 0.f);
        break;
    case Op::Cut:
        rt_.cut.setTarget(on ? 0.f : 1.f);
        break;
    case Op::Demo:
        rt_.demo = on;
        break;
    case Op::DirectDelay:
        setDelays(rt_.directComp, m.value);
        break;
    case Op::Tempo:
        if (m.value > 0.f)
            rt_.tempo.bpm = static_cast<double>(m.value);
        break;
    case Op::TimeSignature:
        if (m.sub >= 1 && m.sub2 >= 1) {
            rt_.tempo.beatsPerBar = static_cast<float>(m.sub);
            rt_.tempo.beatType = static_cast<float>(m.sub2);
        }
        break;
    case Op::ResetSmoothing:
        snapAll();
        break;
    case Op::SetRecorder:
        rt_.recorder = static_cast<Recorder*>(m.ptr);
        rt_.recording = false;
        rt_.recStrip.fill(nullptr);
        rt_.recMaster = nullptr;
        if (rt_.recorder)
            for (auto& t : rt_.recorder->tracks) {
                if (t->strip < 0)
                    rt_.recMaster = t.get();
                else if (t->strip < kMaxStrips)
                    rt_.recStrip[static_cast<std::size_t>(t->strip)] = t.get();
            }
        break;
    case Op::RecordRun:
        rt_.recording = on && rt_.recorder != nullptr;
        if (rt_.recorder)
            rt_.recorder->rolling.store(rt_.recording, std::memory_order_release);
        break;
    }
}

void Engine::prepareMeters(uint32_t n) noexcept REALTIME
{
    // The decay over the samples that go through the lanes (n rounded down to lanes).
    const uint32_t whole = n - n % static_cast<uint32_t>(rt_.meterLaneDecay.size());
    if (whole == rt_.meterN)
        return;
    rt_.meterN = whole;
    const float e = static_cast<float>(-static_cast<double>(whole) / (0.3 * rt_.rate));
    rt_.meterDecayN = std::exp(e);
}

void Engine::meter(Meter& m, const float* l, const float* r, uint32_t n) noexcept REALTIME
{
    // Per sample this is pk = max(|x|, pk fall), ms = keep ms + c x^2 (keep = 1 - c).
    // Block-wise, the same up to rounding: lane k takes samples k, k + L, k + 2L, ...
    // with the decay over L samples per step; at the end each lane is decayed by the
    // age of its last sample and the block's result joins the state decayed by the
    // block length. The tail (n mod L samples) runs per sample. The L = 16 lanes are
    // four 4-float vectors (GCC/Clang vector extension: SSE2 or NEON), so four
    // independent multiply-add chains hide each one's latency.
    using V4 = float __attribute__((vector_size(16)));
    using I4 = int32_t __attribute__((vector_size(16)));
    constexpr std::size_t L = 16, kVecs = L / 4;
    static_assert(L == std::tuple_size_v<decltype(rt_.meterLaneDecay)>);
    const float fall = rt_.meterPeakFall, c = rt_.meterRmsCoef;
    const V4 decayL = V4{} + rt_.meterChunkDecay;
    const I4 absMask = I4{} + 0x7fffffff;
    const uint32_t whole = n - n % L;
    for (std::size_t ch = 0; ch < 2; ++ch) {
        const float* x = ch == 0 ? l : r;
        float pk = m.peakState[ch], ms = m.msState[ch];
        if (whole > 0) {
            V4 lp[kVecs] = {}, ls[kVecs] = {};
            for (uint32_t i = 0; i < whole; i += L)
                for (std::size_t k = 0; k < kVecs; ++k) {
                    V4 v;
                    std::memcpy(&v, x + i + 4 * k, sizeof v);
                    const V4 a = reinterpret_cast<V4>(reinterpret_cast<I4>(v) & absMask);
                    const V4 d = lp[k] * decayL;
                    lp[k] = a > d ? a : d;
                    ls[k] = ls[k] * decayL + v * v;
                }
            float bp = pk * rt_.meterDecayN, bs = 0.f;
            for (std::size_t k = 0; k < L; ++k) {
                const float d = lp[k / 4][k % 4] * rt_.meterLaneDecay[k];
                bp = d > bp ? d : bp;
                bs += ls[k / 4][k % 4] * rt_.meterLaneDecay[k];
            }
            pk = bp;
            ms = ms * rt_.meterDecayN + c * bs;
        }
        for (uint32_t i = whole; i < n; ++i) {
            const float a = std::fabs(x[i]), d = pk * fall;
            pk = a > d ? a : d;
            ms += c * (x[i] * x[i] - ms);
        }
        rt::sanitize(pk);
        rt::sanitize(ms);
        m.peakState[ch] = pk;
        m.msState[ch] = ms;
        m.peak[ch].store(pk, std::memory_order_relaxed);
        m.rms[ch].store(std::sqrt(ms), std::memory_order_relaxed);
    }
}

InsertTimes* Engine::timing(int slot) noexcept REALTIME
{
    if (slot > timedSlot_ && slot < nextTimed_)
        nextTimed_ = slot;
    firstChain_ = std::min(firstChain_, slot);
    return slot == timedSlot_ ? &insertTimes_[static_cast<std::size_t>(slot)] : nullptr;
}

std::array<float*, 2> Engine::runChain(Chain& c, float* l, float* r, uint32_t n, InsertTimes* times) noexcept REALTIME
{
    return c.process(l, r, rt_.scratchL.data(), rt_.scratchR.data(), n, rt_.haveTransport ? &rt_.transport : nullptr,
                     times, clockNs_);
}

std::array<float*, 2> Engine::processBus(Bus& b, Meter& m, int slot, uint32_t n) noexcept REALTIME
{
    std::array<float*, 2> x{b.l.data(), b.r.data()};
    if (b.chain) {
        InsertTimes* times = timing(slot);
        x = runChain(*b.chain, x[0], x[1], n, times);
        if (times)
            times->cycles.fetch_add(1, std::memory_order_relaxed);
    }
    b.comp[0].process(x[0], x[0], n);
    b.comp[1].process(x[1], x[1], n);
    if (b.meterPre)
        meter(m, x[0], x[1], n);
    applyGain(b.fader, x[0], x[1], n);
    if (!b.meterPre)
        meter(m, x[0], x[1], n);
    return x;
}

Engine::Load Engine::takeLoad()
{
    const uint64_t n = loadCount_.exchange(0);
    const uint64_t sum = loadSumNs_.exchange(0);
    const uint64_t mx = loadMaxNs_.exchange(0);
    Load l{n ? static_cast<double>(sum) / static_cast<double>(n) : 0.0, static_cast<double>(mx), lastFrames_.load()};
    // Each timed interval had clockNs_ taken off; take off what the reads cost more
    // (or less) in the cycles themselves.
    const uint64_t clocks = clockCount_.exchange(0);
    const int64_t clockSum = clockSumNs_.exchange(0);
    l.clockPairNs = static_cast<double>(clockNs_);
    l.clockPairInCycleNs = clocks ? static_cast<double>(clockSum) / static_cast<double>(clocks) : l.clockPairNs;
    const double excess = l.clockPairInCycleNs - l.clockPairNs;
    for (std::size_t c = 0; c < insertTimes_.size(); ++c) {
        InsertTimes& t = insertTimes_[c];
        const uint64_t cycles = t.cycles.exchange(0);
        const auto perCycle = [cycles](double ns) { return std::max(0.0, ns / static_cast<double>(cycles)); };
        const int64_t demo = t.demoNs.exchange(0);
        if (cycles > 0 && demo != 0)
            l.demoNs += perCycle(static_cast<double>(demo) - excess * static_cast<double>(cycles));
        for (std::size_t i = 0; i < t.ns.size(); ++i) {
            const int64_t ns = t.ns[i].exchange(0);
            const uint32_t runs = t.runs[i].exchange(0);
            if (cycles > 0) {
                l.insertNs[c][i] = perCycle(static_cast<double>(ns) - excess * runs);
                l.pluginNs += l.insertNs[c][i];
            }
        }
    }
    return l;
}

void Engine::process(uint32_t frames) noexcept REALTIME
{
    const uint64_t t0 = nowNs();
    rt::DenormalScope denormals;
    const uint32_t n = std::min(frames, kMaxBlock);
    prepareMeters(n);

    Message msg;
    while (inbox_.pop(msg))
        apply(msg);
    nextTimed_ = firstChain_ = kChainSlots;
    if (rt_.fresh) {
        snapAll();
        rt_.fresh = false;
    }

    const bool anySolo = (rt_.activeStrips & rt_.soloStrips) != 0;

    std::fill_n(rt_.directL.data(), n, 0.f);
    std::fill_n(rt_.directR.data(), n, 0.f);
    // Inactive buses are neither summed into nor read.
    for (auto* buses : {&rt_.aux, &rt_.groups})
        for (auto& b : *buses)
            if (b.active) {
                std::fill_n(b.l.data(), n, 0.f);
                std::fill_n(b.r.data(), n, 0.f);
            }
    Bus& master = rt_.master;
    std::fill_n(master.l.data(), n, 0.f);
    std::fill_n(master.r.data(), n, 0.f);

    // The strips' input buffers, looked up before any plugin runs: a lookup reads the
    // server's port and connection tables, which the plugins evict between strips,
    // and independent lookups overlap their cache misses (32 strips under jackd2 at
    // 64 frames, timed: 2.3-3.5 us a cycle; one strip at a time between the strips'
    // plugins, 4.8-5.3 us, of which about 1 us is the 32 clock read pairs).
    std::array<std::array<const float*, 2>, kMaxStrips> inputs;
    for (uint64_t todo = rt_.activeStrips; todo != 0; todo &= todo - 1) {
        const auto si = static_cast<std::size_t>(std::countr_zero(todo));
        const Strip& s = rt_.strips[si];
        const float* inL = s.port[0] && bufferFn_ ? bufferFn_(s.port[0], n) : nullptr;
        inputs[si] = {inL, s.channels == 2 && s.port[1] && bufferFn_ ? bufferFn_(s.port[1], n) : inL};
    }
    for (uint64_t todo = rt_.activeStrips; todo != 0;) {
        const auto si = static_cast<std::size_t>(std::countr_zero(todo));
        todo &= todo - 1;
        Strip& s = rt_.strips[si];
        // The plugins of the strip before evicted most of what this one reads: start
        // its chain's loads now, to arrive while the input is read and generated, and
        // the next active strip's struct and chain object (whose fields prefetch()
        // reads) a strip ahead.
        if (todo != 0) {
            const Strip& next = rt_.strips[static_cast<std::size_t>(std::countr_zero(todo))];
            for (std::size_t at = 0; at < sizeof(Strip); at += 64)
                __builtin_prefetch(reinterpret_cast<const char*>(&next) + at, 0, 2);
            if (const Chain* c = next.chain)
                for (std::size_t at = 0; at < sizeof(Chain); at += 64)
                    __builtin_prefetch(reinterpret_cast<const char*>(c) + at);
        }
        if (s.chain)
            s.chain->prefetch();
        float* l = rt_.workL.data();
        float* r = rt_.workR.data();
        readInput(l, inputs[si][0], n);
        readInput(r, inputs[si][1], n);
        InsertTimes* times = timing(static_cast<int>(si));
        if (times) {
            // What a pair of clock reads costs here (the hot calibration may be less).
            const uint64_t a = nowNs();
            clockSumNs_.fetch_add(static_cast<int64_t>(nowNs() - a), std::memory_order_relaxed);
            clockCount_.fetch_add(1, std::memory_order_relaxed);
        }
        if (rt_.demo) {
            const uint64_t t0 = times ? nowNs() : 0;
            rt_.demoSources[si].add(si, rt_.rate, l, r, n);
            if (times)
                times->demoNs.fetch_add(static_cast<int64_t>(nowNs() - t0) - clockNs_, std::memory_order_relaxed);
        }
        if (rt_.recording && rt_.recStrip[si])
            rt_.recStrip[si]->push(l, r, n);
        applyGain(s.trim, l, r, n);
        if (s.chain) {
            // From here on l/r point where the chain left the result.
            const auto out = runChain(*s.chain, l, r, n, times);
            l = out[0];
            r = out[1];
        }
        if (times)
            times->cycles.fetch_add(1, std::memory_order_relaxed);
        s.comp[0].process(l, l, n);
        s.comp[1].process(r, r, n);
        Meter& m = stripMeters_[si];
        if (s.meterPre)
            meter(m, l, r, n);
        const bool silenced = s.muted || (anySolo && !s.solo);
        s.mute.setTarget(silenced ? 0.f : 1.f);
        float* destL = rt_.directL.data();
        float* destR = rt_.directR.data();
        if (s.output >= 0 && s.output < kMaxGroups && rt_.groups[static_cast<std::size_t>(s.output)].active) {
            destL = rt_.groups[static_cast<std::size_t>(s.output)].l.data();
            destR = rt_.groups[static_cast<std::size_t>(s.output)].r.data();
        }
        bool settled = !s.fader.smoothing() && !s.mute.smoothing() && !s.panL.smoothing() && !s.panR.smoothing();
        for (const auto& snd : s.send)
            settled = settled && !snd.smoothing();
        if (settled) {
            // Steady gains (the usual case): the per-sample loop below with constants,
            // as separate loops that vectorise; the same products in the same order.
            // Each aux gets one sum per sample from this strip whichever loop adds it.
            const float g = s.fader.current() * s.mute.current();
            const float gl = s.panL.current(), gr = s.panR.current();
            const auto sends = [&](bool pre) noexcept {
                for (std::size_t a = 0; a < kMaxAux; ++a) {
                    const float sg = s.send[a].current();
                    if (sg == 0.f || !rt_.aux[a].active || s.sendPre[a] != pre)
                        continue;
                    float* al = rt_.aux[a].l.data();
                    float* ar = rt_.aux[a].r.data();
                    for (uint32_t i = 0; i < n; ++i) {
                        al[i] += l[i] * sg;
                        ar[i] += r[i] * sg;
                    }
                }
            };
            sends(true);
            for (uint32_t i = 0; i < n; ++i) {
                const float ol = l[i] * g * gl;
                const float orr = r[i] * g * gr;
                l[i] = ol;
                r[i] = orr;
                destL[i] += ol;
                destR[i] += orr;
            }
            sends(false);
        } else {
            for (uint32_t i = 0; i < n; ++i) {
                const float pre_l = l[i], pre_r = r[i];
                const float g = s.fader.next() * s.mute.next();
                const float ol = pre_l * g * s.panL.next();
                const float orr = pre_r * g * s.panR.next();
                for (std::size_t a = 0; a < kMaxAux; ++a) {
                    const float sg = s.send[a].next();
                    if (sg == 0.f || !rt_.aux[a].active)
                        continue;
                    Bus& aux = rt_.aux[a];
                    aux.l[i] += (s.sendPre[a] ? pre_l : ol) * sg;
                    aux.r[i] += (s.sendPre[a] ? pre_r : orr) * sg;
                }
                l[i] = ol;
                r[i] = orr;
                destL[i] += ol;
                destR[i] += orr;
            }
        }
        if (!s.meterPre)
            meter(m, l, r, n);
    }

    for (std::size_t g = 0; g < rt_.groups.size(); ++g) {
        Bus& b = rt_.groups[g];
        if (!b.active)
            continue;
        const auto [bl, br] = processBus(b, groupMeters_[g], kGroupSlot + static_cast<int>(g), n);
        for (uint32_t i = 0; i < n; ++i) {
            master.l[i] += bl[i];
            master.r[i] += br[i];
        }
    }
    const float* talk = rt_.talkbackPort && bufferFn_ ? bufferFn_(rt_.talkbackPort, n) : nullptr;
    const bool talking = talk && (rt_.talkOn || rt_.talk.smoothing() || rt_.talk.current() > 0.f);
    for (std::size_t a = 0; a < rt_.aux.size(); ++a) {
        Bus& b = rt_.aux[a];
        if (!b.active)
            continue;
        const auto [bl, br] = processBus(b, auxMeters_[a], kAuxSlot + static_cast<int>(a), n);
        float* outL = b.port[0] && bufferFn_ ? bufferFn_(b.port[0], n) : nullptr;
        float* outR = b.port[1] && bufferFn_ ? bufferFn_(b.port[1], n) : nullptr;
        if (outL)
            std::copy_n(bl, n, outL);
        if (outR)
            std::copy_n(br, n, outR);
        if (talking) {
            // Only into the aux's own outputs (cue mixes), never back into the master.
            // One smoother for all buses: step a copy per bus, advance the real one below.
            dsp::LinearSmoother t = rt_.talk;
            for (uint32_t i = 0; i < n; ++i) {
                const float x = rt::finiteOrZero(talk[i]) * t.next();
                if (outL)
                    outL[i] += x;
                if (outR)
                    outR[i] += x;
            }
        }
        if (b.toMaster)
            for (uint32_t i = 0; i < n; ++i) {
                master.l[i] += bl[i];
                master.r[i] += br[i];
            }
    }
    // Inactive aux buses still own ports while they are registered: keep them silent.
    for (auto& b : rt_.aux)
        if (!b.active)
            for (void* p : b.port)
                if (p && bufferFn_)
                    std::fill_n(bufferFn_(p, n), n, 0.f);

    if (talking)
        for (uint32_t i = 0; i < n; ++i)
            rt_.talk.next();
    rt_.directComp[0].process(rt_.directL.data(), rt_.directL.data(), n);
    rt_.directComp[1].process(rt_.directR.data(), rt_.directR.data(), n);
    for (uint32_t i = 0; i < n; ++i) {
        master.l[i] += rt_.directL[i];
        master.r[i] += rt_.directR[i];
    }

    const auto [ml, mr] = processBus(master, masterMeter_, kMasterSlot, n);
    // The next cycle times the next chain (wrapping round to the first).
    timedSlot_ = nextTimed_ < kChainSlots ? nextTimed_ : (firstChain_ < kChainSlots ? firstChain_ : 0);
    if (rt_.recording && rt_.recMaster)
        rt_.recMaster->push(ml, mr, n);
    if (tap_)
        tap_(tapUser_, ml, mr, n);
    if (rt_.mono.smoothing() || rt_.dim.smoothing() || rt_.cut.smoothing()) {
        for (uint32_t i = 0; i < n; ++i) {
            const float mono = rt_.mono.next();
            const float mid = 0.5f * (ml[i] + mr[i]);
            const float g = rt_.dim.next() * rt_.cut.next();
            ml[i] = (ml[i] + mono * (mid - ml[i])) * g;
            mr[i] = (mr[i] + mono * (mid - mr[i])) * g;
        }
    } else {
        // Settled: the same expression with constants (vectorises).
        const float mono = rt_.mono.current(), g = rt_.dim.current() * rt_.cut.current();
        for (uint32_t i = 0; i < n; ++i) {
            const float mid = 0.5f * (ml[i] + mr[i]);
            ml[i] = (ml[i] + mono * (mid - ml[i])) * g;
            mr[i] = (mr[i] + mono * (mid - mr[i])) * g;
        }
    }
    float* outL = master.port[0] && bufferFn_ ? bufferFn_(master.port[0], n) : nullptr;
    float* outR = master.port[1] && bufferFn_ ? bufferFn_(master.port[1], n) : nullptr;
    if (outL)
        std::copy_n(ml, n, outL);
    if (outR)
        std::copy_n(mr, n, outR);
    if (frames > n) {
        if (outL)
            std::fill(outL + n, outL + frames, 0.f);
        if (outR)
            std::fill(outR + n, outR + frames, 0.f);
    }
    const uint64_t dt = nowNs() - t0;
    loadSumNs_.fetch_add(dt, std::memory_order_relaxed);
    loadCount_.fetch_add(1, std::memory_order_relaxed);
    if (dt > loadMaxNs_.load(std::memory_order_relaxed))
        loadMaxNs_.store(dt, std::memory_order_relaxed);
    lastFrames_.store(frames, std::memory_order_relaxed);
    cycles_.fetch_add(1, std::memory_order_release);
}

} // namespace mixwright::console
