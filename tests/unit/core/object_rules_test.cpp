// The rules both `sp apply` and the imperative commands follow.
#include "sp/core/object_rules.hpp"

#include "sp/core/cluster.hpp"
#include "sp/core/job.hpp"

#include <catch2/catch.hpp>

using namespace sp;
using namespace sp::core;
using namespace std::chrono_literals;

TEST_CASE("build timeouts round up to whole seconds and are at least 1s", "[core][objects]") {
  CHECK(build_timeout(1500ms).value() == 2s);
  CHECK(build_timeout(1000ms).value() == 1s);
  CHECK(build_timeout(std::chrono::minutes(30)).value() == 1800s);
  auto short_timeout = build_timeout(999ms);
  REQUIRE_FALSE(short_timeout);
  CHECK(short_timeout.error().kind() == ErrorKind::usage);
  CHECK(short_timeout.error().why().find("at least 1s") != std::string::npos);
}

TEST_CASE("local paths are stored absolute and normal", "[core][objects]") {
  CHECK(absolute_local_path("keys/id_ed25519", "/home/ci/repo") == "/home/ci/repo/keys/id_ed25519");
  CHECK(absolute_local_path("../flink/", "/opt/sp/conf") == "/opt/sp/flink");
  CHECK(absolute_local_path("/opt/flink-1.20/", "/anywhere") == "/opt/flink-1.20");
  CHECK(absolute_local_path("/", "/x") == "/");
}

TEST_CASE("once secret, always secret, and a missing description is kept", "[core][objects]") {
  const VariableSpec secret{"s3cr3t", true, "the token"};
  const auto updated = updated_variable(secret, "new", false, std::nullopt);
  CHECK(updated.secret);
  CHECK(updated.value == "new");
  CHECK(updated.description == "the token");
  CHECK(updated_variable(std::nullopt, "v", false, std::nullopt) == VariableSpec{"v", false, ""});
  CHECK(updated_variable(VariableSpec{"a", false, "d"}, "b", true, "e") == VariableSpec{"b", true, "e"});
  EnvironmentSpec current{{{"token", secret}, {"plain", {"p", false, ""}}}};
  EnvironmentSpec desired{
      {{"token", {"t2", false, ""}}, {"plain", {"p2", false, ""}}, {"new", {"n", false, ""}}}};
  keep_secret_flags(desired, &current);
  CHECK(desired.variables["token"].secret);
  CHECK_FALSE(desired.variables["plain"].secret);
  CHECK_FALSE(desired.variables["new"].secret);
}

TEST_CASE("objects in use are not removed", "[core][objects]") {
  ObjectSet objects;
  ClusterSpec cluster;
  cluster.flink = "flink-1.20";
  JobSpec job;
  job.cluster = "session";
  Manifest cluster_manifest{
      .kind = ObjectKind::cluster, .name = "session", .environment = "prod", .spec = cluster};
  Manifest job_manifest{.kind = ObjectKind::job, .name = "orders", .environment = "prod", .spec = job};
  Manifest flink_manifest{
      .kind = ObjectKind::flink, .name = "flink-1.20", .spec = FlinkSpec{"/opt/flink", "1.20.5"}};
  for (const auto& manifest : {cluster_manifest, job_manifest, flink_manifest})
    objects.emplace(key_of(manifest), manifest);
  auto flink = check_removal(key_of(flink_manifest), objects);
  REQUIRE_FALSE(flink);
  CHECK(flink.error().kind() == ErrorKind::refused);
  CHECK(flink.error().why().find("prod/session") != std::string::npos);
  auto on_cluster = check_removal(key_of(cluster_manifest), objects);
  REQUIRE_FALSE(on_cluster);
  CHECK(on_cluster.error().why().find("orders") != std::string::npos);
  // The same cluster name in another environment holds no jobs.
  CHECK(check_removal({ObjectKind::cluster, "dev", "session"}, objects));
  CHECK(check_removal(key_of(job_manifest), objects));
}
