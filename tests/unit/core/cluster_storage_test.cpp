// A cluster's `storage: {s3: {...}}` (SPEC 5.10): read from files and stored
// JSON alike, the keys only ever named, the endpoint checked, its endpoint
// and region template fields like the cluster's url.
#include "sp/core/manifest_validation.hpp"
#include "sp/core/render.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>

using namespace sp::core;
using sp::ErrorKind;

namespace {

std::string cluster_with(const std::string& storage) {
  return "apiVersion: sp/v1\nkind: Cluster\nmetadata: {name: k8s}\nspec:\n  type: remote\n  url: "
         "http://jm:8081\n" +
         storage;
}

std::string problem(const std::string& yaml) {
  auto manifests = parse_manifests(
      "apiVersion: sp/v1\nkind: Environment\nmetadata: {name: prod}\n---\n" + yaml, "clusters.yaml");
  if (!manifests) return manifests.error().what();
  default_environments(*manifests, "prod");
  auto valid = validate_manifests(*manifests, {});
  return valid ? "<valid>" : valid.error().what();
}

} // namespace

TEST_CASE("storage.s3 reads into the cluster spec with its defaults, and back through JSON",
          "[core][cluster]") {
  auto manifests =
      parse_manifests(cluster_with("  storage:\n    s3: {endpoint: \"http://127.0.0.1:9000\", pathStyle: "
                                   "true, accessKeyEnv: S3_KEY, secretKeyEnv: S3_SECRET}\n"),
                      "clusters.yaml");
  REQUIRE(manifests);
  const auto& spec = std::get<ClusterSpec>(manifests->front().spec);
  REQUIRE(spec.storage.s3);
  CHECK(spec.storage.s3->endpoint == "http://127.0.0.1:9000");
  CHECK(spec.storage.s3->region == "us-east-1");
  CHECK(spec.storage.s3->path_style);
  CHECK(spec.storage.s3->access_key_env == "S3_KEY");
  CHECK(spec.storage.s3->secret_key_env == "S3_SECRET");
  CHECK_FALSE(spec.storage.s3->session_token_env);
  CHECK(cluster_spec_from_json(nlohmann::json::parse(to_json(spec).dump())).value() == spec);

  ClusterSpec full = spec;
  full.storage.s3->region = "eu-west-1";
  full.storage.s3->session_token_env = "S3_TOKEN";
  CHECK(to_json(full)["storage"]["s3"]["sessionTokenEnv"] == "S3_TOKEN");
  CHECK(cluster_spec_from_json(nlohmann::json::parse(to_json(full).dump())).value() == full);

  std::set<std::string> fields;
  for_each_template_field(spec, [&](const std::string& field, const std::string&) { fields.insert(field); });
  CHECK(fields.contains("spec.storage.s3.endpoint"));
  CHECK(fields.contains("spec.storage.s3.region"));
  CHECK_FALSE(fields.contains("spec.storage.s3.accessKeyEnv")); // a name, not a value
}

TEST_CASE("storage.s3 problems name the field", "[core][cluster]") {
  CHECK(problem(cluster_with("  storage: {s3: {endpoint: \"https://s3.amazonaws.com\", accessKeyEnv: K, "
                             "secretKeyEnv: S}}\n")) == "<valid>");
  CHECK_THAT(
      problem(cluster_with("  storage: {s3: {endpoint: \"https://s3.amazonaws.com\", accessKeyEnv: K}}\n")),
      Catch::Contains("spec.storage.s3.secretKeyEnv: missing required field"));
  CHECK_THAT(
      problem(cluster_with("  storage: {s3: {endpoint: \"https://h\", accessKeyEnv: K, secretKeyEnv: S, "
                           "secretKey: hunter2}}\n")),
      Catch::Contains("spec.storage.s3.secretKey: unknown field"));
  CHECK_THAT(problem(cluster_with("  storage: {gcs: {}}\n")),
             Catch::Contains("spec.storage.gcs: unknown field"));
  CHECK_THAT(problem(cluster_with(
                 "  storage: {s3: {endpoint: \"minio:9000\", accessKeyEnv: K, secretKeyEnv: S}}\n")),
             Catch::Contains("spec.storage.s3.endpoint: must be an http:// or https:// address"));
  CHECK(problem(cluster_with(
            "  storage: {s3: {endpoint: \"${s3.endpoint}\", accessKeyEnv: K, secretKeyEnv: S}}\n")) !=
        "spec.storage.s3.endpoint: must be an http:// or https:// address");
}

TEST_CASE("storage.hdfs reads into the cluster spec, and back through JSON beside s3", "[core][cluster]") {
  auto manifests = parse_manifests(
      cluster_with("  storage:\n    hdfs: {webhdfs: \"http://namenode:9870\", user: flink}\n"),
      "clusters.yaml");
  REQUIRE(manifests);
  const auto& spec = std::get<ClusterSpec>(manifests->front().spec);
  REQUIRE(spec.storage.hdfs);
  CHECK(spec.storage.hdfs->webhdfs == "http://namenode:9870");
  CHECK(spec.storage.hdfs->user == "flink");
  CHECK_FALSE(spec.storage.s3);
  CHECK(to_json(spec)["storage"].dump() == R"({"hdfs":{"webhdfs":"http://namenode:9870","user":"flink"}})");
  CHECK(cluster_spec_from_json(nlohmann::json::parse(to_json(spec).dump())).value() == spec);

  ClusterSpec both = spec;
  both.storage.hdfs->user.reset();
  both.storage.s3 =
      S3StorageSettings{.endpoint = "http://s3:9000", .access_key_env = "K", .secret_key_env = "S"};
  const auto json = to_json(both);
  CHECK_FALSE(json["storage"]["hdfs"].contains("user"));
  CHECK(json["storage"]["s3"]["endpoint"] == "http://s3:9000");
  CHECK(cluster_spec_from_json(nlohmann::json::parse(json.dump())).value() == both);

  std::set<std::string> fields;
  for_each_template_field(spec, [&](const std::string& field, const std::string&) { fields.insert(field); });
  CHECK(fields.contains("spec.storage.hdfs.webhdfs"));
  CHECK(fields.contains("spec.storage.hdfs.user"));
}

TEST_CASE("storage.hdfs problems name the field", "[core][cluster]") {
  CHECK(problem(cluster_with("  storage: {hdfs: {webhdfs: \"https://nn.example.com:9871\"}}\n")) ==
        "<valid>");
  CHECK_THAT(problem(cluster_with("  storage: {hdfs: {user: flink}}\n")),
             Catch::Contains("spec.storage.hdfs.webhdfs: missing required field"));
  CHECK_THAT(
      problem(cluster_with("  storage: {hdfs: {webhdfs: \"http://nn:9870\", keytab: /etc/flink.keytab}}\n")),
      Catch::Contains("spec.storage.hdfs.keytab: unknown field"));
  CHECK_THAT(problem(cluster_with("  storage: {hdfs: {webhdfs: \"hdfs://nn:8020\"}}\n")),
             Catch::Contains("spec.storage.hdfs.webhdfs: must be an http:// or https:// address"));
  CHECK(problem(cluster_with("  storage: {hdfs: {webhdfs: \"${hdfs.webhdfs}\"}}\n")) !=
        "spec.storage.hdfs.webhdfs: must be an http:// or https:// address");
}
