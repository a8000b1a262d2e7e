#include "sp/core/manifest.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace sp::core {

namespace {

struct KindNames {
  ObjectKind kind;
  std::string_view name;
  std::string_view noun;
};

constexpr std::array<KindNames, 6> kinds{{
    {ObjectKind::environment, "Environment", "environment"},
    {ObjectKind::flink, "Flink", "flink"},
    {ObjectKind::project, "Project", "project"},
    {ObjectKind::alert_channel, "AlertChannel", "alert-channel"},
    {ObjectKind::cluster, "Cluster", "cluster"},
    {ObjectKind::job, "Job", "job"},
}};

std::string squashed_lower(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '-' && c != '_') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

nlohmann::ordered_json spec_json(const Manifest& manifest, bool mask_secrets, bool comparable) {
  return std::visit(
      [&](const auto& spec) -> nlohmann::ordered_json {
        using Spec = std::decay_t<decltype(spec)>;
        if constexpr (std::is_same_v<Spec, EnvironmentSpec>) {
          return comparable ? to_comparable_json(spec, mask_secrets) : to_json(spec, mask_secrets);
        } else if constexpr (std::is_same_v<Spec, FlinkSpec>) {
          if (comparable) return to_json(spec);
          return nlohmann::ordered_json{{"home", spec.home}}; // the version is detected, not declared
        } else {
          return to_json(spec);
        }
      },
      manifest.spec);
}

} // namespace

std::string_view to_string(ObjectKind kind) { return kinds[static_cast<std::size_t>(kind)].name; }

std::string_view kind_noun(ObjectKind kind) { return kinds[static_cast<std::size_t>(kind)].noun; }

const std::vector<std::string>& kind_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> all;
    all.reserve(kinds.size());
    for (const auto& entry : kinds) all.emplace_back(entry.name);
    return all;
  }();
  return names;
}

std::optional<ObjectKind> object_kind_from_string(std::string_view text) {
  for (const auto& entry : kinds) {
    if (entry.name == text) return entry.kind;
  }
  return std::nullopt;
}

std::optional<ObjectKind> kind_from_argument(std::string_view text) {
  std::string wanted = squashed_lower(text);
  for (const auto& entry : kinds) {
    const std::string name = squashed_lower(entry.name);
    if (wanted == name || wanted == name + "s") return entry.kind;
  }
  if (wanted == "flinks" || wanted == "env" || wanted == "envs") {
    return wanted == "flinks" ? ObjectKind::flink : ObjectKind::environment;
  }
  return std::nullopt;
}

bool is_namespaced(ObjectKind kind) { return kind == ObjectKind::cluster || kind == ObjectKind::job; }

bool is_valid_object_name(std::string_view name) {
  if (name.empty() || name.size() > 128 || !std::isalnum(static_cast<unsigned char>(name.front())))
    return false;
  return std::ranges::all_of(name, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

std::optional<SourceLocation> location_of(const Manifest& manifest, const std::string& field) {
  // A missing field is best shown where its parent was written: spec.url -> spec.
  std::string path = field;
  while (!path.empty()) {
    if (auto it = manifest.field_locations.find(path); it != manifest.field_locations.end())
      return it->second;
    std::size_t cut = std::string::npos;
    if (path.ends_with("\"]"))
      cut = path.rfind("[\"");
    else if (path.ends_with(']'))
      cut = path.rfind('[');
    else
      cut = path.rfind('.');
    if (cut == std::string::npos || cut == 0) break;
    path.resize(cut);
  }
  return manifest.location;
}

std::string ObjectKey::to_string() const {
  if (environment.empty()) return fmt::format("{} {}", core::to_string(kind), name);
  return fmt::format("{} {} (environment {})", core::to_string(kind), name, environment);
}

ObjectKey key_of(const Manifest& manifest) {
  return {manifest.kind, is_namespaced(manifest.kind) ? manifest.environment : std::string(), manifest.name};
}

nlohmann::ordered_json to_manifest_json(const Manifest& manifest, bool mask_secrets) {
  nlohmann::ordered_json metadata = nlohmann::ordered_json::object();
  metadata["name"] = manifest.name;
  if (is_namespaced(manifest.kind)) metadata["environment"] = manifest.environment;
  if (manifest.kind == ObjectKind::job) metadata.update(to_json(manifest.job_metadata));
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  json["apiVersion"] = std::string(api_version);
  json["kind"] = std::string(core::to_string(manifest.kind));
  json["metadata"] = std::move(metadata);
  json["spec"] = spec_json(manifest, mask_secrets, false);
  return json;
}

nlohmann::ordered_json to_comparable_json(const Manifest& manifest, bool mask_secrets) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  if (manifest.kind == ObjectKind::job) {
    nlohmann::ordered_json metadata = nlohmann::ordered_json::object();
    metadata["owner"] = manifest.job_metadata.owner ? nlohmann::ordered_json(*manifest.job_metadata.owner)
                                                    : nlohmann::ordered_json();
    metadata["labels"] = manifest.job_metadata.labels;
    json["metadata"] = std::move(metadata);
  }
  json["spec"] = spec_json(manifest, mask_secrets, true);
  return json;
}

} // namespace sp::core
