// Alerts waiting to be delivered (SPEC.md section 7). The watch loop writes an
// alert and one pending delivery per channel inside the cycle's transaction,
// and delivers after committing; a delivery that fails stays pending and is
// tried again next cycle, up to a limit. So a crash between deciding and
// delivering loses no alert, and an alert is decided exactly once.
#pragma once

#include "sp/store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sp::store {

struct NewAlert {
  std::int64_t time_ms = 0;
  std::string kind;
  std::optional<std::int64_t> job_id;
  std::string subject;  // "env/job" or the JobManager's URL
  std::string document; // the alert as JSON (core::alert_document)
  std::vector<std::string> channels;
};

// Inside the caller's transaction. Returns the alert's id.
std::int64_t enqueue_alert(Database& database, const NewAlert& alert);

struct PendingDelivery {
  std::int64_t alert_id = 0;
  std::string channel;
  int attempts = 0;
  std::string document;
};
std::vector<PendingDelivery> pending_deliveries(Database& database, int limit);

// Records one attempt: sent, or failed with `error` (pending again until
// `max_attempts` attempts have failed).
void record_delivery_attempt(Database& database, const PendingDelivery& delivery, bool sent,
                             const std::string& error, int max_attempts, std::int64_t now_ms);

} // namespace sp::store
