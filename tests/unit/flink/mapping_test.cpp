#include "sp/flink/mapping.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace sp::flink;

namespace {

std::string fixture(const std::string& version, const std::string& name) {
  const auto path = std::filesystem::path(SP_FIXTURES_DIR) / ("flink-" + version) / name;
  std::ifstream in(path);
  REQUIRE(in.good());
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

} // namespace

TEST_CASE("versions parse and pick the REST dialect of SPEC section 9", "[flink][mapping]") {
  CHECK(parse_version("1.20.5").value() == FlinkVersion{1, 20, 5});
  CHECK(parse_version("2.2.1").value() == FlinkVersion{2, 2, 1});
  CHECK(parse_version("1.19-SNAPSHOT").value() == FlinkVersion{1, 19, 0});
  CHECK_FALSE(parse_version("banana").has_value());
  CHECK(dialect_for({1, 14, 6}) == RunDialect::no_restore_mode);
  CHECK(dialect_for({1, 15, 0}) == RunDialect::restore_mode);
  CHECK(dialect_for({1, 19, 3}) == RunDialect::restore_mode);
  CHECK(dialect_for({1, 20, 0}) == RunDialect::claim_mode);
  CHECK(dialect_for({2, 2, 1}) == RunDialect::claim_mode);
}

TEST_CASE("run bodies: programArgsList always, the restore field by dialect", "[flink][mapping]") {
  RunRequest request;
  request.entry_class = "sp.example.StatefulCountJob";
  request.args = {"--name", "a b", "${literal}"};
  request.parallelism = 2;
  auto fresh = nlohmann::json::parse(run_request_body(request, RunDialect::claim_mode));
  CHECK(fresh["programArgsList"] == nlohmann::json({"--name", "a b", "${literal}"}));
  CHECK_FALSE(fresh.contains("savepointPath"));
  CHECK_FALSE(fresh.contains("claimMode"));

  request.savepoint_path = "file:/sp/savepoint-1";
  request.allow_non_restored_state = true;
  auto claim = nlohmann::json::parse(run_request_body(request, RunDialect::claim_mode));
  CHECK(claim["savepointPath"] == "file:/sp/savepoint-1");
  CHECK(claim["claimMode"] == "NO_CLAIM");
  CHECK(claim["allowNonRestoredState"] == true);
  CHECK_FALSE(claim.contains("restoreMode"));

  auto restore = nlohmann::json::parse(run_request_body(request, RunDialect::restore_mode));
  CHECK(restore["restoreMode"] == "NO_CLAIM");
  CHECK_FALSE(restore.contains("claimMode"));

  auto old = nlohmann::json::parse(run_request_body(request, RunDialect::no_restore_mode));
  CHECK_FALSE(old.contains("restoreMode"));
  CHECK_FALSE(old.contains("claimMode"));
  CHECK(old["programArgsList"].size() == 3);
}

TEST_CASE("malformed and unexpected bodies are errors, never crashes", "[flink][mapping]") {
  for (std::string body :
       {"", "{", "[]", "null", "{\"jobs\": 3}", "{\"jobs\": [{\"jid\": 1}]}", "<html>502</html>"}) {
    CAPTURE(body);
    CHECK_FALSE(parse_jobs_overview(body).has_value());
  }
  CHECK_FALSE(parse_checkpoints("{\"latest\": {\"completed\": {\"id\": \"x\"}}}").has_value());
  CHECK_FALSE(parse_operation_status("{\"status\": {}}").has_value());
  CHECK_FALSE(parse_config_version("{\"refresh-interval\": 3000}").has_value());
  CHECK(error_summary("<html>bad gateway</html>") == "<html>bad gateway</html>");
  CHECK(error_summary("") == "(empty answer)");
}

TEST_CASE("an answer sp cannot use is external, naming the request and the problem in words",
          "[flink][mapping]") {
  // What was asked, what came back, and the words the error must hold.
  struct Case {
    std::string request;
    sp::Result<int> outcome;
    std::string detail;
  };
  const auto kept = [](const auto& result) -> sp::Result<int> {
    if (result) return 0;
    return std::unexpected(result.error());
  };
  const std::vector<Case> cases{
      {"GET /jobs/overview", kept(parse_jobs_overview(R"({"jobs": [{"jid": 1)")), "it is not valid JSON"},
      {"GET /jobs/overview", kept(parse_jobs_overview("[]")), "expected a JSON object"},
      {"GET /jobs/overview", kept(parse_jobs_overview(R"({"jobs": 3})")),
       "a field has another type than Flink's"},
      {"GET /jobs/overview", kept(parse_jobs_overview(R"({"other": []})")), "no jobs list"},
      {"GET /jobs/:id/checkpoints", kept(parse_checkpoints(R"({"counts": {"failed": "x"}})")),
       "a field has another type than Flink's"},
      {"GET /config", kept(parse_config_version(R"({"refresh-interval": 3000})")), "no flink-version in it"},
      {"GET /config", kept(parse_config_version(R"({"flink-version": "banana"})")), "is not a version"},
      {"GET /jobs/:id/savepoints/:triggerid", kept(parse_operation_status(R"({"status": {}})")), "id"},
      {"GET /jobmanager/config", kept(parse_jobmanager_config(R"({})")), "expected a JSON array"},
      {"GET /jobs/:id/checkpoints/config", kept(parse_checkpoint_config("<html>502</html>")),
       "not valid JSON"},
      {"POST /jars/upload", kept(parse_uploaded_jar_id(R"({"status": "success", "filename": 3})")),
       "filename is not a string"},
  };
  for (const auto& [request, outcome, detail] : cases) {
    CAPTURE(request, detail);
    REQUIRE_FALSE(outcome.has_value());
    CHECK(outcome.error().kind() == sp::ErrorKind::external);
    CHECK(outcome.error().doing() == "reading " + request);
    CHECK(outcome.error().why().starts_with("the JobManager's answer is not the JSON Flink sends: "));
    CHECK(outcome.error().why().find(detail) != std::string::npos);
    CHECK(outcome.error().why().find("requested type") == std::string::npos);  // not simdjson's words
    CHECK(outcome.error().why().find("[json.exception") == std::string::npos); // nor nlohmann's tag
  }
  // A stack trace of the wrong type is no root cause, and no crash either.
  CHECK(parse_root_cause(R"({"exceptionHistory": {"entries": [{"stacktrace": 3}]}})").value() ==
        "no exception recorded");
}

TEST_CASE("recorded responses map the same way on 1.20 and 2.x", "[flink][mapping][fixtures]") {
  for (const std::string version : {"1.20.5", "2.2.1"}) {
    CAPTURE(version);
    const auto expected_version = parse_version(version).value();
    CHECK(parse_config_version(fixture(version, "config.json")).value() == expected_version);

    auto running = parse_jobs_overview(fixture(version, "jobs-overview-running.json")).value();
    REQUIRE(running.size() == 1);
    CHECK(running[0].state == "RUNNING");
    CHECK(running[0].id.size() == 32);
    CHECK_FALSE(running[0].end_time_ms.has_value());

    auto mixed = parse_jobs_overview(fixture(version, "jobs-overview-mixed.json")).value();
    CHECK(mixed.size() >= 2);
    for (const auto& job : mixed) {
      if (is_globally_terminal(job.state)) CHECK(job.end_time_ms.has_value());
    }

    auto checkpoints = parse_checkpoints(fixture(version, "job-checkpoints-running.json")).value();
    CHECK(checkpoints.counts.completed >= 2);
    REQUIRE(checkpoints.latest_completed);
    CHECK(checkpoints.latest_completed->external_path.value().starts_with("file:"));
    CHECK(checkpoints.latest_completed->completion_time_ms.value() >=
          checkpoints.latest_completed->trigger_time_ms);
    CHECK_FALSE(checkpoints.restored.has_value());

    auto restored = parse_checkpoints(fixture(version, "job-checkpoints-restored.json")).value();
    REQUIRE(restored.restored);
    CHECK(restored.restored->is_savepoint);
    CHECK(restored.restored->external_path.value().find("/savepoints/savepoint-") != std::string::npos);

    auto config = parse_checkpoint_config(fixture(version, "job-checkpoints-config.json")).value();
    CHECK(config.enabled);
    CHECK(config.interval_ms == 1000);
    CHECK(config.retained_on_cancellation);

    CHECK(parse_trigger_id(fixture(version, "savepoint-trigger.json")).value().size() == 32);
    CHECK(parse_operation_status(fixture(version, "savepoint-status-in-progress.json")).value().state ==
          OperationStatus::State::in_progress);
    auto completed = parse_operation_status(fixture(version, "savepoint-status-completed.json")).value();
    CHECK(completed.state == OperationStatus::State::completed);
    CHECK(completed.location.value().find("savepoint-") != std::string::npos);
    auto stopped = parse_operation_status(fixture(version, "stop-status-completed.json")).value();
    CHECK(stopped.state == OperationStatus::State::completed);
    auto failed =
        parse_operation_status(fixture(version, "error-savepoint-finished-job-status.json")).value();
    CHECK(failed.state == OperationStatus::State::failed);
    CHECK(failed.failure_cause.value().find("Could not find Flink job") != std::string::npos);

    auto jar_id = parse_uploaded_jar_id(fixture(version, "jars-upload.json")).value();
    CHECK(jar_id.ends_with(".jar"));
    CHECK(jar_id.find('/') == std::string::npos);
    auto jars = parse_jars(fixture(version, "jars.json")).value();
    REQUIRE_FALSE(jars.empty());
    CHECK(jars[0].id == jar_id);

    CHECK(parse_run_job_id(fixture(version, "jar-run.json")).value().size() == 32);
    CHECK(parse_root_cause(fixture(version, "job-exceptions-failed.json")).value() ==
          "java.lang.IllegalStateException: sp-example-job: failing on purpose after 40 records "
          "(--fail-after)");
    CHECK(error_summary(fixture(version, "error-run-fail-at-start.json")) ==
          "java.lang.IllegalStateException: sp-example-job: failing at start on purpose (--fail-at-start)");
    CHECK(error_summary(fixture(version, "error-job-not-found.json")).find("Could not find Flink job") !=
          std::string::npos);
  }
}

TEST_CASE("a stopped job's history lists its stop-savepoint with its checkpoint id",
          "[flink][mapping][fixtures]") {
  auto stats = parse_checkpoints(fixture("1.20.5", "job-checkpoints-stopped.json")).value();
  REQUIRE_FALSE(stats.history.empty());
  CHECK(stats.history.front().is_savepoint);
  CHECK(stats.history.front().id == 5);
  CHECK(stats.history.front().external_path.value().find("/savepoints/savepoint-") != std::string::npos);
  REQUIRE(stats.latest_savepoint);
  CHECK(stats.latest_savepoint->id == 5);
}

TEST_CASE("the SQL runner's message names the statement and keeps the deepest cause",
          "[flink][mapping][sql]") {
  const std::string trace =
      "org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: "
      "sp-sql-runner: statement at line 27, column 1 (insert): Unable to create a sink for writing table "
      "'t'.\n"
      "\nTable options are:\n\n'connector'='blackhole-nowhere'\n\tat sp.sqlrunner.SqlRunner.main\n"
      "Caused by: org.apache.flink.table.api.ValidationException: Cannot discover a connector using option: "
      "'connector'='blackhole-nowhere'\n"
      "Caused by: org.apache.flink.table.api.ValidationException: Could not find any factory for identifier "
      "'blackhole-nowhere' that implements 'org.apache.flink.table.factories.DynamicTableFactory'.\n\tat x\n";
  const auto line = sql_runner_error(trace);
  REQUIRE(line);
  CHECK_THAT(*line,
             Catch::StartsWith("sp-sql-runner: statement at line 27, column 1 (insert): Unable to create"));
  CHECK_THAT(*line, Catch::EndsWith("'org.apache.flink.table.factories.DynamicTableFactory'."));
  CHECK(line->find('\n') == std::string::npos);
  CHECK_FALSE(sql_runner_error("java.lang.RuntimeException: boom\n\tat x").has_value());

  const std::string body = nlohmann::json({{"errors", {"Internal server error.", trace}}}).dump();
  CHECK_THAT(error_summary(body), Catch::Contains("; sp-sql-runner: statement at line 27"));
  // A cause the first line does not hold is added after it.
  CHECK(
      *sql_runner_error("sp-sql-runner: statement at line 1, column 1 (create): boom\nCaused by: x: boom") ==
      "sp-sql-runner: statement at line 1, column 1 (create): boom: x: boom");
}

TEST_CASE("the exception history of both lines names the failing task, its TaskManager and the root cause",
          "[flink][mapping][exceptions]") {
  for (const std::string version : {"1.20.5", "2.2.1"}) {
    CAPTURE(version);
    auto history = parse_exception_history(fixture(version, "job-exceptions-failed.json")).value();
    REQUIRE(history.entries.size() == 1);
    const auto& entry = history.entries.front();
    // The recorded job failed for good: a global "Recovery is suppressed" wrapping the task's failure.
    CHECK(entry.exception_name == "org.apache.flink.runtime.JobException");
    CHECK_FALSE(entry.task_name);
    CHECK(entry.timestamp_ms > 1'700'000'000'000);
    CHECK(entry.cause.starts_with("java.lang.IllegalStateException: sp-example-job: f"));
    REQUIRE(entry.concurrent.size() == 1);
    const auto task = task_failure_of(entry);
    CHECK(task.task_name == entry.concurrent.front().task_name);
    REQUIRE(task.task_name);
    CHECK(task.task_name->starts_with("count-per-key -> print: Writer (1/1)"));
    REQUIRE(task.endpoint);
    CHECK(task.endpoint->starts_with("localhost:"));
    REQUIRE(task.task_manager_id);
    CHECK(task.task_manager_id->starts_with("127.0.0.1:"));
  }
}

TEST_CASE("an exception history that is missing, empty or malformed", "[flink][mapping][exceptions]") {
  CHECK(parse_exception_history(R"({"root-exception":null})").value().entries.empty());
  CHECK(parse_exception_history(R"({"exceptionHistory":{"entries":[],"truncated":true}})").value().truncated);
  auto global =
      parse_exception_history(
          R"({"exceptionHistory":{"entries":[{"exceptionName":"x.Y","stacktrace":"x.Y: top\n\tat a\nCaused by: z.W: deep\n\tat b","timestamp":5}]}})")
          .value();
  CHECK(global.entries.front().cause == "z.W: deep");
  CHECK(task_failure_of(global.entries.front()).cause == "z.W: deep");
  for (const char* bad : {"{\"exceptionHistory\": {\"entries\": 3}}", "[1]", "{\"exceptionHistory\": {"}) {
    CAPTURE(bad);
    auto parsed = parse_exception_history(bad);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().kind() == sp::ErrorKind::external);
  }
}
