#include "sp/flink/rest_client.hpp"

#include "support/fake_transport.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace sp::flink;
using sp::ErrorKind;
using sp::test::FakeTransport;

TEST_CASE("HTTP outcomes map to sp's exit codes", "[flink][rest]") {
  FakeTransport transport;
  RestClient client(transport, "http://jm:8081/");
  transport.answer("GET", "http://jm:8081/jobs/abc/checkpoints", 404,
                   R"({"errors":["org.apache.flink.runtime.rest.NotFoundException: Job abc not found"]})");
  transport.answer("POST", "http://jm:8081/jars/j.jar/run", 400,
                   R"({"errors":["x\nCaused by: java.lang.IllegalStateException: boom\n\tat a.b"]})");
  transport.answer("GET", "http://jm:8081/jobs/overview", 503, "Service Unavailable");
  transport.answer("GET", "http://jm:8081/config", 200, "{not json");

  auto missing = client.checkpoints("abc");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().kind() == ErrorKind::not_found);

  auto rejected = client.run_jar("j.jar", RunRequest{}, RunDialect::claim_mode);
  REQUIRE_FALSE(rejected);
  CHECK(rejected.error().kind() == ErrorKind::external);
  CHECK(rejected.error().why().find("java.lang.IllegalStateException: boom") != std::string::npos);

  auto gateway = client.jobs_overview();
  REQUIRE_FALSE(gateway);
  CHECK(gateway.error().kind() == ErrorKind::unreachable);

  auto malformed = client.version();
  REQUIRE_FALSE(malformed);
  CHECK(malformed.error().kind() == ErrorKind::external);
  CHECK(malformed.error().doing() == "reading GET /config");

  auto refused = client.jars();
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind() == ErrorKind::unreachable);
}

TEST_CASE("requests carry the auth header and the documented bodies", "[flink][rest]") {
  FakeTransport transport;
  RestClient client(transport, "http://jm:8081", std::string("Bearer t0ken"));
  transport.answer("POST", "http://jm:8081/jobs/j1/stop", 202, R"({"request-id":"t1"})");
  transport.answer("POST", "http://jm:8081/jobs/j1/savepoints", 202, R"({"request-id":"t2"})");
  transport.answer("PATCH", "http://jm:8081/jobs/j1?mode=cancel", 202, "{}");

  CHECK(client.trigger_stop("j1", std::string("file:///sp"), true).value() == "t1");
  auto stop_body = nlohmann::json::parse(transport.requests.back().body);
  CHECK(stop_body["drain"] == true);
  CHECK(stop_body["targetDirectory"] == "file:///sp");
  CHECK(transport.requests.back().authorization == "Bearer t0ken");

  CHECK(client.trigger_savepoint("j1", std::nullopt).value() == "t2");
  auto savepoint_body = nlohmann::json::parse(transport.requests.back().body);
  CHECK(savepoint_body["cancel-job"] == false);
  CHECK_FALSE(savepoint_body.contains("target-directory"));

  CHECK(client.cancel("j1").has_value());
  CHECK(transport.requests.back().method == "PATCH");
}

TEST_CASE("a JobManager's answer is reported without the credentials of its URL", "[flink][rest]") {
  FakeTransport transport;
  RestClient client(transport, "https://ops:s3cret@jm.example:8443");
  transport.answer("GET", "https://ops:s3cret@jm.example:8443/jobs/overview", 500, "boom");

  auto failed = client.jobs_overview();
  REQUIRE_FALSE(failed);
  CHECK(failed.error().why().find("jm.example:8443") != std::string::npos);
  CHECK(failed.error().why().find("s3cret") == std::string::npos);
}
