// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC

#include "recorder.hpp"

#include "engine.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

namespace mixwright::console {

namespace fs = std::filesystem;

namespace {

// One row per container and per sample format: the names the console and sessions
// use (the first is the canonical one), the file extension and libsndfile's format.
struct ContainerRow {
    Container id;
    const char* name;
    const char* extension;
    int sndfile;
};
constexpr ContainerRow kContainers[] = {
    {Container::Wav, "wav", ".wav", SF_FORMAT_WAV},
    {Container::W64, "w64", ".w64", SF_FORMAT_W64},
    {Container::Flac, "flac", ".flac", SF_FORMAT_FLAC},
};
struct SampleRow {
    SampleFormat id;
    std::array<const char*, 4> names; // canonical first; nullptr ends the list
    int sndfile;
};
constexpr SampleRow kSamples[] = {
    {SampleFormat::Float32, {"float", "f32", "32f", "float32"}, SF_FORMAT_FLOAT},
    {SampleFormat::Int24, {"24", "int24", "pcm24", nullptr}, SF_FORMAT_PCM_24},
    {SampleFormat::Int16, {"16", "int16", "pcm16", nullptr}, SF_FORMAT_PCM_16},
};

const ContainerRow& rowOf(Container c)
{
    for (const auto& r : kContainers)
        if (r.id == c)
            return r;
    return kContainers[0];
}

const SampleRow& rowOf(SampleFormat f)
{
    for (const auto& r : kSamples)
        if (r.id == f)
            return r;
    return kSamples[0];
}

int sndfileFormat(const RecordFormat& f)
{
    return rowOf(f.container).sndfile | rowOf(f.sample).sndfile;
}

} // namespace

bool parseRecordFormat(const std::string& container, const std::string& sample, RecordFormat& out,
                       std::string* error)
{
    RecordFormat f;
    const auto c = std::find_if(std::begin(kContainers), std::end(kContainers),
                                [&](const ContainerRow& r) { return container == r.name; });
    if (c == std::end(kContainers)) {
        *error = "unknown container '" + container + "' (wav, w64 or flac)";
        return false;
    }
    f.container = c->id;
    if (sample.empty()) {
        f.sample = f.container == Container::Flac ? SampleFormat::Int24 : SampleFormat::Float32;
    } else {
        const auto s = std::find_if(std::begin(kSamples), std::end(kSamples), [&](const SampleRow& r) {
            return std::any_of(r.names.begin(), r.names.end(), [&](const char* n) { return n && sample == n; });
        });
        if (s == std::end(kSamples)) {
            *error = "unknown sample format '" + sample + "' (float, 24 or 16)";
            return false;
        }
        f.sample = s->id;
    }
    if (f.container == Container::Flac && f.sample == SampleFormat::Float32) {
        *error = "FLAC cannot hold 32-bit float samples: use flac with 24 or 16 bits, or wav/w64 for float";
        return false;
    }
    out = f;
    return true;
}

const char* containerName(Container c) { return rowOf(c).name; }
const char* sampleName(SampleFormat f) { return rowOf(f).names[0]; }
const char* extensionOf(Container c) { return rowOf(c).extension; }

std::string formatName(const RecordFormat& f)
{
    return std::string(containerName(f.container)) + ":" + sampleName(f.sample);
}

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
                    double seconds, const RecordFormat& format, std::string* error)
{
    rate_ = rate;
    format_ = format;
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
                                        (strip < 0 ? std::string("master") : "strip" + std::to_string(strip + 1)) +
                                        extensionOf(format.container)))
                      .string();
        t->ring.prepare(static_cast<std::size_t>(seconds * rate) * static_cast<std::size_t>(channels));
        t->interleave.assign(2 * kMaxBlock, 0.f);
        SF_INFO info{};
        info.samplerate = static_cast<int>(rate);
        info.channels = channels;
        info.format = sndfileFormat(format);
        if (!sf_format_check(&info)) {
            *error = "libsndfile cannot write " + formatName(format) + " with " + std::to_string(channels) +
                     " channels at " + std::to_string(info.samplerate) + " Hz";
            for (auto& o : tracks)
                sf_close(o->file);
            tracks.clear();
            return false;
        }
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

namespace {
/// Float to integer samples of `bits` bits, left-justified in int32 as sf_writef_int
/// takes them: round(x * 2^(bits-1)) to the nearest, clipped to the format's range,
/// non-finite as 0. The same scale libsndfile reads back with, so a sample read as
/// float is within half a step of what was recorded (libsndfile's own float writer
/// scales by 2^(bits-1) - 1 and is off by up to one step near full scale).
void quantise(const float* x, int32_t* out, std::size_t n, int bits) noexcept
{
    const double scale = std::ldexp(1.0, bits - 1);
    const double lo = -scale, hi = scale - 1.0;
    const int shift = 32 - bits;
    for (std::size_t i = 0; i < n; ++i) {
        const double y = std::isfinite(x[i]) ? std::nearbyint(static_cast<double>(x[i]) * scale) : 0.0;
        const double v = std::clamp(y, lo, hi);
        out[i] = static_cast<int32_t>(static_cast<uint32_t>(static_cast<int32_t>(v)) << shift);
    }
}
} // namespace

void Recorder::diskLoop()
{
    std::vector<float> buf(8192 * 2);
    std::vector<int32_t> ints(format_.sample == SampleFormat::Float32 ? 0 : buf.size());
    const int bits = format_.sample == SampleFormat::Int16 ? 16 : 24;
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
                sf_count_t w;
                if (ints.empty()) {
                    w = sf_writef_float(t->file, buf.data(), want);
                } else {
                    quantise(buf.data(), ints.data(), got, bits);
                    w = sf_writef_int(t->file, ints.data(), want);
                }
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
    log << "format " << formatName(format_) << "\n";
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
