#include "sp/ops/start.hpp"

#include "sp/flink/mapping.hpp"
#include "sp/flink/restore_paths.hpp"
#include "sp/ops/jobmanager_address.hpp"
#include "sp/ops/observe.hpp"
#include "sp/ops/submit.hpp"
#include "sp/store/locks.hpp"
#include "sp/store/releases.hpp"

#include <fmt/format.h>

namespace sp::ops {

namespace {

using namespace std::chrono_literals;

std::string doing(const JobTarget& job) { return "starting job " + job.name; }

// The last run's Flink job as its JobManager lists it. A JobManager that
// does not answer may have moved (YARN failover) or ended with its YARN
// application: the ResourceManager says which. Moved: asked again at the new
// address (recorded on the run when `record`). Ended or forgotten by YARN:
// nullopt, and `gone` set: there is no JobManager left to ask for checkpoints.
Result<std::optional<flink::JobOverview>> find_live_job(const OpsContext& context, const JobTarget& job,
                                                        store::RunRow& run, bool record, bool& gone) {
  auto listed = [&] {
    JobManager jobmanager(context, job.cluster, run.rest_url);
    return find_flink_job(jobmanager.rest(), *run.flink_job_id);
  };
  auto found = listed();
  const bool yarn = job.cluster.type == core::ClusterType::yarn_application ||
                    job.cluster.type == core::ClusterType::yarn_session;
  if (found || found.error().kind() != ErrorKind::unreachable || !yarn || !run.application_id) return found;
  auto address = resolve_jobmanager_address(context, job.cluster, job.cluster_name, run.application_id);
  if (!address && (address.error().kind() == ErrorKind::external || address.error().kind() == ErrorKind::not_found)) {
    gone = true;
    return std::optional<flink::JobOverview>();
  }
  if (!address || *address == run.rest_url) return found;
  if (record) store::set_run_rest_url(context.database, run.id, *address);
  run.rest_url = *address;
  return listed();
}

// SPEC 5.1-5.2: settles what became of the last run and collects the
// checkpoint its JobManager reports live. Returns the live stats (for plans,
// which record nothing).
Result<std::optional<flink::CheckpointStats>> settle_last_run(const OpsContext& context, const JobTarget& job,
                                                              StartPlan& plan, bool record) {
  if (!plan.last_run || !plan.last_run->flink_job_id) return std::optional<flink::CheckpointStats>();
  auto run = *plan.last_run;
  if (run.live()) {
    bool gone = false;
    auto listed = find_live_job(context, job, run, record, gone);
    if (gone) {
      // Its application ended with its JobManager: nothing to ask for checkpoints.
      plan.notes.push_back(fmt::format("run {} ended with its application {}", run.id, run.application_id.value_or("?")));
      if (record) store::end_run(context.database, run.id, "LOST", context.clock.now_ms());
      return std::optional<flink::CheckpointStats>();
    }
    if (!listed) {
      return std::unexpected(Error(listed.error().kind(), doing(job),
                                   fmt::format("cannot tell whether run {} (Flink job {}) is still alive: {}",
                                               run.id, *run.flink_job_id, listed.error().what())));
    }
    if (*listed && is_alive_state((*listed)->state)) {
      return fail(ErrorKind::refused, doing(job),
                  fmt::format("it is already {} on {} (Flink job {}, run {})", (*listed)->state, run.rest_url,
                              *run.flink_job_id, run.id),
                  "use `sp job restart` to stop and start it again, or `sp job stop` first");
    }
    const std::string end_state = *listed ? (*listed)->state : "LOST";
    plan.notes.push_back(fmt::format("run {} ended as {}", run.id, end_state));
    if (record) {
      store::end_run(context.database, run.id, end_state,
                     *listed && (*listed)->end_time_ms ? *(*listed)->end_time_ms : context.clock.now_ms());
    }
  }
  // Rule 2: the last run's JobManager may still report its newest checkpoint.
  JobManager jobmanager(context, job.cluster, run.rest_url);
  auto stats = jobmanager.rest().checkpoints(*run.flink_job_id);
  if (!stats) {
    plan.notes.push_back("the last run's JobManager reports no checkpoints: " + std::string(stats.error().what()));
    return std::optional<flink::CheckpointStats>();
  }
  if (record) {
    const int created = record_checkpoint_stats(context.database, job.job_id, run.id, *stats, context.clock.now_ms());
    if (created > 0) plan.notes.push_back(fmt::format("recorded {} new restore point(s) from the last run", created));
  }
  return std::optional<flink::CheckpointStats>(std::move(*stats));
}

// Points seen live but not recorded (plans) join the candidates in memory.
void add_unrecorded(std::vector<core::KnownPoint>& points, const store::RunRow& run,
                    const flink::CheckpointStats& stats) {
  for (const auto* entry : {stats.latest_completed ? &*stats.latest_completed : nullptr,
                            stats.latest_savepoint ? &*stats.latest_savepoint : nullptr}) {
    if (entry == nullptr || !entry->external_path || entry->status != "COMPLETED") continue;
    const bool known = std::ranges::any_of(points, [&](const core::KnownPoint& point) {
      return point.run_id == run.id && point.flink_checkpoint_id == entry->id;
    });
    if (known) continue;
    core::KnownPoint point;
    point.kind = entry->is_savepoint ? core::PointKind::savepoint : core::PointKind::checkpoint;
    point.run_id = run.id;
    point.flink_checkpoint_id = entry->id;
    point.path = *entry->external_path;
    point.completion_ms = entry->completion_time_ms.value_or(entry->trigger_time_ms);
    points.push_back(std::move(point));
  }
}

Result<std::string> wait_until_running(const OpsContext& context, const JobTarget& job, flink::RestClient& rest,
                                       const std::string& flink_job_id, std::chrono::milliseconds wait) {
  const std::int64_t deadline = context.clock.now_ms() + wait.count();
  std::string state = "SUBMITTED";
  for (;;) {
    auto listed = find_flink_job(rest, flink_job_id);
    if (listed && *listed) {
      state = (*listed)->state;
      if (state == "RUNNING") return state;
      if (flink::is_globally_terminal(state)) {
        auto cause = rest.root_cause(flink_job_id);
        return fail(ErrorKind::external, doing(job),
                    fmt::format("Flink job {} became {} while starting: {}", flink_job_id, state,
                                cause ? *cause : std::string(cause.error().what())));
      }
    }
    if (context.clock.now_ms() >= deadline) {
      return fail(ErrorKind::unreachable, doing(job),
                  fmt::format("Flink job {} is still {} after {}", flink_job_id, state, core::describe_age(wait.count())),
                  "the job was submitted; see `sp job status " + job.name + "`");
    }
    context.clock.sleep(500ms);
  }
}

// SPEC 5.8: the JobManager must say it restored the chosen path.
Result<bool> verify_restore(const OpsContext& context, flink::RestClient& rest, const std::string& flink_job_id,
                            const std::string& chosen, std::chrono::milliseconds wait) {
  const std::int64_t deadline = context.clock.now_ms() + std::min<std::int64_t>(wait.count(), 30'000);
  for (;;) {
    auto stats = rest.checkpoints(flink_job_id);
    if (stats && stats->restored && stats->restored->external_path) {
      return normalized_restore_location(*stats->restored->external_path) == normalized_restore_location(chosen);
    }
    if (context.clock.now_ms() >= deadline) return false;
    context.clock.sleep(500ms);
  }
}

} // namespace

std::string normalized_restore_location(const std::string& path) {
  std::string location = core::local_path_of(path).value_or(path);
  while (location.size() > 1 && location.back() == '/') location.pop_back();
  constexpr std::string_view metadata = "/_metadata";
  if (location.ends_with(metadata)) location.resize(location.size() - metadata.size());
  return location;
}

Result<StartPlan> plan_start(const OpsContext& context, const JobTarget& job, const StartOptions& options,
                             bool record) {
  StartPlan plan;
  if (core::is_application_mode(job.cluster.type)) {
    plan.notes.push_back("bin/flink creates a JobManager for the job; its address is known once it runs");
  } else {
    auto url = resolve_jobmanager_address(context, job.cluster, job.cluster_name, std::nullopt);
    if (!url) return std::unexpected(url.error().within(doing(job)));
    plan.rest_url = *url;
  }
  plan.last_run = store::latest_run(context.database, job.job_id);
  auto live_stats = settle_last_run(context, job, plan, record);
  if (!live_stats) return std::unexpected(live_stats.error());

  core::RestoreFacts facts;
  facts.points = store::restore_points_of_job(context.database, job.job_id);
  facts.has_run_before = plan.last_run.has_value();
  if (!record && *live_stats) add_unrecorded(facts.points, *plan.last_run, **live_stats);

  core::RestoreRequest request;
  request.mode = options.mode;
  request.explicit_path = options.restore_path;
  request.force = options.force;
  request.allow_old_state = options.allow_old_state;
  if (job.spec.state.max_age) request.max_age_ms = job.spec.state.max_age->count();
  request.now_ms = context.clock.now_ms();
  plan.decision = core::decide_restore(request, facts, flink::check_restore_path);
  return plan;
}

Result<StartResult> start_job(const OpsContext& context, const JobTarget& job, const store::ReleaseRow& release,
                              const StartOptions& options) {
  const std::int64_t lock_expiry = context.clock.now_ms() + options.wait.count() + 10 * 60'000;
  auto lock = store::ScopedLock::acquire(context.database, job_lock_name(job), context.actor,
                                         {context.clock.now_ms(), lock_expiry}, context.pid_alive);
  if (!lock) return std::unexpected(lock.error().within(doing(job)));

  StartResult result;
  auto plan = plan_start(context, job, options, /*record=*/true);
  if (!plan) return std::unexpected(plan.error());
  result.plan = std::move(*plan);
  const auto& decision = result.plan.decision;

  for (const auto& invalid : decision.newly_invalid) {
    store::Transaction transaction(context.database);
    store::mark_point_invalid(context.database, invalid.point.id, invalid.reason);
    record_job_event(context, job, "restore-point-invalid",
                     fmt::format("{} {} is invalid: {}", core::to_string(invalid.point.kind), invalid.point.path,
                                 invalid.reason));
    transaction.commit();
  }
  if (decision.action == core::RestoreDecision::Action::refuse) {
    record_job_event(context, job, "start-refused", decision.reason);
    return fail(ErrorKind::refused, doing(job), decision.reason);
  }

  auto submitter = make_submitter(context, job);
  if (!submitter) return std::unexpected(submitter.error());
  flink::RunRequest run;
  run.entry_class = job.spec.entry_class;
  run.args = job.spec.args;
  run.parallelism = job.spec.parallelism;
  run.flink_configuration = job.spec.flink_configuration;
  run.allow_non_restored_state = options.allow_non_restored || job.spec.state.allow_non_restored_state;
  if (decision.chosen) run.savepoint_path = decision.chosen->path;
  auto submission = (*submitter)->submit(job, release, run);
  if (!submission) {
    record_job_event(context, job, "start-failed", submission.error().what());
    return std::unexpected(submission.error().within(doing(job)));
  }
  result.jar_reused = submission->jar_reused;
  result.plan.rest_url = submission->rest_url;
  const std::string& flink_job_id = submission->flink_job_id;
  result.flink_job_id = flink_job_id;

  {
    store::Transaction transaction(context.database);
    const std::optional<std::int64_t> point_id =
        decision.chosen && decision.chosen->id != 0 ? std::optional(decision.chosen->id) : std::nullopt;
    result.run_id = store::insert_run(context.database, {.job_id = job.job_id,
                                                         .release_id = release.id,
                                                         .flink_job_id = flink_job_id,
                                                         .application_id = submission->application_id,
                                                         .rest_url = result.plan.rest_url,
                                                         .state = "SUBMITTED",
                                                         .restore_point_id = point_id,
                                                         .restore_path = run.savepoint_path,
                                                         .started_at = context.clock.now_ms()});
    record_job_event(context, job, "started",
                     fmt::format("Flink job {} submitted to {}: {}", flink_job_id, result.plan.rest_url, decision.reason));
    transaction.commit();
  }

  if (context.progress) context.progress("waiting for " + job.name + " to be RUNNING");
  JobManager jobmanager(context, job.cluster, result.plan.rest_url);
  auto& rest = jobmanager.rest();
  auto state = wait_until_running(context, job, rest, flink_job_id, options.wait);
  if (!state) {
    if (state.error().kind() == ErrorKind::external) {
      store::end_run(context.database, result.run_id, "FAILED", context.clock.now_ms());
      record_job_event(context, job, "start-failed", state.error().why());
    }
    return std::unexpected(state.error());
  }
  result.state = *state;
  store::set_run_state(context.database, result.run_id, result.state);

  if (decision.chosen) {
    auto verified = verify_restore(context, rest, flink_job_id, decision.chosen->path, options.wait);
    if (!verified) return std::unexpected(verified.error());
    result.restore_verified = *verified;
    store::set_restore_verified(context.database, result.run_id, *verified);
    if (!*verified) {
      record_job_event(context, job, "restore-mismatch",
                       "Flink does not report restoring " + decision.chosen->path);
      return fail(ErrorKind::external, doing(job),
                  fmt::format("Flink job {} is RUNNING but does not report restoring {}", flink_job_id,
                              decision.chosen->path),
                  "check `sp job status " + job.name + "`; the job was left running");
    }
  }
  return result;
}

} // namespace sp::ops
