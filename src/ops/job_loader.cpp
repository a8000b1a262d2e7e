#include "sp/ops/job_loader.hpp"

#include "sp/core/environment.hpp"
#include "sp/core/render.hpp"
#include "sp/store/clusters.hpp"
#include "sp/store/environments.hpp"
#include "sp/store/jobs.hpp"
#include "sp/util/strings.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace sp::ops {

namespace {

core::VariableSet variables_of(store::Database& database, const std::string& environment) {
  auto id = store::environment_id(database, environment);
  return id ? core::variable_set(store::environment_spec(database, *id)) : core::VariableSet{};
}

} // namespace

Result<core::ClusterSpec> load_cluster(store::Database& database, const std::string& environment,
                                       const std::string& name, const util::EnvLookup& process_env) {
  auto cluster = store::find_cluster(database, environment, name);
  if (!cluster) {
    return fail(ErrorKind::not_found, "loading cluster " + name,
                fmt::format("no cluster {} in environment {}", name, environment), "see `sp cluster list`");
  }
  const core::SubstitutionContext context{environment, variables_of(database, environment),
                                          core::cluster_builtins(name, environment), process_env};
  auto rendered = core::render_cluster(name, cluster->spec, context);
  if (!rendered) return std::unexpected(rendered.error());
  return rendered->clear;
}

Result<LoadedJob> load_job(store::Database& database, const std::string& environment, const std::string& name,
                           const util::EnvLookup& process_env, std::optional<std::string> release) {
  const std::string doing = "loading job " + name;
  auto job = store::find_job(database, environment, name);
  if (!job) {
    std::vector<std::string> names;
    for (const auto& row : store::list_jobs(database, environment)) names.push_back(row.name);
    auto nearest = util::nearest(name, names);
    return fail(ErrorKind::not_found, doing, fmt::format("no job {} in environment {}", name, environment),
                nearest ? fmt::format("did you mean {}?", *nearest)
                        : "jobs belong to an environment: see --env");
  }
  if (!store::find_cluster(database, environment, job->spec.cluster)) {
    return fail(
        ErrorKind::not_found, doing,
        fmt::format("its cluster {} does not exist in environment {}", job->spec.cluster, environment));
  }
  const auto variables = variables_of(database, environment);

  const core::SubstitutionContext job_context{
      environment, variables,
      core::job_builtins(job->name, environment, job->spec.cluster, std::move(release)), process_env};
  auto rendered_job = core::render_job(job->name, job->spec, job_context);
  if (!rendered_job) return std::unexpected(rendered_job.error());
  auto cluster = load_cluster(database, environment, job->spec.cluster, process_env);
  if (!cluster) return std::unexpected(cluster.error());

  LoadedJob loaded;
  loaded.target = JobTarget{job->id,           job->name, environment, rendered_job->clear,
                            job->spec.cluster, *cluster,  job_context};
  loaded.masked_json = core::to_json(rendered_job->masked).dump();
  loaded.clear_json = core::to_json(rendered_job->clear).dump();
  return loaded;
}

} // namespace sp::ops
