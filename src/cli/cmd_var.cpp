// sp var set NAME VALUE [--secret] [--description D] | get NAME | list | unset NAME | usages NAME
// in the current environment (--env). Secret values print as ******.
#include "commands.hpp"
#include "common.hpp"

#include "sp/core/render.hpp"
#include "sp/ops/sql_job.hpp"
#include "sp/store/clusters.hpp"
#include "sp/store/events.hpp"
#include "sp/store/jobs.hpp"
#include "sp/store/projects.hpp"
#include "sp/util/strings.hpp"

#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <sstream>

namespace sp::cli {

namespace {

struct VarOptions {
  std::string name;
  std::string value;
  bool secret = false;
  std::optional<std::string> description;
  bool all_environments = false;
};

std::string shown_value(const core::VariableSpec& spec) {
  return spec.secret ? std::string(core::secret_mask) : spec.value;
}

int run_set(Invocation& invocation, VarOptions options) {
  const auto& environment = invocation.settings.environment;
  if (options.value == "-") { // from stdin, so secrets stay out of shell history
    std::ostringstream text;
    text << std::cin.rdbuf();
    options.value = text.str();
    if (options.value.ends_with('\n')) options.value.pop_back();
  }
  auto database = open_store_for_writing(invocation);
  const auto written =
      value_or_throw(ops::set_variable(database, environment, options.name, std::move(options.value),
                                       options.secret, options.description, current_actor()));
  const auto& spec = written.spec;
  const std::string result = written.outcome == store::UpsertOutcome::created      ? "created"
                             : written.outcome == store::UpsertOutcome::configured ? "configured"
                                                                                   : "unchanged";
  invocation.print({Data{{"environment", environment},
                         {"name", options.name},
                         {"value", shown_value(spec)},
                         {"secret", spec.secret},
                         {"result", result}},
                    {}});
  return 0;
}

int run_get(Invocation& invocation, const VarOptions& options) {
  const auto& environment = invocation.settings.environment;
  auto database = open_existing_store(invocation);
  const auto environment_row = require_environment(database, environment);
  auto variable = store::find_variable(database, environment_row.id, options.name);
  if (!variable) {
    throw ops::missing_variable(database, environment_row.id, options.name, environment,
                                "getting variable " + options.name);
  }
  if (invocation.settings.output == core::OutputFormat::table) {
    invocation.print({Data(shown_value(variable->spec)), {}}); // just the value, for $(sp var get x)
  } else {
    invocation.print({Data{{"environment", environment},
                           {"name", variable->name},
                           {"value", shown_value(variable->spec)},
                           {"secret", variable->spec.secret},
                           {"description", variable->spec.description}},
                      {}});
  }
  return 0;
}

int run_list(Invocation& invocation, const VarOptions& options) {
  Data rows = Data::array();
  if (store::database_exists(invocation.home())) {
    auto database = open_existing_store(invocation);
    std::vector<store::EnvironmentRow> environments;
    if (options.all_environments)
      environments = store::list_environments(database);
    else
      environments.push_back(require_environment(database, invocation.settings.environment));
    for (const auto& environment : environments) {
      for (const auto& variable : store::list_variables(database, environment.id)) {
        rows.push_back({{"environment", environment.name},
                        {"name", variable.name},
                        {"value", shown_value(variable.spec)},
                        {"secret", variable.spec.secret},
                        {"description", variable.spec.description}});
      }
    }
  }
  std::vector<Column> columns{{"name", {}}, {"value", {}}, {"secret", {}}, {"description", {}}};
  if (options.all_environments) columns.insert(columns.begin(), Column{"environment", {}});
  invocation.print({std::move(rows), std::move(columns)});
  return 0;
}

int run_unset(Invocation& invocation, const VarOptions& options) {
  const auto& environment = invocation.settings.environment;
  auto database = open_existing_store(invocation);
  value_or_throw(ops::unset_variable(database, environment, options.name, current_actor()));
  invocation.print({Data{{"environment", environment}, {"name", options.name}, {"result", "removed"}}, {}});
  return 0;
}

// Every job, cluster and project field, in every environment, that refers to the variable.
int run_usages(Invocation& invocation, const VarOptions& options) {
  Data rows = Data::array();
  auto collect = [&](const std::string& environment, const char* kind, const std::string& name) {
    return [&rows, &options, environment, kind, name](const std::string& field, const std::string& text) {
      const auto names = core::referenced_variables(text);
      if (std::ranges::find(names, options.name) == names.end()) return;
      rows.push_back({{"environment", environment.empty() ? Data() : Data(environment)},
                      {"kind", kind},
                      {"name", name},
                      {"field", field}});
    };
  };
  if (store::database_exists(invocation.home())) {
    auto database = open_existing_store(invocation);
    for (const auto& job : store::list_jobs(database)) {
      core::for_each_template_field(job.spec, collect(job.environment, "Job", job.name));
      if (auto sql = ops::sql_text_for_search(database, job.id, job.name, job.spec)) {
        collect(job.environment, "Job", job.name)(sql->source, sql->text);
      }
    }
    for (const auto& cluster : store::list_clusters(database)) {
      core::for_each_template_field(cluster.spec, collect(cluster.environment, "Cluster", cluster.name));
    }
    for (const auto& project : store::list_projects(database)) {
      core::for_each_template_field(project.spec, collect("", "Project", project.name));
    }
  }
  if (rows.empty()) invocation.note("no job, cluster or project refers to " + options.name);
  invocation.print({std::move(rows), {{"environment", {}}, {"kind", {}}, {"name", {}}, {"field", {}}}});
  return 0;
}

} // namespace

void add_var_command(CLI::App& root, Action& chosen) {
  auto* var = root.add_subcommand("var", "variables of the current environment (--env)");
  var->require_subcommand(1);
  auto bind = [&](CLI::App* command, const std::shared_ptr<VarOptions>& options, auto run) {
    command->callback([&chosen, options, run] {
      chosen = [options, run](Invocation& invocation) { return run(invocation, *options); };
    });
  };

  auto set_options = std::make_shared<VarOptions>();
  auto* set = var->add_subcommand("set", "set a variable's value in the current environment");
  set->add_option("name", set_options->name, "variable name")->required()->type_name("NAME");
  set->add_option("value", set_options->value, "its value; - reads it from stdin")
      ->required()
      ->type_name("VALUE");
  set->add_flag("--secret", set_options->secret, "never print the value (stays secret once set)");
  set->add_option("--description", set_options->description, "what it is for")->type_name("TEXT");
  bind(set, set_options,
       [](Invocation& invocation, const VarOptions& options) { return run_set(invocation, options); });

  for (const auto& [name, description, run] :
       std::vector<std::tuple<const char*, const char*, int (*)(Invocation&, const VarOptions&)>>{
           {"get", "a variable's value (****** when secret)", run_get},
           {"unset", "remove a variable from the current environment", run_unset},
           {"usages", "every job, cluster and project field that refers to a variable", run_usages}}) {
    auto options = std::make_shared<VarOptions>();
    auto* command = var->add_subcommand(name, description);
    command->add_option("name", options->name, "variable name")->required()->type_name("NAME");
    bind(command, options, run);
  }

  auto list_options = std::make_shared<VarOptions>();
  auto* list = var->add_subcommand("list", "the current environment's variables");
  list->add_flag("-A,--all-environments", list_options->all_environments, "every environment's variables");
  bind(list, list_options, run_list);
}

} // namespace sp::cli
