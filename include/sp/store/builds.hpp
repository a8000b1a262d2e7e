// Builds of projects in the database: one row per `sp project build`, written
// at each step (started, checked out, finished) so that a killed build leaves
// a row that readers recognise as abandoned.
#pragma once

#include "sp/core/build.hpp"
#include "sp/core/lock_rules.hpp"
#include "sp/store/database.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sp::store {

struct BuildRow {
  std::int64_t id = 0;
  std::int64_t project_id = 0;
  core::BuildStatus status = core::BuildStatus::building;
  std::string ref;
  std::vector<std::string> command;
  std::optional<core::CommitInfo> commit;
  std::int64_t started_at = 0;
  std::optional<std::int64_t> checked_out_at;
  std::optional<std::int64_t> finished_at;
  std::optional<std::int64_t> exit_code;
  std::string log_path;
  std::optional<core::ArtifactInfo> artifact;
  std::optional<std::string> error;
  std::string host;
  std::int64_t pid = 0;
};

struct NewBuild {
  std::int64_t project_id = 0;
  std::string ref;
  std::vector<std::string> command;
  std::int64_t started_at = 0;
  std::string host;
  std::int64_t pid = 0;
};

struct BuildEnding {
  core::BuildStatus status = core::BuildStatus::failed;
  std::int64_t finished_at = 0;
  std::optional<std::int64_t> exit_code;
  std::optional<core::ArtifactInfo> artifact;
  std::optional<std::string> error; // already free of secrets
};

// The lock that serialises builds of one project.
std::string project_lock_name(const std::string& project);

// Inserts a `building` row whose log is `<log_dir>/<id>.log`; returns it.
BuildRow start_build(Database& database, const NewBuild& build, const std::filesystem::path& log_dir);
void record_checkout(Database& database, std::int64_t build_id, const core::CommitInfo& commit,
                     std::int64_t at_ms);
void finish_build(Database& database, std::int64_t build_id, const BuildEnding& ending);

// Marks every `building` row of the project failed. Only the holder of the
// project lock may call this: holding it proves no other build is running.
int fail_abandoned_builds(Database& database, std::int64_t project_id, std::int64_t now_ms);

// Newest first.
std::vector<BuildRow> list_builds(Database& database, std::int64_t project_id);
std::optional<BuildRow> find_build(Database& database, std::int64_t project_id, std::int64_t build_id);
std::optional<BuildRow> latest_build(Database& database, std::int64_t project_id);

// Rows as they truly are now: a `building` row whose builder no longer holds
// the project lock is reported failed (without writing anything).
void apply_liveness(Database& database, const std::string& project, std::vector<BuildRow>& builds,
                    const std::string& this_host, std::int64_t now_ms, const core::PidProbe& pid_alive);

} // namespace sp::store
