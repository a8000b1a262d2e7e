// The per-job lock on a real temporary database: one operation at a time per
// job, held for the operation's wait plus the named margin.
#include "sp/ops/job_lock.hpp"

#include "sp/store/store.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace sp;
using namespace std::chrono_literals;

namespace {

struct Fixture {
  test::TempDir dir;
  store::Database database = store::open_store({dir.path()}, store::OpenMode::create_missing).value();
  std::int64_t now = 1'000'000;
  ops::JobTarget job;

  Fixture() {
    job.name = "orders";
    job.environment = "prod";
  }

  ops::OpsContext context_for(std::int64_t pid) {
    return {.database = database,
            .make_transport = {},
            .clock = {[this] { return now; }, [](std::chrono::milliseconds) {}},
            .env = {},
            .actor = {"tester", "host", pid},
            .pid_alive = [](std::int64_t) { return true; },
            .progress = {}};
  }
};

} // namespace

TEST_CASE("a job lock is named after the job and lasts the wait plus the margin", "[ops][job_lock]") {
  Fixture f;
  auto context = f.context_for(1);
  CHECK(ops::job_lock_name(f.job) == "job:prod/orders");
  auto lock = ops::lock_job(context, f.job, 90s);
  REQUIRE(lock);
  auto held = store::find_lock(f.database, "job:prod/orders");
  REQUIRE(held);
  CHECK(held->acquired_at == f.now);
  CHECK(held->expires_at == f.now + 90'000 + 10 * 60'000);
  lock->release();
  auto no_wait = ops::lock_job(context, f.job);
  REQUIRE(no_wait);
  held = store::find_lock(f.database, "job:prod/orders");
  REQUIRE(held);
  CHECK(held->expires_at == f.now + ops::job_lock_margin.count());
}

TEST_CASE("a second operation on a job is refused while the first holds its lock", "[ops][job_lock]") {
  Fixture f;
  auto first = f.context_for(1);
  auto second = f.context_for(2);
  auto held = ops::lock_job(first, f.job, 1s);
  REQUIRE(held);
  auto refused = ops::lock_job(second, f.job, 1s);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind() == ErrorKind::refused);
  ops::JobTarget other = f.job;
  other.name = "billing";
  CHECK(ops::lock_job(second, other, 1s)); // another job is another lock
  held->release();
  CHECK(ops::lock_job(second, f.job, 1s));
}
