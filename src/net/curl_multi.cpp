#include "curl_multi.hpp"
#include "curl_request.hpp"

#include <fmt/format.h>

#include <deque>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

namespace sp::net {

namespace {

struct MultiDeleter {
  void operator()(CURLM* handle) const { curl_multi_cleanup(handle); }
};
using MultiHandle = std::unique_ptr<CURLM, MultiDeleter>;

// "scheme://host:port" of a URL: requests to one origin share its connections.
std::string origin_of(const std::string& url) {
  const auto scheme = url.find("://");
  const auto start = scheme == std::string::npos ? 0 : scheme + 3;
  return url.substr(0, url.find_first_of("/?#", start));
}

class CurlMulti final : public ConcurrentHttp {
public:
  CurlMulti(TransportSettings settings, long per_host, MultiCalls calls)
      : settings_(std::move(settings)), per_host_(per_host < 1 ? 1 : per_host), calls_(calls),
        multi_(curl_multi_init()) {
    if (!multi_) throw Error(ErrorKind::failure, "starting HTTP", "curl_multi_init failed");
    curl_multi_setopt(multi_.get(), CURLMOPT_MAX_HOST_CONNECTIONS, per_host_);
    curl_multi_setopt(multi_.get(), CURLMOPT_MAXCONNECTS, 1024L);
  }

  ~CurlMulti() override {
    for (auto& [easy, transfer] : active_) curl_multi_remove_handle(multi_.get(), easy);
  }

  void add(HttpRequest request, const TlsSettings& tls, Done done) override {
    if (broken_) { // this run() is ending: whatever a callback adds now ends with it
      failed_.push_back(
          {std::move(done), Error(ErrorKind::failure, describe_request(request), broken_->why())});
      return;
    }
    auto origin = origin_of(request.url);
    origins_[origin].waiting.push_back({std::move(request), tls, std::move(done)});
    start_waiting(origin);
  }

  // Ends when no request is in flight or failed and undelivered. A failed
  // perform or poll leaves libcurl's state unknown, so every request still
  // pending gets that error instead of a wait that may never end; the next
  // run() starts afresh.
  void run() override {
    for (;;) {
      deliver_failed();
      if (active_.empty()) break;
      int running = 0;
      if (const CURLMcode code = calls_.perform(multi_.get(), &running); code != CURLM_OK) {
        abandon_all("driving the transfers", code);
        continue;
      }
      finish_done_transfers();
      if (running == 0) continue;
      if (const CURLMcode code = calls_.poll(multi_.get(), nullptr, 0, 1000, nullptr); code != CURLM_OK) {
        abandon_all("waiting for the transfers", code);
      }
    }
    broken_.reset();
  }

private:
  struct Waiting {
    HttpRequest request;
    TlsSettings tls;
    Done done;
  };
  struct Failed {
    Done done;
    Error error;
  };
  struct Transfer {
    EasyHandle handle;
    std::unique_ptr<RequestState> state;
    Done done;
    std::string origin;
  };
  // Requests wait here, not inside libcurl, so that only `per_host` easy
  // handles (each with its own buffers) exist per JobManager however many
  // jobs it runs: memory stays flat at 10,000 jobs.
  struct Origin {
    std::deque<Waiting> waiting;
    long in_flight = 0;
  };

  void start_waiting(const std::string& origin_name) {
    Origin& origin = origins_[origin_name];
    while (origin.in_flight < per_host_ && !origin.waiting.empty()) {
      Waiting next = std::move(origin.waiting.front());
      origin.waiting.pop_front();
      EasyHandle handle = take_handle();
      CURL* easy = handle.get();
      auto state = RequestState::prepare(easy, std::move(next.request), settings_, next.tls);
      if (const CURLMcode code = calls_.add_handle(multi_.get(), easy); code != CURLM_OK) {
        // Not in libcurl, so run() would never see it end: it fails here,
        // and is delivered by run() like any other answer.
        failed_.push_back({std::move(next.done), Error(ErrorKind::failure, describe_request(state->request()),
                                                       fmt::format("libcurl could not start the request: {}",
                                                                   curl_multi_strerror(code)))});
        idle_.push_back(std::move(handle));
        continue;
      }
      active_.emplace(easy, Transfer{std::move(handle), std::move(state), std::move(next.done), origin_name});
      ++origin.in_flight;
    }
  }

  // Every pending request, in libcurl or waiting for a connection, fails
  // with the multi interface's error; nothing is left in libcurl.
  void abandon_all(const std::string& doing, CURLMcode code) {
    broken_ = Error(ErrorKind::failure, doing, fmt::format("libcurl failed: {}", curl_multi_strerror(code)));
    for (auto& [easy, transfer] : active_) {
      curl_multi_remove_handle(multi_.get(), easy);
      failed_.push_back(
          {std::move(transfer.done),
           Error(ErrorKind::failure, describe_request(transfer.state->request()), broken_->why())});
      transfer.state.reset();
      idle_.push_back(std::move(transfer.handle));
    }
    active_.clear();
    for (auto& [name, origin] : origins_) {
      for (auto& waiting : origin.waiting) {
        failed_.push_back({std::move(waiting.done),
                           Error(ErrorKind::failure, describe_request(waiting.request), broken_->why())});
      }
      origin.waiting.clear();
      origin.in_flight = 0;
    }
  }

  // Callbacks may add requests; those that fail at once join the queue.
  void deliver_failed() {
    while (!failed_.empty()) {
      Failed next = std::move(failed_.front());
      failed_.pop_front();
      next.done(std::unexpected(std::move(next.error)));
    }
  }

  EasyHandle take_handle() {
    if (idle_.empty()) return make_easy_handle();
    EasyHandle handle = std::move(idle_.back());
    idle_.pop_back();
    return handle;
  }

  void finish_done_transfers() {
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_.get(), &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      const CURLcode code = message->data.result;
      curl_multi_remove_handle(multi_.get(), easy);
      auto found = active_.find(easy);
      if (found == active_.end()) continue;
      Transfer transfer = std::move(found->second);
      active_.erase(found);
      Result<HttpResponse> outcome = transfer.state->finish(easy, code);
      transfer.state.reset();
      idle_.push_back(std::move(transfer.handle));
      --origins_[transfer.origin].in_flight;
      // May add requests; they join this same run().
      transfer.done(std::move(outcome));
      start_waiting(transfer.origin);
    }
  }

  TransportSettings settings_;
  long per_host_;
  MultiCalls calls_;
  MultiHandle multi_;
  std::map<std::string, Origin> origins_;
  std::unordered_map<CURL*, Transfer> active_;
  std::vector<EasyHandle> idle_; // reused, so a steady cycle allocates no handles
  std::deque<Failed> failed_;    // ended without reaching libcurl's queue, or abandoned
  std::optional<Error> broken_;  // set when this run() gave up on libcurl
};

} // namespace

std::unique_ptr<ConcurrentHttp> make_curl_multi(const TransportSettings& settings, long per_host) {
  return std::make_unique<CurlMulti>(settings, per_host, MultiCalls{});
}

std::unique_ptr<ConcurrentHttp> make_curl_multi(const TransportSettings& settings, long per_host,
                                                MultiCalls calls) {
  return std::make_unique<CurlMulti>(settings, per_host, calls);
}

} // namespace sp::net
