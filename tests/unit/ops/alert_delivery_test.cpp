// Delivery over fakes at the boundaries: the HTTP transport, the process
// runner, the SMTP transport and the clock (which records its pauses).
#include "sp/ops/alert_delivery.hpp"
#include "sp/store/store.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <deque>
#include <map>

using namespace sp;
using namespace std::chrono_literals;

namespace {

// Answers from a queue, in order; records every request.
struct ScriptedHttp {
  std::deque<Result<net::HttpResponse>> answers;
  std::vector<net::HttpRequest> requests;
};

class ScriptedTransport final : public net::HttpTransport {
public:
  explicit ScriptedTransport(ScriptedHttp& script) : script_(script) {}
  Result<net::HttpResponse> send(const net::HttpRequest& request) override {
    script_.requests.push_back(request);
    REQUIRE_FALSE(script_.answers.empty());
    auto answer = script_.answers.front();
    script_.answers.pop_front();
    return answer;
  }

private:
  ScriptedHttp& script_;
};

struct RecordedRunner {
  std::vector<build::ProcessRequest> requests;
  std::string output;
  build::ProcessResult result{.ending = build::ProcessResult::Ending::exited, .exit_code = 0};
};

class FakeRunner final : public build::ProcessRunner {
public:
  explicit FakeRunner(RecordedRunner& record) : record_(record) {}
  Result<build::ProcessResult> run(const build::ProcessRequest& request) override {
    record_.requests.push_back(request);
    if (request.on_output) request.on_output(record_.output);
    return record_.result;
  }

private:
  RecordedRunner& record_;
};

struct RecordedMail {
  std::vector<net::MailRequest> requests;
  Result<void> answer;
};

class FakeMail final : public net::MailTransport {
public:
  explicit FakeMail(RecordedMail& record) : record_(record) {}
  Result<void> send(const net::MailRequest& request) override {
    record_.requests.push_back(request);
    return record_.answer;
  }

private:
  RecordedMail& record_;
};

struct Fixture {
  test::TempDir dir;
  store::Database database = store::open_store({dir / "home"}, store::OpenMode::create_missing).value();
  ScriptedHttp http;
  RecordedRunner runner;
  RecordedMail mail;
  std::vector<std::chrono::milliseconds> pauses;
  std::map<std::string, std::string> variables{
      {"HOOK_AUTH", "Bearer s3cret-token"}, {"SMTP_USER", "alerts"}, {"SMTP_PASSWORD", "hunter2"}};
  std::vector<std::string> progress;
  ops::OpsContext context{
      .database = database,
      .make_transport =
          [this](const net::TransportSettings&) { return std::make_unique<ScriptedTransport>(http); },
      .clock = {[] { return std::int64_t{1700000000000}; },
                [this](std::chrono::milliseconds pause) { pauses.push_back(pause); }},
      .env = [this](const std::string& name) -> std::optional<std::string> {
        const auto found = variables.find(name);
        return found == variables.end() ? std::nullopt : std::optional(found->second);
      },
      .actor = {"me", "host", 1},
      .pid_alive = [](std::int64_t) { return true; },
      .progress = [this](const std::string& line) { progress.push_back(line); },
      .make_process_runner = [this] { return std::make_unique<FakeRunner>(runner); },
      .make_mail_transport =
          [this](const net::TransportSettings&) { return std::make_unique<FakeMail>(mail); }};
  core::Alert alert = core::test_alert(1700000000000, "ops1", "0.1.0");

  Result<void> deliver(const core::AlertChannelSpec& channel) {
    return ops::deliver_alert(context, "ops", channel, alert);
  }
};

core::AlertChannelSpec webhook(std::optional<std::string> header_env = std::nullopt) {
  return {.type = core::AlertChannelType::webhook,
          .url = "https://hooks.example.com/services/T0/B0/tokenpart",
          .header_env = std::move(header_env)};
}

core::AlertChannelSpec command(std::vector<std::string> argv) {
  return {.type = core::AlertChannelType::command, .argv = std::move(argv)};
}

core::AlertChannelSpec email() {
  return {.type = core::AlertChannelType::email,
          .smtp_url = "smtp://mail.example.com:587",
          .from = "sp <sp@example.com>",
          .to = {"ops@example.com", "Ann <ann@example.org>"},
          .user_env = "SMTP_USER",
          .password_env = "SMTP_PASSWORD"};
}

net::HttpResponse status(long code, std::string body = {}) { return {code, std::move(body)}; }

} // namespace

TEST_CASE("a webhook gets the document as a POST with the header from its variable", "[ops][alert]") {
  Fixture fixture;
  fixture.http.answers = {status(204)};
  REQUIRE(fixture.deliver(webhook("HOOK_AUTH")).has_value());
  REQUIRE(fixture.http.requests.size() == 1);
  const auto& request = fixture.http.requests[0];
  CHECK(request.method == "POST");
  CHECK(request.url == "https://hooks.example.com/services/T0/B0/tokenpart");
  CHECK(request.body == core::alert_document(fixture.alert).dump());
  CHECK(request.authorization == "Bearer s3cret-token");
  CHECK(fixture.pauses.empty());
}

TEST_CASE("a webhook answering 5xx is tried again after a pause", "[ops][alert]") {
  Fixture fixture;
  fixture.http.answers = {status(503, "busy"), status(200)};
  REQUIRE(fixture.deliver(webhook()).has_value());
  CHECK(fixture.http.requests.size() == 2);
  CHECK(fixture.pauses == std::vector<std::chrono::milliseconds>{1s});
  REQUIRE(fixture.progress.size() == 1);
  CHECK(fixture.progress[0].find("HTTP 503") != std::string::npos);
  CHECK(fixture.progress[0].find("trying again in 1s") != std::string::npos);
}

TEST_CASE("a webhook answering another 4xx is not tried again", "[ops][alert]") {
  Fixture fixture;
  fixture.http.answers = {status(400, "bad \x1b[31mpayload\r\nmore")};
  auto delivered = fixture.deliver(webhook());
  REQUIRE_FALSE(delivered.has_value());
  CHECK(delivered.error().kind() == ErrorKind::external);
  CHECK(std::string(delivered.error().what()) ==
        "delivering alert test to channel ops: posting to https://hooks.example.com: "
        "the server answered HTTP 400 with 'bad ?[31mpayload?'");
  CHECK(fixture.http.requests.size() == 1);
  CHECK(fixture.pauses.empty());
}

TEST_CASE("a webhook that cannot be reached three times is unreachable", "[ops][alert]") {
  Fixture fixture;
  for (int i = 0; i < 3; ++i) {
    fixture.http.answers.push_back(
        fail(ErrorKind::unreachable, "POST https://hooks.example.com/services/T0/B0/tokenpart",
             "Failed to connect to hooks.example.com port 443: Connection refused"));
  }
  auto delivered = fixture.deliver(webhook());
  REQUIRE_FALSE(delivered.has_value());
  CHECK(delivered.error().kind() == ErrorKind::unreachable);
  const std::string message = delivered.error().what();
  CHECK(message.find("Connection refused (tried 3 times)") != std::string::npos);
  CHECK(message.find("tokenpart") == std::string::npos); // the URL's path is often the secret
  CHECK(fixture.http.requests.size() == 3);
  CHECK(fixture.pauses == std::vector<std::chrono::milliseconds>{1s, 2s});
}

TEST_CASE("a webhook answering 429 every time fails as external after three tries", "[ops][alert]") {
  Fixture fixture;
  fixture.http.answers = {status(429), status(429), status(429)};
  auto delivered = fixture.deliver(webhook());
  REQUIRE_FALSE(delivered.has_value());
  CHECK(delivered.error().kind() == ErrorKind::external);
  CHECK(delivered.error().why() == "the server answered HTTP 429 with an empty body (tried 3 times)");
  CHECK(fixture.http.requests.size() == 3);
}

TEST_CASE("a webhook whose header variable is unset is refused before sending", "[ops][alert]") {
  Fixture fixture;
  auto delivered = fixture.deliver(webhook("NOT_SET"));
  REQUIRE_FALSE(delivered.has_value());
  CHECK(delivered.error().kind() == ErrorKind::refused);
  CHECK(delivered.error().why() == "environment variable NOT_SET is not set");
  CHECK(fixture.http.requests.empty());
}

TEST_CASE("a command gets the document on stdin, argv as written", "[ops][alert]") {
  Fixture fixture;
  REQUIRE(fixture.deliver(command({"/usr/local/bin/page", "--team", "data"})).has_value());
  REQUIRE(fixture.runner.requests.size() == 1);
  const auto& request = fixture.runner.requests[0];
  CHECK(request.argv == std::vector<std::string>{"/usr/local/bin/page", "--team", "data"});
  CHECK(request.input == core::alert_document(fixture.alert).dump() + "\n");
  CHECK(request.timeout == 30s);
  CHECK_FALSE(request.working_directory.empty());
}

TEST_CASE("a failing command is external with its last lines", "[ops][alert]") {
  Fixture fixture;
  const auto channel = command({"page", "--token", "abc123"});
  SECTION("non-zero exit") {
    fixture.runner.result.exit_code = 2;
    fixture.runner.output = "starting\nno route to pager\n";
    auto delivered = fixture.deliver(channel);
    REQUIRE_FALSE(delivered.has_value());
    CHECK(delivered.error().kind() == ErrorKind::external);
    CHECK(std::string(delivered.error().what()) ==
          "delivering alert test to channel ops: running page: it exited with code 2; its last lines:\n"
          "  starting\n  no route to pager");
    CHECK(std::string(delivered.error().what()).find("abc123") == std::string::npos);
  }
  SECTION("timed out") {
    fixture.runner.result.ending = build::ProcessResult::Ending::timed_out;
    auto delivered = fixture.deliver(channel);
    REQUIRE_FALSE(delivered.has_value());
    CHECK(delivered.error().kind() == ErrorKind::external);
    CHECK(delivered.error().why() ==
          "it timed out after 30s; its process group was ended; it printed nothing");
  }
  SECTION("interrupted") {
    fixture.runner.result.ending = build::ProcessResult::Ending::interrupted;
    CHECK(fixture.deliver(channel).error().kind() == ErrorKind::interrupted);
  }
}

TEST_CASE("an email goes to every recipient with the channel's credentials", "[ops][alert]") {
  Fixture fixture;
  REQUIRE(fixture.deliver(email()).has_value());
  REQUIRE(fixture.mail.requests.size() == 1);
  const auto& request = fixture.mail.requests[0];
  CHECK(request.url == "smtp://mail.example.com:587");
  CHECK(request.envelope_from == "sp@example.com");
  CHECK(request.recipients == std::vector<std::string>{"ops@example.com", "ann@example.org"});
  CHECK(request.user == "alerts");
  CHECK(request.password == "hunter2");
  CHECK(request.message.find("\r\nSubject: [sp] test alert from sp: this channel works\r\n") !=
        std::string::npos);
  CHECK(request.message.find("To: ops@example.com,\r\n \"Ann\" <ann@example.org>\r\n") != std::string::npos);
  CHECK(request.message.find("Message-ID: <" + core::alert_message_id(fixture.alert) + ">\r\n") !=
        std::string::npos);
  CHECK(request.message.find("\"schema\": \"sp/alert/v1\"") != std::string::npos);
}

TEST_CASE("email failures keep their kind and never show the password", "[ops][alert]") {
  Fixture fixture;
  SECTION("the password variable is unset") {
    fixture.variables.erase("SMTP_PASSWORD");
    auto delivered = fixture.deliver(email());
    REQUIRE_FALSE(delivered.has_value());
    CHECK(delivered.error().kind() == ErrorKind::refused);
    CHECK(fixture.mail.requests.empty());
  }
  SECTION("the server cannot be reached") {
    fixture.mail.answer = fail(ErrorKind::unreachable, "sending mail through smtp://mail.example.com:587",
                               "Failed to connect to mail.example.com port 587");
    auto delivered = fixture.deliver(email());
    REQUIRE_FALSE(delivered.has_value());
    CHECK(delivered.error().kind() == ErrorKind::unreachable);
    CHECK(delivered.error().doing() ==
          "delivering alert test to channel ops: sending mail through smtp://mail.example.com:587");
    CHECK(std::string(delivered.error().what()).find("hunter2") == std::string::npos);
  }
  SECTION("a bad address in the channel") {
    auto channel = email();
    channel.to.push_back("not-an-address");
    auto delivered = fixture.deliver(channel);
    REQUIRE_FALSE(delivered.has_value());
    CHECK(delivered.error().kind() == ErrorKind::usage);
    CHECK(fixture.mail.requests.empty());
  }
}
