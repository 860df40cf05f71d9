// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// Reading liblo's message arguments (the OSC server, the NSM client and the tests).

#pragma once

#include <lo/lo.h>

#include <cstring>

namespace mixwright::console {

/// liblo hands out lo_arg pointers into the message buffer, 4-byte aligned, while the
/// union asks for 8: read the values with memcpy (UBSan flags member access).
template <typename T>
T oscValue(const lo_arg* a)
{
    T v;
    std::memcpy(&v, static_cast<const void*>(a), sizeof v);
    return v;
}

inline const char* oscString(const lo_arg* a) { return reinterpret_cast<const char*>(a); }

} // namespace mixwright::console
