// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC

#include "session.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

namespace mixwright::console {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

constexpr const char* kFormat = "mixwright-console-session";

json insertsToJson(const std::vector<InsertModel>& v, const std::string& folder)
{
    json a = json::array();
    for (const auto& ins : v) {
        json j;
        j["uri"] = ins.uri;
        j["params"] = ins.params;
        if (!ins.stateDir.empty()) {
            std::error_code ec;
            const fs::path rel = fs::relative(ins.stateDir, folder, ec);
            j["state"] = ec || rel.empty() ? ins.stateDir : rel.string();
        }
        a.push_back(j);
    }
    return a;
}

std::vector<InsertModel> insertsFromJson(const json& a, const std::string& folder)
{
    std::vector<InsertModel> v;
    for (const auto& j : a) {
        InsertModel ins;
        ins.uri = j.at("uri").get<std::string>();
        if (j.contains("params"))
            ins.params = j.at("params").get<std::map<std::string, float>>();
        if (j.contains("state")) {
            const fs::path p = j.at("state").get<std::string>();
            ins.stateDir = p.is_absolute() ? p.string() : (fs::path(folder) / p).string();
        }
        v.push_back(std::move(ins));
    }
    return v;
}

json connToJson(const std::array<std::vector<std::string>, 2>& c) { return json::array({c[0], c[1]}); }

std::array<std::vector<std::string>, 2> connFromJson(const json& j)
{
    std::array<std::vector<std::string>, 2> c;
    for (std::size_t i = 0; i < 2 && i < j.size(); ++i)
        c[i] = j.at(i).get<std::vector<std::string>>();
    return c;
}

json busToJson(const BusModel& b, const std::string& folder)
{
    json j;
    j["used"] = b.used;
    j["name"] = b.name;
    j["fader"] = b.fader;
    j["toMaster"] = b.toMaster;
    j["meterPre"] = b.meterPre;
    j["inserts"] = insertsToJson(b.inserts, folder);
    j["connections"] = connToJson(b.connections);
    return j;
}

void busFromJson(const json& j, BusModel& b, const std::string& folder)
{
    b.used = j.value("used", false);
    b.name = j.value("name", std::string());
    b.fader = j.value("fader", 0.f);
    b.toMaster = j.value("toMaster", false);
    b.meterPre = j.value("meterPre", false);
    b.inserts = insertsFromJson(j.value("inserts", json::array()), folder);
    b.connections = connFromJson(j.value("connections", json::array()));
}

json transportToJson(const TransportModel& t)
{
    json j;
    j["timebaseMaster"] = t.timebaseMaster;
    j["bpm"] = t.bpm;
    j["beatsPerBar"] = t.beatsPerBar;
    j["beatType"] = t.beatType;
    return j;
}

// Either spelling of a key (camelCase as written, snake_case as in the issue).
template <typename T>
T either(const json& j, const char* camel, const char* snake, T fallback)
{
    return j.contains(camel) ? j.at(camel).get<T>() : j.value(snake, fallback);
}

bool transportFromJson(const json& j, TransportModel& t, std::string* error)
{
    t.timebaseMaster = either(j, "timebaseMaster", "timebase_master", false);
    t.bpm = j.value("bpm", 120.0);
    t.beatsPerBar = either(j, "beatsPerBar", "beats_per_bar", 4);
    t.beatType = either(j, "beatType", "beat_type", 4);
    if (!(t.bpm >= kMinBpm && t.bpm <= kMaxBpm) || t.beatsPerBar < 1 || t.beatsPerBar > kMaxBeatsPerBar
        || !validBeatType(t.beatType)) {
        *error = "corrupt session file (transport: bpm 1..999, beatsPerBar 1..64, beatType 1, 2, 4, 8, 16 or 32)";
        return false;
    }
    return true;
}

} // namespace

bool validBeatType(int t) { return t == 1 || t == 2 || t == 4 || t == 8 || t == 16 || t == 32; }

std::string pluginFolderFor(const std::string& sessionPath)
{
    fs::path p(sessionPath);
    return (p.parent_path() / (p.stem().string() + ".plugins")).string();
}

std::string toJson(const SessionModel& s, const std::string& folder)
{
    json j;
    j["format"] = kFormat;
    j["version"] = kSessionVersion;
    j["demo"] = s.demo;
    j["transport"] = transportToJson(s.transport);
    json strips = json::array();
    for (const auto& st : s.strips) {
        json x;
        x["name"] = st.name;
        x["channels"] = st.channels;
        x["trim"] = st.trim;
        x["polarity"] = st.polarity;
        x["fader"] = st.fader;
        x["pan"] = st.pan;
        x["panLaw"] = st.panLaw;
        x["mute"] = st.mute;
        x["solo"] = st.solo;
        x["meterPre"] = st.meterPre;
        x["output"] = st.output < 0 ? std::string("master") : "group" + std::to_string(st.output + 1);
        json sends = json::array();
        for (const auto& sd : st.sends)
            sends.push_back({{"level", sd.level}, {"pre", sd.pre}});
        x["sends"] = sends;
        x["inserts"] = insertsToJson(st.inserts, folder);
        x["connections"] = connToJson(st.connections);
        strips.push_back(x);
    }
    j["strips"] = strips;
    json aux = json::array(), groups = json::array();
    for (const auto& b : s.aux)
        aux.push_back(busToJson(b, folder));
    for (const auto& b : s.groups)
        groups.push_back(busToJson(b, folder));
    j["aux"] = aux;
    j["groups"] = groups;
    json m = busToJson(s.master, folder);
    m["dim"] = s.master.dim;
    m["dimLevel"] = s.master.dimLevel;
    m["mono"] = s.master.mono;
    m["cut"] = s.master.cut;
    j["master"] = m;
    j["recording"] = {{"container", containerName(s.recording.container)},
                      {"sample", sampleName(s.recording.sample)}};
    return j.dump(2) + "\n";
}

bool fromJson(const std::string& text, const std::string& folder, SessionModel& out, std::string* error)
{
    json j;
    try {
        j = json::parse(text);
    } catch (const std::exception& e) {
        *error = std::string("corrupt session file (not valid JSON: ") + e.what() + ")";
        return false;
    }
    try {
        if (!j.is_object() || j.value("format", std::string()) != kFormat) {
            *error = "not a Mixwright console session (no \"format\": \"" + std::string(kFormat) + "\")";
            return false;
        }
        const int version = j.at("version").get<int>();
        if (version > kSessionVersion) {
            *error = "session file format version " + std::to_string(version) +
                     " is newer than this console reads (" + std::to_string(kSessionVersion) +
                     "); update Mixwright to open it";
            return false;
        }
        if (version < 1) {
            *error = "session file has an invalid format version " + std::to_string(version);
            return false;
        }
        SessionModel s;
        s.demo = j.value("demo", false);
        if (j.contains("transport") && !transportFromJson(j.at("transport"), s.transport, error))
            return false;
        const auto& strips = j.at("strips");
        if (!strips.is_array() || strips.size() > static_cast<std::size_t>(kMaxStrips)) {
            *error = "corrupt session file (strips must be an array of at most " + std::to_string(kMaxStrips) + ")";
            return false;
        }
        for (const auto& x : strips) {
            StripModel st;
            st.name = x.value("name", std::string());
            st.channels = x.value("channels", 1) == 2 ? 2 : 1;
            st.trim = x.value("trim", 0.f);
            st.polarity = x.value("polarity", false);
            st.fader = x.value("fader", 0.f);
            st.pan = x.value("pan", 0.f);
            st.panLaw = std::clamp(x.value("panLaw", 1), 0, 3);
            st.mute = x.value("mute", false);
            st.solo = x.value("solo", false);
            st.meterPre = x.value("meterPre", false);
            const std::string o = x.value("output", std::string("master"));
            st.output = -1;
            if (o.rfind("group", 0) == 0) {
                st.output = std::stoi(o.substr(5)) - 1;
                if (st.output < 0 || st.output >= kMaxGroups) {
                    *error = "corrupt session file (strip output '" + o + "')";
                    return false;
                }
            }
            const auto sends = x.value("sends", json::array());
            for (std::size_t a = 0; a < sends.size() && a < kMaxAux; ++a) {
                st.sends[a].level = sends[a].value("level", -120.f);
                st.sends[a].pre = sends[a].value("pre", false);
            }
            st.inserts = insertsFromJson(x.value("inserts", json::array()), folder);
            st.connections = connFromJson(x.value("connections", json::array()));
            s.strips.push_back(std::move(st));
        }
        const auto aux = j.value("aux", json::array());
        for (std::size_t i = 0; i < aux.size() && i < kMaxAux; ++i)
            busFromJson(aux[i], s.aux[i], folder);
        const auto groups = j.value("groups", json::array());
        for (std::size_t i = 0; i < groups.size() && i < kMaxGroups; ++i)
            busFromJson(groups[i], s.groups[i], folder);
        const auto& m = j.at("master");
        busFromJson(m, s.master, folder);
        s.master.used = true;
        s.master.dim = m.value("dim", false);
        s.master.dimLevel = m.value("dimLevel", -20.f);
        s.master.mono = m.value("mono", false);
        s.master.cut = m.value("cut", false);
        if (j.contains("recording")) {
            const auto& rec = j.at("recording");
            std::string err;
            if (!parseRecordFormat(rec.value("container", std::string("wav")), rec.value("sample", std::string()),
                                   s.recording, &err)) {
                *error = "recording format: " + err;
                return false;
            }
        }
        out = std::move(s);
        return true;
    } catch (const std::exception& e) {
        *error = std::string("corrupt session file (") + e.what() + ")";
        return false;
    }
}

bool readFile(const std::string& path, std::string& out, std::string* error)
{
    std::ifstream f(path, std::ios::binary);
    if (!f) {
        *error = "cannot read " + path + ": " + std::strerror(errno);
        return false;
    }
    std::ostringstream ss;
    ss << f.rdbuf();
    out = ss.str();
    return true;
}

bool saveAtomic(const std::string& path, const std::string& text, std::string* error)
{
    const std::string tmp = path + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        *error = "cannot write " + tmp + ": " + std::strerror(errno);
        return false;
    }
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t w = ::write(fd, text.data() + done, text.size() - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            *error = "cannot write " + tmp + ": " + std::strerror(errno);
            ::close(fd);
            ::unlink(tmp.c_str());
            return false;
        }
        done += static_cast<std::size_t>(w);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        *error = "cannot sync " + tmp + ": " + std::strerror(errno);
        ::unlink(tmp.c_str());
        return false;
    }
    std::error_code ec;
    if (fs::exists(path, ec)) {
        fs::copy_file(path, path + ".bak", fs::copy_options::overwrite_existing, ec);
        if (ec) {
            *error = "cannot keep the previous file as " + path + ".bak: " + ec.message();
            ::unlink(tmp.c_str());
            return false;
        }
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        *error = "cannot rename " + tmp + " to " + path + ": " + std::strerror(errno);
        ::unlink(tmp.c_str());
        return false;
    }
    fs::path dir = fs::path(path).parent_path();
    if (dir.empty())
        dir = ".";
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return true;
}

} // namespace mixwright::console
