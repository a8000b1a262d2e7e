// Facts about the running process that events and locks record.
#pragma once

#include <cstdint>
#include <string>

namespace sp::util {

// The acting user: $USER's account name from the password database, else the uid.
std::string current_user();
std::string host_name();
// Wall-clock time in milliseconds since the Unix epoch.
std::int64_t now_ms();

} // namespace sp::util
