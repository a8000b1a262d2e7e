#include "sp/ops/observe.hpp"

#include "sp/core/run_state.hpp"
#include "sp/flink/mapping.hpp"
#include "sp/store/events.hpp"

#include <fmt/format.h>

#include <map>

namespace sp::ops {

namespace {

bool record_entry(store::Database& database, std::int64_t job_id, std::int64_t run_id,
                  const flink::CheckpointEntry& entry, core::PointKind kind, std::int64_t now_ms) {
  if (!entry.external_path || entry.status != "COMPLETED") return false;
  return store::record_restore_point(database, {.job_id = job_id,
                                                .run_id = run_id,
                                                .kind = kind,
                                                .flink_checkpoint_id = entry.id,
                                                .path = *entry.external_path,
                                                .trigger_time = entry.trigger_time_ms,
                                                .completion_time = entry.completion_time_ms.value_or(now_ms),
                                                .size_bytes = entry.size_bytes,
                                                .recorded_at = now_ms})
      .created;
}

} // namespace

Result<std::optional<flink::JobOverview>> find_flink_job(flink::RestClient& rest,
                                                         const std::string& flink_job_id) {
  auto jobs = rest.jobs_overview();
  if (!jobs) return std::unexpected(jobs.error());
  for (auto& job : *jobs) {
    if (job.id == flink_job_id) return std::optional<flink::JobOverview>(std::move(job));
  }
  return std::optional<flink::JobOverview>();
}

int record_checkpoint_stats(store::Database& database, std::int64_t job_id, std::int64_t run_id,
                            const flink::CheckpointStats& stats, std::int64_t now_ms) {
  int created = 0;
  if (stats.latest_completed) {
    created +=
        record_entry(database, job_id, run_id, *stats.latest_completed, core::PointKind::checkpoint, now_ms);
  }
  if (stats.latest_savepoint) {
    created +=
        record_entry(database, job_id, run_id, *stats.latest_savepoint, core::PointKind::savepoint, now_ms);
  }
  return created;
}

void record_job_event(const OpsContext& context, const JobTarget& job, const std::string& kind,
                      const std::string& message) {
  store::record_event(context.database, {.time_ms = context.clock.now_ms(),
                                         .job_id = job.job_id,
                                         .subject_kind = "job",
                                         .subject = job.environment + "/" + job.name,
                                         .kind = kind,
                                         .actor = context.actor.owner,
                                         .host = context.actor.host,
                                         .message = message});
}

bool is_alive_state(const std::string& state) {
  return !flink::is_globally_terminal(state) && state != core::run_state::suspended;
}

namespace {

std::vector<store::RunRow> runs_to_ask(store::Database& database, const JobTarget& job,
                                       const ExceptionsQuery& query) {
  std::vector<store::RunRow> chosen;
  for (auto& run : store::runs_of_job(database, job.job_id)) {
    if (query.run_id && run.id != *query.run_id) continue;
    if (!run.flink_job_id || run.state == core::run_state::not_submitted) continue;
    chosen.push_back(std::move(run));
    if (static_cast<int>(chosen.size()) >= query.runs) break;
  }
  return chosen;
}

} // namespace

Result<std::vector<RunExceptions>> job_exceptions(const OpsContext& context, const JobTarget& job,
                                                  const ExceptionsQuery& query) {
  auto runs = runs_to_ask(context.database, job, query);
  if (query.run_id && runs.empty()) {
    return fail(ErrorKind::not_found, "reading exceptions of job " + job.name,
                fmt::format("job {} has no run {} that reached Flink", job.name, *query.run_id),
                "see `sp job show " + job.name + "` and `sp job history " + job.name + "`");
  }
  std::vector<RunExceptions> answers;
  std::map<std::string, JobManager> jobmanagers; // one client per address
  for (auto& run : runs) {
    auto slot = jobmanagers.find(run.rest_url);
    if (slot == jobmanagers.end()) {
      auto opened = JobManager::open(context, job.cluster, run.rest_url);
      if (!opened) return std::unexpected(opened.error());
      slot = jobmanagers.emplace(run.rest_url, std::move(*opened)).first;
    }
    auto history = slot->second.rest().exception_history(*run.flink_job_id, query.entries_per_run);
    answers.push_back({.run = std::move(run), .history = std::move(history)});
  }
  return answers;
}

} // namespace sp::ops
