// Byte encodings for handing text to other programs: gzip (RFC 1952),
// base64 (RFC 4648, with padding) and percent-encoding for URLs. The SQL runner takes a job's script as
// base64 of its gzip, so a script of statements fits one program argument.
#pragma once

#include <string>
#include <string_view>

namespace sp::util {

// gzip at the default level; deterministic (no name, no timestamp), so
// the same text always gives the same bytes.
std::string gzip(std::string_view bytes);

// The inverse, for tests and for reading what sp wrote; nullopt-free: throws
// std::runtime_error on data that is not gzip.
std::string gunzip(std::string_view bytes);

std::string base64(std::string_view bytes);

// RFC 3986 percent-encoding as AWS SigV4 canonicalises URIs: unreserved
// characters (A-Z a-z 0-9 - _ . ~) stay, every other byte becomes %XX
// (upper case); '/' stays too when `keep_slash` (a path, not a query value).
std::string percent_encode(std::string_view text, bool keep_slash);

} // namespace sp::util
