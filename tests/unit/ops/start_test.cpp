// start_job against a scripted JobManager and a real temporary database: the
// refusal paths must never reach Flink, and a restore must send the chosen path.
#include "sp/ops/start.hpp"
#include "sp/store/environments.hpp"
#include "sp/store/jobs.hpp"
#include "sp/store/releases.hpp"
#include "sp/store/runs.hpp"
#include "sp/store/store.hpp"

#include "support/fake_transport.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace sp;

namespace {

constexpr const char* jm = "http://jm:8081";

// Hands the shared fake to every JobManager client the operation creates.
class Forwarding final : public net::HttpTransport {
public:
  explicit Forwarding(test::FakeTransport& target) : target_(target) {}
  Result<net::HttpResponse> send(const net::HttpRequest& request) override { return target_.send(request); }

private:
  test::FakeTransport& target_;
};

struct Fixture {
  test::TempDir dir;
  store::Database database = store::open_store({dir.path()}, store::OpenMode::create_missing).value();
  test::FakeTransport flink;
  std::int64_t now = 1'000'000;
  ops::OpsContext context{
      .database = database,
      .make_transport = [this](const net::TransportSettings&) { return std::make_unique<Forwarding>(flink); },
      .clock = {[this] { return now += 100; }, [](std::chrono::milliseconds) {}},
      .env = util::fixed_env({}),
      .actor = {"tester", "host", 1},
      .pid_alive = [](std::int64_t) { return true; },
      .progress = {}};
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
    release = {0, job.job_id, std::nullopt, spec.artifact.jar.value(), "digest", "{}", "fp", std::string("j.jar"), 0};
    release.id = store::insert_release(database, release);
    flink.answer("GET", std::string(jm) + "/config", 200, R"({"flink-version":"1.20.5"})");
    flink.answer("GET", std::string(jm) + "/jars", 200, R"({"files":[{"id":"j.jar","name":"job.jar","uploaded":1}]})");
  }

  std::int64_t previous_run(const std::string& flink_id) {
    return store::insert_run(database, {.job_id = job.job_id, .flink_job_id = flink_id, .rest_url = jm,
                                        .state = "RUNNING", .started_at = 1});
  }

  bool submitted() const {
    return std::ranges::any_of(flink.requests, [](const net::HttpRequest& r) { return r.method == "POST"; });
  }
};

} // namespace

TEST_CASE("start refuses a job whose last run is still alive, without submitting", "[ops][start]") {
  Fixture f;
  f.previous_run("aaaa");
  f.flink.answer("GET", std::string(jm) + "/jobs/overview", 200,
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
  store::record_restore_point(f.database, {.job_id = f.job.job_id, .run_id = run, .flink_checkpoint_id = 3,
                                           .path = "file:" + (f.dir / "gone/chk-3").string(), .completion_time = 5,
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
                                {"latest", {{"completed", {{"id", 7}, {"status", "COMPLETED"}, {"is_savepoint", false},
                                                           {"external_path", path}, {"trigger_timestamp", 8},
                                                           {"latest_ack_timestamp", 9}}}}}}
                     .dump());
  f.flink.answer("POST", std::string(jm) + "/jars/j.jar/run", 200, R"({"jobid":"bbbb"})");
  f.flink.answer("GET", std::string(jm) + "/jobs/bbbb/checkpoints", 200,
                 nlohmann::json{{"latest", {{"restored", {{"id", 7}, {"restore_timestamp", 11},
                                                          {"is_savepoint", false}, {"external_path", path}}}}}}
                     .dump());
  auto result = ops::start_job(f.context, f.job, f.release, {});
  REQUIRE(result);
  CHECK(result->flink_job_id == "bbbb");
  CHECK(result->restore_verified == true);
  CHECK(result->jar_reused);
  const auto run_request = std::ranges::find_if(f.flink.requests, [](const auto& r) { return r.method == "POST"; });
  auto body = nlohmann::json::parse(run_request->body);
  CHECK(body["savepointPath"] == path);
  CHECK(body["claimMode"] == "NO_CLAIM");
  auto points = store::restore_points_of_job(f.database, f.job.job_id);
  REQUIRE(points.size() == 1);
  CHECK(points[0].flink_checkpoint_id == 7);
  CHECK(store::latest_run(f.database, f.job.job_id)->restore_verified == true);
}
