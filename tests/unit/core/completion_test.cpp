#include "sp/core/completion.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace sp::core;

namespace {

// A small tree shaped like sp's: global flags on the root, groups, leaves with positionals.
CommandNode tree() {
  CommandNode root{.name = "sp"};
  root.options = {{{"--home"}, true, "SP_HOME"},
                  {{"--env"}, true, "environment"},
                  {{"-o", "--output"}, true, "format"},
                  {{"-q", "--quiet"}, false, "quiet"}};
  CommandNode job{.name = "job", .help = "jobs"};
  CommandNode start{.name = "start", .help = "start a job"};
  start.positionals = {{"job", false}};
  start.options = {{{"--restore"}, true, "what to restore"}, {{"--force"}, false, "force"}};
  CommandNode status{.name = "status", .help = "live state"};
  status.positionals = {{"job", false}};
  job.children = {start, status};
  CommandNode env{.name = "env", .help = "environments"};
  CommandNode create{.name = "create"};
  create.positionals = {{"name", false}};
  CommandNode remove{.name = "delete"};
  remove.positionals = {{"name", false}};
  env.children = {create, remove};
  CommandNode check{.name = "check"};
  check.positionals = {{"jobs", true}};
  CommandNode cluster{.name = "cluster"};
  CommandNode add{.name = "add"};
  add.positionals = {{"name", false}};
  add.options = {{{"--type"}, true, "type"}};
  cluster.children = {add};
  root.children = {job, env, check, cluster};
  return root;
}

// Names per kind, recording the globals each lookup saw.
struct FakeNames {
  std::map<NameKind, std::vector<std::string>> names{{NameKind::job, {"orders", "payments"}},
                                                     {NameKind::environment, {"default", "dev", "prod"}}};
  std::vector<GlobalWords> seen;
  NameSource source() {
    return [this](NameKind kind, const GlobalWords& globals) {
      seen.push_back(globals);
      return names[kind];
    };
  }
};

std::vector<std::string> words_of(const Completion& completion) {
  std::vector<std::string> words;
  for (const auto& candidate : completion.candidates) words.push_back(candidate.word);
  return words;
}

using Words = std::vector<std::string>;

} // namespace

TEST_CASE("completion offers subcommands by prefix, with their help", "[core][completion]") {
  FakeNames names;
  CHECK(words_of(complete(tree(), {""}, names.source())) == Words{"job", "env", "check", "cluster"});
  const auto job = complete(tree(), {"job", "st"}, names.source());
  CHECK(job.candidates == std::vector<Candidate>{{"start", "start a job"}, {"status", "live state"}});
  CHECK(complete(tree(), {"nope", ""}, names.source()).candidates.empty());
}

TEST_CASE("completion offers the options of the command and of its parents after a dash",
          "[core][completion]") {
  FakeNames names;
  CHECK(words_of(complete(tree(), {"job", "start", "--"}, names.source())) ==
        Words{"--restore", "--force", "--home", "--env", "--output", "--quiet"});
  CHECK(words_of(complete(tree(), {"job", "start", "--r"}, names.source())) == Words{"--restore"});
  CHECK(words_of(complete(tree(), {"-"}, names.source())) ==
        Words{"--home", "--env", "-o", "--output", "-q", "--quiet"});
}

TEST_CASE("completion names jobs for a JOB positional, in the environment given by --env",
          "[core][completion]") {
  FakeNames names;
  CHECK(words_of(complete(tree(), {"--env", "prod", "job", "start", "p"}, names.source())) ==
        Words{"payments"});
  REQUIRE(names.seen.size() == 1);
  CHECK(names.seen[0].environment == "prod");
  CHECK_FALSE(names.seen[0].home.has_value());
  // Global flags may follow the subcommand too, and take the --flag=value form.
  complete(tree(), {"job", "status", "--home=/tmp/h", ""}, names.source());
  CHECK(names.seen.back().home == "/tmp/h");
  // Once the positional is filled there is nothing more to offer.
  CHECK(complete(tree(), {"job", "start", "orders", ""}, names.source()).candidates.empty());
}

TEST_CASE("completion offers the fixed choices and names of option values", "[core][completion]") {
  FakeNames names;
  CHECK(words_of(complete(tree(), {"-o", ""}, names.source())) == Words{"table", "json", "yaml"});
  CHECK(words_of(complete(tree(), {"job", "list", "--output=j"}, names.source())) == Words{"--output=json"});
  const auto restore = complete(tree(), {"job", "start", "orders", "--restore", ""}, names.source());
  CHECK(words_of(restore) == Words{"auto", "none"});
  CHECK(restore.paths == PathHint::files);
  CHECK(words_of(complete(tree(), {"--env", "d"}, names.source())) == Words{"default", "dev"});
  CHECK(words_of(complete(tree(), {"cluster", "add", "x", "--type", "yarn"}, names.source())) ==
        Words{"yarn-session", "yarn-application"});
  CHECK(complete(tree(), {"--home", ""}, names.source()).paths == PathHint::directories);
}

TEST_CASE("completion offers no names where a new one is typed, and repeats JOB...", "[core][completion]") {
  FakeNames names;
  CHECK(complete(tree(), {"env", "create", ""}, names.source()).candidates.empty());
  CHECK(complete(tree(), {"cluster", "add", ""}, names.source()).candidates.empty());
  CHECK(words_of(complete(tree(), {"env", "delete", "p"}, names.source())) == Words{"prod"});
  CHECK(words_of(complete(tree(), {"check", "orders", ""}, names.source())) == Words{"orders", "payments"});
  // After `--` a word is never an option.
  CHECK(words_of(complete(tree(), {"check", "--", "-"}, names.source())).empty());
}

TEST_CASE("completion output is one candidate a line with a path hint last", "[core][completion]") {
  Completion completion{.candidates = {{"start", "start\tthe\njob"}, {"stop", ""}}, .paths = PathHint::files};
  CHECK(format_completion(completion) == "start\tstart the job\nstop\n:files\n");
  CHECK(format_completion(Completion{.paths = PathHint::directories}) == ":dirs\n");
}

TEST_CASE("the command list has every path and option in tree order", "[core][completion]") {
  const auto lines = list_commands(tree());
  CHECK(lines.front() == "");
  CHECK(std::ranges::find(lines, "job start --restore") != lines.end());
  CHECK(std::ranges::find(lines, "cluster add") != lines.end());
  CHECK(std::ranges::find(lines, "-o") != lines.end());
  CHECK(std::ranges::find(lines, "job start") < std::ranges::find(lines, "job start --force"));
}
