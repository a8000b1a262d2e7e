#include "sp/flink/distribution.hpp"
#include "sp/store/declarative.hpp"
#include "sp/store/environments.hpp"
#include "sp/store/jobs.hpp"
#include "sp/store/store.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace sp::store;
using namespace sp::core;
using sp::test::TempDir;

namespace {

const char* objects_yaml = R"(apiVersion: sp/v1
kind: Environment
metadata: {name: prod}
spec:
  variables:
    kafka.cluster: broker:9092
    db.password: {value: s3cr3t, secret: true, description: database}
---
apiVersion: sp/v1
kind: Flink
metadata: {name: flink-1.20}
spec: {home: /opt/flink-1.20}
---
apiVersion: sp/v1
kind: Project
metadata: {name: orders}
spec: {url: "https://git.example.com/orders.git", ref: "${orders.ref:-main}", timeout: 20m}
---
apiVersion: sp/v1
kind: AlertChannel
metadata: {name: ops-webhook}
spec: {type: webhook, url: "https://hooks.example.com/x", headerEnv: HOOK_AUTH, events: [job-failed]}
---
apiVersion: sp/v1
kind: Cluster
metadata: {name: prod-session, environment: prod}
spec: {type: remote, url: "http://jm:8081", flink: flink-1.20, tls: {insecure: true}}
---
apiVersion: sp/v1
kind: Job
metadata: {name: orders-enrich, environment: prod, owner: me, labels: {team: rt}}
spec:
  cluster: prod-session
  artifact: {project: orders}
  args: ["--brokers", "${kafka.cluster}"]
  state: {maxAge: 7d}
  alerts: [ops-webhook]
)";

std::vector<Manifest> parse(const std::string& yaml) {
  auto manifests = parse_manifests(yaml, "objects.yaml").value();
  for (auto& manifest : manifests) {
    if (manifest.kind == ObjectKind::flink) std::get<FlinkSpec>(manifest.spec).version = "1.20.0";
  }
  default_environments(manifests, "default");
  return manifests;
}

// apply as the command does it: validate, plan, write in one transaction.
ApplyPlan apply_all(Database& database, const std::vector<Manifest>& manifests) {
  Transaction transaction(database);
  const auto current = load_objects(database);
  REQUIRE(validate_manifests(manifests, current).has_value());
  auto plan = plan_apply(manifests, current).value();
  write_plan(database, plan, {"tester", "host", 1000});
  transaction.commit();
  return plan;
}

std::int64_t count(Database& database, const std::string& sql) {
  auto row = database.prepare(sql);
  REQUIRE(row.step());
  return row.int64(0);
}

} // namespace

TEST_CASE("apply on a real database: created, then unchanged, then configured", "[store][declarative]") {
  TempDir dir;
  auto database = open_store({dir.path()}, OpenMode::create_missing).value();
  CHECK(find_environment(database, "default").has_value()); // always there

  const auto manifests = parse(objects_yaml);
  auto first = apply_all(database, manifests);
  for (const auto& object : first.objects) CHECK(object.outcome == ApplyOutcome::created);
  CHECK(count(database, "SELECT count(*) FROM events") == 6);
  CHECK(count(database, "SELECT count(*) FROM events WHERE message LIKE '%s3cr3t%'") == 0);

  auto second = apply_all(database, manifests);
  CHECK_FALSE(second.has_changes());
  CHECK(count(database, "SELECT count(*) FROM events") == 6);

  auto changed = manifests;
  std::get<JobSpec>(changed[5].spec).parallelism = 3;
  std::get<EnvironmentSpec>(changed[0].spec).variables.erase("kafka.cluster");
  auto third = apply_all(database, changed);
  CHECK(third.objects[0].outcome == ApplyOutcome::configured);
  CHECK(third.objects[5].outcome == ApplyOutcome::configured);
  CHECK(count(database, "SELECT count(*) FROM variables v JOIN environments e ON e.id = v.environment_id "
                        "WHERE e.name = 'prod'") == 1);
  auto job = find_job(database, "prod", "orders-enrich").value();
  CHECK(job.spec.parallelism == 3);
  CHECK(job.metadata.labels.at("team") == "rt");
  CHECK(count(database, "SELECT count(*) FROM events WHERE job_id = " + std::to_string(job.id)) == 2);
  CHECK(count(database, "SELECT count(*) FROM jobs WHERE cluster = 'prod-session'") == 1);
}

TEST_CASE("what is loaded back equals what was applied, secrets included", "[store][declarative]") {
  TempDir dir;
  auto database = open_store({dir.path()}, OpenMode::create_missing).value();
  const auto manifests = parse(objects_yaml);
  apply_all(database, manifests);
  const auto loaded = load_objects(database);
  for (const auto& manifest : manifests) {
    INFO(key_of(manifest).to_string());
    REQUIRE(loaded.contains(key_of(manifest)));
    CHECK(to_comparable_json(loaded.at(key_of(manifest)), false) == to_comparable_json(manifest, false));
  }
  // Export (masked) then apply again: nothing changes, the secret is kept.
  std::string exported;
  for (const auto& [key, manifest] : loaded) exported += to_manifest_json(manifest, true).dump() + "\n---\n";
  CHECK(exported.find("s3cr3t") == std::string::npos);
  auto plan = apply_all(database, parse(exported));
  CHECK_FALSE(plan.has_changes());
  CHECK(std::get<EnvironmentSpec>(load_objects(database).at({ObjectKind::environment, "", "prod"}).spec)
            .variables.at("db.password")
            .value == "s3cr3t");
}

TEST_CASE("a failing apply writes nothing", "[store][declarative]") {
  TempDir dir;
  auto database = open_store({dir.path()}, OpenMode::create_missing).value();
  auto manifests = parse(objects_yaml);
  {
    Transaction transaction(database);
    auto plan = plan_apply(manifests, load_objects(database)).value();
    write_plan(database, plan, {"tester", "host", 1000});
    // No commit: as when a later step throws.
  }
  CHECK(count(database, "SELECT count(*) FROM jobs") == 0);
  CHECK(count(database, "SELECT count(*) FROM events") == 0);
}

TEST_CASE("environments: delete is refused while clusters or jobs live there", "[store][environments]") {
  TempDir dir;
  auto database = open_store({dir.path()}, OpenMode::create_missing).value();
  apply_all(database, parse(objects_yaml));
  auto refused = delete_environment(database, "prod");
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().kind() == sp::ErrorKind::refused);
  CHECK(delete_environment(database, "default").error().kind() == sp::ErrorKind::refused);
  auto missing = delete_environment(database, "prodd");
  CHECK(missing.error().kind() == sp::ErrorKind::not_found);
  CHECK(missing.error().hint() == "did you mean prod?");

  const auto [id, created] = ensure_environment(database, "dev", 5);
  CHECK(created);
  CHECK(set_variable(database, id, "a", {"1", false, ""}, 6) == UpsertOutcome::created);
  CHECK(set_variable(database, id, "a", {"1", false, ""}, 7) == UpsertOutcome::unchanged);
  CHECK(set_variable(database, id, "a", {"2", true, ""}, 8) == UpsertOutcome::configured);
  CHECK(find_variable(database, id, "a")->spec.secret);
  CHECK(delete_environment(database, "dev").has_value());
  CHECK(count(database, "SELECT count(*) FROM variables") == 2); // dev's went with it; prod's stay
}

TEST_CASE("a Flink distribution is recognised by its lib/flink-dist jar", "[flink]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "flink/lib");
  std::ofstream(dir / "flink/lib/flink-dist-1.20.1.jar") << "jar";
  std::ofstream(dir / "flink/lib/flink-table-api-1.20.1.jar") << "jar";
  CHECK(sp::flink::detect_flink_version(dir / "flink").value() == "1.20.1");
  auto not_flink = sp::flink::detect_flink_version(dir.path());
  REQUIRE_FALSE(not_flink.has_value());
  CHECK(not_flink.error().why() == "it is not a Flink distribution: there is no lib/flink-dist*.jar");
  CHECK(sp::flink::detect_flink_version(dir / "missing").error().why() == "it is not a directory");
}
