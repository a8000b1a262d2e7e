#include "sp/store/alert_outbox.hpp"

namespace sp::store {

std::int64_t enqueue_alert(Database& database, const NewAlert& alert) {
  database.prepare("INSERT INTO alerts (time, kind, job_id, subject, document) VALUES (?, ?, ?, ?, ?)")
      .bind_all(alert.time_ms, alert.kind, alert.job_id, alert.subject, alert.document)
      .run();
  const auto id = database.last_insert_rowid();
  auto delivery = database.prepare("INSERT OR IGNORE INTO alert_deliveries (alert_id, channel, status, "
                                   "updated_at) VALUES (?, ?, 'pending', ?)");
  for (const auto& channel : alert.channels) {
    delivery.reset();
    delivery.bind_all(id, channel, alert.time_ms).run();
  }
  return id;
}

std::vector<PendingDelivery> pending_deliveries(Database& database, int limit) {
  auto statement = database.prepare("SELECT d.alert_id, d.channel, d.attempts, a.document FROM "
                                    "alert_deliveries d JOIN alerts a ON a.id = d.alert_id "
                                    "WHERE d.status = 'pending' ORDER BY d.alert_id, d.channel LIMIT ?");
  statement.bind(1, limit);
  std::vector<PendingDelivery> pending;
  while (statement.step()) {
    pending.push_back(
        {statement.int64(0), statement.text(1), static_cast<int>(statement.int64(2)), statement.text(3)});
  }
  return pending;
}

void record_delivery_attempt(Database& database, const PendingDelivery& delivery, bool sent,
                             const std::string& error, int max_attempts, std::int64_t now_ms) {
  const int attempts = delivery.attempts + 1;
  const char* status = sent ? "sent" : (attempts >= max_attempts ? "failed" : "pending");
  database
      .prepare("UPDATE alert_deliveries SET status = ?, attempts = ?, last_error = ?, updated_at = ? "
               "WHERE alert_id = ? AND channel = ?")
      .bind_all(std::string(status), attempts,
                sent ? std::optional<std::string>() : std::optional<std::string>(error), now_ms,
                delivery.alert_id, delivery.channel)
      .run();
}

} // namespace sp::store
