// sp cluster add|remove|list|show|ping|jobs: clusters of the current
// environment and what their JobManagers run. `sp cluster add` writes what
// a `kind: Cluster` document would, with the same checks.
#include "commands.hpp"
#include "common.hpp"
#include "job_support.hpp"

#include "sp/ops/job_loader.hpp"
#include "sp/ops/jobmanager_address.hpp"
#include "sp/ops/observe.hpp"
#include "sp/store/clusters.hpp"
#include "sp/store/events.hpp"
#include "sp/store/jobs.hpp"
#include "sp/store/runs.hpp"

#include <fmt/format.h>

#include "sp/util/strings.hpp"

#include <chrono>
#include <map>
#include <memory>

namespace sp::cli {

namespace {

store::ClusterRow require_cluster(store::Database& database, const Invocation& invocation,
                                  const std::string& name) {
  auto cluster = store::find_cluster(database, invocation.settings.environment, name);
  if (!cluster) {
    throw Error(ErrorKind::not_found, "finding cluster " + name,
                "no cluster " + name + " in environment " + invocation.settings.environment,
                "see `sp cluster list`");
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
    // Rendered: the address may be written with ${...} variables.
    cluster.spec = value_or_throw(
        ops::load_cluster(session.database(), invocation.settings.environment, name, session.context().env));
    const auto url = value_or_throw(
        ops::resolve_jobmanager_address(session.context(), cluster.spec, cluster.name, std::nullopt));
    jobmanager = std::make_unique<ops::JobManager>(
        value_or_throw(ops::JobManager::open(session.context(), cluster.spec, url)));
  }
};

int run_ping(Invocation& invocation, const std::string& name) {
  ClusterClient client(invocation, name);
  const auto started = std::chrono::steady_clock::now();
  auto version = client.jobmanager->rest().version();
  if (!version) throw version.error().within("pinging cluster " + name);
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
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

struct AddOptions {
  std::string name;
  std::string type;
  std::optional<std::string> url, flink, submit, savepoint_dir;
  std::vector<std::string> configuration; // key=value
  std::optional<std::string> resource_manager, application_id, queue;
  std::optional<std::string> name_space, cluster_id, rest_address;
  std::optional<std::string> header_env, ca_file;
  bool insecure = false;
};

core::ClusterSpec spec_from(const AddOptions& options) {
  core::ClusterSpec spec;
  const auto type = core::cluster_type_from_string(options.type);
  if (!type) {
    throw Error(ErrorKind::usage, "reading --type", "unknown cluster type " + options.type,
                "one of: " + util::join(core::cluster_type_names(), ", "));
  }
  spec.type = *type;
  spec.url = options.url;
  spec.flink = options.flink;
  if (options.submit) {
    spec.submit = core::submit_driver_from_string(*options.submit);
    if (!spec.submit)
      throw Error(ErrorKind::usage, "reading --submit", "expected rest or cli, not " + *options.submit);
  }
  spec.savepoint_dir = options.savepoint_dir;
  for (const auto& entry : options.configuration) {
    const auto equals = entry.find('=');
    if (equals == 0 || equals == std::string::npos) {
      throw Error(ErrorKind::usage, "reading -D " + entry, "expected key=value");
    }
    spec.flink_configuration[entry.substr(0, equals)] = entry.substr(equals + 1);
  }
  spec.yarn = {options.resource_manager, options.application_id, options.queue};
  spec.kubernetes = {options.name_space, options.cluster_id, options.rest_address};
  spec.auth.header_env = options.header_env;
  spec.tls = {options.ca_file, options.insecure};
  return spec;
}

int run_add(Invocation& invocation, const AddOptions& options) {
  const std::string doing = "adding cluster " + options.name;
  auto spec = spec_from(options);
  auto database = open_store_for_writing(invocation);
  create_object(database,
                {.kind = core::ObjectKind::cluster,
                 .name = options.name,
                 .environment = invocation.settings.environment,
                 .spec = std::move(spec)},
                doing);
  return run_show(invocation, options.name);
}

// Runs and restore points stay: they are history. Jobs still on it are not.
int run_remove(Invocation& invocation, const std::string& name) {
  const auto& environment = invocation.settings.environment;
  auto database = open_existing_store(invocation);
  value_or_throw(ops::remove_object(
      database, {.kind = core::ObjectKind::cluster, .environment = environment, .name = name},
      current_actor()));
  invocation.print({Data{{"name", name}, {"environment", environment}, {"result", "removed"}}, {}});
  return 0;
}

void add_add_command(CLI::App& cluster, Action& chosen) {
  auto options = std::make_shared<AddOptions>();
  auto* add = cluster.add_subcommand("add", "define a cluster in the current environment");
  add->add_option("name", options->name, "the cluster's name")->required();
  add->add_option("--type", options->type,
                  "remote, yarn-session, yarn-application, kubernetes-session or "
                  "kubernetes-application")
      ->required()
      ->type_name("T");
  add->add_option("--url", options->url, "the JobManager REST URL (remote and session clusters)")
      ->type_name("URL");
  add->add_option("--flink", options->flink, "the registered Flink distribution whose bin/flink it uses")
      ->type_name("NAME");
  add->add_option("--submit", options->submit, "rest or cli (default: cli for application modes, else rest)");
  add->add_option("--savepoint-dir", options->savepoint_dir, "default savepoint directory")->type_name("DIR");
  add->add_option("-D,--conf", options->configuration, "a Flink option for its jobs, key=value (repeatable)")
      ->type_name("KEY=VALUE");
  add->add_option("--yarn-resource-manager", options->resource_manager, "the ResourceManager REST URL")
      ->type_name("URL");
  add->add_option("--yarn-application-id", options->application_id, "a YARN session's application id")
      ->type_name("ID");
  add->add_option("--yarn-queue", options->queue, "the YARN queue of application clusters")->type_name("Q");
  add->add_option("--kubernetes-namespace", options->name_space, "the namespace (default: default)")
      ->type_name("NS");
  add->add_option("--kubernetes-cluster-id", options->cluster_id, "a Kubernetes session's cluster id")
      ->type_name("ID");
  add->add_option("--kubernetes-rest-address", options->rest_address,
                  "JobManager address template with {clusterId} and {namespace} "
                  "(default http://{clusterId}-rest.{namespace}:8081)")
      ->type_name("TEMPLATE");
  add->add_option("--auth-header-env", options->header_env, "env var holding an Authorization header value")
      ->type_name("VAR");
  add->add_option("--ca-file", options->ca_file, "CA bundle for https")->type_name("PATH");
  add->add_flag("--insecure", options->insecure, "do not verify TLS certificates");
  add->callback([&chosen, options] { chosen = [options](Invocation& i) { return run_add(i, *options); }; });
}

void add_named(CLI::App& group, Action& chosen, const std::string& name, const std::string& help,
               int (*run)(Invocation&, const std::string&)) {
  auto target = std::make_shared<std::string>();
  auto* command = group.add_subcommand(name, help);
  command->add_option("cluster", *target, "the cluster, in the current environment (--env)")
      ->required()
      ->type_name("NAME");
  command->callback(
      [&chosen, target, run] { chosen = [target, run](Invocation& i) { return run(i, *target); }; });
}

} // namespace

void add_cluster_command(CLI::App& root, Action& chosen) {
  auto* cluster = root.add_subcommand(
      "cluster", "clusters of the environment and the jobs they run: add, remove, list, show, ping, jobs");
  cluster->require_subcommand(1);
  add_add_command(*cluster, chosen);
  add_named(*cluster, chosen, "remove", "forget a cluster no job uses", run_remove);
  auto* list = cluster->add_subcommand("list", "clusters of the current environment");
  list->callback([&chosen] { chosen = run_list; });
  add_named(*cluster, chosen, "show", "a cluster's definition", run_show);
  add_named(*cluster, chosen, "ping", "ask the cluster's JobManager for its version", run_ping);
  add_named(*cluster, chosen, "jobs", "the jobs running on a cluster, adopted or not", run_jobs);
}

} // namespace sp::cli
