// An HttpTransport that answers from a table and records what it was asked.
#pragma once

#include "sp/net/http.hpp"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace sp::test {

class FakeTransport final : public net::HttpTransport {
public:
  // "METHOD url" → response; a missing entry answers as if the host refused the connection.
  std::map<std::string, Result<net::HttpResponse>> answers;
  std::vector<net::HttpRequest> requests;
  // Called with each request before it is answered: a test changes the
  // answers here where Flink's would change (a savepoint listed once taken).
  std::function<void(const net::HttpRequest&)> on_request;

  void answer(const std::string& method, const std::string& url, long status, std::string body) {
    answers.insert_or_assign(method + " " + url, net::HttpResponse{status, std::move(body)});
  }

  Result<net::HttpResponse> send(const net::HttpRequest& request) override {
    requests.push_back(request);
    if (on_request) on_request(request);
    auto it = answers.find(request.method + " " + request.url);
    if (it == answers.end()) {
      return fail(ErrorKind::unreachable, request.method + " " + request.url, "Connection refused");
    }
    return it->second;
  }
};

// Hands a FakeTransport the test keeps to code that owns its transport
// (one per JobManager client): every client then answers from one table.
class ForwardingTransport final : public net::HttpTransport {
public:
  explicit ForwardingTransport(FakeTransport& target) : target_(target) {}
  Result<net::HttpResponse> send(const net::HttpRequest& request) override { return target_.send(request); }

private:
  FakeTransport& target_;
};

// The concurrent interface over the same table: requests wait until run(),
// then are answered in the order they were added (callbacks may add more).
class FakeConcurrentHttp final : public net::ConcurrentHttp {
public:
  explicit FakeConcurrentHttp(FakeTransport& table) : table_(table) {}
  void add(net::HttpRequest request, const net::TlsSettings& /*tls*/, Done done) override {
    queue_.push_back({std::move(request), std::move(done)});
  }
  void run() override {
    for (std::size_t next = 0; next < queue_.size(); ++next) {
      auto [request, done] = std::move(queue_[next]);
      done(table_.send(request));
    }
    queue_.clear();
  }

private:
  FakeTransport& table_;
  std::vector<std::pair<net::HttpRequest, Done>> queue_;
};

} // namespace sp::test
