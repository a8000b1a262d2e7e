// stop_job, savepoint_job and the cancel path against a scripted JobManager
// and a real temporary database: what Flink answers decides what is recorded,
// and a savepoint that fails or does not finish leaves the run live.
#include "sp/ops/stop.hpp"
#include "sp/store/environments.hpp"
#include "sp/store/events.hpp"
#include "sp/store/jobs.hpp"
#include "sp/store/runs.hpp"
#include "sp/store/store.hpp"

#include "support/fake_transport.hpp"
#include "support/scripted_context.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

using namespace sp;
using namespace std::chrono_literals;

namespace {

const std::string jm = "http://jm:8081";
const std::string job_url = jm + "/jobs/aaaa";

struct Fixture {
  test::TempDir dir;
  store::Database database = store::open_store({dir.path()}, store::OpenMode::create_missing).value();
  test::FakeTransport flink;
  std::int64_t now = 1'000'000;
  ops::OpsContext context = test::scripted_context(database, flink, now);
  ops::JobTarget job;
  std::int64_t run_id = 0;

  Fixture() {
    const auto environment = store::ensure_environment(database, "dev", 0).first;
    core::JobSpec spec;
    spec.cluster = "local";
    spec.artifact.jar = "/jobs/orders.jar";
    spec.state.savepoint_dir = "file:///savepoints/orders";
    job.job_id = store::upsert_job(database, environment, "orders", {}, spec, 0).second;
    job.name = "orders";
    job.environment = "dev";
    job.spec = spec;
    job.cluster_name = "local";
    job.cluster.url = jm;
    run_id = store::insert_run(
        database,
        {.job_id = job.job_id, .flink_job_id = "aaaa", .rest_url = jm, .state = "RUNNING", .started_at = 1});
  }

  void job_state(const std::string& state) {
    flink.answer("GET", jm + "/jobs/overview", 200,
                 nlohmann::json{{"jobs",
                                 {{{"jid", "aaaa"},
                                   {"name", "orders"},
                                   {"state", state},
                                   {"start-time", 1},
                                   {"end-time", state == "RUNNING" ? -1 : 9}}}}}
                     .dump());
  }

  void savepoint_status(const nlohmann::json& body) {
    flink.answer("GET", job_url + "/savepoints/t1", 200, body.dump());
  }

  void checkpoints(const nlohmann::json& latest) {
    flink.answer("GET", job_url + "/checkpoints", 200,
                 nlohmann::json{{"counts", {{"completed", 4}}}, {"latest", latest}}.dump());
  }

  std::vector<std::string> event_kinds() {
    std::vector<std::string> kinds;
    for (const auto& event : store::job_events(database, job.job_id)) kinds.push_back(event.kind);
    return kinds;
  }

  const net::HttpRequest* request_to(const std::string& method, const std::string& url) const {
    for (const auto& request : flink.requests) {
      if (request.method == method && request.url == url) return &request;
    }
    return nullptr;
  }
};

nlohmann::json completed_at(const std::string& location) {
  return {{"status", {{"id", "COMPLETED"}}}, {"operation", {{"location", location}}}};
}

nlohmann::json entry(std::int64_t id, const std::string& path, bool savepoint) {
  return {{"id", id},
          {"status", "COMPLETED"},
          {"is_savepoint", savepoint},
          {"external_path", path},
          {"trigger_timestamp", 100 * id},
          {"latest_ack_timestamp", 100 * id + 5},
          {"state_size", 2048}};
}

} // namespace

TEST_CASE("stop with a savepoint records it with Flink's checkpoint id and ends the run", "[ops][stop]") {
  Fixture f;
  const std::string savepoint = "file:/savepoints/orders/savepoint-aaaa-1";
  f.flink.answer("POST", job_url + "/stop", 202, R"({"request-id":"t1"})");
  f.savepoint_status(completed_at(savepoint));
  f.job_state("FINISHED");
  f.checkpoints({{"completed", entry(3, "file:/cp/aaaa/chk-3", false)}});
  // Flink lists the savepoint once the stop has taken it.
  f.flink.on_request = [&f, savepoint](const net::HttpRequest& request) {
    if (request.url.ends_with("/stop"))
      f.checkpoints(
          {{"completed", entry(3, "file:/cp/aaaa/chk-3", false)}, {"savepoint", entry(4, savepoint, true)}});
  };

  auto stopped = ops::stop_job(f.context, f.job, {});
  REQUIRE(stopped);
  CHECK(stopped->mode == core::StopMode::savepoint);
  CHECK(stopped->savepoint_path == savepoint);
  CHECK(stopped->end_state == "FINISHED");

  const auto* trigger = f.request_to("POST", job_url + "/stop");
  REQUIRE(trigger != nullptr);
  auto body = nlohmann::json::parse(trigger->body);
  CHECK(body["drain"] == false);
  CHECK(body["targetDirectory"] == "file:///savepoints/orders"); // the job's own savepoint directory

  auto points = store::restore_points_of_job(f.database, f.job.job_id);
  auto recorded =
      std::ranges::find_if(points, [](const auto& p) { return p.kind == core::PointKind::stop_savepoint; });
  REQUIRE(recorded != points.end());
  CHECK(recorded->path == savepoint);
  CHECK(recorded->flink_checkpoint_id == 4);
  CHECK(recorded->run_id == f.run_id);
  // The live checkpoint seen before the stop is recorded too.
  CHECK(std::ranges::any_of(points, [](const auto& p) { return p.path == "file:/cp/aaaa/chk-3"; }));

  auto run = store::latest_run(f.database, f.job.job_id);
  CHECK_FALSE(run->live());
  CHECK(run->end_state == "FINISHED");
  CHECK(f.event_kinds().front() == "stopped");
}

TEST_CASE("drain is asked for by the flag, and a directory flag wins over the job's", "[ops][stop]") {
  Fixture f;
  f.flink.answer("POST", job_url + "/stop", 202, R"({"request-id":"t1"})");
  f.savepoint_status(completed_at("file:/elsewhere/savepoint-aaaa-2"));
  f.job_state("FINISHED");
  f.checkpoints(nlohmann::json::object());

  auto stopped =
      ops::stop_job(f.context, f.job, {.mode = core::StopMode::drain, .directory = "file:///elsewhere"});
  REQUIRE(stopped);
  auto body = nlohmann::json::parse(f.request_to("POST", job_url + "/stop")->body);
  CHECK(body["drain"] == true);
  CHECK(body["targetDirectory"] == "file:///elsewhere");
  // Not listed in the statistics: recorded all the same, without a checkpoint id.
  auto points = store::restore_points_of_job(f.database, f.job.job_id);
  REQUIRE(points.size() == 1);
  CHECK(points[0].path == "file:/elsewhere/savepoint-aaaa-2");
  CHECK_FALSE(points[0].flink_checkpoint_id.has_value());
}

TEST_CASE("a failed stop-with-savepoint leaves the run live and records no point", "[ops][stop]") {
  Fixture f;
  f.flink.answer("POST", job_url + "/stop", 202, R"({"request-id":"t1"})");
  f.savepoint_status({{"status", {{"id", "COMPLETED"}}},
                      {"operation",
                       {{"failure-cause",
                         {{"class", "java.util.concurrent.CompletionException"},
                          {"stack-trace", "java.util.concurrent.CompletionException: x\nCaused by: "
                                          "java.io.IOException: disk full\n\tat a.b"}}}}}});
  f.job_state("RUNNING");
  f.checkpoints(nlohmann::json::object());

  auto stopped = ops::stop_job(f.context, f.job, {});
  REQUIRE_FALSE(stopped);
  CHECK(stopped.error().kind() == ErrorKind::external);
  CHECK(stopped.error().why().find("disk full") != std::string::npos);
  CHECK(store::latest_run(f.database, f.job.job_id)->live());
  CHECK(store::restore_points_of_job(f.database, f.job.job_id).empty());
  CHECK(f.event_kinds().front() == "stop-failed");
}

TEST_CASE("a savepoint that does not complete in time is unreachable, not failed, and the run stays live",
          "[ops][stop]") {
  Fixture f;
  f.flink.answer("POST", job_url + "/savepoints", 202, R"({"request-id":"t1"})");
  f.savepoint_status({{"status", {{"id", "IN_PROGRESS"}}}});
  f.job_state("RUNNING");

  const auto started = f.now;
  auto taken = ops::savepoint_job(f.context, f.job, std::nullopt, 3s);
  REQUIRE_FALSE(taken);
  CHECK(taken.error().kind() == ErrorKind::unreachable);
  CHECK(taken.error().why().find("did not complete within") != std::string::npos);
  CHECK(f.now - started >= 3000); // it waited the whole time it was given, on the clock it was given
  CHECK(store::latest_run(f.database, f.job.job_id)->live());
  CHECK(store::restore_points_of_job(f.database, f.job.job_id).empty());
  CHECK(f.event_kinds().front() == "savepoint-failed");
}

TEST_CASE("a savepoint of a running job is a restore point of its run, which stays live", "[ops][stop]") {
  Fixture f;
  const std::string savepoint = "file:/savepoints/orders/savepoint-aaaa-5";
  f.flink.answer("POST", job_url + "/savepoints", 202, R"({"request-id":"t1"})");
  f.savepoint_status(completed_at(savepoint));
  f.checkpoints(nlohmann::json::object());
  f.flink.on_request = [&f, savepoint](const net::HttpRequest& request) {
    if (request.url.ends_with("/savepoints/t1")) f.checkpoints({{"savepoint", entry(5, savepoint, true)}});
  };

  auto taken = ops::savepoint_job(f.context, f.job, std::nullopt, 10s);
  REQUIRE(taken);
  CHECK(taken->path == savepoint);
  CHECK(taken->run_id == f.run_id);
  auto body = nlohmann::json::parse(f.request_to("POST", job_url + "/savepoints")->body);
  CHECK(body["cancel-job"] == false);
  CHECK(body["target-directory"] == "file:///savepoints/orders");
  auto points = store::restore_points_of_job(f.database, f.job.job_id);
  REQUIRE(points.size() == 1);
  CHECK(points[0].kind == core::PointKind::savepoint);
  CHECK(points[0].flink_checkpoint_id == 5);
  CHECK(store::latest_run(f.database, f.job.job_id)->live());
  CHECK(f.event_kinds().front() == "savepoint");
}

TEST_CASE("cancel records the live checkpoints, warns when they are not retained, and ends the run",
          "[ops][stop]") {
  Fixture f;
  f.flink.answer("GET", job_url + "/checkpoints/config", 200,
                 R"({"interval":1000,"externalization":{"enabled":true,"delete_on_cancellation":true}})");
  f.checkpoints({{"completed", entry(9, "file:/cp/aaaa/chk-9", false)}});
  f.flink.answer("PATCH", job_url + "?mode=cancel", 202, "{}");
  f.job_state("CANCELED");

  auto cancelled = ops::stop_job(f.context, f.job, {.mode = core::StopMode::cancel});
  REQUIRE(cancelled);
  CHECK(cancelled->mode == core::StopMode::cancel);
  CHECK_FALSE(cancelled->savepoint_path.has_value());
  CHECK(cancelled->end_state == "CANCELED");
  REQUIRE(cancelled->warnings.size() == 1);
  CHECK(cancelled->warnings[0].find("RETAIN_ON_CANCELLATION") != std::string::npos);
  CHECK(f.request_to("POST", job_url + "/stop") == nullptr);
  auto points = store::restore_points_of_job(f.database, f.job.job_id);
  REQUIRE(points.size() == 1);
  CHECK(points[0].path == "file:/cp/aaaa/chk-9");
  CHECK(store::latest_run(f.database, f.job.job_id)->end_state == "CANCELED");
  CHECK(f.event_kinds().front() == "cancelled");
}

TEST_CASE("stop and savepoint without a live run are refused before asking Flink", "[ops][stop]") {
  Fixture f;
  store::end_run(f.database, f.run_id, "CANCELED", 2);
  auto stopped = ops::stop_job(f.context, f.job, {});
  REQUIRE_FALSE(stopped);
  CHECK(stopped.error().kind() == ErrorKind::refused);
  CHECK(stopped.error().hint().find("sp job adopt") != std::string::npos);
  auto taken = ops::savepoint_job(f.context, f.job, std::nullopt, 1s);
  REQUIRE_FALSE(taken);
  CHECK(taken.error().kind() == ErrorKind::refused);
  CHECK(f.flink.requests.empty());
}

TEST_CASE("a savepoint goes to the flag, the job's directory, its configuration, then the cluster's",
          "[ops][stop]") {
  ops::JobTarget job;
  job.cluster.savepoint_dir = "file:///cluster-savepoints";
  CHECK(ops::savepoint_directory(job, std::nullopt) == "file:///cluster-savepoints");
  job.spec.flink_configuration["execution.checkpointing.savepoint-dir"] = "file:///configured";
  CHECK(ops::savepoint_directory(job, std::nullopt) == "file:///configured");
  job.spec.state.savepoint_dir = "file:///job-savepoints";
  CHECK(ops::savepoint_directory(job, std::nullopt) == "file:///job-savepoints");
  CHECK(ops::savepoint_directory(job, std::string("file:///flag")) == "file:///flag");
  CHECK_FALSE(ops::savepoint_directory(ops::JobTarget{}, std::nullopt).has_value());
}
