#include "sp/flink/yarn.hpp"

#include "support/fixtures.hpp"

#include <catch2/catch.hpp>

using namespace sp;
using namespace sp::flink;

namespace {

// The documented Hadoop shapes in tests/fixtures/yarn-rm/.
std::string shape(const std::string& name) { return sp::test::read_fixture("yarn-rm/" + name); }

} // namespace

TEST_CASE("a RUNNING application's JobManager is its amRPCAddress, never the RM proxy", "[flink][yarn]") {
  auto application = parse_yarn_application(shape("running.json"));
  REQUIRE(application.has_value());
  CHECK(application->id == "application_1700000000000_0007");
  CHECK(application->state == "RUNNING");
  CHECK(application->final_status == "UNDEFINED");
  CHECK(application->am_rpc_address == "nm-3.example.com:40123");
  CHECK(application->am_host_http_address == "nm-3.example.com:8042");
  CHECK(jobmanager_url_of(*application, false).value() == "http://nm-3.example.com:40123");
  CHECK(jobmanager_url_of(*application, true).value() == "https://nm-3.example.com:40123");

  SECTION("without amRPCAddress, a direct tracking URL will do") {
    application->am_rpc_address.reset();
    application->tracking_url = "http://nm-3.example.com:40123/";
    CHECK(jobmanager_url_of(*application, false).value() == "http://nm-3.example.com:40123");
  }
  SECTION("without amRPCAddress, the proxy is refused: it cannot take POST") {
    application->am_rpc_address.reset();
    auto url = jobmanager_url_of(*application, false);
    REQUIRE_FALSE(url.has_value());
    CHECK(url.error().kind() == ErrorKind::external);
    CHECK(url.error().why().find("only its proxy") != std::string::npos);
  }
}

TEST_CASE("an ACCEPTED application has no JobManager yet: unreachable, try again", "[flink][yarn]") {
  auto application = parse_yarn_application(shape("accepted.json"));
  REQUIRE(application.has_value());
  CHECK_FALSE(application->am_rpc_address.has_value());       // "N/A"
  CHECK_FALSE(application->am_host_http_address.has_value()); // ""
  auto url = jobmanager_url_of(*application, false);
  REQUIRE_FALSE(url.has_value());
  CHECK(url.error().kind() == ErrorKind::unreachable);
  CHECK(url.error().why() == "the application is ACCEPTED, not RUNNING yet");
}

TEST_CASE("an ended application says how it ended", "[flink][yarn]") {
  for (const auto& [file, why] : std::vector<std::pair<std::string, std::string>>{
           {"finished.json", "the application ended: FINISHED (final status SUCCEEDED)"},
           {"failed.json",
            "the application ended: FAILED (final status FAILED): Application "
            "application_1700000000000_0007 failed 1 times (global limit =2; local limit is =1) due "
            "to AM Container for appattempt_1700000000000_0007_000001 exited with  exitCode: 1"},
           {"killed.json",
            "the application ended: KILLED (final status KILLED): Application killed by user."}}) {
    INFO(file);
    auto application = parse_yarn_application(shape(file));
    REQUIRE(application.has_value());
    auto url = jobmanager_url_of(*application, false);
    REQUIRE_FALSE(url.has_value());
    CHECK(url.error().kind() == ErrorKind::external);
    CHECK(url.error().why() == why);
  }
}

TEST_CASE("the jobs of an ended application end as the final status Flink gave YARN says", "[flink][yarn]") {
  auto application = parse_yarn_application(shape("running.json")).value();
  CHECK_FALSE(application_end_of(application, false).has_value());
  application.state = "ACCEPTED";
  CHECK_FALSE(application_end_of(application, false).has_value());

  for (const auto& [state, final_status, run_state] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"FINISHED", "SUCCEEDED", "FINISHED"},
           {"FINISHED", "KILLED", "CANCELED"}, // Flink cancelled its job and unregistered
           {"FINISHED", "FAILED", "FAILED"},
           {"FINISHED", "UNDEFINED", "LOST"},
           {"KILLED", "KILLED", "LOST"}, // killed through YARN: Flink never said what became of the job
           {"FAILED", "FAILED", "FAILED"}}) {
    INFO(state << " " << final_status);
    application.state = state;
    application.final_status = final_status;
    auto end = application_end_of(application, false);
    REQUIRE(end.has_value());
    CHECK(end->run_state == run_state);
    CHECK(end->why.starts_with("YARN application application_1700000000000_0007: the application ended: " +
                               state + " (final status " + final_status + ")"));
    // A session's final status says nothing of its jobs.
    CHECK(application_end_of(application, true).value().run_state == "LOST");
  }
}

TEST_CASE("ResourceManager answers of another shape are failures, not crashes", "[flink][yarn]") {
  for (const std::string& body :
       {shape("not-found.json"), std::string("{"), std::string("[]"),
        std::string(R"({"app": {"id": 7, "state": "RUNNING"}})"),
        std::string(R"({"app": {"id": "application_1_1"}})"), std::string(R"({"app": []})")}) {
    INFO(body);
    auto application = parse_yarn_application(body);
    REQUIRE_FALSE(application.has_value());
    CHECK(application.error().kind() == ErrorKind::failure);
  }
}

TEST_CASE("the application's URL on the ResourceManager", "[flink][yarn]") {
  CHECK(yarn_application_url("http://rm:8088/", "application_1_2") ==
        "http://rm:8088/ws/v1/cluster/apps/application_1_2");
  CHECK(yarn_application_url("http://rm:8088", "application_1_2") ==
        "http://rm:8088/ws/v1/cluster/apps/application_1_2");
  CHECK(yarn_cluster_info_url("http://rm:8088//") == "http://rm:8088/ws/v1/cluster/info");
}
