#include "sp/ops/submit.hpp"
#include "sp/store/flinks.hpp"
#include "sp/store/store.hpp"

#include "support/fake_transport.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace sp;
using namespace sp::ops;

namespace {

class FakeRunner final : public build::ProcessRunner {
public:
  std::vector<build::ProcessRequest> requests;
  std::string output;
  build::ProcessResult result{.ending = build::ProcessResult::Ending::exited, .exit_code = 0};
  // While "running", keep_going is asked this many times, `tick` between asks.
  int asks = 0;
  std::function<void()> tick = [] {};

  Result<build::ProcessResult> run(const build::ProcessRequest& request) override {
    requests.push_back(request);
    if (request.on_output) request.on_output(output);
    for (int ask = 0; request.keep_going && ask < asks; ++ask, tick()) {
      if (!request.keep_going()) return build::ProcessResult{.ending = build::ProcessResult::Ending::stopped};
    }
    return result;
  }
};

struct Fixture {
  test::TempDir dir;
  store::Database database = store::open_store({dir / "home"}, store::OpenMode::create_missing).value();
  test::FakeTransport transport;
  FakeRunner runner;
  OpsContext context{.database = database,
                     .make_transport =
                         [this](const net::TransportSettings&) {
                           return std::make_unique<test::ForwardingTransport>(transport);
                         },
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
    auto submitter = make_submitter(context, job, std::chrono::minutes(2));
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
}

namespace {

constexpr const char* rm_app = "http://rm:8088/ws/v1/cluster/apps/application_1700000000000_0007";
constexpr const char* one_job =
    R"({"jobs":[{"jid":"a1b2c3d4e5f60718293a4b5c6d7e8f90","name":"orders","state":"RUNNING","start-time":1}]})";

// A yarn-application cluster whose ResourceManager reports the application RUNNING on nm-3.
void make_yarn_application(Fixture& fixture) {
  fixture.job.cluster = {.type = core::ClusterType::yarn_application, .flink = "flink-1.20"};
  fixture.job.cluster.yarn = {.resource_manager = "http://rm:8088", .queue = "root.streaming"};
  fixture.runner.output = test::read_fixture("flink-cli/1.20.5/yarn-application.txt");
  fixture.transport.answer("GET", rm_app, 200, test::read_fixture("yarn-rm/running.json"));
  fixture.transport.answer("GET", "http://nm-3.example.com:40123/jobs/overview", 200, one_job);
  fixture.transport.answer("GET", "http://rm:8088/ws/v1/cluster/info", 200,
                           R"({"clusterInfo":{"state":"STARTED"}})");
}

} // namespace

TEST_CASE("yarn-application: run-application, the application id, its JobManager from the RM, its only job",
          "[ops][cli][yarn]") {
  Fixture fixture;
  make_yarn_application(fixture);
  auto submission = fixture.submit();
  REQUIRE(submission.has_value());
  CHECK(submission->application_id == "application_1700000000000_0007");
  CHECK(submission->rest_url == "http://nm-3.example.com:40123");
  CHECK(submission->flink_job_id == "a1b2c3d4e5f60718293a4b5c6d7e8f90");
  REQUIRE(fixture.runner.requests.size() == 1);
  const auto home = (fixture.dir / "flink-1.20.5").string();
  CHECK(fixture.runner.requests[0].argv ==
        std::vector<std::string>{home + "/bin/flink", "run-application", "-t", "yarn-application", "-d",
                                 "-Dyarn.application.name=orders", "-Dyarn.application.queue=root.streaming",
                                 "/store/app.jar"});
  // No JobManager existed before bin/flink: nothing was asked of one but the new one's job list.
  for (const auto& request : fixture.transport.requests)
    CHECK(request.url.find("/config") == std::string::npos);
}

TEST_CASE("yarn-application: what goes wrong after bin/flink ran", "[ops][cli][yarn]") {
  Fixture fixture;
  make_yarn_application(fixture);
  std::int64_t now = 1000;
  fixture.context.clock = {[&now] { return now; }, [&now](std::chrono::milliseconds d) { now += d.count(); }};
  SECTION("the output names no application: exit 6 quoting it") {
    fixture.runner.output =
        "2026-11-22 02:10:01,845 INFO  org.apache.hadoop.yarn.client.RMProxy [] - Connecting\n";
    auto submission = fixture.submit();
    REQUIRE_FALSE(submission.has_value());
    CHECK(submission.error().kind() == ErrorKind::external);
    CHECK(submission.error().why().find("printed no YARN application id") != std::string::npos);
  }
  SECTION("the ResourceManager does not answer: exit 5 at once, naming the deployed application") {
    fixture.transport.answers.erase(std::string("GET ") + rm_app);
    auto submission = fixture.submit();
    REQUIRE_FALSE(submission.has_value());
    CHECK(submission.error().kind() == ErrorKind::unreachable);
    CHECK(submission.error().why().find("the ResourceManager at http://rm:8088 does not answer") !=
          std::string::npos);
    CHECK(submission.error().hint().find("application_1700000000000_0007") != std::string::npos);
    CHECK(now == 1000);
  }
  SECTION("an application YARN keeps in ACCEPTED: exit 5 after the discovery wait") {
    fixture.transport.answer("GET", rm_app, 200, test::read_fixture("yarn-rm/accepted.json"));
    auto submission = fixture.submit();
    REQUIRE_FALSE(submission.has_value());
    CHECK(submission.error().kind() == ErrorKind::unreachable);
    CHECK(now - 1000 >= 3 * 60'000);
  }
  SECTION("a ResourceManager that does not answer: exit 5 before bin/flink, which would wait for it") {
    fixture.transport.answers.clear();
    auto submission = fixture.submit();
    REQUIRE_FALSE(submission.has_value());
    CHECK(submission.error().kind() == ErrorKind::unreachable);
    CHECK(submission.error().why().find("the ResourceManager at http://rm:8088 does not answer") !=
          std::string::npos);
    CHECK(fixture.runner.requests.empty());
  }
  SECTION("bin/flink waiting on an application YARN keeps ACCEPTED: said, then ended after the wait") {
    fixture.transport.answer("GET", rm_app, 200, test::read_fixture("yarn-rm/accepted.json"));
    std::vector<std::string> said;
    fixture.context.progress = [&](const std::string& line) { said.push_back(line); };
    fixture.runner.asks = 5000;
    fixture.runner.tick = [&] { now += 100; };
    auto submission = fixture.submit();
    REQUIRE_FALSE(submission.has_value());
    CHECK(submission.error().kind() == ErrorKind::unreachable);
    const std::string waiting = "YARN application application_1700000000000_0007 is ACCEPTED: [Wed Nov 22 "
                                "02:00:00 +0000 2023] Scheduler has assigned a container for AM, waiting "
                                "for AM container to be launched";
    // Flink's deployment hook did not kill it (here): the operator is told to.
    CHECK(submission.error().why() ==
          waiting + " for 2m; bin/flink was ended and the application is now ACCEPTED");
    CHECK(submission.error().hint().find("yarn application -kill application_1700000000000_0007") !=
          std::string::npos);
    // Said once, not at every ask; asked of the RM every 5 s, not at every tick.
    CHECK(std::ranges::count(said, waiting) == 1);
    CHECK(fixture.transport.requests.size() < 40);
    CHECK(now - 1000 >= 2 * 60'000);
    CHECK(now - 1000 < 3 * 60'000);
  }
  SECTION("the application failed: exit 6 with YARN's diagnostics") {
    fixture.transport.answer("GET", rm_app, 200, test::read_fixture("yarn-rm/failed.json"));
    auto submission = fixture.submit();
    REQUIRE_FALSE(submission.has_value());
    CHECK(submission.error().kind() == ErrorKind::external);
    CHECK(submission.error().why().find("the application ended: FAILED") != std::string::npos);
  }
  SECTION("the new JobManager never lists a job: exit 5") {
    fixture.transport.answer("GET", "http://nm-3.example.com:40123/jobs/overview", 200, R"({"jobs":[]})");
    auto submission = fixture.submit();
    REQUIRE_FALSE(submission.has_value());
    CHECK(submission.error().kind() == ErrorKind::unreachable);
    CHECK(submission.error().why().find("it lists no job") != std::string::npos);
  }
}

TEST_CASE("yarn-session: the session's JobManager from the RM, checked, then -t yarn-session",
          "[ops][cli][yarn]") {
  Fixture fixture;
  fixture.job.cluster = {
      .type = core::ClusterType::yarn_session, .flink = "flink-1.20", .submit = core::SubmitDriver::cli};
  fixture.job.cluster.yarn = {.resource_manager = "http://rm:8088",
                              .application_id = "application_1700000000000_0007"};
  fixture.runner.output = test::read_fixture("flink-cli/1.20.5/yarn-session.txt");
  fixture.transport.answer("GET", rm_app, 200, test::read_fixture("yarn-rm/running.json"));
  fixture.transport.answer("GET", "http://nm-3.example.com:40123/config", 200,
                           R"({"flink-version":"1.20.5"})");
  auto submission = fixture.submit();
  REQUIRE(submission.has_value());
  CHECK(submission->flink_job_id == "5f0c3b1f7d0a4c5e9a3c2b1d0e9f8a7b");
  CHECK(submission->application_id == "application_1700000000000_0007");
  CHECK(submission->rest_url == "http://nm-3.example.com:40123");
  const auto& argv = fixture.runner.requests.at(0).argv;
  CHECK(std::vector<std::string>(argv.begin() + 1, argv.end()) ==
        std::vector<std::string>{"run", "-t", "yarn-session", "-d",
                                 "-Dyarn.application.id=application_1700000000000_0007", "/store/app.jar"});
}

TEST_CASE("kubernetes-application: the cluster id sp chose, and its rest service", "[ops][cli][kubernetes]") {
  Fixture fixture;
  fixture.job.name = "orders-enrich";
  fixture.job.cluster = {.type = core::ClusterType::kubernetes_application, .flink = "flink-1.20"};
  fixture.job.cluster.kubernetes.name_space = "streaming";
  fixture.runner.output = test::read_fixture("flink-cli/1.20.5/kubernetes-application.txt");
  fixture.transport.answer("GET", "http://orders-enrich-rest.streaming:8081/jobs/overview", 200, one_job);
  auto submission = fixture.submit();
  REQUIRE(submission.has_value());
  CHECK(submission->application_id == "orders-enrich");
  CHECK(submission->rest_url == "http://orders-enrich-rest.streaming:8081");
  CHECK(submission->flink_job_id == "a1b2c3d4e5f60718293a4b5c6d7e8f90");
  const auto& argv = fixture.runner.requests.at(0).argv;
  CHECK(std::vector<std::string>(argv.begin() + 1, argv.end()) ==
        std::vector<std::string>{"run-application", "-t", "kubernetes-application", "-d",
                                 "-Dkubernetes.cluster-id=orders-enrich", "-Dkubernetes.namespace=streaming",
                                 "/store/app.jar"});
}
