// The event log on a real SQLite file: `sp job history` reads one job's
// events, newest first, and never another job's.
#include "sp/store/environments.hpp"
#include "sp/store/events.hpp"
#include "sp/store/jobs.hpp"
#include "sp/store/store.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace sp;

TEST_CASE("a job's events come newest first, ties newest recorded first", "[store][events]") {
  test::TempDir dir;
  auto database = store::open_store({dir.path()}, store::OpenMode::create_missing).value();
  const auto environment = store::ensure_environment(database, "prod", 0).first;
  core::JobSpec spec;
  spec.cluster = "c";
  spec.artifact.jar = "/x.jar";
  const auto orders = store::upsert_job(database, environment, "orders", {}, spec, 0).second;
  const auto billing = store::upsert_job(database, environment, "billing", {}, spec, 0).second;
  auto event = [&](std::int64_t job, std::int64_t time, const std::string& kind) {
    store::record_event(database, {.time_ms = time,
                                   .job_id = job,
                                   .subject_kind = "job",
                                   .subject = "prod/x",
                                   .kind = kind,
                                   .actor = "alice",
                                   .host = "h1",
                                   .message = kind + " message"});
  };
  event(orders, 10, "started");
  event(orders, 30, "stopped");
  event(billing, 20, "started");
  event(orders, 30, "savepoint");

  const auto events = store::job_events(database, orders);
  REQUIRE(events.size() == 3);
  CHECK(events[0].kind == "savepoint");
  CHECK(events[1].kind == "stopped");
  CHECK(events[2].kind == "started");
  CHECK(events[2].time_ms == 10);
  CHECK(events[2].actor == "alice");
  CHECK(events[2].host == "h1");
  CHECK(events[2].message == "started message");
  CHECK(store::job_events(database, orders + billing + 1).empty());
}
