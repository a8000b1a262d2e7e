// Keeps credentials embedded in URLs out of output, logs, events and errors.
#pragma once

#include <string>
#include <string_view>

namespace sp::util {

inline constexpr std::string_view redacted = "******";

// Every URL in `text` with its credentials masked: a password becomes ******
// (`https://alice:******@host/x`), and over http(s) a user name without a
// password is masked too, because that is where tokens are usually put
// (`https://******@host/x`). Other user names (`ssh://git@host`) stay.
// Text without URLs comes back unchanged, so this is safe on any message.
std::string redact_urls(std::string_view text);

// One URL as a message may show it: credentials masked as redact_urls does
// and the query dropped (tokens and signatures travel there).
std::string url_for_messages(std::string_view url);

// Only scheme://host[:port] of a URL, for destinations whose path is the
// secret (a chat webhook's token is its path). Without a scheme nothing can
// be told apart, so nothing is shown: "******".
std::string url_origin(std::string_view url);

} // namespace sp::util
