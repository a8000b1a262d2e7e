// A SQL job's release and start against a scripted JobManager and a real
// database: the release pins the runner (with its sha256) and the script as
// written, never its secrets; a new release passes Flink's planner first; the
// start sends the runner's main class and the script the release pinned.
#include "sp/core/substitution.hpp"
#include "sp/ops/release.hpp"
#include "sp/ops/sql_job.hpp"
#include "sp/ops/start.hpp"
#include "sp/store/environments.hpp"
#include "sp/store/jobs.hpp"
#include "sp/store/runs.hpp"
#include "sp/store/store.hpp"
#include "sp/util/encoding.hpp"
#include "sp/util/sha256.hpp"

#include "support/fake_transport.hpp"
#include "support/scripted_context.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace sp;

namespace {

constexpr const char* jm = "http://jm:8081";
constexpr const char* script =
    "SET 'table.local-time-zone' = 'UTC';\n"
    "CREATE TEMPORARY TABLE s (n INT) WITH ('connector' = 'datagen', 'password' = '${db.password}');\n"
    "INSERT INTO k SELECT n FROM s;\n";

// The base64 alphabet's inverse, for reading back what sp sends.
std::string unbase64(const std::string& text) {
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int bits = 0;
  std::uint32_t buffer = 0;
  for (const char c : text) {
    if (c == '=') break;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(alphabet.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

struct Fixture {
  test::TempDir dir;
  store::Database database = store::open_store({dir.path()}, store::OpenMode::create_missing).value();
  test::FakeTransport flink;
  std::int64_t now = 1'000'000;
  ops::OpsContext context = test::scripted_context(database, flink, now);
  ops::JobTarget job;

  Fixture() {
    std::filesystem::create_directories(dir / "runner");
    std::ofstream(dir / "runner" / "sp-sql-runner-flink-1.20.jar") << "runner bytes";
    context.sql_runner_dirs = {dir / "missing", dir / "runner"};
    const auto environment = store::ensure_environment(database, "dev", 0).first;
    core::JobSpec spec;
    spec.cluster = "local";
    spec.sql = core::JobSql{.inline_text = script};
    job.job_id = store::upsert_job(database, environment, "totals", {}, spec, 0).second;
    job.name = "totals";
    job.environment = "dev";
    job.spec = spec;
    job.cluster_name = "local";
    job.cluster.url = jm;
    job.substitution.environment = "dev";
    job.substitution.variables["db.password"] = {"hunter2", true};
    flink.answer("GET", std::string(jm) + "/config", 200, R"({"flink-version":"1.20.5"})");
    flink.answer("POST", std::string(jm) + "/jars/upload", 200,
                 R"({"filename":"/tmp/flink-web/abc_sp-sql-runner-flink-1.20.jar","status":"success"})");
    flink.answer("POST", std::string(jm) + "/jars/abc_sp-sql-runner-flink-1.20.jar/plan", 200,
                 R"({"plan":{}})");
    flink.answer("DELETE", std::string(jm) + "/jars/abc_sp-sql-runner-flink-1.20.jar", 200, "{}");
  }

  Result<ops::ReleaseOutcome> release() {
    return ops::ensure_release(context, job, "{}", "{}", std::nullopt, false);
  }

  // Answers a start: no jobs yet, no jars; the run request's body lands in
  // `run_body` and its job then shows as RUNNING.
  void serve_runs(std::string& run_body) {
    flink.answer("GET", std::string(jm) + "/jobs/overview", 200, R"({"jobs":[]})");
    flink.answer("GET", std::string(jm) + "/jars", 200, R"({"files":[]})");
    flink.on_request = [this, &run_body](const net::HttpRequest& request) {
      if (request.method != "POST" || !request.url.ends_with("/run")) return;
      run_body = request.body;
      const auto id = nlohmann::json::parse(request.body)["jobId"].get<std::string>();
      flink.answer("GET", std::string(jm) + "/jobs/overview", 200,
                   R"({"jobs":[{"jid":")" + id +
                       R"(","name":"totals","state":"RUNNING","start-time":1,"end-time":-1}]})");
      flink.answer("POST", request.url, 200, R"({"jobid":")" + id + R"("})");
    };
    flink.answer("POST", std::string(jm) + "/jars/abc_sp-sql-runner-flink-1.20.jar/run", 200, "{}");
  }

  static ops::StartOptions fresh_start() {
    ops::StartOptions options;
    options.mode = core::RestoreMode::none;
    options.force = true;
    return options;
  }

  std::size_t count(const std::string& method, const std::string& suffix) const {
    return static_cast<std::size_t>(std::ranges::count_if(flink.requests, [&](const net::HttpRequest& r) {
      return r.method == method && r.url.ends_with(suffix);
    }));
  }
};

} // namespace

TEST_CASE("a SQL job's release pins the runner and the script as written, after the planner", "[ops][sql]") {
  Fixture f;
  auto outcome = f.release();
  REQUIRE(outcome);
  CHECK(outcome->created);
  const auto& release = outcome->release;
  CHECK(release.artifact_path == (f.dir / "runner" / "sp-sql-runner-flink-1.20.jar").string());
  CHECK(release.artifact_sha256 == util::sha256_hex("runner bytes"));
  REQUIRE(release.sql_template);
  CHECK(*release.sql_template == script); // ${db.password}, not its value
  CHECK(release.sql_digest == util::sha256_hex(std::string(script).replace(
                                  std::string(script).find("${db.password}"), 14, "hunter2")));
  CHECK(f.count("POST", "/plan") == 1);
  CHECK(f.count("DELETE", ".jar") == 1);

  SECTION("the same script again: the same release, no second planner run") {
    auto again = f.release();
    REQUIRE(again);
    CHECK_FALSE(again->created);
    CHECK(again->release.id == release.id);
    CHECK(f.count("POST", "/plan") == 1);
  }
  SECTION("a changed value of a variable the script uses: a new release") {
    f.job.substitution.variables["db.password"] = {"changed", true};
    auto again = f.release();
    REQUIRE(again);
    CHECK(again->created);
  }
}

TEST_CASE("a script the planner refuses is not released, and Flink's message names the statement",
          "[ops][sql]") {
  Fixture f;
  f.flink.answer("POST", std::string(jm) + "/jars/abc_sp-sql-runner-flink-1.20.jar/plan", 400,
                 R"({"errors":["org.apache.flink.client.program.ProgramInvocationException: main failed\n)"
                 R"(Caused by: sp.sqlrunner.RunnerException: sp-sql-runner: statement at line 2, column 1 )"
                 R"((create): Could not find any factory for identifier 'datagenn'\n\tat x\n)"
                 R"(Caused by: org.apache.flink.table.api.ValidationException: deep"]})");
  auto outcome = f.release();
  REQUIRE_FALSE(outcome);
  CHECK(outcome.error().kind() == ErrorKind::external);
  CHECK_THAT(outcome.error().what(), Catch::Contains("statement at line 2, column 1"));
  CHECK_THAT(outcome.error().what(), Catch::Contains("datagenn"));
  CHECK_FALSE(store::latest_release(f.database, f.job.job_id));
}

TEST_CASE("SQL release errors: bad script, undefined variables, no runner, JobManager down", "[ops][sql]") {
  Fixture f;
  SECTION("a SELECT is refused with its line before Flink is asked") {
    f.job.spec.sql->inline_text = "CREATE TEMPORARY TABLE s (n INT);\nSELECT * FROM s;\n";
    auto outcome = f.release();
    REQUIRE_FALSE(outcome);
    CHECK(outcome.error().kind() == ErrorKind::usage);
    CHECK_THAT(outcome.error().what(), Catch::Contains(":2:1"));
    CHECK(f.flink.requests.empty());
  }
  SECTION("every undefined variable at once") {
    f.job.spec.sql->inline_text = "INSERT INTO ${sink} SELECT '${a}', '${b}';";
    auto outcome = f.release();
    REQUIRE_FALSE(outcome);
    CHECK(outcome.error().kind() == ErrorKind::refused);
    for (const char* name : {"sink", "a", "b"}) CHECK_THAT(outcome.error().what(), Catch::Contains(name));
  }
  SECTION("no runner jar for the cluster's line: not found, naming where sp looked") {
    f.flink.answer("GET", std::string(jm) + "/config", 200, R"({"flink-version":"2.2.1"})");
    auto outcome = f.release();
    REQUIRE_FALSE(outcome);
    CHECK(outcome.error().kind() == ErrorKind::not_found);
    CHECK_THAT(outcome.error().what(), Catch::Contains("sp-sql-runner-flink-2.2.jar"));
    CHECK_THAT(outcome.error().what(), Catch::Contains((f.dir / "runner").string()));
  }
  SECTION("a JobManager that does not answer: cannot tell the line, exit 5") {
    f.flink.answers.clear();
    auto outcome = f.release();
    REQUIRE_FALSE(outcome);
    CHECK(outcome.error().kind() == ErrorKind::unreachable);
  }
  SECTION("a missing file: not found") {
    f.job.spec.sql = core::JobSql{.file = (f.dir / "nope.sql").string()};
    auto outcome = f.release();
    REQUIRE_FALSE(outcome);
    CHECK(outcome.error().kind() == ErrorKind::not_found);
    CHECK_THAT(outcome.error().what(), Catch::Contains("nope.sql"));
  }
}

TEST_CASE("a SQL job starts as the runner's main with the release's script, secrets resolved", "[ops][sql]") {
  Fixture f;
  auto outcome = f.release();
  REQUIRE(outcome);
  std::string run_body;
  f.serve_runs(run_body);
  const auto options = Fixture::fresh_start();
  auto started = ops::start_job(f.context, f.job, outcome->release, options);
  REQUIRE(started);
  const auto body = nlohmann::json::parse(run_body);
  CHECK(body["entryClass"] == "sp.sqlrunner.SqlRunner");
  REQUIRE(body["programArgsList"].size() == 2);
  CHECK(body["programArgsList"][0] == "--script");
  const auto json =
      nlohmann::json::parse(util::gunzip(unbase64(body["programArgsList"][1].get<std::string>())));
  CHECK(json["version"] == 1);
  CHECK(json["name"] == "totals");
  REQUIRE(json["statements"].size() == 3);
  CHECK(json["statements"][0]["kind"] == "set");
  CHECK(json["statements"][0]["key"] == "table.local-time-zone");
  CHECK(json["statements"][0]["value"] == "UTC");
  CHECK(json["statements"][1]["kind"] == "create");
  CHECK_THAT(json["statements"][1]["sql"].get<std::string>(), Catch::Contains("'hunter2'"));
  CHECK(json["statements"][2]["kind"] == "insert");
  CHECK(json["statements"][2]["line"] == 3);

  SECTION("variables changed since the release: refused, nothing submitted") {
    f.job.substitution.variables["db.password"] = {"changed", true};
    run_body.clear();
    auto again = ops::start_job(f.context, f.job, outcome->release, options);
    REQUIRE_FALSE(again);
    CHECK(again.error().kind() == ErrorKind::refused);
    CHECK(run_body.empty());
  }
}

namespace {

std::string compiled(const std::string& key_type, const std::string& filter) {
  return R"J({"flinkVersion":"1.20","nodes":[)J"
         R"J({"id":1,"type":"stream-exec-calc_1","outputType":"ROW<)J" +
         key_type + R"J(>","description":"Calc()J" + filter +
         R"J()"},)J"
         R"J({"id":2,"type":"stream-exec-group-aggregate_1","grouping":[0],"state":[{"index":0,"name":"groupAggregateState"}],)J"
         R"J("outputType":"ROW<)J" +
         key_type + R"J(>"}],"edges":[{"source":1,"target":2}]})J";
}

} // namespace

TEST_CASE("check_upgrade compares the plans of the point's release and this one", "[ops][sql]") {
  Fixture f;
  store::ReleaseRow old_release{0,
                                f.job.job_id,
                                std::nullopt,
                                "/r.jar",
                                "sha",
                                "{}",
                                "fp",
                                std::nullopt,
                                0,
                                std::string("INSERT ..."),
                                std::string("d1"),
                                compiled("k INT", "a > 5")};
  old_release.id = store::insert_release(f.database, old_release);
  const auto run = store::insert_run(f.database, {.job_id = f.job.job_id,
                                                  .release_id = old_release.id,
                                                  .flink_job_id = "aaaa",
                                                  .rest_url = jm,
                                                  .state = "CANCELED",
                                                  .started_at = 1});
  core::KnownPoint point;
  point.id = 1;
  point.run_id = run;
  point.path = "file:/chk/aaaa/chk-3";
  store::ReleaseRow new_release = old_release;
  new_release.compiled_plan = compiled("k INT", "a > 10");
  new_release.id = store::insert_release(f.database, new_release);

  auto stateless = ops::check_upgrade(f.context, new_release, point);
  REQUIRE(stateless);
  CHECK(stateless->from_release == old_release.id);
  REQUIRE(stateless->comparison);
  CHECK(stateless->comparison->change == core::PlanChange::stateless);

  new_release.compiled_plan = compiled("region STRING", "a > 5");
  auto breaking = ops::check_upgrade(f.context, new_release, point);
  REQUIRE(breaking);
  REQUIRE(breaking->comparison);
  CHECK(breaking->comparison->change == core::PlanChange::breaking);
  CHECK_THAT(breaking->comparison->details.front(), Catch::Contains("stream-exec-group-aggregate"));

  new_release.compiled_plan.reset();
  auto missing = ops::check_upgrade(f.context, new_release, point);
  REQUIRE(missing);
  CHECK_FALSE(missing->comparison);
  CHECK_THAT(missing->note, Catch::Contains(fmt::format("release {} has no compiled plan", new_release.id)));

  CHECK_FALSE(ops::check_upgrade(f.context, old_release, point)); // its own release: nothing to compare
  CHECK_FALSE(ops::check_upgrade(f.context, new_release, std::nullopt));
}

TEST_CASE("a pinned SQL job runs the release's compiled plan, its secrets rendered back", "[ops][sql]") {
  Fixture f;
  f.job.spec.sql->plan = core::SqlPlanMode::pinned;

  SECTION("no registered distribution: no plan can be made here, so no release") {
    auto outcome = f.release();
    REQUIRE_FALSE(outcome);
    CHECK(outcome.error().kind() == ErrorKind::refused);
    CHECK_THAT(std::string(outcome.error().what()), Catch::Contains("plan: pinned needs a compiled plan"));
    CHECK(f.count("POST", "/jars/upload") == 0);
  }

  SECTION("the start sends the stored plan with the secret's value in place of its reference") {
    f.job.spec.sql->plan = core::SqlPlanMode::fresh;
    auto outcome = f.release();
    REQUIRE(outcome);
    f.job.spec.sql->plan = core::SqlPlanMode::pinned;
    store::ReleaseRow release = outcome->release;
    std::string run_body;
    f.serve_runs(run_body);
    const auto options = Fixture::fresh_start();

    release.compiled_plan.reset();
    auto without_plan = ops::start_job(f.context, f.job, release, options);
    REQUIRE_FALSE(without_plan);
    CHECK(without_plan.error().kind() == ErrorKind::refused);
    CHECK(run_body.empty());

    release.compiled_plan = R"({"options":{"password":"${db.password}","note":"$${x}"}})";
    auto started = ops::start_job(f.context, f.job, release, options);
    REQUIRE(started);
    const auto args = nlohmann::json::parse(run_body)["programArgsList"];
    REQUIRE(args.size() == 6);
    CHECK(args[2] == "--mode");
    CHECK(args[3] == "execute-plan");
    CHECK(args[4] == "--plan");
    CHECK(util::gunzip(unbase64(args[5].get<std::string>())) ==
          R"({"options":{"password":"hunter2","note":"${x}"}})");
  }
}
