// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC

#include "alloc_counter.hpp"

#include <cstdlib>
#include <malloc.h>

extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void __libc_free(void*);
void* __libc_memalign(std::size_t, std::size_t);
}

namespace {
thread_local bool tCounting = false;
thread_local std::size_t tCount = 0;
inline void note()
{
    if (tCounting)
        ++tCount;
}
} // namespace

extern "C" {
void* malloc(std::size_t n)
{
    note();
    return __libc_malloc(n);
}
void* calloc(std::size_t a, std::size_t b)
{
    note();
    return __libc_calloc(a, b);
}
void* realloc(void* p, std::size_t n)
{
    note();
    return __libc_realloc(p, n);
}
void free(void* p)
{
    if (p)
        note();
    __libc_free(p);
}
void* memalign(std::size_t a, std::size_t n)
{
    note();
    return __libc_memalign(a, n);
}
void* aligned_alloc(std::size_t a, std::size_t n)
{
    note();
    return __libc_memalign(a, n);
}
int posix_memalign(void** out, std::size_t a, std::size_t n)
{
    note();
    *out = __libc_memalign(a, n);
    return *out ? 0 : 12; // ENOMEM
}
}

namespace mwtest {

std::size_t allocationsCounted() { return tCount; }

CountAllocations::CountAllocations()
    : start_(tCount)
{
    tCounting = true;
}
CountAllocations::~CountAllocations() { tCounting = false; }
std::size_t CountAllocations::count() const { return tCount - start_; }

} // namespace mwtest
