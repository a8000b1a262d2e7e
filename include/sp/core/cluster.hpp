// Where jobs run (SPEC.md sections 1, 9): a cluster of one type, in one
// environment, using one registered Flink distribution.
#pragma once

#include "sp/util/error.hpp"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sp::core {

enum class ClusterType { remote, yarn_session, yarn_application, kubernetes_session, kubernetes_application };

// "remote", "yarn-session", ... as written in files and stored in the database.
std::string_view to_string(ClusterType type);
std::optional<ClusterType> cluster_type_from_string(std::string_view text);
const std::vector<std::string>& cluster_type_names();
// Application modes start a cluster per job, so they have no fixed JobManager URL.
bool is_application_mode(ClusterType type);

// A warning when YARN may restart an application's master (more than one
// `yarn.application-attempts`, the job's setting over the cluster's) without
// Flink's high availability: the new attempt runs the application's main
// again and restores what the job was submitted with, not its newest
// checkpoint. nullopt when that cannot happen.
std::optional<std::string>
yarn_attempts_warning(ClusterType type, const std::map<std::string, std::string>& cluster_configuration,
                      const std::map<std::string, std::string>& job_configuration);

// How jobs reach a cluster (SPEC 9): the JobManager's REST API, or Flink's own
// CLI (`bin/flink` of the cluster's registered `flink`).
enum class SubmitDriver { rest, cli };

std::string_view to_string(SubmitDriver driver);
std::optional<SubmitDriver> submit_driver_from_string(std::string_view text);

struct YarnSettings {
  std::optional<std::string> resource_manager; // ResourceManager REST URL
  std::optional<std::string> application_id;   // of a session
  std::optional<std::string> queue;
  bool operator==(const YarnSettings&) const = default;
};

struct KubernetesSettings {
  std::optional<std::string> name_space; // `namespace` in files
  std::optional<std::string> cluster_id;
  std::optional<std::string> rest_address; // JobManager REST address (may be a template)
  bool operator==(const KubernetesSettings&) const = default;
};

struct ClusterAuth {
  std::optional<std::string> header_env; // env var holding an Authorization value (never stored itself)
  bool operator==(const ClusterAuth&) const = default;
};

struct ClusterTls {
  std::optional<std::string> ca_file;
  bool insecure = false;
  bool operator==(const ClusterTls&) const = default;
};

// `storage: {s3: {...}}` (SPEC 5.10): how sp reads the cluster's restore
// points on S3 (s3://, s3a://, s3p://). The keys are named, never written:
// sp reads the variables when it asks S3 and never stores or prints them.
struct S3StorageSettings {
  std::string endpoint; // "https://s3.eu-west-1.amazonaws.com", "http://minio:9000"
  std::string region = "us-east-1";
  bool path_style = false;    // the bucket in the path (most S3-compatible stores), else in the host
  std::string access_key_env; // names of environment variables
  std::string secret_key_env;
  std::optional<std::string> session_token_env;
  bool operator==(const S3StorageSettings&) const = default;
};

// `storage: {hdfs: {...}}` (SPEC 5.10): how sp reads the cluster's restore
// points on HDFS (hdfs://), through WebHDFS on the NameNode's HTTP address.
// Simple authentication only: `user` is sent as user.name (no Kerberos).
struct HdfsStorageSettings {
  std::string webhdfs;             // the NameNode's HTTP address, "http://namenode:9870"
  std::optional<std::string> user; // user.name; absent: the NameNode's static web user
  bool operator==(const HdfsStorageSettings&) const = default;
};

struct ClusterStorage {
  std::optional<HdfsStorageSettings> hdfs;
  std::optional<S3StorageSettings> s3;
  bool operator==(const ClusterStorage&) const = default;
};

struct ClusterSpec {
  ClusterType type = ClusterType::remote;
  std::optional<std::string> url; // JobManager REST URL, where the type has one
  std::optional<std::string> flink;
  std::optional<SubmitDriver> submit; // absent: the type's default (default_submit_driver)
  std::optional<std::string> savepoint_dir;
  // `state: {root}` (SPEC 5.9): sp lays every job's state out under
  // <root>/<env>/<job>/{checkpoints,savepoints} unless the job sets its own.
  std::optional<std::string> state_root;
  std::map<std::string, std::string> flink_configuration;
  YarnSettings yarn;
  KubernetesSettings kubernetes;
  ClusterAuth auth;
  ClusterTls tls;
  ClusterStorage storage;
  bool operator==(const ClusterSpec&) const = default;
};

// The driver used when `submit` is not written: cli for application modes
// (there is no JobManager before bin/flink creates one), rest otherwise.
SubmitDriver default_submit_driver(ClusterType type);
SubmitDriver submit_driver_of(const ClusterSpec& spec);

// Kubernetes: the JobManager REST address of Flink cluster `cluster_id`.
// `kubernetes.restAddress` may hold the placeholders {clusterId} and
// {namespace} (an ingress pattern such as "https://{clusterId}.flink.example.com");
// without it, the service Flink creates: http://{clusterId}-rest.{namespace}:8081.
// The namespace defaults to "default". Any other {placeholder} is a usage error.
inline constexpr std::string_view default_kubernetes_rest_address =
    "http://{clusterId}-rest.{namespace}:8081";
Result<std::string> kubernetes_rest_address(const KubernetesSettings& settings, std::string_view cluster_id);

// A Kubernetes application cluster id for a job: Flink requires a DNS-1035
// label of at most 45 characters (lower case letters, digits, '-', starting
// with a letter), so the job name is lowered and everything else becomes '-'.
std::string kubernetes_cluster_id_for(std::string_view job_name);

// Canonical JSON with the YAML field names; absent optionals and empty groups are omitted.
nlohmann::ordered_json to_json(const ClusterSpec& spec);

// The inverse of to_json, as strict as reading a file.
Result<ClusterSpec> cluster_spec_from_json(const nlohmann::json& json);

} // namespace sp::core
