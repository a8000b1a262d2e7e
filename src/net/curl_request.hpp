// One HTTP request on a libcurl easy handle, shared by the single-request
// transport and the concurrent one so both set the same options and report
// failures the same way.
#pragma once

#include "sp/net/http.hpp"

#include "curl_handles.hpp"

#include <array>
#include <memory>
#include <string>

namespace sp::net {

EasyHandle make_easy_handle();

// "GET http://host:8081/jobs/overview": the request as errors name it, the
// URL without its query and with any user info masked, since both may carry
// credentials.
std::string describe_request(const HttpRequest& request);

// What libcurl reads from and writes to while a transfer runs: it must stay
// where it is until the transfer ends.
class RequestState {
public:
  RequestState(const RequestState&) = delete;
  RequestState& operator=(const RequestState&) = delete;
  ~RequestState() = default;

  // Resets `curl` (keeping its connection cache) and sets every option of `request`.
  static std::unique_ptr<RequestState> prepare(CURL* curl, HttpRequest request,
                                               const TransportSettings& settings, const TlsSettings& tls);
  // The outcome of a finished transfer: any HTTP status is a response.
  Result<HttpResponse> finish(CURL* curl, CURLcode code);
  const HttpRequest& request() const { return request_; }

private:
  RequestState() = default;
  HttpRequest request_;
  std::string body_;
  std::array<char, CURL_ERROR_SIZE> error_text_{};
  StringList headers_;
  std::unique_ptr<curl_mime, void (*)(curl_mime*)> mime_{nullptr, curl_mime_free};
};

} // namespace sp::net
