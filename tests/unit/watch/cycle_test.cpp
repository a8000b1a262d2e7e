// One watch cycle against scripted JobManagers and a real temporary database:
// what is polled (one overview per JobManager, checkpoints per running job),
// what is written (points once, events on transitions, alerts in the outbox)
// and what a broken answer does (counted, never a crash, nothing lost).
#include "sp/watch/cycle.hpp"

#include "sp/core/alert.hpp"
#include "sp/store/alert_channels.hpp"
#include "sp/store/clusters.hpp"
#include "sp/store/environments.hpp"
#include "sp/store/jobs.hpp"
#include "sp/store/runs.hpp"
#include "sp/store/store.hpp"

#include "support/fake_transport.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

using namespace sp;

namespace {

constexpr const char* jm = "http://jm:8081";

std::string overview(const std::vector<std::pair<std::string, std::string>>& jobs) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [id, state] : jobs) {
    list.push_back({{"jid", id}, {"name", id}, {"state", state}, {"start-time", 1}, {"end-time", -1}});
  }
  return nlohmann::json{{"jobs", list}}.dump();
}

// `completed_at`: the newest checkpoint's completion time (default: shortly before the fixture's now).
std::string checkpoints(std::int64_t id, std::int64_t failed = 0, std::int64_t completed_at = -1) {
  if (completed_at < 0) completed_at = 990'000 + id + 5;
  return nlohmann::json{{"counts", {{"total", id + failed}, {"completed", id}, {"failed", failed}}},
                        {"latest",
                         {{"completed",
                           {{"id", id},
                            {"status", "COMPLETED"},
                            {"is_savepoint", false},
                            {"external_path", "file:/cp/chk-" + std::to_string(id)},
                            {"trigger_timestamp", 990'000 + id},
                            {"latest_ack_timestamp", completed_at}}},
                          {"savepoint", nullptr},
                          {"failed", nullptr},
                          {"restored", nullptr}}},
                        {"history", nlohmann::json::array()}}
      .dump();
}

struct Fixture {
  test::TempDir dir;
  store::Database database = store::open_store({dir.path()}, store::OpenMode::create_missing).value();
  test::FakeTransport flink;
  test::FakeConcurrentHttp http{flink};
  std::int64_t now = 1'000'000;
  ops::OpsContext context{
      .database = database,
      .make_transport =
          [this](const net::TransportSettings&) {
            return std::unique_ptr<net::HttpTransport>(); // the cycle must not use single requests
          },
      .clock = {[this] { return now; }, [this](std::chrono::milliseconds d) { now += d.count(); }},
      .env = util::fixed_env({}),
      .actor = {"watcher", "host", 1},
      .pid_alive = [](std::int64_t) { return true; },
      .progress = {}};
  std::int64_t environment = store::ensure_environment(database, "prod", 0).first;

  Fixture() {
    core::ClusterSpec cluster;
    cluster.url = jm;
    store::upsert_cluster(database, environment, "session", cluster, 0);
    core::AlertChannelSpec channel;
    channel.type = core::AlertChannelType::command;
    channel.argv = {"true"};
    store::upsert_alert_channel(database, "ops", channel, 0);
  }

  std::int64_t job_with_run(const std::string& name, const std::string& flink_id) {
    core::JobSpec spec;
    spec.cluster = "session";
    spec.artifact.jar = "/x.jar";
    spec.alerts = {"ops"};
    const auto job = store::upsert_job(database, environment, name, {}, spec, 0).second;
    return store::insert_run(
        database,
        {.job_id = job, .flink_job_id = flink_id, .rest_url = jm, .state = "RUNNING", .started_at = 1});
  }

  // The job's checkpoint configuration, as Flink gives it (interval 1 s unless said).
  void checkpoint_config(const std::string& base, const std::string& flink_id, std::int64_t interval = 1000) {
    flink.answer(
        "GET", base + "/jobs/" + flink_id + "/checkpoints/config", 200,
        nlohmann::json{{"mode", "exactly_once"}, {"interval", interval}, {"timeout", 600000}}.dump());
  }

  std::int64_t count(const std::string& sql) {
    auto statement = database.prepare(sql);
    statement.step();
    return statement.int64(0);
  }

  long requests_to(const std::string& suffix) {
    return std::count_if(flink.requests.begin(), flink.requests.end(),
                         [&](const net::HttpRequest& r) { return r.url.ends_with(suffix); });
  }
};

} // namespace

TEST_CASE("a cycle asks each JobManager once for its overview and each running job for checkpoints",
          "[watch][cycle]") {
  Fixture f;
  f.job_with_run("a", "aaaa");
  f.job_with_run("b", "bbbb");
  f.flink.answer("GET", std::string(jm) + "/jobs/overview", 200,
                 overview({{"aaaa", "RUNNING"}, {"bbbb", "RUNNING"}}));
  f.flink.answer("GET", std::string(jm) + "/jobs/aaaa/checkpoints", 200, checkpoints(3));
  f.flink.answer("GET", std::string(jm) + "/jobs/bbbb/checkpoints", 200, checkpoints(5));
  f.checkpoint_config(jm, "aaaa");
  f.checkpoint_config(jm, "bbbb");
  watch::Watcher watcher(f.context, f.http, {}, nullptr);

  auto report = watcher.run_cycle();
  CHECK(report.jobmanagers == 1);
  CHECK(report.runs == 2);
  CHECK(report.requests == 5); // with each new run's checkpoint configuration, once
  CHECK(f.requests_to("/checkpoints/config") == 2);
  CHECK(report.errors == 0);
  CHECK(report.new_points == 2);
  CHECK(f.requests_to("/jobs/overview") == 1);
  CHECK(f.count("SELECT count(*) FROM restore_points") == 2);
  CHECK(f.count("SELECT count(*) FROM events") == 0); // nothing changed state

  // The same checkpoints again: nothing new is written; a new one is.
  f.flink.answer("GET", std::string(jm) + "/jobs/bbbb/checkpoints", 200, checkpoints(6));
  auto second = watcher.run_cycle();
  CHECK(second.requests == 3);
  CHECK(second.new_points == 1);
  CHECK(f.count("SELECT count(*) FROM restore_points") == 3);

  // A new watcher (a new process) reads what was recorded and writes nothing twice.
  watch::Watcher fresh(f.context, f.http, {}, nullptr);
  CHECK(fresh.run_cycle().new_points == 0);
  CHECK(f.count("SELECT count(*) FROM restore_points") == 3);
  CHECK(store::read_watch_status(f.database)->cycles == 1);
}

TEST_CASE("checkpoint statistics are asked at the pace of the job's own checkpoint interval",
          "[watch][cycle][pace]") {
  Fixture f;
  const auto run = f.job_with_run("a", "aaaa");
  f.flink.answer("GET", std::string(jm) + "/jobs/overview", 200, overview({{"aaaa", "RUNNING"}}));
  f.checkpoint_config(jm, "aaaa", 60'000);
  f.flink.answer("GET", std::string(jm) + "/jobs/aaaa/checkpoints", 200, checkpoints(3, 0, f.now - 1000));
  watch::Watcher watcher(f.context, f.http, {}, nullptr);

  // First sight: the interval (once, kept with the run) and the statistics.
  CHECK(watcher.run_cycle().requests == 3);
  CHECK(f.count("SELECT checkpoint_interval_ms FROM runs WHERE id = " + std::to_string(run)) == 60'000);

  // Until a minute after the last completed checkpoint, only the overview,
  // in this watcher and in a new one (a new process reads the interval back).
  f.now += 5000;
  CHECK(watcher.run_cycle().requests == 1);
  watch::Watcher fresh(f.context, f.http, {}, nullptr);
  f.now += 5000;
  CHECK(fresh.run_cycle().requests == 1);
  CHECK(f.requests_to("/checkpoints/config") == 1);

  // Due: asked every cycle until the next checkpoint has completed, then quiet again.
  f.now += 50'000;
  CHECK(watcher.run_cycle().requests == 2);
  f.now += 5000;
  f.flink.answer("GET", std::string(jm) + "/jobs/aaaa/checkpoints", 200, checkpoints(4, 0, f.now - 2000));
  auto recorded = watcher.run_cycle();
  CHECK(recorded.requests == 2);
  CHECK(recorded.new_points == 1);
  f.now += 5000;
  CHECK(watcher.run_cycle().requests == 1);

  // Back from RESTARTING: asked at once, whatever the interval says.
  f.flink.answer("GET", std::string(jm) + "/jobs/overview", 200, overview({{"aaaa", "RESTARTING"}}));
  f.now += 5000;
  CHECK(watcher.run_cycle().requests == 1);
  f.flink.answer("GET", std::string(jm) + "/jobs/overview", 200, overview({{"aaaa", "RUNNING"}}));
  f.now += 5000;
  CHECK(watcher.run_cycle().requests == 2);
}

TEST_CASE("a job without checkpointing is asked for statistics only when it comes up",
          "[watch][cycle][pace]") {
  Fixture f;
  f.job_with_run("a", "aaaa");
  f.flink.answer("GET", std::string(jm) + "/jobs/overview", 200, overview({{"aaaa", "RUNNING"}}));
  // Flink's answer for a job without a checkpoint coordinator.
  f.flink.answer("GET", std::string(jm) + "/jobs/aaaa/checkpoints/config", 404,
                 R"({"errors":["Checkpointing is not enabled for this job (aaaa)."]})");
  f.flink.answer("GET", std::string(jm) + "/jobs/aaaa/checkpoints", 200,
                 R"({"counts":{"total":0,"completed":0,"failed":0},"latest":{},"history":[]})");
  watch::Watcher watcher(f.context, f.http, {}, nullptr);
  auto first = watcher.run_cycle();
  CHECK(first.requests == 3);
  CHECK(first.errors == 0);
  for (int i = 0; i < 3; ++i) {
    f.now += 3'600'000;
    CHECK(watcher.run_cycle().requests == 1);
  }
  CHECK(f.count("SELECT count(*) FROM alerts") == 0);
}

TEST_CASE(
    "a checkpoint configuration that cannot be read is asked again, the statistics meanwhile every cycle",
    "[watch][cycle][pace]") {
  Fixture f;
  f.job_with_run("a", "aaaa");
  f.flink.answer("GET", std::string(jm) + "/jobs/overview", 200, overview({{"aaaa", "RUNNING"}}));
  f.flink.answer("GET", std::string(jm) + "/jobs/aaaa/checkpoints", 200, checkpoints(1, 0, f.now));
  f.flink.answer("GET", std::string(jm) + "/jobs/aaaa/checkpoints/config", 500, "<html>oops</html>");
  watch::Watcher watcher(f.context, f.http, {}, nullptr);
  for (int i = 0; i < 2; ++i) {
    auto report = watcher.run_cycle();
    CHECK(report.requests == 3);
    CHECK(report.errors == 1);
    f.now += 5000;
  }
  f.checkpoint_config(jm, "aaaa", 600'000);
  CHECK(watcher.run_cycle().requests == 3);
  f.now += 5000;
  CHECK(watcher.run_cycle().requests == 1);
}

TEST_CASE("a failed job ends its run, records the transition and queues one alert with its cause",
          "[watch][cycle]") {
  Fixture f;
  const auto run = f.job_with_run("a", "aaaa");
  f.flink.answer("GET", std::string(jm) + "/jobs/overview", 200, overview({{"aaaa", "FAILED"}}));
  f.flink.answer(
      "GET", std::string(jm) + "/jobs/aaaa/exceptions", 200,
      R"j({"root-exception":"java.lang.RuntimeException: boom\n\tat x.y(Z.java:1)","exceptionHistory":{"entries":[]}})j");
  watch::Watcher watcher(f.context, f.http, {}, nullptr);
  auto report = watcher.run_cycle();
  CHECK(report.alerts == 1);
  CHECK(f.requests_to("/checkpoints") == 0); // not running: no checkpoint request
  auto ended = store::find_run(f.database, run).value();
  CHECK(ended.end_state == "FAILED");
  CHECK(f.count("SELECT count(*) FROM events WHERE kind = 'state' AND message = 'RUNNING -> FAILED'") == 1);
  CHECK(f.count("SELECT count(*) FROM alerts WHERE kind = 'job-failed'") == 1);
  CHECK(f.count("SELECT count(*) FROM alert_deliveries WHERE channel = 'ops'") == 1);
  auto document = f.database.prepare("SELECT document FROM alerts");
  REQUIRE(document.step());
  auto alert = core::alert_from_document(nlohmann::json::parse(document.text(0))).value();
  CHECK(alert.job == "a");
  CHECK(alert.environment == "prod");
  CHECK(alert.state == "FAILED");
  CHECK(alert.cause == "java.lang.RuntimeException: boom");

  // The run has ended: the next cycle does not look at it again.
  auto next = watcher.run_cycle();
  CHECK(next.runs == 0);
  CHECK(f.count("SELECT count(*) FROM alerts") == 1);
}

TEST_CASE("an unreachable JobManager is one alert after N cycles, and one more when it recovers",
          "[watch][cycle]") {
  Fixture f;
  f.job_with_run("a", "aaaa");
  f.job_with_run("b", "bbbb");
  watch::WatchSettings settings;
  settings.policy.unreachable_after = 2;
  watch::Watcher watcher(f.context, f.http, settings, nullptr);
  for (int i = 0; i < 4; ++i) {
    auto report = watcher.run_cycle();
    CHECK(report.errors == 1);
    CHECK(report.requests == 1);
  }
  CHECK(f.count("SELECT count(*) FROM runs WHERE state = 'UNREACHABLE' AND ended_at IS NULL") == 2);
  CHECK(f.count("SELECT count(*) FROM alerts WHERE kind = 'jobmanager-unreachable'") == 1);

  f.flink.answer("GET", std::string(jm) + "/jobs/overview", 200,
                 overview({{"aaaa", "RUNNING"}, {"bbbb", "RUNNING"}}));
  f.flink.answer("GET", std::string(jm) + "/jobs/aaaa/checkpoints", 200, checkpoints(1));
  f.flink.answer("GET", std::string(jm) + "/jobs/bbbb/checkpoints", 200, checkpoints(1));
  watcher.run_cycle();
  CHECK(f.count("SELECT count(*) FROM runs WHERE state = 'RUNNING'") == 2);
  CHECK(f.count("SELECT count(*) FROM alerts WHERE kind = 'jobmanager-recovered'") == 1);
  auto document = f.database.prepare("SELECT document FROM alerts WHERE kind = 'jobmanager-recovered'");
  REQUIRE(document.step());
  CHECK(core::alert_from_document(nlohmann::json::parse(document.text(0)))->jobs.size() == 2);
}

TEST_CASE("malformed JSON, HTTP errors and odd shapes are counted as errors and change nothing recorded",
          "[watch][cycle]") {
  Fixture f;
  const auto run = f.job_with_run("a", "aaaa");
  watch::Watcher watcher(f.context, f.http, {}, nullptr);
  for (const auto& [status, body] :
       std::vector<std::pair<long, std::string>>{{200, "{\"jobs\": [{\"jid\": 1"},
                                                 {500, "<html>oops</html>"},
                                                 {200, "{\"jobs\": 3}"},
                                                 {200, "[]"}}) {
    CAPTURE(body);
    f.flink.answer("GET", std::string(jm) + "/jobs/overview", status, body);
    auto report = watcher.run_cycle();
    CHECK(report.errors == 1);
    CHECK(store::find_run(f.database, run)->live());
  }
  // A broken checkpoint answer is an error too, but the job's state still counts.
  f.flink.answer("GET", std::string(jm) + "/jobs/overview", 200, overview({{"aaaa", "RUNNING"}}));
  f.flink.answer("GET", std::string(jm) + "/jobs/aaaa/checkpoints", 200, "{\"counts\": {\"failed\": \"x\"}}");
  f.checkpoint_config(jm, "aaaa");
  auto report = watcher.run_cycle();
  CHECK(report.errors == 1);
  CHECK(store::find_run(f.database, run)->state == "RUNNING");
  CHECK(store::find_run(f.database, run)->poll_failures == 0);
}

TEST_CASE("a JobManager that stops answering is looked for, and its live runs follow it to where it moved",
          "[watch][cycle][relocate]") {
  Fixture f;
  f.job_with_run("a", "aaaa");
  f.job_with_run("b", "bbbb");
  const std::string moved_to = "http://jm2:8082";
  int asked = 0;
  std::optional<std::string> answer; // where the relocator says the JobManager is
  watch::Relocator relocator = [&](const store::WatchedRun& run) {
    ++asked;
    CHECK(run.rest_url == jm);
    return ops::Whereabouts{.rest_url = answer};
  };
  watch::WatchSettings settings;
  settings.policy.unreachable_after = 3;
  watch::Watcher watcher(f.context, f.http, settings, relocator);

  // Answering: the relocator is never asked.
  f.flink.answer("GET", std::string(jm) + "/jobs/overview", 200,
                 overview({{"aaaa", "RUNNING"}, {"bbbb", "RUNNING"}}));
  f.flink.answer("GET", std::string(jm) + "/jobs/aaaa/checkpoints", 200, checkpoints(1));
  f.flink.answer("GET", std::string(jm) + "/jobs/bbbb/checkpoints", 200, checkpoints(1));
  f.checkpoint_config(jm, "aaaa");
  f.checkpoint_config(jm, "bbbb");
  watcher.run_cycle();
  CHECK(asked == 0);

  // Silent, and nowhere better known: asked once for the JobManager, not per run; the runs stay.
  f.flink.answers.clear();
  watcher.run_cycle();
  CHECK(asked == 1);
  CHECK(f.count("SELECT count(*) FROM runs WHERE rest_url = 'http://jm:8081'") == 2);

  // Found elsewhere: both live runs move in the cycle's write, and the next cycle asks there.
  answer = moved_to;
  auto report = watcher.run_cycle();
  CHECK(asked == 2);
  CHECK(std::ranges::any_of(report.notes, [](const auto& note) { return note.kind == "relocated"; }));
  CHECK(f.count("SELECT count(*) FROM runs WHERE rest_url = 'http://jm2:8082' AND ended_at IS NULL") == 2);
  // Each job's history says where its JobManager went.
  CHECK(f.count("SELECT count(*) FROM events WHERE kind = 'jobmanager-moved' AND "
                "message = 'the JobManager moved from http://jm:8081 to http://jm2:8082'") == 2);

  f.flink.answer("GET", moved_to + "/jobs/overview", 200,
                 overview({{"aaaa", "RUNNING"}, {"bbbb", "RUNNING"}}));
  f.flink.answer("GET", moved_to + "/jobs/aaaa/checkpoints", 200, checkpoints(2));
  f.flink.answer("GET", moved_to + "/jobs/bbbb/checkpoints", 200, checkpoints(2));
  auto after = watcher.run_cycle();
  CHECK(after.errors == 0);
  CHECK(after.new_points == 2);
  CHECK(asked == 2);
  CHECK(f.requests_to("/jobs/overview") == 4); // one per cycle, the last at the new address
  CHECK(f.count("SELECT count(*) FROM runs WHERE state = 'RUNNING'") == 2);
  CHECK(f.count("SELECT count(*) FROM alerts WHERE kind = 'jobmanager-unreachable'") == 0);
}

TEST_CASE("a relocator answering the address the runs already have moves nothing",
          "[watch][cycle][relocate]") {
  Fixture f;
  f.job_with_run("a", "aaaa");
  watch::WatchSettings settings;
  settings.policy.unreachable_after = 2;
  watch::Watcher watcher(f.context, f.http, settings, [](const store::WatchedRun& run) {
    return ops::Whereabouts{.rest_url = run.rest_url};
  });
  watcher.run_cycle();
  auto report = watcher.run_cycle();
  CHECK_FALSE(std::ranges::any_of(report.notes, [](const auto& note) { return note.kind == "relocated"; }));
  CHECK(f.count("SELECT count(*) FROM runs WHERE state = 'UNREACHABLE' AND rest_url = 'http://jm:8081'") ==
        1);
}

TEST_CASE("a JobManager whose YARN application has ended ends its runs at once, as YARN says",
          "[watch][cycle][relocate]") {
  Fixture f;
  f.job_with_run("a", "aaaa");
  watch::WatchSettings settings;
  settings.policy.unreachable_after = 3;
  std::string end_state = "LOST";
  watch::Watcher watcher(f.context, f.http, settings, [&](const store::WatchedRun&) {
    return ops::Whereabouts{.ended = flink::ApplicationEnd{
                                .run_state = end_state,
                                .why = "YARN application application_1_0001: the application ended: KILLED"}};
  });

  SECTION("killed through YARN: LOST, a failure (alert, restart candidate), never UNREACHABLE") {
    auto report = watcher.run_cycle();
    CHECK(f.count("SELECT count(*) FROM runs WHERE state = 'LOST' AND end_state = 'LOST' AND ended_at IS NOT "
                  "NULL") == 1);
    CHECK(f.count("SELECT count(*) FROM events WHERE kind = 'application-ended' AND message = 'YARN "
                  "application application_1_0001: the application ended: KILLED; was RUNNING'") == 1);
    CHECK(f.count("SELECT count(*) FROM alerts WHERE kind = 'job-failed'") == 1);
    CHECK(f.count("SELECT count(*) FROM alerts WHERE kind LIKE 'jobmanager-%'") == 0);
    CHECK(report.alerts == 1);
    // Ended: the next cycle has nothing to poll.
    f.flink.requests.clear();
    CHECK(watcher.run_cycle().runs == 0);
    CHECK(f.flink.requests.empty());
  }
  SECTION("finished by Flink: the run's end, no alert") {
    end_state = "FINISHED";
    watcher.run_cycle();
    CHECK(f.count("SELECT count(*) FROM runs WHERE end_state = 'FINISHED'") == 1);
    CHECK(f.count("SELECT count(*) FROM alerts") == 0);
  }
}
