// The watch loop's view of the database: the live runs with what the last
// cycle left of them, the restore points already recorded, and the writes of
// one cycle with statements prepared once (a cycle may write 10,000 rows).
#pragma once

#include "sp/core/run_state.hpp"
#include "sp/store/database.hpp"
#include "sp/store/runs.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sp::store {

struct WatchedRun {
  std::int64_t run_id = 0;
  std::int64_t job_id = 0;
  std::optional<std::int64_t> release_id;
  std::string job;
  std::string environment;
  std::string cluster;
  std::string rest_url;
  std::optional<std::string> flink_job_id;
  std::optional<std::string> application_id;
  core::RunMemory memory;
};

// Every live run, with its Flink restarts and sp's automatic restarts since
// `restarts_since_ms` counted.
std::vector<WatchedRun> watched_runs(Database& database, std::int64_t restarts_since_ms);

// The live runs polled at JobManager `from` are polled at `to` from now on,
// their failed polls forgotten: the JobManager moved (YARN failover).
void relocate_live_runs(Database& database, const std::string& from, const std::string& to);

// The newest checkpoint and savepoint ids recorded per live run, so a cycle
// only writes what is new (the unique index stays the guarantee).
struct RecordedIds {
  std::int64_t checkpoint = -1;
  std::int64_t savepoint = -1;
};

// Kinds of the events an automatic restart leaves. A restart and a failed
// attempt count against maxRestarts; a refusal (the limit reached, the job
// no longer loads) is not an attempt and never counts, or each refusal
// would push the window on and keep the job down past it.
inline constexpr const char* auto_restart_event = "auto-restart";
inline constexpr const char* auto_restart_failed_event = "auto-restart-failed";
inline constexpr const char* auto_restart_refused_event = "auto-restart-refused";
// Restarts and attempts sp made for the job since `since_ms`; refusals excluded.
int auto_restarts_since(Database& database, std::int64_t job_id, std::int64_t since_ms);
std::unordered_map<std::int64_t, RecordedIds> recorded_point_ids(Database& database);

class CycleWriter {
public:
  explicit CycleWriter(Database& database);
  void update_run(std::int64_t run_id, const core::RunMemory& memory);
  // A completed checkpoint of a run (kind checkpoint, with its run and
  // Flink checkpoint id); false when it was already recorded.
  bool record_checkpoint(const NewRestorePoint& point);

private:
  Database& database_;
  Statement update_run_;
  Statement insert_checkpoint_;
};

// Each job of an environment with its latest run, for `sp check`.
struct JobLatestRun {
  std::string environment;
  std::string job;
  bool has_run = false;
  bool live = false;
  std::string state; // the live run's state, else its end state
  core::CheckpointHealth checkpoint_health = core::CheckpointHealth::ok;
  std::optional<std::int64_t> last_checkpoint_at;
};
std::vector<JobLatestRun> latest_run_per_job(Database& database, const std::string& environment);

struct WatchStatus {
  std::string host;
  std::int64_t pid = 0;
  std::int64_t interval_ms = 0;
  std::int64_t last_cycle_at = 0;
  std::int64_t cycle_ms = 0;
  std::int64_t requests = 0;
  std::int64_t errors = 0;
  std::int64_t cycles = 0;
};
void write_watch_status(Database& database, const WatchStatus& status);
std::optional<WatchStatus> read_watch_status(Database& database);

} // namespace sp::store
