// What `sp job list` shows per job, read in a few set-wide queries (no query
// per job), so listing stays fast at tens of thousands of jobs.
#pragma once

#include "sp/store/database.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace sp::store {

struct JobSummary {
  std::optional<std::int64_t> run_id;
  std::optional<std::string> state; // the latest run's state (its end state once ended)
  std::optional<std::string> flink_job_id;
  bool live = false;
  std::optional<std::int64_t> release_id;
  std::optional<std::string> release_fingerprint;
  std::optional<std::int64_t> newest_point_ms; // newest valid restore point
};

// By job id, for every job that has a run, a release or a restore point.
std::map<std::int64_t, JobSummary> job_summaries(Database& database);

} // namespace sp::store
