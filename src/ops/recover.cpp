#include "sp/ops/recover.hpp"

#include "sp/ops/job_lock.hpp"
#include "sp/ops/jobmanager_address.hpp"

namespace sp::ops {

Result<RecoverResult> recover_job(const OpsContext& context, const JobTarget& job, bool dry_run) {
  const std::string doing = "recovering job " + job.name;
  auto lock = lock_job(context, job);
  if (!lock) return std::unexpected(lock.error().within(doing));
  std::string rest_url;
  if (!core::is_application_mode(job.cluster.type)) {
    auto url = resolve_jobmanager_address(context, job.cluster, job.cluster_name, std::nullopt);
    if (!url) return std::unexpected(url.error().within(doing));
    rest_url = *url;
  }
  auto storage = storage_for(context, job.cluster);
  auto found = discover_job_state(context, job, rest_url, *storage);
  if (!found) return std::unexpected(found.error().within(doing));
  RecoverResult result{std::move(*found), {}};
  if (!dry_run) result.recorded = record_discovery(context, job, result.found, /*include_live=*/true);
  return result;
}

} // namespace sp::ops
