// A tiny HTTP/1.1 server on a free loopback port, on its own thread, for
// tests of sp's real transports: it records each request (method, target,
// headers, body), answers from a handler, keeps connections alive and counts
// them. A handler may stall to make a client time out. Not a general server:
// requests must carry Content-Length when they have a body (libcurl does).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace sp::test {

struct ReceivedRequest {
  std::string method;
  std::string target;                         // path and query
  std::map<std::string, std::string> headers; // names in lower case
  std::string body;
};

struct CannedResponse {
  int status = 200;
  std::string body;
  std::chrono::milliseconds delay{0}; // before answering: longer than a client's timeout stalls it
  std::vector<std::string> headers;   // extra header lines ("Location: http://..."), without CRLF
};

class LoopbackHttp {
public:
  using Handler = std::function<CannedResponse(const ReceivedRequest&)>;

  explicit LoopbackHttp(Handler handler) : handler_(std::move(handler)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listener_ < 0) throw std::runtime_error("socket failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0; // the kernel picks a free port
    socklen_t length = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 16) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ::close(listener_);
      throw std::runtime_error("cannot listen on the loopback");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }

  LoopbackHttp(const LoopbackHttp&) = delete;
  LoopbackHttp& operator=(const LoopbackHttp&) = delete;

  ~LoopbackHttp() {
    stopping_ = true;
    thread_.join();
    ::close(listener_);
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int connections() const { return connections_; }

  std::vector<ReceivedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

private:
  // One connection at a time is enough for a sequential client; waits wake
  // every 50 ms to notice the destructor.
  void serve() {
    while (!stopping_) {
      if (!readable(listener_)) continue;
      const int connection = ::accept(listener_, nullptr, nullptr);
      if (connection < 0) continue;
      ++connections_;
      std::string buffer;
      while (!stopping_ && answer_one(connection, buffer)) {
      }
      ::close(connection);
    }
  }

  bool readable(int fd) const {
    pollfd entry{fd, POLLIN, 0};
    return ::poll(&entry, 1, 50) > 0;
  }

  // Reads more into `buffer`; false when the peer closed or the server stops.
  bool read_more(int connection, std::string& buffer) {
    while (!stopping_) {
      if (!readable(connection)) continue;
      char chunk[8192];
      const auto got = ::recv(connection, chunk, sizeof chunk, 0);
      if (got <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(got));
      return true;
    }
    return false;
  }

  bool answer_one(int connection, std::string& buffer) {
    std::size_t end;
    while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
      if (!read_more(connection, buffer)) return false;
    }
    ReceivedRequest request = parse_head(buffer.substr(0, end));
    buffer.erase(0, end + 4);
    const auto length_header = request.headers.find("content-length");
    const std::size_t length = length_header == request.headers.end() ? 0 : std::stoul(length_header->second);
    while (buffer.size() < length) {
      if (!read_more(connection, buffer)) return false;
    }
    request.body = buffer.substr(0, length);
    buffer.erase(0, length);
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
    }
    const CannedResponse response = handler_(request);
    for (auto waited = std::chrono::milliseconds(0); waited < response.delay && !stopping_;
         waited += std::chrono::milliseconds(10)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::string extra;
    for (const auto& header : response.headers) extra += header + "\r\n";
    const std::string reply =
        "HTTP/1.1 " + std::to_string(response.status) + " Canned\r\nContent-Type: application/json\r\n" +
        extra + "Content-Length: " + std::to_string(response.body.size()) + "\r\n\r\n" + response.body;
    return ::send(connection, reply.data(), reply.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(reply.size());
  }

  static ReceivedRequest parse_head(const std::string& head) {
    ReceivedRequest request;
    std::size_t line_end = head.find("\r\n");
    const std::string first = head.substr(0, line_end);
    const auto space = first.find(' ');
    request.method = first.substr(0, space);
    request.target = first.substr(space + 1, first.rfind(' ') - space - 1);
    while (line_end != std::string::npos && line_end + 2 < head.size()) {
      const std::size_t start = line_end + 2;
      line_end = head.find("\r\n", start);
      const std::string line =
          head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      std::ranges::transform(name, name.begin(), [](unsigned char c) { return std::tolower(c); });
      const auto value = line.find_first_not_of(' ', colon + 1);
      request.headers[name] = value == std::string::npos ? "" : line.substr(value);
    }
    return request;
  }

  Handler handler_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  std::vector<ReceivedRequest> requests_;
  std::thread thread_;
};

} // namespace sp::test
