// The concurrent transport's bookkeeping when libcurl fails: every request
// hears back exactly once and run() ends. libcurl's own calls are replaced
// where a failure cannot be caused from outside; real transfers only go to
// a closed loopback port, so no server is needed.
#include "net/curl_multi.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using sp::ErrorKind;
using sp::Result;
using sp::net::HttpRequest;
using sp::net::HttpResponse;

namespace {

// Nothing listens on port 1 of the loopback: every connection is refused at once.
const std::string closed = "http://127.0.0.1:1";

CURLMcode refuse_add(CURLM* /*multi*/, CURL* /*easy*/) { return CURLM_OUT_OF_MEMORY; }
CURLMcode refuse_perform(CURLM* /*multi*/, int* running) {
  *running = 1;
  return CURLM_INTERNAL_ERROR;
}

struct Outcomes {
  std::vector<Result<HttpResponse>> results;
  auto recorder() {
    return [this](Result<HttpResponse> result) { results.push_back(std::move(result)); };
  }
};

HttpRequest get(const std::string& url) {
  HttpRequest request;
  request.url = url;
  return request;
}

} // namespace

TEST_CASE("a request libcurl will not take ends with an error, and run() ends", "[net][multi]") {
  sp::net::CurlGlobal curl;
  auto http = sp::net::make_curl_multi({}, 2, {.add_handle = refuse_add});
  Outcomes outcomes;
  for (int i = 0; i < 3; ++i) http->add(get(closed + "/jobs/" + std::to_string(i)), {}, outcomes.recorder());
  http->add(get("http://127.0.0.1:2/jobs/overview"), {}, outcomes.recorder());
  http->run();
  REQUIRE(outcomes.results.size() == 4);
  for (const auto& result : outcomes.results) {
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().kind() == ErrorKind::failure);
    CHECK(result.error().why().find("libcurl could not start the request") != std::string::npos);
  }
  CHECK(outcomes.results[0].error().doing() == "GET " + closed + "/jobs/0");
}

TEST_CASE("a request a failed request's callback adds is delivered in the same run()", "[net][multi]") {
  sp::net::CurlGlobal curl;
  auto http = sp::net::make_curl_multi({}, 6, {.add_handle = refuse_add});
  Outcomes outcomes;
  http->add(get(closed + "/first"), {}, [&](Result<HttpResponse> result) {
    outcomes.results.push_back(std::move(result));
    http->add(get(closed + "/second"), {}, outcomes.recorder());
  });
  http->run();
  REQUIRE(outcomes.results.size() == 2);
  CHECK(outcomes.results[1].error().doing() == "GET " + closed + "/second");
}

TEST_CASE("a failed perform ends the run with an error for every pending request", "[net][multi]") {
  sp::net::CurlGlobal curl;
  // One connection per origin: the other requests wait in sp's queue, and must hear back too.
  auto http = sp::net::make_curl_multi({}, 1, {.perform = refuse_perform});
  Outcomes outcomes;
  for (int i = 0; i < 3; ++i) http->add(get(closed + "/jobs/" + std::to_string(i)), {}, outcomes.recorder());
  http->run();
  REQUIRE(outcomes.results.size() == 3);
  for (const auto& result : outcomes.results) {
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().kind() == ErrorKind::failure);
    CHECK(result.error().why().find("libcurl failed") != std::string::npos);
  }
}

TEST_CASE("a refused connection is unreachable, named without credentials or query", "[net][multi]") {
  sp::net::CurlGlobal curl;
  auto http = sp::net::make_curl_multi({}, 6);
  Outcomes outcomes;
  http->add(get("http://alice:secret@127.0.0.1:1/jobs/overview?token=abc"), {}, outcomes.recorder());
  http->run();
  REQUIRE(outcomes.results.size() == 1);
  REQUIRE_FALSE(outcomes.results[0].has_value());
  const auto& error = outcomes.results[0].error();
  CHECK(error.kind() == ErrorKind::unreachable);
  CHECK(error.doing() == "GET http://alice:******@127.0.0.1:1/jobs/overview");
  CHECK(std::string(error.what()).find("secret") == std::string::npos);
  CHECK(std::string(error.what()).find("abc") == std::string::npos);
}
