// `sp job plan` and the decision half of `sp job start` (SPEC 5.1-5.6, 5.9):
// settle what became of the last run, gather every candidate in truth order
// (the run's checkpoint storage, then its JobManager, then sp's records),
// ask the cluster and the storage when sp's records are thin, and decide.
#include "sp/ops/start.hpp"

#include "sp/core/run_state.hpp"
#include "sp/core/state_layout.hpp"
#include "sp/flink/mapping.hpp"
#include "sp/ops/discovery.hpp"
#include "sp/ops/jobmanager_address.hpp"
#include "sp/ops/observe.hpp"
#include "sp/ops/state_scan.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace sp::ops {

namespace {

std::string doing(const JobTarget& job) { return "planning the start of job " + job.name; }

// The candidates as start sees them: recorded in the database as they are
// found (start), or held in memory and never written (plan, --dry-run).
class Candidates {
public:
  Candidates(const OpsContext& context, const JobTarget& job, bool record)
      : context_(context), job_(job), record_(record) {}

  void add(const store::NewRestorePoint& point) {
    if (record_) {
      store::record_restore_point(context_.database, point);
      return;
    }
    core::KnownPoint known;
    known.id = next_unrecorded_id_--;
    known.kind = point.kind;
    known.flink_checkpoint_id = point.flink_checkpoint_id;
    known.run_id = point.run_id;
    known.path = point.path;
    known.completion_ms = point.completion_time;
    known.source = point.source;
    held_.push_back(std::move(known));
  }

  // A recorded checkpoint Flink deleted because a newer one of its run completed.
  void subsumed(const core::KnownPoint& point, const StoredPoint& by) {
    const std::string reason = "subsumed by " + by.path;
    if (record_) {
      store::Transaction transaction(context_.database);
      store::mark_point_invalid(context_.database, point.id, reason);
      record_job_event(context_, job_, "restore-point-subsumed", fmt::format("{} {}", point.path, reason));
      transaction.commit();
      return;
    }
    subsumed_[point.id] = reason;
  }

  std::vector<core::KnownPoint> points() const {
    auto points = store::restore_points_of_job(context_.database, job_.job_id);
    for (auto& point : points) {
      if (auto it = subsumed_.find(point.id); it != subsumed_.end()) {
        point.valid = false;
        point.invalid_reason = it->second;
      }
    }
    for (const auto& held : held_) {
      const bool known = std::ranges::any_of(points, [&](const core::KnownPoint& point) {
        return point.path == held.path || (held.run_id && point.run_id == held.run_id &&
                                           point.flink_checkpoint_id == held.flink_checkpoint_id);
      });
      if (!known) points.push_back(held);
    }
    return points;
  }

  bool recording() const { return record_; }

private:
  const OpsContext& context_;
  const JobTarget& job_;
  bool record_;
  std::int64_t next_unrecorded_id_ = -1; // below 0: never confused with a row or an explicit path (0)
  std::vector<core::KnownPoint> held_;
  std::map<std::int64_t, std::string> subsumed_;
};

// The last run's Flink job as its JobManager lists it. A JobManager that
// does not answer may have moved (YARN failover) or ended with its YARN
// application: the ResourceManager says which. Moved: asked again at the new
// address (recorded on the run when `record`). Ended or forgotten by YARN:
// nullopt, and `gone` set: there is no JobManager left to ask for checkpoints.
Result<std::optional<flink::JobOverview>> find_live_job(const OpsContext& context, const JobTarget& job,
                                                        store::RunRow& run, bool record, bool& gone) {
  auto listed = [&]() -> Result<std::optional<flink::JobOverview>> {
    auto jobmanager = JobManager::open(context, job.cluster, run.rest_url);
    if (!jobmanager) return std::unexpected(jobmanager.error());
    return find_flink_job(jobmanager->rest(), *run.flink_job_id);
  };
  auto found = listed();
  const bool yarn = job.cluster.type == core::ClusterType::yarn_application ||
                    job.cluster.type == core::ClusterType::yarn_session;
  if (found || found.error().kind() != ErrorKind::unreachable || !yarn || !run.application_id) return found;
  auto address = resolve_jobmanager_address(context, job.cluster, job.cluster_name, run.application_id);
  if (!address &&
      (address.error().kind() == ErrorKind::external || address.error().kind() == ErrorKind::not_found)) {
    gone = true;
    return std::optional<flink::JobOverview>();
  }
  if (!address || *address == run.rest_url) return found;
  if (record) store::set_run_rest_url(context.database, run.id, *address);
  run.rest_url = *address;
  return listed();
}

void end_run(const OpsContext& context, store::RunRow& run, const std::string& state, std::int64_t at,
             bool record) {
  if (record) store::end_run(context.database, run.id, state, at);
  run.state = state;
  run.end_state = state;
  run.ended_at = at;
}

// SPEC 5.9: a run written before submission by an sp that did not live to
// record the result. The JobManager lists it: it is the run. It does not:
// it ended, and it never reached Flink unless its directory holds state.
Result<void> settle_submitting(const OpsContext& context, const JobTarget& job, store::RunRow& run,
                               const std::string& cluster_url, storage::StateStorage& storage,
                               StartPlan& plan, bool record) {
  const std::string url = run.rest_url.empty() ? cluster_url : run.rest_url;
  if (!url.empty()) {
    auto jobmanager = JobManager::open(context, job.cluster, url);
    if (!jobmanager) return std::unexpected(jobmanager.error());
    auto listed = find_flink_job(jobmanager->rest(), *run.flink_job_id);
    if (!listed) {
      return fail(
          ErrorKind::unreachable, doing(job),
          fmt::format("run {} was being submitted when sp stopped, and the JobManager cannot say whether it "
                      "has it: {}",
                      run.id, listed.error().why()));
    }
    if (*listed) {
      plan.notes.push_back(fmt::format("run {} was being submitted when sp stopped; Flink has it ({})",
                                       run.id, (*listed)->state));
      if (record) {
        store::set_run_submitted(context.database, run.id, *run.flink_job_id, run.application_id, url,
                                 std::nullopt);
        store::set_run_state(context.database, run.id, (*listed)->state);
      }
      run.rest_url = url;
      run.state = (*listed)->state;
      return {};
    }
  }
  bool has_state = false;
  if (run.checkpoint_dir && storage.can_read(*run.checkpoint_dir)) {
    auto newest = newest_checkpoint_in(storage, *run.checkpoint_dir);
    if (!newest) return std::unexpected(newest.error().within(doing(job)));
    has_state = newest->has_value();
  }
  plan.notes.push_back(
      fmt::format("run {} was being submitted when sp stopped; {}", run.id,
                  has_state ? "Flink no longer lists it, but it left state" : "it never reached Flink"));
  end_run(context, run, std::string(has_state ? core::run_state::lost : core::run_state::not_submitted),
          context.clock.now_ms(), record);
  return {};
}

// SPEC 5.1-5.2: what became of the last run: alive is refused; ended is
// recorded, with the newest checkpoint its JobManager still reports.
Result<std::optional<flink::CheckpointStats>> settle_last_run(const OpsContext& context, const JobTarget& job,
                                                              store::RunRow& run, StartPlan& plan,
                                                              bool record) {
  if (run.live()) {
    bool gone = false;
    auto listed = find_live_job(context, job, run, record, gone);
    if (gone) {
      plan.notes.push_back(
          fmt::format("run {} ended with its application {}", run.id, run.application_id.value_or("?")));
      end_run(context, run, std::string(core::run_state::lost), context.clock.now_ms(), record);
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
    const std::string end_state = *listed ? (*listed)->state : std::string(core::run_state::lost);
    plan.notes.push_back(fmt::format("run {} ended as {}", run.id, end_state));
    end_run(context, run, end_state,
            *listed && (*listed)->end_time_ms ? *(*listed)->end_time_ms : context.clock.now_ms(), record);
  }
  auto jobmanager = JobManager::open(context, job.cluster, run.rest_url);
  if (!jobmanager) return std::unexpected(jobmanager.error());
  auto stats = jobmanager->rest().checkpoints(*run.flink_job_id);
  if (!stats) {
    plan.notes.push_back("the last run's JobManager reports no checkpoints: " +
                         std::string(stats.error().why()));
    return std::optional<flink::CheckpointStats>();
  }
  return std::optional<flink::CheckpointStats>(std::move(*stats));
}

// Rule 2: the checkpoints the last run's JobManager reports live.
void add_live_points(Candidates& candidates, const JobTarget& job, const store::RunRow& run,
                     const flink::CheckpointStats& stats, std::int64_t now) {
  for (const auto* entry : {stats.latest_completed ? &*stats.latest_completed : nullptr,
                            stats.latest_savepoint ? &*stats.latest_savepoint : nullptr}) {
    if (entry == nullptr || !entry->external_path || entry->status != "COMPLETED") continue;
    candidates.add({.job_id = job.job_id,
                    .run_id = run.id,
                    .kind = entry->is_savepoint ? core::PointKind::savepoint : core::PointKind::checkpoint,
                    .flink_checkpoint_id = entry->id,
                    .path = *entry->external_path,
                    .trigger_time = entry->trigger_time_ms,
                    .completion_time = entry->completion_time_ms.value_or(now),
                    .size_bytes = entry->size_bytes,
                    .recorded_at = now});
  }
}

// The run's own checkpoint directory: recorded at submission, else where its
// recorded checkpoints lie (runs started before sp recorded it, adopted runs).
std::optional<std::string> run_directory_of(const store::RunRow& run,
                                            const std::vector<core::KnownPoint>& points) {
  if (run.checkpoint_dir) return run.checkpoint_dir;
  for (const auto& point : points) {
    if (point.run_id != run.id || point.kind != core::PointKind::checkpoint) continue;
    if (auto location = core::checkpoint_location_of(point.path)) return location->run_directory;
  }
  return std::nullopt;
}

// Truth order: the newest chk-N in the run's directory is the run's newest
// checkpoint, whatever sp recorded; recorded ones it subsumed are replaced.
Result<void> add_stored_checkpoint(Candidates& candidates, const JobTarget& job, const store::RunRow& run,
                                   storage::StateStorage& storage, StartPlan& plan, std::int64_t now) {
  const auto points = candidates.points();
  const auto directory = run_directory_of(run, points);
  if (!directory || !storage.can_read(*directory)) return {};
  auto newest = newest_checkpoint_in(storage, *directory);
  if (!newest) {
    // The storage's own hint (which keys, which endpoint) says what to fix.
    const auto& cause = newest.error();
    return fail(ErrorKind::unreachable, doing(job),
                fmt::format("cannot read run {}'s checkpoint directory: {}", run.id, cause.why()),
                (cause.hint().empty() ? "try again when the storage answers" : cause.hint()) +
                    "; nothing was marked invalid");
  }
  if (!*newest) {
    plan.notes.push_back(
        fmt::format("run {}'s checkpoint directory {} holds no complete checkpoint", run.id, *directory));
    return {};
  }
  auto found = **newest;
  for (const auto& point : points) {
    const bool older_of_run = point.run_id == run.id && point.kind == core::PointKind::checkpoint &&
                              point.valid && !point.disposed && point.flink_checkpoint_id &&
                              *point.flink_checkpoint_id < *found.checkpoint_number;
    if (!older_of_run) continue;
    // chk numbers grow within a run: a larger one is newer whatever the clocks say.
    found.completion_ms = std::max(found.completion_ms, point.completion_ms + 1);
    if (storage::check_restore_point(storage, point.path).status == core::PathStatus::invalid) {
      candidates.subsumed(point, found);
    }
  }
  candidates.add({.job_id = job.job_id,
                  .run_id = run.id,
                  .kind = core::PointKind::checkpoint,
                  .flink_checkpoint_id = found.checkpoint_number,
                  .path = found.path,
                  .completion_time = found.completion_ms,
                  .recorded_at = now,
                  .source = "storage " + *directory});
  return {};
}

// SPEC 5.9: records are thin when there is no run, or the last run left
// nothing to restore: then the cluster and the storage are asked too.
bool records_are_thin(const core::RestoreDecision& decision, const std::optional<store::RunRow>& last_run) {
  if (!last_run) return true;
  if (decision.action != core::RestoreDecision::Action::restore || !decision.chosen) return true;
  return decision.chosen->run_id != last_run->id;
}

Result<void> discover(const OpsContext& context, const JobTarget& job, storage::StateStorage& storage,
                      Candidates& candidates, core::RestoreFacts& facts, StartPlan& plan) {
  auto discovery = discover_job_state(context, job, plan.rest_url, storage);
  if (!discovery) return std::unexpected(discovery.error());
  if (const auto* live = discovery->live_run()) {
    return fail(ErrorKind::refused, doing(job),
                fmt::format("Flink job {} of this job is already {} on {}, started {}", live->flink_job_id,
                            live->state, live->rest_url,
                            live->by_name ? "by another tool" : "by sp on another host"),
                "`sp job adopt " + job.name + " --flink-job-id " + live->flink_job_id +
                    "` to take it over here, or stop it first");
  }
  for (const auto& note : discovery->notes) plan.notes.push_back("discovery: " + note);
  facts.unchecked = discovery->unchecked;
  facts.has_run_before = facts.has_run_before || discovery->found_anything();
  if (candidates.recording()) {
    record_discovery(context, job, *discovery, /*include_live=*/false);
    for (const auto& run : store::runs_of_job(context.database, job.job_id)) {
      if (run.end_state == core::run_state::not_submitted) continue;
      facts.last_run_id = run.id;
      break;
    }
    return {};
  }
  for (const auto& found : discovery->points) {
    candidates.add({.job_id = job.job_id,
                    .kind = found.point.kind,
                    .flink_checkpoint_id = found.point.checkpoint_number,
                    .path = found.point.path,
                    .completion_time = found.point.completion_ms,
                    .source = found.source});
  }
  return {};
}

core::RestoreRequest restore_request(const OpsContext& context, const JobTarget& job,
                                     const StartOptions& options) {
  core::RestoreRequest request;
  request.mode = options.mode;
  request.explicit_path = options.restore_path;
  request.force = options.force;
  request.allow_old_state = options.allow_old_state;
  if (job.spec.state.max_age) request.max_age_ms = job.spec.state.max_age->count();
  request.now_ms = context.clock.now_ms();
  return request;
}

// Settles a SUBMITTING run, then returns the newest run that reached Flink.
Result<std::optional<store::RunRow>> last_run_of(const OpsContext& context, const JobTarget& job,
                                                 storage::StateStorage& storage, StartPlan& plan,
                                                 bool record) {
  for (auto& run : store::runs_of_job(context.database, job.job_id)) {
    if (run.submitting()) {
      auto settled = settle_submitting(context, job, run, plan.rest_url, storage, plan, record);
      if (!settled) return std::unexpected(settled.error());
    }
    if (run.end_state != core::run_state::not_submitted) return std::optional<store::RunRow>(run);
  }
  return std::optional<store::RunRow>();
}

} // namespace

Result<StartPlan> plan_start(const OpsContext& context, const JobTarget& job, const StartOptions& options,
                             bool record) {
  StartPlan plan;
  if (auto warning = core::yarn_attempts_warning(job.cluster.type, job.cluster.flink_configuration,
                                                 job.spec.flink_configuration)) {
    plan.notes.push_back(*warning);
  }
  if (core::is_application_mode(job.cluster.type)) {
    plan.notes.push_back("bin/flink creates a JobManager for the job; its address is known once it runs");
  } else {
    auto url = resolve_jobmanager_address(context, job.cluster, job.cluster_name, std::nullopt);
    if (!url) return std::unexpected(url.error().within(doing(job)));
    plan.rest_url = *url;
  }
  auto storage = storage_for(context, job.cluster);
  auto last_run = last_run_of(context, job, *storage, plan, record);
  if (!last_run) return std::unexpected(last_run.error());
  plan.last_run = *last_run;

  Candidates candidates(context, job, record);
  const std::int64_t now = context.clock.now_ms();
  if (plan.last_run && plan.last_run->flink_job_id) {
    auto stats = settle_last_run(context, job, *plan.last_run, plan, record);
    if (!stats) return std::unexpected(stats.error());
    if (*stats) add_live_points(candidates, job, *plan.last_run, **stats, now);
    if (auto stored = add_stored_checkpoint(candidates, job, *plan.last_run, *storage, plan, now); !stored) {
      return std::unexpected(stored.error());
    }
  }
  core::RestoreFacts facts;
  facts.has_run_before = plan.last_run.has_value();
  if (plan.last_run) facts.last_run_id = plan.last_run->id;
  facts.points = candidates.points();
  const auto request = restore_request(context, job, options);
  plan.decision = core::decide_restore(
      request, facts, [&](const std::string& path) { return storage::check_restore_point(*storage, path); });
  if (!records_are_thin(plan.decision, plan.last_run)) return plan;

  if (auto discovered = discover(context, job, *storage, candidates, facts, plan); !discovered) {
    return std::unexpected(discovered.error());
  }
  facts.points = candidates.points();
  plan.decision = core::decide_restore(
      request, facts, [&](const std::string& path) { return storage::check_restore_point(*storage, path); });
  return plan;
}

} // namespace sp::ops
