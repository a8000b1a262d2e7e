// Where a run's JobManager REST API is (SPEC 7, 9). Found once when a job
// starts and stored on the run; every later call (stop, savepoint, status,
// watch) goes to that address directly, never through the YARN
// ResourceManager's proxy. After failed polls, watch asks again: a
// JobManager failover on YARN moves it.
#pragma once

#include "sp/flink/yarn.hpp"
#include "sp/ops/context.hpp"
#include "sp/store/runs.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace sp::ops {

// By cluster type:
//   remote                 its url;
//   kubernetes-session     its url, else kubernetes.restAddress (or Flink's
//                          <clusterId>-rest service) for kubernetes.clusterId;
//   kubernetes-application the same address for `application_id` (the Kubernetes cluster id);
//   yarn-session           the application `application_id`, else yarn.applicationId, asked of the
//                          ResourceManager; a session given only by url: its url;
//   yarn-application       the application `application_id` asked of the ResourceManager.
// ResourceManager answers: RUNNING → the AM's address; not RUNNING yet or
// no answer → unreachable (exit 5, try again); ended → external (exit 6);
// unknown application (404) → not_found (exit 3). A missing setting or
// application id is a usage error.
Result<std::string> resolve_jobmanager_address(const OpsContext& context, const core::ClusterSpec& cluster,
                                               const std::string& cluster_name,
                                               const std::optional<std::string>& application_id);

// What the ResourceManager (spec.yarn.resourceManager) says of a YARN
// application: no answer or HTTP 5xx → unreachable (exit 5); unknown (404)
// → not_found (exit 3); another shape → failure.
Result<flink::YarnApplication> ask_resource_manager(const OpsContext& context,
                                                    const core::ClusterSpec& cluster,
                                                    const std::string& cluster_name,
                                                    const std::string& application_id);

// GET {rm}/ws/v1/cluster/info: the ResourceManager answers. Before bin/flink
// deploys to YARN, which would retry a dead one for many minutes: exit 5 at
// once instead.
Result<void> check_resource_manager(const OpsContext& context, const core::ClusterSpec& cluster,
                                    const std::string& cluster_name);

// resolve_jobmanager_address, asked again every 2 s while YARN has the
// application but not its JobManager yet (ACCEPTED), until `wait` is over.
// A ResourceManager that does not answer is not waited for: bin/flink has
// just talked to it, so something else is wrong.
Result<std::string> await_jobmanager_address(const OpsContext& context, const core::ClusterSpec& cluster,
                                             const std::string& cluster_name,
                                             const std::optional<std::string>& application_id,
                                             std::chrono::milliseconds wait);

// Where a live run's JobManager is, asked again after its polls failed:
// where it answers now or, on YARN, that its application has ended (and how
// its jobs end with it). Errors as resolve_jobmanager_address, except that an
// ended application is an answer, not an error.
struct Whereabouts {
  std::optional<std::string> rest_url;
  std::optional<flink::ApplicationEnd> ended;
};
Result<Whereabouts> locate_jobmanager(const OpsContext& context, const core::ClusterSpec& cluster,
                                      const std::string& cluster_name,
                                      const std::optional<std::string>& application_id);

// For a run whose JobManager stopped answering: resolves its address again
// and, when it moved, records the new one on the run. Errors as
// resolve_jobmanager_address (an ended YARN application is external).
struct Relocation {
  std::string rest_url;
  bool moved = false;
};
Result<Relocation> relocate_jobmanager(const OpsContext& context, const core::ClusterSpec& cluster,
                                       const std::string& cluster_name, const store::RunRow& run);

} // namespace sp::ops
