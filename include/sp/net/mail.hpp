// Sending one email over SMTP. `MailTransport` is the side-effect boundary
// of the email alert channel; tests replace it with a recorder.
#pragma once

#include "sp/net/http.hpp"
#include "sp/util/error.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sp::net {

struct MailRequest {
  std::string url; // smtp://host[:port] (STARTTLS when offered) or smtps://host[:port] (TLS from the start)
  std::string envelope_from;           // MAIL FROM, an address without a display name
  std::vector<std::string> recipients; // RCPT TO, addresses
  std::string message;                 // RFC 5322 text with CRLF line ends
  std::optional<std::string> user;     // never logged
  std::optional<std::string> password; // never logged
};

class MailTransport {
public:
  virtual ~MailTransport() = default;
  // The server accepted the message for every recipient. Failing to reach it
  // (refused, DNS, TLS, timeout) is unreachable; the server answering no
  // (authentication, a rejected sender or recipient) is external.
  virtual Result<void> send(const MailRequest& request) = 0;
};

// libcurl. Over smtp:// STARTTLS is used when the server offers it, and
// required when credentials are set, so a password never crosses the
// network in the clear.
std::unique_ptr<MailTransport> make_curl_mail_transport(const TransportSettings& settings);

} // namespace sp::net
