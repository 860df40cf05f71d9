// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC

#include "host/worker.hpp"

#include <cstring>

namespace mixwright::host {

Worker::Worker(bool threaded, uint32_t ringBytes)
    : threaded_(threaded)
    , requests_(ringBytes)
    , responses_(ringBytes)
    , requestScratch_(ringBytes + sizeof(uint32_t))
    , responseScratch_(ringBytes + sizeof(uint32_t))
    , requestBody_(ringBytes)
    , responseBody_(ringBytes)
{
    schedule_.handle = this;
    schedule_.schedule_work = &Worker::scheduleWork;
}

Worker::~Worker() { stop(); }

void Worker::attach(LV2_Handle handle, const LV2_Worker_Interface* iface)
{
    handle_ = handle;
    iface_ = iface;
    if (threaded_ && iface_ && iface_->work && !thread_.joinable())
        thread_ = std::thread([this] { threadMain(); });
}

void Worker::stop()
{
    if (!thread_.joinable())
        return;
    exit_.store(true, std::memory_order_release);
    pending_.release();
    thread_.join();
}

bool Worker::write(rt::SpscRing<uint8_t>& ring, std::vector<uint8_t>& scratch, uint32_t size,
                   const void* data) noexcept
{
    const std::size_t total = sizeof(uint32_t) + size;
    if (total > scratch.size() || total > ring.writable())
        return false;
    std::memcpy(scratch.data(), &size, sizeof(uint32_t));
    if (size)
        std::memcpy(scratch.data() + sizeof(uint32_t), data, size);
    return ring.push(scratch.data(), total);
}

int64_t Worker::read(rt::SpscRing<uint8_t>& ring, std::vector<uint8_t>& body) noexcept
{
    uint32_t size = 0;
    if (ring.readable() < sizeof(uint32_t))
        return -1;
    // The writer pushed header and body in one push, so the body is there too.
    ring.pop(reinterpret_cast<uint8_t*>(&size), sizeof(uint32_t));
    if (size > body.size()) {
        // Cannot happen (write() refuses messages larger than the ring); drop it.
        uint8_t sink[256];
        for (uint32_t left = size; left > 0;)
            left -= static_cast<uint32_t>(ring.pop(sink, left < sizeof(sink) ? left : sizeof(sink)));
        return -1;
    }
    ring.pop(body.data(), size);
    return size;
}

LV2_Worker_Status Worker::scheduleWork(LV2_Worker_Schedule_Handle handle, uint32_t size, const void* data)
{
    auto* self = static_cast<Worker*>(handle);
    if (!self->iface_ || !self->iface_->work)
        return LV2_WORKER_ERR_UNKNOWN;
    if (!write(self->requests_, self->requestScratch_, size, data))
        return LV2_WORKER_ERR_NO_SPACE;
    if (self->threaded_)
        self->pending_.release();
    return LV2_WORKER_SUCCESS;
}

LV2_Worker_Status Worker::respond(LV2_Worker_Respond_Handle handle, uint32_t size, const void* data)
{
    auto* self = static_cast<Worker*>(handle);
    return write(self->responses_, self->responseScratch_, size, data) ? LV2_WORKER_SUCCESS
                                                                       : LV2_WORKER_ERR_NO_SPACE;
}

void Worker::doWork(uint32_t size, const void* data)
{
    iface_->work(handle_, &Worker::respond, this, size, data);
}

void Worker::threadMain()
{
    for (;;) {
        pending_.acquire();
        if (exit_.load(std::memory_order_acquire))
            break;
        const int64_t size = read(requests_, requestBody_);
        if (size >= 0)
            doWork(static_cast<uint32_t>(size), requestBody_.data());
    }
}

void Worker::runPendingWork()
{
    if (!iface_ || !iface_->work)
        return;
    for (int64_t size; (size = read(requests_, requestBody_)) >= 0;)
        doWork(static_cast<uint32_t>(size), requestBody_.data());
}

void Worker::deliverResponses() noexcept
{
    if (!iface_ || !iface_->work_response)
        return;
    for (int64_t size; (size = read(responses_, responseBody_)) >= 0;)
        iface_->work_response(handle_, static_cast<uint32_t>(size), responseBody_.data());
}

void Worker::endRun() noexcept
{
    if (iface_ && iface_->end_run)
        iface_->end_run(handle_);
}

} // namespace mixwright::host
