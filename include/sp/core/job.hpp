// The desired definition of a Flink job (SPEC.md sections 1, 2, 5, 6).
#pragma once

#include "sp/util/error.hpp"

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sp::core {

// Where the jar comes from: a project build (`latest` or a build id) or a jar path.
struct JobArtifact {
  std::optional<std::string> project;
  std::string build = "latest";
  std::optional<std::string> jar;
  bool operator==(const JobArtifact&) const = default;
};

// Where a SQL job's script comes from (SPEC 14): a file, the spec itself, or
// a file of a project at the commit a build pinned. Exactly one form is set;
// `project` goes with `path` (and `build`, as in JobArtifact).
// fresh: Flink plans the script at every start; pinned: the job runs from
// the compiled plan its release recorded (EXECUTE PLAN), so operator ids
// follow the plan's node ids, not a hash of what today's planner produced.
enum class SqlPlanMode { fresh, pinned };
std::string_view to_string(SqlPlanMode mode);
std::optional<SqlPlanMode> sql_plan_mode_from_string(std::string_view text);

struct JobSql {
  std::optional<std::string> file;
  std::optional<std::string> inline_text;
  std::optional<std::string> project;
  std::string build = "latest";
  std::optional<std::string> path;
  SqlPlanMode plan = SqlPlanMode::fresh;
  bool operator==(const JobSql&) const = default;
};

enum class RestorePolicy { latest, none };
enum class StopMode { savepoint, drain, cancel };

std::string_view to_string(RestorePolicy policy);
std::optional<RestorePolicy> restore_policy_from_string(std::string_view text);
std::string_view to_string(StopMode mode);
std::optional<StopMode> stop_mode_from_string(std::string_view text);

struct JobStatePolicy {
  RestorePolicy restore = RestorePolicy::latest;
  bool allow_non_restored_state = false;
  std::optional<std::chrono::milliseconds> max_age;
  std::optional<std::string> savepoint_dir;
  bool operator==(const JobStatePolicy&) const = default;
};

struct RestartPolicy {
  bool on_failure = false;
  int max_restarts = 3;
  std::chrono::milliseconds window = std::chrono::hours(1);
  bool operator==(const RestartPolicy&) const = default;
};

struct JobSpec {
  std::string cluster;
  JobArtifact artifact;      // a jar job's; empty for a SQL job
  std::optional<JobSql> sql; // a SQL job's script, instead of artifact and entryClass
  std::optional<std::string> entry_class;
  std::vector<std::string> args;
  std::optional<int> parallelism;
  std::map<std::string, std::string> flink_configuration;
  JobStatePolicy state;
  StopMode stop = StopMode::savepoint;
  RestartPolicy restart;
  std::vector<std::string> alerts;
  bool operator==(const JobSpec&) const = default;
};

// Who owns a job and how it is labelled; kept beside the spec.
struct JobMetadata {
  std::optional<std::string> owner;
  std::map<std::string, std::string> labels;
  bool operator==(const JobMetadata&) const = default;
};

// Canonical JSON with the YAML field names; policies are always written out
// (so what applies is visible), durations as "7d"-style strings.
nlohmann::ordered_json to_json(const JobSpec& spec);
nlohmann::ordered_json to_json(const JobMetadata& metadata);

// The inverses of to_json, as strict as reading a file (unknown keys and wrong
// types are usage errors naming the field).
Result<JobSpec> job_spec_from_json(const nlohmann::json& json);
Result<JobMetadata> job_metadata_from_json(const nlohmann::json& json);

} // namespace sp::core
