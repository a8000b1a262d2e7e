// Facts about the running process that events and locks record.
#pragma once

#include <cstdint>
#include <string>

namespace sp::util {

// The acting user: $USER's account name from the password database, else the uid.
std::string current_user();
std::string host_name();
// This process's id.
std::int64_t current_pid();
// Whether a process with this id exists on this host (zombies count as existing).
bool process_alive(std::int64_t pid);
// Wall-clock time in milliseconds since the Unix epoch.
std::int64_t now_ms();

} // namespace sp::util
