// The two reference clients of the watch benchmark (tests/bench/README.md):
//
//   sp_watch_bench_client floor      URLFILE [--per-host N]
//   sp_watch_bench_client dom        URLFILE [--per-host N]
//   sp_watch_bench_client streampark URLFILE
//
// URLFILE lists the requests of one watch cycle, one URL a line: each
// JobManager's /jobs/overview and each running job's /jobs/:id/checkpoints.
//
// floor:      every request, concurrently through one curl multi handle over
//             kept-alive connections (--per-host per JobManager, default 2),
//             bodies discarded unparsed. No client can do the same requests
//             faster, so it is the yardstick a watch cycle is held to.
// dom:        the same, but every body is kept and parsed with nlohmann::json
//             (a DOM), to show what a full parse adds to the transport.
// streampark: the request pattern of StreamPark's watcher: for every job, its
//             JobManager's whole /jobs/overview and then its own
//             /jobs/:id/checkpoints, one at a time, each on a new connection,
//             each body fully parsed.
//
// Prints one JSON line: mode, wall_ms, requests, errors, bytes. Exit 1 when a
// request failed (the figures would not be comparable), 2 on bad usage.
#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct EasyDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
struct MultiDeleter {
  void operator()(CURLM* handle) const noexcept { curl_multi_cleanup(handle); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;
using Multi = std::unique_ptr<CURLM, MultiDeleter>;

class CurlGlobal {
public:
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  CurlGlobal(const CurlGlobal&) = delete;
  CurlGlobal& operator=(const CurlGlobal&) = delete;
  ~CurlGlobal() { curl_global_cleanup(); }
};

struct Totals {
  long requests = 0;
  long errors = 0;
  long long bytes = 0;
};

// One transfer's sink: counts bytes, and keeps them only when they are parsed.
struct Sink {
  bool keep = false;
  long long bytes = 0;
  std::string body;
};

std::size_t on_data(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  sink->bytes += static_cast<long long>(size * count);
  if (sink->keep) sink->body.append(data, size * count);
  return size * count;
}

Easy make_easy(Sink& sink) {
  Easy easy(curl_easy_init());
  if (!easy) throw std::runtime_error("curl_easy_init failed");
  curl_easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(easy.get(), CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(easy.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy.get(), CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(easy.get(), CURLOPT_TIMEOUT_MS, 30000L);
  curl_easy_setopt(easy.get(), CURLOPT_USERAGENT, "sp-watch-bench");
  return easy;
}

// A parse failure counts as an error: a benchmark over bodies that are not
// the JSON it thinks they are measures nothing.
bool parse(const std::string& body) {
  auto value = nlohmann::json::parse(body, nullptr, false);
  return !value.is_discarded() && value.is_object();
}

bool finished_well(CURL* easy, CURLcode code) {
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  return code == CURLE_OK && status == 200;
}

// "http://host:port/path" -> "http://host:port": libcurl's unit of reuse.
std::string origin_of(const std::string& url) {
  const auto scheme = url.find("://");
  const auto path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return path == std::string::npos ? url : url.substr(0, path);
}

// floor and dom: `per_host` transfers in flight per JobManager, each easy
// handle fetching its host's URLs one after another so its connection stays
// alive. The queueing is ours rather than CURLMOPT_MAX_HOST_CONNECTIONS:
// libcurl 7.88 can leave its own queued transfers waiting for the poll's
// timeout after a connection frees up, which would bill the transport for
// stalls no client has to have.
Totals fetch_concurrently(const std::vector<std::string>& urls, long per_host, bool keep) {
  Multi multi(curl_multi_init());
  if (!multi) throw std::runtime_error("curl_multi_init failed");

  std::vector<std::string> origins;
  std::vector<std::vector<const std::string*>> queues; // per origin, in file order
  for (const auto& url : urls) {
    const auto origin = origin_of(url);
    const auto found = std::find(origins.begin(), origins.end(), origin);
    const auto index = static_cast<std::size_t>(found - origins.begin());
    if (found == origins.end()) {
      origins.push_back(origin);
      queues.emplace_back();
    }
    queues[index].push_back(&url);
  }

  struct Slot {
    std::size_t origin;
    Sink sink;
    Easy easy;
  };
  std::vector<Slot> slots;
  for (std::size_t origin = 0; origin < origins.size(); ++origin) {
    const auto count = std::min<std::size_t>(static_cast<std::size_t>(per_host), queues[origin].size());
    for (std::size_t i = 0; i < count; ++i) slots.push_back(Slot{origin, Sink{}, nullptr});
  }
  curl_multi_setopt(multi.get(), CURLMOPT_MAXCONNECTS, static_cast<long>(slots.size()));
  std::vector<std::size_t> next(origins.size(), 0);
  Totals totals;
  // Starts the slot's next URL; false when its host has none left.
  auto start = [&](std::size_t index) {
    Slot& slot = slots[index];
    auto& queue = queues[slot.origin];
    if (next[slot.origin] == queue.size()) return false;
    slot.sink.keep = keep;
    slot.sink.body.clear();
    curl_easy_setopt(slot.easy.get(), CURLOPT_URL, queue[next[slot.origin]++]->c_str());
    curl_easy_setopt(slot.easy.get(), CURLOPT_PRIVATE, reinterpret_cast<char*>(index));
    curl_multi_add_handle(multi.get(), slot.easy.get());
    return true;
  };
  for (std::size_t index = 0; index < slots.size(); ++index) {
    slots[index].easy = make_easy(slots[index].sink);
    start(index);
  }

  std::size_t in_flight = slots.size();
  while (in_flight > 0) {
    int running = 0;
    curl_multi_perform(multi.get(), &running);
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi.get(), &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      char* index_ptr = nullptr;
      curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &index_ptr);
      const auto index = reinterpret_cast<std::size_t>(index_ptr);
      ++totals.requests;
      if (!finished_well(message->easy_handle, message->data.result) ||
          (keep && !parse(slots[index].sink.body))) {
        ++totals.errors;
      }
      curl_multi_remove_handle(multi.get(), message->easy_handle);
      if (!start(index)) --in_flight;
    }
    if (in_flight > 0) curl_multi_poll(multi.get(), nullptr, 0, 1000, nullptr);
  }
  for (const auto& slot : slots) totals.bytes += slot.sink.bytes;
  return totals;
}

// ".../jobs/<id>/checkpoints" -> ".../jobs/overview" of the same JobManager.
std::string overview_of(const std::string& checkpoints_url) {
  const auto at = checkpoints_url.rfind("/jobs/");
  return checkpoints_url.substr(0, at) + "/jobs/overview";
}

Totals fetch_like_streampark(const std::vector<std::string>& urls) {
  Sink sink;
  sink.keep = true;
  Easy easy = make_easy(sink);
  // A new TCP connection for every request, as a watcher that builds a new
  // HTTP client per call does.
  curl_easy_setopt(easy.get(), CURLOPT_FRESH_CONNECT, 1L);
  curl_easy_setopt(easy.get(), CURLOPT_FORBID_REUSE, 1L);
  Totals totals;
  auto get = [&](const std::string& url) {
    sink.body.clear();
    curl_easy_setopt(easy.get(), CURLOPT_URL, url.c_str());
    const CURLcode code = curl_easy_perform(easy.get());
    ++totals.requests;
    if (!finished_well(easy.get(), code) || !parse(sink.body)) ++totals.errors;
  };
  for (const auto& url : urls) {
    if (!url.ends_with("/checkpoints")) continue; // overviews come with each job
    get(overview_of(url));
    get(url);
  }
  totals.bytes = sink.bytes;
  return totals;
}

std::vector<std::string> read_urls(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read URL file " + path);
  std::vector<std::string> urls;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) urls.push_back(line);
  }
  if (urls.empty()) throw std::runtime_error("no URLs in " + path);
  return urls;
}

int usage() {
  std::cerr << "usage: sp_watch_bench_client floor|dom|streampark URLFILE [--per-host N]\n";
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 3) return usage();
  const std::string_view mode = argv[1];
  if (mode != "floor" && mode != "dom" && mode != "streampark") return usage();
  long per_host = 2;
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    try {
      if (flag == "--per-host") {
        per_host = std::stol(argv[i + 1]);
      } else {
        return usage();
      }
    } catch (const std::exception&) {
      return usage();
    }
  }
  if ((argc - 3) % 2 != 0 || per_host < 1) return usage();

  try {
    const CurlGlobal curl;
    const auto urls = read_urls(argv[2]);
    const auto begin = std::chrono::steady_clock::now();
    const Totals totals = mode == "streampark" ? fetch_like_streampark(urls)
                                               : fetch_concurrently(urls, per_host, mode == "dom");
    const std::chrono::duration<double, std::milli> wall = std::chrono::steady_clock::now() - begin;
    nlohmann::json out{{"mode", mode},
                       {"wall_ms", wall.count()},
                       {"requests", totals.requests},
                       {"errors", totals.errors},
                       {"bytes", totals.bytes}};
    if (mode != "streampark") {
      out["per_host"] = per_host;
    }
    std::cout << out.dump() << '\n';
    return totals.errors == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "sp_watch_bench_client: error: " << e.what() << '\n';
    return 1;
  }
}
