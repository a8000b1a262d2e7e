// Registered Flink distributions in the database. Global (not per environment).
#pragma once

#include "sp/core/flink.hpp"
#include "sp/store/database.hpp"
#include "sp/store/upsert.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sp::store {

struct FlinkRow {
  std::int64_t id = 0;
  std::string name;
  core::FlinkSpec spec;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

UpsertOutcome upsert_flink(Database& database, const std::string& name, const core::FlinkSpec& spec,
                           std::int64_t now_ms);
std::optional<FlinkRow> find_flink(Database& database, const std::string& name);
std::vector<FlinkRow> list_flinks(Database& database);
// True when one was removed. Callers check first that no cluster uses it.
bool remove_flink(Database& database, const std::string& name);

} // namespace sp::store
