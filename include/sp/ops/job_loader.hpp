// Loads a job for an operation: its row, its cluster's, and both rendered
// with the environment's variables (SPEC.md section 4). An undefined variable
// stops everything here (exit 4), before anything is released or started.
#pragma once

#include "sp/ops/context.hpp"
#include "sp/store/database.hpp"
#include "sp/util/env.hpp"

#include <optional>
#include <string>

namespace sp::ops {

struct LoadedJob {
  JobTarget target;        // clear values, for Flink
  std::string masked_json; // the rendered job spec as output may show it
  std::string clear_json;  // the rendered job spec with real values: only for fingerprints
};

// A cluster's spec rendered with the environment's variables (clear values),
// as operations use it; a missing cluster is not_found.
Result<core::ClusterSpec> load_cluster(store::Database& database, const std::string& environment,
                                       const std::string& name, const util::EnvLookup& process_env);

// `release` fills ${sp.release} when known (a release being made), else it stays as written.
Result<LoadedJob> load_job(store::Database& database, const std::string& environment, const std::string& name,
                           const util::EnvLookup& process_env,
                           std::optional<std::string> release = std::nullopt);

} // namespace sp::ops
