// Identity and layout of a job's state (SPEC 5.9): pure, so exhaustively cheap.
#include "sp/core/state_layout.hpp"

#include <catch2/catch.hpp>

using namespace sp::core;

TEST_CASE("sp's Flink job ids carry the job and the submission time", "[core][state]") {
  const auto key = job_key("prod", "orders");
  CHECK(key.size() == 16);
  CHECK(key == job_key("prod", "orders"));
  CHECK(key != job_key("dev", "orders"));
  CHECK(key != job_key("prod", "orders2"));
  const auto id = flink_job_id_for("prod", "orders", 1'764'000'000'123);
  CHECK(is_flink_job_id(id));
  CHECK(is_job_id_of(id, key));
  CHECK_FALSE(is_job_id_of(id, job_key("dev", "orders")));
  CHECK(submission_time_of(id) == 1'764'000'000'123);
  // Later submissions sort later, as text too.
  CHECK(flink_job_id_for("prod", "orders", 1'764'000'000'124) > id);
  // Ids Flink chose (random) are not sp's, even when they start with the key.
  const std::string random = key + "0123456789abcdef";
  CHECK_FALSE(is_job_id_of(random, key));
  CHECK_FALSE(submission_time_of("a8f3c0de12345678a8f3c0de1234567").has_value());
  CHECK_FALSE(is_flink_job_id("A8F3C0DE12345678A8F3C0DE12345678"));
}

TEST_CASE("checkpoint directories: chk-N names and the newest few", "[core][state]") {
  CHECK(checkpoint_number("chk-42") == 42);
  CHECK(checkpoint_number("chk-0") == 0);
  CHECK_FALSE(checkpoint_number("chk-"));
  CHECK_FALSE(checkpoint_number("chk-4x"));
  CHECK_FALSE(checkpoint_number("chk--1"));
  CHECK_FALSE(checkpoint_number("shared"));
  CHECK_FALSE(checkpoint_number("chk-99999999999999999999999"));
  std::vector<std::string> names{"shared", "taskowned", "chk-9", "chk-10", "chk-8", "chk-100"};
  CHECK(newest_checkpoint_numbers(names, 2) == std::vector<std::int64_t>{100, 10});
  CHECK(newest_checkpoint_numbers(names, 10) == std::vector<std::int64_t>{100, 10, 9, 8});
  CHECK(newest_checkpoint_numbers({}, 3).empty());
  std::vector<std::string> many;
  for (int i = 0; i < 5000; ++i) many.push_back("chk-" + std::to_string(i));
  CHECK(newest_checkpoint_numbers(many, 1) == std::vector<std::int64_t>{4999});
}

TEST_CASE("a recorded checkpoint path names its run's directory", "[core][state]") {
  auto location = checkpoint_location_of("file:/cp/abc/chk-7");
  REQUIRE(location);
  CHECK(location->run_directory == "file:/cp/abc");
  CHECK(location->number == 7);
  CHECK(checkpoint_location_of("file:/cp/abc/chk-7/_metadata")->number == 7);
  CHECK(checkpoint_location_of("s3://b/cp/abc/chk-7/")->run_directory == "s3://b/cp/abc");
  CHECK_FALSE(checkpoint_location_of("file:/sp/savepoint-abc123-0123456789ab"));
  CHECK(join_path("file:/cp/", "x") == "file:/cp/x");
  CHECK(join_path("hdfs://nn:8020/cp", "x") == "hdfs://nn:8020/cp/x");
}

TEST_CASE("where checkpoints go: job, state.root, cluster, then the JobManager", "[core][state]") {
  const std::map<std::string, std::string> job{{"execution.checkpointing.dir", "file:/job"}};
  const std::map<std::string, std::string> old_key{{"state.checkpoints.dir", "file:/old"}};
  const std::map<std::string, std::string> cluster{{"execution.checkpointing.dir", "file:/cluster"}};
  const std::map<std::string, std::string> jobmanager{{"state.checkpoints.dir", "file:/jm"}};
  const std::optional<std::string> root = "file:/root/prod/orders/checkpoints";
  CHECK(resolve_checkpoint_dir(job, root, cluster, &jobmanager) == "file:/job");
  CHECK(resolve_checkpoint_dir(old_key, root, cluster, &jobmanager) == "file:/old");
  CHECK(resolve_checkpoint_dir({}, root, cluster, &jobmanager) == root);
  CHECK(resolve_checkpoint_dir({}, std::nullopt, cluster, &jobmanager) == "file:/cluster");
  CHECK(resolve_checkpoint_dir({}, std::nullopt, {}, &jobmanager) == "file:/jm");
  CHECK_FALSE(resolve_checkpoint_dir({}, std::nullopt, {}, nullptr));
}

TEST_CASE("the submitted configuration adds state.root directories and pipeline.name", "[core][state]") {
  const auto dirs = state_directories_under("s3://bucket/flink/", "prod", "orders");
  CHECK(dirs.checkpoints == "s3://bucket/flink/prod/orders/checkpoints");
  CHECK(dirs.savepoints == "s3://bucket/flink/prod/orders/savepoints");
  auto configuration = submission_configuration({}, dirs, "orders");
  CHECK(configuration["execution.checkpointing.dir"] == dirs.checkpoints);
  CHECK(configuration["state.checkpoints.dir"] == dirs.checkpoints);
  CHECK(configuration["execution.checkpointing.savepoint-dir"] == dirs.savepoints);
  CHECK(configuration["pipeline.name"] == "orders");
  // The job's own settings win, in either spelling.
  auto own = submission_configuration(
      {{"state.checkpoints.dir", "file:/mine"}, {"pipeline.name", "Orders v2"}}, dirs, "orders");
  CHECK(own["state.checkpoints.dir"] == "file:/mine");
  CHECK_FALSE(own.contains("execution.checkpointing.dir"));
  CHECK(own["execution.checkpointing.savepoint-dir"] == dirs.savepoints);
  CHECK(own["pipeline.name"] == "Orders v2");
  CHECK(pipeline_name_of({{"pipeline.name", "Orders v2"}}, "orders") == "Orders v2");
  CHECK(pipeline_name_of({}, "orders") == "orders");
  CHECK(submission_configuration({}, std::nullopt, "o").size() == 1);
}
