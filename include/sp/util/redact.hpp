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

} // namespace sp::util
