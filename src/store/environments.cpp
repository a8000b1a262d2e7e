#include "sp/store/environments.hpp"

#include "sp/util/strings.hpp"

#include <fmt/format.h>

namespace sp::store {

namespace {

constexpr const char* select_environments =
    "SELECT e.id, e.name, e.created_at, e.updated_at, "
    "(SELECT count(*) FROM variables v WHERE v.environment_id = e.id), "
    "(SELECT count(*) FROM clusters c WHERE c.environment_id = e.id), "
    "(SELECT count(*) FROM jobs j WHERE j.environment_id = e.id) FROM environments e ";

EnvironmentRow read_environment(const Statement& row) {
  return {row.int64(0), row.text(1), row.int64(2), row.int64(3), row.int64(4), row.int64(5), row.int64(6)};
}

VariableRow read_variable(const Statement& row) {
  return {row.text(0), {row.text(1), row.int64(2) != 0, row.text(3)}, row.int64(4)};
}

} // namespace

std::optional<EnvironmentRow> find_environment(Database& database, const std::string& name) {
  auto row = database.prepare(std::string(select_environments) + "WHERE e.name = ?");
  row.bind(1, name);
  if (!row.step()) return std::nullopt;
  return read_environment(row);
}

std::optional<std::int64_t> environment_id(Database& database, const std::string& name) {
  auto row = database.prepare("SELECT id FROM environments WHERE name = ?");
  row.bind(1, name);
  if (!row.step()) return std::nullopt;
  return row.int64(0);
}

std::vector<EnvironmentRow> list_environments(Database& database) {
  auto row = database.prepare(std::string(select_environments) + "ORDER BY e.name");
  std::vector<EnvironmentRow> rows;
  while (row.step()) rows.push_back(read_environment(row));
  return rows;
}

std::vector<std::string> environment_names(Database& database) {
  auto row = database.prepare("SELECT name FROM environments ORDER BY name");
  std::vector<std::string> names;
  while (row.step()) names.push_back(row.text(0));
  return names;
}

std::pair<std::int64_t, bool> ensure_environment(Database& database, const std::string& name,
                                                 std::int64_t now_ms) {
  auto existing = database.prepare("SELECT id FROM environments WHERE name = ?");
  existing.bind(1, name);
  if (existing.step()) return {existing.int64(0), false};
  database.prepare("INSERT INTO environments (name, created_at, updated_at) VALUES (?, ?, ?)")
      .bind_all(name, now_ms, now_ms)
      .run();
  return {database.last_insert_rowid(), true};
}

Result<void> delete_environment(Database& database, const std::string& name) {
  const std::string doing = "deleting environment " + name;
  if (name == core::default_environment) {
    return fail(ErrorKind::refused, doing, "default is where sp acts when no environment is chosen",
                "remove its variables with `sp var unset` instead");
  }
  auto environment = find_environment(database, name);
  if (!environment) {
    const auto names = environment_names(database);
    auto near = util::nearest(name, names);
    return fail(ErrorKind::not_found, doing, "there is no such environment",
                near ? fmt::format("did you mean {}?", *near) : "see `sp env list`");
  }
  if (environment->clusters + environment->jobs > 0) {
    return fail(
        ErrorKind::refused, doing,
        fmt::format("it still holds {} cluster(s) and {} job(s)", environment->clusters, environment->jobs),
        "remove them first; sp never deletes jobs as a side effect");
  }
  database.prepare("DELETE FROM environments WHERE id = ?")
      .bind(1, environment->id)
      .run(); // variables cascade
  return {};
}

std::vector<VariableRow> list_variables(Database& database, std::int64_t environment_id) {
  auto row = database.prepare("SELECT name, value, secret, description, updated_at FROM variables WHERE "
                              "environment_id = ? ORDER BY name");
  row.bind(1, environment_id);
  std::vector<VariableRow> rows;
  while (row.step()) rows.push_back(read_variable(row));
  return rows;
}

std::optional<VariableRow> find_variable(Database& database, std::int64_t environment_id,
                                         const std::string& name) {
  auto row = database.prepare("SELECT name, value, secret, description, updated_at FROM variables "
                              "WHERE environment_id = ? AND name = ?");
  row.bind_all(environment_id, name);
  if (!row.step()) return std::nullopt;
  return read_variable(row);
}

UpsertOutcome set_variable(Database& database, std::int64_t environment_id, const std::string& name,
                           const core::VariableSpec& spec, std::int64_t now_ms) {
  auto existing = find_variable(database, environment_id, name);
  if (existing && existing->spec == spec) return UpsertOutcome::unchanged;
  database
      .prepare("INSERT INTO variables (environment_id, name, value, secret, description, updated_at) "
               "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (environment_id, name) DO UPDATE SET "
               "value = excluded.value, secret = excluded.secret, description = excluded.description, "
               "updated_at = excluded.updated_at")
      .bind_all(environment_id, name, spec.value, spec.secret, spec.description, now_ms)
      .run();
  database.prepare("UPDATE environments SET updated_at = ? WHERE id = ?")
      .bind_all(now_ms, environment_id)
      .run();
  return existing ? UpsertOutcome::configured : UpsertOutcome::created;
}

bool unset_variable(Database& database, std::int64_t environment_id, const std::string& name) {
  database.prepare("DELETE FROM variables WHERE environment_id = ? AND name = ?")
      .bind_all(environment_id, name)
      .run();
  return database.changes() > 0;
}

void replace_variables(Database& database, std::int64_t environment_id, const core::EnvironmentSpec& spec,
                       std::int64_t now_ms) {
  for (const auto& row : list_variables(database, environment_id)) {
    if (!spec.variables.contains(row.name)) unset_variable(database, environment_id, row.name);
  }
  for (const auto& [name, variable] : spec.variables)
    set_variable(database, environment_id, name, variable, now_ms);
}

core::EnvironmentSpec environment_spec(Database& database, std::int64_t environment_id) {
  core::EnvironmentSpec spec;
  for (auto& row : list_variables(database, environment_id))
    spec.variables.emplace(row.name, std::move(row.spec));
  return spec;
}

} // namespace sp::store
