#include "sp/core/state_layout.hpp"

#include "sp/util/sha256.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <span>

namespace sp::core {

namespace {

constexpr std::string_view id_marker = "5bf0";
constexpr std::size_t key_digits = 16;
constexpr std::size_t time_digits = 12;

bool is_hex(std::string_view text) {
  return std::ranges::all_of(text, [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<std::string> first_of(const std::map<std::string, std::string>& configuration,
                                    std::span<const std::string_view> keys) {
  for (const auto key : keys) {
    if (auto it = configuration.find(std::string(key)); it != configuration.end() && !it->second.empty()) {
      return it->second;
    }
  }
  return std::nullopt;
}

bool has_any(const std::map<std::string, std::string>& configuration,
             std::span<const std::string_view> keys) {
  return first_of(configuration, keys).has_value();
}

} // namespace

std::string job_key(std::string_view environment, std::string_view job) {
  util::Sha256 digest;
  digest.update(fmt::format("sp/v1 {}/{}", environment, job));
  return digest.hex().substr(0, key_digits);
}

std::string flink_job_id_for(std::string_view environment, std::string_view job, std::int64_t now_ms) {
  const auto time = static_cast<std::uint64_t>(std::max<std::int64_t>(now_ms, 0)) & 0xffff'ffff'ffffULL;
  return fmt::format("{}{}{:012x}", job_key(environment, job), id_marker, time);
}

bool is_flink_job_id(std::string_view text) { return text.size() == 32 && is_hex(text); }

bool is_job_id_of(std::string_view flink_job_id, std::string_view key) {
  return is_flink_job_id(flink_job_id) && flink_job_id.starts_with(key) &&
         flink_job_id.substr(key_digits, id_marker.size()) == id_marker;
}

std::optional<std::int64_t> submission_time_of(std::string_view flink_job_id) {
  if (!is_flink_job_id(flink_job_id) || flink_job_id.substr(key_digits, id_marker.size()) != id_marker) {
    return std::nullopt;
  }
  const auto digits = flink_job_id.substr(key_digits + id_marker.size(), time_digits);
  std::uint64_t time = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), time, 16);
  return static_cast<std::int64_t>(time);
}

std::optional<std::int64_t> checkpoint_number(std::string_view entry_name) {
  constexpr std::string_view prefix = "chk-";
  if (!entry_name.starts_with(prefix) || entry_name.size() == prefix.size() ||
      entry_name.size() > prefix.size() + 18) {
    return std::nullopt;
  }
  const auto digits = entry_name.substr(prefix.size());
  std::int64_t number = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (error != std::errc() || end != digits.data() + digits.size() || number < 0) return std::nullopt;
  return number;
}

std::vector<std::int64_t> newest_checkpoint_numbers(const std::vector<std::string>& entry_names,
                                                    std::size_t limit) {
  std::vector<std::int64_t> numbers;
  for (const auto& name : entry_names) {
    if (auto number = checkpoint_number(name)) numbers.push_back(*number);
  }
  const auto keep = std::min(limit, numbers.size());
  std::ranges::partial_sort(numbers, numbers.begin() + static_cast<std::ptrdiff_t>(keep), std::greater<>());
  numbers.resize(keep);
  return numbers;
}

std::optional<CheckpointLocation> checkpoint_location_of(std::string_view path) {
  while (path.ends_with('/')) path.remove_suffix(1);
  if (path.ends_with("/_metadata")) path.remove_suffix(std::string_view("/_metadata").size());
  const auto slash = path.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  const auto number = checkpoint_number(path.substr(slash + 1));
  if (!number) return std::nullopt;
  return CheckpointLocation{std::string(path.substr(0, slash)), *number};
}

std::string join_path(std::string_view directory, std::string_view name) {
  while (directory.ends_with('/') && !directory.ends_with(":/") && directory.size() > 1)
    directory.remove_suffix(1);
  return fmt::format("{}/{}", directory, name);
}

std::optional<std::string> checkpoint_dir_in(const std::map<std::string, std::string>& configuration) {
  return first_of(configuration, checkpoint_dir_keys);
}

std::optional<std::string> savepoint_dir_in(const std::map<std::string, std::string>& configuration) {
  return first_of(configuration, savepoint_dir_keys);
}

StateDirectories state_directories_under(std::string_view root, std::string_view environment,
                                         std::string_view job) {
  const std::string base = join_path(join_path(root, environment), job);
  return {join_path(base, "checkpoints"), join_path(base, "savepoints")};
}

std::optional<std::string>
resolve_checkpoint_dir(const std::map<std::string, std::string>& job_configuration,
                       const std::optional<std::string>& state_root_dir,
                       const std::map<std::string, std::string>& cluster_configuration,
                       const std::map<std::string, std::string>* jobmanager_configuration) {
  if (auto dir = checkpoint_dir_in(job_configuration)) return dir;
  if (state_root_dir) return state_root_dir;
  if (auto dir = checkpoint_dir_in(cluster_configuration)) return dir;
  if (jobmanager_configuration) return checkpoint_dir_in(*jobmanager_configuration);
  return std::nullopt;
}

std::map<std::string, std::string>
submission_configuration(const std::map<std::string, std::string>& job_configuration,
                         const std::optional<StateDirectories>& state_root_dirs, std::string_view job_name) {
  auto configuration = job_configuration;
  if (state_root_dirs && !has_any(job_configuration, checkpoint_dir_keys)) {
    for (const auto key : checkpoint_dir_keys) configuration[std::string(key)] = state_root_dirs->checkpoints;
  }
  if (state_root_dirs && !has_any(job_configuration, savepoint_dir_keys)) {
    for (const auto key : savepoint_dir_keys) configuration[std::string(key)] = state_root_dirs->savepoints;
  }
  if (!configuration.contains("pipeline.name")) configuration["pipeline.name"] = std::string(job_name);
  return configuration;
}

std::string pipeline_name_of(const std::map<std::string, std::string>& job_configuration,
                             std::string_view job_name) {
  if (auto it = job_configuration.find("pipeline.name"); it != job_configuration.end()) return it->second;
  return std::string(job_name);
}

} // namespace sp::core
