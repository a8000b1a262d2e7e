#include "sp/core/restore.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace sp::core;
using Action = RestoreDecision::Action;
using Verdict = CandidateOutcome::Verdict;

namespace {

constexpr std::int64_t minute = 60'000;
constexpr std::int64_t now = 1'000'000 * minute;

KnownPoint point(std::int64_t id, PointKind kind, std::int64_t age_minutes, std::string path,
                 std::optional<std::int64_t> run = 1, std::optional<std::int64_t> checkpoint = std::nullopt) {
  KnownPoint p;
  p.id = id;
  p.kind = kind;
  p.run_id = run;
  p.flink_checkpoint_id = checkpoint;
  p.path = std::move(path);
  p.completion_ms = now - age_minutes * minute;
  return p;
}

// A disk where only the listed paths exist (with _metadata).
PathChecker disk(std::map<std::string, PathStatus> paths) {
  return [paths](const std::string& path) {
    auto it = paths.find(path);
    if (it == paths.end()) return PathCheck{PathStatus::invalid, "directory does not exist"};
    return PathCheck{it->second,
                     it->second == PathStatus::unverified ? "scheme not checked" : "_metadata readable"};
  };
}

RestoreRequest automatic() { return {.mode = RestoreMode::automatic, .now_ms = now}; }

} // namespace

TEST_CASE("first start with no history starts fresh", "[core][restore]") {
  auto decision = decide_restore(automatic(), {}, disk({}));
  CHECK(decision.action == Action::start_fresh);
  CHECK(decision.reason.find("first start") != std::string::npos);
}

TEST_CASE("the newest valid point wins, whatever its kind", "[core][restore]") {
  RestoreFacts facts{{point(1, PointKind::stop_savepoint, 30, "file:///sp/savepoint-a"),
                      point(2, PointKind::checkpoint, 5, "file:///cp/chk-7"),
                      point(3, PointKind::checkpoint, 10, "file:///cp/chk-6")},
                     true};
  auto decision = decide_restore(automatic(), facts,
                                 disk({{"file:///sp/savepoint-a", PathStatus::valid},
                                       {"file:///cp/chk-7", PathStatus::valid},
                                       {"file:///cp/chk-6", PathStatus::valid}}));
  REQUIRE(decision.action == Action::restore);
  CHECK(decision.chosen->id == 2);
  REQUIRE(decision.candidates.size() == 3);
  CHECK(decision.candidates[0].verdict == Verdict::chosen);
  CHECK(decision.candidates[1].point.id == 3);
  CHECK(decision.candidates[1].verdict == Verdict::not_tried);
}

TEST_CASE("a cancelled job restores its newer retained checkpoint, not the older savepoint",
          "[core][restore]") {
  RestoreFacts facts{{point(1, PointKind::stop_savepoint, 20, "file:///sp/sv"),
                      point(2, PointKind::checkpoint, 1, "file:///cp/run2/chk-3", 2, 3)},
                     true};
  auto decision = decide_restore(
      automatic(), facts,
      disk({{"file:///sp/sv", PathStatus::valid}, {"file:///cp/run2/chk-3", PathStatus::valid}}));
  REQUIRE(decision.action == Action::restore);
  CHECK(decision.chosen->path == "file:///cp/run2/chk-3");
}

TEST_CASE("checkpoint ids are never compared across runs", "[core][restore]") {
  // Run 1 reached checkpoint 90; run 2 restarted at 1 and is newer.
  RestoreFacts facts{{point(1, PointKind::checkpoint, 60, "file:///cp/r1/chk-90", 1, 90),
                      point(2, PointKind::checkpoint, 2, "file:///cp/r2/chk-1", 2, 1)},
                     true};
  auto decision = decide_restore(
      automatic(), facts,
      disk({{"file:///cp/r1/chk-90", PathStatus::valid}, {"file:///cp/r2/chk-1", PathStatus::valid}}));
  REQUIRE(decision.chosen);
  CHECK(decision.chosen->path == "file:///cp/r2/chk-1");
}

TEST_CASE("an invalid newest point is marked and the next one is used, with the reason", "[core][restore]") {
  RestoreFacts facts{{point(1, PointKind::savepoint, 30, "file:///sp/old"),
                      point(2, PointKind::checkpoint, 1, "file:///cp/deleted")},
                     true};
  auto decision = decide_restore(automatic(), facts, disk({{"file:///sp/old", PathStatus::valid}}));
  REQUIRE(decision.action == Action::restore);
  CHECK(decision.chosen->id == 1);
  REQUIRE(decision.newly_invalid.size() == 1);
  CHECK(decision.newly_invalid[0].point.id == 2);
  CHECK(decision.newly_invalid[0].reason == "directory does not exist");
  CHECK(decision.candidates[0].verdict == Verdict::invalid);
}

TEST_CASE("points already invalid or disposed are skipped without looking", "[core][restore]") {
  auto invalid = point(1, PointKind::checkpoint, 1, "file:///cp/a");
  invalid.valid = false;
  invalid.invalid_reason = "gone";
  auto disposed = point(2, PointKind::savepoint, 2, "file:///sp/b");
  disposed.disposed = true;
  int looks = 0;
  PathChecker counting = [&](const std::string&) {
    ++looks;
    return PathCheck{PathStatus::valid, "ok"};
  };
  RestoreFacts facts{{invalid, disposed, point(3, PointKind::checkpoint, 3, "file:///cp/c")}, true};
  auto decision = decide_restore(automatic(), facts, counting);
  CHECK(looks == 1);
  CHECK(decision.chosen->id == 3);
  CHECK(decision.candidates[0].verdict == Verdict::skipped);
  CHECK(decision.candidates[1].verdict == Verdict::skipped);
  CHECK(decision.newly_invalid.empty());
}

TEST_CASE("no valid point after earlier runs: refuse and list what was tried", "[core][restore]") {
  RestoreFacts facts{{point(1, PointKind::savepoint, 30, "file:///sp/x"),
                      point(2, PointKind::checkpoint, 5, "file:///cp/y")},
                     true};
  auto decision = decide_restore(automatic(), facts, disk({}));
  CHECK(decision.action == Action::refuse);
  CHECK_FALSE(decision.chosen);
  CHECK(decision.reason.find("file:///sp/x: directory does not exist") != std::string::npos);
  CHECK(decision.reason.find("file:///cp/y: directory does not exist") != std::string::npos);
  CHECK(decision.reason.find("--restore none --force") != std::string::npos);
  CHECK(decision.newly_invalid.size() == 2);
}

TEST_CASE("a job that ran before without any known point is refused too", "[core][restore]") {
  auto decision = decide_restore(automatic(), {{}, true}, disk({}));
  CHECK(decision.action == Action::refuse);
  CHECK(decision.reason.find("knows no restore point") != std::string::npos);
}

TEST_CASE("restore none: fresh for a new job, refused with history unless forced", "[core][restore]") {
  RestoreRequest none{.mode = RestoreMode::none, .now_ms = now};
  CHECK(decide_restore(none, {}, disk({})).action == Action::start_fresh);
  RestoreFacts history{{point(1, PointKind::savepoint, 1, "file:///sp/x")}, true};
  auto refused = decide_restore(none, history, disk({{"file:///sp/x", PathStatus::valid}}));
  CHECK(refused.action == Action::refuse);
  CHECK(refused.reason.find("--force") != std::string::npos);
  none.force = true;
  CHECK(decide_restore(none, history, disk({})).action == Action::start_fresh);
}

TEST_CASE("state.maxAge refuses an old point unless --allow-old-state", "[core][restore]") {
  RestoreFacts facts{{point(1, PointKind::savepoint, 3 * 24 * 60, "file:///sp/old")}, true};
  RestoreRequest request = automatic();
  request.max_age_ms = 24 * 60 * minute;
  auto refused = decide_restore(request, facts, disk({{"file:///sp/old", PathStatus::valid}}));
  CHECK(refused.action == Action::refuse);
  CHECK(refused.reason.find("3d old, older than state.maxAge 1d") != std::string::npos);
  request.allow_old_state = true;
  auto allowed = decide_restore(request, facts, disk({{"file:///sp/old", PathStatus::valid}}));
  CHECK(allowed.action == Action::restore);
  CHECK(allowed.reason.find("allowed by --allow-old-state") != std::string::npos);
}

TEST_CASE("other schemes are accepted as unverified", "[core][restore]") {
  RestoreFacts facts{{point(1, PointKind::checkpoint, 1, "hdfs:///flink/cp/chk-1")}, true};
  auto decision =
      decide_restore(automatic(), facts, disk({{"hdfs:///flink/cp/chk-1", PathStatus::unverified}}));
  REQUIRE(decision.action == Action::restore);
  CHECK(decision.unverified);
  CHECK(decision.reason.find("unverified") != std::string::npos);
}

TEST_CASE("an explicit restore path is still validated", "[core][restore]") {
  RestoreRequest request{
      .mode = RestoreMode::explicit_path, .explicit_path = "file:///sp/given", .now_ms = now};
  auto missing = decide_restore(request, {}, disk({}));
  CHECK(missing.action == Action::refuse);
  CHECK(missing.reason.find("file:///sp/given is not valid") != std::string::npos);
  auto present = decide_restore(request, {}, disk({{"file:///sp/given", PathStatus::valid}}));
  REQUIRE(present.action == Action::restore);
  CHECK(present.chosen->path == "file:///sp/given");
  CHECK(present.chosen->id == 0);
}

TEST_CASE("equal completion times are ordered by id, newest recorded first", "[core][restore]") {
  auto ordered =
      newest_first({point(1, PointKind::checkpoint, 5, "a"), point(2, PointKind::savepoint, 5, "b"),
                    point(3, PointKind::checkpoint, 1, "c")});
  CHECK(ordered[0].id == 3);
  CHECK(ordered[1].id == 2);
  CHECK(ordered[2].id == 1);
}

TEST_CASE("file: paths map to local paths and other schemes do not", "[core][restore]") {
  CHECK(local_path_of("file:///tmp/cp/chk-1") == "/tmp/cp/chk-1");
  CHECK(local_path_of("file:/tmp/cp/chk-1") == "/tmp/cp/chk-1");
  CHECK(local_path_of("file://localhost/tmp/x") == "/tmp/x");
  CHECK(local_path_of("/tmp/x") == "/tmp/x");
  CHECK_FALSE(local_path_of("hdfs:///x").has_value());
  CHECK_FALSE(local_path_of("s3://bucket/x").has_value());
  CHECK_FALSE(local_path_of("file://otherhost/x").has_value());
}

TEST_CASE("one place spelled several ways is one location, as Flink prints it", "[core][restore]") {
  CHECK(canonical_location("file:///tmp/cp/") == "file:/tmp/cp");
  CHECK(canonical_location("/tmp/cp") == "file:/tmp/cp");
  CHECK(canonical_location("file://localhost/tmp/cp") == "file:/tmp/cp");
  // Flink writes hdfs:///p back as hdfs:/p: a start from hdfs:///p/chk-6 is confirmed by hdfs:/p/chk-6.
  CHECK(canonical_location("hdfs:///sp/chk-6") == "hdfs:/sp/chk-6");
  CHECK(canonical_location("hdfs:/sp/chk-6/") == "hdfs:/sp/chk-6");
  // An authority is a place of its own: kept.
  CHECK(canonical_location("hdfs://nn:8020/sp") == "hdfs://nn:8020/sp");
  CHECK(canonical_location("s3://bucket/sp/") == "s3://bucket/sp");
  CHECK(canonical_location("file:/") == "file:/");
  CHECK(restore_location("hdfs:///sp/chk-6/_metadata") == restore_location("hdfs:/sp/chk-6"));
  CHECK(restore_location("file:///a/b/_metadata") == restore_location("/a/b/"));
  CHECK(restore_location("hdfs://nn:8020/sp/chk-6") != restore_location("hdfs:/sp/chk-6"));
}

TEST_CASE("a path without an authority is the same point on the default file system", "[core][restore]") {
  // sp submits hdfs:///p (or hdfs:/p); Flink reports what it restored qualified by its default FS.
  CHECK(same_restore_location("hdfs:///sp/chk-7", "hdfs://127.0.0.1:33541/sp/chk-7"));
  CHECK(same_restore_location("hdfs://127.0.0.1:33541/sp/chk-7/_metadata", "hdfs:/sp/chk-7"));
  CHECK(same_restore_location("file:///a/b", "/a/b/_metadata"));
  CHECK_FALSE(same_restore_location("hdfs://nn1:8020/sp/chk-7", "hdfs://nn2:8020/sp/chk-7"));
  CHECK_FALSE(same_restore_location("hdfs:/sp/chk-7", "hdfs://nn:8020/sp/chk-8"));
  CHECK_FALSE(same_restore_location("hdfs:/sp/chk-7", "s3://sp/chk-7"));
  CHECK_FALSE(same_restore_location("s3://bucket-a/sp", "s3://bucket-b/sp"));
}

TEST_CASE("ages read as days, hours, minutes and seconds", "[core][restore]") {
  CHECK(describe_age(0) == "0s");
  CHECK(describe_age(59'000) == "59s");
  CHECK(describe_age(90'000) == "1m 30s");
  CHECK(describe_age(3'600'000) == "1h");
  CHECK(describe_age(90'000'000) == "1d 1h");
  CHECK(describe_age(-5) == "0s");
}

TEST_CASE("point kinds round-trip through their names", "[core][restore]") {
  for (auto kind : {PointKind::checkpoint, PointKind::savepoint, PointKind::stop_savepoint}) {
    CHECK(point_kind_from_string(to_string(kind)) == kind);
  }
  CHECK_FALSE(point_kind_from_string("snapshot").has_value());
}

TEST_CASE("a store that cannot be asked refuses the start and marks nothing", "[core][restore]") {
  RestoreFacts facts{{point(1, PointKind::checkpoint, 5, "file:///cp/chk-7"),
                      point(2, PointKind::savepoint, 50, "file:///sp/savepoint-a")},
                     true};
  auto decision = decide_restore(automatic(), facts, [](const std::string&) {
    return PathCheck{PathStatus::unreachable, "Input/output error"};
  });
  CHECK(decision.action == Action::cannot_check);
  CHECK_FALSE(decision.chosen);
  CHECK(decision.newly_invalid.empty());
  CHECK(decision.reason.find("cannot check") != std::string::npos);
  CHECK(decision.reason.find("Input/output error") != std::string::npos);
}

TEST_CASE("an empty database is not a first start when the cluster could not be asked", "[core][restore]") {
  RestoreFacts facts;
  facts.unchecked = {"the JobManager at http://jm:8081: Connection refused"};
  auto decision = decide_restore(automatic(), facts, disk({}));
  CHECK(decision.action == Action::cannot_check);
  CHECK(decision.reason.find("Connection refused") != std::string::npos);
  // --restore none does not skip the question either, unless forced.
  RestoreRequest none{.mode = RestoreMode::none, .now_ms = now};
  CHECK(decide_restore(none, facts, disk({})).action == Action::cannot_check);
  none.force = true;
  CHECK(decide_restore(none, facts, disk({})).action == Action::start_fresh);
  // Once everything answered and held nothing, it is a first start.
  facts.unchecked.clear();
  CHECK(decide_restore(automatic(), facts, disk({})).action == Action::start_fresh);
}

TEST_CASE("a point of an older run is chosen only with a warning said first", "[core][restore]") {
  RestoreFacts facts{{point(1, PointKind::stop_savepoint, 60, "file:///sp/savepoint-a", 1),
                      point(2, PointKind::checkpoint, 5, "file:///cp/run2/chk-3", 2, 3)},
                     true};
  facts.last_run_id = 2;
  auto decision = decide_restore(automatic(), facts, disk({{"file:///sp/savepoint-a", PathStatus::valid}}));
  REQUIRE(decision.action == Action::restore);
  CHECK(decision.chosen->id == 1);
  CHECK(decision.warning.find("run 2 left no valid checkpoint") != std::string::npos);
  CHECK(decision.reason.starts_with("falling back"));
  // The newest run's own point: no warning.
  auto own = decide_restore(automatic(), facts, disk({{"file:///cp/run2/chk-3", PathStatus::valid}}));
  CHECK(own.chosen->id == 2);
  CHECK(own.warning.empty());
  // Falling back while newer state could exist somewhere sp could not look is not done.
  facts.unchecked = {"checkpoint directory file:/cp: Input/output error"};
  auto unsure = decide_restore(automatic(), facts, disk({{"file:///sp/savepoint-a", PathStatus::valid}}));
  CHECK(unsure.action == Action::cannot_check);
}
