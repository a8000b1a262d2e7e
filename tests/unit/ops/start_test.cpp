// start_job against a scripted JobManager and a real temporary database: the
// refusal paths must never reach Flink, and a restore must send the chosen path.
#include "sp/core/state_layout.hpp"
#include "sp/ops/start.hpp"
#include "sp/store/environments.hpp"
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

namespace {

constexpr const char* jm = "http://jm:8081";

struct Fixture {
  test::TempDir dir;
  store::Database database = store::open_store({dir.path()}, store::OpenMode::create_missing).value();
  test::FakeTransport flink;
  std::int64_t now = 1'000'000;
  ops::OpsContext context = test::scripted_context(database, flink, now);
  ops::JobTarget job;
  store::ReleaseRow release;

  Fixture() {
    const auto environment = store::ensure_environment(database, "dev", 0).first;
    core::JobSpec spec;
    spec.cluster = "local";
    spec.artifact.jar = (dir / "job.jar").string();
    std::ofstream(dir / "job.jar") << "jar";
    job.job_id = store::upsert_job(database, environment, "orders", {}, spec, 0).second;
    job.name = "orders";
    job.environment = "dev";
    job.spec = spec;
    job.cluster_name = "local";
    job.cluster.url = jm;
    release = {0,        job.job_id, std::nullopt, spec.artifact.jar.value(),
               "digest", "{}",       "fp",         std::string("j.jar"),
               0};
    release.id = store::insert_release(database, release);
    flink.answer("GET", std::string(jm) + "/config", 200, R"({"flink-version":"1.20.5"})");
    flink.answer("GET", std::string(jm) + "/jars", 200,
                 R"({"files":[{"id":"j.jar","name":"job.jar","uploaded":1}]})");
  }

  std::int64_t previous_run(const std::string& flink_id) {
    return store::insert_run(database, {.job_id = job.job_id,
                                        .flink_job_id = flink_id,
                                        .rest_url = jm,
                                        .state = "RUNNING",
                                        .started_at = 1});
  }

  bool submitted() const {
    return std::ranges::any_of(flink.requests, [](const net::HttpRequest& r) { return r.method == "POST"; });
  }
};

} // namespace

TEST_CASE("start refuses a job whose last run is still alive, without submitting", "[ops][start]") {
  Fixture f;
  f.previous_run("aaaa");
  f.flink.answer(
      "GET", std::string(jm) + "/jobs/overview", 200,
      R"({"jobs":[{"jid":"aaaa","name":"orders","state":"RUNNING","start-time":1,"end-time":-1}]})");
  auto result = ops::start_job(f.context, f.job, f.release, {});
  REQUIRE_FALSE(result);
  CHECK(result.error().kind() == ErrorKind::refused);
  CHECK(result.error().why().find("already RUNNING") != std::string::npos);
  CHECK_FALSE(f.submitted());
}

TEST_CASE("start refuses a job that ran before when no point is valid, without submitting", "[ops][start]") {
  Fixture f;
  const auto run = f.previous_run("aaaa");
  store::end_run(f.database, run, "CANCELED", 2);
  store::record_restore_point(f.database, {.job_id = f.job.job_id,
                                           .run_id = run,
                                           .flink_checkpoint_id = 3,
                                           .path = "file:" + (f.dir / "gone/chk-3").string(),
                                           .completion_time = 5,
                                           .recorded_at = 5});
  auto result = ops::start_job(f.context, f.job, f.release, {});
  REQUIRE_FALSE(result);
  CHECK(result.error().kind() == ErrorKind::refused);
  CHECK(result.error().why().find("Tried:") != std::string::npos);
  CHECK_FALSE(f.submitted());
  CHECK_FALSE(store::restore_points_of_job(f.database, f.job.job_id).front().valid);
}

TEST_CASE("start records the last run's live checkpoint and restores it with NO_CLAIM", "[ops][start]") {
  Fixture f;
  f.previous_run("aaaa");
  const auto checkpoint = f.dir / "cp" / "chk-7";
  std::filesystem::create_directories(checkpoint);
  std::ofstream(checkpoint / "_metadata") << "m";
  const std::string path = "file:" + checkpoint.string();
  f.flink.answer("GET", std::string(jm) + "/jobs/overview", 200,
                 R"({"jobs":[{"jid":"aaaa","name":"orders","state":"CANCELED","start-time":1,"end-time":9},
                             {"jid":"bbbb","name":"orders","state":"RUNNING","start-time":10,"end-time":-1}]})");
  f.flink.answer("GET", std::string(jm) + "/jobs/aaaa/checkpoints", 200,
                 nlohmann::json{{"counts", {{"completed", 7}}},
                                {"latest",
                                 {{"completed",
                                   {{"id", 7},
                                    {"status", "COMPLETED"},
                                    {"is_savepoint", false},
                                    {"external_path", path},
                                    {"trigger_timestamp", 8},
                                    {"latest_ack_timestamp", 9}}}}}}
                     .dump());
  f.flink.answer("POST", std::string(jm) + "/jars/j.jar/run", 200, R"({"jobid":"bbbb"})");
  f.flink.answer(
      "GET", std::string(jm) + "/jobs/bbbb/checkpoints", 200,
      nlohmann::json{
          {"latest",
           {{"restored",
             {{"id", 7}, {"restore_timestamp", 11}, {"is_savepoint", false}, {"external_path", path}}}}}}
          .dump());
  auto result = ops::start_job(f.context, f.job, f.release, {});
  REQUIRE(result);
  CHECK(result->flink_job_id == "bbbb");
  CHECK(result->restore_verified == true);
  CHECK(result->jar_reused);
  const auto run_request =
      std::ranges::find_if(f.flink.requests, [](const auto& r) { return r.method == "POST"; });
  auto body = nlohmann::json::parse(run_request->body);
  CHECK(body["savepointPath"] == path);
  CHECK(body["claimMode"] == "NO_CLAIM");
  auto points = store::restore_points_of_job(f.database, f.job.job_id);
  REQUIRE(points.size() == 1);
  CHECK(points[0].flink_checkpoint_id == 7);
  CHECK(store::latest_run(f.database, f.job.job_id)->restore_verified == true);
}

namespace {

// The JobManager of an empty cluster whose checkpoints go to `checkpoints`.
void empty_cluster(Fixture& f, const std::filesystem::path& checkpoints) {
  std::filesystem::create_directories(checkpoints);
  f.flink.answer("GET", std::string(jm) + "/jobs/overview", 200, R"({"jobs":[]})");
  f.flink.answer("GET", std::string(jm) + "/jobmanager/config", 200,
                 nlohmann::json::array(
                     {{{"key", "execution.checkpointing.dir"}, {"value", "file://" + checkpoints.string()}}})
                     .dump());
}

const net::HttpRequest* run_request_of(const Fixture& f) {
  for (const auto& request : f.flink.requests) {
    if (request.method == "POST" && request.url.ends_with("/run")) return &request;
  }
  return nullptr;
}

void make_checkpoint(const std::filesystem::path& directory) {
  std::filesystem::create_directories(directory);
  std::ofstream(directory / "_metadata") << "m";
}

} // namespace

TEST_CASE("a first start asks the cluster and the storage, then submits under sp's job id", "[ops][start]") {
  Fixture f;
  empty_cluster(f, f.dir / "checkpoints");
  f.flink.answer("POST", std::string(jm) + "/jars/j.jar/run", 200, R"({"jobid":"cccc"})");
  f.flink.answer("GET", std::string(jm) + "/jobs/overview", 200, R"({"jobs":[]})");
  auto plan = ops::plan_start(f.context, f.job, {}, /*record=*/false);
  REQUIRE(plan);
  CHECK(plan->decision.action == core::RestoreDecision::Action::start_fresh);
  CHECK(plan->decision.reason.find("first start") != std::string::npos);
  // Submission: the body carries sp's id for this job and pipeline.name.
  auto result = ops::start_job(f.context, f.job, f.release, {.wait = std::chrono::milliseconds(0)});
  const auto* request = run_request_of(f);
  REQUIRE(request != nullptr);
  auto body = nlohmann::json::parse(request->body);
  CHECK(core::is_job_id_of(body["jobId"].get<std::string>(), core::job_key("dev", "orders")));
  CHECK(body["flinkConfiguration"]["pipeline.name"] == "orders");
  // The run was written before Flink answered, and took the id Flink gave.
  auto run = store::latest_run(f.database, f.job.job_id);
  REQUIRE(run);
  CHECK(run->flink_job_id == "cccc");
  CHECK(run->checkpoint_dir == "file:" + (f.dir / "checkpoints" / "cccc").string());
  (void)result;
}

TEST_CASE("a first start is refused with exit 5 when the JobManager cannot be asked", "[ops][start]") {
  Fixture f;
  auto result = ops::start_job(f.context, f.job, f.release, {});
  REQUIRE_FALSE(result);
  CHECK(result.error().kind() == ErrorKind::unreachable);
  CHECK(result.error().why().find("cannot tell whether the job ran before") != std::string::npos);
  CHECK_FALSE(f.submitted());
  CHECK_FALSE(store::latest_run(f.database, f.job.job_id));
}

TEST_CASE("a recorded checkpoint subsumed by a newer chk-N of its run is replaced, not fallen back from",
          "[ops][start]") {
  Fixture f;
  const auto run = f.previous_run("aaaa");
  store::end_run(f.database, run, "CANCELED", 2);
  const auto run_dir = f.dir / "checkpoints" / "aaaa";
  make_checkpoint(f.dir / "savepoints" / "savepoint-aaaa-1");
  store::record_restore_point(f.database,
                              {.job_id = f.job.job_id,
                               .run_id = 1,
                               .kind = core::PointKind::savepoint,
                               .path = "file:" + (f.dir / "savepoints" / "savepoint-aaaa-1").string(),
                               .completion_time = 3,
                               .recorded_at = 3});
  store::record_restore_point(f.database, {.job_id = f.job.job_id,
                                           .run_id = run,
                                           .flink_checkpoint_id = 3,
                                           .path = "file:" + (run_dir / "chk-3").string(),
                                           .completion_time = 5,
                                           .recorded_at = 5});
  make_checkpoint(run_dir / "chk-5");
  std::filesystem::create_directories(run_dir / "chk-6"); // in progress: no _metadata
  auto plan = ops::plan_start(f.context, f.job, {}, /*record=*/true);
  REQUIRE(plan);
  REQUIRE(plan->decision.action == core::RestoreDecision::Action::restore);
  CHECK(plan->decision.chosen->path == "file:" + (run_dir / "chk-5").string());
  CHECK(plan->decision.warning.empty());
  const auto points = store::restore_points_of_job(f.database, f.job.job_id);
  const auto subsumed =
      std::ranges::find(points, "file:" + (run_dir / "chk-3").string(), &core::KnownPoint::path);
  REQUIRE(subsumed != points.end());
  CHECK_FALSE(subsumed->valid);
  CHECK(subsumed->invalid_reason.find("subsumed by") != std::string::npos);
}

TEST_CASE("a run directory that cannot be read refuses the start with exit 5 and marks nothing",
          "[ops][start]") {
  Fixture f;
  const auto run = f.previous_run("aaaa");
  store::end_run(f.database, run, "CANCELED", 2);
  // A file where the run's directory should be, then a path under it: ENOTDIR
  // is an answer; a storage that fails is not.
  class FailingStorage final : public storage::StateStorage {
  public:
    bool can_read(std::string_view) const override { return true; }
    Result<std::optional<storage::Stat>> stat(const std::string& uri) override {
      return fail(ErrorKind::unreachable, "looking at " + uri, "Input/output error");
    }
    Result<storage::Listing> list(const std::string& uri, std::size_t) override {
      return fail(ErrorKind::unreachable, "listing " + uri, "Input/output error");
    }
    Result<std::string> read_small(const std::string& uri, std::size_t) override {
      return fail(ErrorKind::unreachable, "reading " + uri, "Input/output error");
    }
  };
  f.context.make_storage = [](const core::ClusterSpec&) { return std::make_unique<FailingStorage>(); };
  store::record_restore_point(f.database, {.job_id = f.job.job_id,
                                           .run_id = run,
                                           .flink_checkpoint_id = 3,
                                           .path = "file:/cp/aaaa/chk-3",
                                           .completion_time = 5,
                                           .recorded_at = 5});
  auto result = ops::start_job(f.context, f.job, f.release, {});
  REQUIRE_FALSE(result);
  CHECK(result.error().kind() == ErrorKind::unreachable);
  CHECK_FALSE(f.submitted());
  CHECK(store::restore_points_of_job(f.database, f.job.job_id).front().valid);
}

TEST_CASE("a job already running on the cluster under sp's id for it is refused, naming it", "[ops][start]") {
  Fixture f;
  empty_cluster(f, f.dir / "checkpoints");
  const auto theirs = core::flink_job_id_for("dev", "orders", 123'456);
  f.flink.answer("GET", std::string(jm) + "/jobs/overview", 200,
                 nlohmann::json{{"jobs",
                                 {{{"jid", theirs},
                                   {"name", "orders"},
                                   {"state", "RUNNING"},
                                   {"start-time", 1},
                                   {"end-time", -1}}}}}
                     .dump());
  auto result = ops::start_job(f.context, f.job, f.release, {});
  REQUIRE_FALSE(result);
  CHECK(result.error().kind() == ErrorKind::refused);
  CHECK(result.error().why().find(theirs) != std::string::npos);
  CHECK(result.error().hint().find("sp job adopt") != std::string::npos);
  CHECK_FALSE(f.submitted());
}

TEST_CASE("an empty database restores what an ended run of this job left on the cluster's storage",
          "[ops][start]") {
  Fixture f;
  empty_cluster(f, f.dir / "checkpoints");
  const auto earlier = core::flink_job_id_for("dev", "orders", 100'000);
  const auto later = core::flink_job_id_for("dev", "orders", 200'000);
  const auto other_job = core::flink_job_id_for("prod", "orders", 300'000);
  make_checkpoint(f.dir / "checkpoints" / earlier / "chk-9");
  make_checkpoint(f.dir / "checkpoints" / later / "chk-2");
  std::filesystem::create_directories(f.dir / "checkpoints" / later / "chk-3");
  make_checkpoint(f.dir / "checkpoints" / other_job / "chk-40");
  auto plan = ops::plan_start(f.context, f.job, {}, /*record=*/false);
  REQUIRE(plan);
  REQUIRE(plan->decision.action == core::RestoreDecision::Action::restore);
  CHECK(plan->decision.chosen->path == "file:" + (f.dir / "checkpoints" / later / "chk-2").string());
  // plan recorded nothing
  CHECK_FALSE(store::latest_run(f.database, f.job.job_id));
  CHECK(store::restore_points_of_job(f.database, f.job.job_id).empty());
}

TEST_CASE("a SUBMITTING run left by a killed sp is settled by the next command", "[ops][start]") {
  Fixture f;
  empty_cluster(f, f.dir / "checkpoints");
  const auto id = core::flink_job_id_for("dev", "orders", 500'000);
  const auto run = store::insert_run(
      f.database,
      {.job_id = f.job.job_id, .flink_job_id = id, .rest_url = jm, .state = "SUBMITTING", .started_at = 1});
  SECTION("Flink has it: it is the run, and it is running") {
    f.flink.answer(
        "GET", std::string(jm) + "/jobs/overview", 200,
        nlohmann::json{
            {"jobs",
             {{{"jid", id}, {"name", "orders"}, {"state", "RUNNING"}, {"start-time", 1}, {"end-time", -1}}}}}
            .dump());
    auto result = ops::start_job(f.context, f.job, f.release, {});
    REQUIRE_FALSE(result);
    CHECK(result.error().kind() == ErrorKind::refused);
    CHECK(store::find_run(f.database, run)->state == "RUNNING");
  }
  SECTION("Flink does not have it: it never ran, and this is still a first start") {
    auto plan = ops::plan_start(f.context, f.job, {}, /*record=*/true);
    REQUIRE(plan);
    CHECK(store::find_run(f.database, run)->end_state == sp::core::run_state::not_submitted);
    CHECK(plan->decision.action == core::RestoreDecision::Action::start_fresh);
  }
}

TEST_CASE("discovery: a JobManager answering 5xx or garbage is 'cannot check', never a first start",
          "[ops][start][discovery]") {
  for (const auto& [status, body] :
       std::vector<std::pair<long, std::string>>{{500, R"({"errors":["Internal server error."]})"},
                                                 {200, "<html>not json"},
                                                 {200, R"({"jobs":7})"}}) {
    Fixture f;
    empty_cluster(f, f.dir / "checkpoints");
    f.flink.answer("GET", std::string(jm) + "/jobs/overview", status, body);
    auto result = ops::start_job(f.context, f.job, f.release, {});
    REQUIRE_FALSE(result);
    CHECK(result.error().kind() == ErrorKind::unreachable);
    CHECK(result.error().why().find("the JobManager at http://jm:8081") != std::string::npos);
    CHECK_FALSE(f.submitted());
  }
}

TEST_CASE("discovery: two running jobs of the job's name are refused, naming both",
          "[ops][start][discovery]") {
  Fixture f;
  empty_cluster(f, f.dir / "checkpoints");
  f.flink.answer(
      "GET", std::string(jm) + "/jobs/overview", 200,
      R"({"jobs":[{"jid":"a8f3c0de12345678a8f3c0de12345678","name":"orders","state":"RUNNING","start-time":1,"end-time":-1},
                             {"jid":"b8f3c0de12345678a8f3c0de12345678","name":"orders","state":"RUNNING","start-time":2,"end-time":-1}]})");
  auto result = ops::start_job(f.context, f.job, f.release, {});
  REQUIRE_FALSE(result);
  CHECK(result.error().kind() == ErrorKind::refused);
  CHECK(result.error().why().find("a8f3c0de12345678a8f3c0de12345678") != std::string::npos);
  CHECK(result.error().why().find("b8f3c0de12345678a8f3c0de12345678") != std::string::npos);
  CHECK_FALSE(f.submitted());
}

TEST_CASE("discovery: another environment's instance of the same job is not this job",
          "[ops][start][discovery]") {
  Fixture f;
  empty_cluster(f, f.dir / "checkpoints");
  const auto prod = core::flink_job_id_for("prod", "orders", 100'000);
  f.flink.answer(
      "GET", std::string(jm) + "/jobs/overview", 200,
      nlohmann::json{
          {"jobs",
           {{{"jid", prod}, {"name", "orders"}, {"state", "RUNNING"}, {"start-time", 1}, {"end-time", -1}}}}}
          .dump());
  make_checkpoint(f.dir / "checkpoints" / prod / "chk-4");
  auto plan = ops::plan_start(f.context, f.job, {}, /*record=*/false);
  REQUIRE(plan);
  CHECK(plan->decision.action == core::RestoreDecision::Action::start_fresh);
}

TEST_CASE("discovery: a directory with thousands of checkpoints finds the newest complete one",
          "[ops][start][discovery]") {
  Fixture f;
  empty_cluster(f, f.dir / "checkpoints");
  const auto id = core::flink_job_id_for("dev", "orders", 100'000);
  const auto run_dir = f.dir / "checkpoints" / id;
  for (int i = 1; i <= 3000; ++i) std::filesystem::create_directories(run_dir / ("chk-" + std::to_string(i)));
  std::ofstream(run_dir / "chk-2998" / "_metadata") << "m";
  std::ofstream(run_dir / "chk-17" / "_metadata") << "m";
  auto plan = ops::plan_start(f.context, f.job, {}, /*record=*/false);
  REQUIRE(plan);
  REQUIRE(plan->decision.chosen);
  CHECK(plan->decision.chosen->path == "file:" + (run_dir / "chk-2998").string());
}

TEST_CASE("a job id the cluster already has is refused as such, and the run is not history", "[ops][start]") {
  Fixture f;
  empty_cluster(f, f.dir / "checkpoints");
  f.flink.answer(
      "POST", std::string(jm) + "/jars/j.jar/run", 500,
      R"({"errors":["org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.\nCaused by: org.apache.flink.runtime.client.DuplicateJobSubmissionException: Job has already been submitted."]})");
  auto result = ops::start_job(f.context, f.job, f.release, {});
  REQUIRE_FALSE(result);
  CHECK(result.error().kind() == ErrorKind::refused);
  CHECK(result.error().why().find("already has a Flink job with id") != std::string::npos);
  const auto run = store::latest_run(f.database, f.job.job_id);
  REQUIRE(run);
  CHECK(run->end_state == sp::core::run_state::not_submitted);
  // It never reached Flink, so the next start is still a first start.
  auto plan = ops::plan_start(f.context, f.job, {}, /*record=*/false);
  REQUIRE(plan);
  CHECK(plan->decision.action == core::RestoreDecision::Action::start_fresh);
}
