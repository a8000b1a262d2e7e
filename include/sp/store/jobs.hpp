// Job definitions in the database; each belongs to one environment. Runs,
// releases and restore points hang off a job's id.
#pragma once

#include "sp/core/job.hpp"
#include "sp/store/database.hpp"
#include "sp/store/upsert.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sp::store {

struct JobRow {
  std::int64_t id = 0;
  std::string environment;
  std::string name;
  core::JobMetadata metadata;
  core::JobSpec spec;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// Writes the job; returns what happened and the job's id.
std::pair<UpsertOutcome, std::int64_t> upsert_job(Database& database, std::int64_t environment_id,
                                                  const std::string& name, const core::JobMetadata& metadata,
                                                  const core::JobSpec& spec, std::int64_t now_ms);
// What a listing shows without reading each job's spec (parsing 10,000 specs
// is most of `sp job list`'s time).
struct JobHeader {
  std::int64_t id = 0;
  std::string environment;
  std::string name;
  std::string cluster;
};
std::vector<JobHeader> list_job_headers(Database& database, const std::string& environment = "");

std::optional<JobRow> find_job(Database& database, const std::string& environment, const std::string& name);
// Every environment's jobs when `environment` is empty.
std::vector<JobRow> list_jobs(Database& database, const std::string& environment = "");

} // namespace sp::store
