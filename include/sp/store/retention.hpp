// Keeps the database bounded (SPEC.md section 7): events and delivered alerts
// older than a horizon go; per job only the newest checkpoints stay, beside
// every savepoint and every point a run restored from.
#pragma once

#include "sp/store/database.hpp"

#include <cstdint>

namespace sp::store {

struct RetentionPolicy {
  std::int64_t events_max_age_ms = 30LL * 24 * 3600 * 1000;
  int checkpoints_per_job = 20;
};

struct PruneReport {
  int events = 0;
  int alerts = 0;
  int checkpoints = 0;
};

// One transaction.
PruneReport prune_history(Database& database, const RetentionPolicy& policy, std::int64_t now_ms);

} // namespace sp::store
