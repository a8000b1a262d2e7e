#include "sp/store/retention.hpp"

namespace sp::store {

PruneReport prune_history(Database& database, const RetentionPolicy& policy, std::int64_t now_ms) {
  PruneReport report;
  const std::int64_t horizon = now_ms - policy.events_max_age_ms;
  Transaction transaction(database);
  database.prepare("DELETE FROM events WHERE time < ?").bind(1, horizon).run();
  report.events = database.changes();
  // Alerts still waiting for delivery stay, whatever their age.
  database
      .prepare("DELETE FROM alerts WHERE time < ? AND NOT EXISTS "
               "(SELECT 1 FROM alert_deliveries d WHERE d.alert_id = alerts.id AND d.status = 'pending')")
      .bind(1, horizon)
      .run();
  report.alerts = database.changes();
  database
      .prepare(R"sql(
        DELETE FROM restore_points WHERE id IN (
          SELECT id FROM (
            SELECT id, row_number() OVER (PARTITION BY job_id ORDER BY completion_time DESC, id DESC) AS newest
            FROM restore_points WHERE kind = 'checkpoint')
          WHERE newest > ?)
        AND id NOT IN (SELECT restore_point_id FROM runs WHERE restore_point_id IS NOT NULL))sql")
      .bind(1, policy.checkpoints_per_job)
      .run();
  report.checkpoints = database.changes();
  transaction.commit();
  return report;
}

} // namespace sp::store
