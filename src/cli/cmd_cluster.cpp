// sp cluster list|show|ping|jobs: clusters of the current environment and
// what their JobManagers run. Clusters are created with `sp apply`.
#include "commands.hpp"
#include "job_support.hpp"

#include "sp/ops/observe.hpp"
#include "sp/store/clusters.hpp"
#include "sp/store/jobs.hpp"
#include "sp/store/runs.hpp"

#include <fmt/format.h>

#include <chrono>
#include <map>
#include <memory>

namespace sp::cli {

namespace {

store::ClusterRow require_cluster(store::Database& database, const Invocation& invocation, const std::string& name) {
  auto cluster = store::find_cluster(database, invocation.settings.environment, name);
  if (!cluster) {
    throw Error(ErrorKind::not_found, "finding cluster " + name,
                "no cluster " + name + " in environment " + invocation.settings.environment, "see `sp cluster list`");
  }
  return *cluster;
}

int run_list(Invocation& invocation) {
  auto database = open_existing_store(invocation);
  Data rows = Data::array();
  for (const auto& cluster : store::list_clusters(database, invocation.settings.environment)) {
    rows.push_back({{"name", cluster.name},
                    {"environment", cluster.environment},
                    {"type", std::string(core::to_string(cluster.spec.type))},
                    {"url", cluster.spec.url ? Data(*cluster.spec.url) : Data()},
                    {"flink", cluster.spec.flink ? Data(*cluster.spec.flink) : Data()}});
  }
  invocation.print({rows, {}});
  return 0;
}

int run_show(Invocation& invocation, const std::string& name) {
  auto database = open_existing_store(invocation);
  const auto cluster = require_cluster(database, invocation, name);
  Data data = Data::object();
  data["name"] = cluster.name;
  data["environment"] = cluster.environment;
  data["spec"] = core::to_json(cluster.spec);
  invocation.print({data, {}});
  return 0;
}

// The cluster's JobManager as a client, with the cluster's TLS and auth.
struct ClusterClient {
  JobSession session;
  store::ClusterRow cluster;
  std::unique_ptr<ops::JobManager> jobmanager;

  ClusterClient(const Invocation& invocation, const std::string& name)
      : session(invocation), cluster(require_cluster(session.database(), invocation, name)) {
    const auto url = value_or_throw(ops::cluster_rest_url(cluster.name, cluster.spec));
    jobmanager = std::make_unique<ops::JobManager>(session.context(), cluster.spec, url);
  }
};

int run_ping(Invocation& invocation, const std::string& name) {
  ClusterClient client(invocation, name);
  const auto started = std::chrono::steady_clock::now();
  auto version = client.jobmanager->rest().version();
  if (!version) throw version.error().within("pinging cluster " + name);
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  Data data = Data::object();
  data["cluster"] = name;
  data["url"] = client.jobmanager->rest().base_url();
  data["flink_version"] = fmt::format("{}.{}.{}", version->major, version->minor, version->patch);
  data["latency_ms"] = elapsed.count();
  invocation.print({data, {}});
  return 0;
}

int run_jobs(Invocation& invocation, const std::string& name) {
  ClusterClient client(invocation, name);
  auto jobs = client.jobmanager->rest().jobs_overview();
  if (!jobs) throw jobs.error().within("listing the jobs of cluster " + name);
  // Which sp job follows each Flink job: the live runs recorded at this address.
  std::map<std::string, std::pair<std::string, bool>> known; // flink id -> (sp job, adopted)
  std::map<std::int64_t, std::string> job_names;
  for (const auto& job : store::list_jobs(client.session.database(), invocation.settings.environment)) {
    job_names[job.id] = job.name;
  }
  for (const auto& run : store::live_runs(client.session.database())) {
    if (!run.flink_job_id || !job_names.contains(run.job_id)) continue;
    known[*run.flink_job_id] = {job_names[run.job_id], run.adopted};
  }
  Data rows = Data::array();
  for (const auto& job : *jobs) {
    const auto found = known.find(job.id);
    rows.push_back({{"flink_job_id", job.id},
                    {"name", job.name},
                    {"state", job.state},
                    {"started_at", time_data(job.start_time_ms)},
                    {"sp_job", found != known.end() ? Data(found->second.first) : Data()},
                    {"adopted", found != known.end() && found->second.second}});
  }
  invocation.print({rows, {}});
  return 0;
}

void add_named(CLI::App& group, Action& chosen, const std::string& name, const std::string& help,
               int (*run)(Invocation&, const std::string&)) {
  auto target = std::make_shared<std::string>();
  auto* command = group.add_subcommand(name, help);
  command->add_option("cluster", *target, "the cluster, in the current environment (--env)")
      ->required()
      ->type_name("NAME");
  command->callback([&chosen, target, run] { chosen = [target, run](Invocation& i) { return run(i, *target); }; });
}

} // namespace

void add_cluster_command(CLI::App& root, Action& chosen) {
  auto* cluster = root.add_subcommand("cluster", "clusters of the environment and the jobs they run");
  cluster->require_subcommand(1);
  auto* list = cluster->add_subcommand("list", "clusters of the current environment");
  list->callback([&chosen] { chosen = run_list; });
  add_named(*cluster, chosen, "show", "a cluster's definition", run_show);
  add_named(*cluster, chosen, "ping", "ask the cluster's JobManager for its version", run_ping);
  add_named(*cluster, chosen, "jobs", "the jobs running on a cluster, adopted or not", run_jobs);
}

} // namespace sp::cli
