// The metrics file's text and `sp check`'s verdicts, both pure.
#include "sp/watch/health.hpp"
#include "sp/watch/metrics.hpp"

#include <catch2/catch.hpp>

using namespace sp;
using namespace sp::watch;

TEST_CASE("metrics are Prometheus text with escaped labels and ages relative to now", "[watch][metrics]") {
  CycleReport report;
  report.started_at = 10'000;
  report.duration_ms = 250;
  report.run_lines.push_back({"prod", "orders \"eu\"", "session", "RUNNING", 4'000, 1});
  report.run_lines.push_back({"prod", "billing", "session", "UNREACHABLE", std::nullopt, 0});
  report.jobmanagers_seen["http://jm:8081"] = {"session", true};
  const std::string text = prometheus_text(report, 10'000, 7);
  CHECK(text.find("sp_job_up{environment=\"prod\",job=\"orders \\\"eu\\\"\",cluster=\"session\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("sp_job_up{environment=\"prod\",job=\"billing\",cluster=\"session\"} 0\n") !=
        std::string::npos);
  CHECK(text.find("sp_job_state{environment=\"prod\",job=\"billing\",state=\"UNREACHABLE\"} 1\n") !=
        std::string::npos);
  CHECK(text.find(
            "sp_job_last_checkpoint_age_seconds{environment=\"prod\",job=\"orders \\\"eu\\\"\"} 6.000\n") !=
        std::string::npos);
  CHECK(text.find("job=\"billing\"} 6") == std::string::npos); // no checkpoint: no age series
  CHECK(text.find("sp_job_restarts{environment=\"prod\",job=\"orders \\\"eu\\\"\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("sp_jobmanager_up{cluster=\"session\",url=\"http://jm:8081\"} 1\n") != std::string::npos);
  CHECK(text.find("sp_watch_cycle_duration_seconds 0.250\n") != std::string::npos);
  CHECK(text.find("sp_watch_poll_errors_total 7\n") != std::string::npos);
  CHECK(text.find("# TYPE sp_watch_poll_errors_total counter\n") != std::string::npos);
}

namespace {

store::WatchStatus watcher_at(std::int64_t last_cycle_at) {
  return {"host", 42, 5'000, last_cycle_at, 300, 10, 0, 100};
}

JobCondition job(const std::string& name, bool live, const std::string& state,
                 core::CheckpointHealth checkpoints = core::CheckpointHealth::ok) {
  return {"prod", name, true, live, state, checkpoints, std::nullopt};
}

} // namespace

TEST_CASE("check: running jobs under a live watcher are ok", "[watch][health]") {
  auto findings =
      assess(watcher_at(100'000), {job("a", true, "RUNNING"), job("b", false, "CANCELED")}, 105'000);
  CHECK(worst(findings) == Health::ok);
  CHECK(findings.size() == 3);
}

TEST_CASE("check: failed, lost and unreachable jobs are critical, checkpoint trouble is a warning",
          "[watch][health]") {
  CHECK(worst(assess(watcher_at(0), {job("a", false, "FAILED")}, 1000)) == Health::critical);
  CHECK(worst(assess(watcher_at(0), {job("a", false, "LOST")}, 1000)) == Health::critical);
  CHECK(worst(assess(watcher_at(0), {job("a", true, "UNREACHABLE")}, 1000)) == Health::critical);
  CHECK(worst(assess(watcher_at(0), {job("a", true, "RUNNING", core::CheckpointHealth::failing)}, 1000)) ==
        Health::warning);
  CHECK(worst(assess(watcher_at(0), {job("a", true, "RESTARTING")}, 1000)) == Health::warning);
}

TEST_CASE("check: a silent or missing watcher matters when jobs are live", "[watch][health]") {
  const std::vector<JobCondition> live{job("a", true, "RUNNING")};
  CHECK(worst(assess(watcher_at(0), live, 10 * 60'000)) == Health::critical);
  CHECK(worst(assess(std::nullopt, live, 0)) == Health::warning);
  CHECK(worst(assess(std::nullopt, {job("a", false, "CANCELED")}, 0)) == Health::ok);
}
