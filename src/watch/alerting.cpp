#include "sp/watch/alerting.hpp"

#include "sp/ops/alert_delivery.hpp"
#include "sp/store/alert_channels.hpp"
#include "sp/store/alert_outbox.hpp"
#include "sp/store/runs.hpp"

#include <nlohmann/json.hpp>

#include <set>

namespace sp::watch {

int raise_alert(store::Database& database, const core::Alert& alert, std::optional<std::int64_t> job_id,
                const std::vector<std::string>& channels) {
  std::vector<std::string> takers;
  for (const auto& name : channels) {
    auto channel = store::find_alert_channel(database, name);
    if (channel && core::channel_takes(channel->spec, alert.kind)) takers.push_back(name);
  }
  const std::string subject = alert.job.empty() ? alert.jobmanager : alert.environment + "/" + alert.job;
  store::enqueue_alert(database, {.time_ms = alert.time_ms,
                                  .kind = alert.kind,
                                  .job_id = job_id,
                                  .subject = subject,
                                  .document = core::alert_document(alert).dump(),
                                  .channels = takers});
  return static_cast<int>(takers.size());
}

DeliveryReport deliver_pending_alerts(const ops::OpsContext& context, int max_attempts) {
  DeliveryReport report;
  // Bounded per cycle, and a channel that failed once is not tried again in
  // the same cycle (its retries already took their time), so a dead receiver
  // delays the loop by one delivery's retries, not one per queued alert.
  std::set<std::string> failing;
  for (const auto& delivery : store::pending_deliveries(context.database, 100)) {
    if (failing.contains(delivery.channel)) continue;
    std::string error;
    auto channel = store::find_alert_channel(context.database, delivery.channel);
    auto document = nlohmann::json::parse(delivery.document, nullptr, false);
    auto alert = document.is_discarded()
                     ? Result<core::Alert>(fail(ErrorKind::failure, "reading a queued alert",
                                                "its stored document is not JSON"))
                     : core::alert_from_document(document);
    if (!channel) {
      error = "alert channel " + delivery.channel + " no longer exists";
    } else if (!alert) {
      error = alert.error().what();
    } else if (auto delivered = ops::deliver_alert(context, delivery.channel, channel->spec, *alert);
               !delivered) {
      error = delivered.error().what();
    }
    const bool sent = error.empty();
    // A channel that no longer exists will not come back by retrying.
    const int limit = channel ? max_attempts : 1;
    store::Transaction transaction(context.database);
    store::record_delivery_attempt(context.database, delivery, sent, error, limit, context.clock.now_ms());
    transaction.commit();
    if (sent) {
      ++report.sent;
    } else {
      ++report.failed;
      failing.insert(delivery.channel);
      report.errors.push_back("alert to " + delivery.channel + ": " + error);
    }
  }
  return report;
}

std::optional<std::string> newest_restore_point(store::Database& database, std::int64_t job_id) {
  for (const auto& point : store::restore_points_of_job(database, job_id)) {
    if (point.valid && !point.disposed) return point.path;
  }
  return std::nullopt;
}

} // namespace sp::watch
