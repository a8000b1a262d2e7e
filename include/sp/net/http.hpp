// HTTP as sp needs it: one request in, one response out, with timeouts, TLS
// settings and an optional Authorization header. `HttpTransport` is the
// side-effect boundary; tests replace it with a table of canned responses.
#pragma once

#include "sp/util/error.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sp::net {

struct TlsSettings {
  std::optional<std::string> ca_file; // a CA bundle; else the system's
  bool insecure = false;              // skip verification (explicit, per cluster)
};

struct Timeouts {
  std::chrono::milliseconds connect{5000};
  std::chrono::milliseconds total{30000};
};

// A file sent as multipart/form-data (Flink's jar upload).
struct UploadFile {
  std::string field;
  std::filesystem::path path;
  std::string content_type = "application/x-java-archive";
  // Bytes sent so far and in all (0 while unknown), as the upload goes; may be empty.
  std::function<void(std::uint64_t sent, std::uint64_t total)> on_progress;
};

// AWS Signature V4, computed by libcurl (CURLOPT_AWS_SIGV4) for S3's REST
// API. The keys come from the environment at the moment of the request and
// are never logged or kept.
struct AwsSigning {
  std::string region; // "eu-west-1"
  std::string access_key;
  std::string secret_key;
  std::optional<std::string> session_token; // sent as x-amz-security-token
};

struct HttpRequest {
  std::string method = "GET"; // GET, HEAD (no body is read), POST, PATCH, DELETE
  std::string url;
  std::string body;                         // JSON for POST/PATCH
  std::optional<UploadFile> upload;         // instead of body
  std::optional<std::string> authorization; // the Authorization header value, never logged
  std::optional<AwsSigning> aws_sigv4;      // instead of authorization
  std::optional<Timeouts> timeouts;         // else the transport's defaults
  // Follow 3xx answers (at most a few, http and https only) instead of
  // returning them: WebHDFS's OPEN answers 307 to the DataNode holding the
  // data. Off by default, so a redirect elsewhere is seen, not silently
  // followed; the Authorization header is never sent to another host.
  bool follow_redirects = false;
};

struct HttpResponse {
  long status = 0;
  std::string body;
};

// Where to send requests, how long to wait, how to trust the peer.
struct TransportSettings {
  Timeouts timeouts;
  TlsSettings tls;
  std::string user_agent; // "sp/<version>"
};

class HttpTransport {
public:
  virtual ~HttpTransport() = default;
  // Any HTTP status is a response; failing to get one (refused, DNS, TLS,
  // timeout) is an Error of kind unreachable.
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

// Many requests in flight at once (the watch loop polls every JobManager in
// one go). Each request carries its own TLS settings, since JobManagers of
// different clusters trust different CAs. Completion callbacks run on the
// caller's thread inside run() and may add more requests, so an answer can
// immediately lead to the next request to the same JobManager.
class ConcurrentHttp {
public:
  using Done = std::function<void(Result<HttpResponse>)>;
  virtual ~ConcurrentHttp() = default;
  virtual void add(HttpRequest request, const TlsSettings& tls, Done done) = 0;
  // Drives every added request (and those added by callbacks) to completion:
  // each callback is called exactly once, with an error when the transport
  // itself failed, and run() returns when none is pending.
  virtual void run() = 0;
};

// libcurl's multi interface: connections are reused across requests and
// across run() calls, at most `per_host` at once to one JobManager.
std::unique_ptr<ConcurrentHttp> make_curl_multi(const TransportSettings& settings, long per_host = 6);

// libcurl, one easy handle reused across requests so connections are kept alive.
std::unique_ptr<HttpTransport> make_curl_transport(const TransportSettings& settings);

// The libcurl this binary runs with and its TLS library, for `sp version`.
struct CurlVersion {
  std::string version; // "7.88.1"
  std::string tls;     // "OpenSSL/3.0.17", or "none"
};
CurlVersion libcurl_version();

// Keeps libcurl's global state alive for the scope of a command that uses HTTP.
class CurlGlobal {
public:
  CurlGlobal();
  CurlGlobal(const CurlGlobal&) = delete;
  CurlGlobal& operator=(const CurlGlobal&) = delete;
  ~CurlGlobal();
};

} // namespace sp::net
