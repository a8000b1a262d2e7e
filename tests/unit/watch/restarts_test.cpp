// restart.onFailure against a scripted JobManager and a real temporary
// database: what counts against maxRestarts within the window, what a
// refusal records, and that a restart restores the failed run's checkpoint
// with the release the run ran.
#include "sp/watch/restarts.hpp"

#include "sp/store/alert_channels.hpp"
#include "sp/store/clusters.hpp"
#include "sp/store/environments.hpp"
#include "sp/store/events.hpp"
#include "sp/store/jobs.hpp"
#include "sp/store/releases.hpp"
#include "sp/store/runs.hpp"
#include "sp/store/store.hpp"

#include "support/fake_transport.hpp"
#include "support/scripted_context.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace sp;
using namespace std::chrono_literals;

namespace {

const std::string jm = "http://jm:8081";
constexpr std::int64_t minute = 60'000;

struct Fixture {
  test::TempDir dir;
  store::Database database = store::open_store({dir.path()}, store::OpenMode::create_missing).value();
  test::FakeTransport flink;
  std::int64_t now = 100 * minute;
  ops::OpsContext context = test::scripted_context(database, flink, now, "watcher");
  watch::WatchSettings settings{.restart_wait = 5s, .sp_version = "test"};
  std::int64_t job_id = 0;
  std::int64_t release_id = 0;

  explicit Fixture(bool on_failure = true) {
    const auto environment = store::ensure_environment(database, "prod", 0).first;
    core::ClusterSpec cluster;
    cluster.url = jm;
    store::upsert_cluster(database, environment, "session", cluster, 0);
    core::AlertChannelSpec channel;
    channel.type = core::AlertChannelType::command;
    channel.argv = {"true"};
    store::upsert_alert_channel(database, "ops", channel, 0);
    core::JobSpec spec;
    spec.cluster = "session";
    spec.artifact.jar = (dir / "job.jar").string();
    std::ofstream(dir / "job.jar") << "jar";
    spec.alerts = {"ops"};
    spec.restart = {.on_failure = on_failure, .max_restarts = 1, .window = 60min};
    job_id = store::upsert_job(database, environment, "orders", {}, spec, 0).second;
    release_id = store::insert_release(
        database, {0, job_id, std::nullopt, spec.artifact.jar.value(), "digest", "{}", "fp", "j.jar", 0});
  }

  // The live run as the cycle read it, then ended FAILED as its write does.
  store::WatchedRun failed_run(const std::string& flink_id) {
    const auto run = store::insert_run(database, {.job_id = job_id,
                                                  .release_id = release_id,
                                                  .flink_job_id = flink_id,
                                                  .rest_url = jm,
                                                  .state = "RUNNING",
                                                  .started_at = 1});
    auto watched = store::watched_runs(database, 0);
    REQUIRE(watched.size() == 1);
    store::end_run(database, run, "FAILED", now);
    auto failed = watched.front();
    failed.memory.state = "FAILED";
    return failed;
  }

  void event(const std::string& kind, std::int64_t at) {
    store::record_event(database, {.time_ms = at,
                                   .job_id = job_id,
                                   .subject_kind = "job",
                                   .subject = "prod/orders",
                                   .kind = kind,
                                   .actor = "watcher",
                                   .host = "host",
                                   .message = kind});
  }

  std::int64_t alerts_of_kind(const std::string& kind) {
    auto statement = database.prepare("SELECT count(*) FROM alerts WHERE kind = ?");
    statement.bind_all(kind);
    statement.step();
    return statement.int64(0);
  }

  bool submitted() const {
    return std::ranges::any_of(flink.requests, [](const auto& r) { return r.url.ends_with("/run"); });
  }
};

} // namespace

TEST_CASE("a job without restart.onFailure is left alone, with nothing recorded", "[watch][restart]") {
  Fixture f(false);
  auto run = f.failed_run("aaaa");
  const auto events_before = store::job_events(f.database, f.job_id).size();
  CHECK_FALSE(watch::restart_failed_run(f.context, run, f.settings).has_value());
  CHECK(store::job_events(f.database, f.job_id).size() == events_before);
  CHECK(f.flink.requests.empty());
}

TEST_CASE("maxRestarts used up within the window: refused, recorded and alerted, Flink not asked",
          "[watch][restart]") {
  Fixture f;
  f.event(store::auto_restart_event, f.now - 30 * minute);
  auto run = f.failed_run("aaaa");
  auto outcome = watch::restart_failed_run(f.context, run, f.settings);
  REQUIRE(outcome);
  CHECK_FALSE(outcome->restarted);
  CHECK(outcome->event_kind == store::auto_restart_refused_event);
  CHECK(outcome->message.find("restart.maxRestarts") != std::string::npos);
  CHECK(store::job_events(f.database, f.job_id).front().kind == "auto-restart-refused");
  CHECK(f.alerts_of_kind("auto-restart-refused") == 1);
  CHECK(f.flink.requests.empty());
}

TEST_CASE("refusals do not count against maxRestarts: the window opens again after the last attempt",
          "[watch][restart]") {
  Fixture f;
  // The one restart allowed, 70 minutes ago; a failure 20 minutes later was refused.
  const std::int64_t later = f.now;
  f.event(store::auto_restart_event, later - 70 * minute);
  auto run = f.failed_run("aaaa");
  f.now = later - 50 * minute;
  auto refused = watch::restart_failed_run(f.context, run, f.settings);
  REQUIRE(refused);
  CHECK(refused->event_kind == store::auto_restart_refused_event);
  f.now = later;
  CHECK(store::auto_restarts_since(f.database, f.job_id, f.now - 60 * minute) == 0);

  // So this failure is attempted. The JobManager does not answer: a failed attempt.
  auto outcome = watch::restart_failed_run(f.context, run, f.settings);
  REQUIRE(outcome);
  CHECK_FALSE(outcome->restarted);
  CHECK(outcome->event_kind == store::auto_restart_failed_event);
  CHECK_FALSE(f.flink.requests.empty());
  CHECK_FALSE(f.submitted());

  // A failed attempt is an attempt: the next failure within the hour is refused.
  CHECK(store::auto_restarts_since(f.database, f.job_id, f.now - 60 * minute) == 1);
  auto again = watch::restart_failed_run(f.context, run, f.settings);
  REQUIRE(again);
  CHECK(again->event_kind == store::auto_restart_refused_event);
}

TEST_CASE("a restart restores the failed run's newest checkpoint with the release it ran",
          "[watch][restart]") {
  Fixture f;
  const auto checkpoint = f.dir / "cp" / "aaaa" / "chk-7";
  std::filesystem::create_directories(checkpoint);
  std::ofstream(checkpoint / "_metadata") << "m";
  const std::string path = "file:" + checkpoint.string();
  auto run = f.failed_run("aaaa");
  store::record_restore_point(f.database, {.job_id = f.job_id,
                                           .run_id = run.run_id,
                                           .kind = core::PointKind::checkpoint,
                                           .flink_checkpoint_id = 7,
                                           .path = path,
                                           .completion_time = 5,
                                           .recorded_at = 5});
  f.flink.answer("GET", jm + "/config", 200, R"({"flink-version":"1.20.5"})");
  f.flink.answer("GET", jm + "/jars", 200, R"({"files":[{"id":"j.jar","name":"job.jar","uploaded":1}]})");
  f.flink.answer("GET", jm + "/jobs/aaaa/checkpoints", 200, R"({"counts":{"completed":7},"latest":{}})");
  f.flink.answer("GET", jm + "/jobs/overview", 200,
                 R"({"jobs":[{"jid":"aaaa","name":"orders","state":"FAILED","start-time":1,"end-time":9}]})");
  // The JobManager takes the job id sp chose, runs it and reports the restore.
  f.flink.on_request = [&f, path](const net::HttpRequest& request) {
    if (!request.url.ends_with("/run")) return;
    const auto id = nlohmann::json::parse(request.body).at("jobId").get<std::string>();
    f.flink.answer("POST", request.url, 200, nlohmann::json{{"jobid", id}}.dump());
    f.flink.answer(
        "GET", jm + "/jobs/overview", 200,
        nlohmann::json{
            {"jobs",
             {{{"jid", id}, {"name", "orders"}, {"state", "RUNNING"}, {"start-time", 10}, {"end-time", -1}}}}}
            .dump());
    f.flink.answer(
        "GET", jm + "/jobs/" + id + "/checkpoints", 200,
        nlohmann::json{
            {"latest",
             {{"restored",
               {{"id", 7}, {"restore_timestamp", 11}, {"is_savepoint", false}, {"external_path", path}}}}}}
            .dump());
  };

  auto outcome = watch::restart_failed_run(f.context, run, f.settings);
  REQUIRE(outcome);
  INFO(outcome->message);
  const auto* submission = [&]() -> const net::HttpRequest* {
    for (const auto& request : f.flink.requests) {
      if (request.url.ends_with("/run")) return &request;
    }
    return nullptr;
  }();
  REQUIRE(submission != nullptr);
  CHECK(submission->url == jm + "/jars/j.jar/run"); // the release's uploaded jar
  auto body = nlohmann::json::parse(submission->body);
  CHECK(body["savepointPath"] == path);
  CHECK(body["claimMode"] == "NO_CLAIM");
  CHECK(outcome->restarted);
  CHECK(outcome->event_kind == store::auto_restart_event);
  CHECK(outcome->message.find(path) != std::string::npos);
  CHECK(f.alerts_of_kind("auto-restart") == 1);
  auto restarted = store::latest_run(f.database, f.job_id);
  CHECK(restarted->live());
  CHECK(restarted->release_id == f.release_id);
  CHECK(restarted->restore_verified == true);
}
