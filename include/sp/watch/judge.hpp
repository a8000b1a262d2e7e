// What one watch cycle concludes about one live run, from what the store knew
// before and what its JobManager answered now (SPEC.md section 7). Pure: the
// cycle fetches, this decides, the store writes. Only transitions produce
// events and alerts; a run polled a thousand times in the same state
// produces nothing.
#pragma once

#include "sp/core/run_state.hpp"
#include "sp/flink/model.hpp"
#include "sp/flink/yarn.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sp::watch {

struct WatchPolicy {
  int unreachable_after = 3; // failed polls in a row before a JobManager's runs are UNREACHABLE
  int missing_after = 3;     // answers of a JobManager that no longer lists the job before the run is LOST
  std::chrono::milliseconds checkpoint_max_age = std::chrono::minutes(10); // older: checkpoint-stale
  int restart_alert_threshold = 3;                                         // Flink's own restarts per window
  std::chrono::milliseconds restart_alert_window = std::chrono::hours(1);
};

// What this cycle saw.
struct RunSighting {
  bool jobmanager_answered = false;
  std::string jobmanager_error;                             // why not, when it did not
  std::optional<flink::JobOverview> job;                    // the job's overview entry, when listed
  std::optional<flink::CheckpointStats> checkpoints;        // when asked for, fetched and readable
  std::optional<flink::CheckpointConfig> checkpoint_config; // asked once per run
};

struct RunEvent {
  std::string kind;    // "state", "unreachable", "recovered", "lost", "checkpoint-failing", ...
  std::string message; // one line for `sp job history`
};

struct RunVerdict {
  core::RunMemory memory;               // to store for the next cycle
  std::optional<std::string> end_state; // the run ended (terminal Flink state or LOST)
  std::vector<RunEvent> events;
  std::vector<std::string> alerts; // alert kinds raised for this run (core::alert_kinds)
  bool became_unreachable = false; // this cycle crossed the threshold
  bool recovered = false;          // answered again after being UNREACHABLE
  bool failed = false;             // FAILED or LOST now: a candidate for restart.onFailure
  bool changed = false;            // anything to write for this run
};

// Whether a running job's checkpoint statistics are worth asking for this
// cycle (SPEC 12: fewer requests than jobs when jobs checkpoint less often
// than the watch polls). Asked when the run has just come up (first sight,
// back from RESTARTING), while its interval is not known yet, and once a
// checkpoint is due: an interval after the last completed one (or after the
// start). A checkpoint that does not complete keeps it due every cycle, so
// failing and stale checkpoints are seen as soon as before. A job without
// checkpointing is asked only when it comes up.
bool checkpoints_due(const core::RunMemory& before, std::int64_t now_ms);

RunVerdict judge_run(const core::RunMemory& before, const RunSighting& sighting, const WatchPolicy& policy,
                     std::int64_t now_ms);

// A run whose JobManager's YARN application has ended, as the ResourceManager
// says: the run ends as `end` says, at once (no unanswered polls to count),
// with an `application-ended` event; FAILED and LOST are failures (alert,
// restart.onFailure), FINISHED and CANCELED are not.
RunVerdict judge_application_end(const core::RunMemory& before, const flink::ApplicationEnd& end);

} // namespace sp::watch
