// `sp job start`: the submission half (SPEC 5.7-5.8, 5.9). The decision is
// plan_start's (start_plan.cpp); here the run is written before Flink hears
// of it, submitted under the id sp chose, then waited for and verified.
#include "sp/ops/start.hpp"

#include "sp/core/run_state.hpp"
#include "sp/core/state_layout.hpp"
#include "sp/flink/mapping.hpp"
#include "sp/ops/discovery.hpp"
#include "sp/ops/job_lock.hpp"
#include "sp/ops/observe.hpp"
#include "sp/ops/poll.hpp"
#include "sp/ops/sql_job.hpp"
#include "sp/ops/submit.hpp"
#include "sp/store/releases.hpp"

#include <fmt/format.h>

#include <csignal>

namespace sp::ops {

namespace {

using namespace std::chrono_literals;

std::string doing(const JobTarget& job) { return "starting job " + job.name; }

Result<std::string> wait_until_running(const OpsContext& context, const JobTarget& job,
                                       flink::RestClient& rest, const std::string& flink_job_id,
                                       std::chrono::milliseconds wait) {
  std::string state(core::run_state::submitted);
  auto outcome = poll_until(context.clock, wait, 500ms, [&]() -> std::optional<Result<std::string>> {
    auto listed = find_flink_job(rest, flink_job_id);
    if (!listed || !*listed) return std::nullopt;
    state = (*listed)->state;
    if (state == core::run_state::running) return state;
    if (!flink::is_globally_terminal(state)) return std::nullopt;
    auto cause = rest.root_cause(flink_job_id);
    return fail(ErrorKind::external, doing(job),
                fmt::format("Flink job {} became {} while starting: {}", flink_job_id, state,
                            cause ? *cause : std::string(cause.error().what())));
  });
  if (outcome) return std::move(*outcome);
  return fail(
      ErrorKind::unreachable, doing(job),
      fmt::format("Flink job {} is still {} after {}", flink_job_id, state, core::describe_age(wait.count())),
      "the job was submitted; see `sp job status " + job.name + "`");
}

// Flink reports what a job restored from once its first checkpoint statistics
// exist; a job that takes longer is left unverified rather than waited for.
constexpr std::chrono::milliseconds restore_check_wait = 30s;

// SPEC 5.8: the JobManager must say it restored the chosen path.
Result<bool> verify_restore(const OpsContext& context, flink::RestClient& rest,
                            const std::string& flink_job_id, const std::string& chosen,
                            std::chrono::milliseconds wait) {
  auto restored = poll_until(context.clock, std::min(wait, restore_check_wait), 500ms,
                             [&]() -> std::optional<std::string> {
                               auto stats = rest.checkpoints(flink_job_id);
                               if (!stats || !stats->restored) return std::nullopt;
                               return stats->restored->external_path;
                             });
  if (!restored) return false;
  return core::same_restore_location(*restored, chosen);
}

void mark_invalid_points(const OpsContext& context, const JobTarget& job,
                         const core::RestoreDecision& decision) {
  for (const auto& invalid : decision.newly_invalid) {
    store::Transaction transaction(context.database);
    store::mark_point_invalid(context.database, invalid.point.id, invalid.reason);
    record_job_event(context, job, "restore-point-invalid",
                     fmt::format("{} {} is invalid: {}", core::to_string(invalid.point.kind),
                                 invalid.point.path, invalid.reason));
    transaction.commit();
  }
}

// A test hook, off unless SP_FAULT_INJECT names this point: sp dies as a
// SIGKILL would kill it, so tests can show the next command settles the run.
void fault_point(const OpsContext& context, std::string_view name) {
  if (!context.env) return;
  if (auto armed = context.env("SP_FAULT_INJECT"); armed && *armed == name) std::raise(SIGKILL);
}

// A SQL job runs the script its release pinned, rendered with today's
// variables; that must be the script the release was made from.
Result<void> set_sql_program(const JobTarget& job, const store::ReleaseRow& release, flink::RunRequest& run) {
  auto prepared = prepare_sql(
      job, {*release.sql_template, fmt::format("the SQL of release {}", release.id), release.build_id});
  if (!prepared) return std::unexpected(prepared.error().within(doing(job)));
  if (prepared->digest != release.sql_digest) {
    return fail(
        ErrorKind::refused, doing(job),
        fmt::format("the script of release {} resolves differently now: its variables changed", release.id),
        "run `sp job release " + job.name + "`");
  }
  auto plan = pinned_plan(job, release);
  if (!plan) return std::unexpected(plan.error().within(doing(job)));
  auto args = sql_runner_arguments(job, prepared->script, *plan);
  if (!args) return std::unexpected(args.error());
  run.entry_class = std::string(core::sql_runner_main_class);
  run.args = std::move(*args);
  return {};
}

Result<flink::RunRequest> run_request(const JobTarget& job, const store::ReleaseRow& release,
                                      const core::RestoreDecision& decision, const StartOptions& options,
                                      const std::string& flink_job_id) {
  flink::RunRequest run;
  run.job_id = flink_job_id;
  run.entry_class = job.spec.entry_class;
  run.args = job.spec.args;
  if (release.sql_template) {
    if (auto program = set_sql_program(job, release, run); !program) return std::unexpected(program.error());
  }
  run.parallelism = job.spec.parallelism;
  run.flink_configuration =
      core::submission_configuration(job.spec.flink_configuration, state_root_directories(job), job.name);
  run.allow_non_restored_state = options.allow_non_restored || job.spec.state.allow_non_restored_state;
  if (decision.chosen) run.savepoint_path = decision.chosen->path;
  return run;
}

// SPEC 5.9: the run exists, with the id Flink will know it by and where its
// checkpoints will go, before Flink hears of it.
std::int64_t insert_submitting_run(const OpsContext& context, const JobTarget& job,
                                   const store::ReleaseRow& release, const StartPlan& plan,
                                   const flink::RunRequest& run,
                                   const std::optional<std::string>& checkpoint_base) {
  const auto& chosen = plan.decision.chosen;
  const std::optional<std::int64_t> point_id =
      chosen && chosen->id > 0 ? std::optional(chosen->id) : std::nullopt;
  store::Transaction transaction(context.database);
  const auto id = store::insert_run(
      context.database,
      {.job_id = job.job_id,
       .release_id = release.id,
       .flink_job_id = run.job_id,
       .rest_url = plan.rest_url,
       .state = std::string(core::run_state::submitting),
       .restore_point_id = point_id,
       .restore_path = run.savepoint_path,
       .started_at = context.clock.now_ms(),
       .checkpoint_dir =
           checkpoint_base ? std::optional(core::join_path(*checkpoint_base, *run.job_id)) : std::nullopt});
  transaction.commit();
  return id;
}

// SPEC 14: a plan change that breaks the chosen point's state is refused,
// unless the user allows state that maps to no operator.
Result<void> refuse_breaking_upgrade(const OpsContext& context, const JobTarget& job,
                                     const std::optional<UpgradeCheck>& upgrade,
                                     const StartOptions& options) {
  if (!upgrade || !upgrade->comparison || upgrade->comparison->change != core::PlanChange::breaking)
    return {};
  if (options.allow_non_restored || job.spec.state.allow_non_restored_state) return {};
  const std::string why =
      fmt::format("the SQL's compiled plan changed since release {} in a way its state cannot follow: {}",
                  upgrade->from_release, fmt::join(upgrade->comparison->details, "; "));
  record_job_event(context, job, "start-refused", why);
  return fail(ErrorKind::refused, doing(job), why,
              "start with --allow-non-restored to drop that state, or --restore none --force to start empty");
}

// A rejected submission never reached Flink; one that timed out may have:
// it stays SUBMITTING for the next command to settle.
Error submission_failed(const OpsContext& context, const JobTarget& job, std::int64_t run_id,
                        const Error& error, const std::string& flink_job_id) {
  if (error.kind() == ErrorKind::unreachable) return error.within(doing(job));
  store::end_run(context.database, run_id, std::string(core::run_state::not_submitted),
                 context.clock.now_ms());
  record_job_event(context, job, "start-failed", error.what());
  const std::string& why = error.why();
  if (why.find("already") != std::string::npos && why.find("submitted") != std::string::npos) {
    return Error(ErrorKind::refused, doing(job),
                 fmt::format("the cluster already has a Flink job with id {}: {}", flink_job_id, why),
                 "see `sp cluster jobs " + job.cluster_name + "`");
  }
  return error.within(doing(job));
}

Result<void> await_running(const OpsContext& context, const JobTarget& job, StartResult& result,
                           const StartOptions& options) {
  if (context.progress) context.progress("waiting for " + job.name + " to be RUNNING");
  auto jobmanager = JobManager::open(context, job.cluster, result.plan.rest_url);
  if (!jobmanager) return std::unexpected(jobmanager.error());
  auto& rest = jobmanager->rest();
  auto state = wait_until_running(context, job, rest, result.flink_job_id, options.wait);
  if (!state) {
    if (state.error().kind() == ErrorKind::external) {
      store::end_run(context.database, result.run_id, std::string(core::run_state::failed),
                     context.clock.now_ms());
      record_job_event(context, job, "start-failed", state.error().why());
    }
    return std::unexpected(state.error());
  }
  result.state = *state;
  store::set_run_state(context.database, result.run_id, result.state);
  const auto& chosen = result.plan.decision.chosen;
  if (!chosen) return {};
  auto verified = verify_restore(context, rest, result.flink_job_id, chosen->path, options.wait);
  if (!verified) return std::unexpected(verified.error());
  result.restore_verified = *verified;
  store::set_restore_verified(context.database, result.run_id, *verified);
  if (*verified) return {};
  record_job_event(context, job, "restore-mismatch", "Flink does not report restoring " + chosen->path);
  return fail(ErrorKind::external, doing(job),
              fmt::format("Flink job {} is RUNNING but does not report restoring {}", result.flink_job_id,
                          chosen->path),
              "check `sp job status " + job.name + "`; the job was left running");
}

} // namespace

Result<StartResult> start_job(const OpsContext& context, const JobTarget& job,
                              const store::ReleaseRow& release, const StartOptions& options) {
  auto lock = lock_job(context, job, options.wait);
  if (!lock) return std::unexpected(lock.error().within(doing(job)));

  StartResult result;
  auto plan = plan_start(context, job, options, /*record=*/true);
  if (!plan) return std::unexpected(plan.error());
  result.plan = std::move(*plan);
  const auto& decision = result.plan.decision;
  mark_invalid_points(context, job, decision);
  if (decision.action == core::RestoreDecision::Action::refuse ||
      decision.action == core::RestoreDecision::Action::cannot_check) {
    record_job_event(context, job, "start-refused", decision.reason);
    const auto kind = decision.action == core::RestoreDecision::Action::refuse ? ErrorKind::refused
                                                                               : ErrorKind::unreachable;
    return fail(kind, doing(job), decision.reason);
  }

  result.upgrade = check_upgrade(context, release, decision.chosen);
  if (auto refused = refuse_breaking_upgrade(context, job, result.upgrade, options); !refused)
    return std::unexpected(refused.error());

  // The start's --wait covers YARN finding room for a new application too.
  auto submitter = make_submitter(context, job, options.wait);
  if (!submitter) return std::unexpected(submitter.error());
  const auto checkpoint_base = checkpoint_base_dir(context, job, result.plan.rest_url, nullptr);
  const auto run = run_request(job, release, decision, options,
                               core::flink_job_id_for(job.environment, job.name, context.clock.now_ms()));
  if (!run) return std::unexpected(run.error());
  result.run_id = insert_submitting_run(context, job, release, result.plan, *run, checkpoint_base);
  auto submission = (*submitter)->submit(job, release, *run);
  fault_point(context, "start-after-submit");
  if (!submission)
    return std::unexpected(submission_failed(context, job, result.run_id, submission.error(), *run->job_id));
  result.jar_reused = submission->jar_reused;
  result.plan.rest_url = submission->rest_url;
  result.flink_job_id = submission->flink_job_id;
  result.application_id = submission->application_id;
  {
    store::Transaction transaction(context.database);
    const auto run_dir = checkpoint_base
                             ? std::optional(core::join_path(*checkpoint_base, result.flink_job_id))
                             : std::nullopt;
    store::set_run_submitted(context.database, result.run_id, result.flink_job_id, submission->application_id,
                             result.plan.rest_url, run_dir);
    record_job_event(context, job, "started",
                     fmt::format("Flink job {} submitted to {}: {}", result.flink_job_id,
                                 result.plan.rest_url, decision.reason));
    transaction.commit();
  }
  if (auto running = await_running(context, job, result, options); !running)
    return std::unexpected(running.error());
  return result;
}

} // namespace sp::ops
