#include "sp/util/system.hpp"

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>

namespace sp::util {

std::string current_user() {
  // The password entry, not $USER: CI and sudo often leave $USER stale.
  const uid_t uid = ::geteuid();
  if (const passwd* entry = ::getpwuid(uid); entry != nullptr && entry->pw_name != nullptr) {
    return entry->pw_name;
  }
  return "uid:" + std::to_string(uid);
}

std::string host_name() {
  std::array<char, 256> buffer{};
  if (::gethostname(buffer.data(), buffer.size() - 1) != 0) return "unknown";
  return buffer.data();
}

std::int64_t current_pid() { return ::getpid(); }

bool process_alive(std::int64_t pid) {
  if (pid <= 0) return false;
  // EPERM: it exists but belongs to someone else, which still means alive.
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace sp::util
