// Byte encodings for handing text to other programs: gzip (RFC 1952) and
// base64 (RFC 4648, with padding). The SQL runner takes a job's script as
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

} // namespace sp::util
