// An email as RFC 5322 text, for the email alert channel. Pure: the SMTP
// conversation is net/mail.hpp's; this only writes the message it carries.
#pragma once

#include "sp/util/error.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sp::core {

struct MailMessage {
  std::string from;            // "sp@example.com" or "Ops Alerts <sp@example.com>"
  std::vector<std::string> to; // the same forms
  std::string subject;         // UTF-8, one line
  std::string body;            // UTF-8 text, lines ending in \n
  std::int64_t date_ms = 0;
  std::string message_id; // without angle brackets: "local@domain"
};

// The address part of a mailbox ("Ops <a@b.example>" -> "a@b.example"), as
// the SMTP envelope (MAIL FROM, RCPT TO) needs it. A usage error when it is
// not one address.
Result<std::string> envelope_address(std::string_view mailbox);

// The message with Date, From, To, Subject, Message-ID and MIME headers,
// every line ending in CRLF. A non-ASCII subject is RFC 2047 encoded; a body
// that is not short-lined ASCII is quoted-printable. Leading dots are left
// alone: the SMTP client stuffs them. Usage error for an invalid address.
Result<std::string> compose_mail(const MailMessage& message);

} // namespace sp::core
