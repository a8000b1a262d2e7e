// Projects in the database. Projects are global (not per environment).
#pragma once

#include "sp/core/project.hpp"
#include "sp/store/database.hpp"
#include "sp/store/upsert.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sp::store {

struct ProjectRow {
  std::int64_t id = 0;
  std::string name;
  core::ProjectSpec spec;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// Creates or updates the project; `unchanged` when the spec is identical.
UpsertOutcome upsert_project(Database& database, const std::string& name, const core::ProjectSpec& spec,
                             std::int64_t now_ms);
std::optional<ProjectRow> find_project(Database& database, const std::string& name);
std::vector<ProjectRow> list_projects(Database& database);
// True when a project was removed.
bool remove_project(Database& database, const std::string& name);

} // namespace sp::store
