#include "sp/store/runs.hpp"

namespace sp::store {

namespace {

constexpr const char* run_columns = "SELECT id, job_id, release_id, flink_job_id, application_id, rest_url, "
                                    "state, adopted, restore_point_id, "
                                    "restore_path, restore_verified, started_at, ended_at, end_state, "
                                    "poll_failures, checkpoint_dir FROM runs ";

RunRow read_run(const Statement& row) {
  RunRow run;
  run.id = row.int64(0);
  run.job_id = row.int64(1);
  run.release_id = row.optional_int64(2);
  run.flink_job_id = row.optional_text(3);
  run.application_id = row.optional_text(4);
  run.rest_url = row.text(5);
  run.state = row.text(6);
  run.adopted = row.int64(7) != 0;
  run.restore_point_id = row.optional_int64(8);
  run.restore_path = row.optional_text(9);
  if (auto verified = row.optional_int64(10)) run.restore_verified = *verified != 0;
  run.started_at = row.int64(11);
  run.ended_at = row.optional_int64(12);
  run.end_state = row.optional_text(13);
  run.poll_failures = row.int64(14);
  run.checkpoint_dir = row.optional_text(15);
  return run;
}

std::vector<RunRow> read_runs(Statement& statement) {
  std::vector<RunRow> runs;
  while (statement.step()) runs.push_back(read_run(statement));
  return runs;
}

} // namespace

std::int64_t insert_run(Database& database, const NewRun& run) {
  database
      .prepare(
          "INSERT INTO runs (job_id, release_id, flink_job_id, application_id, rest_url, state, adopted, "
          "restore_point_id, restore_path, started_at, checkpoint_dir) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
          "?)")
      .bind_all(run.job_id, run.release_id, run.flink_job_id, run.application_id, run.rest_url, run.state,
                run.adopted, run.restore_point_id, run.restore_path, run.started_at, run.checkpoint_dir)
      .run();
  return database.last_insert_rowid();
}

std::optional<RunRow> find_run(Database& database, std::int64_t run_id) {
  auto statement = database.prepare(std::string(run_columns) + "WHERE id = ?");
  statement.bind(1, run_id);
  if (!statement.step()) return std::nullopt;
  return read_run(statement);
}

std::optional<RunRow> latest_run(Database& database, std::int64_t job_id) {
  auto statement = database.prepare(std::string(run_columns) + "WHERE job_id = ? ORDER BY id DESC LIMIT 1");
  statement.bind(1, job_id);
  if (!statement.step()) return std::nullopt;
  return read_run(statement);
}

std::vector<RunRow> runs_of_job(Database& database, std::int64_t job_id) {
  auto statement = database.prepare(std::string(run_columns) + "WHERE job_id = ? ORDER BY id DESC");
  statement.bind(1, job_id);
  return read_runs(statement);
}

std::optional<RunRow> find_run_by_flink_id(Database& database, std::int64_t job_id,
                                           const std::string& flink_job_id) {
  auto statement =
      database.prepare(std::string(run_columns) + "WHERE job_id = ? AND flink_job_id = ? LIMIT 1");
  statement.bind_all(job_id, flink_job_id);
  if (!statement.step()) return std::nullopt;
  return read_run(statement);
}

std::vector<RunRow> live_runs(Database& database) {
  auto statement =
      database.prepare(std::string(run_columns) + "WHERE ended_at IS NULL ORDER BY rest_url, id");
  return read_runs(statement);
}

bool job_has_runs(Database& database, std::int64_t job_id) {
  auto statement = database.prepare("SELECT 1 FROM runs WHERE job_id = ? LIMIT 1");
  statement.bind(1, job_id);
  return statement.step();
}

void set_run_state(Database& database, std::int64_t run_id, const std::string& state) {
  database.prepare("UPDATE runs SET state = ? WHERE id = ?").bind_all(state, run_id).run();
}

void set_run_submitted(Database& database, std::int64_t run_id, const std::string& flink_job_id,
                       const std::optional<std::string>& application_id, const std::string& rest_url,
                       const std::optional<std::string>& checkpoint_dir) {
  database
      .prepare("UPDATE runs SET state = ?, flink_job_id = ?, application_id = ?, rest_url = ?, "
               "checkpoint_dir = COALESCE(?, checkpoint_dir) WHERE id = ? AND ended_at IS NULL")
      .bind_all(core::run_state::submitted, flink_job_id, application_id, rest_url, checkpoint_dir, run_id)
      .run();
}

void set_run_rest_url(Database& database, std::int64_t run_id, const std::string& rest_url) {
  database.prepare("UPDATE runs SET rest_url = ? WHERE id = ?").bind_all(rest_url, run_id).run();
}

void set_restore_verified(Database& database, std::int64_t run_id, bool verified) {
  database.prepare("UPDATE runs SET restore_verified = ? WHERE id = ?").bind_all(verified, run_id).run();
}

void end_run(Database& database, std::int64_t run_id, const std::string& end_state, std::int64_t ended_at) {
  database.prepare("UPDATE runs SET state = ?, end_state = ?, ended_at = ? WHERE id = ? AND ended_at IS NULL")
      .bind_all(end_state, end_state, ended_at, run_id)
      .run();
}

RecordedPoint record_restore_point(Database& database, const NewRestorePoint& point) {
  // The same location is the same point, however it was reported: a
  // stop-savepoint recorded by `stop` and later seen as the run's latest
  // savepoint stays one point (and keeps the kind it was recorded with).
  auto by_path =
      database.prepare("SELECT id, flink_checkpoint_id FROM restore_points WHERE job_id = ? AND path = ?");
  by_path.bind_all(point.job_id, point.path);
  if (by_path.step()) {
    const auto id = by_path.int64(0);
    if (by_path.is_null(1) && point.flink_checkpoint_id) {
      database.prepare("UPDATE restore_points SET flink_checkpoint_id = ? WHERE id = ?")
          .bind_all(*point.flink_checkpoint_id, id)
          .run();
    }
    return {id, false};
  }
  if (point.run_id && point.flink_checkpoint_id) {
    auto existing =
        database.prepare("SELECT id FROM restore_points WHERE run_id = ? AND flink_checkpoint_id = ?");
    existing.bind_all(*point.run_id, *point.flink_checkpoint_id);
    if (existing.step()) return {existing.int64(0), false};
  }
  database
      .prepare("INSERT INTO restore_points (job_id, run_id, kind, flink_checkpoint_id, path, trigger_time, "
               "completion_time, size_bytes, recorded_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(point.job_id, point.run_id, core::to_string(point.kind), point.flink_checkpoint_id,
                point.path, point.trigger_time, point.completion_time, point.size_bytes, point.recorded_at,
                point.source)
      .run();
  return {database.last_insert_rowid(), true};
}

std::vector<core::KnownPoint> restore_points_of_job(Database& database, std::int64_t job_id) {
  auto statement =
      database.prepare("SELECT id, kind, flink_checkpoint_id, run_id, path, completion_time, valid, "
                       "disposed, invalid_reason, source "
                       "FROM restore_points WHERE job_id = ? ORDER BY completion_time DESC, id DESC");
  statement.bind(1, job_id);
  std::vector<core::KnownPoint> points;
  while (statement.step()) {
    core::KnownPoint point;
    point.id = statement.int64(0);
    point.kind = core::point_kind_from_string(statement.text(1)).value_or(core::PointKind::checkpoint);
    point.flink_checkpoint_id = statement.optional_int64(2);
    point.run_id = statement.optional_int64(3);
    point.path = statement.text(4);
    point.completion_ms = statement.int64(5);
    point.valid = statement.int64(6) != 0;
    point.disposed = statement.int64(7) != 0;
    point.invalid_reason = statement.optional_text(8).value_or("");
    point.source = statement.optional_text(9);
    points.push_back(std::move(point));
  }
  return points;
}

void mark_point_invalid(Database& database, std::int64_t point_id, const std::string& reason) {
  database.prepare("UPDATE restore_points SET valid = 0, invalid_reason = ? WHERE id = ?")
      .bind_all(reason, point_id)
      .run();
}

} // namespace sp::store
