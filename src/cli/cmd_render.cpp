// sp render JOB [--show-secrets]: the job with every variable of its
// environment (--env) resolved, as a release would see it. ${sp.release} is
// only known when a release is made, so it is shown as written.
#include "commands.hpp"
#include "common.hpp"

#include "sp/core/render.hpp"
#include "sp/store/jobs.hpp"

#include <memory>

namespace sp::cli {

namespace {

struct RenderJobOptions {
  std::string job;
  bool show_secrets = false;
};

int run_render(Invocation& invocation, const RenderJobOptions& options) {
  const auto& environment = invocation.settings.environment;
  auto database = open_existing_store(invocation);
  const auto environment_row = require_environment(database, environment);
  auto job = store::find_job(database, environment, options.job);
  if (!job) {
    std::vector<std::string> names;
    for (const auto& row : store::list_jobs(database, environment)) names.push_back(row.name);
    throw missing_object("rendering job " + options.job, "job", options.job, names,
                         "jobs belong to an environment: see --env", " in environment " + environment);
  }
  const core::SubstitutionContext context{
      environment, core::variable_set(store::environment_spec(database, environment_row.id)),
      core::job_builtins(job->name, environment, job->spec.cluster, std::nullopt), invocation.env};
  const auto rendered = value_or_throw(core::render_job(job->name, job->spec, context));

  Data variables = Data::array();
  for (const auto& name : [&] {
         std::set<std::string> used;
         for (const auto& use : rendered.uses) used.insert(use.name);
         return used;
       }()) {
    const auto found = context.variables.find(name);
    const bool defined = found != context.variables.end();
    const bool secret = defined && found->second.secret;
    Data value = !defined ? Data()
                          : Data(secret && !options.show_secrets ? std::string(core::secret_mask)
                                                                 : found->second.value);
    variables.push_back({{"name", name}, {"value", value}, {"secret", secret}, {"defined", defined}});
  }
  Data document = Data::object();
  document["job"] = job->name;
  document["environment"] = environment;
  document["cluster"] = job->spec.cluster;
  document["spec"] = core::to_json(options.show_secrets ? rendered.clear : rendered.masked);
  document["variables"] = std::move(variables);
  print_document(invocation, document);
  return 0;
}

} // namespace

void add_render_command(CLI::App& root, Action& chosen) {
  auto options = std::make_shared<RenderJobOptions>();
  auto* command = root.add_subcommand("render", "a job with every variable resolved (secrets masked)");
  command->add_option("job", options->job, "the job, in the current environment (--env)")
      ->required()
      ->type_name("JOB");
  command->add_flag("--show-secrets", options->show_secrets, "print secret values instead of ******");
  command->callback([&chosen, options] {
    chosen = [options](Invocation& invocation) { return run_render(invocation, *options); };
  });
}

} // namespace sp::cli
