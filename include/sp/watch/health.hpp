// `sp check` (SPEC.md section 3): a verdict for cron and monitoring from what
// the watch loop recorded, without touching the network. Pure.
#pragma once

#include "sp/store/watch_state.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sp::watch {

// Ordered, so the worst finding decides the exit code: 0, 1, 2.
enum class Health { ok = 0, warning = 1, critical = 2 };
std::string_view to_string(Health health);

// A job and its latest run as the store has them.
using JobCondition = store::JobLatestRun;

struct Finding {
  Health health = Health::ok;
  std::string subject; // "env/job" or "watch"
  std::string message;
};

// Findings for the watcher itself (is anyone watching?) and for each job;
// A missing or silent watcher matters most when runs are live.
std::vector<Finding> assess(const std::optional<store::WatchStatus>& watcher,
                            const std::vector<JobCondition>& jobs, std::int64_t now_ms);

Health worst(const std::vector<Finding>& findings);

} // namespace sp::watch
