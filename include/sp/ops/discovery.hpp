// Finding a job's state that sp did not record (SPEC 5.9): on a new host, a
// CI runner or after a lost database, sp's records are thin, and the
// cluster's JobManager and the job's state directories are asked instead.
// sp recognises its own Flink jobs by their ids (core/state_layout.hpp),
// others by the job's pipeline name.
#pragma once

#include "sp/core/state_layout.hpp"
#include "sp/flink/model.hpp"
#include "sp/ops/context.hpp"
#include "sp/ops/state_scan.hpp"

#include <optional>
#include <string>
#include <vector>

namespace sp::ops {

struct DiscoveredRun {
  std::string flink_job_id;
  std::string state; // as the JobManager lists it; LOST when only storage knows the run
  std::int64_t started_ms = 0;
  std::optional<std::int64_t> ended_ms;
  std::string rest_url;                      // the JobManager that lists it; empty when only storage knows it
  std::optional<std::string> checkpoint_dir; // the run's own directory, where known
  bool by_name = false;                      // not an id sp chose: matched by the job's pipeline name
};

struct DiscoveredPoint {
  StoredPoint point;
  std::string flink_job_id; // of the run it belongs to; empty when unknown (a per-job savepoint directory)
  std::string source;       // "jobmanager <url>" or "storage <directory>"
};

struct Discovery {
  std::vector<DiscoveredRun> runs; // newest first
  std::vector<DiscoveredPoint> points;
  std::vector<std::string> unchecked;        // what could not be asked, and why
  std::vector<std::string> notes;            // what was looked at
  std::optional<std::string> checkpoint_dir; // the job's checkpoint base directory, where known

  bool found_anything() const { return !runs.empty() || !points.empty(); }
  const DiscoveredRun* live_run() const;
};

// Asks the JobManager at `rest_url` (empty for application clusters, which
// have none until a job runs) for this job's Flink jobs and their latest
// checkpoints, then lists the job's state directories. Never fails for what
// cannot be asked (that goes to `unchecked`); refuses (exit 4) when two
// running Flink jobs carry the job's name.
Result<Discovery> discover_job_state(const OpsContext& context, const JobTarget& job,
                                     const std::string& rest_url, storage::StateStorage& storage);

// The job's checkpoint base directory (SPEC 5.9's order), asking the
// JobManager's configuration only when the job and cluster do not say.
// nullopt with `unchecked` set when the JobManager could not be asked.
std::optional<std::string> checkpoint_base_dir(const OpsContext& context, const JobTarget& job,
                                               const std::string& rest_url, std::string* unchecked);

// state.root's directories for the job, when the cluster has one.
std::optional<core::StateDirectories> state_root_directories(const JobTarget& job);

struct RecordedDiscovery {
  int runs = 0;
  int points = 0;
};

// Writes what discovery found, in one transaction: runs not known yet (live
// ones only with `include_live`; `start` refuses those instead) and points
// as `discovered`, with their source. Idempotent.
RecordedDiscovery record_discovery(const OpsContext& context, const JobTarget& job,
                                   const Discovery& discovery, bool include_live);

} // namespace sp::ops
