// Environments and their variables in the database (SPEC.md sections 1, 4).
#pragma once

#include "sp/core/environment.hpp"
#include "sp/store/database.hpp"
#include "sp/store/upsert.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sp::store {

struct EnvironmentRow {
  std::int64_t id = 0;
  std::string name;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t variables = 0; // how many of each it holds
  std::int64_t clusters = 0;
  std::int64_t jobs = 0;
};

std::optional<EnvironmentRow> find_environment(Database& database, const std::string& name);
std::vector<EnvironmentRow> list_environments(Database& database);
// Only the id: find_environment also counts the environment's clusters and
// jobs, which costs a scan of every job.
std::optional<std::int64_t> environment_id(Database& database, const std::string& name);
std::vector<std::string> environment_names(Database& database);
// Creates it unless it exists; returns its id and whether it was created.
std::pair<std::int64_t, bool> ensure_environment(Database& database, const std::string& name,
                                                 std::int64_t now_ms);
// Removes it with its variables. Refused for `default` and while clusters or
// jobs live in it; not_found when there is no such environment.
Result<void> delete_environment(Database& database, const std::string& name);

struct VariableRow {
  std::string name;
  core::VariableSpec spec;
  std::int64_t updated_at = 0;
};

std::vector<VariableRow> list_variables(Database& database, std::int64_t environment_id);
std::optional<VariableRow> find_variable(Database& database, std::int64_t environment_id,
                                         const std::string& name);
UpsertOutcome set_variable(Database& database, std::int64_t environment_id, const std::string& name,
                           const core::VariableSpec& spec, std::int64_t now_ms);
// True when a variable was removed.
bool unset_variable(Database& database, std::int64_t environment_id, const std::string& name);
// Makes the environment's variables exactly `spec`'s.
void replace_variables(Database& database, std::int64_t environment_id, const core::EnvironmentSpec& spec,
                       std::int64_t now_ms);
core::EnvironmentSpec environment_spec(Database& database, std::int64_t environment_id);

} // namespace sp::store
