#include "sp/store/environments.hpp"
#include "sp/store/jobs.hpp"
#include "sp/store/runs.hpp"
#include "sp/store/store.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace sp::store;
using sp::core::PointKind;

namespace {

std::int64_t insert_job(Database& database) {
  const auto environment = ensure_environment(database, "dev", 0).first;
  sp::core::JobSpec spec;
  spec.cluster = "local";
  spec.artifact.jar = "/jobs/orders.jar";
  return upsert_job(database, environment, "orders", {}, spec, 0).second;
}

} // namespace

TEST_CASE("runs: insert, latest, live, end", "[store][runs]") {
  sp::test::TempDir dir;
  auto database = open_store({dir.path()}, OpenMode::create_missing).value();
  const auto job = insert_job(database);
  CHECK_FALSE(job_has_runs(database, job));
  const auto first = insert_run(
      database,
      {.job_id = job, .flink_job_id = "a1", .rest_url = "http://jm:1", .state = "RUNNING", .started_at = 10});
  end_run(database, first, "CANCELED", 20);
  const auto second = insert_run(
      database,
      {.job_id = job, .flink_job_id = "b2", .rest_url = "http://jm:1", .state = "RUNNING", .started_at = 30});
  CHECK(job_has_runs(database, job));
  CHECK(latest_run(database, job)->id == second);
  auto live = live_runs(database);
  REQUIRE(live.size() == 1);
  CHECK(live[0].flink_job_id == "b2");
  auto ended = find_run(database, first).value();
  CHECK(ended.end_state == "CANCELED");
  CHECK_FALSE(ended.live());
  // Ending twice keeps the first end.
  end_run(database, first, "FAILED", 99);
  CHECK(find_run(database, first)->end_state == "CANCELED");
}

TEST_CASE("restore points are deduplicated by run and checkpoint id, never by id alone", "[store][runs]") {
  sp::test::TempDir dir;
  auto database = open_store({dir.path()}, OpenMode::create_missing).value();
  const auto job = insert_job(database);
  const auto run1 =
      insert_run(database, {.job_id = job, .rest_url = "u", .state = "RUNNING", .started_at = 1});
  const auto run2 =
      insert_run(database, {.job_id = job, .rest_url = "u", .state = "RUNNING", .started_at = 2});
  NewRestorePoint point{.job_id = job,
                        .run_id = run1,
                        .kind = PointKind::checkpoint,
                        .flink_checkpoint_id = 1,
                        .path = "file:/cp/r1/chk-1",
                        .completion_time = 100,
                        .recorded_at = 100};
  auto first = record_restore_point(database, point);
  CHECK(first.created);
  auto again = record_restore_point(database, point);
  CHECK_FALSE(again.created);
  CHECK(again.id == first.id);
  point.run_id = run2;
  point.path = "file:/cp/r2/chk-1";
  point.completion_time = 200;
  CHECK(record_restore_point(database, point).created); // same checkpoint id, other run
  auto points = restore_points_of_job(database, job);
  REQUIRE(points.size() == 2);
  CHECK(points[0].path == "file:/cp/r2/chk-1");
  mark_point_invalid(database, points[0].id, "deleted");
  auto after = restore_points_of_job(database, job);
  CHECK_FALSE(after[0].valid);
  CHECK(after[0].invalid_reason == "deleted");
}

TEST_CASE("a point reported again by path is the same point and gains its checkpoint id", "[store][runs]") {
  sp::test::TempDir dir;
  auto database = open_store({dir.path()}, OpenMode::create_missing).value();
  const auto job = insert_job(database);
  const auto run =
      insert_run(database, {.job_id = job, .rest_url = "u", .state = "RUNNING", .started_at = 1});
  NewRestorePoint stop{.job_id = job,
                       .run_id = run,
                       .kind = PointKind::stop_savepoint,
                       .path = "file:/sp/savepoint-1",
                       .completion_time = 100,
                       .recorded_at = 100};
  const auto first = record_restore_point(database, stop);
  NewRestorePoint seen_later = stop;
  seen_later.kind = PointKind::savepoint;
  seen_later.flink_checkpoint_id = 5;
  const auto again = record_restore_point(database, seen_later);
  CHECK_FALSE(again.created);
  CHECK(again.id == first.id);
  auto points = restore_points_of_job(database, job);
  REQUIRE(points.size() == 1);
  CHECK(points[0].kind == PointKind::stop_savepoint);
  CHECK(points[0].flink_checkpoint_id == 5);
}
