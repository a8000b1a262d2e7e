#include "sp/core/manifest.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace sp::core;
using sp::ErrorKind;

namespace {

const char* full_job = R"(apiVersion: sp/v1
kind: Job
metadata:
  name: orders-enrich
  environment: prod
  owner: data-platform@example.com
  labels: {team: realtime}
spec:
  cluster: prod-session
  artifact: {project: orders, build: latest}
  entryClass: com.example.OrdersEnrich
  args: ["--brokers", "${kafka.cluster}", "--group", "${sp.job}-${sp.env}"]
  parallelism: 4
  flinkConfiguration: {"execution.checkpointing.interval": "30s", "parallelism.default": 2}
  state: {restore: latest, allowNonRestoredState: false, maxAge: 7d, savepointDir: "${savepoint.root}/orders"}
  stop: savepoint
  restart: {onFailure: true, maxRestarts: 3, window: 1h}
  alerts: [ops-webhook]
)";

// The message of the error parse_manifests returns for `yaml`.
std::string parse_error(const std::string& yaml) {
  auto parsed = parse_manifests(yaml, "jobs.yaml");
  if (parsed) return "<no error>";
  CHECK(parsed.error().kind() == ErrorKind::usage);
  return parsed.error().what();
}

} // namespace

TEST_CASE("the spec's example job reads into a typed spec", "[core][manifest]") {
  auto manifests = parse_manifests(full_job, "jobs.yaml");
  REQUIRE(manifests.has_value());
  REQUIRE(manifests->size() == 1);
  const auto& manifest = manifests->front();
  CHECK(manifest.kind == ObjectKind::job);
  CHECK(manifest.name == "orders-enrich");
  CHECK(manifest.environment == "prod");
  CHECK(manifest.job_metadata.owner == "data-platform@example.com");
  CHECK(manifest.job_metadata.labels.at("team") == "realtime");
  const auto& spec = std::get<JobSpec>(manifest.spec);
  CHECK(spec.cluster == "prod-session");
  CHECK(spec.artifact.project == "orders");
  CHECK(spec.args.size() == 4);
  CHECK(spec.args[1] == "${kafka.cluster}");
  CHECK(spec.parallelism == 4);
  CHECK(spec.flink_configuration.at("parallelism.default") == "2"); // scalars are strings
  CHECK(spec.state.max_age == std::chrono::hours(24 * 7));
  CHECK(spec.restart.on_failure);
  CHECK(spec.restart.window == std::chrono::hours(1));
  CHECK(spec.alerts == std::vector<std::string>{"ops-webhook"});
  CHECK(manifest.location == SourceLocation{"jobs.yaml", 1, 1});
  CHECK(location_of(manifest, "spec.args[1]") == SourceLocation{"jobs.yaml", 12, 23});
  CHECK(location_of(manifest, "spec.state.savepointDir") == SourceLocation{"jobs.yaml", 15, 84});
}

TEST_CASE("several documents share a file and empty documents are skipped", "[core][manifest]") {
  const std::string yaml =
      "---\n"
      "apiVersion: sp/v1\nkind: Environment\nmetadata: {name: prod}\n"
      "spec:\n  variables:\n    kafka.cluster: broker:9092\n"
      "    db.password: {value: s3cr3t, secret: true, description: the db}\n"
      "---\n"
      "apiVersion: sp/v1\nkind: Flink\nmetadata: {name: flink-1.20}\nspec: {home: /opt/flink}\n"
      "---\n# only a comment\n---\n";
  auto manifests = parse_manifests(yaml, "all.yaml");
  REQUIRE(manifests.has_value());
  REQUIRE(manifests->size() == 2);
  const auto& environment = std::get<EnvironmentSpec>(manifests->at(0).spec);
  CHECK(environment.variables.at("kafka.cluster") == VariableSpec{"broker:9092", false, ""});
  CHECK(environment.variables.at("db.password") == VariableSpec{"s3cr3t", true, "the db"});
  CHECK(std::get<FlinkSpec>(manifests->at(1).spec).home == "/opt/flink");
  CHECK(manifests->at(1).location == SourceLocation{"all.yaml", 10, 1});
}

TEST_CASE("an empty file holds no objects", "[core][manifest]") {
  CHECK(parse_manifests("", "empty.yaml").value().empty());
  CHECK(parse_manifests("# nothing\n", "empty.yaml").value().empty());
}

TEST_CASE("bad input names file, line and column", "[core][manifest]") {
  // Appending (rather than head + "...") avoids GCC 12's false -Wrestrict on string concatenation.
  auto job_with = [](const char* tail) {
    std::string yaml =
        "apiVersion: sp/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  cluster: c\n  artifact: {jar: /a.jar}\n";
    yaml += tail;
    return yaml;
  };
  const std::vector<std::pair<std::string, std::string>> cases{
      {job_with("  paralelism: 4\n"),
       "reading jobs.yaml:7:3: spec.paralelism: unknown field (did you mean parallelism?)"},
      {job_with("  parallelism: four\n"), "reading jobs.yaml:7:16: spec.parallelism: expected an integer"},
      {job_with("  parallelism: 0\n"),
       "reading jobs.yaml:7:16: spec.parallelism: expected an integer from 1 to 1000000"},
      {job_with("  args: --x\n"),
       "reading jobs.yaml:7:9: spec.args: expected a list of strings, got a single value"},
      {job_with("  args: [a, [b]]\n"), "reading jobs.yaml:7:13: spec.args[1]: expected a string, got a list"},
      {job_with("  stop: savepont\n"),
       "reading jobs.yaml:7:9: spec.stop: expected one of savepoint, drain, cancel"},
      {job_with("  state: {maxAge: soon}\n"),
       "reading jobs.yaml:7:19: spec.state.maxAge: expected a duration such as 30s, 15m, 1h30m or 7d"},
      {job_with("  restart: {onFailure: yes}\n"),
       "reading jobs.yaml:7:24: spec.restart.onFailure: expected true or false"},
      {job_with("  cluster: d\n"), "reading jobs.yaml:7:3: spec.cluster: duplicate key"},
      {"apiVersion: sp/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  artifact: {jar: /a.jar}\n",
       "reading jobs.yaml:5:3: spec.cluster: missing required field"},
      {"apiVersion: sp/v1\nkind: Job\nmetadata: {name: j}\n",
       "reading jobs.yaml:1:1: spec: missing required field"},
      {"apiVersion: sp/v2\nkind: Job\nmetadata: {name: j}\nspec: {cluster: c, artifact: {jar: x}}\n",
       "reading jobs.yaml:1:13: apiVersion: unsupported version (this sp reads sp/v1)"},
      {"apiVersion: sp/v1\nkind: Task\nmetadata: {name: j}\nspec: {}\n",
       "reading jobs.yaml:2:7: kind: unknown kind (known: Environment, Flink, Project, AlertChannel, "
       "Cluster, Job)"},
      {"apiVersion: sp/v1\nkind: Jbo\nmetadata: {name: j}\nspec: {}\n",
       "reading jobs.yaml:2:7: kind: unknown kind (did you mean Job?)"}, // two letters swapped: one slip
      {"apiVersion: sp/v1\nkind: Flink\nmetadata: {name: f, environment: prod}\nspec: {home: /x}\n",
       "reading jobs.yaml:3:34: metadata.environment: Flink objects are global: they belong to no "
       "environment"},
      {"apiVersion: sp/v1\nkind: Cluster\nmetadata: {name: c, owner: me}\nspec: {type: remote}\n",
       "reading jobs.yaml:3:21: metadata.owner: unknown field (known: name, environment)"},
      {"apiVersion: sp/v1\nkind: Jobs\nmetadata: {name: j}\nspec: {}\n",
       "reading jobs.yaml:2:7: kind: unknown kind (did you mean Job?)"},
      {"apiVersion: sp/v1\nkind: J\xff"
       "b\n",
       "reading jobs.yaml:2:8: the text is not valid UTF-8"},
      {"apiVersion: sp/v1\nkind: \xed\xa0\x80\n", "reading jobs.yaml:2:7: the text is not valid UTF-8"},
      // yaml-cpp 0.7 loops forever on these unless sp stops it (found by fuzzing).
      {"!p!pi,Vers",
       "reading jobs.yaml:1:6: invalid YAML: no document can start here (a ',' outside [] or {}?)"},
      {"apiVersion: sp/v1\n---\n,\n",
       "reading jobs.yaml:3:1: invalid YAML: no document can start here (a ',' outside [] or {}?)"},
      {"- a\n- b\n", "reading jobs.yaml:1:1: expected a mapping with apiVersion, kind, metadata and spec"},
      {"apiVersion: sp/v1\nkind: Job\nmetadata: {name: j\n",
       "reading jobs.yaml:4:1: invalid YAML: end of map flow not found"},
      {"apiVersion: sp/v1\nkind: Environment\nmetadata: {name: e}\nspec: {variables: {a: [1]}}\n",
       "reading jobs.yaml:4:23: spec.variables.a: expected a string or a mapping, got a list"},
      {"apiVersion: sp/v1\nkind: Environment\nmetadata: {name: e}\nspec: {variables: {a: {secret: true}}}\n",
       "reading jobs.yaml:4:23: spec.variables.a.value: missing required field"},
      {"apiVersion: sp/v1\nkind: Cluster\nmetadata: {name: c}\nspec: {type: remote, flinkConfiguration: "
       "{a.b: {x: 1}}}\n",
       "reading jobs.yaml:4:48: spec.flinkConfiguration[\"a.b\"]: expected a string, got a mapping"},
      {"apiVersion: sp/v1\nkind: Cluster\nmetadata: {name: c}\nspec: {type: remote, submit: shell}\n",
       "reading jobs.yaml:4:30: spec.submit: expected one of rest, cli"},
  };
  for (const auto& [yaml, message] : cases) {
    INFO(yaml);
    CHECK(parse_error(yaml) == message);
  }
}

TEST_CASE("all problems of a file are reported together", "[core][manifest]") {
  const std::string yaml = "apiVersion: sp/v1\nkind: Job\nmetadata: {name: j, colour: red}\n"
                           "spec:\n  cluster: c\n  artifact: {jar: /a.jar, sha: x}\n  parallelism: x\n";
  CHECK(parse_error(yaml) ==
        "reading jobs.yaml: 3 problems:\n"
        "  jobs.yaml:3:21: metadata.colour: unknown field (known: name, environment, owner, labels)\n"
        "  jobs.yaml:6:27: spec.artifact.sha: unknown field (known: project, build, jar)\n"
        "  jobs.yaml:7:16: spec.parallelism: expected an integer");
}

TEST_CASE("wrong-type messages never quote the value", "[core][manifest]") {
  const std::string yaml = "apiVersion: sp/v1\nkind: Environment\nmetadata: {name: e}\n"
                           "spec: {variables: {pw: {value: hunter2, secret: hunter2}}}\n";
  const auto message = parse_error(yaml);
  CHECK(message.find("hunter2") == std::string::npos);
  CHECK(message == "reading jobs.yaml:4:49: spec.variables.pw.secret: expected true or false");
}

TEST_CASE("export form reads back to the same manifest", "[core][manifest]") {
  auto original = parse_manifests(full_job, "jobs.yaml").value().front();
  const auto json = to_manifest_json(original, false);
  auto again = parse_manifests(json.dump(), "again.json").value().front();
  CHECK(std::get<JobSpec>(again.spec) == std::get<JobSpec>(original.spec));
  CHECK(again.job_metadata == original.job_metadata);
  CHECK(again.environment == original.environment);
  CHECK(to_comparable_json(again, false) == to_comparable_json(original, false));
}

TEST_CASE("stored JSON is read as strictly as files", "[core][manifest]") {
  auto original = std::get<JobSpec>(parse_manifests(full_job, "jobs.yaml").value().front().spec);
  CHECK(job_spec_from_json(nlohmann::json::parse(to_json(original).dump())).value() == original);
  auto bad =
      job_spec_from_json(nlohmann::json{{"cluster", "c"}, {"artifact", {{"jar", "x"}}}, {"colour", 1}});
  REQUIRE_FALSE(bad.has_value());
  CHECK(std::string(bad.error().what()) ==
        "reading a stored job spec: spec.colour: unknown field (known: cluster, "
        "artifact, sql, entryClass, args, parallelism, flinkConfiguration, state, stop, restart, alerts)");
  CHECK_FALSE(job_spec_from_json(nlohmann::json::array()).has_value());
  ClusterSpec cluster{
      .type = ClusterType::yarn_session, .url = "http://rm", .flink = "f", .submit = SubmitDriver::cli};
  cluster.yarn.queue.emplace(1, 'q');
  cluster.tls.insecure = true;
  CHECK(cluster_spec_from_json(nlohmann::json::parse(to_json(cluster).dump())).value() == cluster);
  AlertChannelSpec channel{
      .type = AlertChannelType::email, .smtp_url = "smtps://h", .from = "a@b", .to = {"c@d"}};
  CHECK(alert_channel_spec_from_json(nlohmann::json::parse(to_json(channel).dump())).value() == channel);
}

TEST_CASE("kind names for files and for the command line", "[core][manifest]") {
  CHECK(object_kind_from_string("AlertChannel") == ObjectKind::alert_channel);
  CHECK_FALSE(object_kind_from_string("job").has_value());
  CHECK(kind_from_argument("job") == ObjectKind::job);
  CHECK(kind_from_argument("Jobs") == ObjectKind::job);
  CHECK(kind_from_argument("alert-channels") == ObjectKind::alert_channel);
  CHECK(kind_from_argument("flinks") == ObjectKind::flink);
  CHECK_FALSE(kind_from_argument("widget").has_value());
}

TEST_CASE("Flink versions come from the distribution jar's name", "[core][flink]") {
  CHECK(flink_version_from_dist_jar("flink-dist-1.20.0.jar") == "1.20.0");
  CHECK(flink_version_from_dist_jar("flink-dist_2.12-1.14.6.jar") == "1.14.6");
  CHECK(flink_version_from_dist_jar("flink-dist-2.1.0.jar") == "2.1.0");
  CHECK(flink_version_from_dist_jar("flink-dist-1.19-SNAPSHOT.jar") == "1.19-SNAPSHOT");
  for (const auto* name :
       {"flink-dist.jar", "flink-dist-.jar", "flink-dist-abc.jar", "flink-table-1.20.0.jar",
        "flink-dist-1.20.0.zip", "flink-dist_2.12.jar", "flink-dist-1..2.jar", "flink-dist-1.jar"}) {
    INFO(name);
    CHECK_FALSE(flink_version_from_dist_jar(name).has_value());
  }
}

TEST_CASE("a key that is not valid UTF-8 is an error naming its place, not an exception",
          "[core][manifest]") {
  // Found by fuzzing (tests/fuzz/corpus/manifest_yaml/regression-invalid-utf8-key):
  // quoting such a key for the message used to throw.
  for (const std::string& bytes :
       {std::string("NNNNNN\x17\x00NNNNNNNNV{e: rs", 23), std::string("kind: Job\nspec: {\"x\x85y\": 1}\n"),
        // a NUL that yaml-cpp turned into a lone 0x85 byte
        std::string("kind: Environment\nspec:\n  variables:\n    a\0b: c\n", 48),
        // a lone carriage return that yaml-cpp keeps inside the value
        std::string("kind: Environment\nmetadata: {name: e}\nspec:\n  variables:\n    a: b\r")}) {
    auto result = sp::core::parse_manifests(bytes, "jobs.yaml");
    CHECK_FALSE(result.has_value());
  }
}

TEST_CASE("files with CRLF line ends read like LF files", "[core][manifest]") {
  const std::string lf =
      "apiVersion: sp/v1\nkind: Environment\nmetadata: {name: e}\nspec:\n  variables:\n    a: b\n";
  std::string crlf;
  for (char c : lf) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  auto from_lf = sp::core::parse_manifests(lf, "lf.yaml");
  auto from_crlf = sp::core::parse_manifests(crlf, "crlf.yaml");
  REQUIRE(from_lf.has_value());
  REQUIRE(from_crlf.has_value());
  CHECK(sp::core::to_comparable_json(from_lf->front(), false) ==
        sp::core::to_comparable_json(from_crlf->front(), false));
}
