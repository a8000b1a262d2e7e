#include "sp/core/mail.hpp"

#include <catch2/catch.hpp>

using namespace sp;

namespace {

core::MailMessage message() {
  return {.from = "sp alerts <sp@example.com>",
          .to = {"ops@example.com", "Ann <ann@example.org>"},
          .subject = "[sp] prod/orders FAILED",
          .body = "prod/orders FAILED\n\n.a line starting with a dot\nend\n",
          .date_ms = 1700000000123, // Tuesday 2023-11-14T22:13:20Z
          .message_id = "sp.1.abc@ops1"};
}

bool every_line_ends_in_crlf(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) return false;
    if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) return false;
  }
  return text.ends_with("\r\n");
}

} // namespace

TEST_CASE("an email has the RFC 5322 headers and CRLF line ends", "[core][mail]") {
  auto text = core::compose_mail(message());
  REQUIRE(text.has_value());
  CHECK(*text == "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
                 "From: \"sp alerts\" <sp@example.com>\r\n"
                 "To: ops@example.com,\r\n \"Ann\" <ann@example.org>\r\n"
                 "Subject: [sp] prod/orders FAILED\r\n"
                 "Message-ID: <sp.1.abc@ops1>\r\n"
                 "Auto-Submitted: auto-generated\r\n"
                 "MIME-Version: 1.0\r\n"
                 "Content-Type: text/plain; charset=utf-8\r\n"
                 "Content-Transfer-Encoding: 7bit\r\n"
                 "\r\n"
                 "prod/orders FAILED\r\n"
                 "\r\n"
                 ".a line starting with a dot\r\n" // stuffing is the SMTP client's job
                 "end\r\n");
  CHECK(every_line_ends_in_crlf(*text));
}

TEST_CASE("a non-ASCII subject is encoded in short words", "[core][mail]") {
  auto mail = message();
  mail.subject = "[sp] d\xC3\xA9j\xC3\xA0 vu " + std::string(60, 'x');
  auto text = core::compose_mail(mail);
  REQUIRE(text.has_value());
  CHECK(text->find("Subject: =?UTF-8?B?W3NwXSBkw6lqw6AgdnUgeHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4?=\r\n"
                   " =?UTF-8?B?eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4?=\r\n") != std::string::npos);
  CHECK(every_line_ends_in_crlf(*text));
}

TEST_CASE("a control character in the subject cannot add a header", "[core][mail]") {
  auto mail = message();
  mail.subject = "hello\r\nBcc: victim@example.com";
  auto text = core::compose_mail(mail);
  REQUIRE(text.has_value());
  CHECK(text->find("Subject: hello  Bcc: victim@example.com\r\n") != std::string::npos);
  CHECK(text->find("\r\nBcc:") == std::string::npos);
}

TEST_CASE("a body with long or non-ASCII lines is quoted-printable", "[core][mail]") {
  auto mail = message();
  mail.body = "caf\xC3\xA9 = ok \n" + std::string(100, 'y') + "\nend";
  auto text = core::compose_mail(mail);
  REQUIRE(text.has_value());
  CHECK(text->find("Content-Transfer-Encoding: quoted-printable\r\n") != std::string::npos);
  const auto body = text->substr(text->find("\r\n\r\n") + 4);
  CHECK(body ==
        "caf=C3=A9 =3D ok=20\r\n" + std::string(75, 'y') + "=\r\n" + std::string(25, 'y') + "\r\nend\r\n");
  CHECK(every_line_ends_in_crlf(*text));
}

TEST_CASE("envelope addresses come from either mailbox form", "[core][mail]") {
  CHECK(core::envelope_address("ops@example.com").value() == "ops@example.com");
  CHECK(core::envelope_address("Ops Team <ops@example.com>").value() == "ops@example.com");
  CHECK(core::envelope_address("<ops@example.com>").value() == "ops@example.com");
  for (const char* bad : {"", "ops", "@example.com", "ops@", "Ops <ops@example.com> x", "a b@example.com",
                          "ops@example.com\r\nRCPT TO:<x@y>", "a,b@example.com"}) {
    INFO(bad);
    auto address = core::envelope_address(bad);
    REQUIRE_FALSE(address.has_value());
    CHECK(address.error().kind() == ErrorKind::usage);
  }
}

TEST_CASE("a message with a bad address or no recipient is refused", "[core][mail]") {
  auto mail = message();
  mail.to = {"not an address"};
  CHECK(core::compose_mail(mail).error().kind() == ErrorKind::usage);
  mail.to.clear();
  CHECK(core::compose_mail(mail).error().kind() == ErrorKind::usage);
  mail = message();
  mail.from = "sp";
  CHECK(core::compose_mail(mail).error().kind() == ErrorKind::usage);
}
