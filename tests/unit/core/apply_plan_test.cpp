#include "sp/core/apply_plan.hpp"
#include "sp/core/drift.hpp"

#include <catch2/catch.hpp>

using namespace sp::core;
using sp::ErrorKind;

namespace {

std::vector<Manifest> parse(const std::string& yaml, const std::string& environment = "prod") {
  auto manifests = parse_manifests(yaml, "objects.yaml").value();
  default_environments(manifests, environment);
  return manifests;
}

ObjectSet as_set(const std::vector<Manifest>& manifests) {
  ObjectSet set;
  for (const auto& manifest : manifests) set.emplace(key_of(manifest), manifest);
  return set;
}

const char* base = R"(apiVersion: sp/v1
kind: Environment
metadata: {name: prod}
spec:
  variables:
    kafka.cluster: broker:9092
    db.password: {value: s3cr3t, secret: true}
---
apiVersion: sp/v1
kind: Cluster
metadata: {name: prod-session}
spec: {type: remote, url: "http://jm:8081"}
---
apiVersion: sp/v1
kind: Job
metadata: {name: orders}
spec:
  cluster: prod-session
  artifact: {jar: /jars/orders.jar}
  args: ["--brokers", "${kafka.cluster}", "--password", "${db.password}"]
)";

std::string validation_error(const std::string& yaml, const ObjectSet& existing = {}) {
  auto result = validate_manifests(parse(yaml), existing);
  if (result) return "<valid>";
  return result.error().what();
}

} // namespace

TEST_CASE("validation accepts objects that refer to each other within the files", "[core][validation]") {
  CHECK(validation_error(base) == "<valid>");
}

TEST_CASE("validation names the field of each bad reference or rule", "[core][validation]") {
  const std::string env = "apiVersion: sp/v1\nkind: Environment\nmetadata: {name: prod}\n---\n";
  const std::vector<std::pair<std::string, std::string>> cases{
      {env + "apiVersion: sp/v1\nkind: Job\nmetadata: {name: j}\nspec: {cluster: prod-sesion, artifact: "
             "{jar: /x}}\n",
       "checking objects.yaml:8:17: spec.cluster: cluster prod-sesion does not exist in environment prod"},
      {"apiVersion: sp/v1\nkind: Cluster\nmetadata: {name: c, environment: prdo}\nspec: {type: remote, url: "
       "http://x}\n",
       "checking objects.yaml:3:34: metadata.environment: environment prdo does not exist; create it with "
       "`sp env "
       "create` or an Environment document"},
      {env + "apiVersion: sp/v1\nkind: Cluster\nmetadata: {name: c}\nspec: {type: remote}\n",
       "checking objects.yaml:8:7: spec.url: a remote cluster needs the JobManager REST url"},
      {env + "apiVersion: sp/v1\nkind: Cluster\nmetadata: {name: c}\nspec: {type: yarn-application, url: "
             "http://x, flink: f}\n",
       "checking objects.yaml: 3 problems:\n"
       "  objects.yaml:8:37: spec.url: yarn-application clusters have no fixed url: each job gets its own "
       "JobManager\n"
       "  objects.yaml:8:7: spec.yarn: yarn.resourceManager (its REST URL) is needed to find the JobManager "
       "of the "
       "application\n"
       "  objects.yaml:8:54: spec.flink: Flink f does not exist"},
      {env + "apiVersion: sp/v1\nkind: Cluster\nmetadata: {name: c}\n"
             "spec: {type: kubernetes-session, kubernetes: {clusterId: s, restAddress: "
             "\"http://{cluster}:80\"}}\n",
       "checking objects.yaml:8:46: spec.kubernetes: unknown placeholder {cluster} in restAddress; the "
       "placeholders "
       "are {clusterId} and {namespace}"},
      {env + "apiVersion: sp/v1\nkind: Cluster\nmetadata: {name: c}\nspec: {type: remote, url: http://x, "
             "submit: cli}\n",
       "checking objects.yaml:8:7: spec.flink: submit: cli runs bin/flink of a registered Flink "
       "distribution; name it "
       "here"},
      {env + "apiVersion: sp/v1\nkind: Flink\nmetadata: {name: f}\nspec: {home: /f}\n---\n"
             "apiVersion: sp/v1\nkind: Cluster\nmetadata: {name: c}\n"
             "spec: {type: remote, url: http://x, flink: f, submit: cli, auth: {headerEnv: JM_AUTH}}\n",
       "checking objects.yaml:13:66: spec.auth: bin/flink cannot send an Authorization header; a JobManager "
       "behind "
       "auth needs submit: rest"},
      {env + "apiVersion: sp/v1\nkind: Cluster\nmetadata: {name: c}\nspec: {type: kubernetes-application, "
             "submit: rest}\n",
       "checking objects.yaml: 2 problems:\n"
       "  objects.yaml:8:7: spec.flink: kubernetes-application clusters need a Flink distribution to run "
       "bin/flink\n"
       "  objects.yaml:8:46: spec.submit: kubernetes-application clusters are created by bin/flink, so their "
       "jobs are "
       "submitted with submit: cli"},
      {env + "apiVersion: sp/v1\nkind: Cluster\nmetadata: {name: c}\nspec: {type: remote, url: \"${oops\"}\n",
       "checking objects.yaml:8:27: spec.url: invalid reference at character 1: ${ is not closed by }"},
      {"apiVersion: sp/v1\nkind: AlertChannel\nmetadata: {name: a}\nspec: {type: webhook, argv: [x]}\n",
       "checking objects.yaml: 2 problems:\n"
       "  objects.yaml:4:29: spec.argv: is a command field; this channel is webhook\n"
       "  objects.yaml:4:7: spec.url: a webhook channel needs a url"},
      {"apiVersion: sp/v1\nkind: Environment\nmetadata: {name: e}\nspec: {variables: {sp.job: x, 9lives: "
       "y}}\n",
       "checking objects.yaml: 2 problems:\n"
       "  objects.yaml:4:31: spec.variables[\"9lives\"]: a variable name starts with a letter and continues "
       "with letters, "
       "digits, '.', '_' or '-'\n"
       "  objects.yaml:4:20: spec.variables[\"sp.job\"]: names starting with sp. are reserved for built-ins"},
      {"apiVersion: sp/v1\nkind: Flink\nmetadata: {name: \"bad name\"}\nspec: {home: /x}\n",
       "checking objects.yaml:3:18: metadata.name: a name starts with a letter or digit and continues with "
       "letters, "
       "digits, '.', '_' or '-' (at most 128)"},
      {env + "apiVersion: sp/v1\nkind: Job\nmetadata: {name: j}\nspec: {cluster: c, artifact: {jar: /x, "
             "project: p}}\n",
       "checking objects.yaml: 2 problems:\n"
       "  objects.yaml:8:17: spec.cluster: cluster c does not exist in environment prod\n"
       "  objects.yaml:8:30: spec.artifact: give either project (with an optional build) or jar"},
  };
  for (const auto& [yaml, message] : cases) {
    INFO(yaml);
    CHECK(validation_error(yaml) == message);
  }
}

TEST_CASE("an object declared twice is an error at its second place", "[core][validation]") {
  const std::string yaml = "apiVersion: sp/v1\nkind: Flink\nmetadata: {name: f}\nspec: {home: /a}\n---\n"
                           "apiVersion: sp/v1\nkind: Flink\nmetadata: {name: f}\nspec: {home: /b}\n";
  CHECK(validation_error(yaml) ==
        "checking objects.yaml:6:1: Flink f is declared twice (first at objects.yaml:1:1)");
}

TEST_CASE("missing references alone are not-found errors", "[core][validation]") {
  auto result = validate_manifests(
      parse("apiVersion: sp/v1\nkind: Job\nmetadata: {name: j}\nspec: {cluster: c, artifact: {jar: /x}}\n",
            "default"),
      as_set(parse("apiVersion: sp/v1\nkind: Environment\nmetadata: {name: default}\n")));
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().kind() == ErrorKind::not_found);
}

TEST_CASE("plans: created, then unchanged, then configured field by field", "[core][plan]") {
  auto desired = parse(base);
  auto first = plan_apply(desired, {}).value();
  REQUIRE(first.objects.size() == 3);
  for (const auto& object : first.objects) CHECK(object.outcome == ApplyOutcome::created);
  CHECK(first.has_changes());

  const ObjectSet current = as_set(desired);
  auto again = plan_apply(desired, current).value();
  CHECK_FALSE(again.has_changes());

  auto changed = desired;
  auto& job = std::get<JobSpec>(changed[2].spec);
  job.args[1] = "${kafka.other}";
  job.parallelism = 2;
  std::get<EnvironmentSpec>(changed[0].spec).variables["db.password"].value = "new-secret";
  auto plan = plan_apply(changed, current).value();
  REQUIRE(plan.objects[0].outcome == ApplyOutcome::configured);
  REQUIRE(plan.objects[0].changes.size() == 1);
  const auto& secret_change = plan.objects[0].changes[0];
  CHECK(secret_change.field == "spec.variables[\"db.password\"].value");
  CHECK(secret_change.before == nlohmann::ordered_json("******")); // masked on both sides
  CHECK(secret_change.after == nlohmann::ordered_json("******"));
  CHECK(plan.objects[1].outcome == ApplyOutcome::unchanged);
  REQUIRE(plan.objects[2].changes.size() == 2);
  CHECK(plan.objects[2].changes[0] == FieldChange{"spec.args[1]", "${kafka.cluster}", "${kafka.other}"});
  CHECK(plan.objects[2].changes[1] == FieldChange{"spec.parallelism", std::nullopt, 2});
}

TEST_CASE("a masked secret in a file keeps the current value", "[core][plan]") {
  const ObjectSet current = as_set(parse(base));
  auto exported =
      parse("apiVersion: sp/v1\nkind: Environment\nmetadata: {name: prod}\nspec:\n  variables:\n"
            "    kafka.cluster: broker:9092\n    db.password: {value: \"******\", secret: true}\n");
  auto plan = plan_apply(exported, current).value();
  CHECK_FALSE(plan.has_changes());
  CHECK(std::get<EnvironmentSpec>(plan.objects[0].desired.spec).variables.at("db.password").value ==
        "s3cr3t");

  auto nothing_to_keep = plan_apply(exported, {});
  REQUIRE_FALSE(nothing_to_keep.has_value());
  CHECK(std::string(nothing_to_keep.error().what()).find("has no secret db.password; write the real value") !=
        std::string::npos);
}

TEST_CASE("plans put objects in creation order", "[core][plan]") {
  auto desired = parse(std::string(base).substr(std::string(base).find("---\n") + 4) + "---\n" +
                       "apiVersion: sp/v1\nkind: Environment\nmetadata: {name: prod}\n");
  auto plan = plan_apply(desired, {}).value();
  CHECK(plan.objects[0].desired.kind == ObjectKind::environment);
  CHECK(plan.objects[1].desired.kind == ObjectKind::cluster);
  CHECK(plan.objects[2].desired.kind == ObjectKind::job);
}

TEST_CASE("json diff reports added, removed and changed leaves", "[core][plan]") {
  using Json = nlohmann::ordered_json;
  const Json before = {{"a", 1}, {"list", {1, 2, 3}}, {"gone", "x"}, {"map", {{"k.1", "v"}}}};
  const Json after = {{"a", 2}, {"list", {1, 5}}, {"map", {{"k.1", "w"}}}, {"new", true}};
  const auto changes = diff_json(before, after, "spec");
  REQUIRE(changes.size() == 6);
  CHECK(changes[0] == FieldChange{"spec.a", 1, 2});
  CHECK(changes[1] == FieldChange{"spec.list[1]", 2, 5});
  CHECK(changes[2] == FieldChange{"spec.list[2]", 3, std::nullopt});
  CHECK(changes[3] == FieldChange{"spec.gone", "x", std::nullopt});
  CHECK(changes[4] == FieldChange{"spec.map[\"k.1\"]", "v", "w"});
  CHECK(changes[5] == FieldChange{"spec.new", std::nullopt, true});
  // A shown document without the field never falls back to the real value.
  const auto masked = diff_json(Json{{"s", "real"}}, Json{{"s", "other"}}, Json::object(), Json::object());
  CHECK(masked[0] == FieldChange{"s", "******", "******"});
}

TEST_CASE("render resolves every job field and masks secrets", "[core][render]") {
  auto manifests = parse(base);
  const auto& environment = std::get<EnvironmentSpec>(manifests[0].spec);
  auto spec = std::get<JobSpec>(manifests[2].spec);
  spec.entry_class = "com.example.${sp.job}";
  spec.flink_configuration["state.savepoints.dir"] = "s3://${sp.env}/sp";
  spec.state.savepoint_dir = "${savepoint.root:-/tmp/sp}/orders";
  spec.artifact.jar = "/jars/${sp.cluster}.jar";
  const SubstitutionContext context{
      "prod", variable_set(environment), job_builtins("orders", "prod", "prod-session", std::nullopt), {}};
  auto rendered = render_job("orders", spec, context).value();
  CHECK(rendered.clear.args[3] == "s3cr3t");
  CHECK(rendered.masked.args[3] == "******");
  CHECK(rendered.masked.args[1] == "broker:9092");
  CHECK(rendered.clear.entry_class == "com.example.orders");
  CHECK(rendered.clear.flink_configuration.at("state.savepoints.dir") == "s3://prod/sp");
  CHECK(rendered.clear.state.savepoint_dir == "/tmp/sp/orders");
  CHECK(rendered.clear.artifact.jar == "/jars/prod-session.jar");
  CHECK(rendered.uses_secret);
  CHECK(to_json(rendered.masked).dump().find("s3cr3t") == std::string::npos);

  SubstitutionContext empty{"prod", {}, job_builtins("orders", "prod", "prod-session", std::nullopt), {}};
  auto failed = render_job("orders", spec, empty);
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().kind() == ErrorKind::refused);
  CHECK(std::string(failed.error().what()) ==
        "rendering job orders in environment prod: 2 problems:\n"
        "  job orders: spec.args[1]: undefined variable kafka.cluster in environment prod\n"
        "  job orders: spec.args[3]: undefined variable db.password in environment prod");
}

TEST_CASE("drift: a changed variable, secret or job field differs from the release", "[core][drift]") {
  auto manifests = parse(base);
  const auto& spec = std::get<JobSpec>(manifests[2].spec);
  auto variables = variable_set(std::get<EnvironmentSpec>(manifests[0].spec));
  SubstitutionContext context{"prod", variables, job_builtins("orders", "prod", "prod-session", "7"), {}};
  const std::string released =
      config_fingerprint(to_json(render_job("orders", spec, context).value().clear).dump());
  CHECK_FALSE(job_drift("orders", spec, context, released).drifted);
  CHECK(job_drift("orders", spec, context, released).reason.empty());

  // A rotated secret shows, though releases keep no secret: the fingerprint is of the clear rendering.
  context.variables["db.password"].value = "rotated";
  auto drift = job_drift("orders", spec, context, released);
  CHECK(drift.drifted);
  CHECK(drift.reason.find("rotated") == std::string::npos);

  context.variables.erase("db.password");
  drift = job_drift("orders", spec, context, released);
  CHECK(drift.drifted);
  CHECK(drift.reason.starts_with("the job no longer renders: "));

  auto changed = spec;
  changed.parallelism = 8;
  context.variables = variables;
  CHECK(job_drift("orders", changed, context, released).drifted);
  CHECK_FALSE(job_drift("orders", spec, context, released).drifted);
}

TEST_CASE("undefined variables are warned about at apply time", "[core][validation]") {
  auto manifests =
      parse(std::string(base) + "---\napiVersion: sp/v1\nkind: Job\nmetadata: {name: other}\n"
                                "spec: {cluster: prod-session, artifact: {jar: \"${jar.dir}/x.jar\"}}\n");
  const auto warnings = undefined_variable_warnings(manifests, {});
  CHECK(warnings == std::vector<std::string>{
                        "job other: spec.artifact.jar: undefined variable jar.dir in environment prod"});
}
