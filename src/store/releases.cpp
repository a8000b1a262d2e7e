#include "sp/store/releases.hpp"

namespace sp::store {

namespace {

constexpr const char* release_columns =
    "SELECT id, job_id, build_id, artifact_path, artifact_sha256, rendered, "
    "fingerprint, flink_jar_id, created_at, sql_template, sql_digest, compiled_plan FROM releases ";

ReleaseRow read_release(const Statement& row) {
  return {row.int64(0), row.int64(1),         row.optional_int64(2), row.text(3),
          row.text(4),  row.text(5),          row.text(6),           row.optional_text(7),
          row.int64(8), row.optional_text(9), row.optional_text(10), row.optional_text(11)};
}

} // namespace

std::int64_t insert_release(Database& database, const ReleaseRow& release) {
  database
      .prepare(
          "INSERT INTO releases (job_id, build_id, artifact_path, artifact_sha256, rendered, fingerprint, "
          "flink_jar_id, created_at, sql_template, sql_digest, compiled_plan) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(release.job_id, release.build_id, release.artifact_path, release.artifact_sha256,
                release.rendered, release.fingerprint, release.flink_jar_id, release.created_at,
                release.sql_template, release.sql_digest, release.compiled_plan)
      .run();
  return database.last_insert_rowid();
}

std::optional<ReleaseRow> latest_release(Database& database, std::int64_t job_id) {
  auto statement =
      database.prepare(std::string(release_columns) + "WHERE job_id = ? ORDER BY id DESC LIMIT 1");
  statement.bind(1, job_id);
  if (!statement.step()) return std::nullopt;
  return read_release(statement);
}

std::optional<ReleaseRow> find_release(Database& database, std::int64_t release_id) {
  auto statement = database.prepare(std::string(release_columns) + "WHERE id = ?");
  statement.bind(1, release_id);
  if (!statement.step()) return std::nullopt;
  return read_release(statement);
}

void set_release_jar_id(Database& database, std::int64_t release_id, const std::string& jar_id) {
  database.prepare("UPDATE releases SET flink_jar_id = ? WHERE id = ?").bind_all(jar_id, release_id).run();
}

} // namespace sp::store
