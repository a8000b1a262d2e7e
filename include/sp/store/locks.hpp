// Named operation locks in the `locks` table (SPEC.md section 11): one row
// per held lock, with owner, host, pid and expiry, so that two sp processes
// (two CI pipelines, a user and watch) never run the same operation at once.
// Names say what they protect: `project:<name>`, `job:<env>/<name>`, ...
#pragma once

#include "sp/core/lock_rules.hpp"
#include "sp/store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace sp::store {

struct LockTimes {
  std::int64_t now_ms = 0;
  std::int64_t expires_at_ms = 0;
};

// Takes the lock in one BEGIN IMMEDIATE transaction. A free lock is taken; a
// stale one (expired, or held by a dead process of this host) is taken over
// and returned so the caller can say so; one already held by `holder` is
// renewed. A lock held by anyone else is refused (exit 4) naming its holder.
Result<std::optional<core::LockState>> acquire_lock(Database& database, const std::string& name,
                                                    const core::LockHolder& holder, const LockTimes& times,
                                                    const core::PidProbe& pid_alive);

// Moves the expiry; false when `holder` no longer holds the lock.
bool renew_lock(Database& database, const std::string& name, const core::LockHolder& holder,
                std::int64_t expires_at_ms);

// Removes the lock if `holder` still holds it (never someone else's).
void release_lock(Database& database, const std::string& name, const core::LockHolder& holder);

std::optional<core::LockState> find_lock(Database& database, const std::string& name);

// A lock held for a scope and released when it ends. The destructor never
// throws: a lock it cannot release expires or is taken over as stale.
class ScopedLock {
public:
  static Result<ScopedLock> acquire(Database& database, std::string name, core::LockHolder holder,
                                    const LockTimes& times, const core::PidProbe& pid_alive);
  ScopedLock(ScopedLock&& other) noexcept;
  ScopedLock& operator=(ScopedLock&&) = delete;
  ScopedLock(const ScopedLock&) = delete;
  ScopedLock& operator=(const ScopedLock&) = delete;
  ~ScopedLock();

  // The stale lock this one replaced, if any.
  const std::optional<core::LockState>& taken_over() const { return taken_over_; }
  bool renew(std::int64_t expires_at_ms);
  void release();

private:
  ScopedLock(Database& database, std::string name, core::LockHolder holder,
             std::optional<core::LockState> taken_over)
      : database_(&database), name_(std::move(name)), holder_(std::move(holder)),
        taken_over_(std::move(taken_over)) {}
  Database* database_;
  std::string name_;
  core::LockHolder holder_;
  std::optional<core::LockState> taken_over_;
};

} // namespace sp::store
