// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Counts heap allocations made by the calling thread while a scope is open. The
// test executable interposes malloc/calloc/realloc/free/aligned allocations (C code
// and C++ operator new both end there), so allocations inside plugins' .so files are
// counted too. Not usable with ASan/RTSan builds, which interpose the same symbols.

#pragma once

#include <cstddef>

namespace mwtest {

std::size_t allocationsCounted();

class CountAllocations {
public:
    CountAllocations();
    ~CountAllocations();
    std::size_t count() const;

private:
    std::size_t start_;
};

} // namespace mwtest
