// Secret values never appear in any output format of any command that could
// show them, unless --show-secrets is given on render or export.
#include "sp/cli/app.hpp"

#include "cli/config_file.hpp"
#include "support/golden.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using sp::test::TempDir;

namespace {

constexpr const char* secret = "hunter2-s3cret";

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

class Sp {
public:
  Sp() {
    std::ofstream(dir_ / "objects.yaml") << R"(apiVersion: sp/v1
kind: Environment
metadata: {name: default}
spec:
  variables:
    db.password: {value: hunter2-s3cret, secret: true}
    kafka: broker:9092
---
apiVersion: sp/v1
kind: Cluster
metadata: {name: session}
spec: {type: remote, url: "http://jm:8081"}
---
apiVersion: sp/v1
kind: Job
metadata: {name: orders}
spec:
  cluster: session
  artifact: {jar: /x.jar}
  args: ["--password=${db.password}", "${kafka}"]
)";
  }

  Outcome run(std::vector<std::string> args) const {
    std::ostringstream out, err;
    args.insert(args.begin(), {"--home", (dir_ / "home").string()});
    const auto env = sp::util::fixed_env({{"HOME", dir_.path().string()}});
    const int code = sp::cli::run(args, env, {out, err, false, false});
    return {code, out.str(), err.str()};
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

private:
  TempDir dir_;
};

} // namespace

TEST_CASE("secrets are masked in every format of every command", "[cli][secrets]") {
  Sp sp;
  REQUIRE(sp.run({"apply", "-f", sp.path("objects.yaml")}).code == 0);
  const std::vector<std::vector<std::string>> commands{
      {"var", "list"},
      {"var", "get", "db.password"},
      {"render", "orders"},
      {"export"},
      {"export", "Environment"},
      {"env", "list"},
      {"apply", "-f", sp.path("objects.yaml")},
  };
  for (const auto& format : {"table", "json", "yaml"}) {
    for (auto command : commands) {
      command.insert(command.begin(), {"-o", format});
      INFO(command[2] << " " << (command.size() > 3 ? command[3] : "") << " -o " << format);
      const auto result = sp.run(command);
      CHECK(result.code == 0);
      CHECK(result.out.find(secret) == std::string::npos);
      CHECK(result.err.find(secret) == std::string::npos);
    }
  }
  // A changed secret shows in diff as a change, with both values masked.
  std::ofstream(sp.path("changed.yaml"))
      << "apiVersion: sp/v1\nkind: Environment\nmetadata: {name: default}\n"
         "spec: {variables: {db.password: {value: other-s3cret, secret: true}, "
         "kafka: broker:9092}}\n";
  for (const auto& format : {"table", "json", "yaml"}) {
    const auto diff = sp.run({"-o", format, "diff", "-f", sp.path("changed.yaml")});
    CHECK(diff.code == 1);
    CHECK(diff.out.find("db.password") != std::string::npos);
    CHECK(diff.out.find("s3cret") == std::string::npos);
  }
  CHECK(sp.run({"render", "orders", "--show-secrets"}).out.find(secret) != std::string::npos);
  CHECK(sp.run({"export", "--show-secrets"}).out.find(secret) != std::string::npos);
}

TEST_CASE("sp export prints documents that apply reads back unchanged", "[cli][export]") {
  Sp sp;
  REQUIRE(sp.run({"apply", "-f", sp.path("objects.yaml")}).code == 0);
  const auto exported = sp.run({"export"});
  REQUIRE(exported.code == 0);
  CHECK(exported.out == sp::test::golden("export.yaml", exported.out));
  std::ofstream(sp.path("exported.yaml")) << exported.out;
  const auto again = sp.run({"-o", "json", "apply", "-f", sp.path("exported.yaml")});
  CHECK(again.code == 0);
  CHECK(again.out.find("\"configured\"") == std::string::npos);
  CHECK(again.out.find("\"created\"") == std::string::npos);
}

TEST_CASE("the config file keeps comments and other keys when the environment is set", "[cli][config]") {
  using sp::cli::with_config_value;
  CHECK(with_config_value("", "environment", "prod") == "environment: prod\n");
  CHECK(with_config_value("# mine\noutput: json\n", "environment", "prod") ==
        "# mine\noutput: json\nenvironment: prod\n");
  CHECK(with_config_value("output: json\nenvironment: dev # old\ncolor: false", "environment", "prod") ==
        "output: json\nenvironment: prod\ncolor: false");
  CHECK(with_config_value("environments_x: 1\n", "environment", "prod") ==
        "environments_x: 1\nenvironment: prod\n");
  // Flow style cannot be edited by line: the mapping is rewritten.
  const auto rewritten = with_config_value("{output: json, environment: dev}", "environment", "prod");
  CHECK(rewritten.find("environment: prod") != std::string::npos);
  CHECK(rewritten.find("output: json") != std::string::npos);
}
