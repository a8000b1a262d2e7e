#include "curl_request.hpp"

#include "sp/util/redact.hpp"

#include <fmt/format.h>

namespace sp::net {

namespace {

constexpr const char* empty_payload_sha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

// A local file that cannot be read is our failure; everything else is the
// peer or the network.
ErrorKind kind_of(CURLcode code) {
  return code == CURLE_READ_ERROR ? ErrorKind::failure : ErrorKind::unreachable;
}

// libcurl's progress callback, for uploads that asked for one. Returning 0 continues.
extern "C" int report_upload(void* data, curl_off_t /*download_total*/, curl_off_t /*downloaded*/,
                             curl_off_t upload_total, curl_off_t uploaded) {
  const auto& on_progress = *static_cast<const std::function<void(std::uint64_t, std::uint64_t)>*>(data);
  on_progress(static_cast<std::uint64_t>(uploaded), static_cast<std::uint64_t>(upload_total));
  return 0;
}

} // namespace

std::string describe_request(const HttpRequest& request) {
  return fmt::format("{} {}", request.method, util::url_for_messages(request.url));
}

EasyHandle make_easy_handle() {
  EasyHandle handle(curl_easy_init());
  if (!handle) throw Error(ErrorKind::failure, "starting HTTP", "curl_easy_init failed");
  return handle;
}

std::unique_ptr<RequestState> RequestState::prepare(CURL* curl, HttpRequest request,
                                                    const TransportSettings& settings,
                                                    const TlsSettings& tls) {
  std::unique_ptr<RequestState> state(new RequestState());
  state->request_ = std::move(request);
  const HttpRequest& req = state->request_;
  const Timeouts timeouts = req.timeouts.value_or(settings.timeouts);

  curl_easy_reset(curl); // keeps the connection cache, drops the previous request's options
  curl_easy_setopt(curl, CURLOPT_URL, req.url.c_str());
  set_common_options(curl, tls, timeouts, state->error_text_.data());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &state->body_);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, settings.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, ""); // whatever libcurl can decode
  if (req.follow_redirects) {
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  }

  auto add_header = [&state](const std::string& line) { (void)append(state->headers_, line); };
  add_header("Accept: application/json");
  if (req.authorization) add_header("Authorization: " + *req.authorization);
  if (req.aws_sigv4) {
    // libcurl signs the method, path, query and the headers it sends; the
    // "amz" provider and the "s3" service make it add x-amz-date and
    // x-amz-content-sha256 as S3 requires.
    const auto& signing = *req.aws_sigv4;
    curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, fmt::format("aws:amz:{}:s3", signing.region).c_str());
    curl_easy_setopt(curl, CURLOPT_USERNAME, signing.access_key.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, signing.secret_key.c_str());
    if (signing.session_token) add_header("x-amz-security-token: " + *signing.session_token);
    // S3 wants the payload's hash; sp's S3 requests have none (GET, HEAD).
    // Given here, every libcurl since 7.75 signs with it.
    if (req.body.empty() && !req.upload)
      add_header(std::string("x-amz-content-sha256: ") + empty_payload_sha256);
  }

  if (req.upload) {
    state->mime_.reset(curl_mime_init(curl));
    curl_mimepart* part = curl_mime_addpart(state->mime_.get());
    curl_mime_name(part, req.upload->field.c_str());
    curl_mime_type(part, req.upload->content_type.c_str());
    curl_mime_filedata(part, req.upload->path.c_str());
    curl_easy_setopt(curl, CURLOPT_MIMEPOST, state->mime_.get());
    if (req.upload->on_progress) {
      curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, report_upload);
      curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &req.upload->on_progress);
      curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    }
    add_header("Expect:"); // no 100-continue round trip for uploads
  } else if (req.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L); // the answer has a length but no body
  } else if (req.method != "GET") {
    add_header("Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(req.body.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req.body.c_str());
  }
  if (req.method != "GET" && req.method != "POST" && req.method != "HEAD") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, state->headers_.get());
  return state;
}

Result<HttpResponse> RequestState::finish(CURL* curl, CURLcode code) {
  if (code != CURLE_OK) {
    const std::string why = error_text_[0] != '\0' ? error_text_.data() : curl_easy_strerror(code);
    return fail(kind_of(code), describe_request(request_), why);
  }
  HttpResponse response;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  response.body = std::move(body_);
  return response;
}

} // namespace sp::net
