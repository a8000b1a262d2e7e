#include "sp/ops/context.hpp"

#include "sp/storage/s3_storage.hpp"
#include "sp/storage/webhdfs_storage.hpp"

#include "build_info.hpp"

#include <thread>

namespace sp::ops {

Result<std::optional<std::string>> cluster_authorization(const OpsContext& context,
                                                         const core::ClusterSpec& cluster) {
  if (!cluster.auth.header_env || !context.env) return std::optional<std::string>();
  auto value = context.env(*cluster.auth.header_env);
  // Refused, as every unset variable sp needs is: the command is right, the
  // environment it runs in is not ready for it.
  if (!value) {
    return fail(ErrorKind::refused, "reading the cluster's auth header",
                "environment variable " + *cluster.auth.header_env + " is not set");
  }
  return value;
}

net::TransportSettings transport_settings_of(const core::ClusterSpec& cluster) {
  net::TransportSettings settings;
  settings.tls.ca_file = cluster.tls.ca_file;
  settings.tls.insecure = cluster.tls.insecure;
  settings.user_agent = std::string("sp/") + build_info::version;
  return settings;
}

Clock system_clock() {
  return {[] {
            using namespace std::chrono;
            return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
          },
          [](std::chrono::milliseconds duration) { std::this_thread::sleep_for(duration); }};
}

JobManager::JobManager(std::unique_ptr<net::HttpTransport> transport, const std::string& rest_url,
                       std::optional<std::string> authorization)
    : transport_(std::move(transport)), client_(*transport_, rest_url, std::move(authorization)) {}

Result<JobManager> JobManager::open(const OpsContext& context, const core::ClusterSpec& cluster,
                                    const std::string& rest_url) {
  auto authorization = cluster_authorization(context, cluster);
  if (!authorization) return std::unexpected(authorization.error());
  return JobManager(context.make_transport(transport_settings_of(cluster)), rest_url,
                    std::move(*authorization));
}

Result<std::string> cluster_rest_url(const std::string& cluster_name, const core::ClusterSpec& cluster) {
  if (cluster.url && !cluster.url->empty()) return *cluster.url;
  return fail(ErrorKind::usage, "finding the JobManager of cluster " + cluster_name,
              "cluster type " + std::string(core::to_string(cluster.type)) + " has no REST url configured",
              "set spec.url on the cluster");
}

namespace {

// The cluster's S3 storage, its keys read from the environment now (they
// are held for the requests only). An unset variable makes a storage that
// cannot ask: its points are "cannot check" (exit 5), as an outage is.
std::unique_ptr<storage::StateStorage> s3_storage_for(const OpsContext& context,
                                                      const core::ClusterSpec& cluster) {
  const auto& settings = *cluster.storage.s3;
  std::vector<std::string> names{settings.access_key_env, settings.secret_key_env};
  if (settings.session_token_env) names.push_back(*settings.session_token_env);
  std::vector<std::optional<std::string>> values;
  for (const auto& name : names) {
    values.push_back(context.env ? context.env(name) : std::nullopt);
    if (!values.back()) {
      return storage::make_unusable_s3_storage(Error(ErrorKind::refused, "reading the cluster's S3 keys",
                                                     "environment variable " + name + " is not set",
                                                     "set it where sp runs, or fix spec.storage.s3"));
    }
  }
  storage::S3Access access{
      {settings.endpoint, settings.path_style},
      {settings.region, *values[0], *values[1], values.size() > 2 ? values[2] : std::nullopt},
      settings.access_key_env + " and " + settings.secret_key_env};
  return storage::make_s3_storage(std::move(access), context.make_transport(transport_settings_of(cluster)));
}

} // namespace

std::unique_ptr<storage::StateStorage> storage_for(const OpsContext& context,
                                                   const core::ClusterSpec& cluster) {
  if (context.make_storage) return context.make_storage(cluster);
  std::vector<std::unique_ptr<storage::StateStorage>> storages;
  storages.push_back(storage::make_local_storage());
  // Each reads its own schemes (file: and bare paths, hdfs:, s3:/s3a:/s3p:),
  // so the order only matters for speed: file:, the most common, first.
  if (cluster.storage.hdfs) {
    storages.push_back(
        storage::make_webhdfs_storage({cluster.storage.hdfs->webhdfs, cluster.storage.hdfs->user},
                                      context.make_transport(transport_settings_of(cluster))));
  }
  if (cluster.storage.s3) storages.push_back(s3_storage_for(context, cluster));
  return storage::make_storage_router(std::move(storages));
}

} // namespace sp::ops
