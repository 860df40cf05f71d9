// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// The master's loudness meter (issue 6): momentary, short-term and integrated
// loudness, loudness range, true-peak and sample-peak maxima and stereo correlation,
// measured by the lib's dsp::LoudnessMeter (ITU-R BS.1770-4 / EBU R128, see
// mixwright/dsp/loudness.hpp) on the master after its fader, before the monitor
// section (dim, mono, cut only change what is heard, not the programme).
//
// Threading: the engine's master tap (process callback) only copies each block,
// interleaved, into a lock-free ring (2 s); a meter thread drains it every few
// milliseconds, runs the meter and, at the end of every 10 ms sub-block of audio,
// publishes the readings through atomics (100 Hz). The control thread reads them and
// asks for a reset (integrated, LRA and maxima restart; M and S keep their windows)
// through an atomic request the meter thread applies before its next block (and
// acknowledges), so the callback never sees either. Frames lost to a full ring (the meter thread starved
// for 2 s) are counted and shown. Tested by tests/test_console.cpp
// (console_loudness): a 1 kHz sine through a private JACK server against the same
// meter run offline on the same signal and against the closed form.

#pragma once

#include "mixwright/dsp/loudness.hpp"
#include "mixwright/rt/realtime.hpp"
#include "mixwright/rt/spsc_ring.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace mixwright::console {

/// One snapshot of the master loudness meter. Loudness in LUFS, range in LU, peaks in
/// dBTP / dBFS; "no signal" reads dsp::LoudnessMeter::kFloor (-120), never NaN.
struct LoudnessReading {
    double momentary = -120.0, shortTerm = -120.0, integrated = -120.0, range = 0.0;
    double momentaryMax = -120.0, shortTermMax = -120.0;
    double truePeakMax = -120.0, samplePeakMax = -120.0;
    double correlation = 0.0;
    double seconds = 0.0;   // audio measured since the last reset
    uint64_t dropped = 0;   // frames lost to a full ring since start
};

class MasterLoudness {
public:
    MasterLoudness() = default;
    ~MasterLoudness();
    MasterLoudness(const MasterLoudness&) = delete;
    MasterLoudness& operator=(const MasterLoudness&) = delete;

    /// Allocates the ring, the scratch and the meter's histograms; starts the meter
    /// thread. Call before the engine's tap is set.
    void start(double sampleRate);
    /// Stops the meter thread; call after the engine no longer calls tap().
    void stop();

    /// The engine's MasterTap: queues one block of the master (frames <= kMaxBlock).
    static void tap(void* self, const float* l, const float* r, uint32_t n) noexcept REALTIME;

    /// Control thread: restart integrated loudness, LRA and the maxima. Returns once
    /// the meter thread has done it (false after 1 s: it did not run), so a reading
    /// taken after this call is of the new integration.
    bool reset();
    /// Any thread.
    LoudnessReading read() const;

private:
    enum Value : std::size_t {
        kM, kS, kI, kLra, kMMax, kSMax, kTp, kSp, kCorr, kSeconds, kCount
    };
    void loop();
    void publish() noexcept REALTIME;
    static void onSubBlock(void* self, const dsp::LoudnessMeter& m) noexcept REALTIME;

    rt::SpscRing<float> ring_;      // interleaved L R
    std::vector<float> interleave_; // callback scratch
    dsp::LoudnessMeter meter_;      // meter thread only
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::atomic<uint32_t> resetRequests_{0};
    std::atomic<uint32_t> resetsDone_{0};
    uint64_t framesSinceReset_ = 0; // meter thread
    double rate_ = 48000.0;
    std::atomic<uint64_t> dropped_{0};
    std::array<std::atomic<double>, kCount> values_{};
};

} // namespace mixwright::console
