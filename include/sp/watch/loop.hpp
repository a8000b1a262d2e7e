// `sp watch` as a loop: one watcher per database (a lease in the `locks`
// table, renewed every cycle), cycles at an interval until asked to stop,
// the metrics file after each cycle, history pruned now and then.
#pragma once

#include "sp/store/retention.hpp"
#include "sp/watch/cycle.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace sp::watch {

// The lease's name in the `locks` table.
inline constexpr const char* watch_lease = "watch";

struct LoopOptions {
  std::chrono::milliseconds interval{5000};
  std::optional<std::int64_t> cycles; // stop after this many (1 for --once); else until stopped
  std::optional<std::filesystem::path> metrics_file;
  store::RetentionPolicy retention;
  std::chrono::milliseconds prune_every = std::chrono::hours(1);
};

struct LoopHooks {
  std::function<bool()> stop_requested; // SIGINT/SIGTERM: checked between cycles and while waiting
  std::function<void(const CycleReport&)> on_cycle; // output
  std::function<void(const std::string&)> warn;     // a problem that does not stop the loop
};

// Runs until the cycle count is reached or a stop is requested (between
// cycles: a cycle is never cut short). Refused (exit 4) while another
// watcher holds the lease.
Result<void> run_watch(const ops::OpsContext& context, net::ConcurrentHttp& http, WatchSettings settings,
                       Relocator relocate, const LoopOptions& options, const LoopHooks& hooks);

} // namespace sp::watch
