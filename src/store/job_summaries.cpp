#include "sp/store/job_summaries.hpp"

namespace sp::store {

std::map<std::int64_t, JobSummary> job_summaries(Database& database) {
  std::map<std::int64_t, JobSummary> summaries;
  auto runs = database.prepare(
      "SELECT r.job_id, r.id, r.state, r.flink_job_id, r.ended_at IS NULL FROM runs r "
      "JOIN (SELECT job_id, MAX(id) AS id FROM runs GROUP BY job_id) latest ON latest.id = r.id");
  while (runs.step()) {
    auto& summary = summaries[runs.int64(0)];
    summary.run_id = runs.int64(1);
    summary.state = runs.text(2);
    summary.flink_job_id = runs.optional_text(3);
    summary.live = runs.int64(4) != 0;
  }
  auto releases = database.prepare(
      "SELECT r.job_id, r.id, r.fingerprint FROM releases r "
      "JOIN (SELECT job_id, MAX(id) AS id FROM releases GROUP BY job_id) latest ON latest.id = r.id");
  while (releases.step()) {
    auto& summary = summaries[releases.int64(0)];
    summary.release_id = releases.int64(1);
    summary.release_fingerprint = releases.text(2);
  }
  auto points = database.prepare("SELECT job_id, MAX(completion_time) FROM restore_points WHERE valid = 1 "
                                 "AND disposed = 0 GROUP BY job_id");
  while (points.step()) summaries[points.int64(0)].newest_point_ms = points.int64(1);
  return summaries;
}

} // namespace sp::store
