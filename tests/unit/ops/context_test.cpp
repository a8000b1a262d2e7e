// The cluster's auth header from its env var: an unset variable is a
// refusal returned to the caller (exit 4, like every unset variable sp
// needs), never an exception, and nothing is sent without it. The S3 keys
// of a cluster's storage the same way: unset, its points cannot be checked.
#include "sp/ops/context.hpp"
#include "sp/storage/storage.hpp"
#include "sp/store/store.hpp"

#include "support/fake_transport.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace sp;
using namespace sp::ops;

namespace {

struct Fixture {
  test::TempDir dir;
  store::Database database = store::open_store({dir / "home"}, store::OpenMode::create_missing).value();
  test::FakeTransport transport;
  OpsContext context{
      .database = database,
      .make_transport =
          [this](const net::TransportSettings&) {
            return std::make_unique<test::ForwardingTransport>(transport);
          },
      .clock = {[] { return std::int64_t{1000}; }, [](std::chrono::milliseconds) {}},
      .env = util::fixed_env(
          {{"JM_AUTH", "Bearer abc"}, {"S3_KEY", "AKIDEXAMPLE"}, {"S3_SECRET", "not-for-printing"}}),
      .actor = {"me", "host", 1},
      .pid_alive = [](std::int64_t) { return true; }};
};

core::ClusterSpec cluster_with_header_env(std::optional<std::string> name) {
  core::ClusterSpec cluster;
  cluster.url = "http://jm:8081";
  cluster.auth.header_env = std::move(name);
  return cluster;
}

} // namespace

TEST_CASE("a cluster's auth header comes from the variable it names, or is refused", "[ops][context]") {
  Fixture fixture;
  CHECK(cluster_authorization(fixture.context, cluster_with_header_env(std::nullopt)).value() ==
        std::nullopt);
  CHECK(cluster_authorization(fixture.context, cluster_with_header_env("JM_AUTH")).value() == "Bearer abc");

  auto unset = cluster_authorization(fixture.context, cluster_with_header_env("JM_UNSET"));
  REQUIRE_FALSE(unset);
  CHECK(unset.error().kind() == ErrorKind::refused);
  CHECK(unset.error().why() == "environment variable JM_UNSET is not set");
}

TEST_CASE("a JobManager client is not opened without its auth header, and sends it when set",
          "[ops][context]") {
  Fixture fixture;
  auto refused = JobManager::open(fixture.context, cluster_with_header_env("JM_UNSET"), "http://jm:8081");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind() == ErrorKind::refused);

  auto opened = JobManager::open(fixture.context, cluster_with_header_env("JM_AUTH"), "http://jm:8081");
  REQUIRE(opened);
  fixture.transport.answer("GET", "http://jm:8081/config", 200, R"({"flink-version": "1.20.5"})");
  CHECK(opened->rest().version().has_value());
  REQUIRE(fixture.transport.requests.size() == 1);
  CHECK(fixture.transport.requests[0].authorization == "Bearer abc");
}

TEST_CASE("a cluster's S3 storage signs with the keys its variables hold, or cannot check",
          "[ops][context]") {
  Fixture fixture;
  core::ClusterSpec cluster = cluster_with_header_env(std::nullopt);
  const std::string point = "s3://state/savepoints/sp-1";
  // Without storage settings an s3:// point is not checked, as before.
  CHECK(storage::check_restore_point(*storage_for(fixture.context, cluster), point).status ==
        core::PathStatus::unverified);

  cluster.storage.s3 = core::S3StorageSettings{.endpoint = "http://s3:9000",
                                               .region = "eu-west-1",
                                               .path_style = true,
                                               .access_key_env = "S3_KEY",
                                               .secret_key_env = "S3_SECRET"};
  fixture.transport.answer("HEAD", "http://s3:9000/state/savepoints/sp-1/_metadata", 200, "");
  CHECK(storage::check_restore_point(*storage_for(fixture.context, cluster), point).status ==
        core::PathStatus::valid);
  REQUIRE(fixture.transport.requests.size() == 1);
  REQUIRE(fixture.transport.requests[0].aws_sigv4);
  CHECK(fixture.transport.requests[0].aws_sigv4->access_key == "AKIDEXAMPLE");
  CHECK(fixture.transport.requests[0].aws_sigv4->secret_key == "not-for-printing");
  CHECK(fixture.transport.requests[0].aws_sigv4->region == "eu-west-1");

  cluster.storage.s3->secret_key_env = "S3_UNSET";
  fixture.transport.requests.clear();
  const auto unset = storage::check_restore_point(*storage_for(fixture.context, cluster), point);
  CHECK(unset.status == core::PathStatus::unreachable);
  CHECK_THAT(unset.detail, Catch::Contains("S3_UNSET is not set"));
  CHECK(fixture.transport.requests.empty());
}

TEST_CASE("a cluster's HDFS storage asks its WebHDFS address as its user", "[ops][context]") {
  Fixture fixture;
  core::ClusterSpec cluster = cluster_with_header_env(std::nullopt);
  const std::string point = "hdfs://namenode:8020/flink/savepoints/sp-1";
  // Without storage settings an hdfs:// point is not checked, as before.
  CHECK(storage::check_restore_point(*storage_for(fixture.context, cluster), point).status ==
        core::PathStatus::unverified);

  cluster.storage.hdfs = core::HdfsStorageSettings{.webhdfs = "http://namenode:9870", .user = "flink"};
  fixture.transport.answer(
      "GET",
      "http://namenode:9870/webhdfs/v1/flink/savepoints/sp-1/_metadata?op=GETFILESTATUS&user.name=flink", 200,
      R"({"FileStatus":{"length":4,"pathSuffix":"","type":"FILE"}})");
  CHECK(storage::check_restore_point(*storage_for(fixture.context, cluster), point).status ==
        core::PathStatus::valid);
  REQUIRE(fixture.transport.requests.size() == 1);
  // file: still reads local paths beside it.
  CHECK(storage_for(fixture.context, cluster)->can_read("/tmp/x"));
  CHECK_FALSE(storage_for(fixture.context, cluster)->can_read("s3://state/x"));
}
