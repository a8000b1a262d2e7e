// The -o json shape of every listing command, fixed by golden files
// (tests/fixtures/golden/json/) and documented in docs/json.md. The data is
// deterministic: objects come from `sp apply`, builds, runs and restore points
// from the store's own functions, and every clock column is then set to one
// instant, as are the acting user, host and pid.
#include "sp/cli/app.hpp"

#include "sp/store/builds.hpp"
#include "sp/store/events.hpp"
#include "sp/store/jobs.hpp"
#include "sp/store/projects.hpp"
#include "sp/store/runs.hpp"
#include "sp/store/store.hpp"
#include "support/golden.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using sp::test::TempDir;

namespace {

constexpr std::int64_t instant = 1767225600000; // 2026-01-01T00:00:00Z

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

class Home {
public:
  Home() {
    std::ofstream(dir_ / "app.jar") << "not really a jar, but bytes to hash";
    std::ofstream(dir_ / "objects.yaml") << R"(apiVersion: sp/v1
kind: Environment
metadata: {name: default}
spec:
  variables:
    kafka.brokers: {value: "kafka-1:9092", description: the dev brokers}
    db.password: {value: hunter2, secret: true}
---
apiVersion: sp/v1
kind: Environment
metadata: {name: prod}
spec: {variables: {kafka.brokers: "kafka-prod:9092"}}
---
apiVersion: sp/v1
kind: Cluster
metadata: {name: session}
spec: {type: remote, url: "http://jobmanager:8081", savepointDir: "file:///savepoints"}
---
apiVersion: sp/v1
kind: Project
metadata: {name: orders}
spec: {url: "https://git.example.com/orders.git", ref: main}
---
apiVersion: sp/v1
kind: Job
metadata: {name: orders-enrich, owner: data@example.com}
spec:
  cluster: session
  artifact: {jar: ")" + (dir_ / "app.jar").string() +
                                                R"("}
  entryClass: com.example.OrdersEnrich
  args: ["--brokers", "${kafka.brokers}", "--password", "${db.password}"]
---
apiVersion: sp/v1
kind: Job
metadata: {name: payments}
spec:
  cluster: session
  artifact: {project: orders, build: latest}
)";
  }

  Outcome run(std::vector<std::string> args) const {
    std::ostringstream out, err;
    args.insert(args.begin(), {"--home", home().string()});
    const int code =
        sp::cli::run(args, sp::util::fixed_env({{"HOME", dir_.path().string()}}), {out, err, false, false});
    return {code, out.str(), err.str()};
  }

  std::filesystem::path home() const { return dir_ / "home"; }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  // Output with the temporary directory written as $TMP, so golden files do not depend on it.
  std::string portable(std::string text) const {
    const std::string root = dir_.path().string();
    for (auto at = text.find(root); at != std::string::npos; at = text.find(root, at))
      text.replace(at, root.size(), "$TMP");
    return text;
  }

private:
  TempDir dir_;
};

// Builds, runs, restore points and events, which only real Flink and git
// would otherwise produce.
void record_history(sp::store::Database& database) {
  using namespace sp;
  const auto project = store::find_project(database, "orders").value();
  const auto good =
      store::start_build(database, {project.id, "main", {"mvn", "-B", "package"}, 0, "h", 1}, "/logs");
  store::record_checkout(
      database, good.id,
      {"0123456789abcdef0123456789abcdef01234567", "Dev <dev@example.com>", "Add enrichment"}, 0);
  store::finish_build(database, good.id,
                      {core::BuildStatus::success, 0, 0,
                       core::ArtifactInfo{"/artifacts/orders/1/orders.jar", std::string(64, 'a'), 4096},
                       std::nullopt});
  const auto bad =
      store::start_build(database, {project.id, "feature", {"mvn", "-B", "package"}, 0, "h", 1}, "/logs");
  store::finish_build(database, bad.id,
                      {core::BuildStatus::failed, 0, 1, std::nullopt, "build command exited 1"});

  const auto job = store::find_job(database, "default", "orders-enrich").value();
  const auto first = store::insert_run(database, {.job_id = job.id,
                                                  .release_id = 1,
                                                  .flink_job_id = std::string(32, 'b'),
                                                  .rest_url = "http://jobmanager:8081",
                                                  .state = "RUNNING"});
  const auto stop = store::record_restore_point(database, {.job_id = job.id,
                                                           .run_id = first,
                                                           .kind = core::PointKind::stop_savepoint,
                                                           .path = "file:///savepoints/savepoint-bbbbbb-1",
                                                           .completion_time = instant - 3600000});
  store::end_run(database, first, "FINISHED", 0);
  store::record_restore_point(database, {.job_id = job.id,
                                         .run_id = first,
                                         .kind = core::PointKind::checkpoint,
                                         .flink_checkpoint_id = 41,
                                         .path = "file:///checkpoints/bbbb/chk-41",
                                         .completion_time = instant - 7200000,
                                         .size_bytes = 2048});
  const auto gone = store::record_restore_point(database, {.job_id = job.id,
                                                           .kind = core::PointKind::savepoint,
                                                           .path = "file:///savepoints/savepoint-gone",
                                                           .completion_time = instant - 10800000});
  store::mark_point_invalid(database, gone.id, "_metadata not found");
  store::insert_run(database, {.job_id = job.id,
                               .release_id = 1,
                               .flink_job_id = std::string(32, 'c'),
                               .rest_url = "http://jobmanager:8081",
                               .state = "RUNNING",
                               .restore_point_id = stop.id,
                               .restore_path = "file:///savepoints/savepoint-bbbbbb-1"});
  store::record_event(database,
                      {0, job.id, "job", "orders-enrich", "started", "x", "h", "restored from savepoint"});
}

// Every clock column to one instant, and the actor fields to fixed values.
void freeze(sp::store::Database& database) {
  std::vector<std::string> tables;
  for (auto listed = database.prepare(
           "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'");
       listed.step();) {
    tables.push_back(listed.text(0));
  }
  for (const auto& table : tables) {
    auto columns = database.prepare("SELECT name FROM pragma_table_info(?1)");
    columns.bind(1, table);
    while (columns.step()) {
      const std::string column = columns.text(0);
      std::string value;
      if (column.ends_with("_at") || column == "time") value = std::to_string(instant);
      if (column == "actor") value = "'ops'";
      if (column == "host") value = "'ops-host'";
      if (column == "pid") value = "4242";
      if (value.empty()) continue;
      database.exec("UPDATE \"" + table + "\" SET \"" + column + "\" = " + value + " WHERE \"" + column +
                    "\" IS NOT NULL");
    }
  }
}

} // namespace

TEST_CASE("the json output of every listing command keeps its documented shape", "[cli][golden][json]") {
  Home sp;
  REQUIRE(sp.run({"apply", "-f", sp.path("objects.yaml")}).code == 0);
  const auto released = sp.run({"job", "release", "orders-enrich"});
  REQUIRE(released.code == 0);
  {
    auto database = sp::store::open_store({sp.home()}, sp::store::OpenMode::existing).value();
    record_history(database);
    freeze(database);
  }
  const std::vector<std::pair<std::string, std::vector<std::string>>> commands{
      {"env-list", {"env", "list"}},
      {"var-list", {"var", "list"}},
      {"var-list-all", {"var", "list", "-A"}},
      {"var-usages", {"var", "usages", "kafka.brokers"}},
      {"cluster-list", {"cluster", "list"}},
      {"project-list", {"project", "list"}},
      {"project-builds", {"project", "builds", "orders"}},
      {"job-list", {"job", "list"}},
      {"job-list-all", {"job", "list", "-A"}},
      {"job-history", {"job", "history", "orders-enrich"}},
      {"job-points", {"job", "points", "orders-enrich"}},
  };
  for (auto [name, args] : commands) {
    args.insert(args.begin(), {"-o", "json"});
    INFO(name);
    const auto result = sp.run(args);
    CHECK(result.err.empty());
    REQUIRE(result.code == 0);
    CHECK(nlohmann::json::parse(result.out).is_array());
    CHECK(sp.portable(result.out) == sp::test::golden("json/" + name + ".json", sp.portable(result.out)));
  }
}
