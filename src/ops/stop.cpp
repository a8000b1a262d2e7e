#include "sp/ops/stop.hpp"

#include "sp/core/run_state.hpp"
#include "sp/core/state_layout.hpp"
#include "sp/ops/discovery.hpp"
#include "sp/ops/job_lock.hpp"

#include "sp/flink/mapping.hpp"
#include "sp/ops/observe.hpp"
#include "sp/ops/poll.hpp"
#include "sp/ops/start.hpp"
#include "sp/store/runs.hpp"

#include <fmt/format.h>

namespace sp::ops {

namespace {

using namespace std::chrono_literals;

Result<store::RunRow> live_run_of(const OpsContext& context, const JobTarget& job, const std::string& doing) {
  auto run = store::latest_run(context.database, job.job_id);
  if (!run || !run->live() || !run->flink_job_id) {
    return fail(ErrorKind::refused, doing, "it has no live run sp knows of",
                "see `sp job status " + job.name + "`, or `sp job adopt` a job started elsewhere");
  }
  return *run;
}

// Polls an asynchronous savepoint operation until it completes, fails or the wait is over.
Result<std::string> wait_for_savepoint(const OpsContext& context, flink::RestClient& rest,
                                       const std::string& job_id, const std::string& trigger,
                                       std::chrono::milliseconds wait, const std::string& doing) {
  auto outcome = poll_until(context.clock, wait, 500ms, [&]() -> std::optional<Result<std::string>> {
    auto status = rest.savepoint_status(job_id, trigger);
    if (!status) return std::unexpected(status.error().within(doing));
    if (status->state == flink::OperationStatus::State::completed) {
      if (!status->location) return fail(ErrorKind::external, doing, "Flink reported no savepoint location");
      return *status->location;
    }
    if (status->state == flink::OperationStatus::State::failed) {
      return fail(ErrorKind::external, doing,
                  "the savepoint failed: " + status->failure_cause.value_or("unknown cause"));
    }
    return std::nullopt;
  });
  if (outcome) return std::move(*outcome);
  return fail(ErrorKind::unreachable, doing,
              fmt::format("the savepoint did not complete within {}", core::describe_age(wait.count())),
              "it may still complete; `sp job points` will list it once recorded");
}

// Records a completed savepoint, with its checkpoint id when Flink still lists it.
void record_savepoint(const OpsContext& context, const JobTarget& job, flink::RestClient& rest,
                      const store::RunRow& run, core::PointKind kind, const std::string& location) {
  // Flink lists a completed savepoint in the job's statistics a moment after
  // reporting it (and the history does not always list a stop-savepoint;
  // latest.savepoint does), so look for a few seconds before recording it
  // without its checkpoint id.
  const auto entry = poll_until(context.clock, 5s, 250ms, [&]() -> std::optional<flink::CheckpointEntry> {
    auto stats = rest.checkpoints(*run.flink_job_id);
    if (!stats) return std::nullopt;
    auto candidates = stats->history;
    if (stats->latest_savepoint) candidates.insert(candidates.begin(), *stats->latest_savepoint);
    for (const auto& candidate : candidates) {
      if (candidate.external_path && core::same_restore_location(*candidate.external_path, location)) {
        return candidate;
      }
    }
    return std::nullopt;
  });
  const std::int64_t now = context.clock.now_ms();
  store::record_restore_point(
      context.database,
      {.job_id = job.job_id,
       .run_id = run.id,
       .kind = kind,
       .flink_checkpoint_id = entry ? std::optional(entry->id) : std::nullopt,
       .path = location,
       .trigger_time = entry ? std::optional(entry->trigger_time_ms) : std::nullopt,
       .completion_time = entry && entry->completion_time_ms ? *entry->completion_time_ms : now,
       .size_bytes = entry ? entry->size_bytes : std::nullopt,
       .recorded_at = now});
}

// Waits until Flink reports the job globally terminal; returns that state.
std::string wait_for_end(const OpsContext& context, flink::RestClient& rest, const std::string& job_id,
                         std::chrono::milliseconds wait) {
  auto end = poll_until(context.clock, wait, 250ms, [&]() -> std::optional<std::string> {
    auto listed = find_flink_job(rest, job_id);
    if (listed && *listed && flink::is_globally_terminal((*listed)->state)) return (*listed)->state;
    if (listed && !*listed) return std::string(core::run_state::lost);
    return std::nullopt;
  });
  return end.value_or(std::string(core::run_state::unknown));
}

void record_live_checkpoints(const OpsContext& context, const JobTarget& job, flink::RestClient& rest,
                             const store::RunRow& run) {
  if (auto stats = rest.checkpoints(*run.flink_job_id)) {
    record_checkpoint_stats(context.database, job.job_id, run.id, *stats, context.clock.now_ms());
  }
}

Result<StopResult> cancel_run(const OpsContext& context, const JobTarget& job, flink::RestClient& rest,
                              const store::RunRow& run, const StopOptions& options,
                              const std::string& doing) {
  StopResult result{run.id, *run.flink_job_id, core::StopMode::cancel, std::nullopt, {}, {}};
  if (auto config = rest.checkpoint_config(*run.flink_job_id)) {
    if (!config->enabled) {
      result.warnings.push_back("the job does not checkpoint: after a cancel there is no state to restore");
    } else if (!config->retained_on_cancellation) {
      result.warnings.push_back("the job's checkpoints are not retained on cancellation: the next start will "
                                "find no checkpoint of this run (set execution.checkpointing.externalized-"
                                "checkpoint-retention: RETAIN_ON_CANCELLATION)");
    }
  }
  record_live_checkpoints(context, job, rest, run);
  if (auto cancelled = rest.cancel(*run.flink_job_id); !cancelled)
    return std::unexpected(cancelled.error().within(doing));
  result.end_state = wait_for_end(context, rest, *run.flink_job_id, options.wait);
  record_live_checkpoints(context, job, rest, run);
  store::Transaction transaction(context.database);
  if (result.end_state != core::run_state::unknown)
    store::end_run(context.database, run.id, result.end_state, context.clock.now_ms());
  record_job_event(context, job, "cancelled",
                   fmt::format("Flink job {} cancelled: {}", run.flink_job_id.value(), result.end_state));
  transaction.commit();
  return result;
}

} // namespace

std::optional<std::string> savepoint_directory(const JobTarget& job, const std::optional<std::string>& flag) {
  if (flag) return flag;
  if (job.spec.state.savepoint_dir) return job.spec.state.savepoint_dir;
  if (auto configured = core::savepoint_dir_in(job.spec.flink_configuration)) return configured;
  // SPEC 5.9: with state.root, a job's savepoints sit beside its checkpoints.
  if (auto root = state_root_directories(job)) return root->savepoints;
  return job.cluster.savepoint_dir;
}

Result<StopResult> stop_job(const OpsContext& context, const JobTarget& job, const StopOptions& options) {
  const std::string doing = "stopping job " + job.name;
  auto lock = lock_job(context, job, options.wait);
  if (!lock) return std::unexpected(lock.error().within(doing));
  auto run = live_run_of(context, job, doing);
  if (!run) return std::unexpected(run.error());
  auto jobmanager = JobManager::open(context, job.cluster, run->rest_url);
  if (!jobmanager) return std::unexpected(jobmanager.error());
  auto& rest = jobmanager->rest();

  const core::StopMode mode = options.mode.value_or(job.spec.stop);
  if (mode == core::StopMode::cancel) return cancel_run(context, job, rest, *run, options, doing);

  record_live_checkpoints(context, job, rest, *run);
  const auto directory = savepoint_directory(job, options.directory);
  if (context.progress) context.progress("stopping " + job.name + " with a savepoint");
  auto trigger = rest.trigger_stop(*run->flink_job_id, directory, mode == core::StopMode::drain);
  if (!trigger) return std::unexpected(trigger.error().within(doing));
  auto location = wait_for_savepoint(context, rest, *run->flink_job_id, *trigger, options.wait, doing);
  if (!location) {
    // Flink keeps the job running when stop-with-savepoint fails; so does sp's record.
    record_job_event(context, job, "stop-failed", location.error().why());
    return std::unexpected(location.error());
  }
  StopResult result{run->id, *run->flink_job_id, mode, *location, {}, {}};
  result.end_state = wait_for_end(context, rest, *run->flink_job_id, options.wait);
  // Recorded once the job has ended, when its checkpoint history lists the savepoint with its id.
  record_savepoint(context, job, rest, *run, core::PointKind::stop_savepoint, *location);
  store::Transaction transaction(context.database);
  if (result.end_state != core::run_state::unknown)
    store::end_run(context.database, run->id, result.end_state, context.clock.now_ms());
  record_job_event(context, job, "stopped",
                   fmt::format("Flink job {} stopped with savepoint {}", *run->flink_job_id, *location));
  transaction.commit();
  return result;
}

Result<SavepointResult> savepoint_job(const OpsContext& context, const JobTarget& job,
                                      const std::optional<std::string>& directory,
                                      std::chrono::milliseconds wait) {
  const std::string doing = "taking a savepoint of job " + job.name;
  auto lock = lock_job(context, job, wait);
  if (!lock) return std::unexpected(lock.error().within(doing));
  auto run = live_run_of(context, job, doing);
  if (!run) return std::unexpected(run.error());
  auto jobmanager = JobManager::open(context, job.cluster, run->rest_url);
  if (!jobmanager) return std::unexpected(jobmanager.error());
  auto& rest = jobmanager->rest();
  if (context.progress) context.progress("waiting for the savepoint of " + job.name);
  auto trigger = rest.trigger_savepoint(*run->flink_job_id, savepoint_directory(job, directory));
  if (!trigger) return std::unexpected(trigger.error().within(doing));
  auto location = wait_for_savepoint(context, rest, *run->flink_job_id, *trigger, wait, doing);
  if (!location) {
    record_job_event(context, job, "savepoint-failed", location.error().why());
    return std::unexpected(location.error());
  }
  record_savepoint(context, job, rest, *run, core::PointKind::savepoint, *location);
  record_job_event(context, job, "savepoint", "savepoint " + *location);
  return SavepointResult{run->id, *location};
}

} // namespace sp::ops
