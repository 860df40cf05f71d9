// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Recording: the process callback copies armed strips' inputs (after the demo
// generator, before trim) and the master's output into one lock-free ring per track;
// a disk thread writes them with libsndfile (32-bit float WAV) into the take folder.
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
    /// Opens one file per track in `folder` (created), named take<N>-<track>.wav.
    /// `seconds` sizes each ring (buffered audio before the disk thread must catch up).
    bool open(const std::string& folder, int take, double rate, const std::vector<std::pair<int, int>>& tracks,
              double seconds, std::string* error);
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
};

} // namespace mixwright::console
