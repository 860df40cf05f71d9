// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC

#include "tools/chain.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace mixwright::host::tools {

bool isSetting(const std::string& arg)
{
    const auto eq = arg.find('=');
    return eq != std::string::npos && eq > 0 && arg[0] != '-';
}

bool parseValue(const std::string& text, float* value)
{
    if (text == "true" || text == "on" || text == "yes") {
        *value = 1.f;
        return true;
    }
    if (text == "false" || text == "off" || text == "no") {
        *value = 0.f;
        return true;
    }
    if (text.empty())
        return false;
    char* end = nullptr;
    errno = 0;
    const float v = std::strtof(text.c_str(), &end);
    // NaN and infinities are accepted on purpose: tests feed them to plugins.
    if (errno == ERANGE && std::isfinite(v) && v != 0.f)
        return false;
    if (end == text.c_str() || *end != '\0')
        return false;
    *value = v;
    return true;
}

std::string inputControlList(const Plugin& plugin)
{
    std::string out;
    for (const PortInfo& p : plugin.ports())
        if (p.kind == PortKind::ControlIn)
            out += (out.empty() ? "" : ", ") + p.symbol;
    return out.empty() ? "(none)" : out;
}

bool applySpec(Plugin& plugin, const PluginSpec& spec, std::string* error, bool* usageError)
{
    *usageError = false;
    if (!spec.preset.empty() && !plugin.loadPreset(spec.preset, error)) {
        *error = "plugin <" + spec.uri + ">: " + *error;
        *usageError = true;
        return false;
    }
    for (const auto& [symbol, text] : spec.settings) {
        float v = 0.f;
        if (!parseValue(text, &v)) {
            *error = "plugin <" + spec.uri + ">: bad value '" + text + "' for '" + symbol + "' (want a number)";
            *usageError = true;
            return false;
        }
        if (!plugin.setControl(symbol, v)) {
            *error = "plugin <" + spec.uri + "> has no input control '" + symbol
                     + "'; its controls are: " + inputControlList(plugin);
            *usageError = true;
            return false;
        }
    }
    return true;
}

bool parseUint(const std::string& text, uint32_t* out)
{
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 9)
        return false;
    const unsigned long v = std::strtoul(text.c_str(), nullptr, 10);
    if (v == 0)
        return false;
    *out = static_cast<uint32_t>(v);
    return true;
}

bool parseUintList(const std::string& text, std::vector<uint32_t>* out)
{
    out->clear();
    std::stringstream ss(text);
    for (std::string item; std::getline(ss, item, ',');) {
        uint32_t v = 0;
        if (!parseUint(item, &v))
            return false;
        out->push_back(v);
    }
    return !out->empty();
}

} // namespace mixwright::host::tools
