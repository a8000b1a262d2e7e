#include "sp/store/alert_channels.hpp"

#include <nlohmann/json.hpp>

namespace sp::store {

namespace {
constexpr const char* select_channels = "SELECT id, name, spec, created_at, updated_at FROM alert_channels ";
AlertChannelRow read_row(const Statement& row) {
  auto spec = core::alert_channel_spec_from_json(nlohmann::json::parse(row.text(2)));
  if (!spec) throw spec.error().within("reading alert channel " + row.text(1) + " from the database");
  return {row.int64(0), row.text(1), std::move(*spec), row.int64(3), row.int64(4)};
}
} // namespace

UpsertOutcome upsert_alert_channel(Database& database, const std::string& name,
                                   const core::AlertChannelSpec& spec, std::int64_t now_ms) {
  const std::string json = core::to_json(spec).dump();
  const std::string type(core::to_string(spec.type));
  if (auto existing = find_alert_channel(database, name)) {
    if (existing->spec == spec) return UpsertOutcome::unchanged;
    database.prepare("UPDATE alert_channels SET type = ?, spec = ?, updated_at = ? WHERE id = ?")
        .bind_all(type, json, now_ms, existing->id)
        .run();
    return UpsertOutcome::configured;
  }
  database
      .prepare("INSERT INTO alert_channels (name, type, spec, created_at, updated_at) VALUES (?, ?, ?, ?, ?)")
      .bind_all(name, type, json, now_ms, now_ms)
      .run();
  return UpsertOutcome::created;
}

std::optional<AlertChannelRow> find_alert_channel(Database& database, const std::string& name) {
  auto row = database.prepare(std::string(select_channels) + "WHERE name = ?");
  row.bind(1, name);
  if (!row.step()) return std::nullopt;
  return read_row(row);
}

std::vector<AlertChannelRow> list_alert_channels(Database& database) {
  auto row = database.prepare(std::string(select_channels) + "ORDER BY name");
  std::vector<AlertChannelRow> rows;
  while (row.step()) rows.push_back(read_row(row));
  return rows;
}

} // namespace sp::store
