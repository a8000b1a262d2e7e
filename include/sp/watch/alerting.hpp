// Raising and delivering the watch loop's alerts through the outbox
// (store/alert_outbox.hpp): raised inside a cycle's transaction for the
// channels that take the kind, delivered after it commits.
#pragma once

#include "sp/core/alert.hpp"
#include "sp/ops/context.hpp"
#include "sp/store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sp::watch {

// Queues `alert` for each of `channels` that exists and takes its kind;
// returns how many deliveries were queued. The alert is kept even with none,
// so `sp job history` can tell it was raised.
int raise_alert(store::Database& database, const core::Alert& alert, std::optional<std::int64_t> job_id,
                const std::vector<std::string>& channels);

struct DeliveryReport {
  int sent = 0;
  int failed = 0;
  std::vector<std::string> errors; // one line each, for the log
};
// Tries every pending delivery once.
DeliveryReport deliver_pending_alerts(const ops::OpsContext& context, int max_attempts);

// The path `sp job start` would restore from now: the newest valid point.
std::optional<std::string> newest_restore_point(store::Database& database, std::int64_t job_id);

} // namespace sp::watch
