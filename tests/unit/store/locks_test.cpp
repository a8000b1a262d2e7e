#include "sp/store/locks.hpp"
#include "sp/store/store.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace sp::store;
using sp::core::LockHolder;
using sp::core::PidProbe;

namespace {
const PidProbe alive = [](std::int64_t) { return true; };
const PidProbe dead = [](std::int64_t) { return false; };
const LockHolder me{"alice", "h1", 100};
const LockHolder other{"bob", "h1", 200};
const LockHolder remote{"carol", "h2", 300};
} // namespace

TEST_CASE("a free lock is taken, and refused to others while held", "[store][locks]") {
  sp::test::TempDir dir;
  auto db = open_store({dir.path()}, OpenMode::create_missing).value();
  auto taken = acquire_lock(db, "project:x", me, {1000, 5000}, alive);
  REQUIRE(taken.has_value());
  CHECK_FALSE(taken->has_value());

  auto refused = acquire_lock(db, "project:x", other, {2000, 6000}, alive);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().kind() == sp::ErrorKind::refused);
  CHECK(std::string(refused.error().what()).find("alice@h1 (pid 100)") != std::string::npos);

  // Other names are independent.
  CHECK(acquire_lock(db, "project:y", other, {2000, 6000}, alive).has_value());

  auto row = find_lock(db, "project:x");
  REQUIRE(row.has_value());
  CHECK(row->holder == me);
  CHECK(row->expires_at == 5000);
}

TEST_CASE("the holder renews and a release by someone else does nothing", "[store][locks]") {
  sp::test::TempDir dir;
  auto db = open_store({dir.path()}, OpenMode::create_missing).value();
  REQUIRE(acquire_lock(db, "job:a", me, {1000, 5000}, alive).has_value());
  REQUIRE(acquire_lock(db, "job:a", me, {2000, 9000}, alive).has_value());
  CHECK(find_lock(db, "job:a")->acquired_at == 1000);
  CHECK(find_lock(db, "job:a")->expires_at == 9000);
  CHECK(renew_lock(db, "job:a", me, 12000));
  CHECK_FALSE(renew_lock(db, "job:a", other, 13000));
  release_lock(db, "job:a", other);
  CHECK(find_lock(db, "job:a").has_value());
  release_lock(db, "job:a", me);
  CHECK_FALSE(find_lock(db, "job:a").has_value());
}

TEST_CASE("a stale lock is taken over and reported", "[store][locks]") {
  sp::test::TempDir dir;
  auto db = open_store({dir.path()}, OpenMode::create_missing).value();
  SECTION("its process on this host is dead") {
    REQUIRE(acquire_lock(db, "project:x", other, {1000, 999'000}, alive).has_value());
    auto taken = acquire_lock(db, "project:x", me, {2000, 6000}, dead);
    REQUIRE(taken.has_value());
    REQUIRE(taken->has_value());
    CHECK((*taken)->holder == other);
    CHECK(find_lock(db, "project:x")->holder == me);
  }
  SECTION("another host's lock only after its expiry") {
    REQUIRE(acquire_lock(db, "project:x", remote, {1000, 5000}, alive).has_value());
    CHECK_FALSE(acquire_lock(db, "project:x", me, {2000, 6000}, dead).has_value());
    auto taken = acquire_lock(db, "project:x", me, {5000, 9000}, dead);
    REQUIRE(taken.has_value());
    CHECK((*taken)->holder == remote);
  }
}

TEST_CASE("a scoped lock is released at scope end and can be renewed", "[store][locks]") {
  sp::test::TempDir dir;
  auto db = open_store({dir.path()}, OpenMode::create_missing).value();
  {
    auto lock = ScopedLock::acquire(db, "project:x", me, {1000, 5000}, alive);
    REQUIRE(lock.has_value());
    CHECK(lock->renew(8000));
    CHECK(find_lock(db, "project:x")->expires_at == 8000);
    CHECK_FALSE(ScopedLock::acquire(db, "project:x", other, {1000, 5000}, alive).has_value());
  }
  CHECK_FALSE(find_lock(db, "project:x").has_value());
  CHECK(ScopedLock::acquire(db, "project:x", other, {1000, 5000}, alive).has_value());
}

TEST_CASE("two connections contend for one lock and exactly one wins", "[store][locks]") {
  sp::test::TempDir dir;
  auto first = open_store({dir.path()}, OpenMode::create_missing).value();
  auto second = open_store({dir.path()}, OpenMode::existing).value();
  auto a = ScopedLock::acquire(first, "project:x", me, {1000, 5000}, alive);
  auto b = ScopedLock::acquire(second, "project:x", other, {1000, 5000}, alive);
  CHECK(a.has_value() != b.has_value());
}
