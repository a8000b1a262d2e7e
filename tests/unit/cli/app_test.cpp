#include "sp/cli/app.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using sp::test::TempDir;

namespace {

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome run_sp(const std::vector<std::string>& args,
               std::map<std::string, std::string> env = {{"HOME", "/nonexistent"}}) {
  std::ostringstream out, err;
  const int code = sp::cli::run(args, sp::util::fixed_env(std::move(env)), {out, err, false, false});
  return {code, out.str(), err.str()};
}

} // namespace

TEST_CASE("an unknown command exits 2 and suggests the nearest", "[cli]") {
  auto result = run_sp({"verison"});
  CHECK(result.code == 2);
  CHECK(result.err == "sp: error: parsing the command line: unknown command 'verison'\n"
                      "hint: did you mean `sp version`?\n");
  CHECK(result.out.empty());
}

TEST_CASE("a mistyped subcommand of a group suggests the group's nearest", "[cli]") {
  auto swapped = run_sp({"job", "strat", "orders"});
  CHECK(swapped.code == 2);
  CHECK(swapped.err == "sp: error: parsing the command line: unknown command 'strat'\n"
                       "hint: did you mean `sp job start`?\n");
  auto dropped = run_sp({"project", "buld", "app"});
  CHECK(dropped.code == 2);
  CHECK(dropped.err.find("did you mean `sp project build`?") != std::string::npos);
}

TEST_CASE("an unknown flag exits 2 with a hint", "[cli]") {
  auto result = run_sp({"version", "--frobnicate"});
  CHECK(result.code == 2);
  CHECK(result.err.starts_with("sp: error: parsing the command line: "));
  CHECK(result.err.find("--frobnicate") != std::string::npos);
  CHECK(result.err.find("hint: ") != std::string::npos);
}

TEST_CASE("no command at all is a usage error", "[cli]") { CHECK(run_sp({}).code == 2); }

TEST_CASE("the help flag prints usage on stdout and exits 0", "[cli]") {
  auto result = run_sp({"--help"});
  CHECK(result.code == 0);
  CHECK(result.out.find("version") != std::string::npos);
  CHECK(result.out.find("--home") != std::string::npos);
}

TEST_CASE("version -o json is machine readable and touches no SP_HOME", "[cli]") {
  TempDir dir;
  auto result = run_sp({"-o", "json", "version", "--home", (dir / "home").string()});
  REQUIRE(result.code == 0);
  auto data = nlohmann::json::parse(result.out);
  CHECK(data["version"].is_string());
  CHECK(data["libraries"]["sqlite"].is_string());
  CHECK(data["libraries"]["libgit2"].is_string());
  CHECK_FALSE(std::filesystem::exists(dir / "home"));
}

TEST_CASE("a bad output format exits 2", "[cli]") {
  auto result = run_sp({"-o", "xml", "version"});
  CHECK(result.code == 2);
  CHECK(result.err.find("unknown format 'xml'") != std::string::npos);
}

TEST_CASE("init is idempotent and reports what it did", "[cli]") {
  TempDir dir;
  const std::string home = (dir / "home").string();
  auto first = run_sp({"init", "--home", home, "-o", "json"});
  REQUIRE(first.code == 0);
  CHECK(nlohmann::json::parse(first.out)["created"] == true);
  auto second = run_sp({"init", "--home", home, "-o", "json"});
  REQUIRE(second.code == 0);
  CHECK(nlohmann::json::parse(second.out)["created"] == false);
}

TEST_CASE("a malformed config file is an error naming file, line and column", "[cli]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "config" / "sp");
  std::ofstream(dir / "config" / "sp" / "config.yaml") << "output: json\ncolor: [unclosed\n";
  auto result =
      run_sp({"version"}, {{"HOME", dir.path().string()}, {"XDG_CONFIG_HOME", (dir / "config").string()}});
  CHECK(result.code == 2);
  CHECK(result.err.find("config.yaml:") != std::string::npos);
}

TEST_CASE("the config file sets the default output format", "[cli]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "config" / "sp");
  std::ofstream(dir / "config" / "sp" / "config.yaml") << "output: json\n";
  auto result =
      run_sp({"version"}, {{"HOME", dir.path().string()}, {"XDG_CONFIG_HOME", (dir / "config").string()}});
  REQUIRE(result.code == 0);
  CHECK(nlohmann::json::parse(result.out).contains("version"));
}
