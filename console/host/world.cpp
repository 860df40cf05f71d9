// SPDX-FileCopyrightText: 2026 Mixwright developers
// SPDX-License-Identifier: ISC
//
// The lilv world and the process-wide URID map.

#include "host/host.hpp"

#include <cstdlib>
#include <deque>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <string_view>
#include <unordered_map>

namespace mixwright::host {

struct World::Impl {
    LilvWorld* world = nullptr;
    // URIDs are never reused or freed, so a deque (stable addresses on push_back)
    // can hand out the c_str() of its strings from unmap() and key the index.
    std::mutex mutex;
    std::deque<std::string> uris; // urid - 1 -> uri
    std::unordered_map<std::string_view, LV2_URID> ids;
    LV2_URID_Map map{};
    LV2_URID_Unmap unmap{};

    static LV2_URID mapUri(LV2_URID_Map_Handle handle, const char* uri)
    {
        return static_cast<World*>(handle)->map(uri);
    }
    static const char* unmapUrid(LV2_URID_Unmap_Handle handle, LV2_URID urid)
    {
        return static_cast<World*>(handle)->unmap(urid);
    }
};

World::World()
    : impl_(std::make_unique<Impl>())
{
    impl_->world = lilv_world_new();
    // lilv 0.24.14 crashes on a relative LV2_PATH entry (LV2_PATH=build/lv2), so the
    // entries are made absolute and handed over as an option. Without LV2_PATH,
    // lilv_world_load_all uses its default path.
    if (const char* env = std::getenv("LV2_PATH"); env && *env) {
        std::string path;
        std::stringstream entries(env);
        for (std::string entry; std::getline(entries, entry, ':');) {
            if (entry.empty())
                continue;
            std::error_code ec;
            if (entry[0] != '/' && entry[0] != '~' && entry[0] != '$')
                entry = std::filesystem::absolute(entry, ec).string();
            path += (path.empty() ? "" : ":") + entry;
        }
        LilvNode* node = lilv_new_string(impl_->world, path.c_str());
        lilv_world_set_option(impl_->world, LILV_OPTION_LV2_PATH, node);
        lilv_node_free(node);
    }
    lilv_world_load_all(impl_->world);
    impl_->map = {this, &Impl::mapUri};
    impl_->unmap = {this, &Impl::unmapUrid};
}

World::~World() { lilv_world_free(impl_->world); }

LilvWorld* World::lilv() const { return impl_->world; }

LV2_URID World::map(const char* uri)
{
    if (!uri)
        return 0;
    std::lock_guard<std::mutex> lock(impl_->mutex);
    if (auto it = impl_->ids.find(uri); it != impl_->ids.end())
        return it->second;
    impl_->uris.emplace_back(uri);
    const auto id = static_cast<LV2_URID>(impl_->uris.size());
    impl_->ids.emplace(impl_->uris.back(), id);
    return id;
}

const char* World::unmap(LV2_URID urid)
{
    std::lock_guard<std::mutex> lock(impl_->mutex);
    if (urid == 0 || urid > impl_->uris.size())
        return nullptr;
    return impl_->uris[urid - 1].c_str();
}

LV2_URID_Map* World::mapFeature() { return &impl_->map; }
LV2_URID_Unmap* World::unmapFeature() { return &impl_->unmap; }

const LilvPlugin* World::findPlugin(const std::string& uri) const
{
    LilvNode* node = lilv_new_uri(impl_->world, uri.c_str());
    if (!node)
        return nullptr;
    const LilvPlugin* plugin = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(impl_->world), node);
    lilv_node_free(node);
    return plugin;
}

std::vector<std::string> World::pluginUris() const
{
    std::vector<std::string> out;
    const LilvPlugins* plugins = lilv_world_get_all_plugins(impl_->world);
    LILV_FOREACH (plugins, i, plugins)
        out.emplace_back(lilv_node_as_uri(lilv_plugin_get_uri(lilv_plugins_get(plugins, i))));
    return out;
}

int World::loadDirectory(const std::string& dir)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    int loaded = 0;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (!entry.is_directory(ec) || entry.path().extension() != ".lv2"
            || !fs::exists(entry.path() / "manifest.ttl", ec))
            continue;
        // lilv wants the bundle URI with a trailing slash.
        const std::string path = fs::absolute(entry.path(), ec).string() + "/";
        LilvNode* bundle = lilv_new_file_uri(impl_->world, nullptr, path.c_str());
        lilv_world_load_bundle(impl_->world, bundle);
        lilv_node_free(bundle);
        ++loaded;
    }
    return loaded;
}

} // namespace mixwright::host
