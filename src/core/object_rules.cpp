#include "sp/core/object_rules.hpp"

#include "sp/core/cluster.hpp"
#include "sp/core/flink.hpp"
#include "sp/core/job.hpp"
#include "sp/util/strings.hpp"

#include <filesystem>

namespace sp::core {

Result<std::chrono::seconds> build_timeout(std::chrono::milliseconds requested) {
  if (requested < std::chrono::seconds(1)) {
    return fail(ErrorKind::usage, "reading the build timeout", "a build timeout must be at least 1s");
  }
  return std::chrono::ceil<std::chrono::seconds>(requested);
}

std::string absolute_local_path(std::string_view path, std::string_view base_dir) {
  std::filesystem::path location(path);
  if (location.is_relative()) location = std::filesystem::path(base_dir) / location;
  std::string text = location.lexically_normal().string();
  while (text.size() > 1 && text.ends_with('/')) text.pop_back();
  return text;
}

VariableSpec updated_variable(const std::optional<VariableSpec>& existing, std::string value, bool secret,
                              const std::optional<std::string>& description) {
  return {std::move(value), secret || (existing && existing->secret),
          description.value_or(existing ? existing->description : "")};
}

void keep_secret_flags(EnvironmentSpec& desired, const EnvironmentSpec* current) {
  if (current == nullptr) return;
  for (auto& [name, variable] : desired.variables) {
    if (auto it = current->variables.find(name); it != current->variables.end() && it->second.secret) {
      variable.secret = true;
    }
  }
}

std::vector<std::string> clusters_using_flink(const ObjectSet& objects, std::string_view flink) {
  std::vector<std::string> users;
  for (const auto& [key, manifest] : objects) {
    if (key.kind != ObjectKind::cluster) continue;
    const auto& spec = std::get<ClusterSpec>(manifest.spec);
    if (spec.flink && *spec.flink == flink) users.push_back(key.environment + "/" + key.name);
  }
  return users;
}

std::vector<std::string> jobs_on_cluster(const ObjectSet& objects, std::string_view environment,
                                         std::string_view cluster) {
  std::vector<std::string> jobs;
  for (const auto& [key, manifest] : objects) {
    if (key.kind != ObjectKind::job || key.environment != environment) continue;
    if (std::get<JobSpec>(manifest.spec).cluster == cluster) jobs.push_back(key.name);
  }
  return jobs;
}

Result<void> check_removal(const ObjectKey& key, const ObjectSet& objects) {
  const std::string doing = "removing " + key.to_string();
  if (key.kind == ObjectKind::flink) {
    if (const auto users = clusters_using_flink(objects, key.name); !users.empty()) {
      return fail(ErrorKind::refused, doing, "clusters use it: " + util::join(users, ", "),
                  "point their spec.flink at another distribution first");
    }
  }
  if (key.kind == ObjectKind::cluster) {
    if (const auto jobs = jobs_on_cluster(objects, key.environment, key.name); !jobs.empty()) {
      return fail(ErrorKind::refused, doing, "jobs run on it: " + util::join(jobs, ", "),
                  "move those jobs to another cluster first (spec.cluster)");
    }
  }
  return {};
}

} // namespace sp::core
