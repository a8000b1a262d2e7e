#include "sp/store/watch_state.hpp"

namespace sp::store {

std::vector<WatchedRun> watched_runs(Database& database, std::int64_t restarts_since_ms) {
  auto statement = database.prepare(R"sql(
    SELECT r.id, r.job_id, j.name, e.name, j.cluster, r.rest_url, r.flink_job_id, r.application_id,
           r.state, r.started_at, r.poll_failures, r.missing_polls, r.failed_checkpoints,
           r.last_checkpoint_at, r.checkpoint_health, coalesce(restarts.count, 0), coalesce(ours.count, 0),
           r.release_id, r.checkpoint_interval_ms
    FROM runs r
    JOIN jobs j ON j.id = r.job_id
    JOIN environments e ON e.id = j.environment_id
    LEFT JOIN (SELECT job_id, count(*) AS count FROM events
               WHERE kind = 'restarting' AND time >= ?1 GROUP BY job_id) restarts ON restarts.job_id = r.job_id
    LEFT JOIN (SELECT job_id, count(*) AS count FROM events
               WHERE kind IN ('auto-restart', 'auto-restart-failed') AND time >= ?1 GROUP BY job_id) ours
           ON ours.job_id = r.job_id
    WHERE r.ended_at IS NULL
    ORDER BY r.rest_url, r.id)sql");
  statement.bind(1, restarts_since_ms);
  std::vector<WatchedRun> runs;
  while (statement.step()) {
    WatchedRun run;
    run.run_id = statement.int64(0);
    run.job_id = statement.int64(1);
    run.job = statement.text(2);
    run.environment = statement.text(3);
    run.cluster = statement.text(4);
    run.rest_url = statement.text(5);
    run.flink_job_id = statement.optional_text(6);
    run.application_id = statement.optional_text(7);
    run.memory.state = statement.text(8);
    run.memory.started_at = statement.int64(9);
    run.memory.poll_failures = statement.int64(10);
    run.memory.missing_polls = statement.int64(11);
    run.memory.failed_checkpoints = statement.int64(12);
    run.memory.last_checkpoint_at = statement.optional_int64(13);
    run.memory.checkpoint_health =
        core::checkpoint_health_from_string(statement.text(14)).value_or(core::CheckpointHealth::ok);
    run.memory.recent_flink_restarts = static_cast<int>(statement.int64(15));
    run.memory.recent_auto_restarts = static_cast<int>(statement.int64(16));
    run.release_id = statement.optional_int64(17);
    run.memory.checkpoint_interval_ms = statement.optional_int64(18);
    runs.push_back(std::move(run));
  }
  return runs;
}

void relocate_live_runs(Database& database, const std::string& from, const std::string& to) {
  database.prepare("UPDATE runs SET rest_url = ?, poll_failures = 0 WHERE rest_url = ? AND ended_at IS NULL")
      .bind_all(to, from)
      .run();
}

std::unordered_map<std::int64_t, RecordedIds> recorded_point_ids(Database& database) {
  auto statement = database.prepare(R"sql(
    SELECT p.run_id, max(CASE WHEN p.kind = 'checkpoint' THEN p.flink_checkpoint_id END),
                     max(CASE WHEN p.kind <> 'checkpoint' THEN p.flink_checkpoint_id END)
    FROM restore_points p JOIN runs r ON r.id = p.run_id
    WHERE r.ended_at IS NULL AND p.flink_checkpoint_id IS NOT NULL
    GROUP BY p.run_id)sql");
  std::unordered_map<std::int64_t, RecordedIds> ids;
  while (statement.step()) {
    ids[statement.int64(0)] = {statement.optional_int64(1).value_or(-1),
                               statement.optional_int64(2).value_or(-1)};
  }
  return ids;
}

CycleWriter::CycleWriter(Database& database)
    : database_(database),
      update_run_(database.prepare(
          "UPDATE runs SET state = ?, poll_failures = ?, missing_polls = ?, failed_checkpoints = ?, "
          "last_checkpoint_at = ?, checkpoint_health = ?, checkpoint_interval_ms = ? "
          "WHERE id = ? AND ended_at IS NULL")),
      // The partial unique index on (run_id, flink_checkpoint_id) makes a
      // second report of the same checkpoint of the same run a no-op.
      insert_checkpoint_(database.prepare(
          "INSERT OR IGNORE INTO restore_points (job_id, run_id, kind, flink_checkpoint_id, path, "
          "trigger_time, "
          "completion_time, size_bytes, recorded_at) VALUES (?, ?, 'checkpoint', ?, ?, ?, ?, ?, ?)")) {}

void CycleWriter::update_run(std::int64_t run_id, const core::RunMemory& memory) {
  update_run_.reset();
  update_run_
      .bind_all(memory.state, memory.poll_failures, memory.missing_polls, memory.failed_checkpoints,
                memory.last_checkpoint_at, std::string(core::to_string(memory.checkpoint_health)),
                memory.checkpoint_interval_ms, run_id)
      .run();
}

bool CycleWriter::record_checkpoint(const NewRestorePoint& point) {
  insert_checkpoint_.reset();
  insert_checkpoint_
      .bind_all(point.job_id, point.run_id, point.flink_checkpoint_id, point.path, point.trigger_time,
                point.completion_time, point.size_bytes, point.recorded_at)
      .run();
  return database_.changes() > 0;
}

int auto_restarts_since(Database& database, std::int64_t job_id, std::int64_t since_ms) {
  auto statement =
      database.prepare("SELECT count(*) FROM events WHERE job_id = ? AND time >= ? AND kind IN (?, ?)");
  statement.bind_all(job_id, since_ms, auto_restart_event, auto_restart_failed_event);
  statement.step();
  return static_cast<int>(statement.int64(0));
}

std::vector<JobLatestRun> latest_run_per_job(Database& database, const std::string& environment) {
  auto statement = database.prepare(R"sql(
    SELECT e.name, j.name, r.id, r.ended_at IS NULL, coalesce(r.end_state, r.state), r.checkpoint_health,
           r.last_checkpoint_at
    FROM jobs j
    JOIN environments e ON e.id = j.environment_id
    LEFT JOIN runs r ON r.id = (SELECT max(id) FROM runs WHERE job_id = j.id)
    WHERE e.name = ?
    ORDER BY j.name)sql");
  statement.bind(1, environment);
  std::vector<JobLatestRun> jobs;
  while (statement.step()) {
    JobLatestRun job;
    job.environment = statement.text(0);
    job.job = statement.text(1);
    job.has_run = !statement.is_null(2);
    if (job.has_run) {
      job.live = statement.int64(3) != 0;
      job.state = statement.text(4);
      job.checkpoint_health =
          core::checkpoint_health_from_string(statement.text(5)).value_or(core::CheckpointHealth::ok);
      job.last_checkpoint_at = statement.optional_int64(6);
    }
    jobs.push_back(std::move(job));
  }
  return jobs;
}

void write_watch_status(Database& database, const WatchStatus& status) {
  database
      .prepare(
          "INSERT INTO watch_status (id, host, pid, interval_ms, last_cycle_at, cycle_ms, requests, errors, "
          "cycles) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET host = excluded.host, "
          "pid = excluded.pid, interval_ms = excluded.interval_ms, last_cycle_at = excluded.last_cycle_at, "
          "cycle_ms = excluded.cycle_ms, requests = excluded.requests, errors = excluded.errors, "
          "cycles = excluded.cycles")
      .bind_all(status.host, status.pid, status.interval_ms, status.last_cycle_at, status.cycle_ms,
                status.requests, status.errors, status.cycles)
      .run();
}

std::optional<WatchStatus> read_watch_status(Database& database) {
  auto statement = database.prepare("SELECT host, pid, interval_ms, last_cycle_at, cycle_ms, requests, "
                                    "errors, cycles FROM watch_status WHERE id = 1");
  if (!statement.step()) return std::nullopt;
  return WatchStatus{statement.text(0),  statement.int64(1), statement.int64(2), statement.int64(3),
                     statement.int64(4), statement.int64(5), statement.int64(6), statement.int64(7)};
}

} // namespace sp::store
