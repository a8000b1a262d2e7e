#include "sp/store/locks.hpp"

#include "sp/util/time.hpp"

#include <fmt/format.h>

#include <utility>

namespace sp::store {

std::optional<core::LockState> find_lock(Database& database, const std::string& name) {
  auto row = database.prepare("SELECT owner, host, pid, acquired_at, expires_at FROM locks WHERE name = ?");
  row.bind(1, name);
  if (!row.step()) return std::nullopt;
  return core::LockState{{row.text(0), row.text(1), row.int64(2)}, row.int64(3), row.int64(4)};
}

Result<std::optional<core::LockState>> acquire_lock(Database& database, const std::string& name,
                                                    const core::LockHolder& holder, const LockTimes& times,
                                                    const core::PidProbe& pid_alive) {
  Transaction transaction(database);
  const auto existing = find_lock(database, name);
  std::optional<core::LockState> taken_over;
  if (existing && existing->holder == holder) {
    // Ours already (a renewal): keep the original acquisition time.
  } else {
    switch (core::judge_lock(existing, holder.host, times.now_ms, pid_alive)) {
    case core::LockVerdict::free:
      break;
    case core::LockVerdict::expired:
    case core::LockVerdict::holder_dead:
      taken_over = existing;
      break;
    case core::LockVerdict::held:
      return fail(ErrorKind::refused, "taking lock " + name,
                  fmt::format("held by {}@{} (pid {}) since {}, until {} at the latest",
                              existing->holder.owner, existing->holder.host, existing->holder.pid,
                              util::format_utc(existing->acquired_at),
                              util::format_utc(existing->expires_at)),
                  "wait for that operation to finish; a lock whose process died is taken over automatically");
    }
  }
  database
      .prepare(
          "INSERT INTO locks (name, owner, host, pid, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, host = excluded.host, "
          "pid = excluded.pid, expires_at = excluded.expires_at, "
          "acquired_at = CASE WHEN locks.owner = excluded.owner AND locks.host = excluded.host AND "
          "locks.pid = excluded.pid THEN locks.acquired_at ELSE excluded.acquired_at END")
      .bind_all(name, holder.owner, holder.host, holder.pid, times.now_ms, times.expires_at_ms)
      .run();
  transaction.commit();
  return taken_over;
}

bool renew_lock(Database& database, const std::string& name, const core::LockHolder& holder,
                std::int64_t expires_at_ms) {
  database.prepare("UPDATE locks SET expires_at = ? WHERE name = ? AND owner = ? AND host = ? AND pid = ?")
      .bind_all(expires_at_ms, name, holder.owner, holder.host, holder.pid)
      .run();
  return database.changes() > 0;
}

void release_lock(Database& database, const std::string& name, const core::LockHolder& holder) {
  database.prepare("DELETE FROM locks WHERE name = ? AND owner = ? AND host = ? AND pid = ?")
      .bind_all(name, holder.owner, holder.host, holder.pid)
      .run();
}

Result<ScopedLock> ScopedLock::acquire(Database& database, std::string name, core::LockHolder holder,
                                       const LockTimes& times, const core::PidProbe& pid_alive) {
  auto taken = acquire_lock(database, name, holder, times, pid_alive);
  if (!taken) return std::unexpected(taken.error());
  return ScopedLock(database, std::move(name), std::move(holder), std::move(*taken));
}

ScopedLock::ScopedLock(ScopedLock&& other) noexcept
    : database_(std::exchange(other.database_, nullptr)), name_(std::move(other.name_)),
      holder_(std::move(other.holder_)), taken_over_(std::move(other.taken_over_)) {}

ScopedLock::~ScopedLock() {
  try {
    release();
  } catch (...) { // NOLINT(bugprone-empty-catch): a destructor must not throw
    // The row stays until it expires or its dead pid is noticed.
  }
}

bool ScopedLock::renew(std::int64_t expires_at_ms) {
  return database_ != nullptr && renew_lock(*database_, name_, holder_, expires_at_ms);
}

void ScopedLock::release() {
  if (database_ == nullptr) return;
  Database* database = std::exchange(database_, nullptr);
  release_lock(*database, name_, holder_);
}

} // namespace sp::store
