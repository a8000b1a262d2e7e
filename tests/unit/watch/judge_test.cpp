// The watch loop's decisions, run by run: only transitions produce events and
// alerts, an unanswered JobManager becomes UNREACHABLE after N polls exactly
// once, and checkpoint trouble is reported when it starts, not every poll.
#include "sp/watch/judge.hpp"

#include <catch2/catch.hpp>

using namespace sp;
using namespace sp::watch;

namespace {

RunSighting answered(const std::string& state) {
  RunSighting sighting;
  sighting.jobmanager_answered = true;
  sighting.job = flink::JobOverview{"aaaa", "orders", state, 1, std::nullopt, 2};
  return sighting;
}

RunSighting silent() {
  RunSighting sighting;
  sighting.jobmanager_error = "Connection refused";
  return sighting;
}

flink::CheckpointStats stats(std::int64_t completed, std::int64_t failed,
                             std::optional<std::int64_t> completed_at) {
  flink::CheckpointStats result;
  result.counts.total = completed + failed;
  result.counts.completed = completed;
  result.counts.failed = failed;
  if (completed_at) {
    flink::CheckpointEntry entry;
    entry.id = completed;
    entry.status = "COMPLETED";
    entry.external_path = "file:/cp/chk-" + std::to_string(completed);
    entry.completion_time_ms = completed_at;
    result.latest_completed = entry;
  }
  return result;
}

core::RunMemory running() {
  core::RunMemory memory;
  memory.state = "RUNNING";
  memory.started_at = 0;
  return memory;
}

} // namespace

TEST_CASE("a steady running job produces nothing to write", "[watch][judge]") {
  auto verdict = judge_run(running(), answered("RUNNING"), {}, 1000);
  CHECK_FALSE(verdict.changed);
  CHECK(verdict.events.empty());
  CHECK(verdict.alerts.empty());
  CHECK_FALSE(verdict.end_state);
}

TEST_CASE("RUNNING to FAILED is one event, one job-failed alert, the run's end and a restart candidate",
          "[watch][judge]") {
  auto verdict = judge_run(running(), answered("FAILED"), {}, 1000);
  CHECK(verdict.changed);
  REQUIRE(verdict.events.size() == 1);
  CHECK(verdict.events[0].message == "RUNNING -> FAILED");
  CHECK(verdict.alerts == std::vector<std::string>{"job-failed"});
  CHECK(verdict.end_state == "FAILED");
  CHECK(verdict.failed);
}

TEST_CASE("a finished or cancelled job ends its run without an alert", "[watch][judge]") {
  for (const std::string state : {"FINISHED", "CANCELED"}) {
    auto verdict = judge_run(running(), answered(state), {}, 1000);
    CHECK(verdict.end_state == state);
    CHECK(verdict.alerts.empty());
    CHECK_FALSE(verdict.failed);
  }
}

TEST_CASE("a JobManager that stops answering makes its runs UNREACHABLE after N polls, once",
          "[watch][judge]") {
  WatchPolicy policy;
  policy.unreachable_after = 3;
  core::RunMemory memory = running();
  int became = 0;
  for (int poll = 1; poll <= 5; ++poll) {
    auto verdict = judge_run(memory, silent(), policy, 1000);
    if (verdict.became_unreachable) ++became;
    CHECK(verdict.memory.poll_failures == poll);
    CHECK(verdict.memory.state == (poll >= 3 ? "UNREACHABLE" : "RUNNING"));
    CHECK_FALSE(verdict.end_state); // not lost, not failed
    memory = verdict.memory;
  }
  CHECK(became == 1);

  auto back = judge_run(memory, answered("RUNNING"), policy, 2000);
  CHECK(back.recovered);
  CHECK(back.memory.state == "RUNNING");
  CHECK(back.memory.poll_failures == 0);
  REQUIRE_FALSE(back.events.empty());
  CHECK(back.events[0].kind == "recovered");
}

TEST_CASE("a job the JobManager no longer lists is LOST after N answers, and counts as failed",
          "[watch][judge]") {
  WatchPolicy policy;
  policy.missing_after = 2;
  RunSighting not_listed;
  not_listed.jobmanager_answered = true;
  auto first = judge_run(running(), not_listed, policy, 1000);
  CHECK_FALSE(first.end_state);
  auto second = judge_run(first.memory, not_listed, policy, 2000);
  CHECK(second.end_state == "LOST");
  CHECK(second.failed);
  CHECK(second.alerts == std::vector<std::string>{"job-failed"});
}

TEST_CASE("Flink restarting more often than the threshold alerts once", "[watch][judge]") {
  WatchPolicy policy;
  policy.restart_alert_threshold = 2;
  core::RunMemory memory = running();
  std::vector<std::size_t> alerts;
  for (int restart = 0; restart < 4; ++restart) {
    auto restarting = judge_run(memory, answered("RESTARTING"), policy, 1000);
    CHECK(restarting.events.front().kind == "restarting");
    alerts.push_back(restarting.alerts.size());
    memory = judge_run(restarting.memory, answered("RUNNING"), policy, 1000).memory;
  }
  CHECK(alerts == std::vector<std::size_t>{0, 0, 1, 0});
}

TEST_CASE("failing checkpoints alert when they start failing and clear when one completes",
          "[watch][judge]") {
  core::RunMemory memory = running();
  auto sighting = answered("RUNNING");
  sighting.checkpoints = stats(3, 0, 900);
  auto healthy = judge_run(memory, sighting, {}, 1000);
  CHECK(healthy.alerts.empty());
  CHECK(healthy.memory.last_checkpoint_at == 900);

  sighting.checkpoints = stats(3, 1, 900);
  auto failing = judge_run(healthy.memory, sighting, {}, 2000);
  CHECK(failing.alerts == std::vector<std::string>{"checkpoint-failing"});
  CHECK(failing.memory.checkpoint_health == core::CheckpointHealth::failing);

  sighting.checkpoints = stats(3, 2, 900);
  auto still = judge_run(failing.memory, sighting, {}, 3000);
  CHECK(still.alerts.empty());

  sighting.checkpoints = stats(4, 2, 3500);
  auto recovered = judge_run(still.memory, sighting, {}, 4000);
  CHECK(recovered.memory.checkpoint_health == core::CheckpointHealth::ok);
  CHECK(recovered.alerts.empty());
  REQUIRE(recovered.events.size() == 1);
  CHECK(recovered.events[0].kind == "checkpoint-ok");
}

TEST_CASE("no completed checkpoint within the maximum age alerts once", "[watch][judge]") {
  WatchPolicy policy;
  policy.checkpoint_max_age = std::chrono::minutes(10);
  auto sighting = answered("RUNNING");
  sighting.checkpoints = stats(1, 0, 0);
  auto fresh = judge_run(running(), sighting, policy, 5 * 60'000);
  CHECK(fresh.alerts.empty());
  auto old = judge_run(fresh.memory, sighting, policy, 11 * 60'000);
  CHECK(old.alerts == std::vector<std::string>{"checkpoint-stale"});
  auto older = judge_run(old.memory, sighting, policy, 20 * 60'000);
  CHECK(older.alerts.empty());
}

TEST_CASE("a job without checkpointing is never stale", "[watch][judge]") {
  auto sighting = answered("RUNNING");
  sighting.checkpoints = stats(0, 0, std::nullopt);
  auto verdict = judge_run(running(), sighting, {}, 24 * 3600'000);
  CHECK(verdict.alerts.empty());
  CHECK(verdict.memory.checkpoint_health == core::CheckpointHealth::ok);
}
