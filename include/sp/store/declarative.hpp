// Declarative objects as a whole: everything apply, diff and export compare
// with, and the writing of an apply plan.
#pragma once

#include "sp/core/apply_plan.hpp"
#include "sp/store/database.hpp"

#include <cstdint>
#include <string>

namespace sp::store {

// Every environment (with its variables), Flink distribution, project,
// alert channel, cluster and job, as manifests without file locations.
core::ObjectSet load_objects(Database& database);
// load_objects in a read transaction of its own, so the set is one
// consistent snapshot (for readers outside any transaction).
core::ObjectSet snapshot_objects(Database& database);

// Who acts, where, when: recorded on each event.
struct Actor {
  std::string user;
  std::string host;
  std::int64_t now_ms = 0;
};

// Writes every created or configured object of the plan and records one
// event per object (changed field names only, never values). Runs inside the
// caller's transaction, so an apply is all or nothing.
void write_plan(Database& database, const core::ApplyPlan& plan, const Actor& actor);

} // namespace sp::store
