#include "sp/watch/restarts.hpp"

#include "sp/core/restore.hpp"
#include "sp/core/run_state.hpp"
#include "sp/ops/job_loader.hpp"
#include "sp/ops/observe.hpp"
#include "sp/ops/release.hpp"
#include "sp/ops/start.hpp"
#include "sp/store/events.hpp"
#include "sp/store/jobs.hpp"
#include "sp/store/releases.hpp"
#include "sp/watch/alerting.hpp"

#include <fmt/format.h>

namespace sp::watch {

namespace {

// The release the failed run ran: a restart brings back what was running,
// not whatever the job's definition says now (that is `sp job restart`).
Result<store::ReleaseRow> release_to_restart(const ops::OpsContext& context, const store::WatchedRun& run,
                                             const ops::LoadedJob& job) {
  if (run.release_id) {
    if (auto release = store::find_release(context.database, *run.release_id)) return *release;
  }
  auto outcome =
      ops::ensure_release(context, job.target, job.masked_json, job.clear_json, std::nullopt, false);
  if (!outcome) return std::unexpected(outcome.error());
  return outcome->release;
}

RestartOutcome attempt(const ops::OpsContext& context, const store::WatchedRun& run,
                       const ops::LoadedJob& job, const WatchSettings& settings) {
  auto release = release_to_restart(context, run, job);
  if (!release) return {false, store::auto_restart_failed_event, release.error().what()};
  ops::StartOptions options;
  options.wait = settings.restart_wait;
  auto started = ops::start_job(context, job.target, *release, options);
  if (!started) return {false, store::auto_restart_failed_event, started.error().what()};
  const auto& chosen = started->plan.decision.chosen;
  return {true, store::auto_restart_event,
          fmt::format("restarted after {} as Flink job {} from {}", run.memory.state, started->flink_job_id,
                      chosen ? chosen->path : std::string("empty state"))};
}

} // namespace

std::optional<RestartOutcome> restart_failed_run(const ops::OpsContext& context, const store::WatchedRun& run,
                                                 const WatchSettings& settings) {
  auto row = store::find_job(context.database, run.environment, run.job);
  if (!row || !row->spec.restart.on_failure) return std::nullopt;
  const auto& policy = row->spec.restart;
  const std::int64_t now = context.clock.now_ms();
  const int done = store::auto_restarts_since(context.database, row->id, now - policy.window.count());

  RestartOutcome outcome;
  std::optional<ops::LoadedJob> job;
  if (done >= policy.max_restarts) {
    outcome = {false, store::auto_restart_refused_event,
               fmt::format("not restarted: {} automatic restarts within {} already (restart.maxRestarts)",
                           done, core::describe_age(policy.window.count()))};
  } else if (auto loaded = ops::load_job(context.database, run.environment, run.job, context.env); !loaded) {
    outcome = {false, store::auto_restart_refused_event, loaded.error().what()};
  } else {
    job = std::move(*loaded);
    outcome = attempt(context, run, *job, settings);
  }

  store::Transaction transaction(context.database);
  store::record_event(context.database, {.time_ms = context.clock.now_ms(),
                                         .job_id = row->id,
                                         .subject_kind = "job",
                                         .subject = run.environment + "/" + run.job,
                                         .kind = outcome.event_kind,
                                         .actor = context.actor.owner,
                                         .host = context.actor.host,
                                         .message = outcome.message});
  core::Alert alert;
  alert.kind = outcome.restarted ? "auto-restart" : "auto-restart-refused";
  alert.time_ms = context.clock.now_ms();
  alert.environment = run.environment;
  alert.job = run.job;
  alert.owner = row->metadata.owner.value_or("");
  alert.cluster = run.cluster;
  alert.jobmanager = run.rest_url;
  alert.state = outcome.restarted ? std::string(core::run_state::running) : run.memory.state;
  alert.restore_point = newest_restore_point(context.database, row->id);
  alert.summary = fmt::format("{}/{}: {}", run.environment, run.job, outcome.message);
  alert.host = context.actor.host;
  alert.sp_version = settings.sp_version;
  raise_alert(context.database, alert, row->id, row->spec.alerts);
  transaction.commit();
  return outcome;
}

} // namespace sp::watch
