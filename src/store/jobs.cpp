#include "sp/store/jobs.hpp"

#include <nlohmann/json.hpp>

namespace sp::store {

namespace {
constexpr const char* select_jobs =
    "SELECT j.id, e.name, j.name, j.metadata, j.spec, j.created_at, j.updated_at FROM jobs j "
    "JOIN environments e ON e.id = j.environment_id ";
JobRow read_row(const Statement& row) {
  const std::string doing = "reading job " + row.text(2) + " from the database";
  auto metadata = core::job_metadata_from_json(nlohmann::json::parse(row.text(3)));
  if (!metadata) throw metadata.error().within(doing);
  auto spec = core::job_spec_from_json(nlohmann::json::parse(row.text(4)));
  if (!spec) throw spec.error().within(doing);
  return {row.int64(0),     row.text(1),  row.text(2), std::move(*metadata),
          std::move(*spec), row.int64(5), row.int64(6)};
}
} // namespace

std::pair<UpsertOutcome, std::int64_t> upsert_job(Database& database, std::int64_t environment_id,
                                                  const std::string& name, const core::JobMetadata& metadata,
                                                  const core::JobSpec& spec, std::int64_t now_ms) {
  const std::string spec_json = core::to_json(spec).dump();
  const std::string metadata_json = core::to_json(metadata).dump();
  auto existing =
      database.prepare("SELECT id, metadata, spec FROM jobs WHERE environment_id = ? AND name = ?");
  existing.bind_all(environment_id, name);
  if (existing.step()) {
    const std::int64_t id = existing.int64(0);
    if (existing.text(1) == metadata_json && existing.text(2) == spec_json)
      return {UpsertOutcome::unchanged, id};
    database.prepare("UPDATE jobs SET cluster = ?, metadata = ?, spec = ?, updated_at = ? WHERE id = ?")
        .bind_all(spec.cluster, metadata_json, spec_json, now_ms, id)
        .run();
    return {UpsertOutcome::configured, id};
  }
  database
      .prepare("INSERT INTO jobs (environment_id, name, cluster, metadata, spec, created_at, updated_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind_all(environment_id, name, spec.cluster, metadata_json, spec_json, now_ms, now_ms)
      .run();
  return {UpsertOutcome::created, database.last_insert_rowid()};
}

std::optional<JobRow> find_job(Database& database, const std::string& environment, const std::string& name) {
  auto row = database.prepare(std::string(select_jobs) + "WHERE e.name = ? AND j.name = ?");
  row.bind_all(environment, name);
  if (!row.step()) return std::nullopt;
  return read_row(row);
}

std::vector<JobHeader> list_job_headers(Database& database, const std::string& environment) {
  auto row =
      database.prepare("SELECT j.id, e.name, j.name, j.cluster FROM jobs j JOIN environments e ON e.id = "
                       "j.environment_id WHERE ? = '' OR e.name = ? ORDER BY e.name, j.name");
  row.bind_all(environment, environment);
  std::vector<JobHeader> headers;
  while (row.step()) headers.push_back({row.int64(0), row.text(1), row.text(2), row.text(3)});
  return headers;
}

std::vector<JobRow> list_jobs(Database& database, const std::string& environment) {
  auto row =
      database.prepare(std::string(select_jobs) + "WHERE ? = '' OR e.name = ? ORDER BY e.name, j.name");
  row.bind_all(environment, environment);
  std::vector<JobRow> rows;
  while (row.step()) rows.push_back(read_row(row));
  return rows;
}

} // namespace sp::store
