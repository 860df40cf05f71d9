// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// One plugin instance: features, port buffers, run(), state and presets.

#include "host/host.hpp"
#include "host/worker.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>

#include <unistd.h>

#include <lv2/atom/atom.h>
#include <lv2/atom/forge.h>
#include <lv2/buf-size/buf-size.h>
#include <lv2/core/lv2.h>
#include <lv2/log/log.h>
#include <lv2/options/options.h>
#include <lv2/parameters/parameters.h>
#include <lv2/port-props/port-props.h>
#include <lv2/presets/presets.h>
#include <lv2/resize-port/resize-port.h>
#include <lv2/state/state.h>
#include <lv2/time/time.h>
#include <lv2/urid/urid.h>
#include <lv2/worker/worker.h>

#if defined(__has_feature)
#if __has_feature(realtime_sanitizer)
#include <sanitizer/rtsan_interface.h>
#define MIXWRIGHT_HOST_HAVE_RTSAN 1
#endif
#endif

namespace mixwright::host {

namespace {

constexpr uint32_t kDefaultSequenceSize = 32768;
constexpr uint32_t kWorkerRingBytes = 1u << 16;

// Features we give every plugin; a required feature outside this list refuses the load.
constexpr const char* kSupportedFeatures[] = {
    LV2_URID__map,
    LV2_URID__unmap,
    LV2_OPTIONS__options,
    LV2_BUF_SIZE__boundedBlockLength,
    LV2_LOG__log,
    LV2_STATE__makePath,
    LV2_STATE__mapPath,
    LV2_STATE__freePath,
    LV2_WORKER__schedule,
    LV2_CORE__hardRTCapable,
    LV2_CORE__isLive,
};

// Nodes looked up once per plugin load; freed with the struct.
struct Nodes {
    LilvWorld* w;
    LilvNode* input;
    LilvNode* output;
    LilvNode* audio;
    LilvNode* control;
    LilvNode* atom;
    LilvNode* cv;
    LilvNode* toggled;
    LilvNode* integer;
    LilvNode* enumeration;
    LilvNode* logarithmic;
    LilvNode* sidechain;
    LilvNode* reportsLatency;
    LilvNode* designation;
    LilvNode* latency;
    LilvNode* enabled;
    LilvNode* minimumSize;
    LilvNode* connectionOptional;
    LilvNode* timePosition;

    explicit Nodes(LilvWorld* world)
        : w(world)
        , input(uri(LV2_CORE__InputPort))
        , output(uri(LV2_CORE__OutputPort))
        , audio(uri(LV2_CORE__AudioPort))
        , control(uri(LV2_CORE__ControlPort))
        , atom(uri(LV2_ATOM__AtomPort))
        , cv(uri(LV2_CORE__CVPort))
        , toggled(uri(LV2_CORE__toggled))
        , integer(uri(LV2_CORE__integer))
        , enumeration(uri(LV2_CORE__enumeration))
        , logarithmic(uri(LV2_PORT_PROPS__logarithmic))
        , sidechain(uri(LV2_CORE_PREFIX "isSideChain"))
        , reportsLatency(uri(LV2_CORE__reportsLatency))
        , designation(uri(LV2_CORE__designation))
        , latency(uri(LV2_CORE__latency))
        , enabled(uri(LV2_CORE__enabled))
        , minimumSize(uri(LV2_RESIZE_PORT__minimumSize))
        , connectionOptional(uri(LV2_CORE__connectionOptional))
        , timePosition(uri(LV2_TIME__Position))
    {
    }
    ~Nodes()
    {
        for (LilvNode* n : {input, output, audio, control, atom, cv, toggled, integer, enumeration, logarithmic,
                            sidechain, reportsLatency, designation, latency, enabled, minimumSize,
                            connectionOptional, timePosition})
            lilv_node_free(n);
    }
    Nodes(const Nodes&) = delete;
    Nodes& operator=(const Nodes&) = delete;

    LilvNode* uri(const char* u) const { return lilv_new_uri(w, u); }
};

bool portHasDesignation(const LilvPlugin* plugin, const LilvPort* port, const Nodes& n, const LilvNode* what)
{
    LilvNodes* values = lilv_port_get_value(plugin, port, n.designation);
    const bool has = values && lilv_nodes_contains(values, what);
    lilv_nodes_free(values);
    return has;
}

// Atom buffers hold 64-bit aligned sequences.
struct AtomBuffer {
    uint32_t index;
    bool input;
    uint32_t capacity; // bytes, header included
    std::unique_ptr<uint64_t[]> mem;
    bool timePosition = false; // input that supports time:Position
    LV2_Atom_Sequence* seq() { return reinterpret_cast<LV2_Atom_Sequence*>(mem.get()); }
};

} // namespace

struct Plugin::Impl {
    World* world = nullptr;
    const LilvPlugin* plugin = nullptr;
    std::string uri;
    InstanceOptions opts;
    LilvInstance* instance = nullptr;
    bool active = false;

    std::vector<PortInfo> ports;
    std::vector<float> controls; // by port index; unused for other kinds
    std::vector<uint32_t> audioIn, audioOut; // port indices in index order
    uint32_t mainIn = 0, mainOut = 0;
    int latencyPort = -1;

    std::vector<float> silence;
    std::vector<std::vector<float>> scratch;  // one per audio output
    std::vector<std::vector<float>> cvBuffers; // one per CV port
    std::vector<AtomBuffer> atoms;
    std::vector<std::unique_ptr<uint64_t[]>> otherBuffers;
    uint32_t sequenceSize = kDefaultSequenceSize;
    LV2_URID atomSequence = 0, atomChunk = 0;

    // time:Position for the ports that support it: what was last sent, and the frame
    // the next run() continues from when nothing happened in between.
    bool anyTimePort = false;
    LV2_Atom_Forge forge{};
    struct TimeUrids {
        LV2_URID position, speed, frame, bar, barBeat, beat, beatUnit, beatsPerBar, beatsPerMinute;
    } time{};
    bool timeSent = false;
    TransportPosition lastTime{};
    uint64_t nextFrame = 0;

    // Feature data. Everything a plugin may keep a pointer to lives as long as the instance.
    float sampleRateF = 0.f;
    int32_t minBlock = 0, maxBlock = 0, nominalBlock = 0, seqSizeI = 0;
    std::vector<LV2_Options_Option> options;
    LV2_Log_Log log{};
    LV2_State_Make_Path makePath{};
    LV2_State_Map_Path mapPath{};
    LV2_State_Free_Path freePath{};
    std::unique_ptr<Worker> worker;
    std::vector<LV2_Feature> featureStore;
    std::vector<const LV2_Feature*> features;      // all, for instantiation
    std::vector<const LV2_Feature*> stateFeatures; // without state paths (lilv adds its own)
    std::string scratchDir;
    LV2_URID logError = 0, logWarning = 0, logTrace = 0;

    ~Impl()
    {
        if (instance) {
            if (active)
                lilv_instance_deactivate(instance);
            if (worker)
                worker->stop();
            lilv_instance_free(instance);
        }
        if (!scratchDir.empty()) {
            std::error_code ec;
            std::filesystem::remove_all(scratchDir, ec);
        }
    }

    static int logVprintf(LV2_Log_Handle handle, LV2_URID type, const char* fmt, va_list ap)
    {
        auto* self = static_cast<Impl*>(handle);
        if (type == self->logTrace && !std::getenv("MIXWRIGHT_LV2_TRACE"))
            return 0;
        const char* kind = type == self->logError ? "error" : type == self->logWarning ? "warning" : "note";
        std::fprintf(stderr, "[%s] %s: ", self->uri.c_str(), kind);
        return std::vfprintf(stderr, fmt, ap);
    }
    static int logPrintf(LV2_Log_Handle handle, LV2_URID type, const char* fmt, ...)
    {
        va_list ap;
        va_start(ap, fmt);
        const int r = logVprintf(handle, type, fmt, ap);
        va_end(ap);
        return r;
    }

    // Paths stay absolute: a host that does not move its files needs no mapping.
    static char* abstractPath(LV2_State_Map_Path_Handle, const char* path) { return strdup(path); }
    static char* absolutePath(LV2_State_Map_Path_Handle, const char* path) { return strdup(path); }
    static void freePathFn(LV2_State_Free_Path_Handle, char* path) { std::free(path); }
    static char* makePathFn(LV2_State_Make_Path_Handle handle, const char* path)
    {
        namespace fs = std::filesystem;
        auto* self = static_cast<Impl*>(handle);
        std::error_code ec;
        if (self->scratchDir.empty()) {
            static std::atomic<unsigned> counter{0};
            const fs::path dir = fs::temp_directory_path(ec)
                                 / ("mixwright-host-" + std::to_string(::getpid()) + "-"
                                    + std::to_string(counter.fetch_add(1)));
            fs::create_directories(dir, ec);
            self->scratchDir = dir.string();
        }
        const fs::path full = fs::path(self->scratchDir) / path;
        fs::create_directories(full.parent_path(), ec);
        return strdup(full.string().c_str());
    }

    void addFeature(const char* featureUri, void* data) { featureStore.push_back({featureUri, data}); }

    void buildFeatures()
    {
        LV2_URID_Map* map = world->mapFeature();
        const LV2_URID atomFloat = map->map(map->handle, LV2_ATOM__Float);
        const LV2_URID atomInt = map->map(map->handle, LV2_ATOM__Int);
        sampleRateF = static_cast<float>(opts.sampleRate);
        maxBlock = static_cast<int32_t>(opts.maxBlock);
        minBlock = static_cast<int32_t>(opts.minBlock);
        nominalBlock = static_cast<int32_t>(opts.nominalBlock ? opts.nominalBlock : opts.maxBlock);
        seqSizeI = static_cast<int32_t>(sequenceSize);
        const auto opt = [&](const char* key, LV2_URID type, const void* value) {
            options.push_back({LV2_OPTIONS_INSTANCE, 0, map->map(map->handle, key), sizeof(int32_t), type, value});
        };
        opt(LV2_PARAMETERS__sampleRate, atomFloat, &sampleRateF);
        opt(LV2_BUF_SIZE__minBlockLength, atomInt, &minBlock);
        opt(LV2_BUF_SIZE__maxBlockLength, atomInt, &maxBlock);
        opt(LV2_BUF_SIZE__nominalBlockLength, atomInt, &nominalBlock);
        opt(LV2_BUF_SIZE__sequenceSize, atomInt, &seqSizeI);
        options.push_back({LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, nullptr});

        logError = map->map(map->handle, LV2_LOG__Error);
        logWarning = map->map(map->handle, LV2_LOG__Warning);
        logTrace = map->map(map->handle, LV2_LOG__Trace);
        log = {this, &Impl::logPrintf, &Impl::logVprintf};
        makePath = {this, &Impl::makePathFn};
        mapPath = {this, &Impl::abstractPath, &Impl::absolutePath};
        freePath = {this, &Impl::freePathFn};
        worker = std::make_unique<Worker>(!opts.offline, kWorkerRingBytes);

        // Reserved up front: features[] points into featureStore.
        featureStore.reserve(16);
        addFeature(LV2_URID__map, world->mapFeature());
        addFeature(LV2_URID__unmap, world->unmapFeature());
        addFeature(LV2_OPTIONS__options, options.data());
        addFeature(LV2_BUF_SIZE__boundedBlockLength, nullptr);
        addFeature(LV2_LOG__log, &log);
        addFeature(LV2_WORKER__schedule, worker->schedule());
        addFeature(LV2_CORE__hardRTCapable, nullptr);
        if (!opts.offline)
            addFeature(LV2_CORE__isLive, nullptr);
        const std::size_t nonState = featureStore.size();
        addFeature(LV2_STATE__makePath, &makePath);
        addFeature(LV2_STATE__mapPath, &mapPath);
        addFeature(LV2_STATE__freePath, &freePath);
        for (std::size_t i = 0; i < featureStore.size(); ++i) {
            features.push_back(&featureStore[i]);
            if (i < nonState)
                stateFeatures.push_back(&featureStore[i]);
        }
        features.push_back(nullptr);
        stateFeatures.push_back(nullptr);
    }

    bool scanPorts(std::string* error)
    {
        const Nodes n(world->lilv());
        const uint32_t count = lilv_plugin_get_num_ports(plugin);
        std::vector<float> mins(count), maxs(count), defs(count);
        lilv_plugin_get_port_ranges_float(plugin, mins.data(), maxs.data(), defs.data());
        ports.reserve(count);
        controls.assign(count, 0.f);
        for (uint32_t i = 0; i < count; ++i) {
            const LilvPort* port = lilv_plugin_get_port_by_index(plugin, i);
            PortInfo p{};
            p.index = i;
            p.symbol = lilv_node_as_string(lilv_port_get_symbol(plugin, port));
            if (LilvNode* name = lilv_port_get_name(plugin, port)) {
                p.name = lilv_node_as_string(name);
                lilv_node_free(name);
            }
            p.min = mins[i];
            p.max = maxs[i];
            p.def = defs[i];
            p.toggled = lilv_port_has_property(plugin, port, n.toggled);
            p.integer = lilv_port_has_property(plugin, port, n.integer);
            p.enumeration = lilv_port_has_property(plugin, port, n.enumeration);
            p.logarithmic = lilv_port_has_property(plugin, port, n.logarithmic);
            p.sidechain = lilv_port_has_property(plugin, port, n.sidechain);
            p.reportsLatency = lilv_port_has_property(plugin, port, n.reportsLatency)
                               || portHasDesignation(plugin, port, n, n.latency);
            p.enabledDesignation = portHasDesignation(plugin, port, n, n.enabled);
            const bool in = lilv_port_is_a(plugin, port, n.input);
            const bool out = lilv_port_is_a(plugin, port, n.output);
            if (lilv_port_is_a(plugin, port, n.audio))
                p.kind = in ? PortKind::AudioIn : PortKind::AudioOut;
            else if (lilv_port_is_a(plugin, port, n.control))
                p.kind = in ? PortKind::ControlIn : PortKind::ControlOut;
            else if (lilv_port_is_a(plugin, port, n.atom))
                p.kind = in ? PortKind::AtomIn : PortKind::AtomOut;
            else if (lilv_port_is_a(plugin, port, n.cv))
                p.kind = in ? PortKind::CvIn : PortKind::CvOut;
            else
                p.kind = PortKind::Other;
            if (!in && !out && p.kind != PortKind::Other) {
                *error = "port '" + p.symbol + "' is neither input nor output";
                return false;
            }

            switch (p.kind) {
            case PortKind::AudioIn:
                audioIn.push_back(i);
                mainIn += p.sidechain ? 0 : 1;
                break;
            case PortKind::AudioOut:
                audioOut.push_back(i);
                mainOut += p.sidechain ? 0 : 1;
                break;
            case PortKind::ControlIn:
                controls[i] = std::isfinite(p.def) ? p.def : std::isfinite(p.min) ? p.min : 0.f;
                break;
            case PortKind::ControlOut:
                if (p.reportsLatency && latencyPort < 0)
                    latencyPort = static_cast<int>(i);
                break;
            case PortKind::AtomIn:
            case PortKind::AtomOut: {
                uint32_t size = 0;
                if (LilvNode* min = lilv_port_get(plugin, port, n.minimumSize)) {
                    if (lilv_node_is_int(min) && lilv_node_as_int(min) > 0)
                        size = static_cast<uint32_t>(lilv_node_as_int(min));
                    lilv_node_free(min);
                }
                sequenceSize = std::max(sequenceSize, size);
                p.timePosition = p.kind == PortKind::AtomIn && lilv_port_supports_event(plugin, port, n.timePosition);
                anyTimePort = anyTimePort || p.timePosition;
                atoms.push_back({i, p.kind == PortKind::AtomIn, 0, nullptr, p.timePosition});
                break;
            }
            case PortKind::CvIn:
            case PortKind::CvOut:
            case PortKind::Other:
                break;
            }
            ports.push_back(std::move(p));
        }
        return true;
    }

    void allocateBuffers()
    {
        const uint32_t frames = std::max<uint32_t>(opts.maxBlock, 1);
        silence.assign(frames, 0.f);
        scratch.assign(audioOut.size(), std::vector<float>(frames, 0.f));
        const uint32_t words = (sequenceSize + 7) / 8;
        for (AtomBuffer& a : atoms) {
            a.capacity = words * 8;
            a.mem = std::make_unique<uint64_t[]>(words);
        }
        LV2_URID_Map* map = world->mapFeature();
        atomSequence = map->map(map->handle, LV2_ATOM__Sequence);
        atomChunk = map->map(map->handle, LV2_ATOM__Chunk);
        if (anyTimePort) {
            lv2_atom_forge_init(&forge, map);
            const auto m = [&](const char* u) { return map->map(map->handle, u); };
            time = {m(LV2_TIME__Position), m(LV2_TIME__speed), m(LV2_TIME__frame), m(LV2_TIME__bar),
                    m(LV2_TIME__barBeat), m(LV2_TIME__beat), m(LV2_TIME__beatUnit), m(LV2_TIME__beatsPerBar),
                    m(LV2_TIME__beatsPerMinute)};
        }
    }

    void connectStaticPorts()
    {
        const Nodes n(world->lilv());
        for (const PortInfo& p : ports) {
            switch (p.kind) {
            case PortKind::ControlIn:
            case PortKind::ControlOut:
                lilv_instance_connect_port(instance, p.index, &controls[p.index]);
                break;
            case PortKind::CvIn:
            case PortKind::CvOut:
                cvBuffers.emplace_back(std::max<uint32_t>(opts.maxBlock, 1), 0.f);
                lilv_instance_connect_port(instance, p.index, cvBuffers.back().data());
                break;
            case PortKind::Other: {
                // Unknown port types (e.g. the old event extension): a zeroed buffer is
                // safer than a null pointer unless the plugin says null is fine.
                const LilvPort* port = lilv_plugin_get_port_by_index(plugin, p.index);
                if (lilv_port_has_property(plugin, port, n.connectionOptional)) {
                    lilv_instance_connect_port(instance, p.index, nullptr);
                } else {
                    otherBuffers.push_back(std::make_unique<uint64_t[]>((sequenceSize + 7) / 8));
                    lilv_instance_connect_port(instance, p.index, otherBuffers.back().get());
                }
                break;
            }
            default:
                break;
            }
        }
        for (AtomBuffer& a : atoms)
            lilv_instance_connect_port(instance, a.index, a.mem.get());
        // Audio gets silent/scratch buffers until the first run() connects the caller's.
        for (std::size_t i = 0; i < audioIn.size(); ++i)
            lilv_instance_connect_port(instance, audioIn[i], silence.data());
        for (std::size_t i = 0; i < audioOut.size(); ++i)
            lilv_instance_connect_port(instance, audioOut[i], scratch[i].data());
    }

    void resetAtoms() noexcept MIXWRIGHT_HOST_REALTIME
    {
        for (AtomBuffer& a : atoms) {
            LV2_Atom_Sequence* seq = a.seq();
            if (a.input) {
                seq->atom.size = sizeof(LV2_Atom_Sequence_Body);
                seq->atom.type = atomSequence;
            } else {
                // Output: the plugin learns the capacity from the atom size.
                seq->atom.size = a.capacity - static_cast<uint32_t>(sizeof(LV2_Atom));
                seq->atom.type = atomChunk;
            }
            seq->body.unit = 0;
            seq->body.pad = 0;
        }
    }

    void runOfflineWork();
    void sendTime(const TransportPosition& t, uint32_t frames) noexcept MIXWRIGHT_HOST_REALTIME;

    // Port value callbacks for lilv state.
    static const void* getPortValue(const char* symbol, void* userData, uint32_t* size, uint32_t* type)
    {
        auto* self = static_cast<Impl*>(userData);
        for (const PortInfo& p : self->ports) {
            if (p.kind == PortKind::ControlIn && p.symbol == symbol) {
                LV2_URID_Map* map = self->world->mapFeature();
                *size = sizeof(float);
                *type = map->map(map->handle, LV2_ATOM__Float);
                return &self->controls[p.index];
            }
        }
        *size = 0;
        *type = 0;
        return nullptr;
    }
    static void setPortValue(const char* symbol, void* userData, const void* value, uint32_t size, uint32_t type)
    {
        auto* self = static_cast<Impl*>(userData);
        LV2_URID_Map* map = self->world->mapFeature();
        const auto m = [&](const char* u) { return map->map(map->handle, u); };
        float v = 0.f;
        if (type == m(LV2_ATOM__Float) && size == sizeof(float))
            std::memcpy(&v, value, sizeof v);
        else if (type == m(LV2_ATOM__Double) && size == sizeof(double)) {
            double d;
            std::memcpy(&d, value, sizeof d);
            v = static_cast<float>(d);
        } else if ((type == m(LV2_ATOM__Int) || type == m(LV2_ATOM__Bool)) && size == sizeof(int32_t)) {
            int32_t i;
            std::memcpy(&i, value, sizeof i);
            v = static_cast<float>(i);
        } else if (type == m(LV2_ATOM__Long) && size == sizeof(int64_t)) {
            int64_t i;
            std::memcpy(&i, value, sizeof i);
            v = static_cast<float>(i);
        } else {
            std::fprintf(stderr, "[%s] state: port '%s' has a value of unsupported type, ignored\n",
                         self->uri.c_str(), symbol);
            return;
        }
        for (const PortInfo& p : self->ports) {
            if (p.kind == PortKind::ControlIn && p.symbol == symbol) {
                self->controls[p.index] = v;
                return;
            }
        }
    }

    bool restore(const LilvState* state, const std::string& what, std::string* error)
    {
        const LilvNode* stateFor = lilv_state_get_plugin_uri(state);
        if (!stateFor || uri != lilv_node_as_uri(stateFor)) {
            if (error)
                *error = what + " is for plugin <" + (stateFor ? lilv_node_as_uri(stateFor) : "?")
                         + ">, not <" + uri + ">";
            return false;
        }
        lilv_state_restore(state, instance, &Impl::setPortValue, this, 0, stateFeatures.data());
        if (opts.offline && worker) {
            // Work scheduled by restore must not wait for a render to start.
            worker->runPendingWork();
            worker->deliverResponses();
        }
        return true;
    }
};

Plugin::Plugin()
    : impl_(std::make_unique<Impl>())
{
}

Plugin::~Plugin() = default;

std::unique_ptr<Plugin> Plugin::create(World& world, const std::string& uri, const InstanceOptions& options,
                                       std::string* error)
{
    std::string localError;
    if (!error)
        error = &localError;
    const LilvPlugin* lp = world.findPlugin(uri);
    if (!lp) {
        *error = "plugin <" + uri + "> not found (check LV2_PATH)";
        return nullptr;
    }
    if (!(options.sampleRate > 0.0) || !std::isfinite(options.sampleRate)) {
        *error = "plugin <" + uri + ">: invalid sample rate";
        return nullptr;
    }
    if (options.maxBlock == 0 || options.maxBlock > (1u << 24) || options.minBlock > options.maxBlock
        || options.nominalBlock > options.maxBlock) {
        *error = "plugin <" + uri + ">: invalid block lengths (need min <= nominal <= max, max > 0)";
        return nullptr;
    }

    LilvNodes* required = lilv_plugin_get_required_features(lp);
    std::string missing;
    LILV_FOREACH (nodes, i, required) {
        const char* f = lilv_node_as_uri(lilv_nodes_get(required, i));
        const bool ok = std::any_of(std::begin(kSupportedFeatures), std::end(kSupportedFeatures),
                                    [&](const char* s) { return std::strcmp(s, f) == 0; });
        if (!ok)
            missing += std::string(missing.empty() ? "" : ", ") + f;
    }
    lilv_nodes_free(required);
    if (!missing.empty()) {
        *error = "plugin <" + uri + "> requires a feature this host does not provide: " + missing;
        return nullptr;
    }

    std::unique_ptr<Plugin> self(new Plugin());
    Impl& d = *self->impl_;
    d.world = &world;
    d.plugin = lp;
    d.uri = uri;
    d.opts = options;
    if (!d.scanPorts(error)) {
        *error = "plugin <" + uri + ">: " + *error;
        return nullptr;
    }
    d.allocateBuffers();
    d.buildFeatures();
    d.instance = lilv_plugin_instantiate(lp, options.sampleRate, d.features.data());
    if (!d.instance) {
        *error = "plugin <" + uri + "> failed to instantiate at " + std::to_string(options.sampleRate)
                 + " Hz (the plugin refused, or its binary could not be loaded)";
        return nullptr;
    }
    const auto* iface = static_cast<const LV2_Worker_Interface*>(
        lilv_instance_get_extension_data(d.instance, LV2_WORKER__interface));
    d.worker->attach(lilv_instance_get_handle(d.instance), iface);
    d.connectStaticPorts();
    d.resetAtoms();
    return self;
}

const std::string& Plugin::uri() const { return impl_->uri; }

std::string Plugin::name() const
{
    LilvNode* n = lilv_plugin_get_name(impl_->plugin);
    std::string s = n ? lilv_node_as_string(n) : impl_->uri;
    lilv_node_free(n);
    return s;
}

const std::vector<PortInfo>& Plugin::ports() const { return impl_->ports; }
uint32_t Plugin::audioInputs() const { return static_cast<uint32_t>(impl_->audioIn.size()); }
uint32_t Plugin::audioOutputs() const { return static_cast<uint32_t>(impl_->audioOut.size()); }
uint32_t Plugin::mainAudioInputs() const { return impl_->mainIn; }
uint32_t Plugin::mainAudioOutputs() const { return impl_->mainOut; }
const InstanceOptions& Plugin::options() const { return impl_->opts; }
LilvInstance* Plugin::instance() const { return impl_->instance; }

int Plugin::controlIndex(const std::string& symbol) const
{
    for (const PortInfo& p : impl_->ports)
        if ((p.kind == PortKind::ControlIn || p.kind == PortKind::ControlOut) && p.symbol == symbol)
            return static_cast<int>(p.index);
    return -1;
}

bool Plugin::setControl(const std::string& symbol, float value)
{
    const int i = controlIndex(symbol);
    if (i < 0 || impl_->ports[static_cast<std::size_t>(i)].kind != PortKind::ControlIn)
        return false;
    impl_->controls[static_cast<std::size_t>(i)] = value;
    return true;
}

float Plugin::control(const std::string& symbol) const
{
    const int i = controlIndex(symbol);
    return i < 0 ? std::numeric_limits<float>::quiet_NaN() : impl_->controls[static_cast<std::size_t>(i)];
}

void Plugin::setControlAt(uint32_t portIndex, float value) noexcept
{
    if (portIndex < impl_->controls.size())
        impl_->controls[portIndex] = value;
}

float Plugin::controlAt(uint32_t portIndex) const noexcept
{
    return portIndex < impl_->controls.size() ? impl_->controls[portIndex]
                                              : std::numeric_limits<float>::quiet_NaN();
}

bool Plugin::wantsTimePosition() const { return impl_->anyTimePort; }

uint32_t Plugin::reportedLatency() const noexcept MIXWRIGHT_HOST_REALTIME
{
    if (impl_->latencyPort < 0)
        return 0;
    const float v = impl_->controls[static_cast<std::size_t>(impl_->latencyPort)];
    if (!std::isfinite(v) || v <= 0.f)
        return 0;
    return static_cast<uint32_t>(std::lround(std::min(v, 1e9f)));
}

void Plugin::activate()
{
    if (!impl_->active) {
        lilv_instance_activate(impl_->instance);
        impl_->active = true;
    }
}

void Plugin::deactivate()
{
    if (impl_->active) {
        lilv_instance_deactivate(impl_->instance);
        impl_->active = false;
    }
}

// Offline work is the caller's thread doing non-real-time work on purpose, so the
// sanitizer is told to look away while the plugin's work() runs.
void Plugin::Impl::runOfflineWork()
{
#ifdef MIXWRIGHT_HOST_HAVE_RTSAN
    __rtsan::ScopedDisabler disabler;
#endif
    worker->runPendingWork();
}

// The plugin's run() and worker callbacks are foreign code called through function
// pointers; RealtimeSanitizer checks them at run time, the static analysis cannot.
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wunknown-warning-option"
#pragma clang diagnostic ignored "-Wfunction-effects"
#endif
// After resetAtoms(): one time:Position event at frame 0 on every port that wants it,
// when the transport differs from what the plugin can extrapolate from the last one
// (same state and tempo, the frame advanced by the last block while rolling). The
// forge writes into the port's preallocated sequence buffer.
void Plugin::Impl::sendTime(const TransportPosition& t, uint32_t frames) noexcept
{
    const bool changed = !timeSent || t.rolling != lastTime.rolling || t.frame != nextFrame
                         || t.bbtValid != lastTime.bbtValid
                         || (t.bbtValid
                             && (t.bpm != lastTime.bpm || t.beatsPerBar != lastTime.beatsPerBar
                                 || t.beatType != lastTime.beatType));
    nextFrame = t.frame + (t.rolling ? frames : 0u);
    if (!changed)
        return;
    timeSent = true;
    lastTime = t;
    for (AtomBuffer& a : atoms) {
        if (!a.timePosition)
            continue;
        lv2_atom_forge_set_buffer(&forge, reinterpret_cast<uint8_t*>(a.mem.get()), a.capacity);
        LV2_Atom_Forge_Frame seq, obj;
        lv2_atom_forge_sequence_head(&forge, &seq, 0);
        lv2_atom_forge_frame_time(&forge, 0);
        lv2_atom_forge_object(&forge, &obj, 0, time.position);
        lv2_atom_forge_key(&forge, time.speed);
        lv2_atom_forge_float(&forge, t.rolling ? 1.f : 0.f);
        lv2_atom_forge_key(&forge, time.frame);
        lv2_atom_forge_long(&forge, static_cast<int64_t>(t.frame));
        if (t.bbtValid) {
            const double tpb = t.ticksPerBeat > 0.0 ? t.ticksPerBeat : kTicksPerBeat;
            lv2_atom_forge_key(&forge, time.bar);
            lv2_atom_forge_long(&forge, static_cast<int64_t>(t.bar) - 1);
            lv2_atom_forge_key(&forge, time.barBeat);
            lv2_atom_forge_float(&forge, static_cast<float>(t.beat - 1 + t.tick / tpb));
            lv2_atom_forge_key(&forge, time.beat);
            lv2_atom_forge_double(&forge, totalBeats(t));
            lv2_atom_forge_key(&forge, time.beatUnit);
            lv2_atom_forge_int(&forge, static_cast<int32_t>(t.beatType));
            lv2_atom_forge_key(&forge, time.beatsPerBar);
            lv2_atom_forge_float(&forge, t.beatsPerBar);
            lv2_atom_forge_key(&forge, time.beatsPerMinute);
            lv2_atom_forge_float(&forge, static_cast<float>(t.bpm));
        }
        lv2_atom_forge_pop(&forge, &obj);
        lv2_atom_forge_pop(&forge, &seq);
    }
}

void Plugin::run(const float* const* in, float* const* out, uint32_t frames,
                 const TransportPosition* transport) noexcept
{
    Impl& d = *impl_;
    frames = std::min(frames, d.opts.maxBlock);
    if (!d.opts.offline)
        d.worker->deliverResponses();
    d.resetAtoms();
    if (transport && d.anyTimePort)
        d.sendTime(*transport, frames);
    for (std::size_t i = 0; i < d.audioIn.size(); ++i) {
        const float* p = in ? in[i] : nullptr;
        lilv_instance_connect_port(d.instance, d.audioIn[i], const_cast<float*>(p ? p : d.silence.data()));
    }
    for (std::size_t i = 0; i < d.audioOut.size(); ++i) {
        float* p = out ? out[i] : nullptr;
        lilv_instance_connect_port(d.instance, d.audioOut[i], p ? p : d.scratch[i].data());
    }
    lilv_instance_run(d.instance, frames);
    if (d.opts.offline) {
        d.runOfflineWork();
        d.worker->deliverResponses();
    }
    d.worker->endRun();
}
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

bool Plugin::saveState(const std::string& dir, std::string* error)
{
    Impl& d = *impl_;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        if (error)
            *error = "cannot create state directory '" + dir + "': " + ec.message();
        return false;
    }
    LilvState* state = lilv_state_new_from_instance(
        d.plugin, d.instance, d.world->mapFeature(), dir.c_str(), dir.c_str(), dir.c_str(), dir.c_str(),
        &Impl::getPortValue, &d, LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE, d.stateFeatures.data());
    if (!state) {
        if (error)
            *error = "plugin <" + d.uri + ">: could not capture its state";
        return false;
    }
    const int rc = lilv_state_save(d.world->lilv(), d.world->mapFeature(), d.world->unmapFeature(), state,
                                   nullptr, dir.c_str(), "state.ttl");
    lilv_state_free(state);
    if (rc) {
        if (error)
            *error = "plugin <" + d.uri + ">: could not write state to '" + dir + "'";
        return false;
    }
    return true;
}

bool Plugin::restoreState(const std::string& dir, std::string* error)
{
    Impl& d = *impl_;
    const std::string path = (std::filesystem::path(dir) / "state.ttl").string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        if (error)
            *error = "no state file '" + path + "'";
        return false;
    }
    LilvState* state = lilv_state_new_from_file(d.world->lilv(), d.world->mapFeature(), nullptr, path.c_str());
    if (!state) {
        if (error)
            *error = "cannot read state file '" + path + "' (corrupt or not an LV2 state)";
        return false;
    }
    const bool ok = d.restore(state, "state '" + path + "'", error);
    lilv_state_free(state);
    return ok;
}

bool Plugin::loadPreset(const std::string& presetUri, std::string* error)
{
    Impl& d = *impl_;
    LilvWorld* w = d.world->lilv();
    LilvNode* node = lilv_new_uri(w, presetUri.c_str());
    if (!node) {
        if (error)
            *error = "invalid preset URI '" + presetUri + "'";
        return false;
    }
    lilv_world_load_resource(w, node);
    LilvState* state = lilv_state_new_from_world(w, d.world->mapFeature(), node);
    lilv_node_free(node);
    if (!state) {
        if (error)
            *error = "preset <" + presetUri + "> not found";
        return false;
    }
    const bool ok = d.restore(state, "preset <" + presetUri + ">", error);
    lilv_state_free(state);
    return ok;
}

std::vector<std::string> Plugin::presets() const
{
    LilvWorld* w = impl_->world->lilv();
    LilvNode* presetClass = lilv_new_uri(w, LV2_PRESETS__Preset);
    LilvNodes* related = lilv_plugin_get_related(impl_->plugin, presetClass);
    std::vector<std::string> out;
    LILV_FOREACH (nodes, i, related)
        out.emplace_back(lilv_node_as_uri(lilv_nodes_get(related, i)));
    lilv_nodes_free(related);
    lilv_node_free(presetClass);
    return out;
}

} // namespace mixwright::host
