#include "curl_request.hpp"

namespace sp::net {

namespace {

class CurlTransport final : public HttpTransport {
public:
  explicit CurlTransport(TransportSettings settings)
      : settings_(std::move(settings)), handle_(make_easy_handle()) {}

  Result<HttpResponse> send(const HttpRequest& request) override {
    auto state = RequestState::prepare(handle_.get(), request, settings_, settings_.tls);
    return state->finish(handle_.get(), curl_easy_perform(handle_.get()));
  }

private:
  TransportSettings settings_;
  EasyHandle handle_; // one handle for the transport's life, so its connections are reused
};

} // namespace

std::unique_ptr<HttpTransport> make_curl_transport(const TransportSettings& settings) {
  return std::make_unique<CurlTransport>(settings);
}

CurlGlobal::CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }

CurlVersion libcurl_version() {
  const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
  return {info->version, info->ssl_version != nullptr ? info->ssl_version : "none"};
}
CurlGlobal::~CurlGlobal() { curl_global_cleanup(); }

} // namespace sp::net
