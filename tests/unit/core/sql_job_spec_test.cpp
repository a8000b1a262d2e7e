// A SQL job's spec (SPEC 14): read from files and from stored JSON alike,
// checked for one script form and nothing of a jar job's, its inline script
// a template field (usages, undefined-variable warnings) that rendering
// leaves as written; the script itself is rendered by render_sql and handed
// to the runner as JSON.
#include "sp/core/apply_plan.hpp"
#include "sp/core/manifest_validation.hpp"
#include "sp/core/render.hpp"
#include "sp/core/sql_script.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace sp::core;
using sp::ErrorKind;

namespace {

const std::string prefix = R"(apiVersion: sp/v1
kind: Environment
metadata: {name: prod}
spec: {variables: {db.password: {value: s3cr3t, secret: true}}}
---
apiVersion: sp/v1
kind: Cluster
metadata: {name: c}
spec: {type: remote, url: "http://jm:8081"}
---
apiVersion: sp/v1
kind: Job
metadata: {name: totals}
spec:
  cluster: c
)";

std::vector<Manifest> parse(const std::string& job_tail) {
  auto manifests = parse_manifests(prefix + job_tail, "objects.yaml").value();
  default_environments(manifests, "prod");
  return manifests;
}

std::string validation_error(const std::string& job_tail) {
  auto result = validate_manifests(parse(job_tail), {});
  return result ? "<valid>" : result.error().what();
}

const JobSpec& job_of(const std::vector<Manifest>& manifests) {
  return std::get<JobSpec>(manifests.back().spec);
}

} // namespace

TEST_CASE("the three script forms read into JobSql and back through JSON", "[core][sql]") {
  const auto file = parse("  sql: {file: /sql/totals.sql}\n");
  REQUIRE(job_of(file).sql);
  CHECK(job_of(file).sql->file == "/sql/totals.sql");
  const auto inline_form = parse("  sql: {inline: \"INSERT INTO k SELECT 1\"}\n");
  CHECK(job_of(inline_form).sql->inline_text == "INSERT INTO k SELECT 1");
  const auto project = parse("  sql: {project: orders, build: \"12\", path: sql/totals.sql}\n");
  CHECK(job_of(project).sql->project == "orders");
  CHECK(job_of(project).sql->build == "12");
  CHECK(job_of(project).sql->path == "sql/totals.sql");
  for (const auto* manifests : {&file, &inline_form, &project}) {
    const auto json = to_json(job_of(*manifests));
    CHECK_FALSE(json.contains("artifact"));
    auto back = job_spec_from_json(nlohmann::json::parse(json.dump()));
    REQUIRE(back);
    CHECK(*back == job_of(*manifests));
  }
}

TEST_CASE("a SQL job has one script form and nothing of a jar job's", "[core][sql][validation]") {
  CHECK(validation_error("  sql: {file: /sql/totals.sql}\n") == "<valid>");
  const std::vector<std::pair<std::string, std::string>> cases{
      {"  parallelism: 1\n", "spec: give artifact (a jar job) or sql (a SQL job)"},
      {"  sql: {file: /a.sql}\n  artifact: {jar: /a.jar}\n",
       "give artifact (a jar job) or sql (a SQL job), not both"},
      {"  sql: {file: /a.sql}\n  entryClass: a.B\n", "spec.entryClass: a SQL job has no entry class"},
      {"  sql: {file: /a.sql}\n  args: [x]\n", "spec.args: a SQL job takes no program arguments"},
      {"  sql: {file: /a.sql, inline: x}\n",
       "spec.sql: give exactly one of file, inline, or project with path"},
      {"  sql: {}\n", "spec.sql: give exactly one of file, inline, or project with path"},
      {"  sql: {project: nope, path: a.sql}\n", "spec.sql.project: project nope does not exist"},
      {"  sql: {file: /a.sql, path: a.sql}\n", "spec.sql.path: path goes with project"},
      {"  sql: {inline: \"  \"}\n", "spec.sql.inline: the script is empty"},
      {"  sql: {inline: \"${unclosed\"}\n", "spec.sql.inline:"},
      {"  sql: {fil: /a.sql}\n", "spec.sql.fil: unknown field (did you mean file?)"},
  };
  for (const auto& [tail, expected] : cases) {
    INFO(tail);
    if (expected.find("unknown field") != std::string::npos) {
      auto parsed = parse_manifests(prefix + tail, "objects.yaml");
      REQUIRE_FALSE(parsed);
      CHECK_THAT(parsed.error().what(), Catch::Contains(expected));
      continue;
    }
    CHECK_THAT(validation_error(tail), Catch::Contains(expected));
  }
}

TEST_CASE("an inline script is a template field, left as written by render_job", "[core][sql][render]") {
  const auto manifests = parse("  sql: {inline: \"INSERT INTO k SELECT '${db.password}', '${nowhere}'\"}\n");
  std::vector<std::string> fields;
  for_each_template_field(job_of(manifests),
                          [&](const std::string& field, const std::string&) { fields.push_back(field); });
  CHECK(fields == std::vector<std::string>{"spec.sql.inline"});
  const auto warnings = undefined_variable_warnings(manifests, {});
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::Contains("nowhere"));

  SubstitutionContext context{"prod", {{"db.password", {"s3cr3t", true}}}, {}, {}};
  context.variables["nowhere"] = {"here", false};
  auto rendered = render_job("totals", job_of(manifests), context);
  REQUIRE(rendered);
  CHECK(rendered->clear.sql->inline_text == job_of(manifests).sql->inline_text);
}

TEST_CASE("render_sql resolves a script, masks its secrets, lists every undefined name",
          "[core][sql][render]") {
  SubstitutionContext context{
      "prod", {{"db.password", {"s3cr3t", true}}, {"sink", {"totals", false}}}, {}, {}};
  auto resolved = render_sql("totals", "totals.sql", "INSERT INTO ${sink} SELECT '${db.password}'", context);
  REQUIRE(resolved);
  CHECK(resolved->clear == "INSERT INTO totals SELECT 's3cr3t'");
  CHECK(resolved->masked == "INSERT INTO totals SELECT '******'");
  CHECK(resolved->secret);

  auto missing = render_sql("totals", "totals.sql", "INSERT INTO ${a} SELECT '${b}', '${c:-x}'", context);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().kind() == ErrorKind::refused);
  CHECK_THAT(missing.error().what(), Catch::Contains("totals.sql: undefined variable a"));
  CHECK_THAT(missing.error().what(), Catch::Contains("undefined variable b"));
  CHECK_THAT(missing.error().what(), !Catch::Contains("variable c"));
}

TEST_CASE("the runner gets the statements in order, SET with key and value", "[core][sql]") {
  auto script = split_sql_script("SET 'a.b' = 'x';\nRESET 'a.b';\nCREATE TABLE t (n INT);\r\n"
                                 "INSERT INTO k SELECT n FROM t",
                                 "s.sql");
  REQUIRE(script);
  const auto json = nlohmann::json::parse(runner_script_json(*script, "totals"));
  CHECK(json["version"] == 1);
  CHECK(json["name"] == "totals");
  REQUIRE(json["statements"].size() == 4);
  CHECK(json["statements"][0] ==
        nlohmann::json::parse(
            R"({"kind":"set","sql":"SET 'a.b' = 'x'","line":1,"column":1,"key":"a.b","value":"x"})"));
  CHECK(json["statements"][1]["kind"] == "reset");
  CHECK(json["statements"][1]["key"] == "a.b");
  CHECK_FALSE(json["statements"][1].contains("value"));
  CHECK(json["statements"][2]["kind"] == "create");
  CHECK(json["statements"][3]["kind"] == "insert");
  CHECK(json["statements"][3]["line"] == 4);
}

TEST_CASE("verification warns where the planner's DDL writes to a persistent catalog", "[core][sql]") {
  auto script = split_sql_script("CREATE TABLE a (n INT);\n"
                                 "USE CATALOG hive;\n"
                                 "CREATE TEMPORARY TABLE b (n INT);\n"
                                 "CREATE TABLE c (n INT);\n"
                                 "CREATE CATALOG other WITH ('type' = 'generic_in_memory');\n"
                                 "USE CATALOG default_catalog;\n"
                                 "DROP TABLE a;\n"
                                 "INSERT INTO a SELECT 1",
                                 "s.sql");
  REQUIRE(script);
  const auto warnings = verification_side_effects(*script);
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::StartsWith("line 4: CREATE TABLE"));
  CHECK_THAT(warnings[0], Catch::Contains("HIVE"));
}
