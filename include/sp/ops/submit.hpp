// How a release becomes a running Flink job: through the JobManager's REST API
// (remote clusters) or through Flink's own CLI (the driver YARN and Kubernetes
// modes use). `start` decides what to restore; a Submitter only submits.
#pragma once

#include "sp/flink/model.hpp"
#include "sp/ops/context.hpp"
#include "sp/store/releases.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace sp::ops {

struct Submission {
  std::string flink_job_id;
  std::string rest_url;                      // the JobManager to talk to from now on
  std::optional<std::string> application_id; // YARN/Kubernetes application, where there is one
  bool jar_reused = false;
};

class Submitter {
public:
  virtual ~Submitter() = default;
  // Submits detached; returns as soon as Flink has accepted the job.
  virtual Result<Submission> submit(const JobTarget& job, const store::ReleaseRow& release,
                                    const flink::RunRequest& run) = 0;
};

// REST: upload the jar (or reuse an identical one still listed), then
// POST /jars/:id/run in the JobManager's dialect.
std::unique_ptr<Submitter> make_rest_submitter(const OpsContext& context, const std::string& rest_url);

// The CLI driver: <home>/bin/flink of the cluster's registered Flink, with
// the cluster type's target (-t remote|yarn-session|yarn-application|
// kubernetes-session|kubernetes-application). Where there is a JobManager
// before the submission, it is asked first and must run the same version
// line (unreachable: exit 5; other line: exit 4). Application targets find
// their new JobManager afterwards (ResourceManager or Kubernetes address)
// and, when the client printed no job id, take the one job it lists. Not
// registered, or no bin/flink in its home: exit 3. On yarn-application the
// ResourceManager is asked first (no answer: exit 5 before bin/flink), and
// an application YARN keeps waiting (ACCEPTED) longer than
// `deployment_wait` ends bin/flink (exit 5, with YARN's reason).
Result<std::unique_ptr<Submitter>> make_cli_submitter(const OpsContext& context, const JobTarget& job,
                                                      std::chrono::milliseconds deployment_wait);

// The submitter for the job's cluster: its `submit` driver (cli for the
// application modes, else rest unless the cluster says cli); REST submits
// to the cluster's JobManager (resolve_jobmanager_address).
Result<std::unique_ptr<Submitter>> make_submitter(const OpsContext& context, const JobTarget& job,
                                                  std::chrono::milliseconds deployment_wait);

} // namespace sp::ops
