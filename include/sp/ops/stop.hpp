// `sp job stop`, `savepoint` and `cancel` (SPEC.md section 6): each waits for
// Flink to finish the operation and records what it produced.
#pragma once

#include "sp/core/job.hpp"
#include "sp/ops/context.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace sp::ops {

struct StopOptions {
  std::optional<core::StopMode> mode;   // else the job's stop policy
  std::optional<std::string> directory; // else the job's, the cluster's, Flink's default
  std::chrono::milliseconds wait{std::chrono::minutes(2)};
};

struct StopResult {
  std::int64_t run_id = 0;
  std::string flink_job_id;
  core::StopMode mode = core::StopMode::savepoint;
  std::optional<std::string> savepoint_path;
  std::string end_state;
  std::vector<std::string> warnings;
};

// Stops the job's live run. A failed stop-with-savepoint leaves the job
// running and changes nothing else (exit 6).
Result<StopResult> stop_job(const OpsContext& context, const JobTarget& job, const StopOptions& options);

struct SavepointResult {
  std::int64_t run_id = 0;
  std::string path;
};

// A savepoint of the running job, recorded as a restore point.
Result<SavepointResult> savepoint_job(const OpsContext& context, const JobTarget& job,
                                      const std::optional<std::string>& directory,
                                      std::chrono::milliseconds wait);

// Where a savepoint goes: the flag, else the job's state.savepointDir, else
// the cluster's savepointDir; nullopt lets Flink use its configured default.
std::optional<std::string> savepoint_directory(const JobTarget& job, const std::optional<std::string>& flag);

} // namespace sp::ops
