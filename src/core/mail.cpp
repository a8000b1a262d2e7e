#include "sp/core/mail.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <ctime>

namespace sp::core {

namespace {

constexpr std::size_t max_line_bytes = 998;    // RFC 5322 2.1.1, without the CRLF
constexpr std::size_t qp_line_chars = 76;      // RFC 2045 6.7
constexpr std::size_t encoded_word_bytes = 45; // base64 of 45 bytes stays within 75 characters per word

bool is_ascii_text(std::string_view text) {
  return std::ranges::all_of(text, [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte < 0x7f;
  });
}

std::string base64(std::string_view bytes) {
  static constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    auto byte = [bytes](std::size_t at) -> std::uint32_t {
      return at < bytes.size() ? static_cast<unsigned char>(bytes[at]) : 0U;
    };
    const std::uint32_t group = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out += alphabet[(group >> 18) & 63];
    out += alphabet[(group >> 12) & 63];
    out += i + 1 < bytes.size() ? alphabet[(group >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? alphabet[group & 63] : '=';
  }
  return out;
}

// RFC 2047 encoded words, split only between UTF-8 characters and folded
// onto continuation lines so no line gets long.
std::string encode_header_text(std::string_view text) {
  if (is_ascii_text(text)) return std::string(text);
  std::string out;
  while (!text.empty()) {
    std::size_t cut = std::min(text.size(), encoded_word_bytes);
    while (cut < text.size() && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    if (cut == 0) cut = std::min(text.size(), encoded_word_bytes); // not UTF-8: any cut will do
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(text.substr(0, cut)) + "?=";
    text.remove_prefix(cut);
  }
  return out;
}

struct Mailbox {
  std::string name;    // display name, may be empty
  std::string address; // local@domain
};

Result<Mailbox> parse_mailbox(std::string_view text) {
  auto invalid = [text](const std::string& why) {
    return fail(ErrorKind::usage, "reading the mail address '" + std::string(text) + "'", why,
                "write it as name@example.com or Name <name@example.com>");
  };
  if (std::ranges::any_of(text, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return invalid("it contains a control character");
  }
  Mailbox mailbox;
  std::string_view address = text;
  if (const auto open = text.rfind('<'); open != std::string_view::npos) {
    if (!text.ends_with('>')) return invalid("text follows the closing '>'");
    address = text.substr(open + 1, text.size() - open - 2);
    std::string_view name = text.substr(0, open);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    mailbox.name = std::string(name);
  }
  const auto at = address.rfind('@');
  if (address.empty() || at == std::string_view::npos || at == 0 || at + 1 == address.size()) {
    return invalid("it is not an address of the form local@domain");
  }
  if (address.find_first_of(" <>,;\"") != std::string_view::npos) {
    return invalid("the address contains a space or one of <>,;\"");
  }
  mailbox.address = std::string(address);
  return mailbox;
}

std::string header_mailbox(const Mailbox& mailbox) {
  if (mailbox.name.empty()) return mailbox.address;
  const bool plain = is_ascii_text(mailbox.name) && mailbox.name.find_first_of("\"\\") == std::string::npos;
  const std::string name = plain ? "\"" + mailbox.name + "\"" : encode_header_text(mailbox.name);
  return name + " <" + mailbox.address + ">";
}

// RFC 5322 3.3, always in UTC.
std::string rfc5322_date(std::int64_t ms) {
  static constexpr std::array<const char*, 7> days{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto seconds = static_cast<std::time_t>(ms / 1000);
  std::tm parts{};
  ::gmtime_r(&seconds, &parts);
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000",
                     days.at(static_cast<std::size_t>(parts.tm_wday)), parts.tm_mday,
                     months.at(static_cast<std::size_t>(parts.tm_mon)), parts.tm_year + 1900, parts.tm_hour,
                     parts.tm_min, parts.tm_sec);
}

std::vector<std::string_view> body_lines(std::string_view body) {
  std::vector<std::string_view> lines;
  while (!body.empty()) {
    const auto end = body.find('\n');
    std::string_view line = body.substr(0, end);
    if (line.ends_with('\r')) line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    body.remove_prefix(end + 1);
  }
  return lines;
}

bool fits_7bit(const std::vector<std::string_view>& lines) {
  return std::ranges::all_of(lines, [](std::string_view line) {
    return line.size() <= max_line_bytes && std::ranges::all_of(line, [](char c) {
             const auto byte = static_cast<unsigned char>(c);
             return (byte >= 0x20 && byte < 0x7f) || byte == '\t';
           });
  });
}

// RFC 2045 6.7: soft line breaks keep every line within 76 characters.
std::string quoted_printable(std::string_view line) {
  std::string out;
  std::size_t width = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const auto byte = static_cast<unsigned char>(line[i]);
    const bool last = i + 1 == line.size();
    const bool literal =
        (byte >= 33 && byte <= 126 && byte != '=') || ((byte == ' ' || byte == '\t') && !last);
    const std::string piece =
        literal ? std::string(1, line[i]) : fmt::format("={:02X}", static_cast<unsigned>(byte));
    if (width + piece.size() > qp_line_chars - 1) {
      out += "=\r\n";
      width = 0;
    }
    out += piece;
    width += piece.size();
  }
  return out;
}

} // namespace

Result<std::string> envelope_address(std::string_view mailbox) {
  auto parsed = parse_mailbox(mailbox);
  if (!parsed) return std::unexpected(parsed.error());
  return parsed->address;
}

Result<std::string> compose_mail(const MailMessage& message) {
  auto from = parse_mailbox(message.from);
  if (!from) return std::unexpected(from.error());
  if (message.to.empty()) return fail(ErrorKind::usage, "writing an email", "it has no recipient");
  std::string to;
  for (const auto& recipient : message.to) {
    auto mailbox = parse_mailbox(recipient);
    if (!mailbox) return std::unexpected(mailbox.error());
    to += (to.empty() ? "" : ",\r\n ") + header_mailbox(*mailbox);
  }
  std::string subject = message.subject;
  std::ranges::replace_if(subject, [](char c) { return static_cast<unsigned char>(c) < 0x20; }, ' ');

  const auto lines = body_lines(message.body);
  const bool plain = fits_7bit(lines);
  std::string text;
  text += "Date: " + rfc5322_date(message.date_ms) + "\r\n";
  text += "From: " + header_mailbox(*from) + "\r\n";
  text += "To: " + to + "\r\n";
  text += "Subject: " + encode_header_text(subject) + "\r\n";
  text += "Message-ID: <" + message.message_id + ">\r\n";
  // RFC 3834: vacation responders and the like must not answer an alert.
  text += "Auto-Submitted: auto-generated\r\n";
  text += "MIME-Version: 1.0\r\n";
  text += "Content-Type: text/plain; charset=utf-8\r\n";
  text += std::string("Content-Transfer-Encoding: ") + (plain ? "7bit" : "quoted-printable") + "\r\n";
  text += "\r\n";
  for (const auto line : lines) text += (plain ? std::string(line) : quoted_printable(line)) + "\r\n";
  return text;
}

} // namespace sp::core
