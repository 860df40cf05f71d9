// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC

#include "master_loudness.hpp"

#include "engine.hpp"

#include <algorithm>
#include <chrono>

namespace mixwright::console {

namespace {
constexpr double kRingSeconds = 2.0;
constexpr std::size_t kChunkFrames = 4096; // frames the meter thread takes at a time
} // namespace

MasterLoudness::~MasterLoudness() { stop(); }

void MasterLoudness::start(double sampleRate)
{
    rate_ = sampleRate;
    ring_.prepare(static_cast<std::size_t>(kRingSeconds * sampleRate) * 2);
    interleave_.assign(2 * static_cast<std::size_t>(kMaxBlock), 0.f);
    meter_.prepare(sampleRate, 2);
    meter_.setSubBlockCallback(&MasterLoudness::onSubBlock, this);
    publish();
    stop_.store(false);
    thread_ = std::thread([this] { loop(); });
}

void MasterLoudness::stop()
{
    stop_.store(true, std::memory_order_release);
    if (thread_.joinable())
        thread_.join();
}

bool MasterLoudness::reset()
{
    const uint32_t want = resetRequests_.fetch_add(1, std::memory_order_acq_rel) + 1;
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (resetsDone_.load(std::memory_order_acquire) != want) {
        if (!thread_.joinable() || std::chrono::steady_clock::now() > end)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

void MasterLoudness::tap(void* user, const float* l, const float* r, uint32_t n) noexcept REALTIME
{
    auto* self = static_cast<MasterLoudness*>(user);
    n = std::min(n, kMaxBlock);
    float* x = self->interleave_.data();
    for (uint32_t i = 0; i < n; ++i) {
        x[2 * i] = l[i];
        x[2 * i + 1] = r[i];
    }
    if (!self->ring_.push(x, 2 * static_cast<std::size_t>(n)))
        self->dropped_.fetch_add(n, std::memory_order_relaxed);
}

void MasterLoudness::loop()
{
    std::vector<float> buf(2 * kChunkFrames), l(kChunkFrames), r(kChunkFrames);
    while (!stop_.load(std::memory_order_acquire)) {
        const uint32_t want = resetRequests_.load(std::memory_order_acquire);
        if (want != resetsDone_.load(std::memory_order_relaxed)) {
            meter_.resetIntegration();
            framesSinceReset_ = 0;
            values_[kSeconds].store(0.0, std::memory_order_relaxed);
            publish();
            resetsDone_.store(want, std::memory_order_release);
        }
        const std::size_t got = ring_.pop(buf.data(), buf.size()) / 2;
        if (got == 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            continue;
        }
        for (std::size_t i = 0; i < got; ++i) {
            l[i] = buf[2 * i];
            r[i] = buf[2 * i + 1];
        }
        const float* in[2] = {l.data(), r.data()};
        meter_.process(in, static_cast<uint32_t>(got));
        framesSinceReset_ += got;
        values_[kSeconds].store(static_cast<double>(framesSinceReset_) / rate_, std::memory_order_relaxed);
    }
}

void MasterLoudness::onSubBlock(void* user, const dsp::LoudnessMeter&) noexcept REALTIME
{
    static_cast<MasterLoudness*>(user)->publish();
}

void MasterLoudness::publish() noexcept REALTIME
{
    const auto put = [this](Value v, double x) { values_[v].store(x, std::memory_order_relaxed); };
    put(kM, meter_.momentary());
    put(kS, meter_.shortTerm());
    put(kI, meter_.integrated());
    put(kLra, meter_.loudnessRange());
    put(kMMax, meter_.momentaryMax());
    put(kSMax, meter_.shortTermMax());
    put(kTp, meter_.truePeak());
    put(kSp, meter_.samplePeak());
    put(kCorr, meter_.correlation());
}

LoudnessReading MasterLoudness::read() const
{
    const auto get = [this](Value v) { return values_[v].load(std::memory_order_relaxed); };
    LoudnessReading r;
    r.momentary = get(kM);
    r.shortTerm = get(kS);
    r.integrated = get(kI);
    r.range = get(kLra);
    r.momentaryMax = get(kMMax);
    r.shortTermMax = get(kSMax);
    r.truePeakMax = get(kTp);
    r.samplePeakMax = get(kSp);
    r.correlation = get(kCorr);
    r.seconds = get(kSeconds);
    r.dropped = dropped_.load(std::memory_order_relaxed);
    return r;
}

} // namespace mixwright::console
