#include "sp/core/lock_rules.hpp"

namespace sp::core {

LockVerdict judge_lock(const std::optional<LockState>& lock, std::string_view this_host, std::int64_t now_ms,
                       const PidProbe& pid_alive) {
  if (!lock) return LockVerdict::free;
  if (lock->expires_at <= now_ms) return LockVerdict::expired;
  if (lock->holder.host == this_host && !pid_alive(lock->holder.pid)) return LockVerdict::holder_dead;
  return LockVerdict::held;
}

bool builder_alive(const std::optional<LockState>& project_lock, const LockHolder& builder,
                   std::string_view this_host, std::int64_t now_ms, const PidProbe& pid_alive) {
  if (judge_lock(project_lock, this_host, now_ms, pid_alive) != LockVerdict::held) return false;
  return project_lock->holder.host == builder.host && project_lock->holder.pid == builder.pid;
}

} // namespace sp::core
