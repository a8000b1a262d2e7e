// The libcurl transport against a real HTTP server on the loopback: what goes
// on the wire (method, headers, body, multipart upload), what comes back (any
// status is a response), how it fails (refused, timed out, a file it cannot
// read), that connections are kept alive, and that a failure never names the
// URL's credentials or query.
#include "sp/net/http.hpp"

#include "support/loopback_http.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>

using namespace sp;
using namespace std::chrono_literals;

namespace {

net::TransportSettings settings() {
  net::TransportSettings settings;
  settings.user_agent = "sp/test";
  settings.timeouts = {.connect = 2s, .total = 5s};
  return settings;
}

net::HttpRequest request(std::string method, std::string url, std::string body = {}) {
  net::HttpRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.body = std::move(body);
  return request;
}

} // namespace

TEST_CASE("a GET carries sp's headers and any status comes back as a response", "[net][transport]") {
  net::CurlGlobal curl;
  test::LoopbackHttp server([](const test::ReceivedRequest& r) {
    return r.target == "/jobs/overview" ? test::CannedResponse{200, R"({"jobs":[]})"}
                                        : test::CannedResponse{404, R"({"errors":["Not found"]})"};
  });
  auto transport = net::make_curl_transport(settings());

  auto get = request("GET", server.url() + "/jobs/overview");
  get.authorization = "Bearer t0ken";
  auto ok = transport->send(get);
  REQUIRE(ok);
  CHECK(ok->status == 200);
  CHECK(ok->body == R"({"jobs":[]})");

  auto missing = transport->send(request("GET", server.url() + "/jobs/nope"));
  REQUIRE(missing); // an HTTP error is an answer, for the caller to judge
  CHECK(missing->status == 404);

  const auto seen = server.requests();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].method == "GET");
  CHECK(seen[0].headers.at("authorization") == "Bearer t0ken");
  CHECK(seen[0].headers.at("accept") == "application/json");
  CHECK(seen[0].headers.at("user-agent") == "sp/test");
  CHECK_FALSE(seen[1].headers.contains("authorization")); // not carried over from the previous request
  CHECK(server.connections() == 1);                       // the connection was kept alive
}

TEST_CASE("POST and PATCH send their JSON body, and a PATCH stays a PATCH", "[net][transport]") {
  net::CurlGlobal curl;
  test::LoopbackHttp server([](const test::ReceivedRequest&) { return test::CannedResponse{202, "{}"}; });
  auto transport = net::make_curl_transport(settings());

  REQUIRE(transport->send(request("POST", server.url() + "/jobs/j1/stop", R"({"drain":false})")));
  REQUIRE(transport->send(request("PATCH", server.url() + "/jobs/j1?mode=cancel")));
  REQUIRE(transport->send(request("GET", server.url() + "/jobs/j1")));

  const auto seen = server.requests();
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].method == "POST");
  CHECK(seen[0].body == R"({"drain":false})");
  CHECK(seen[0].headers.at("content-type") == "application/json");
  CHECK(seen[1].method == "PATCH");
  CHECK(seen[1].target == "/jobs/j1?mode=cancel");
  CHECK(seen[2].method == "GET"); // the custom method does not stick to the reused handle
  CHECK(seen[2].body.empty());
}

TEST_CASE("an upload is one multipart part with the file's bytes, and progress reaches the total",
          "[net][transport]") {
  net::CurlGlobal curl;
  test::TempDir dir;
  const std::string content(100'000, 'j');
  std::ofstream(dir / "job.jar", std::ios::binary) << content;
  test::LoopbackHttp server([](const test::ReceivedRequest&) {
    return test::CannedResponse{200, R"({"filename":"/tmp/x_job.jar","status":"success"})"};
  });
  auto transport = net::make_curl_transport(settings());

  std::uint64_t last_sent = 0;
  std::uint64_t last_total = 0;
  auto upload = request("POST", server.url() + "/jars/upload");
  upload.upload = net::UploadFile{.field = "jarfile",
                                  .path = dir / "job.jar",
                                  .on_progress = [&](std::uint64_t sent, std::uint64_t total) {
                                    last_sent = sent;
                                    last_total = total;
                                  }};
  auto answered = transport->send(upload);
  REQUIRE(answered);
  CHECK(answered->status == 200);

  const auto seen = server.requests().at(0);
  CHECK(seen.headers.at("content-type").starts_with("multipart/form-data; boundary="));
  CHECK_FALSE(seen.headers.contains("expect"));
  CHECK(seen.body.find(R"(name="jarfile"; filename="job.jar")") != std::string::npos);
  CHECK(seen.body.find("Content-Type: application/x-java-archive") != std::string::npos);
  CHECK(seen.body.find(content) != std::string::npos);
  CHECK(last_total > content.size());
  CHECK(last_sent == last_total);
}

TEST_CASE("a jar that cannot be read is sp's failure, not the server's", "[net][transport]") {
  net::CurlGlobal curl;
  test::TempDir dir;
  test::LoopbackHttp server([](const test::ReceivedRequest&) { return test::CannedResponse{200, "{}"}; });
  auto transport = net::make_curl_transport(settings());
  auto upload = request("POST", server.url() + "/jars/upload");
  upload.upload = net::UploadFile{.field = "jarfile", .path = dir / "missing.jar"};
  auto failed = transport->send(upload);
  REQUIRE_FALSE(failed);
  CHECK(failed.error().kind() == ErrorKind::failure);
}

TEST_CASE("a server that does not answer in time is unreachable, within the request's own timeout",
          "[net][transport]") {
  net::CurlGlobal curl;
  test::LoopbackHttp server([](const test::ReceivedRequest&) { return test::CannedResponse{200, "{}", 3s}; });
  auto transport = net::make_curl_transport(settings());
  auto slow = request("GET", server.url() + "/jobs/overview?secret=x");
  slow.timeouts = net::Timeouts{.connect = 1s, .total = 300ms};

  const auto started = std::chrono::steady_clock::now();
  auto failed = transport->send(slow);
  const auto took = std::chrono::steady_clock::now() - started;
  REQUIRE_FALSE(failed);
  CHECK(failed.error().kind() == ErrorKind::unreachable);
  CHECK(took < 2s); // the request's 300 ms, not the transport's 5 s nor the server's 3 s
  CHECK(failed.error().doing() == "GET " + server.url() + "/jobs/overview");
}

TEST_CASE("a refused connection is unreachable and its message hides the URL's credentials",
          "[net][transport]") {
  net::CurlGlobal curl;
  auto transport = net::make_curl_transport(settings());
  auto failed = transport->send(request("GET", "http://ops:s3cret@127.0.0.1:1/jobs/overview?token=t"));
  REQUIRE_FALSE(failed);
  CHECK(failed.error().kind() == ErrorKind::unreachable);
  CHECK(std::string(failed.error().what()).find("s3cret") == std::string::npos);
  CHECK(std::string(failed.error().what()).find("token=t") == std::string::npos);
  CHECK(failed.error().doing().find("127.0.0.1:1/jobs/overview") != std::string::npos);
}

TEST_CASE("an S3 request is signed by libcurl with SigV4, and a HEAD reads no body", "[net][transport]") {
  net::CurlGlobal curl;
  test::LoopbackHttp server([](const test::ReceivedRequest& r) {
    return r.method == "HEAD" ? test::CannedResponse{200, ""}
                              : test::CannedResponse{200, "<ListBucketResult/>"};
  });
  auto transport = net::make_curl_transport(settings());
  const net::AwsSigning signing{"eu-west-1", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                "session-token"};

  auto head = request("HEAD", server.url() + "/state/checkpoints/abc/chk-7/_metadata");
  head.aws_sigv4 = signing;
  auto headed = transport->send(head);
  REQUIRE(headed);
  CHECK(headed->status == 200);
  auto list =
      request("GET", server.url() + "/state/?delimiter=%2F&list-type=2&max-keys=10&prefix=checkpoints%2F");
  list.aws_sigv4 = signing;
  list.aws_sigv4->session_token.reset();
  auto listed = transport->send(list);
  REQUIRE(listed);
  CHECK(listed->body == "<ListBucketResult/>");

  const auto seen = server.requests();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].method == "HEAD");
  for (const auto& r : seen) {
    INFO(r.method << " " << r.target);
    const auto& authorization = r.headers.at("authorization");
    CHECK(authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
    CHECK_THAT(authorization, Catch::Contains("/eu-west-1/s3/aws4_request"));
    CHECK_THAT(authorization, Catch::Contains("Signature="));
    CHECK(authorization.find("wJalrXUtnFEMI") == std::string::npos); // the secret signs, it is never sent
    CHECK(r.headers.contains("x-amz-date"));
    CHECK(r.headers.at("x-amz-content-sha256") ==
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }
  CHECK(seen[0].headers.at("x-amz-security-token") == "session-token");
  CHECK_FALSE(seen[1].headers.contains("x-amz-security-token"));
  CHECK(server.connections() == 1); // the HEAD left the connection usable
}

TEST_CASE("a redirect is followed only when the request asks, as WebHDFS's OPEN needs", "[net][transport]") {
  net::CurlGlobal curl;
  // The "DataNode" holds the bytes; the "NameNode" answers 307 to it, as WebHDFS does.
  test::LoopbackHttp datanode([](const test::ReceivedRequest& r) {
    return r.target.starts_with("/webhdfs/v1/state/_metadata?op=OPEN") ? test::CannedResponse{200, "META"}
                                                                       : test::CannedResponse{404, ""};
  });
  const std::string location = datanode.url() + "/webhdfs/v1/state/_metadata?op=OPEN&offset=0";
  test::LoopbackHttp namenode([&](const test::ReceivedRequest&) {
    return test::CannedResponse{307, "", {}, {"Location: " + location}};
  });
  auto transport = net::make_curl_transport(settings());

  auto open = request("GET", namenode.url() + "/webhdfs/v1/state/_metadata?op=OPEN&user.name=flink");
  auto unfollowed = transport->send(open);
  REQUIRE(unfollowed);
  CHECK(unfollowed->status == 307); // not asked to follow: the redirect is the answer
  CHECK(datanode.requests().empty());

  open.follow_redirects = true;
  open.authorization = "Bearer for-the-namenode-only";
  auto followed = transport->send(open);
  REQUIRE(followed);
  CHECK(followed->status == 200);
  CHECK(followed->body == "META");
  const auto seen = datanode.requests();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "GET");
  CHECK_FALSE(seen[0].headers.contains("authorization")); // another host (port): not sent on
  CHECK(namenode.requests().size() == 2);

  SECTION("a redirect loop ends as unreachable, not as a hang") {
    test::LoopbackHttp loop([](const test::ReceivedRequest& r) {
      return test::CannedResponse{307, "", {}, {"Location: " + r.target}};
    });
    auto looping = request("GET", loop.url() + "/webhdfs/v1/x?op=OPEN");
    looping.follow_redirects = true;
    auto failed = transport->send(looping);
    REQUIRE_FALSE(failed);
    CHECK(failed.error().kind() == ErrorKind::unreachable);
  }
}
