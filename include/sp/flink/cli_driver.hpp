// Flink's own command line (`bin/flink run`) as a submission driver (SPEC 9):
// the argv sp runs and what sp reads back from its output, both pure, so the
// version differences are tested without a JVM. Running it is ops' business.
#pragma once

#include "sp/core/cluster.hpp"
#include "sp/flink/model.hpp"
#include "sp/util/error.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sp::flink {

// The `-t` (execution.target) of a submission.
enum class CliTarget { remote, yarn_session, yarn_application, kubernetes_session, kubernetes_application };

// "remote", "yarn-application", ... as bin/flink spells them.
std::string_view to_string(CliTarget target);
// Application targets deploy a new cluster per job: there is no JobManager before the command runs.
bool is_application_target(CliTarget target);

struct CliRunInvocation {
  std::string flink_home; // FLINK_HOME; the program is <flink_home>/bin/flink
  FlinkVersion version;   // decides the action and the spelling of the claim mode
  CliTarget target = CliTarget::remote;
  // -D options, lowest precedence first: cluster settings, then the job's
  // own configuration (run.flink_configuration), then these target options
  // (where the cluster is), which nothing may override.
  std::map<std::string, std::string> cluster_configuration;
  std::map<std::string, std::string> target_options;
  std::string jar;
  RunRequest run;
};

// The argv of a detached submission:
//   <home>/bin/flink run -t TARGET -d -Dk=v... [-s PATH --claimMode NO_CLAIM] [-n] [-c CLASS] [-p N] JAR
//   ARGS...
// 1.x application targets use the `run-application` action (2.x folded it into
// `run`). The claim mode is spelled per version: --claimMode from 1.20,
// --restoreMode for 1.15-1.19, nothing before. Each -D is one word
// ("-Dkey=value"), so a value starting with '-' is never read as an option.
std::vector<std::string> cli_run_argv(const CliRunInvocation& invocation);

// The target options that point `-t remote` at a JobManager REST URL
// (rest.address, rest.port, and security.ssl.rest.enabled for https). A URL
// with a path, user info or a query cannot be expressed that way: usage error.
Result<std::map<std::string, std::string>> remote_target_options(std::string_view rest_url);

// The target bin/flink deploys to for a cluster: its type, except that a
// YARN session known only by url, or a Kubernetes session only by url, is
// reached as `remote`.
CliTarget cli_target_for(const core::ClusterSpec& cluster);

// The -D options that name where a YARN or Kubernetes submission goes (the
// remote target uses remote_target_options): yarn.application.id of a
// session; yarn.application.name (the job's name) and yarn.application.queue
// of an application; kubernetes.cluster-id (the session's, or
// `kubernetes_cluster_id` sp chose for an application) and
// kubernetes.namespace.
std::map<std::string, std::string> deployment_target_options(const core::ClusterSpec& cluster,
                                                             CliTarget target, std::string_view job_name,
                                                             std::string_view kubernetes_cluster_id);

// What a submission printed that sp needs.
struct CliSubmitted {
  std::optional<std::string> job_id;         // 32 hex digits
  std::optional<std::string> application_id; // YARN application id or Kubernetes cluster id
};

// Reads `bin/flink run` output. The job id ("Job has been submitted with
// JobID <id>") is required except for application targets, whose job id the
// client does not learn; YARN application ids and Kubernetes cluster ids are
// required for the targets that create them. Missing: external error (exit 6)
// that quotes the last lines of the output.
Result<CliSubmitted> parse_cli_submission(std::string_view output, CliTarget target);

// The YARN application id bin/flink logged ("Submitted application
// application_<n>_<n>"), as soon as it has: output so far is enough.
std::optional<std::string> yarn_application_id(std::string_view output);

// The last `count` lines worth showing from CLI output: no blank lines, no
// "-----" rules and no Java stack frames ("\tat ...", "... 12 more"), which
// say nothing to an operator.
std::vector<std::string> last_output_lines(std::string_view output, std::size_t count);

} // namespace sp::flink
