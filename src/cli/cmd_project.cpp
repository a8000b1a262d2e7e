// sp project add | list | show | remove: projects as imperative commands
// (`sp apply` writes the same rows). Builds are in cmd_project_build.cpp.
#include "commands.hpp"
#include "common.hpp"
#include "project_views.hpp"

#include "sp/build/project_build.hpp"
#include "sp/core/object_rules.hpp"
#include "sp/ops/objects.hpp"
#include "sp/store/builds.hpp"
#include "sp/store/events.hpp"
#include "sp/store/locks.hpp"
#include "sp/store/projects.hpp"
#include "sp/util/redact.hpp"
#include "sp/util/system.hpp"
#include "sp/util/time.hpp"

#include <fmt/format.h>

namespace sp::cli {

namespace {

struct AddOptions {
  std::string name;
  std::string url;
  std::string ref = "main";
  std::string subdir;
  std::vector<std::string> build_command;
  std::optional<std::string> artifact;
  std::optional<std::string> timeout;
  std::optional<std::string> token_env;
  std::optional<std::string> ssh_key;
};

core::LockHolder this_process() { return {util::current_user(), util::host_name(), util::current_pid()}; }

core::ProjectSpec spec_from(const AddOptions& options) {
  core::ProjectSpec spec;
  spec.url = options.url;
  spec.ref = options.ref;
  spec.subdir = options.subdir;
  spec.build = value_or_throw(core::split_build_command(options.build_command));
  spec.artifact = options.artifact;
  if (options.timeout) {
    const auto timeout = value_or_throw(util::parse_duration(*options.timeout));
    auto seconds = core::build_timeout(timeout);
    if (!seconds) throw Error(seconds.error().kind(), "reading --timeout", seconds.error().why());
    spec.timeout = *seconds;
  }
  spec.auth.token_env = options.token_env;
  if (options.ssh_key) {
    spec.auth.ssh_key = core::absolute_local_path(*options.ssh_key, std::filesystem::current_path().string());
  }
  value_or_throw(core::validate(spec));
  return spec;
}

int run_add(Invocation& invocation, const AddOptions& options) {
  value_or_throw(core::validate_project_name(options.name));
  const auto spec = spec_from(options);
  auto database = open_store_for_writing(invocation);
  create_object(database, {.kind = core::ObjectKind::project, .name = options.name, .spec = spec},
                "adding project " + options.name);
  const auto added = store::find_project(database, options.name);
  invocation.print({project_record(*added, std::nullopt), {}});
  return 0;
}

store::ProjectRow require_project(store::Database& database, const std::string& name,
                                  const std::string& doing) {
  auto project = store::find_project(database, name);
  if (!project)
    throw Error(ErrorKind::not_found, doing, "there is no project '" + name + "'", "see `sp project list`");
  return std::move(*project);
}

int run_list(Invocation& invocation) {
  auto database = open_existing_store(invocation);
  Data rows = Data::array();
  for (const auto& project : store::list_projects(database)) {
    std::vector<store::BuildRow> latest;
    if (auto build = store::latest_build(database, project.id)) latest.push_back(std::move(*build));
    store::apply_liveness(database, project.name, latest, util::host_name(), util::now_ms(),
                          util::process_alive);
    rows.push_back(project_record(project, latest.empty() ? std::nullopt : std::optional(latest.front())));
  }
  invocation.print(
      {std::move(rows), {{"name", ""}, {"url", ""}, {"ref", ""}, {"last_build", ""}, {"last_status", ""}}});
  return 0;
}

int run_show(Invocation& invocation, const std::string& name) {
  auto database = open_existing_store(invocation);
  const auto project = require_project(database, name, "showing project " + name);
  std::vector<store::BuildRow> latest;
  if (auto build = store::latest_build(database, project.id)) latest.push_back(std::move(*build));
  store::apply_liveness(database, project.name, latest, util::host_name(), util::now_ms(),
                        util::process_alive);
  invocation.print(
      {project_record(project, latest.empty() ? std::nullopt : std::optional(latest.front())), {}});
  return 0;
}

// Artifacts and logs stay: releases may still point at those files.
int run_remove(Invocation& invocation, const std::string& name) {
  const std::string doing = "removing project " + name;
  auto database = open_store_for_writing(invocation);
  const auto project = require_project(database, name, doing);
  const auto left =
      value_or_throw(ops::remove_project(database, name, build::workspace_of(invocation.home(), name),
                                         this_process(), util::process_alive, current_actor()));
  if (!left.empty()) invocation.warn(left);
  Data data = Data::object();
  data["name"] = name;
  data["removed"] = true;
  data["builds_removed"] = true;
  data["artifacts_kept"] = (invocation.home().artifacts() / name).string();
  invocation.print({std::move(data), {}});
  return 0;
}

void add_add_command(CLI::App& project, Action& chosen) {
  auto options = std::make_shared<AddOptions>();
  auto* command = project.add_subcommand("add", "register a git repository that builds job artifacts");
  command->add_option("name", options->name, "the project's name")->required();
  command->add_option("--url", options->url, "git URL: https://, ssh://, git://, or a path")->required();
  command->add_option("--ref", options->ref, "branch, tag or commit to build (default main)");
  command->add_option("--subdir", options->subdir, "where the build runs, inside the repository");
  command
      ->add_option(
          "--build-cmd", options->build_command,
          "the build command as words, run without a shell (default: mvn -B clean package -DskipTests); "
          "quote it to pass options: --build-cmd \"mvn -B package\"")
      ->expected(1, -1);
  command->add_option("--artifact", options->artifact, "glob of the artifact, relative to the subdir");
  command->add_option("--timeout", options->timeout, "build timeout, e.g. 30m (default 30m)")
      ->type_name("DUR");
  command
      ->add_option("--token-env", options->token_env,
                   "env var holding an HTTPS token (its value is never stored)")
      ->type_name("VAR");
  command->add_option("--ssh-key", options->ssh_key, "private key file for ssh:// URLs")->type_name("PATH");
  command->callback(
      [&chosen, options] { chosen = [options](Invocation& inv) { return run_add(inv, *options); }; });
}

void add_name_command(CLI::App& project, Action& chosen, const char* name, const char* help,
                      int (*run)(Invocation&, const std::string&)) {
  auto project_name = std::make_shared<std::string>();
  auto* command = project.add_subcommand(name, help);
  command->add_option("name", *project_name, "the project's name")->required();
  command->callback([&chosen, project_name, run] {
    chosen = [project_name, run](Invocation& inv) { return run(inv, *project_name); };
  });
}

} // namespace

void add_project_command(CLI::App& root, Action& chosen) {
  auto* project =
      root.add_subcommand("project", "git repositories that build job artifacts, and their builds");
  project->require_subcommand(1);
  add_add_command(*project, chosen);
  auto* list = project->add_subcommand("list", "every project with its latest build");
  list->callback([&chosen] { chosen = run_list; });
  add_name_command(*project, chosen, "show", "a project's settings and latest build", run_show);
  add_name_command(*project, chosen, "remove", "forget a project and its builds (artifacts are kept)",
                   run_remove);
  add_project_build_commands(*project, chosen);
}

} // namespace sp::cli
