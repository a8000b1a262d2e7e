#include "sp/ops/jobmanager_address.hpp"
#include "sp/store/jobs.hpp"
#include "sp/store/runs.hpp"
#include "sp/store/store.hpp"

#include "support/fake_transport.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace sp;
using namespace sp::ops;

namespace {

std::string shape(const std::string& name) { return test::read_fixture("yarn-rm/" + name); }

constexpr const char* app_id = "application_1700000000000_0007";
constexpr const char* rm_app = "http://rm:8088/ws/v1/cluster/apps/application_1700000000000_0007";

struct Fixture {
  test::TempDir dir;
  store::Database database = store::open_store({dir / "home"}, store::OpenMode::create_missing).value();
  test::FakeTransport transport;
  std::int64_t now = 1000;
  OpsContext context{
      .database = database,
      .make_transport =
          [this](const net::TransportSettings&) {
            return std::make_unique<test::ForwardingTransport>(transport);
          },
      .clock = {[this] { return now; }, [this](std::chrono::milliseconds d) { now += d.count(); }},
      .env = {},
      .actor = {"me", "host", 1},
      .pid_alive = [](std::int64_t) { return true; },
      .progress = {},
      .make_process_runner = {}};
  core::ClusterSpec yarn{.type = core::ClusterType::yarn_application,
                         .yarn = {.resource_manager = "http://rm:8088/"}};

  Result<std::string> resolve(const core::ClusterSpec& cluster, std::optional<std::string> id = app_id) {
    return resolve_jobmanager_address(context, cluster, "c", id);
  }
};

} // namespace

TEST_CASE("YARN: the ResourceManager's answer decides the JobManager address", "[ops][yarn]") {
  Fixture fixture;
  SECTION("RUNNING: the AM's address, over https when the cluster's REST uses TLS") {
    fixture.transport.answer("GET", rm_app, 200, shape("running.json"));
    CHECK(fixture.resolve(fixture.yarn).value() == "http://nm-3.example.com:40123");
    fixture.yarn.flink_configuration["security.ssl.rest.enabled"] = "true";
    CHECK(fixture.resolve(fixture.yarn).value() == "https://nm-3.example.com:40123");
    REQUIRE(fixture.transport.requests.size() == 2);
    CHECK(fixture.transport.requests[0].method == "GET");
  }
  SECTION("ACCEPTED: unreachable for now") {
    fixture.transport.answer("GET", rm_app, 200, shape("accepted.json"));
    CHECK(fixture.resolve(fixture.yarn).error().kind() == ErrorKind::unreachable);
  }
  SECTION("FINISHED, FAILED, KILLED: the application ended") {
    for (const auto* file : {"finished.json", "failed.json", "killed.json"}) {
      fixture.transport.answer("GET", rm_app, 200, shape(file));
      auto address = fixture.resolve(fixture.yarn);
      INFO(file);
      REQUIRE_FALSE(address.has_value());
      CHECK(address.error().kind() == ErrorKind::external);
    }
  }
  SECTION("404 with Hadoop's RemoteException: not found") {
    fixture.transport.answer("GET", rm_app, 404, shape("not-found.json"));
    auto address = fixture.resolve(fixture.yarn);
    REQUIRE_FALSE(address.has_value());
    CHECK(address.error().kind() == ErrorKind::not_found);
    CHECK(address.error().why() == "the ResourceManager at http://rm:8088/ does not know it");
  }
  SECTION("RM down, or answering 503 (standby): unreachable") {
    CHECK(fixture.resolve(fixture.yarn).error().kind() == ErrorKind::unreachable);
    fixture.transport.answer("GET", rm_app, 503, "");
    CHECK(fixture.resolve(fixture.yarn).error().kind() == ErrorKind::unreachable);
  }
  SECTION("malformed JSON: a failure, not a crash") {
    fixture.transport.answer("GET", rm_app, 200, "{\"app\":");
    CHECK(fixture.resolve(fixture.yarn).error().kind() == ErrorKind::failure);
  }
  SECTION("no application id, or no ResourceManager: usage") {
    CHECK(fixture.resolve(fixture.yarn, std::nullopt).error().kind() == ErrorKind::usage);
    fixture.yarn.yarn.resource_manager.reset();
    CHECK(fixture.resolve(fixture.yarn).error().kind() == ErrorKind::usage);
    CHECK(fixture.transport.requests.empty());
  }
}

TEST_CASE("YARN sessions are looked up by their application id, by url only without one", "[ops][yarn]") {
  Fixture fixture;
  core::ClusterSpec session{.type = core::ClusterType::yarn_session, .url = "http://direct:8081"};
  CHECK(fixture.resolve(session, std::nullopt).value() == "http://direct:8081");
  session.yarn = {.resource_manager = "http://rm:8088", .application_id = app_id};
  fixture.transport.answer("GET", rm_app, 200, shape("running.json"));
  CHECK(fixture.resolve(session, std::nullopt).value() == "http://nm-3.example.com:40123");
}

TEST_CASE("Kubernetes and remote addresses need no lookup", "[ops][kubernetes]") {
  Fixture fixture;
  core::ClusterSpec remote{.type = core::ClusterType::remote, .url = "http://jm:8081"};
  CHECK(fixture.resolve(remote, std::nullopt).value() == "http://jm:8081");
  core::ClusterSpec application{.type = core::ClusterType::kubernetes_application};
  application.kubernetes.name_space = "streaming";
  CHECK(fixture.resolve(application, "orders").value() == "http://orders-rest.streaming:8081");
  CHECK(fixture.resolve(application, std::nullopt).error().kind() == ErrorKind::usage);
  core::ClusterSpec session{.type = core::ClusterType::kubernetes_session};
  session.kubernetes = {.cluster_id = "session-1", .rest_address = "https://{clusterId}.flink.example.com"};
  CHECK(fixture.resolve(session, std::nullopt).value() == "https://session-1.flink.example.com");
  CHECK(fixture.transport.requests.empty());
}

TEST_CASE("an application YARN has only accepted is asked again until it runs or the wait is over",
          "[ops][yarn]") {
  Fixture fixture;
  fixture.transport.answer("GET", rm_app, 200, shape("accepted.json"));
  auto address =
      await_jobmanager_address(fixture.context, fixture.yarn, "c", app_id, std::chrono::seconds(10));
  REQUIRE_FALSE(address.has_value());
  CHECK(address.error().kind() == ErrorKind::unreachable);
  CHECK(fixture.transport.requests.size() == 6); // at 0, 2, 4, 6, 8 and 10 s
  // An ended application is not retried.
  fixture.transport.requests.clear();
  fixture.transport.answer("GET", rm_app, 200, shape("killed.json"));
  address = await_jobmanager_address(fixture.context, fixture.yarn, "c", app_id, std::chrono::seconds(10));
  CHECK(address.error().kind() == ErrorKind::external);
  CHECK(fixture.transport.requests.size() == 1);
}

TEST_CASE("after a failover the run's JobManager is found again and recorded", "[ops][yarn]") {
  Fixture fixture;
  store::upsert_job(fixture.database, 1, "orders", {}, {.cluster = "c"}, 0);
  const auto run_id = store::insert_run(fixture.database, {.job_id = 1,
                                                           .flink_job_id = "a1b2c3d4e5f60718293a4b5c6d7e8f90",
                                                           .application_id = app_id,
                                                           .rest_url = "http://nm-1.example.com:39999",
                                                           .state = "RUNNING",
                                                           .started_at = 0});
  fixture.transport.answer("GET", rm_app, 200, shape("running.json"));
  auto relocation =
      relocate_jobmanager(fixture.context, fixture.yarn, "c", *store::find_run(fixture.database, run_id));
  REQUIRE(relocation.has_value());
  CHECK(relocation->moved);
  CHECK(store::find_run(fixture.database, run_id)->rest_url == "http://nm-3.example.com:40123");
  relocation =
      relocate_jobmanager(fixture.context, fixture.yarn, "c", *store::find_run(fixture.database, run_id));
  CHECK_FALSE(relocation->moved);
}
