#include "sp/ops/job_loader.hpp"
#include "sp/ops/jobmanager_address.hpp"
#include "sp/watch/cycle.hpp"

namespace sp::watch {

Relocator resource_manager_relocator(const ops::OpsContext& context) {
  return [&context](const store::WatchedRun& run) -> std::optional<std::string> {
    auto cluster = ops::load_cluster(context.database, run.environment, run.cluster, context.env);
    if (!cluster) return std::nullopt;
    if (cluster->type != core::ClusterType::yarn_application &&
        cluster->type != core::ClusterType::yarn_session) {
      return std::nullopt;
    }
    // Failing to find it is no news: the run stays where it was and the
    // unanswered polls go on counting towards UNREACHABLE.
    auto address = ops::resolve_jobmanager_address(context, *cluster, run.cluster, run.application_id);
    if (!address) return std::nullopt;
    return *address;
  };
}

} // namespace sp::watch
