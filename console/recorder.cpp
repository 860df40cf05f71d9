// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC

#include "recorder.hpp"

#include "engine.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>

namespace mixwright::console {

namespace fs = std::filesystem;

void RecordTrack::push(const float* l, const float* r, uint32_t n) noexcept REALTIME
{
    if (failed.load(std::memory_order_relaxed))
        return;
    const float* data = l;
    if (channels == 2) {
        for (uint32_t i = 0; i < n; ++i) {
            interleave[2 * i] = l[i];
            interleave[2 * i + 1] = r[i];
        }
        data = interleave.data();
    }
    if (!ring.push(data, static_cast<std::size_t>(n) * static_cast<std::size_t>(channels)))
        overflows.fetch_add(n, std::memory_order_relaxed);
}

bool Recorder::open(const std::string& folder, int take, double rate, const std::vector<std::pair<int, int>>& list,
                    double seconds, std::string* error)
{
    rate_ = rate;
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) {
        *error = "cannot create " + folder + ": " + ec.message();
        return false;
    }
    char prefix[32];
    std::snprintf(prefix, sizeof prefix, "take%03d", take);
    logPath = (fs::path(folder) / (std::string(prefix) + ".log")).string();
    for (const auto& [strip, channels] : list) {
        auto t = std::make_unique<RecordTrack>();
        t->strip = strip;
        t->channels = channels;
        t->path = (fs::path(folder) / (std::string(prefix) + "-" +
                                        (strip < 0 ? std::string("master") : "strip" + std::to_string(strip + 1)) + ".wav"))
                      .string();
        t->ring.prepare(static_cast<std::size_t>(seconds * rate) * static_cast<std::size_t>(channels));
        t->interleave.assign(2 * kMaxBlock, 0.f);
        SF_INFO info{};
        info.samplerate = static_cast<int>(rate);
        info.channels = channels;
        info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
        t->file = sf_open(t->path.c_str(), SFM_WRITE, &info);
        if (!t->file) {
            *error = "cannot create " + t->path + ": " + sf_strerror(nullptr);
            for (auto& o : tracks)
                sf_close(o->file);
            tracks.clear();
            return false;
        }
        tracks.push_back(std::move(t));
    }
    return true;
}

void Recorder::startDiskThread()
{
    disk_ = std::thread([this] { diskLoop(); });
}

void Recorder::diskLoop()
{
    std::vector<float> buf(8192 * 2);
    while (true) {
        const bool last = stop_.load(std::memory_order_acquire);
        bool any = false;
        for (auto& t : tracks) {
            while (true) {
                const std::size_t frames = buf.size() / static_cast<std::size_t>(t->channels);
                const std::size_t got = t->ring.pop(buf.data(), frames * static_cast<std::size_t>(t->channels));
                if (got == 0)
                    break;
                any = true;
                if (!t->file)
                    continue; // failed earlier: keep draining so the callback never blocks
                const sf_count_t want = static_cast<sf_count_t>(got / static_cast<std::size_t>(t->channels));
                const sf_count_t w = sf_writef_float(t->file, buf.data(), want);
                if (w == want)
                    t->framesWritten.fetch_add(static_cast<uint64_t>(w));
                if (w != want) {
                    // Disk full or a write error: stop this take, keep what was written
                    // (sf_close updates the header), report it; the audio keeps going.
                    t->framesWritten.fetch_add(static_cast<uint64_t>(std::max<sf_count_t>(w, 0)));
                    t->error = sf_strerror(t->file);
                    t->failed.store(true);
                    sf_close(t->file);
                    t->file = nullptr;
                }
            }
        }
        if (last && !any)
            break;
        if (!any)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

void Recorder::finish(uint32_t xruns)
{
    stop_.store(true, std::memory_order_release);
    if (disk_.joinable())
        disk_.join();
    std::ofstream log(logPath);
    log << "sample rate " << rate_ << "\n";
    log << "xruns during the take " << xruns << "\n";
    for (auto& t : tracks) {
        if (t->file) {
            sf_close(t->file);
            t->file = nullptr;
        }
        log << t->path << ": " << t->framesWritten.load() << " frames, " << t->overflows.load()
            << " frames lost to ring overflow" << (t->failed.load() ? ", write failed: " + t->error : std::string())
            << "\n";
    }
}

std::string Recorder::summary() const
{
    std::string s;
    for (const auto& t : tracks) {
        s.push_back(' ');
        s.append(fs::path(t->path).filename().string());
        s.push_back('=');
        s.append(std::to_string(t->framesWritten.load()));
        if (t->failed.load()) {
            s.append("(failed: ");
            s.append(t->error);
            s.push_back(')');
        }
        if (t->overflows.load() > 0) {
            s.append("(overflow ");
            s.append(std::to_string(t->overflows.load()));
            s.push_back(')');
        }
    }
    return s;
}

} // namespace mixwright::console
