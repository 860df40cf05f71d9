// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Recording: the process callback copies armed strips' inputs (after the demo
// generator, before trim) and the master's output into one lock-free ring per track;
// a disk thread writes them with libsndfile into the take folder, in the chosen
// container (WAV, W64 or FLAC) and sample format (32-bit float, 24- or 16-bit integer;
// FLAC holds integers only). Integer samples are rounded to the nearest step
// (x * 2^(bits-1), the scale libsndfile reads back with) and clipped at full scale,
// without dither, on the disk thread.
// One Recorder holds every track of a take and the callback starts and stops all of
// them in the same cycle, so all takes start on the same frame. A full ring counts an
// overflow (the frames are lost, the audio keeps running); a failed write closes that
// file (libsndfile writes a valid header for what was written) and is reported; both
// go to the take's log, with the xruns counted during the take.

#pragma once

#include "mixwright/rt/realtime.hpp"
#include "mixwright/rt/spsc_ring.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <sndfile.h>

namespace mixwright::console {

enum class Container : uint8_t { Wav, W64, Flac };
enum class SampleFormat : uint8_t { Float32, Int24, Int16 };

/// How takes are written (session "recording", `record format`, --record-format).
struct RecordFormat {
    Container container = Container::Wav;
    SampleFormat sample = SampleFormat::Float32;
};

/// Parses a container ("wav", "w64", "flac") and a sample format ("float", "24", "16";
/// also "f32", "int24", "pcm24", "int16", "pcm16"); an empty sample format picks float
/// for WAV and W64 and 24-bit for FLAC. False with *error for unknown names and for
/// FLAC with float samples (FLAC stores integers only).
bool parseRecordFormat(const std::string& container, const std::string& sample, RecordFormat& out,
                       std::string* error);
/// "wav", "w64", "flac" / "float", "24", "16"; file extension ".wav", ".w64", ".flac".
const char* containerName(Container c);
const char* sampleName(SampleFormat f);
const char* extensionOf(Container c);
/// "flac:24" style, as --record-format takes it.
std::string formatName(const RecordFormat& f);

struct RecordTrack {
    int strip = -1; // -1: the master
    int channels = 1;
    std::string path;
    rt::SpscRing<float> ring;         // interleaved frames
    std::vector<float> interleave;    // callback scratch, 2 x kMaxBlock
    std::atomic<uint64_t> overflows{0}; // frames dropped because the ring was full
    std::atomic<uint64_t> framesWritten{0};
    SNDFILE* file = nullptr;
    std::atomic<bool> failed{false};
    std::string error;

    /// Callback side: queue n frames (mono l, or l/r interleaved).
    void push(const float* l, const float* r, uint32_t n) noexcept REALTIME;
};

class Recorder {
public:
    /// Opens one file per track in `folder` (created), named take<N>-<track>.wav (or
    /// .w64, .flac). `seconds` sizes each ring (buffered audio before the disk thread
    /// must catch up).
    bool open(const std::string& folder, int take, double rate, const std::vector<std::pair<int, int>>& tracks,
              double seconds, const RecordFormat& format, std::string* error);
    /// Starts the disk thread.
    void startDiskThread();
    /// Stops the disk thread after it has drained the rings; closes the files; writes
    /// the log. Call after the callback no longer uses this recorder.
    void finish(uint32_t xruns);

    std::vector<std::unique_ptr<RecordTrack>> tracks;
    std::atomic<bool> rolling{false}; // set by the callback once it writes
    std::string logPath;
    std::string summary() const;

private:
    void diskLoop();
    std::thread disk_;
    std::atomic<bool> stop_{false};
    double rate_ = 48000.0;
    RecordFormat format_;
};

} // namespace mixwright::console
