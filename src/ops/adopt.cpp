#include "sp/ops/adopt.hpp"

#include "sp/ops/job_lock.hpp"
#include "sp/ops/jobmanager_address.hpp"
#include "sp/ops/observe.hpp"
#include "sp/store/runs.hpp"

#include <fmt/format.h>

namespace sp::ops {

namespace {

std::string listing(const std::vector<flink::JobOverview>& jobs) {
  std::string text;
  for (const auto& job : jobs) text += fmt::format("\n  {} {} ({})", job.id, job.name, job.state);
  return text.empty() ? " nothing" : text;
}

// The YARN application or Kubernetes cluster id of a session, recorded on the
// run so its JobManager can be found again after a failover.
std::optional<std::string> session_id(const core::ClusterSpec& cluster) {
  if (cluster.type == core::ClusterType::yarn_session) return cluster.yarn.application_id;
  if (cluster.type == core::ClusterType::kubernetes_session) return cluster.kubernetes.cluster_id;
  return std::nullopt;
}

} // namespace

Result<flink::JobOverview> choose_job_to_adopt(const std::vector<flink::JobOverview>& jobs,
                                               const std::string& name,
                                               const std::optional<std::string>& flink_job_id) {
  const std::string doing = "adopting job " + name;
  if (flink_job_id) {
    for (const auto& job : jobs) {
      if (job.id != *flink_job_id) continue;
      if (!is_alive_state(job.state)) {
        return fail(ErrorKind::refused, doing,
                    fmt::format("Flink job {} is {}, not running", job.id, job.state));
      }
      return job;
    }
    return fail(ErrorKind::not_found, doing,
                "the cluster does not list Flink job " + *flink_job_id + "; it runs:" + listing(jobs));
  }
  std::vector<flink::JobOverview> named;
  for (const auto& job : jobs) {
    if (job.name == name && is_alive_state(job.state)) named.push_back(job);
  }
  if (named.size() == 1) return named.front();
  if (named.empty()) {
    return fail(ErrorKind::not_found, doing,
                "no running Flink job is named " + name + "; the cluster runs:" + listing(jobs),
                "pass --flink-job-id ID");
  }
  return fail(ErrorKind::refused, doing,
              fmt::format("{} running Flink jobs are named {}:{}", named.size(), name, listing(named)),
              "pass --flink-job-id ID to choose one");
}

Result<AdoptResult> adopt_job(const OpsContext& context, const JobTarget& job,
                              const std::optional<std::string>& flink_job_id) {
  const std::string doing = "adopting job " + job.name;
  const std::int64_t now = context.clock.now_ms(); // when the adopted points are recorded
  auto lock = lock_job(context, job);
  if (!lock) return std::unexpected(lock.error().within(doing));
  if (auto last = store::latest_run(context.database, job.job_id); last && last->live()) {
    return fail(ErrorKind::refused, doing,
                fmt::format("it already has a live run ({}, Flink job {})", last->id,
                            last->flink_job_id.value_or("?")),
                "see `sp job status " + job.name + "`");
  }
  // Sessions only: an application cluster's JobManager is found from the run sp started.
  auto url = resolve_jobmanager_address(context, job.cluster, job.cluster_name, std::nullopt);
  if (!url) return std::unexpected(url.error().within(doing));
  auto jobmanager = JobManager::open(context, job.cluster, *url);
  if (!jobmanager) return std::unexpected(jobmanager.error());
  auto jobs = jobmanager->rest().jobs_overview();
  if (!jobs) return std::unexpected(jobs.error().within(doing));
  auto chosen = choose_job_to_adopt(*jobs, job.name, flink_job_id);
  if (!chosen) return std::unexpected(chosen.error());

  AdoptResult result;
  result.flink_job = *chosen;
  store::Transaction transaction(context.database);
  result.run_id = store::insert_run(context.database, {.job_id = job.job_id,
                                                       .flink_job_id = chosen->id,
                                                       .application_id = session_id(job.cluster),
                                                       .rest_url = *url,
                                                       .state = chosen->state,
                                                       .adopted = true,
                                                       .started_at = chosen->start_time_ms});
  if (auto stats = jobmanager->rest().checkpoints(chosen->id)) {
    result.points_recorded =
        record_checkpoint_stats(context.database, job.job_id, result.run_id, *stats, now);
  }
  record_job_event(context, job, "adopted",
                   fmt::format("took over Flink job {} ({}) running on {}", chosen->id, chosen->state, *url));
  transaction.commit();
  return result;
}

} // namespace sp::ops
