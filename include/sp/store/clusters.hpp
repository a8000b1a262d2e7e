// Clusters in the database; each belongs to one environment.
#pragma once

#include "sp/core/cluster.hpp"
#include "sp/store/database.hpp"
#include "sp/store/upsert.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sp::store {

struct ClusterRow {
  std::int64_t id = 0;
  std::string environment;
  std::string name;
  core::ClusterSpec spec;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

UpsertOutcome upsert_cluster(Database& database, std::int64_t environment_id, const std::string& name,
                             const core::ClusterSpec& spec, std::int64_t now_ms);
std::optional<ClusterRow> find_cluster(Database& database, const std::string& environment,
                                       const std::string& name);
// Every environment's clusters when `environment` is empty.
std::vector<ClusterRow> list_clusters(Database& database, const std::string& environment = "");
bool remove_cluster(Database& database, const std::string& environment, const std::string& name);

} // namespace sp::store
