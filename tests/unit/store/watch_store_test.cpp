// The watch loop's tables on a real SQLite file: the alert outbox keeps an
// alert until it is delivered or has failed enough, and retention keeps the
// newest checkpoints and every savepoint.
#include "sp/store/alert_outbox.hpp"
#include "sp/store/environments.hpp"
#include "sp/store/jobs.hpp"
#include "sp/store/retention.hpp"
#include "sp/store/runs.hpp"
#include "sp/store/store.hpp"
#include "sp/store/watch_state.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace sp;

namespace {

struct Fixture {
  test::TempDir dir;
  store::Database database = store::open_store({dir.path()}, store::OpenMode::create_missing).value();

  std::int64_t count(const std::string& sql) {
    auto statement = database.prepare(sql);
    statement.step();
    return statement.int64(0);
  }
};

} // namespace

TEST_CASE("an alert stays pending until delivered, or until it failed the allowed number of times",
          "[store][alerts]") {
  Fixture f;
  {
    store::Transaction transaction(f.database);
    store::enqueue_alert(f.database, {.time_ms = 1,
                                      .kind = "job-failed",
                                      .subject = "prod/a",
                                      .document = "{}",
                                      .channels = {"hook", "mail"}});
    transaction.commit();
  }
  auto pending = store::pending_deliveries(f.database, 10);
  REQUIRE(pending.size() == 2);
  store::record_delivery_attempt(f.database, pending[0], true, "", 3, 2);
  store::record_delivery_attempt(f.database, pending[1], false, "refused", 3, 2);
  pending = store::pending_deliveries(f.database, 10);
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].channel == "mail");
  CHECK(pending[0].attempts == 1);
  store::record_delivery_attempt(f.database, pending[0], false, "refused", 3, 3);
  store::record_delivery_attempt(f.database, store::pending_deliveries(f.database, 10).at(0), false,
                                 "refused", 3, 4);
  CHECK(store::pending_deliveries(f.database, 10).empty());
  CHECK(f.count("SELECT count(*) FROM alert_deliveries WHERE status = 'failed' AND attempts = 3") == 1);
}

TEST_CASE("retention keeps the newest checkpoints per job, every savepoint and recent events",
          "[store][retention]") {
  Fixture f;
  const auto environment = store::ensure_environment(f.database, "prod", 0).first;
  core::JobSpec spec;
  spec.cluster = "c";
  spec.artifact.jar = "/x.jar";
  const auto job = store::upsert_job(f.database, environment, "a", {}, spec, 0).second;
  const auto run =
      store::insert_run(f.database, {.job_id = job, .rest_url = "http://jm", .state = "RUNNING"});
  for (int id = 1; id <= 30; ++id) {
    store::record_restore_point(f.database, {.job_id = job,
                                             .run_id = run,
                                             .flink_checkpoint_id = id,
                                             .path = "file:/cp/chk-" + std::to_string(id),
                                             .completion_time = id,
                                             .recorded_at = id});
  }
  store::record_restore_point(f.database, {.job_id = job,
                                           .run_id = run,
                                           .kind = core::PointKind::savepoint,
                                           .flink_checkpoint_id = 31,
                                           .path = "file:/sp/savepoint-31",
                                           .completion_time = 2,
                                           .recorded_at = 2});
  f.database.exec(
      "INSERT INTO events (time, subject_kind, subject, kind, actor, host, message) VALUES "
      "(10, 'job', 'prod/a', 'state', 'u', 'h', 'old'), (5000, 'job', 'prod/a', 'state', 'u', 'h', 'new')");

  auto report = store::prune_history(f.database, {.events_max_age_ms = 1000, .checkpoints_per_job = 5}, 5500);
  CHECK(report.checkpoints == 25);
  CHECK(report.events == 1);
  CHECK(f.count("SELECT min(flink_checkpoint_id) FROM restore_points WHERE kind = 'checkpoint'") == 26);
  CHECK(f.count("SELECT count(*) FROM restore_points WHERE kind = 'savepoint'") == 1);
  CHECK(f.count("SELECT count(*) FROM events") == 1);
}

TEST_CASE("live runs follow their JobManager to its new address, ended runs keep theirs", "[store][watch]") {
  Fixture f;
  const auto environment = store::ensure_environment(f.database, "prod", 0).first;
  core::JobSpec spec;
  spec.cluster = "c";
  spec.artifact.jar = "/x.jar";
  const auto job = store::upsert_job(f.database, environment, "orders", {}, spec, 0).second;
  const auto ended = store::insert_run(
      f.database, {.job_id = job, .rest_url = "http://old:8081", .state = "RUNNING", .started_at = 1});
  store::end_run(f.database, ended, "FAILED", 2);
  const auto live = store::insert_run(
      f.database, {.job_id = job, .rest_url = "http://old:8081", .state = "RUNNING", .started_at = 3});
  const auto elsewhere = store::insert_run(
      f.database, {.job_id = job, .rest_url = "http://other:8081", .state = "RUNNING", .started_at = 4});
  f.database.prepare("UPDATE runs SET poll_failures = 3").run();

  store::relocate_live_runs(f.database, "http://old:8081", "http://new:8081");
  CHECK(store::find_run(f.database, live)->rest_url == "http://new:8081");
  CHECK(store::find_run(f.database, live)->poll_failures == 0);
  CHECK(store::find_run(f.database, ended)->rest_url == "http://old:8081");
  CHECK(store::find_run(f.database, elsewhere)->rest_url == "http://other:8081");
  CHECK(store::find_run(f.database, elsewhere)->poll_failures == 3);
}
