// Object writes on a real temporary database: the imperative commands and
// apply share these functions, so the rules hold whichever way is used.
#include "sp/ops/objects.hpp"

#include "sp/core/cluster.hpp"
#include "sp/core/job.hpp"
#include "sp/core/object_rules.hpp"
#include "sp/core/project.hpp"
#include "sp/store/builds.hpp"
#include "sp/store/environments.hpp"
#include "sp/store/locks.hpp"
#include "sp/store/projects.hpp"
#include "sp/store/store.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace sp;

namespace {

struct Fixture {
  test::TempDir dir;
  store::Database database = store::open_store({dir.path()}, store::OpenMode::create_missing).value();
  store::Actor actor{"tester", "host", 1'000};

  std::int64_t events(const std::string& kind) {
    auto statement = database.prepare("SELECT count(*) FROM events WHERE kind = ?");
    statement.bind(1, kind);
    statement.step();
    return statement.int64(0);
  }
};

core::Manifest project(const std::string& name, std::chrono::milliseconds timeout) {
  core::ProjectSpec spec;
  spec.url = "https://git.example.com/" + name + ".git";
  spec.timeout = core::build_timeout(timeout).value();
  return {.kind = core::ObjectKind::project, .name = name, .spec = spec};
}

} // namespace

TEST_CASE("create_object refuses an object that exists, and apply changes it", "[ops][objects]") {
  Fixture f;
  REQUIRE(
      ops::create_object(f.database, project("orders", std::chrono::milliseconds(1500)), f.actor, "adding"));
  CHECK(store::find_project(f.database, "orders")->spec.timeout == std::chrono::seconds(2));
  auto again = ops::create_object(f.database, project("orders", std::chrono::seconds(5)), f.actor, "adding");
  REQUIRE_FALSE(again);
  CHECK(again.error().kind() == ErrorKind::refused);
  CHECK(store::find_project(f.database, "orders")->spec.timeout == std::chrono::seconds(2));
  auto plan = ops::apply_objects(f.database, {project("orders", std::chrono::seconds(5))}, f.actor);
  REQUIRE(plan);
  CHECK(plan->objects.front().outcome == core::ApplyOutcome::configured);
  CHECK(store::find_project(f.database, "orders")->spec.timeout == std::chrono::seconds(5));
  CHECK(f.events("created") == 1);
  CHECK(f.events("configured") == 1);
}

TEST_CASE("apply writes nothing when one object is invalid", "[ops][objects]") {
  Fixture f;
  core::JobSpec job;
  job.cluster = "missing";
  job.artifact.jar = "/x.jar";
  auto plan = ops::apply_objects(
      f.database,
      {project("orders", std::chrono::seconds(5)),
       {.kind = core::ObjectKind::job, .name = "j", .environment = "default", .spec = job}},
      f.actor);
  REQUIRE_FALSE(plan);
  CHECK(plan.error().kind() == ErrorKind::not_found);
  CHECK_FALSE(store::find_project(f.database, "orders"));
}

TEST_CASE("a cluster with jobs and a Flink with clusters are not removed", "[ops][objects]") {
  Fixture f;
  core::ClusterSpec cluster;
  cluster.url = "http://jm:8081";
  core::JobSpec job;
  job.cluster = "session";
  job.artifact.jar = "/x.jar";
  REQUIRE(ops::apply_objects(
      f.database,
      {{.kind = core::ObjectKind::cluster, .name = "session", .environment = "default", .spec = cluster},
       {.kind = core::ObjectKind::job, .name = "orders", .environment = "default", .spec = job}},
      f.actor));
  const core::ObjectKey key{core::ObjectKind::cluster, "default", "session"};
  auto refused = ops::remove_object(f.database, key, f.actor);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind() == ErrorKind::refused);
  auto missing = ops::remove_object(f.database, {core::ObjectKind::cluster, "default", "sesion"}, f.actor);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().kind() == ErrorKind::not_found);
  CHECK(missing.error().hint() == "did you mean session?");
  CHECK(f.events("removed") == 0);
}

TEST_CASE("variables: once secret always secret, names checked, events without values", "[ops][objects]") {
  Fixture f;
  auto first = ops::set_variable(f.database, "default", "token", "s3cr3t", true, "the token", f.actor);
  REQUIRE(first);
  CHECK(first->outcome == store::UpsertOutcome::created);
  auto update = ops::set_variable(f.database, "default", "token", "n3w", false, std::nullopt, f.actor);
  REQUIRE(update);
  CHECK(update->spec.secret);
  CHECK(update->spec.description == "the token");
  CHECK(ops::set_variable(f.database, "default", "sp.job", "x", false, {}, f.actor).error().kind() ==
        ErrorKind::usage);
  CHECK(ops::set_variable(f.database, "nowhere", "a", "x", false, {}, f.actor).error().kind() ==
        ErrorKind::not_found);
  auto statement =
      f.database.prepare("SELECT count(*) FROM events WHERE message LIKE '%n3w%' OR message LIKE '%s3cr3t%'");
  statement.step();
  CHECK(statement.int64(0) == 0);
  REQUIRE(ops::unset_variable(f.database, "default", "token", f.actor));
  CHECK(ops::unset_variable(f.database, "default", "token", f.actor).error().kind() == ErrorKind::not_found);
}

TEST_CASE("environments: created once, deleted only when empty", "[ops][objects]") {
  Fixture f;
  CHECK(ops::create_environment(f.database, "prod", f.actor).value());
  CHECK_FALSE(ops::create_environment(f.database, "prod", f.actor).value());
  CHECK(ops::create_environment(f.database, "bad name", f.actor).error().kind() == ErrorKind::usage);
  core::ClusterSpec cluster;
  cluster.url = "http://jm:8081";
  REQUIRE(ops::apply_objects(
      f.database, {{.kind = core::ObjectKind::cluster, .name = "c", .environment = "prod", .spec = cluster}},
      f.actor));
  CHECK(ops::delete_environment(f.database, "prod", f.actor).error().kind() == ErrorKind::refused);
  REQUIRE(ops::remove_object(f.database, {core::ObjectKind::cluster, "prod", "c"}, f.actor));
  CHECK(ops::delete_environment(f.database, "prod", f.actor));
  CHECK(f.events("deleted") == 1);
}

TEST_CASE("a project is removed with its workspace unless a build holds its lock", "[ops][objects]") {
  Fixture f;
  REQUIRE(ops::create_object(f.database, project("orders", std::chrono::seconds(60)), f.actor, "adding"));
  const auto workspace = f.dir / "workspace" / "orders";
  std::filesystem::create_directories(workspace);
  std::ofstream(workspace / "pom.xml") << "<project/>";
  const core::LockHolder other{"ci", "runner", 42};
  {
    auto lock = store::ScopedLock::acquire(f.database, store::project_lock_name("orders"), other,
                                           {1'000, 100'000}, [](std::int64_t) { return true; });
    REQUIRE(lock);
    auto refused = ops::remove_project(
        f.database, "orders", workspace, {"tester", "host", 1}, [](std::int64_t) { return true; }, f.actor);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().kind() == ErrorKind::refused);
    CHECK(std::filesystem::exists(workspace));
  }
  REQUIRE(ops::remove_project(
      f.database, "orders", workspace, {"tester", "host", 1}, [](std::int64_t) { return true; }, f.actor));
  CHECK_FALSE(store::find_project(f.database, "orders"));
  CHECK_FALSE(std::filesystem::exists(workspace));
}
