// Releases: immutable rendered snapshots of a job, ready for its cluster.
#pragma once

#include "sp/store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace sp::store {

struct ReleaseRow {
  std::int64_t id = 0;
  std::int64_t job_id = 0;
  std::optional<std::int64_t> build_id;
  std::string artifact_path;
  std::string artifact_sha256;
  std::string rendered;                    // the job spec with variables resolved, secrets masked (JSON)
  std::string fingerprint;                 // sha256 of the clear rendered spec (drift compares it)
  std::optional<std::string> flink_jar_id; // the uploaded jar on a remote cluster
  std::int64_t created_at = 0;
  // A SQL job's release: artifact_* name the SQL runner; the script as
  // written (no secrets) and the sha256 of the resolved script.
  std::optional<std::string> sql_template;
  std::optional<std::string> sql_digest;
  std::optional<std::string> compiled_plan; // COMPILE PLAN's JSON, secrets masked: for upgrade checks
};

std::int64_t insert_release(Database& database, const ReleaseRow& release);
std::optional<ReleaseRow> latest_release(Database& database, std::int64_t job_id);
std::optional<ReleaseRow> find_release(Database& database, std::int64_t release_id);
void set_release_jar_id(Database& database, std::int64_t release_id, const std::string& jar_id);

} // namespace sp::store
