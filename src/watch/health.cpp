#include "sp/watch/health.hpp"

#include "sp/core/restore.hpp"
#include "sp/core/run_state.hpp"
#include "sp/util/enum_names.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace sp::watch {

using core::CheckpointHealth;
namespace run_state = core::run_state;

namespace {

constexpr util::EnumNames<Health, 3> health_names{{
    {Health::ok, "ok"},
    {Health::warning, "warning"},
    {Health::critical, "critical"},
}};

} // namespace

std::string_view to_string(Health health) { return util::name_of(health_names, health); }

namespace {

Finding watcher_finding(const std::optional<store::WatchStatus>& watcher, bool anything_live,
                        std::int64_t now_ms) {
  if (!watcher) {
    return {anything_live ? Health::warning : Health::ok, "watch",
            "sp watch has not run on this database; nothing checks the running jobs"};
  }
  // Three missed cycles, and never less than three minutes, before calling it
  // gone: `sp watch --once` from cron runs once a minute whatever its interval.
  const std::int64_t allowed = std::max<std::int64_t>(3 * watcher->interval_ms + watcher->cycle_ms, 180'000);
  const std::int64_t age = now_ms - watcher->last_cycle_at;
  if (age > allowed) {
    return {anything_live ? Health::critical : Health::warning, "watch",
            fmt::format("the last watch cycle was {} ago (on {}, pid {}); is sp watch running?",
                        core::describe_age(age), watcher->host, watcher->pid)};
  }
  if (watcher->errors > 0) {
    return {Health::warning, "watch",
            fmt::format("the last cycle had {} failed requests of {}", watcher->errors, watcher->requests)};
  }
  return {Health::ok, "watch", fmt::format("last cycle {} ago", core::describe_age(age))};
}

Finding job_finding(const JobCondition& job) {
  const std::string subject = job.environment + "/" + job.job;
  if (!job.has_run) return {Health::ok, subject, "never started"};
  if (!job.live) {
    if (job.state == run_state::failed || job.state == run_state::lost) {
      return {Health::critical, subject, fmt::format("not running: its last run ended {}", job.state)};
    }
    return {Health::ok, subject, fmt::format("stopped ({})", job.state)};
  }
  if (job.state == run_state::unreachable)
    return {Health::critical, subject, "its JobManager does not answer"};
  if (job.state == run_state::failed) return {Health::critical, subject, std::string(run_state::failed)};
  if (job.state != run_state::running) return {Health::warning, subject, job.state};
  if (job.checkpoint_health == CheckpointHealth::failing)
    return {Health::warning, subject, "RUNNING, checkpoints failing"};
  if (job.checkpoint_health == CheckpointHealth::stale) {
    return {Health::warning, subject, "RUNNING, no recent completed checkpoint"};
  }
  return {Health::ok, subject, std::string(run_state::running)};
}

} // namespace

std::vector<Finding> assess(const std::optional<store::WatchStatus>& watcher,
                            const std::vector<JobCondition>& jobs, std::int64_t now_ms) {
  const bool anything_live =
      std::any_of(jobs.begin(), jobs.end(), [](const JobCondition& job) { return job.live; });
  std::vector<Finding> findings{watcher_finding(watcher, anything_live, now_ms)};
  for (const auto& job : jobs) findings.push_back(job_finding(job));
  return findings;
}

Health worst(const std::vector<Finding>& findings) {
  Health result = Health::ok;
  for (const auto& finding : findings) result = std::max(result, finding.health);
  return result;
}

} // namespace sp::watch
