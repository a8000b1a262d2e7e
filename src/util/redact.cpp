#include "sp/util/redact.hpp"

#include <cctype>

namespace sp::util {

namespace {

bool is_scheme_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' || c == '.';
}

// Where the authority (user:password@host:port) of a URL ends.
bool ends_authority(char c) {
  return c == '/' || c == '?' || c == '#' || c == '\'' || c == '"' || c == '<' || c == '>' ||
         std::isspace(static_cast<unsigned char>(c)) != 0;
}

bool is_http(std::string_view scheme) {
  std::string lower;
  for (const char c : scheme) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "http" || lower == "https";
}

} // namespace

std::string redact_urls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0; // text[0, copied) is already in `out`
  std::size_t search = 0;
  while (true) {
    const std::size_t marker = text.find("://", search);
    if (marker == std::string_view::npos) break;
    std::size_t scheme_start = marker;
    while (scheme_start > copied && is_scheme_char(text[scheme_start - 1])) --scheme_start;
    const std::string_view scheme = text.substr(scheme_start, marker - scheme_start);
    const std::size_t authority_start = marker + 3;
    std::size_t authority_end = authority_start;
    while (authority_end < text.size() && !ends_authority(text[authority_end])) ++authority_end;
    const std::string_view authority = text.substr(authority_start, authority_end - authority_start);
    const std::size_t at = authority.rfind('@');
    search = authority_end;
    if (scheme.empty() || at == std::string_view::npos) continue;

    const std::string_view userinfo = authority.substr(0, at);
    std::string replacement;
    if (const std::size_t colon = userinfo.find(':'); colon != std::string_view::npos) {
      replacement = std::string(userinfo.substr(0, colon)) + ":" + std::string(redacted);
    } else if (is_http(scheme)) {
      replacement = std::string(redacted);
    } else {
      continue; // a plain user name such as git@ is not a secret
    }
    out.append(text.substr(copied, authority_start - copied));
    out += replacement;
    copied = authority_start + at; // resume at the '@'
  }
  out.append(text.substr(copied));
  return out;
}

std::string url_for_messages(std::string_view url) { return redact_urls(url.substr(0, url.find('?'))); }

std::string url_origin(std::string_view url) {
  const std::size_t marker = url.find("://");
  if (marker == std::string_view::npos || marker == 0) return std::string(redacted);
  const std::size_t authority_start = marker + 3;
  std::size_t authority_end = authority_start;
  while (authority_end < url.size() && !ends_authority(url[authority_end])) ++authority_end;
  std::string_view authority = url.substr(authority_start, authority_end - authority_start);
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);
  return std::string(url.substr(0, authority_start)) + std::string(authority);
}

} // namespace sp::util
