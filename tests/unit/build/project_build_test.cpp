// The build orchestration with a fake fetcher and runner on a real temporary
// database: what gets recorded, kept and refused.
#include "sp/build/project_build.hpp"
#include "sp/store/locks.hpp"
#include "sp/store/projects.hpp"
#include "sp/util/sha256.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace sp;
using sp::build::ProcessResult;

namespace {

// Checks out by writing the files it was given into the checkout directory.
class FakeFetcher final : public build::SourceFetcher {
public:
  std::optional<Error> error;
  core::CommitInfo commit{"0123456789abcdef0123456789abcdef01234567", "Ann <ann@example.com>", "Add the job"};
  std::vector<build::SourceRequest> requests;
  Result<core::CommitInfo> checkout(const build::SourceRequest& request) override {
    requests.push_back(request);
    if (error) return std::unexpected(*error);
    std::filesystem::create_directories(request.checkout_dir);
    return commit;
  }
};

// "Builds" by writing the given files and printing a line.
class FakeRunner final : public build::ProcessRunner {
public:
  std::map<std::string, std::string> outputs; // relative path -> content
  ProcessResult result{.ending = ProcessResult::Ending::exited, .exit_code = 0};
  std::vector<build::ProcessRequest> requests;
  Result<ProcessResult> run(const build::ProcessRequest& request) override {
    requests.push_back(request);
    for (const auto& [path, content] : outputs) {
      const auto file = request.working_directory / path;
      std::filesystem::create_directories(file.parent_path());
      std::ofstream(file, std::ios::binary) << content;
    }
    request.on_output("[INFO] BUILD " + std::string(result.exit_code == 0 ? "SUCCESS" : "FAILURE") + "\n");
    return result;
  }
};

struct Fixture {
  test::TempDir dir;
  store::HomeLayout home{dir / "home"};
  store::Database database = store::open_store(home, store::OpenMode::create_missing).value();
  FakeFetcher fetcher;
  FakeRunner runner;
  std::int64_t clock = 1'000'000;
  std::vector<std::string> notes;
  std::set<std::int64_t> live_pids{42};

  Fixture() {
    core::ProjectSpec spec;
    spec.url = "https://bob:hunter2@git.example.com/orders.git";
    spec.ref = "main";
    store::upsert_project(database, "orders", spec, 0);
  }
  build::BuildServices services() {
    return {.database = database,
            .home = home,
            .fetcher = fetcher,
            .runner = runner,
            .env = util::fixed_env({}),
            .builder = {"ann", "host1", 42},
            .now_ms = [this] { return clock += 10; },
            .pid_alive = [this](std::int64_t pid) { return live_pids.contains(pid); },
            .note = [this](const std::string& line) { notes.push_back(line); },
            .warn = [this](const std::string& line) { notes.push_back(line); },
            .follow = {},
            .transfer_progress = {}};
  }
  std::string read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
  }
};

} // namespace

TEST_CASE("a successful build records the commit and stores the artifact with its digest", "[build]") {
  Fixture f;
  f.runner.outputs = {{"target/orders-1.0.jar", "jar bytes"},
                      {"target/original-orders-1.0.jar", "bigger jar bytes"}};
  auto outcome = build::build_project(f.services(), {"orders", std::nullopt});
  REQUIRE(outcome.has_value());
  CHECK_FALSE(outcome->error.has_value());
  const auto& row = outcome->build;
  CHECK(row.status == core::BuildStatus::success);
  CHECK(row.commit == f.fetcher.commit);
  CHECK(row.exit_code == 0);
  REQUIRE(row.artifact.has_value());
  CHECK(row.artifact->path ==
        (f.home.artifacts() / "orders" / std::to_string(row.id) / "orders-1.0.jar").string());
  CHECK(row.artifact->sha256 == util::sha256_hex("jar bytes"));
  CHECK(row.artifact->size == 9);
  CHECK(f.read(row.artifact->path) == "jar bytes");
  CHECK(f.read(row.log_path).find("[INFO] BUILD SUCCESS") != std::string::npos);
  // The default command, run in the checkout.
  REQUIRE(f.runner.requests.size() == 1);
  CHECK(f.runner.requests[0].argv == core::default_build_command());
  CHECK(f.runner.requests[0].working_directory == f.home.workspace() / "orders");
  // The lock is released; the password never reaches notes or the log.
  CHECK_FALSE(store::find_lock(f.database, "project:orders").has_value());
  for (const auto& note : f.notes) CHECK(note.find("hunter2") == std::string::npos);
  CHECK(f.read(row.log_path).find("hunter2") == std::string::npos);
}

TEST_CASE("a --ref flag overrides the project's ref for one build", "[build]") {
  Fixture f;
  f.runner.outputs = {{"target/a.jar", "x"}};
  auto outcome = build::build_project(f.services(), {"orders", std::string("v1.2")});
  REQUIRE(outcome.has_value());
  CHECK(f.fetcher.requests.at(0).ref == "v1.2");
  CHECK(outcome->build.ref == "v1.2");
}

TEST_CASE("a failing build command is recorded failed with its exit code, and its log kept", "[build]") {
  Fixture f;
  f.runner.result.exit_code = 1;
  auto outcome = build::build_project(f.services(), {"orders", std::nullopt});
  REQUIRE(outcome.has_value());
  REQUIRE(outcome->error.has_value());
  CHECK(outcome->error->kind() == ErrorKind::external);
  CHECK(std::string(outcome->error->what()).find("mvn exited with code 1") != std::string::npos);
  CHECK(outcome->error->hint().find(outcome->build.log_path) != std::string::npos);
  CHECK(outcome->build.status == core::BuildStatus::failed);
  CHECK(outcome->build.exit_code == 1);
  CHECK_FALSE(outcome->build.artifact.has_value());
  CHECK(f.read(outcome->build.log_path).find("BUILD FAILURE") != std::string::npos);
}

TEST_CASE("a timed-out build is failed with the timeout in its error", "[build]") {
  Fixture f;
  f.runner.result = {.ending = ProcessResult::Ending::timed_out, .exit_code = -1};
  auto outcome = build::build_project(f.services(), {"orders", std::nullopt});
  REQUIRE(outcome->error.has_value());
  CHECK(outcome->error->kind() == ErrorKind::external);
  CHECK(outcome->build.error->find("timed out after 30m") != std::string::npos);
  CHECK_FALSE(outcome->build.exit_code.has_value());
}

TEST_CASE("a build without a matching artifact fails as external", "[build]") {
  Fixture f;
  f.runner.outputs = {{"target/x-sources.jar", "s"}};
  auto outcome = build::build_project(f.services(), {"orders", std::nullopt});
  REQUIRE(outcome->error.has_value());
  CHECK(outcome->error->kind() == ErrorKind::external);
  CHECK(outcome->build.status == core::BuildStatus::failed);
  CHECK(outcome->build.error->find("target/x-sources.jar") != std::string::npos);
}

TEST_CASE("a fetch error fails the build with the fetcher's kind and runs nothing", "[build]") {
  Fixture f;
  f.fetcher.error =
      Error(ErrorKind::not_found, "finding ref 'nope'", "it is not a branch, tag or commit there");
  auto outcome = build::build_project(f.services(), {"orders", std::string("nope")});
  REQUIRE(outcome->error.has_value());
  CHECK(outcome->error->kind() == ErrorKind::not_found);
  CHECK(outcome->build.status == core::BuildStatus::failed);
  CHECK(f.runner.requests.empty());
}

TEST_CASE("an unknown project is not found and records nothing", "[build]") {
  Fixture f;
  auto outcome = build::build_project(f.services(), {"nope", std::nullopt});
  REQUIRE_FALSE(outcome.has_value());
  CHECK(outcome.error().kind() == ErrorKind::not_found);
}

TEST_CASE("a build while another runs is refused and one whose process died is taken over", "[build]") {
  Fixture f;
  f.runner.outputs = {{"target/a.jar", "x"}};
  // Another sp process (pid 77 on this host) is building right now.
  const core::LockHolder other{"bob", "host1", 77};
  auto other_row = store::start_build(
      f.database,
      {.project_id = 1, .ref = "main", .command = {"mvn"}, .started_at = 5, .host = "host1", .pid = 77},
      f.home.logs() / "builds");
  REQUIRE(store::acquire_lock(f.database, "project:orders", other, {0, 99'000'000},
                              [](std::int64_t) { return true; }));

  SECTION("alive: refused, nothing recorded") {
    f.live_pids.insert(77);
    auto refused = build::build_project(f.services(), {"orders", std::nullopt});
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().kind() == ErrorKind::refused);
    CHECK(store::list_builds(f.database, 1).size() == 1);
    std::vector<store::BuildRow> rows = store::list_builds(f.database, 1);
    store::apply_liveness(f.database, "orders", rows, "host1", f.clock, [](std::int64_t) { return true; });
    CHECK(rows[0].status == core::BuildStatus::building);
  }
  SECTION("dead: readers see it failed; the next build takes over and records it") {
    std::vector<store::BuildRow> rows = store::list_builds(f.database, 1);
    store::apply_liveness(f.database, "orders", rows, "host1", f.clock, [](std::int64_t) { return false; });
    CHECK(rows[0].status == core::BuildStatus::failed);

    auto outcome = build::build_project(f.services(), {"orders", std::nullopt});
    REQUIRE(outcome.has_value());
    CHECK(outcome->build.status == core::BuildStatus::success);
    const auto old = store::find_build(f.database, 1, other_row.id);
    CHECK(old->status == core::BuildStatus::failed);
    CHECK(old->error == std::string(core::abandoned_build_error));
    CHECK(f.notes.front().find("took over") != std::string::npos);
  }
}
