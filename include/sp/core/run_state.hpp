// The vocabulary of a run's life, shared by store, ops and watch: the state
// names sp writes and compares, how healthy a run's checkpoints are, and what
// the watch loop remembers of a live run from one cycle to the next.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sp::core {

// A run's state is text, not an enum: while Flink reports on a run it holds
// Flink's JobStatus as Flink spells it (a state a newer Flink adds passes
// through untouched), and otherwise one of the states sp concludes itself.
// These are the names sp decides on; nowhere else spells them.
namespace run_state {

// Flink's JobStatus names that sp acts on.
inline constexpr std::string_view running = "RUNNING";
inline constexpr std::string_view restarting = "RESTARTING";
inline constexpr std::string_view failed = "FAILED";
inline constexpr std::string_view suspended = "SUSPENDED"; // not terminal: HA may resume the job

// Written before Flink hears of the run (SPEC 5.9); settled by the next command on the job.
inline constexpr std::string_view submitting = "SUBMITTING";
// Flink accepted the submission; not yet seen RUNNING.
inline constexpr std::string_view submitted = "SUBMITTED";
// The end of a run that never reached Flink (rejected, or written before a
// submission that did not happen): not history, for SPEC 5.6.
inline constexpr std::string_view not_submitted = "NOT_SUBMITTED";
// A run whose JobManager stopped answering: not lost, not failed, not an end.
inline constexpr std::string_view unreachable = "UNREACHABLE";
// The end sp records when a reachable JobManager no longer knows the job.
inline constexpr std::string_view lost = "LOST";
// What a wait for the end reports when Flink named none in time; never recorded.
inline constexpr std::string_view unknown = "UNKNOWN";

} // namespace run_state

enum class CheckpointHealth { ok, failing, stale };

// "ok", "failing", "stale", as stored in runs.checkpoint_health.
std::string_view to_string(CheckpointHealth health);
std::optional<CheckpointHealth> checkpoint_health_from_string(std::string_view text);

// What the store knew of a live run before a watch cycle, and what the cycle
// leaves for the next one.
struct RunMemory {
  std::string state;
  std::int64_t started_at = 0;
  std::int64_t poll_failures = 0;
  std::int64_t missing_polls = 0;
  std::int64_t failed_checkpoints = 0;
  std::optional<std::int64_t> last_checkpoint_at;
  CheckpointHealth checkpoint_health = CheckpointHealth::ok;
  int recent_flink_restarts = 0; // RESTARTING transitions within the watch policy's window
  int recent_auto_restarts = 0;  // restarts by sp (restart.onFailure) within the same window
  // The job's checkpoint interval, read once per run from Flink (0: checkpointing
  // disabled); it paces how often the watch asks for checkpoint statistics.
  std::optional<std::int64_t> checkpoint_interval_ms;
};

} // namespace sp::core
