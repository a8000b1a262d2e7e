// sp env list | create NAME | delete NAME | use NAME
#include "commands.hpp"
#include "common.hpp"
#include "config_file.hpp"

#include "sp/store/events.hpp"

#include <fmt/format.h>

#include <memory>

namespace sp::cli {

namespace {

struct EnvOptions {
  std::string name;
};

void check_name(const std::string& name, const std::string& doing) {
  if (!core::is_valid_object_name(name)) {
    throw Error(ErrorKind::usage, doing,
                "an environment name starts with a letter or digit and continues with "
                "letters, digits, '.', '_' or '-' (at most 128)");
  }
}

int run_list(Invocation& invocation) {
  Data rows = Data::array();
  if (!store::database_exists(invocation.home())) {
    rows.push_back({{"name", core::default_environment},
                    {"current", invocation.settings.environment == "default"},
                    {"variables", 0},
                    {"clusters", 0},
                    {"jobs", 0}});
  } else {
    auto database = open_existing_store(invocation);
    for (const auto& environment : store::list_environments(database)) {
      rows.push_back({{"name", environment.name},
                      {"current", environment.name == invocation.settings.environment},
                      {"variables", environment.variables},
                      {"clusters", environment.clusters},
                      {"jobs", environment.jobs}});
    }
  }
  invocation.print({std::move(rows), {}});
  return 0;
}

int run_create(Invocation& invocation, const EnvOptions& options) {
  auto database = open_store_for_writing(invocation);
  const bool created = value_or_throw(ops::create_environment(database, options.name, current_actor()));
  invocation.print({Data{{"name", options.name}, {"result", created ? "created" : "unchanged"}}, {}});
  return 0;
}

int run_delete(Invocation& invocation, const EnvOptions& options) {
  auto database = open_existing_store(invocation);
  value_or_throw(ops::delete_environment(database, options.name, current_actor()));
  invocation.print({Data{{"name", options.name}, {"result", "deleted"}}, {}});
  return 0;
}

int run_use(Invocation& invocation, const EnvOptions& options) {
  check_name(options.name, "switching to environment " + options.name);
  if (options.name != core::default_environment) {
    auto database = open_existing_store(invocation);
    require_environment(database, options.name);
  }
  const auto path = core::config_file_path(invocation.env);
  if (!path) {
    throw Error(ErrorKind::usage, "switching to environment " + options.name,
                "neither XDG_CONFIG_HOME nor HOME is set, so there is no config file to write",
                "pass --env or set SP_ENV instead");
  }
  write_config_environment(*path, options.name);
  if (invocation.env("SP_ENV"))
    invocation.note("note: SP_ENV is set and takes precedence over the config file");
  invocation.print(
      {Data{{"name", options.name}, {"config_file", path->string()}, {"result", "current"}}, {}});
  return 0;
}

} // namespace

void add_env_command(CLI::App& root, Action& chosen) {
  auto* env = root.add_subcommand("env", "environments: list, create, delete, use");
  env->require_subcommand(1);
  env->add_subcommand("list", "every environment, the current one marked")->callback([&chosen] {
    chosen = run_list;
  });
  auto add_named = [&](const char* name, const char* description,
                       int (*run)(Invocation&, const EnvOptions&)) {
    auto options = std::make_shared<EnvOptions>();
    auto* command = env->add_subcommand(name, description);
    command->add_option("name", options->name, "the environment")->required()->type_name("NAME");
    command->callback([&chosen, options, run] {
      chosen = [options, run](Invocation& invocation) { return run(invocation, *options); };
    });
  };
  add_named("create", "create an environment (idempotent)", run_create);
  add_named("delete", "delete an empty environment and its variables", run_delete);
  add_named("use", "make it the default in the user config file", run_use);
}

} // namespace sp::cli
