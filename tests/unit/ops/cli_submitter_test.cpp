#include "sp/ops/submit.hpp"
#include "sp/store/flinks.hpp"
#include "sp/store/store.hpp"

#include "support/fake_transport.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace sp;
using namespace sp::ops;

namespace {

// The JobManager owns its transport; this one forwards to a fake the test keeps.
class SharedTransport final : public net::HttpTransport {
public:
  explicit SharedTransport(test::FakeTransport& fake) : fake_(fake) {}
  Result<net::HttpResponse> send(const net::HttpRequest& request) override { return fake_.send(request); }

private:
  test::FakeTransport& fake_;
};

class FakeRunner final : public build::ProcessRunner {
public:
  std::vector<build::ProcessRequest> requests;
  std::string output;
  build::ProcessResult result{.ending = build::ProcessResult::Ending::exited, .exit_code = 0};

  Result<build::ProcessResult> run(const build::ProcessRequest& request) override {
    requests.push_back(request);
    if (request.on_output) request.on_output(output);
    return result;
  }
};

struct Fixture {
  test::TempDir dir;
  store::Database database = store::open_store({dir / "home"}, store::OpenMode::create_missing).value();
  test::FakeTransport transport;
  FakeRunner runner;
  OpsContext context{
      .database = database,
      .make_transport =
          [this](const net::TransportSettings&) { return std::make_unique<SharedTransport>(transport); },
      .clock = {[] { return std::int64_t{1000}; }, [](std::chrono::milliseconds) {}},
      .env = {},
      .actor = {"me", "host", 1},
      .pid_alive = [](std::int64_t) { return true; },
      .progress = {},
      .make_process_runner =
          [this] {
            // A fresh runner per call that reports into the shared one.
            struct Forward final : build::ProcessRunner {
              FakeRunner& target;
              explicit Forward(FakeRunner& runner) : target(runner) {}
              Result<build::ProcessResult> run(const build::ProcessRequest& request) override {
                return target.run(request);
              }
            };
            return std::make_unique<Forward>(runner);
          }};
  JobTarget job;
  store::ReleaseRow release{.id = 1, .job_id = 1, .artifact_path = "/store/app.jar"};

  Fixture() {
    const auto home = dir / "flink-1.20.5";
    std::filesystem::create_directories(home / "bin");
    std::ofstream(home / "bin" / "flink") << "#!/bin/sh\n";
    store::upsert_flink(database, "flink-1.20", {home.string(), "1.20.5"}, 0);
    job.name = "orders";
    job.cluster_name = "local";
    job.cluster = {.type = core::ClusterType::remote,
                   .url = "http://jm:8081",
                   .flink = "flink-1.20",
                   .submit = core::SubmitDriver::cli};
    job.cluster.flink_configuration = {{"execution.checkpointing.interval", "1s"}};
    transport.answer("GET", "http://jm:8081/config", 200, R"({"flink-version":"1.20.5"})");
  }

  Result<Submission> submit(const flink::RunRequest& run = {}) {
    auto submitter = make_submitter(context, job);
    if (!submitter) return std::unexpected(submitter.error());
    return (*submitter)->submit(job, release, run);
  }
};

} // namespace

TEST_CASE("the CLI driver runs bin/flink of the cluster's Flink and reads the job id", "[ops][cli]") {
  Fixture fixture;
  fixture.runner.output = "Job has been submitted with JobID 962343e5bdc433465d99a8ca1792bcc2\n";
  flink::RunRequest run;
  run.savepoint_path = "file:/sp/savepoint-1";
  run.entry_class = "sp.example.StatefulCountJob";
  run.args = {"--name", "orders"};
  auto submission = fixture.submit(run);
  REQUIRE(submission.has_value());
  CHECK(submission->flink_job_id == "962343e5bdc433465d99a8ca1792bcc2");
  CHECK(submission->rest_url == "http://jm:8081");
  CHECK_FALSE(submission->jar_reused);
  REQUIRE(fixture.runner.requests.size() == 1);
  const auto& argv = fixture.runner.requests[0].argv;
  const auto home = (fixture.dir / "flink-1.20.5").string();
  CHECK(argv == std::vector<std::string>{
                    home + "/bin/flink", "run", "-t", "remote", "-d", "-Dexecution.checkpointing.interval=1s",
                    "-Drest.address=jm", "-Drest.port=8081", "-s", "file:/sp/savepoint-1", "--claimMode",
                    "NO_CLAIM", "-c", "sp.example.StatefulCountJob", "/store/app.jar", "--name", "orders"});
  CHECK(fixture.runner.requests[0].timeout.count() > 0);
}

TEST_CASE("the CLI driver's failures and refusals", "[ops][cli]") {
  Fixture fixture;
  SECTION("bin/flink fails: exit 6 with Flink's root cause and the last lines") {
    fixture.runner.result.exit_code = 1;
    fixture.runner.output =
        "The program finished with the following exception:\n\nx.ProgramInvocationException: "
        "The main method caused an error: boom\n\tat a.b(C.java:1)\n"
        "Caused by: java.lang.IllegalStateException: boom at start\n\t... 9 more\n";
    auto submission = fixture.submit();
    REQUIRE_FALSE(submission.has_value());
    CHECK(submission.error().kind() == ErrorKind::external);
    CHECK(submission.error().why() ==
          "bin/flink exited with code 1: java.lang.IllegalStateException: boom at start\nits last lines:\n"
          "  The program finished with the following exception:\n"
          "  x.ProgramInvocationException: The main method caused an error: boom\n"
          "  Caused by: java.lang.IllegalStateException: boom at start");
  }
  SECTION("bin/flink succeeds without a job id: exit 6") {
    fixture.runner.output = "something else\n";
    auto submission = fixture.submit();
    REQUIRE_FALSE(submission.has_value());
    CHECK(submission.error().kind() == ErrorKind::external);
    CHECK(submission.error().why().find("printed no job id") != std::string::npos);
  }
  SECTION("an unreachable JobManager is exit 5 before bin/flink runs") {
    fixture.transport.answers.clear();
    auto submission = fixture.submit();
    REQUIRE_FALSE(submission.has_value());
    CHECK(submission.error().kind() == ErrorKind::unreachable);
    CHECK(fixture.runner.requests.empty());
  }
  SECTION("a JobManager of another version line is refused") {
    fixture.transport.answer("GET", "http://jm:8081/config", 200, R"({"flink-version":"2.2.1"})");
    auto submission = fixture.submit();
    REQUIRE_FALSE(submission.has_value());
    CHECK(submission.error().kind() == ErrorKind::refused);
    CHECK(submission.error().why() ==
          "the JobManager at http://jm:8081 runs Flink 2.2.1 but Flink flink-1.20 is 1.20.5");
    CHECK(fixture.runner.requests.empty());
  }
  SECTION("an unregistered Flink, or one without bin/flink, is not found") {
    fixture.job.cluster.flink = "flink-9";
    CHECK(fixture.submit().error().kind() == ErrorKind::not_found);
    fixture.job.cluster.flink = "flink-1.20";
    std::filesystem::remove(fixture.dir / "flink-1.20.5" / "bin" / "flink");
    auto submission = fixture.submit();
    REQUIRE_FALSE(submission.has_value());
    CHECK(submission.error().kind() == ErrorKind::not_found);
    CHECK(submission.error().why().find("has no ") != std::string::npos);
  }
}

TEST_CASE("remote clusters submit over REST unless they ask for the CLI", "[ops][cli]") {
  Fixture fixture;
  fixture.job.cluster.submit.reset();
  auto submission = fixture.submit();
  REQUIRE_FALSE(submission.has_value()); // /store/app.jar cannot be uploaded: REST was tried, not bin/flink
  CHECK(fixture.runner.requests.empty());
  fixture.job.cluster.type = core::ClusterType::yarn_session;
  fixture.job.cluster.submit = core::SubmitDriver::cli;
  CHECK(make_submitter(fixture.context, fixture.job).error().kind() == ErrorKind::usage);
}
