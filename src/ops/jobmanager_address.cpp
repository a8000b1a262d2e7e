#include "sp/ops/jobmanager_address.hpp"

#include "sp/flink/yarn.hpp"
#include "sp/ops/poll.hpp"

#include <fmt/format.h>

namespace sp::ops {

namespace {

using namespace std::chrono_literals;

std::string doing(const std::string& cluster_name) {
  return "finding the JobManager of cluster " + cluster_name;
}

std::unexpected<Error> missing_setting(const std::string& cluster_name, const std::string& why,
                                       const std::string& hint) {
  return fail(ErrorKind::usage, doing(cluster_name), why, hint);
}

bool rest_uses_tls(const core::ClusterSpec& cluster) {
  const auto it = cluster.flink_configuration.find("security.ssl.rest.enabled");
  return it != cluster.flink_configuration.end() && it->second == "true";
}

// spec.yarn.resourceManager as written, or the usage error naming it missing.
Result<std::string> resource_manager_of(const core::ClusterSpec& cluster, const std::string& cluster_name) {
  if (!cluster.yarn.resource_manager) {
    return missing_setting(cluster_name, "it names no yarn.resourceManager",
                           "set spec.yarn.resourceManager to the ResourceManager's REST URL");
  }
  return *cluster.yarn.resource_manager;
}

// GET `url` on the ResourceManager `rm`: no answer, or HTTP 5xx from a standby or restarting
// ResourceManager, is unreachable (exit 5); other answers are the caller's.
Result<net::HttpResponse> get_from_resource_manager(const OpsContext& context,
                                                    const core::ClusterSpec& cluster, const std::string& rm,
                                                    const std::string& url, const std::string& asking) {
  auto transport = context.make_transport(transport_settings_of(cluster));
  auto response = transport->send({.method = "GET", .url = url});
  if (!response) {
    return fail(ErrorKind::unreachable, asking,
                fmt::format("the ResourceManager at {} does not answer: {}", rm, response.error().why()));
  }
  if (response->status >= 500) {
    return fail(ErrorKind::unreachable, asking,
                fmt::format("the ResourceManager answered HTTP {}", response->status));
  }
  return response;
}

} // namespace

// GET {rm}/ws/v1/cluster/apps/{id}: what YARN knows of the application.
Result<flink::YarnApplication> ask_resource_manager(const OpsContext& context,
                                                    const core::ClusterSpec& cluster,
                                                    const std::string& cluster_name,
                                                    const std::string& application_id) {
  auto rm = resource_manager_of(cluster, cluster_name);
  if (!rm) return std::unexpected(rm.error());
  const std::string asking =
      fmt::format("asking the ResourceManager about YARN application {}", application_id);
  auto response = get_from_resource_manager(context, cluster, *rm,
                                            flink::yarn_application_url(*rm, application_id), asking);
  if (!response) return std::unexpected(response.error());
  if (response->status == 404) {
    return fail(ErrorKind::not_found, asking, fmt::format("the ResourceManager at {} does not know it", *rm),
                "it may have ended long ago and been forgotten by YARN");
  }
  if (response->status != 200) {
    return fail(ErrorKind::failure, asking,
                fmt::format("the ResourceManager answered HTTP {}", response->status));
  }
  auto application = flink::parse_yarn_application(response->body);
  if (!application) return std::unexpected(application.error().within(asking));
  return application;
}

Result<void> check_resource_manager(const OpsContext& context, const core::ClusterSpec& cluster,
                                    const std::string& cluster_name) {
  auto rm = resource_manager_of(cluster, cluster_name);
  if (!rm) return std::unexpected(rm.error());
  const std::string asking = "asking the ResourceManager of cluster " + cluster_name + " whether it is up";
  auto response = get_from_resource_manager(context, cluster, *rm, flink::yarn_cluster_info_url(*rm), asking);
  if (!response) {
    const auto& error = response.error();
    return std::unexpected(
        Error(error.kind(), error.doing(), error.why(),
              "bin/flink would wait minutes for it; start it, or correct spec.yarn.resourceManager"));
  }
  return {};
}

namespace {

// The JobManager address the ResourceManager's answer gives. `pending` is
// set when YARN knows the application but has not started its JobManager yet.
Result<std::string> ask_jobmanager_url(const OpsContext& context, const core::ClusterSpec& cluster,
                                       const std::string& cluster_name, const std::string& application_id,
                                       bool& pending) {
  auto application = ask_resource_manager(context, cluster, cluster_name, application_id);
  if (!application) return std::unexpected(application.error());
  auto address = flink::jobmanager_url_of(*application, rest_uses_tls(cluster));
  pending = !address && address.error().kind() == ErrorKind::unreachable;
  return address;
}

bool on_yarn(const core::ClusterSpec& cluster) {
  return cluster.type == core::ClusterType::yarn_application ||
         cluster.type == core::ClusterType::yarn_session;
}

Result<std::string> kubernetes_address(const core::ClusterSpec& cluster, const std::string& cluster_name,
                                       const std::string& cluster_id) {
  auto address = core::kubernetes_rest_address(cluster.kubernetes, cluster_id);
  if (!address) return std::unexpected(address.error().within(doing(cluster_name)));
  return address;
}

Result<std::string> resolve(const OpsContext& context, const core::ClusterSpec& cluster,
                            const std::string& cluster_name, const std::optional<std::string>& application_id,
                            bool& pending) {
  using core::ClusterType;
  switch (cluster.type) {
  case ClusterType::remote:
    return cluster_rest_url(cluster_name, cluster);
  case ClusterType::kubernetes_session:
    if (cluster.url) return *cluster.url;
    if (!cluster.kubernetes.cluster_id) {
      return missing_setting(cluster_name, "it has neither url nor kubernetes.clusterId",
                             "set spec.kubernetes.clusterId to the session's cluster id");
    }
    return kubernetes_address(cluster, cluster_name, *cluster.kubernetes.cluster_id);
  case ClusterType::kubernetes_application:
    if (!application_id) {
      return missing_setting(cluster_name,
                             "an application cluster has a JobManager per job; no cluster id was given",
                             "the address is known once sp starts the job");
    }
    return kubernetes_address(cluster, cluster_name, *application_id);
  case ClusterType::yarn_session: {
    const auto session = application_id ? application_id : cluster.yarn.application_id;
    if (session) return ask_jobmanager_url(context, cluster, cluster_name, *session, pending);
    if (cluster.url) return *cluster.url;
    return missing_setting(cluster_name, "it has neither yarn.applicationId nor url",
                           "set spec.yarn.applicationId to the session's YARN application id");
  }
  case ClusterType::yarn_application:
    if (!application_id) {
      return missing_setting(cluster_name,
                             "an application cluster has a JobManager per job; no application id was given",
                             "the address is known once sp starts the job");
    }
    return ask_jobmanager_url(context, cluster, cluster_name, *application_id, pending);
  }
  return cluster_rest_url(cluster_name, cluster);
}

} // namespace

Result<std::string> resolve_jobmanager_address(const OpsContext& context, const core::ClusterSpec& cluster,
                                               const std::string& cluster_name,
                                               const std::optional<std::string>& application_id) {
  bool pending = false;
  return resolve(context, cluster, cluster_name, application_id, pending);
}

Result<std::string> await_jobmanager_address(const OpsContext& context, const core::ClusterSpec& cluster,
                                             const std::string& cluster_name,
                                             const std::optional<std::string>& application_id,
                                             std::chrono::milliseconds wait) {
  std::optional<Result<std::string>> pending_answer; // the last "not yet", returned when the wait ends
  auto settled = poll_until(context.clock, wait, 2s, [&]() -> std::optional<Result<std::string>> {
    bool pending = false;
    auto address = resolve(context, cluster, cluster_name, application_id, pending);
    if (address || !pending) return address;
    pending_answer = std::move(address);
    return std::nullopt;
  });
  return settled ? std::move(*settled) : std::move(*pending_answer);
}

Result<Whereabouts> locate_jobmanager(const OpsContext& context, const core::ClusterSpec& cluster,
                                      const std::string& cluster_name,
                                      const std::optional<std::string>& application_id) {
  const auto application = application_id ? application_id : cluster.yarn.application_id;
  if (!on_yarn(cluster) || !application) {
    auto address = resolve_jobmanager_address(context, cluster, cluster_name, application_id);
    if (!address) return std::unexpected(address.error());
    return Whereabouts{.rest_url = *address};
  }
  auto report = ask_resource_manager(context, cluster, cluster_name, *application);
  if (!report) return std::unexpected(report.error());
  if (auto end = flink::application_end_of(*report, cluster.type == core::ClusterType::yarn_session))
    return Whereabouts{.ended = std::move(end)};
  auto address = flink::jobmanager_url_of(*report, rest_uses_tls(cluster));
  if (!address) return std::unexpected(address.error());
  return Whereabouts{.rest_url = *address};
}

Result<Relocation> relocate_jobmanager(const OpsContext& context, const core::ClusterSpec& cluster,
                                       const std::string& cluster_name, const store::RunRow& run) {
  auto address = resolve_jobmanager_address(context, cluster, cluster_name, run.application_id);
  if (!address) return std::unexpected(address.error());
  Relocation relocation{.rest_url = *address, .moved = *address != run.rest_url};
  if (relocation.moved) store::set_run_rest_url(context.database, run.id, relocation.rest_url);
  return relocation;
}

} // namespace sp::ops
