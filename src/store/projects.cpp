#include "sp/store/projects.hpp"

#include <nlohmann/json.hpp>

namespace sp::store {

namespace {

ProjectRow read_row(const Statement& row) {
  auto spec = core::project_spec_from_json(nlohmann::json::parse(row.text(2)));
  if (!spec) throw spec.error().within("reading project " + row.text(1) + " from the database");
  return {row.int64(0), row.text(1), std::move(*spec), row.int64(3), row.int64(4)};
}

constexpr const char* select_columns = "SELECT id, name, spec, created_at, updated_at FROM projects ";

} // namespace

UpsertOutcome upsert_project(Database& database, const std::string& name, const core::ProjectSpec& spec,
                             std::int64_t now_ms) {
  const std::string json = core::to_json(spec).dump();
  if (auto existing = find_project(database, name)) {
    if (existing->spec == spec) return UpsertOutcome::unchanged;
    database.prepare("UPDATE projects SET spec = ?, updated_at = ? WHERE id = ?")
        .bind_all(json, now_ms, existing->id)
        .run();
    return UpsertOutcome::configured;
  }
  database.prepare("INSERT INTO projects (name, spec, created_at, updated_at) VALUES (?, ?, ?, ?)")
      .bind_all(name, json, now_ms, now_ms)
      .run();
  return UpsertOutcome::created;
}

std::optional<ProjectRow> find_project(Database& database, const std::string& name) {
  auto row = database.prepare(std::string(select_columns) + "WHERE name = ?");
  row.bind(1, name);
  if (!row.step()) return std::nullopt;
  return read_row(row);
}

std::vector<ProjectRow> list_projects(Database& database) {
  auto row = database.prepare(std::string(select_columns) + "ORDER BY name");
  std::vector<ProjectRow> projects;
  while (row.step()) projects.push_back(read_row(row));
  return projects;
}

bool remove_project(Database& database, const std::string& name) {
  database.prepare("DELETE FROM projects WHERE name = ?").bind(1, name).run();
  return database.changes() > 0;
}

} // namespace sp::store
