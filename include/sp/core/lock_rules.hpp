// When a lock row in the database still protects something (SPEC.md section
// 11): decided from the row, the time and whether its process still lives,
// with no I/O of its own.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sp::core {

struct LockHolder {
  std::string owner; // the acting user
  std::string host;
  std::int64_t pid = 0;
  bool operator==(const LockHolder&) const = default;
};

struct LockState {
  LockHolder holder;
  std::int64_t acquired_at = 0;
  std::int64_t expires_at = 0;
};

enum class LockVerdict {
  free,        // no row
  held,        // a live holder, until its expiry
  expired,     // past its expiry: whoever held it is presumed gone
  holder_dead, // held from this host by a process that no longer exists
};

// Whether a pid on this host is still running.
using PidProbe = std::function<bool(std::int64_t pid)>;

// A lock from another host can only expire; one from this host is also stale
// as soon as its process is gone (killed builds do not block for the expiry).
LockVerdict judge_lock(const std::optional<LockState>& lock, std::string_view this_host, std::int64_t now_ms,
                       const PidProbe& pid_alive);

// A `building` row is live only while its builder holds the project lock.
bool builder_alive(const std::optional<LockState>& project_lock, const LockHolder& builder,
                   std::string_view this_host, std::int64_t now_ms, const PidProbe& pid_alive);

} // namespace sp::core
