#include "sp/store/clusters.hpp"

#include <nlohmann/json.hpp>

namespace sp::store {

namespace {
constexpr const char* select_clusters =
    "SELECT c.id, e.name, c.name, c.spec, c.created_at, c.updated_at FROM clusters c "
    "JOIN environments e ON e.id = c.environment_id ";
ClusterRow read_row(const Statement& row) {
  auto spec = core::cluster_spec_from_json(nlohmann::json::parse(row.text(3)));
  if (!spec) throw spec.error().within("reading cluster " + row.text(2) + " from the database");
  return {row.int64(0), row.text(1), row.text(2), std::move(*spec), row.int64(4), row.int64(5)};
}
} // namespace

UpsertOutcome upsert_cluster(Database& database, std::int64_t environment_id, const std::string& name,
                             const core::ClusterSpec& spec, std::int64_t now_ms) {
  const std::string json = core::to_json(spec).dump();
  const std::string type(core::to_string(spec.type));
  auto existing = database.prepare("SELECT id, spec FROM clusters WHERE environment_id = ? AND name = ?");
  existing.bind_all(environment_id, name);
  if (existing.step()) {
    if (existing.text(1) == json) return UpsertOutcome::unchanged;
    database.prepare("UPDATE clusters SET type = ?, flink = ?, spec = ?, updated_at = ? WHERE id = ?")
        .bind_all(type, spec.flink, json, now_ms, existing.int64(0))
        .run();
    return UpsertOutcome::configured;
  }
  database
      .prepare("INSERT INTO clusters (environment_id, name, type, flink, spec, created_at, updated_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind_all(environment_id, name, type, spec.flink, json, now_ms, now_ms)
      .run();
  return UpsertOutcome::created;
}

std::optional<ClusterRow> find_cluster(Database& database, const std::string& environment,
                                       const std::string& name) {
  auto row = database.prepare(std::string(select_clusters) + "WHERE e.name = ? AND c.name = ?");
  row.bind_all(environment, name);
  if (!row.step()) return std::nullopt;
  return read_row(row);
}

std::vector<ClusterRow> list_clusters(Database& database, const std::string& environment) {
  auto row =
      database.prepare(std::string(select_clusters) + "WHERE ? = '' OR e.name = ? ORDER BY e.name, c.name");
  row.bind_all(environment, environment);
  std::vector<ClusterRow> rows;
  while (row.step()) rows.push_back(read_row(row));
  return rows;
}

bool remove_cluster(Database& database, const std::string& environment, const std::string& name) {
  database
      .prepare("DELETE FROM clusters WHERE name = ? AND environment_id = (SELECT id FROM environments WHERE "
               "name = ?)")
      .bind_all(name, environment)
      .run();
  return database.changes() > 0;
}

} // namespace sp::store
