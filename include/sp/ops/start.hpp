// `sp job start` and `sp job plan`: the restore rules of SPEC.md section 5
// carried out against the database and the job's JobManager.
#pragma once

#include "sp/core/restore.hpp"
#include "sp/ops/context.hpp"
#include "sp/ops/sql_job.hpp"
#include "sp/store/releases.hpp"
#include "sp/store/runs.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace sp::ops {

struct StartOptions {
  core::RestoreMode mode = core::RestoreMode::automatic;
  std::string restore_path; // with RestoreMode::explicit_path
  bool force = false;
  bool allow_old_state = false;
  bool allow_non_restored = false;
  std::chrono::milliseconds wait{std::chrono::minutes(2)};
};

struct StartPlan {
  core::RestoreDecision decision;
  std::string rest_url; // where the job will be submitted; empty before an application cluster exists
  std::optional<store::RunRow> last_run;
  std::vector<std::string> notes; // what was observed on the way (ended runs, live checkpoints)
};

// The decision `start` would take now. With `record` false nothing is written
// (plan, --dry-run): points seen live are considered but not stored, and
// points found invalid are reported but not marked.
Result<StartPlan> plan_start(const OpsContext& context, const JobTarget& job, const StartOptions& options,
                             bool record);

struct StartResult {
  StartPlan plan;
  std::int64_t run_id = 0;
  std::string flink_job_id;
  std::optional<std::string> application_id; // the YARN application the run went to
  std::string state;
  std::optional<bool> restore_verified; // set when a restore was requested
  bool jar_reused = false;
  std::optional<UpgradeCheck> upgrade; // a SQL job restoring another release's point
};

// Takes the job's lock, decides, uploads (or reuses) the release's jar,
// submits, waits until RUNNING and verifies the restore. A SQL job whose
// compiled plan breaks the state of the point it would restore is refused
// (exit 4, naming the operator) unless non-restored state is allowed. Refusals are exit 4,
// Flink rejecting or failing the job exit 6, an unreachable JobManager exit 5.
Result<StartResult> start_job(const OpsContext& context, const JobTarget& job,
                              const store::ReleaseRow& release, const StartOptions& options);

} // namespace sp::ops
