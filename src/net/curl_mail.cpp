#include "sp/net/mail.hpp"

#include "sp/util/redact.hpp"

#include "curl_handles.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

namespace sp::net {

namespace {

// libcurl pulls the message through this, chunk by chunk.
struct Upload {
  std::string_view remaining;
};

std::size_t read_message(char* buffer, std::size_t size, std::size_t count, void* source) {
  auto* upload = static_cast<Upload*>(source);
  const std::size_t n = std::min(size * count, upload->remaining.size());
  std::memcpy(buffer, upload->remaining.data(), n);
  upload->remaining.remove_prefix(n);
  return n;
}

class CurlMailTransport final : public MailTransport {
public:
  explicit CurlMailTransport(TransportSettings settings)
      : settings_(std::move(settings)), handle_(curl_easy_init()) {
    if (!handle_) throw Error(ErrorKind::failure, "starting SMTP", "curl_easy_init failed");
  }

  Result<void> send(const MailRequest& request) override {
    CURL* curl = handle_.get();
    curl_easy_reset(curl);
    std::array<char, CURL_ERROR_SIZE> error_text{};
    const bool credentials = request.user.has_value() || request.password.has_value();

    StringList recipients;
    for (const auto& recipient : request.recipients) {
      if (!append(recipients, "<" + recipient + ">"))
        return fail(ErrorKind::failure, doing(request), "out of memory");
    }
    Upload upload{request.message};

    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    // A channel's URL names a mail server; nothing else may be reached through it.
    // Checked: a libcurl that ignored it would let the channel reach any scheme.
    if (curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps") != CURLE_OK)
      return fail(ErrorKind::failure, doing(request),
                  "libcurl cannot restrict the protocols to smtp and smtps");
    set_common_options(curl, settings_.tls, settings_.timeouts, error_text.data());
    // Opportunistic STARTTLS without credentials; with them, TLS or nothing.
    curl_easy_setopt(curl, CURLOPT_USE_SSL,
                     credentials ? static_cast<long>(CURLUSESSL_ALL) : static_cast<long>(CURLUSESSL_TRY));
    if (request.user) curl_easy_setopt(curl, CURLOPT_USERNAME, request.user->c_str());
    if (request.password) curl_easy_setopt(curl, CURLOPT_PASSWORD, request.password->c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, ("<" + request.envelope_from + ">").c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.message.size()));

    const CURLcode code = curl_easy_perform(curl);
    if (code == CURLE_OK) return {};
    long reply = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
    const std::string why = error_text[0] != '\0' ? error_text.data() : curl_easy_strerror(code);
    if (code == CURLE_USE_SSL_FAILED) {
      return fail(ErrorKind::external, doing(request), "the server does not offer STARTTLS",
                  "credentials are only sent over TLS: use a server that offers STARTTLS, or smtps://");
    }
    // The server answered and said no: retrying as it is will not help.
    if (code == CURLE_LOGIN_DENIED || reply >= 400) return fail(ErrorKind::external, doing(request), why);
    return fail(ErrorKind::unreachable, doing(request), why);
  }

private:
  static std::string doing(const MailRequest& request) {
    return "sending mail through " + util::redact_urls(request.url);
  }

  TransportSettings settings_;
  EasyHandle handle_;
};

} // namespace

std::unique_ptr<MailTransport> make_curl_mail_transport(const TransportSettings& settings) {
  return std::make_unique<CurlMailTransport>(settings);
}

} // namespace sp::net
