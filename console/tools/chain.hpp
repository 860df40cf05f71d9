// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// What the offline tools share: a plugin named on the command line with its settings
// (`-p URI [symbol=value ...] [--preset URI] [--label NAME]`), and how to apply it.

#pragma once

#include "host/host.hpp"

#include <string>
#include <utility>
#include <vector>

namespace mixwright::host::tools {

struct PluginSpec {
    std::string uri;
    std::vector<std::pair<std::string, std::string>> settings; // symbol, value text
    std::string preset;
    std::string label;
};

/// `symbol=value` (a setting) rather than a file name or an option.
bool isSetting(const std::string& arg);

/// A control value: a number, or true/false/on/off/yes/no. False on anything else.
bool parseValue(const std::string& text, float* value);

/// Loads the spec's preset, then its settings. A setting naming no input control or
/// with a value that is not a number is the user's mistake: false with *usageError set.
bool applySpec(Plugin& plugin, const PluginSpec& spec, std::string* error, bool* usageError);

/// "a, b, c": the input control symbols, for error messages.
std::string inputControlList(const Plugin& plugin);

/// Parses `--blocks 64,512` style lists of positive integers.
bool parseUintList(const std::string& text, std::vector<uint32_t>* out);

/// Parses a positive integer (whole string).
bool parseUint(const std::string& text, uint32_t* out);

} // namespace mixwright::host::tools
