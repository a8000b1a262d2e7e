// What job operations need from the world, passed in: the database, a way to
// reach JobManagers, a way to run bin/flink, the clock, and where progress
// goes. Tests pass a fake transport, a fake runner and a clock that does not
// sleep.
#pragma once

#include "sp/build/process.hpp"
#include "sp/core/cluster.hpp"
#include "sp/core/job.hpp"
#include "sp/core/lock_rules.hpp"
#include "sp/core/substitution.hpp"
#include "sp/flink/rest_client.hpp"
#include "sp/net/http.hpp"
#include "sp/net/mail.hpp"
#include "sp/storage/storage.hpp"
#include "sp/store/database.hpp"
#include "sp/util/env.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sp::ops {

struct Clock {
  std::function<std::int64_t()> now_ms;
  std::function<void(std::chrono::milliseconds)> sleep;
};

// The wall clock and a real sleep.
Clock system_clock();

using TransportFactory = std::function<std::unique_ptr<net::HttpTransport>(const net::TransportSettings&)>;
using ProcessRunnerFactory = std::function<std::unique_ptr<build::ProcessRunner>()>;
using MailTransportFactory =
    std::function<std::unique_ptr<net::MailTransport>(const net::TransportSettings&)>;
// The state storage sp reads a cluster's restore points through (its
// storage settings select endpoints and credentials).
using StorageFactory = std::function<std::unique_ptr<storage::StateStorage>(const core::ClusterSpec&)>;

struct OpsContext {
  store::Database& database;
  TransportFactory make_transport;
  Clock clock;
  util::EnvLookup env;                              // for auth.headerEnv
  core::LockHolder actor;                           // user, host, pid: recorded on events and locks
  core::PidProbe pid_alive;                         // for stale lock takeover
  std::function<void(const std::string&)> progress; // one line at a time, to stderr on a terminal
  ProcessRunnerFactory make_process_runner;         // for the CLI driver; unset means the real one
  MailTransportFactory make_mail_transport;         // for email alerts; unset means the real one
  std::function<void(const std::string&)>
      progress_detail;         // how far the current step is (bytes sent); may be empty
  StorageFactory make_storage; // unset means the storages sp implements (file:)
  // Where the SQL runner jars are looked for, in order (SP_SQL_RUNNER_DIR,
  // <exe>/../share/sp/sql-runner, the build tree's).
  std::vector<std::filesystem::path> sql_runner_dirs;
  std::filesystem::path workspace_dir; // SP_HOME/workspace: projects' checkouts, for SQL kept in git
};

// The storage for the cluster's restore points: context.make_storage, else file: only.
std::unique_ptr<storage::StateStorage> storage_for(const OpsContext& context,
                                                   const core::ClusterSpec& cluster);

// One job as operations see it: its rendered spec (variables resolved, clear
// values) and its cluster's.
struct JobTarget {
  std::int64_t job_id = 0;
  std::string name;
  std::string environment;
  core::JobSpec spec;
  std::string cluster_name;
  core::ClusterSpec cluster;
  // What rendered `spec`, for text rendered later with the same variables:
  // a SQL job's script, read when it is released (spec.sql stays as written).
  core::SubstitutionContext substitution;
};

// A REST client for a JobManager of the job's cluster, at `rest_url` (a run's
// recorded address) or the cluster's own URL. Owns its transport.
class JobManager {
public:
  // Refused when the cluster's auth.headerEnv names a variable that is not set.
  static Result<JobManager> open(const OpsContext& context, const core::ClusterSpec& cluster,
                                 const std::string& rest_url);
  flink::RestClient& rest() { return client_; }

private:
  JobManager(std::unique_ptr<net::HttpTransport> transport, const std::string& rest_url,
             std::optional<std::string> authorization);

  std::unique_ptr<net::HttpTransport> transport_;
  flink::RestClient client_;
};

// The TLS settings and user agent of requests to the cluster's JobManagers
// (and, for YARN, its ResourceManager).
net::TransportSettings transport_settings_of(const core::ClusterSpec& cluster);
// The Authorization value from the env var the cluster names (none when it
// names none); refused when that variable is not set.
Result<std::optional<std::string>> cluster_authorization(const OpsContext& context,
                                                         const core::ClusterSpec& cluster);

// The cluster's REST URL, or a usage error for cluster types that have none.
Result<std::string> cluster_rest_url(const std::string& cluster_name, const core::ClusterSpec& cluster);

} // namespace sp::ops
