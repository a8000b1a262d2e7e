#include "sp/core/alert.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace sp;
using sp::core::Alert;

namespace {

Alert job_failed() {
  Alert alert;
  alert.kind = "job-failed";
  alert.time_ms = 1700000000123; // 2023-11-14T22:13:20Z
  alert.environment = "prod";
  alert.job = "orders-enrich";
  alert.owner = "data-platform@example.com";
  alert.cluster = "prod-session";
  alert.jobmanager = "http://jm:8081";
  alert.state = "FAILED";
  alert.cause = "java.lang.RuntimeException: boom";
  alert.restore_point = "file:/sp/cp/chk-7";
  alert.summary = "prod/orders-enrich FAILED: java.lang.RuntimeException: boom";
  alert.host = "ops1";
  alert.sp_version = "0.1.0";
  return alert;
}

Alert jobmanager_unreachable() {
  Alert alert;
  alert.kind = "jobmanager-unreachable";
  alert.time_ms = 1700000000000;
  alert.cluster = "prod-session";
  alert.jobmanager = "http://jm:8081";
  alert.state = "UNREACHABLE";
  alert.jobs = {"prod/a", "prod/b"};
  alert.summary = "JobManager http://jm:8081 of cluster prod-session unreachable";
  return alert;
}

} // namespace

TEST_CASE("the alert document has fixed keys in a fixed order", "[core][alert]") {
  CHECK(core::alert_document(job_failed()).dump() ==
        R"({"schema":"sp/alert/v1","kind":"job-failed",)"
        R"("summary":"prod/orders-enrich FAILED: java.lang.RuntimeException: boom",)"
        R"("time":"2023-11-14T22:13:20Z","time_ms":1700000000123,"environment":"prod","job":"orders-enrich",)"
        R"("owner":"data-platform@example.com","cluster":"prod-session","jobmanager":"http://jm:8081",)"
        R"("state":"FAILED","cause":"java.lang.RuntimeException: boom","restore_point":"file:/sp/cp/chk-7",)"
        R"("jobs":[],"host":"ops1","sp_version":"0.1.0"})");
}

TEST_CASE("fields that do not apply are null, absent optionals are left out", "[core][alert]") {
  CHECK(core::alert_document(jobmanager_unreachable()).dump() ==
        R"({"schema":"sp/alert/v1","kind":"jobmanager-unreachable",)"
        R"("summary":"JobManager http://jm:8081 of cluster prod-session unreachable",)"
        R"("time":"2023-11-14T22:13:20Z","time_ms":1700000000000,"environment":null,"job":null,"owner":null,)"
        R"("cluster":"prod-session","jobmanager":"http://jm:8081","state":"UNREACHABLE",)"
        R"("jobs":["prod/a","prod/b"],"host":null,"sp_version":null})");
}

TEST_CASE("an alert survives its document", "[core][alert]") {
  for (const auto& alert : {job_failed(), jobmanager_unreachable(), core::test_alert(5, "h", "v")}) {
    const auto document = nlohmann::json::parse(core::alert_document(alert).dump());
    auto back = core::alert_from_document(document);
    REQUIRE(back.has_value());
    CHECK(*back == alert);
  }
}

TEST_CASE("a document that is not an alert is a usage error naming the field", "[core][alert]") {
  auto document = nlohmann::json::parse(core::alert_document(job_failed()).dump());
  struct Case {
    const char* name;
    std::function<void(nlohmann::json&)> change;
    const char* field;
  };
  const std::vector<Case> cases{
      {"other schema", [](auto& d) { d["schema"] = "sp/alert/v2"; }, "schema"},
      {"no time", [](auto& d) { d.erase("time_ms"); }, "time_ms"},
      {"text time", [](auto& d) { d["time_ms"] = "now"; }, "time_ms"},
      {"number job", [](auto& d) { d["job"] = 3; }, "job"},
      {"jobs not strings", [](auto& d) { d["jobs"] = {1, 2}; }, "jobs"},
      {"no kind", [](auto& d) { d["kind"] = nullptr; }, "kind"},
      {"cause not text", [](auto& d) { d["cause"] = true; }, "cause"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    auto changed = document;
    c.change(changed);
    auto read = core::alert_from_document(changed);
    REQUIRE_FALSE(read.has_value());
    CHECK(read.error().kind() == ErrorKind::usage);
    CHECK(read.error().why().starts_with(c.field));
  }
  CHECK_FALSE(core::alert_from_document(nlohmann::json::array()).has_value());
}

TEST_CASE("the email subject is one bounded line", "[core][alert]") {
  CHECK(core::alert_subject(job_failed()) ==
        "[sp] prod/orders-enrich FAILED: java.lang.RuntimeException: boom");

  auto multiline = job_failed();
  multiline.summary = "prod/x FAILED: first\nsecond\r\tthird";
  CHECK(core::alert_subject(multiline) == "[sp] prod/x FAILED: first second  third");

  auto no_summary = jobmanager_unreachable();
  no_summary.summary.clear();
  CHECK(core::alert_subject(no_summary) == "[sp] jobmanager-unreachable cluster prod-session");

  auto long_one = job_failed();
  // é is two bytes; the cut at byte 197 would fall inside the first one.
  long_one.summary = std::string(191, 'x') + "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9";
  CHECK(core::alert_subject(long_one) == "[sp] " + std::string(191, 'x') + "...");
}

TEST_CASE("the email text lists the fields that apply, then the document", "[core][alert]") {
  const auto text = core::alert_text(job_failed());
  CHECK(text.starts_with("prod/orders-enrich FAILED: java.lang.RuntimeException: boom\n\n"
                         "kind:          job-failed\n"
                         "time:          2023-11-14T22:13:20Z\n"
                         "environment:   prod\n"
                         "job:           orders-enrich\n"
                         "owner:         data-platform@example.com\n"
                         "cluster:       prod-session\n"
                         "jobmanager:    http://jm:8081\n"
                         "state:         FAILED\n"
                         "cause:         java.lang.RuntimeException: boom\n"
                         "restore point: file:/sp/cp/chk-7\n"
                         "sent by:       sp 0.1.0 on ops1\n"
                         "\nThe same alert as JSON:\n{\n  \"schema\": \"sp/alert/v1\",\n"));

  const auto jobmanager = core::alert_text(jobmanager_unreachable());
  CHECK(jobmanager.find("affected jobs: prod/a, prod/b\n") != std::string::npos);
  CHECK(jobmanager.find("job:") == std::string::npos);
  CHECK(jobmanager.find("sent by:") == std::string::npos);
}

TEST_CASE("the Message-ID is stable for one alert and differs between alerts", "[core][alert]") {
  const auto id = core::alert_message_id(job_failed());
  CHECK(id == core::alert_message_id(job_failed()));
  CHECK(id.starts_with("sp.1700000000123."));
  CHECK(id.ends_with("@ops1"));
  auto other = job_failed();
  other.state = "CANCELED";
  CHECK(core::alert_message_id(other) != id);
  other.host = "bad host\r\nX: y";
  CHECK(core::alert_message_id(other).ends_with("@localhost"));
}

TEST_CASE("a channel takes the kinds in its events, all when it names none", "[core][alert]") {
  core::AlertChannelSpec all;
  core::AlertChannelSpec failures;
  failures.events = {"job-failed", "auto-restart-refused"};
  struct Case {
    const core::AlertChannelSpec& channel;
    std::string_view kind;
    bool takes;
  };
  const std::vector<Case> cases{
      {all, "job-failed", true},
      {all, "checkpoint-stale", true},
      {failures, "job-failed", true},
      {failures, "auto-restart-refused", true},
      {failures, "auto-restart", false},
      {failures, "checkpoint-stale", false},
      {failures, core::test_alert_kind, true},
  };
  for (const auto& c : cases) {
    INFO(c.kind);
    CHECK(core::channel_takes(c.channel, c.kind) == c.takes);
  }
}

TEST_CASE("the test alert says what it is", "[core][alert]") {
  const auto alert = core::test_alert(1700000000000, "ops1", "0.1.0");
  CHECK(alert.kind == "test");
  CHECK(alert.time_ms == 1700000000000);
  CHECK(alert.summary == "test alert from sp: this channel works");
  CHECK(alert.host == "ops1");
  CHECK(alert.sp_version == "0.1.0");
}
