#include "sp/watch/loop.hpp"

#include "sp/store/locks.hpp"
#include "sp/util/file.hpp"
#include "sp/watch/metrics.hpp"

#include <algorithm>
#include <malloc.h>

namespace sp::watch {

namespace {

// Long enough that a slow cycle never loses the lease, short enough that a
// watcher killed with SIGKILL on another host frees it within minutes (on
// this host a dead pid frees it at once).
std::int64_t lease_length_ms(std::chrono::milliseconds interval) {
  return std::max<std::int64_t>(3 * interval.count(), 0) + 120'000;
}

} // namespace

Result<void> run_watch(const ops::OpsContext& context, net::ConcurrentHttp& http, WatchSettings settings,
                       Relocator relocate, const LoopOptions& options, const LoopHooks& hooks) {
  auto& database = context.database;
  const auto lease_ms = lease_length_ms(options.interval);
  const std::int64_t now = context.clock.now_ms();
  auto lease = store::ScopedLock::acquire(database, watch_lease, context.actor, {now, now + lease_ms},
                                          context.pid_alive);
  if (!lease) {
    return std::unexpected(Error(lease.error().kind(), "starting the watch loop", lease.error().why(),
                                 "only one sp watch may act on a database; stop the other one first"));
  }
  if (lease->taken_over() && hooks.warn) {
    hooks.warn("took over the lease of a watcher that is gone (pid " +
               std::to_string(lease->taken_over()->holder.pid) + " on " + lease->taken_over()->holder.host +
               ")");
  }

  settings.interval_ms = options.interval.count();
  Watcher watcher(context, http, settings, std::move(relocate));
  std::int64_t poll_errors_total = 0;
  std::optional<std::int64_t> last_prune;
  for (std::int64_t cycle = 1;; ++cycle) {
    CycleReport report = watcher.run_cycle();
    poll_errors_total += report.errors;
    if (options.metrics_file) {
      // Readable by the scraper's user: the file holds job names, no secrets.
      auto written = util::write_file_atomically(
          *options.metrics_file, prometheus_text(report, context.clock.now_ms(), poll_errors_total), 0644);
      if (!written && hooks.warn) hooks.warn(written.error().what());
    }
    if (hooks.on_cycle) hooks.on_cycle(report);
    // A cycle allocates and frees tens of megabytes of answers; hand the
    // free pages back so a watcher that runs for months stays flat.
    ::malloc_trim(0);

    const std::int64_t after = context.clock.now_ms();
    if (!last_prune || after - *last_prune >= options.prune_every.count()) {
      store::prune_history(database, options.retention, after);
      last_prune = after;
    }
    if (!lease->renew(after + lease_ms)) {
      return fail(ErrorKind::refused, "renewing the watch lease", "another watcher took the lease over",
                  "see `sp check`; run one watcher per database");
    }
    if (options.cycles && cycle >= *options.cycles) break;
    if (hooks.stop_requested && hooks.stop_requested()) break;

    // Sleep in short steps so a stop request is honoured promptly.
    const std::int64_t next = report.started_at + options.interval.count();
    while (context.clock.now_ms() < next) {
      if (hooks.stop_requested && hooks.stop_requested()) return {};
      const auto left = next - context.clock.now_ms();
      context.clock.sleep(std::chrono::milliseconds(std::clamp<std::int64_t>(left, 1, 200)));
    }
    if (hooks.stop_requested && hooks.stop_requested()) break;
  }
  return {};
}

} // namespace sp::watch
