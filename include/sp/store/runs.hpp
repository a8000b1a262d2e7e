// Runs (executions of a release on Flink) and restore points in the database.
#pragma once

#include "sp/core/restore.hpp"
#include "sp/core/run_state.hpp"
#include "sp/store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sp::store {

struct RunRow {
  std::int64_t id = 0;
  std::int64_t job_id = 0;
  std::optional<std::int64_t> release_id;
  std::optional<std::string> flink_job_id;
  std::optional<std::string> application_id;
  std::string rest_url;
  std::string state;
  bool adopted = false;
  std::optional<std::int64_t> restore_point_id;
  std::optional<std::string> restore_path;
  std::optional<bool> restore_verified;
  std::int64_t started_at = 0;
  std::optional<std::int64_t> ended_at;
  std::optional<std::string> end_state;
  std::int64_t poll_failures = 0;
  // The run's own checkpoint directory (<checkpoint dir>/<flink job id>), where known.
  std::optional<std::string> checkpoint_dir;

  bool live() const { return !ended_at.has_value(); }
  // Written before submitting (SPEC 5.9); settled by the next command on the job.
  bool submitting() const { return live() && state == core::run_state::submitting; }
};

struct NewRun {
  std::int64_t job_id = 0;
  std::optional<std::int64_t> release_id;
  std::optional<std::string> flink_job_id;
  std::optional<std::string> application_id;
  std::string rest_url;
  std::string state;
  bool adopted = false;
  std::optional<std::int64_t> restore_point_id;
  std::optional<std::string> restore_path;
  std::int64_t started_at = 0;
  std::optional<std::string> checkpoint_dir;
};

std::int64_t insert_run(Database& database, const NewRun& run);
std::optional<RunRow> find_run(Database& database, std::int64_t run_id);
std::optional<RunRow> latest_run(Database& database, std::int64_t job_id);
// Newest first.
std::vector<RunRow> runs_of_job(Database& database, std::int64_t job_id);
std::optional<RunRow> find_run_by_flink_id(Database& database, std::int64_t job_id,
                                           const std::string& flink_job_id);
std::vector<RunRow> live_runs(Database& database);
bool job_has_runs(Database& database, std::int64_t job_id);

void set_run_state(Database& database, std::int64_t run_id, const std::string& state);
// What a submission returned: the JobManager to talk to, the YARN or
// Kubernetes application, and the Flink job id (bin/flink may report its own).
void set_run_submitted(Database& database, std::int64_t run_id, const std::string& flink_job_id,
                       const std::optional<std::string>& application_id, const std::string& rest_url,
                       const std::optional<std::string>& checkpoint_dir);
// A JobManager that moved (YARN failover) is recorded where the run's calls go.
void set_run_rest_url(Database& database, std::int64_t run_id, const std::string& rest_url);
void set_restore_verified(Database& database, std::int64_t run_id, bool verified);
// Records the run's end (terminal Flink state, or what sp concluded).
void end_run(Database& database, std::int64_t run_id, const std::string& end_state, std::int64_t ended_at);

struct NewRestorePoint {
  std::int64_t job_id = 0;
  std::optional<std::int64_t> run_id;
  core::PointKind kind = core::PointKind::checkpoint;
  std::optional<std::int64_t> flink_checkpoint_id;
  std::string path;
  std::optional<std::int64_t> trigger_time;
  std::int64_t completion_time = 0;
  std::optional<std::int64_t> size_bytes;
  std::int64_t recorded_at = 0;
  // Where sp found a point it did not see happen ("storage file:/cp/<id>",
  // "jobmanager http://jm:8081"); nullopt for points sp recorded itself.
  std::optional<std::string> source;
};

// Records a point once: a second report of the same run and checkpoint id is
// ignored. Returns the point's id and whether it was new.
struct RecordedPoint {
  std::int64_t id = 0;
  bool created = false;
};
RecordedPoint record_restore_point(Database& database, const NewRestorePoint& point);

std::vector<core::KnownPoint> restore_points_of_job(Database& database, std::int64_t job_id);
void mark_point_invalid(Database& database, std::int64_t point_id, const std::string& reason);

} // namespace sp::store
