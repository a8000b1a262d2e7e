#include "sp/net/http.hpp"

#include "curl_handles.hpp"

#include <fmt/format.h>

#include <array>

namespace sp::net {

namespace {

struct MimeDeleter {
  void operator()(curl_mime* mime) const { curl_mime_free(mime); }
};
using MimeHandle = std::unique_ptr<curl_mime, MimeDeleter>;

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

// The URL without query and credentials, for messages.
std::string printable(const std::string& url) {
  std::string shown = url.substr(0, url.find('?'));
  if (auto scheme = shown.find("://"); scheme != std::string::npos) {
    const auto at = shown.find('@', scheme);
    const auto slash = shown.find('/', scheme + 3);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      shown = shown.substr(0, scheme + 3) + "***@" + shown.substr(at + 1);
    }
  }
  return shown;
}

ErrorKind kind_of(CURLcode code) {
  switch (code) {
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_CONNECT:
  case CURLE_OPERATION_TIMEDOUT:
  case CURLE_RECV_ERROR:
  case CURLE_SEND_ERROR:
  case CURLE_GOT_NOTHING:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CONNECT_ERROR: return ErrorKind::unreachable;
  case CURLE_READ_ERROR: return ErrorKind::failure; // a local file to upload
  default: return ErrorKind::unreachable;
  }
}

class CurlTransport final : public HttpTransport {
public:
  explicit CurlTransport(TransportSettings settings)
      : settings_(std::move(settings)), handle_(curl_easy_init()) {
    if (!handle_) throw Error(ErrorKind::failure, "starting HTTP", "curl_easy_init failed");
  }

  Result<HttpResponse> send(const HttpRequest& request) override {
    CURL* curl = handle_.get();
    curl_easy_reset(curl); // keeps the connection cache, drops the previous request's options
    std::string body;
    std::array<char, CURL_ERROR_SIZE> error_text{};
    const Timeouts timeouts = request.timeouts.value_or(settings_.timeouts);

    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text.data());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeouts.connect.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeouts.total.count()));
    curl_easy_setopt(curl, CURLOPT_USERAGENT, settings_.user_agent.c_str());
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, ""); // whatever libcurl can decode
    if (settings_.tls.ca_file) curl_easy_setopt(curl, CURLOPT_CAINFO, settings_.tls.ca_file->c_str());
    if (settings_.tls.insecure) {
      curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }

    StringList headers;
    auto add_header = [&headers](const std::string& line) { (void)append(headers, line); };
    add_header("Accept: application/json");
    if (request.authorization) add_header("Authorization: " + *request.authorization);

    MimeHandle mime;
    if (request.upload) {
      mime.reset(curl_mime_init(curl));
      curl_mimepart* part = curl_mime_addpart(mime.get());
      curl_mime_name(part, request.upload->field.c_str());
      curl_mime_type(part, request.upload->content_type.c_str());
      curl_mime_filedata(part, request.upload->path.c_str());
      curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime.get());
      add_header("Expect:"); // no 100-continue round trip for uploads
    } else if (request.method != "GET") {
      add_header("Content-Type: application/json");
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
    }
    if (request.method != "GET" && request.method != "POST") {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());

    const CURLcode code = curl_easy_perform(curl);
    if (code != CURLE_OK) {
      const std::string why = error_text[0] != '\0' ? error_text.data() : curl_easy_strerror(code);
      return fail(kind_of(code), fmt::format("{} {}", request.method, printable(request.url)), why);
    }
    HttpResponse response;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    response.body = std::move(body);
    return response;
  }

private:
  TransportSettings settings_;
  EasyHandle handle_;
};

} // namespace

std::unique_ptr<HttpTransport> make_curl_transport(const TransportSettings& settings) {
  return std::make_unique<CurlTransport>(settings);
}

CurlGlobal::CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
CurlGlobal::~CurlGlobal() { curl_global_cleanup(); }

} // namespace sp::net
