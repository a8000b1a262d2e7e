#include "sp/core/lock_rules.hpp"

#include <catch2/catch.hpp>

using namespace sp::core;

namespace {
const PidProbe alive = [](std::int64_t) { return true; };
const PidProbe dead = [](std::int64_t) { return false; };
LockState lock_of(std::string host, std::int64_t pid, std::int64_t expires) {
  return {{"alice", std::move(host), pid}, 0, expires};
}
} // namespace

TEST_CASE("a lock is held until it expires or its local process dies", "[core][locks]") {
  CHECK(judge_lock(std::nullopt, "h1", 100, alive) == LockVerdict::free);
  CHECK(judge_lock(lock_of("h1", 7, 200), "h1", 100, alive) == LockVerdict::held);
  CHECK(judge_lock(lock_of("h1", 7, 200), "h1", 100, dead) == LockVerdict::holder_dead);
  CHECK(judge_lock(lock_of("h1", 7, 200), "h1", 200, alive) == LockVerdict::expired);
  // Another host's pid means nothing here: only its expiry frees it.
  CHECK(judge_lock(lock_of("h2", 7, 200), "h1", 100, dead) == LockVerdict::held);
  CHECK(judge_lock(lock_of("h2", 7, 200), "h1", 300, dead) == LockVerdict::expired);
}

TEST_CASE("a building row is live only while its builder holds the project lock", "[core][locks]") {
  const LockHolder builder{"", "h1", 7};
  CHECK(builder_alive(lock_of("h1", 7, 200), builder, "h1", 100, alive));
  CHECK_FALSE(builder_alive(std::nullopt, builder, "h1", 100, alive));
  CHECK_FALSE(builder_alive(lock_of("h1", 8, 200), builder, "h1", 100, alive));
  CHECK_FALSE(builder_alive(lock_of("h1", 7, 200), builder, "h1", 100, dead));
  CHECK_FALSE(builder_alive(lock_of("h1", 7, 200), builder, "h1", 250, alive));
}
