#include "sp/watch/judge.hpp"

#include "sp/flink/mapping.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace sp::watch {

using core::CheckpointHealth;
using core::RunMemory;
namespace run_state = core::run_state;

namespace {

std::string age_text(std::int64_t milliseconds) {
  const auto minutes = milliseconds / 60000;
  if (minutes >= 120) return fmt::format("{}h", minutes / 60);
  if (minutes >= 1) return fmt::format("{}m", minutes);
  return fmt::format("{}s", milliseconds / 1000);
}

void judge_unanswered(const RunMemory& before, const RunSighting& sighting, const WatchPolicy& policy,
                      RunVerdict& verdict) {
  auto& memory = verdict.memory;
  memory.poll_failures = before.poll_failures + 1;
  verdict.changed = true;
  if (memory.poll_failures >= policy.unreachable_after && before.state != run_state::unreachable) {
    memory.state = std::string(run_state::unreachable);
    verdict.became_unreachable = true;
    verdict.events.push_back(
        {"unreachable", fmt::format("the JobManager did not answer {} polls in a row (last: {}); was {}",
                                    memory.poll_failures, sighting.jobmanager_error, before.state)});
  }
}

void judge_state(const RunMemory& before, const flink::JobOverview& job, const WatchPolicy& policy,
                 RunVerdict& verdict) {
  auto& memory = verdict.memory;
  if (before.state == run_state::unreachable) {
    verdict.recovered = true;
    verdict.events.push_back(
        {"recovered", fmt::format("the JobManager answers again; the job is {}", job.state)});
  }
  memory.state = job.state;
  if (job.state != before.state) {
    verdict.changed = true;
    // RESTARTING has its own kind so the restarts within a window can be counted.
    verdict.events.push_back({job.state == run_state::restarting ? "restarting" : "state",
                              fmt::format("{} -> {}", before.state, job.state)});
    if (job.state == run_state::failed) {
      verdict.failed = true;
      verdict.alerts.emplace_back("job-failed");
    }
    if (job.state == run_state::restarting) {
      memory.recent_flink_restarts = before.recent_flink_restarts + 1;
      // Once when the count passes the threshold, not at every restart after it.
      if (memory.recent_flink_restarts == policy.restart_alert_threshold + 1) {
        verdict.alerts.emplace_back("job-restarting");
      }
    }
  }
  if (flink::is_globally_terminal(job.state)) verdict.end_state = job.state;
}

void judge_missing(const RunMemory& before, const WatchPolicy& policy, RunVerdict& verdict) {
  auto& memory = verdict.memory;
  memory.missing_polls = before.missing_polls + 1;
  verdict.changed = true;
  if (before.state == run_state::unreachable) verdict.recovered = true;
  if (memory.missing_polls >= policy.missing_after) {
    memory.state = std::string(run_state::lost);
    verdict.end_state = std::string(run_state::lost);
    verdict.failed = true;
    verdict.alerts.emplace_back("job-failed");
    verdict.events.push_back(
        {"lost",
         fmt::format("the JobManager answered {} polls without listing the job (restarted without high "
                     "availability?); was {}",
                     memory.missing_polls, before.state)});
  }
}

void judge_checkpoints(const RunMemory& before, const flink::CheckpointStats& stats,
                       const WatchPolicy& policy, std::int64_t now_ms, RunVerdict& verdict) {
  auto& memory = verdict.memory;
  memory.failed_checkpoints = stats.counts.failed;
  if (stats.latest_completed && stats.latest_completed->completion_time_ms) {
    memory.last_checkpoint_at =
        std::max(memory.last_checkpoint_at.value_or(0), *stats.latest_completed->completion_time_ms);
  }
  const bool new_failures = stats.counts.failed > before.failed_checkpoints;
  const bool new_completion = memory.last_checkpoint_at != before.last_checkpoint_at;
  const bool checkpointing = stats.counts.total > 0;
  const auto age = now_ms - memory.last_checkpoint_at.value_or(before.started_at);
  const bool stale =
      checkpointing && memory.state == run_state::running && age > policy.checkpoint_max_age.count();

  CheckpointHealth health = before.checkpoint_health;
  if (new_failures && !new_completion) {
    health = CheckpointHealth::failing;
  } else if (stale) {
    health = health == CheckpointHealth::failing ? health : CheckpointHealth::stale;
  } else if (new_completion) {
    health = CheckpointHealth::ok;
  }
  if (health != before.checkpoint_health) {
    if (health == CheckpointHealth::failing) {
      const std::string why = stats.latest_failed && stats.latest_failed->failure_message
                                  ? *stats.latest_failed->failure_message
                                  : std::string("no reason given");
      verdict.events.push_back({"checkpoint-failing", fmt::format("checkpoints failing ({} failed): {}",
                                                                  stats.counts.failed, why)});
      verdict.alerts.emplace_back("checkpoint-failing");
    } else if (health == CheckpointHealth::stale) {
      verdict.events.push_back(
          {"checkpoint-stale", fmt::format("no completed checkpoint for {}", age_text(age))});
      verdict.alerts.emplace_back("checkpoint-stale");
    } else {
      verdict.events.push_back({"checkpoint-ok", "checkpoints complete again"});
    }
  }
  memory.checkpoint_health = health;
  if (memory.failed_checkpoints != before.failed_checkpoints || new_completion ||
      health != before.checkpoint_health) {
    verdict.changed = true;
  }
}

} // namespace

bool checkpoints_due(const RunMemory& before, std::int64_t now_ms) {
  if (before.state != run_state::running || !before.checkpoint_interval_ms) return true;
  const std::int64_t interval = *before.checkpoint_interval_ms;
  if (interval <= 0) return false;
  return now_ms >= before.last_checkpoint_at.value_or(before.started_at) + interval;
}

RunVerdict judge_run(const RunMemory& before, const RunSighting& sighting, const WatchPolicy& policy,
                     std::int64_t now_ms) {
  RunVerdict verdict;
  verdict.memory = before;
  if (!sighting.jobmanager_answered) {
    judge_unanswered(before, sighting, policy, verdict);
    return verdict;
  }
  if (before.poll_failures != 0) verdict.changed = true;
  verdict.memory.poll_failures = 0;
  if (!sighting.job) {
    judge_missing(before, policy, verdict);
    return verdict;
  }
  if (before.missing_polls != 0) verdict.changed = true;
  verdict.memory.missing_polls = 0;
  judge_state(before, *sighting.job, policy, verdict);
  if (sighting.checkpoint_config) {
    const auto& config = *sighting.checkpoint_config;
    verdict.memory.checkpoint_interval_ms = config.enabled ? config.interval_ms.value_or(0) : 0;
    if (verdict.memory.checkpoint_interval_ms != before.checkpoint_interval_ms) verdict.changed = true;
  }
  if (sighting.checkpoints) judge_checkpoints(before, *sighting.checkpoints, policy, now_ms, verdict);
  return verdict;
}

RunVerdict judge_application_end(const RunMemory& before, const flink::ApplicationEnd& end) {
  RunVerdict verdict;
  verdict.memory = before;
  verdict.memory.state = end.run_state;
  verdict.end_state = end.run_state;
  verdict.changed = true;
  // Not `recovered`: the JobManager never answered again.
  verdict.events.push_back({"application-ended", fmt::format("{}; was {}", end.why, before.state)});
  if (end.run_state == run_state::failed || end.run_state == run_state::lost) {
    verdict.failed = true;
    verdict.alerts.emplace_back("job-failed");
  }
  return verdict;
}

} // namespace sp::watch
