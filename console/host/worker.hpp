// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// LV2 worker (jalv-shaped): requests from run() go through a lock-free ring to a worker
// thread, its responses come back through a second ring and are delivered on the audio
// thread. In offline mode the caller of run() does the work synchronously instead, so
// a render is deterministic.

#pragma once

#include "host/host.hpp"
#include "mixwright/rt/spsc_ring.hpp"

#include <atomic>
#include <cstdint>
#include <semaphore>
#include <thread>
#include <vector>

#include <lv2/worker/worker.h>

namespace mixwright::host {

class Worker {
public:
    /// `threaded` starts a worker thread once attach() is called.
    Worker(bool threaded, uint32_t ringBytes);
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    /// The feature data to pass at instantiation (valid before attach()).
    LV2_Worker_Schedule* schedule() { return &schedule_; }
    /// Connects the plugin's worker interface; starts the thread when threaded.
    void attach(LV2_Handle handle, const LV2_Worker_Interface* iface);
    /// Stops the thread; called before the instance is freed.
    void stop();

    /// Audio thread: hands the worker's responses to the plugin.
    void deliverResponses() noexcept MIXWRIGHT_HOST_REALTIME;
    /// Audio thread: the plugin's end_run, if any.
    void endRun() noexcept MIXWRIGHT_HOST_REALTIME;
    /// Offline: does all pending work now, in the caller's thread.
    void runPendingWork();

    bool threaded() const { return threaded_; }

private:
    static LV2_Worker_Status scheduleWork(LV2_Worker_Schedule_Handle handle, uint32_t size, const void* data);
    static LV2_Worker_Status respond(LV2_Worker_Respond_Handle handle, uint32_t size, const void* data);
    static bool write(rt::SpscRing<uint8_t>& ring, std::vector<uint8_t>& scratch, uint32_t size,
                      const void* data) noexcept;
    // Reads one message into `body`; returns its size or -1 when the ring is empty.
    static int64_t read(rt::SpscRing<uint8_t>& ring, std::vector<uint8_t>& body) noexcept;
    void threadMain();
    void doWork(uint32_t size, const void* data);

    bool threaded_;
    LV2_Worker_Schedule schedule_{};
    LV2_Handle handle_ = nullptr;
    const LV2_Worker_Interface* iface_ = nullptr;
    rt::SpscRing<uint8_t> requests_;
    rt::SpscRing<uint8_t> responses_;
    // Preallocated so a message goes into its ring with one push (all or nothing).
    std::vector<uint8_t> requestScratch_, responseScratch_;
    std::vector<uint8_t> requestBody_, responseBody_;
    std::counting_semaphore<> pending_{0};
    std::atomic<bool> exit_{false};
    std::thread thread_;
};

} // namespace mixwright::host
