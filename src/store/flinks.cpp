#include "sp/store/flinks.hpp"

namespace sp::store {

namespace {
constexpr const char* select_flinks = "SELECT id, name, home, version, created_at, updated_at FROM flinks ";
FlinkRow read_row(const Statement& row) {
  return {row.int64(0), row.text(1), {row.text(2), row.text(3)}, row.int64(4), row.int64(5)};
}
} // namespace

UpsertOutcome upsert_flink(Database& database, const std::string& name, const core::FlinkSpec& spec,
                           std::int64_t now_ms) {
  if (auto existing = find_flink(database, name)) {
    if (existing->spec == spec) return UpsertOutcome::unchanged;
    database.prepare("UPDATE flinks SET home = ?, version = ?, updated_at = ? WHERE id = ?")
        .bind_all(spec.home, spec.version, now_ms, existing->id)
        .run();
    return UpsertOutcome::configured;
  }
  database.prepare("INSERT INTO flinks (name, home, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?)")
      .bind_all(name, spec.home, spec.version, now_ms, now_ms)
      .run();
  return UpsertOutcome::created;
}

std::optional<FlinkRow> find_flink(Database& database, const std::string& name) {
  auto row = database.prepare(std::string(select_flinks) + "WHERE name = ?");
  row.bind(1, name);
  if (!row.step()) return std::nullopt;
  return read_row(row);
}

std::vector<FlinkRow> list_flinks(Database& database) {
  auto row = database.prepare(std::string(select_flinks) + "ORDER BY name");
  std::vector<FlinkRow> rows;
  while (row.step()) rows.push_back(read_row(row));
  return rows;
}

bool remove_flink(Database& database, const std::string& name) {
  database.prepare("DELETE FROM flinks WHERE name = ?").bind(1, name).run();
  return database.changes() > 0;
}

} // namespace sp::store
