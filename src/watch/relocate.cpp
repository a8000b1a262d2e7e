#include "sp/ops/job_loader.hpp"
#include "sp/ops/jobmanager_address.hpp"
#include "sp/watch/cycle.hpp"

namespace sp::watch {

Relocator resource_manager_relocator(const ops::OpsContext& context) {
  return [&context](const store::WatchedRun& run) -> ops::Whereabouts {
    auto cluster = ops::load_cluster(context.database, run.environment, run.cluster, context.env);
    if (!cluster) return {};
    if (cluster->type != core::ClusterType::yarn_application &&
        cluster->type != core::ClusterType::yarn_session) {
      return {};
    }
    // Failing to find it is no news: the run stays where it was and the
    // unanswered polls go on counting towards UNREACHABLE. An application
    // YARN no longer knows (404) is no news either: a ResourceManager URL
    // pointing elsewhere answers the same.
    auto whereabouts = ops::locate_jobmanager(context, *cluster, run.cluster, run.application_id);
    if (!whereabouts) return {};
    return std::move(*whereabouts);
  };
}

} // namespace sp::watch
